package biglog

import (
	"math/rand/v2"
	"strconv"
	"time"
)

// This file holds the simulated site: its upstream pools, what clients ask
// for and who the clients are. The nginx config it stands for:
//
//	upstream api    { server 10.0.1.11:8080 max_fails=0; … 10.0.1.14; keepalive 32; }
//	upstream web    { server 10.0.2.21:3000 max_fails=0; … 10.0.2.23; }
//	upstream search { server 10.0.3.31:7700 max_fails=0; … 10.0.3.33; keepalive 16; }
//	proxy_next_upstream error timeout; proxy_next_upstream_tries 2;
//	location /api/search { proxy_pass http://search; proxy_read_timeout 3s; }
//	location /static/ { root /var/www/shop; }   # served by nginx itself
//
// max_fails=0 keeps nginx sending to a dead server on its turn, so an outage
// shows on every round-robin turn instead of once per fail_timeout.

// pool is one upstream group.
type pool uint8

const (
	poolAPI pool = iota
	poolWeb
	poolSearch
	numPools
	poolNone pool = numPools // served by nginx itself
)

// server is one upstream instance.
type server struct {
	addr string
	pool pool
}

// servers are the ten upstream instances; pools list them by index.
var servers = [...]server{
	{"10.0.1.11:8080", poolAPI}, {"10.0.1.12:8080", poolAPI}, {"10.0.1.13:8080", poolAPI}, {"10.0.1.14:8080", poolAPI},
	{"10.0.2.21:3000", poolWeb}, {"10.0.2.22:3000", poolWeb}, {"10.0.2.23:3000", poolWeb},
	{"10.0.3.31:7700", poolSearch}, {"10.0.3.32:7700", poolSearch}, {"10.0.3.33:7700", poolSearch},
}

const numServers = len(servers)

// poolInfo is how nginx talks to one pool.
type poolInfo struct {
	host        string // server_name of the location
	members     []int
	tries       int           // proxy_next_upstream_tries
	readTimeout time.Duration // proxy_read_timeout
	keepalive   bool          // upstream keepalive: connections are reused
}

var pools = [numPools]poolInfo{
	poolAPI:    {host: "api.example.com", members: []int{0, 1, 2, 3}, tries: 2, readTimeout: 30 * time.Second, keepalive: true},
	poolWeb:    {host: "shop.example.com", members: []int{4, 5, 6}, tries: 2, readTimeout: 60 * time.Second},
	poolSearch: {host: "api.example.com", members: []int{7, 8, 9}, tries: 2, readTimeout: 3 * time.Second, keepalive: true},
}

// staticHost serves the files nginx answers itself.
const staticHost = "shop.example.com"

// staticRoot is the root directory nginx names in its open() errors.
const staticRoot = "/var/www/shop"

// choice is one possible status with its weight.
type choice struct {
	status int
	weight int
}

// endpoint is one kind of request.
type endpoint struct {
	method string
	weight int
	path   func(b []byte, r *rand.Rand) []byte
	status []choice
	total  int           // sum of the status weights
	median time.Duration // the app's work (or nginx's for static files)
	size   [2]int        // body bytes of a 2xx answer: min, max
	db     bool          // the app needs the database to answer
	pool   pool
}

func lit(s string) func([]byte, *rand.Rand) []byte {
	return func(b []byte, _ *rand.Rand) []byte { return append(b, s...) }
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func appendNum(b []byte, r *rand.Rand, lo, hi int) []byte {
	return strconv.AppendInt(b, int64(lo+r.IntN(hi-lo+1)), 10)
}

var (
	categories = []string{"shoes", "jackets", "bags", "watches", "kitchen", "garden", "toys", "books", "lighting", "outdoor"}
	sorts      = []string{"popular", "price_asc", "price_desc", "newest"}
	terms      = []string{"running+shoes", "rain+jacket", "usb-c+cable", "coffee+grinder", "yoga+mat",
		"noise+cancelling+headphones", "desk+lamp", "backpack", "espresso", "winter+boots", "caf%C3%A9+au+lait", "50%25+off"}
	slugs = []string{"trail-runner-2", "city-parka", "canvas-tote", "field-watch-38mm", "pour-over-kettle",
		"merino-beanie", "led-desk-lamp", "hiking-daypack-24l", "ceramic-mug-set", "wool-socks-3-pack"}
	scripts    = []string{"app.3f9a1c2e.js", "vendor.8b2e4d17.js", "checkout.51c0aa9b.js", "runtime.0d4e6f12.js"}
	oldScripts = []string{"app.1b2c3d4e.js", "vendor.77e0c1aa.js", "checkout.0aa1b2c3.js"} // a previous build: 404
	styles     = []string{"main.c41d9e07.css", "vendor.77ab12f3.css"}
	utms       = []string{"utm_source=newsletter&utm_medium=email&utm_campaign=spring_sale", "utm_source=google&utm_medium=cpc&gclid=EAIaIQobChMI8", "ref=homepage"}
	preflight  = []string{"/api/cart", "/api/cart/items", "/api/orders", "/api/checkout", "/api/users/me"}
	probes     = []string{"/wp-login.php", "/.env", "/.git/config", "/xmlrpc.php", "/phpmyadmin/index.php",
		"/admin/.env", "/server-status", "/cgi-bin/luci/;stok=/locale?form=country&operation=write"}
)

func productsPath(b []byte, r *rand.Rand) []byte {
	b = append(b, "/api/products?category="...)
	b = append(b, pick(r, categories)...)
	b = append(b, "&page="...)
	b = appendNum(b, r, 1, 8)
	b = append(b, "&sort="...)
	return append(b, pick(r, sorts)...)
}

var ok200 = []choice{{200, 1}}

var apiEndpoints = []endpoint{
	{method: "GET", weight: 36, path: productsPath, status: ok200, median: 22 * time.Millisecond, size: [2]int{3000, 12000}, db: true},
	{method: "GET", weight: 28, path: func(b []byte, r *rand.Rand) []byte { return appendNum(append(b, "/api/products/"...), r, 10000, 99999) },
		status: []choice{{200, 94}, {404, 6}}, median: 12 * time.Millisecond, size: [2]int{900, 3200}, db: true},
	{method: "GET", weight: 16, path: lit("/api/cart"), status: []choice{{200, 97}, {401, 3}}, median: 10 * time.Millisecond, size: [2]int{250, 1600}, db: true},
	{method: "POST", weight: 10, path: lit("/api/cart/items"), status: []choice{{201, 92}, {422, 5}, {409, 3}}, median: 30 * time.Millisecond, size: [2]int{200, 700}, db: true},
	{method: "PUT", weight: 3, path: func(b []byte, r *rand.Rand) []byte { return appendNum(append(b, "/api/cart/items/"...), r, 1, 40000) },
		status: []choice{{200, 97}, {404, 3}}, median: 20 * time.Millisecond, size: [2]int{200, 700}, db: true},
	{method: "DELETE", weight: 2, path: func(b []byte, r *rand.Rand) []byte { return appendNum(append(b, "/api/cart/items/"...), r, 1, 40000) },
		status: []choice{{204, 95}, {404, 5}}, median: 15 * time.Millisecond, db: true},
	{method: "GET", weight: 8, path: func(b []byte, r *rand.Rand) []byte { return appendNum(append(b, "/api/orders?id="...), r, 1, 5000) },
		status: []choice{{200, 93}, {404, 4}, {401, 3}}, median: 18 * time.Millisecond, size: [2]int{400, 2500}, db: true},
	{method: "POST", weight: 6, path: lit("/api/orders"), status: []choice{{201, 90}, {400, 4}, {422, 6}}, median: 80 * time.Millisecond, size: [2]int{300, 900}, db: true},
	{method: "PATCH", weight: 2, path: func(b []byte, r *rand.Rand) []byte {
		return appendNum(append(b, "/api/users/me/addresses/"...), r, 1, 9)
	},
		status: []choice{{200, 95}, {422, 5}}, median: 25 * time.Millisecond, size: [2]int{200, 500}, db: true},
	{method: "POST", weight: 4, path: lit("/api/checkout"), status: []choice{{200, 93}, {402, 7}}, median: 160 * time.Millisecond, size: [2]int{250, 600}, db: true},
	{method: "GET", weight: 16, path: lit("/api/users/me"), status: []choice{{200, 88}, {401, 12}}, median: 7 * time.Millisecond, size: [2]int{300, 900}, db: true},
	{method: "POST", weight: 3, path: lit("/api/login"), status: []choice{{200, 80}, {401, 20}}, median: 90 * time.Millisecond, size: [2]int{150, 400}, db: true},
	{method: "OPTIONS", weight: 10, path: func(b []byte, r *rand.Rand) []byte { return append(b, pick(r, preflight)...) }, status: []choice{{204, 1}}, median: 300 * time.Microsecond},
	{method: "GET", weight: 10, path: func(b []byte, r *rand.Rand) []byte {
		return append(appendNum(append(b, "/api/recommendations?product="...), r, 10000, 99999), "&limit=8"...)
	}, status: ok200, median: 40 * time.Millisecond, size: [2]int{1200, 5000}, db: true},
	{method: "GET", weight: 1, path: func(b []byte, r *rand.Rand) []byte {
		return append(appendNum(append(b, "/api/reports/daily?days="...), r, 1, 30), "&format=csv"...)
	}, status: ok200, median: 700 * time.Millisecond, size: [2]int{20000, 90000}, db: true},
}

var searchEndpoints = []endpoint{
	{method: "GET", weight: 10, path: func(b []byte, r *rand.Rand) []byte {
		b = append(b, "/api/search?q="...)
		b = append(b, pick(r, terms)...)
		b = append(b, "&limit=20&offset="...)
		return strconv.AppendInt(b, int64(20*r.IntN(4)), 10)
	}, status: []choice{{200, 99}, {400, 1}}, median: 45 * time.Millisecond, size: [2]int{1500, 9000}},
	{method: "GET", weight: 4, path: func(b []byte, r *rand.Rand) []byte {
		b = append(b, "/api/search/suggest?prefix="...)
		t := pick(r, terms)
		return append(b, t[:min(len(t), 2+r.IntN(4))]...)
	}, status: ok200, median: 8 * time.Millisecond, size: [2]int{120, 900}},
}

var webEndpoints = []endpoint{
	{method: "GET", weight: 10, path: lit("/"), status: ok200, median: 28 * time.Millisecond, size: [2]int{28000, 42000}},
	{method: "GET", weight: 16, path: func(b []byte, r *rand.Rand) []byte {
		b = append(append(b, "/products/"...), pick(r, slugs)...)
		if r.IntN(6) == 0 {
			b = append(append(b, '?'), pick(r, utms)...)
		}
		return b
	}, status: []choice{{200, 96}, {404, 4}}, median: 35 * time.Millisecond, size: [2]int{30000, 52000}},
	{method: "GET", weight: 7, path: func(b []byte, r *rand.Rand) []byte {
		return appendNum(append(append(append(b, "/category/"...), pick(r, categories)...), "?page="...), r, 1, 5)
	}, status: ok200, median: 40 * time.Millisecond, size: [2]int{34000, 61000}},
	{method: "GET", weight: 4, path: func(b []byte, r *rand.Rand) []byte { return append(append(b, "/search?q="...), pick(r, terms)...) },
		status: ok200, median: 60 * time.Millisecond, size: [2]int{25000, 48000}},
	{method: "GET", weight: 3, path: lit("/account"), status: []choice{{200, 60}, {302, 40}}, median: 20 * time.Millisecond, size: [2]int{22000, 30000}},
	{method: "POST", weight: 1, path: lit("/account/login"), status: []choice{{302, 85}, {200, 15}}, median: 95 * time.Millisecond, size: [2]int{15000, 18000}},
	{method: "GET", weight: 2, path: lit("/login"), status: ok200, median: 15 * time.Millisecond, size: [2]int{15000, 18000}},
	{method: "HEAD", weight: 1, path: lit("/"), status: ok200, median: 25 * time.Millisecond},
}

var staticEndpoints = []endpoint{
	{method: "GET", weight: 20, path: func(b []byte, r *rand.Rand) []byte { return append(append(b, "/static/js/"...), pick(r, scripts)...) },
		status: []choice{{200, 55}, {304, 45}}, median: 200 * time.Microsecond, size: [2]int{80000, 420000}},
	{method: "GET", weight: 1, path: func(b []byte, r *rand.Rand) []byte {
		return append(append(b, "/static/js/"...), pick(r, oldScripts)...)
	},
		status: []choice{{404, 1}}, median: 150 * time.Microsecond},
	{method: "GET", weight: 8, path: func(b []byte, r *rand.Rand) []byte { return append(append(b, "/static/css/"...), pick(r, styles)...) },
		status: []choice{{200, 55}, {304, 45}}, median: 200 * time.Microsecond, size: [2]int{18000, 60000}},
	{method: "GET", weight: 22, path: func(b []byte, r *rand.Rand) []byte {
		b = append(append(b, "/static/img/products/"...), pick(r, slugs)...)
		b = appendNum(append(b, '-'), r, 1, 4)
		b = append(b, ".webp?w="...)
		return strconv.AppendInt(b, int64(320<<r.IntN(3)), 10)
	}, status: []choice{{200, 60}, {304, 40}}, median: 300 * time.Microsecond, size: [2]int{6000, 90000}},
	{method: "GET", weight: 3, path: lit("/favicon.ico"), status: []choice{{200, 40}, {304, 60}}, median: 100 * time.Microsecond, size: [2]int{4286, 4286}},
	{method: "GET", weight: 1, path: lit("/robots.txt"), status: ok200, median: 100 * time.Microsecond, size: [2]int{68, 68}},
	{method: "GET", weight: 1, path: lit("/apple-touch-icon.png"), status: []choice{{404, 1}}, median: 100 * time.Microsecond},
}

// probeEndpoint is what vulnerability scanners ask for; the web app says 404.
var probeEndpoint = endpoint{method: "GET", weight: 1, path: func(b []byte, r *rand.Rand) []byte { return append(b, pick(r, probes)...) },
	status: []choice{{404, 1}}, median: 3 * time.Millisecond, size: [2]int{9000, 9000}, pool: poolWeb}

// table is a weighted set of endpoints of one destination.
type table struct {
	endpoints []endpoint
	total     int
}

func newTable(p pool, eps []endpoint) *table {
	t := &table{endpoints: make([]endpoint, len(eps))}
	for i, e := range eps {
		e.pool = p
		for _, c := range e.status {
			e.total += c.weight
		}
		t.endpoints[i] = e
		t.total += e.weight
	}
	return t
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

// destination is where a request goes: an upstream pool or nginx's files.
type destination uint8

const (
	toAPI destination = iota
	toWeb
	toSearch
	toStatic
	toProbe
	numDestinations
)

var tables = [numDestinations]*table{
	toAPI:    newTable(poolAPI, apiEndpoints),
	toWeb:    newTable(poolWeb, webEndpoints),
	toSearch: newTable(poolSearch, searchEndpoints),
	toStatic: newTable(poolNone, staticEndpoints),
	toProbe:  newTable(poolWeb, []endpoint{probeEndpoint}),
}

func pickStatus(r *rand.Rand, e *endpoint) int {
	if len(e.status) == 1 {
		return e.status[0].status
	}
	n := r.IntN(e.total)
	for _, c := range e.status {
		n -= c.weight
		if n < 0 {
			return c.status
		}
	}
	return e.status[len(e.status)-1].status
}

// clientKind says what sort of client sends a request.
type clientKind uint8

const (
	browser clientKind = iota
	mobileApp
	service
	crawler
	scanner
	numKinds
)

// kindShare is how many clients of each kind there are, in percent.
var kindShare = [numKinds]int{browser: 62, mobileApp: 28, service: 4, crawler: 4, scanner: 2}

// visits are the destination weights of each kind of client.
var visits = [numKinds][numDestinations]int{
	browser:   {toAPI: 26, toWeb: 22, toSearch: 6, toStatic: 46},
	mobileApp: {toAPI: 78, toSearch: 16, toStatic: 6},
	service:   {toAPI: 100},
	crawler:   {toWeb: 70, toStatic: 30},
	scanner:   {toProbe: 85, toWeb: 15},
}

// agents are the User-Agent headers of each kind, as sent. Some carry a
// double quote, a backslash or UTF-8, which nginx escapes as \xHH.
var agents = [numKinds][]string{
	browser: {
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
		"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
		"Mozilla/5.0 (Linux; Android 13; SM-A536B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/442.0.0.33.113;]",
		`"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36"`,
	},
	mobileApp: {
		"ShopApp/4.12.0 (iPhone; iOS 17.2; Scale/3.00)",
		"ShopApp/4.12.0 (Android 14; SM-S911B)",
		"ShopApp/4.11.2 (iPhone; iOS 16.7.4; Scale/3.00)",
		"Tiendañ/2.3.1 CFNetwork/1410.0.3 Darwin/22.6.0",
	},
	service: {"Go-http-client/1.1", "python-requests/2.31.0", "curl/8.4.0", "okhttp/4.12.0"},
	crawler: {
		"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
		"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
		"Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
	},
	scanner: {
		"Mozilla/5.0 zgrab/0.x",
		"Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
		`() { :; }; echo; /bin/bash -c "echo \"vulnerable\""`,
		"-",
	},
}

// nginxEscape appends s as ngx_http_log_escape writes a variable.
func nginxEscape(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' || c == '\\' || c < 0x20 || c >= 0x7f {
			b = append(b, '\\', 'x', hex[c>>4], hex[c&0xf])
			continue
		}
		b = append(b, c)
	}
	return b
}

var referrers = []string{"https://www.google.com/", "https://duckduckgo.com/", "https://www.bing.com/", "android-app://com.google.android.gm/"}

const siteOrigin = "https://shop.example.com"

// client is one user agent at one address, with its keep-alive connection.
type client struct {
	ip     string
	ua     string // as nginx writes it
	kind   clientKind
	http2  bool
	page   []byte // the last page it loaded: the Referer of what follows
	conn   int64  // $connection of its open connection; 0 when none
	worker int    // the worker that accepted conn
	used   int64  // last use of conn, ns
	served int    // requests on conn (keepalive_requests 1000)
}

// numClients is how many clients send requests; a few send most of them.
// A shop this busy (about 400 requests a second) sees on the order of a
// hundred thousand addresses in the 83 minutes of a 2,000,000-line run;
// with a few thousand, every tool that keys on the client (GoAccess's
// hosts and visitors) has an easier time than on a real log.
const numClients = 100_000

func newClients(r *rand.Rand) []client {
	agents := newAgentCatalogue(r)
	cs := make([]client, numClients)
	for i := range cs {
		c := &cs[i]
		n := r.IntN(100)
		for k := range numKinds {
			if n -= kindShare[k]; n < 0 {
				c.kind = k
				break
			}
		}
		c.ip = clientAddr(r) // clients behind one NAT share an address
		c.ua = agents.pick(r, c.kind)
		c.http2 = (c.kind == browser || c.kind == mobileApp) && r.IntN(10) < 7
	}
	return cs
}

// clientAddr returns an address reserved for examples and benchmarks: one
// in eight clients comes over IPv6 (2001:db8::/32, RFC 3849); one in eight
// of the rest from the documentation nets of RFC 5737, and the others from
// 198.18.0.0/15, which RFC 2544 reserves for benchmark tests: RFC 5737's
// three /24s hold only 762 addresses.
func clientAddr(r *rand.Rand) string {
	if r.IntN(8) == 0 {
		return "2001:db8:" + strconv.FormatInt(int64(r.IntN(0x10000)), 16) + "::" + strconv.FormatInt(int64(1+r.IntN(0xfffe)), 16)
	}
	if r.IntN(8) == 0 {
		nets := [...]string{"192.0.2.", "198.51.100.", "203.0.113."}
		return nets[r.IntN(len(nets))] + strconv.Itoa(1+r.IntN(254))
	}
	n := r.IntN(1 << 17)
	return "198." + strconv.Itoa(18+n>>16) + "." + strconv.Itoa(n>>8&0xff) + "." + strconv.Itoa(max(1, n&0xff))
}
