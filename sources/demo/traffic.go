package demo

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"
)

// This file holds the shop's ordinary traffic: who the clients are and what
// they ask for. Scenarios change how the servers answer, not what is asked,
// except for the bots of the overload scenario.

// dep is what an endpoint needs besides the app itself.
type dep uint8

const (
	needsDB dep = 1 << iota
	needsInventory
)

// zone is the limit_req zone that guards a location.
type zone uint8

const (
	noZone zone = iota
	zoneAPI
	zoneLogin
)

// choice is one possible status with its weight.
type choice struct {
	status int
	weight int
}

// endpoint is one kind of request the shop serves.
type endpoint struct {
	method string
	weight int
	path   func(r *rand.Rand) string
	status []choice
	median time.Duration // the app's own work for a 2xx answer
	size   [2]int        // body bytes of a 2xx answer: min, max
	deps   dep
	ssr    bool // a server-rendered page (web), as opposed to a static file
	pool   pool
	zone   zone
}

func fixed(p string) func(*rand.Rand) string { return func(*rand.Rand) string { return p } }

func pick(r *rand.Rand, words []string) string { return words[r.IntN(len(words))] }

func num(r *rand.Rand, lo, hi int) string { return strconv.Itoa(lo + r.IntN(hi-lo+1)) }

var (
	categories = []string{"shoes", "jackets", "bags", "watches", "kitchen", "garden", "toys", "books", "lighting", "outdoor"}
	sorts      = []string{"popular", "price_asc", "price_desc", "newest"}
	terms      = []string{"running+shoes", "rain+jacket", "usb-c+cable", "coffee+grinder", "yoga+mat",
		"noise+cancelling+headphones", "desk+lamp", "backpack", "espresso", "winter+boots"}
	slugs = []string{"trail-runner-2", "city-parka", "canvas-tote", "field-watch-38mm", "pour-over-kettle",
		"merino-beanie", "led-desk-lamp", "hiking-daypack-24l", "ceramic-mug-set", "wool-socks-3-pack"}
	scripts   = []string{"app.3f9a1c2e.js", "vendor.8b2e4d17.js", "checkout.51c0aa9b.js", "runtime.0d4e6f12.js"}
	styles    = []string{"main.c41d9e07.css", "vendor.77ab12f3.css"}
	preflight = []string{"/api/cart", "/api/cart/items", "/api/orders", "/api/checkout", "/api/users/me"}
	probes    = []string{"/wp-login.php", "/.env", "/.git/config", "/xmlrpc.php", "/phpmyadmin/index.php",
		"/admin/.env", "/server-status", "/wp-content/plugins/revslider/temp/update_extract/"}
)

func productsPath(r *rand.Rand) string {
	return "/api/products?category=" + pick(r, categories) + "&page=" + num(r, 1, 8) + "&sort=" + pick(r, sorts)
}

func productPath(r *rand.Rand) string { return "/api/products/" + num(r, 10000, 99999) }

func cartItemPath(r *rand.Rand) string { return "/api/cart/items/" + num(r, 1, 40000) }

var ok200 = []choice{{200, 1}}

var apiEndpoints = []endpoint{
	{method: "GET", weight: 36, path: productsPath, status: ok200, median: 22 * time.Millisecond, size: [2]int{3000, 12000}, deps: needsDB | needsInventory},
	{method: "GET", weight: 28, path: productPath, status: []choice{{200, 95}, {404, 5}}, median: 12 * time.Millisecond, size: [2]int{900, 3200}, deps: needsDB | needsInventory},
	{method: "GET", weight: 20, path: func(r *rand.Rand) string { return "/api/search?q=" + pick(r, terms) + "&limit=20" }, status: ok200, median: 55 * time.Millisecond, size: [2]int{1500, 9000}, deps: needsDB},
	{method: "GET", weight: 16, path: fixed("/api/cart"), status: []choice{{200, 97}, {401, 3}}, median: 10 * time.Millisecond, size: [2]int{250, 1600}, deps: needsDB | needsInventory},
	{method: "POST", weight: 10, path: fixed("/api/cart/items"), status: []choice{{201, 92}, {422, 5}, {409, 3}}, median: 30 * time.Millisecond, size: [2]int{200, 700}, deps: needsDB | needsInventory},
	{method: "PUT", weight: 3, path: cartItemPath, status: []choice{{200, 97}, {404, 3}}, median: 20 * time.Millisecond, size: [2]int{200, 700}, deps: needsDB | needsInventory},
	{method: "DELETE", weight: 2, path: cartItemPath, status: []choice{{204, 95}, {404, 5}}, median: 15 * time.Millisecond, deps: needsDB},
	{method: "GET", weight: 8, path: func(r *rand.Rand) string { return "/api/orders?id=" + num(r, 1, 5000) }, status: []choice{{200, 93}, {404, 4}, {401, 3}}, median: 18 * time.Millisecond, size: [2]int{400, 2500}, deps: needsDB},
	{method: "GET", weight: 6, path: func(r *rand.Rand) string { return "/api/orders?status=shipped&page=" + num(r, 1, 3) }, status: []choice{{200, 96}, {401, 4}}, median: 25 * time.Millisecond, size: [2]int{1500, 6000}, deps: needsDB},
	{method: "POST", weight: 6, path: fixed("/api/orders"), status: []choice{{201, 90}, {400, 4}, {422, 6}}, median: 80 * time.Millisecond, size: [2]int{300, 900}, deps: needsDB | needsInventory},
	{method: "POST", weight: 4, path: fixed("/api/checkout"), status: []choice{{200, 93}, {402, 7}}, median: 160 * time.Millisecond, size: [2]int{250, 600}, deps: needsDB | needsInventory},
	{method: "GET", weight: 16, path: fixed("/api/users/me"), status: []choice{{200, 88}, {401, 12}}, median: 7 * time.Millisecond, size: [2]int{300, 900}, deps: needsDB},
	{method: "POST", weight: 4, path: fixed("/api/login"), status: []choice{{200, 80}, {401, 20}}, median: 90 * time.Millisecond, size: [2]int{150, 400}, deps: needsDB, zone: zoneLogin},
	{method: "OPTIONS", weight: 12, path: func(r *rand.Rand) string { return pick(r, preflight) }, status: []choice{{204, 1}}, median: 300 * time.Microsecond},
	{method: "GET", weight: 10, path: func(r *rand.Rand) string { return "/api/recommendations?product=" + num(r, 10000, 99999) + "&limit=8" }, status: ok200, median: 40 * time.Millisecond, size: [2]int{1200, 5000}, deps: needsDB},
	{method: "GET", weight: 1, path: func(r *rand.Rand) string { return "/api/reports/daily?days=" + num(r, 1, 30) + "&format=csv" }, status: ok200, median: 700 * time.Millisecond, size: [2]int{20000, 90000}, deps: needsDB},
}

var webEndpoints = []endpoint{
	{method: "GET", weight: 10, path: fixed("/"), status: ok200, median: 28 * time.Millisecond, size: [2]int{28000, 42000}, ssr: true},
	{method: "GET", weight: 16, path: func(r *rand.Rand) string { return "/products/" + pick(r, slugs) }, status: []choice{{200, 97}, {404, 3}}, median: 35 * time.Millisecond, size: [2]int{30000, 52000}, ssr: true},
	{method: "GET", weight: 7, path: func(r *rand.Rand) string { return "/category/" + pick(r, categories) + "?page=" + num(r, 1, 5) }, status: ok200, median: 40 * time.Millisecond, size: [2]int{34000, 61000}, ssr: true},
	{method: "GET", weight: 4, path: func(r *rand.Rand) string { return "/search?q=" + pick(r, terms) }, status: ok200, median: 60 * time.Millisecond, size: [2]int{25000, 48000}, ssr: true},
	{method: "GET", weight: 20, path: func(r *rand.Rand) string { return "/static/js/" + pick(r, scripts) }, status: []choice{{200, 55}, {304, 45}}, median: time.Millisecond, size: [2]int{80000, 420000}},
	{method: "GET", weight: 8, path: func(r *rand.Rand) string { return "/static/css/" + pick(r, styles) }, status: []choice{{200, 55}, {304, 45}}, median: time.Millisecond, size: [2]int{18000, 60000}},
	{method: "GET", weight: 22, path: func(r *rand.Rand) string {
		return "/static/img/products/" + pick(r, slugs) + "-" + num(r, 1, 4) + ".webp"
	}, status: []choice{{200, 60}, {304, 40}}, median: 1500 * time.Microsecond, size: [2]int{6000, 90000}},
	{method: "GET", weight: 3, path: fixed("/favicon.ico"), status: []choice{{200, 40}, {304, 60}}, median: 500 * time.Microsecond, size: [2]int{4286, 4286}},
	{method: "GET", weight: 3, path: fixed("/account"), status: []choice{{200, 60}, {302, 40}}, median: 20 * time.Millisecond, size: [2]int{22000, 30000}, ssr: true},
	{method: "GET", weight: 2, path: fixed("/login"), status: ok200, median: 15 * time.Millisecond, size: [2]int{15000, 18000}, ssr: true},
	{method: "GET", weight: 1, path: fixed("/robots.txt"), status: ok200, median: 500 * time.Microsecond, size: [2]int{68, 68}},
}

var billingEndpoints = []endpoint{
	{method: "GET", weight: 60, path: func(r *rand.Rand) string {
		return "/billing/invoices?customer=" + num(r, 1000, 9999) + "&page=" + num(r, 1, 3)
	}, status: []choice{{200, 95}, {401, 5}}, median: 45 * time.Millisecond, size: [2]int{1500, 7000}},
	{method: "GET", weight: 25, path: func(r *rand.Rand) string { return "/billing/invoices/INV-" + num(r, 100000, 999999) + ".pdf" }, status: []choice{{200, 96}, {404, 4}}, median: 120 * time.Millisecond, size: [2]int{40000, 200000}},
	{method: "POST", weight: 15, path: fixed("/billing/payments"), status: []choice{{201, 90}, {402, 10}}, median: 300 * time.Millisecond, size: [2]int{200, 500}},
}

// probeEndpoint is what vulnerability scanners ask the shop for.
var probeEndpoint = endpoint{method: "GET", weight: 1, path: func(r *rand.Rand) string { return pick(r, probes) }, status: []choice{{404, 1}}, median: 2 * time.Millisecond, pool: poolWeb}

// The bots of the overload scenario.
var (
	scraperEndpoint  = endpoint{method: "GET", weight: 1, path: productsPath, status: ok200, median: 22 * time.Millisecond, size: [2]int{3000, 12000}, deps: needsDB | needsInventory, pool: poolAPI, zone: zoneAPI}
	stuffingEndpoint = endpoint{method: "POST", weight: 1, path: fixed("/api/login"), status: []choice{{401, 98}, {200, 2}}, median: 90 * time.Millisecond, size: [2]int{150, 400}, deps: needsDB, pool: poolAPI, zone: zoneLogin}
)

// table is a weighted set of endpoints of one pool.
type table struct {
	endpoints []endpoint
	total     int
}

func newTable(p pool, z zone, eps []endpoint) table {
	t := table{endpoints: make([]endpoint, len(eps))}
	for i, e := range eps {
		e.pool = p
		if e.zone == noZone {
			e.zone = z
		}
		t.endpoints[i] = e
		t.total += e.weight
	}
	return t
}

var tables = [numPools]table{
	poolAPI:     newTable(poolAPI, zoneAPI, apiEndpoints),
	poolWeb:     newTable(poolWeb, noZone, webEndpoints),
	poolBilling: newTable(poolBilling, noZone, billingEndpoints),
}

func (t *table) pick(r *rand.Rand) *endpoint {
	n := r.IntN(t.total)
	for i := range t.endpoints {
		n -= t.endpoints[i].weight
		if n < 0 {
			return &t.endpoints[i]
		}
	}
	return &t.endpoints[len(t.endpoints)-1]
}

func pickStatus(r *rand.Rand, cs []choice) int {
	if len(cs) == 1 {
		return cs[0].status
	}
	total := 0
	for _, c := range cs {
		total += c.weight
	}
	n := r.IntN(total)
	for _, c := range cs {
		n -= c.weight
		if n < 0 {
			return c.status
		}
	}
	return cs[len(cs)-1].status
}

// clientKind says what sort of client sends a request, which decides what
// it asks for and how.
type clientKind uint8

const (
	browser clientKind = iota
	mobileApp
	service
	scanner
	bot
)

// locations are the pool weights of each kind of client.
var locations = [...][numPools]int{
	browser:   {poolAPI: 38, poolWeb: 58, poolBilling: 4},
	mobileApp: {poolAPI: 92, poolBilling: 8},
	service:   {poolAPI: 75, poolBilling: 25},
}

var (
	browserAgents = []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
		"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
	}
	appAgents = []string{
		"ShopApp/4.12.0 (iPhone; iOS 17.2; Scale/3.00)",
		"ShopApp/4.12.0 (Android 14; SM-S911B)",
		"ShopApp/4.11.2 (iPhone; iOS 16.7.4; Scale/3.00)",
	}
	serviceAgents = []string{"Go-http-client/1.1", "python-requests/2.31.0", "curl/8.4.0"}
	scanAgents    = []string{"Mozilla/5.0 zgrab/0.x", "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)"}
	referrers     = []string{"https://www.google.com/", "https://duckduckgo.com/", "https://www.bing.com/"}
)

// The bots' addresses; ordinary clients never get them.
const (
	scraperIP  = "203.0.113.77"
	stufferIP  = "198.51.100.23"
	scraperUA  = "python-requests/2.31.0"
	stufferUA  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36"
	siteOrigin = "https://shop.example.com"
)

// client is one user agent at one address, with its open connections.
type client struct {
	ip, ua    string
	kind      clientKind
	http2     bool
	bandwidth float64 // bytes/s nginx can send it
	page      string  // the last page it loaded: the Referer of what follows
	conns     []conn
}

// conn is one client connection to nginx; its number is $connection.
type conn struct {
	number int64
	worker int
	gen    int // the nginx generation that accepted it; a reload closes it
	busy   time.Time
	used   time.Time
}

// population is the clients and their cumulative activity weights.
type population struct {
	clients []client
	cum     []float64
}

func publicIP(r *rand.Rand) string {
	for {
		var ip string
		switch r.IntN(3) {
		case 0:
			ip = "192.0.2."
		case 1:
			ip = "198.51.100."
		default:
			ip = "203.0.113."
		}
		ip += num(r, 1, 254)
		if ip != scraperIP && ip != stufferIP {
			return ip
		}
	}
}

// newPopulation makes ordinary clients with Zipf-like activity: a few are
// busy, most send a request now and then. Bots are appended last.
func newPopulation(r *rand.Rand) population {
	var p population
	add := func(c client, factor float64) {
		p.clients = append(p.clients, c)
		p.cum = append(p.cum, factor)
	}
	for range 320 {
		add(client{ip: publicIP(r), ua: pick(r, browserAgents), kind: browser, http2: r.IntN(10) < 9,
			bandwidth: logUniform(r, 1e6, 2e7)}, 1)
	}
	for range 150 {
		add(client{ip: publicIP(r), ua: pick(r, appAgents), kind: mobileApp, http2: r.IntN(10) < 7,
			bandwidth: logUniform(r, 5e5, 1e7)}, 1)
	}
	for i := range 12 {
		add(client{ip: "10.0.4." + strconv.Itoa(11+i), ua: serviceAgents[i%len(serviceAgents)], kind: service,
			bandwidth: 1e8}, 3)
	}
	for i := range scanAgents {
		add(client{ip: publicIP(r), ua: scanAgents[i], kind: scanner, bandwidth: 5e6}, 0.5)
	}
	// Activity: a random rank per client, weight 1/(rank+1)^0.8.
	rank := r.Perm(len(p.clients))
	sum := 0.0
	for i := range p.cum {
		sum += p.cum[i] / math.Pow(float64(rank[i]+1), 0.8)
		p.cum[i] = sum
	}
	p.clients = append(p.clients,
		client{ip: scraperIP, ua: scraperUA, kind: bot, bandwidth: 2e7},
		client{ip: stufferIP, ua: stufferUA, kind: bot, http2: true, bandwidth: 2e7})
	return p
}

// ordinary picks an ordinary client by activity.
func (p *population) ordinary(r *rand.Rand) *client {
	x := r.Float64() * p.cum[len(p.cum)-1]
	i := sort.SearchFloat64s(p.cum, x)
	if i >= len(p.cum) {
		i = len(p.cum) - 1
	}
	return &p.clients[i]
}

func (p *population) scraper() *client { return &p.clients[len(p.clients)-2] }
func (p *population) stuffer() *client { return &p.clients[len(p.clients)-1] }

// endpointFor picks what an ordinary client asks for.
func endpointFor(r *rand.Rand, c *client) *endpoint {
	if c.kind == scanner {
		return &probeEndpoint
	}
	w := locations[c.kind]
	n := r.IntN(w[poolAPI] + w[poolWeb] + w[poolBilling])
	switch {
	case n < w[poolAPI]:
		return tables[poolAPI].pick(r)
	case n < w[poolAPI]+w[poolWeb]:
		return tables[poolWeb].pick(r)
	}
	return tables[poolBilling].pick(r)
}

func logUniform(r *rand.Rand, lo, hi float64) float64 {
	return lo * math.Exp(r.Float64()*math.Log(hi/lo))
}
