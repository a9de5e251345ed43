package demo

import "time"

// Period is how long one pass of a scenario's pattern lasts; a scenario that
// plays longer repeats it.
const Period = 60 * time.Second

// Every scenario's failures (its 5xx, its error-log lines) come between
// FailuresFrom and FailuresTo into its Period, and the lines before and
// after are ordinary traffic: a play shorter than Period cuts the
// incident, and one of 5 s has none of it.
const (
	FailuresFrom = 10 * time.Second
	FailuresTo   = 53 * time.Second
)

// Beat is one thing an operator would observe or be told while a scenario
// plays ("a rolling deploy of api starts"). Beats never give the answer.
type Beat struct {
	At   time.Duration // offset into the scenario's period
	Text string
}

// Scenario is one incident the demo can play.
type Scenario struct {
	Name    string // as given to --scenario
	Summary string // one line for --list; names the incident, so not shown before reveal
	// Narration is what happens in the system, in time order, offsets within
	// Period; it repeats with the pattern.
	Narration []Beat
	// Explanation says why the logs look as they do; shown after reveal.
	Explanation string
	// Causes are the cause names (classify's vocabulary) that the scenario's
	// 5xx responses should be classified as; empty for a scenario without 5xx.
	Causes []string
	// Period is how long one pass of the pattern lasts.
	Period time.Duration
}

// Scenarios returns every scenario in the order the demo loop plays them:
// the incidents first, the healthy baseline last. With the baseline first,
// "fivexx demo" showed a minute without a 5xx and "demo --write DIR
// --duration 60s" (README's practice command) wrote no incident at all.
func Scenarios() []Scenario {
	return []Scenario{
		{
			Name:    "deploy-crash",
			Summary: "a rolling deploy of api whose new version crashes at start-up",
			Narration: []Beat{
				{0, "steady traffic; api runs v2.13.2 on 10.0.1.11 to 10.0.1.14"},
				{10 * time.Second, "a rolling deploy of api v2.14.0 starts: the script restarts one server every 6 s and does not wait for health checks"},
				{28 * time.Second, "the deploy script prints \"deployed v2.14.0 to 4/4 servers\" and exits 0"},
				{34 * time.Second, "support: customers say their cart does not load"},
				{40 * time.Second, "on-call starts a rollback to v2.13.2"},
				{48 * time.Second, "the rollback has finished"},
			},
			Explanation: "v2.14.0 exits at start-up (a setting it needs is missing), so after each restart nothing " +
				"listened on :8080. nginx's connect() was refused: the error log says \"connect() failed (111: " +
				"Connection refused) while connecting to upstream\", uct and uht are \"-\", and there is no app line " +
				"because the request never reached the app. nginx retries a refused connect on the next server " +
				"(proxy_next_upstream error, tries 2), so while one server was down users got their answer anyway " +
				"(us=\"502, 200\"); once two or more were down both tries could hit dead servers and clients got 502 " +
				"(us=\"502, 502\"), worst when all four ran the new version. A deploy should wait for each server's " +
				"health check before moving on; the rollback fixed it.",
			Causes: []string{"upstream_refused"},
			Period: Period,
		},
		{
			Name:    "oom-kill",
			Summary: "api processes are OOM-killed one after another while serving requests",
			Narration: []Beat{
				{0, "steady traffic; api v2.13.2 has been up for two days"},
				{10 * time.Second, "the memory graphs of all api servers are close to their 512 MiB limit"},
				{14 * time.Second, "p99 latency of 10.0.1.13 climbs past a second"},
				{22 * time.Second, "api latency spikes again, this time on another server"},
				{31 * time.Second, "and again, on yet another server"},
				{50 * time.Second, "the uptime of every api server is below a minute"},
			},
			Explanation: "A memory leak let each api process grow until the kernel's OOM killer sent it SIGKILL " +
				"(that shows in dmesg or the journal, not in app.log). Before each kill the process slowed down, " +
				"garbage-collecting under memory pressure, so many requests were in flight when it died. nginx saw " +
				"the connection close before a response header: \"upstream prematurely closed connection while " +
				"reading response header from upstream\" (or \"recv() failed (104: Connection reset by peer)\" when " +
				"request data was still unread), uct set and uht \"-\". The app logged \"request started\" for those " +
				"requests and never \"request finished\". nginx retried GET, PUT and DELETE on another server " +
				"(us=\"502, 200\") but never retries a POST it has already sent, so POSTs got 502. For a moment " +
				"after each kill the restarting server refused connections, and those attempts were retried too. " +
				"Fix the leak and watch restart counts; a memory limit with headroom (GOMEMLIMIT) makes it degrade " +
				"instead of die.",
			Causes: []string{"upstream_reset"},
			Period: Period,
		},
		{
			Name:    "db-failover",
			Summary: "the primary database goes down; api sheds requests with 503 until a replica is promoted",
			Narration: []Beat{
				{0, "steady traffic; api uses the PostgreSQL primary at 10.0.5.10"},
				{15 * time.Second, "alert: PostgreSQL on 10.0.5.10 is down"},
				{20 * time.Second, "the cluster manager starts promoting the replica 10.0.5.11"},
				{38 * time.Second, "the replica is promoted; the database address now points to 10.0.5.11"},
				{50 * time.Second, "a new standby is being set up"},
			},
			Explanation: "When the primary died, queries on already-open pool connections failed and the app " +
				"answered 500 (\"query failed: ... connection reset by peer\"): app errors, the app did answer and " +
				"uht is a number. From then on it answered 503 with Retry-After: 5 on purpose, logging \"database " +
				"unavailable: dial tcp 10.0.5.10:5432: connect: connection refused\". nginx passed those answers " +
				"through (us=503, uht numeric) and its error log stayed empty: no proxy failure at all. Endpoints " +
				"that need no database (CORS preflights, the web pages, billing) kept working, and the 503s stopped " +
				"once the replica was promoted. This is load shedding working as designed: fix the database, not " +
				"the proxy.",
			Causes: []string{"app_unavailable", "app_error"},
			Period: Period,
		},
		{
			Name:    "overload",
			Summary: "a flash sale plus two bots: nginx rate-limits, api sheds load",
			Narration: []Beat{
				{0, "steady traffic"},
				{12 * time.Second, "a flash sale starts; the campaign e-mail goes out to two million subscribers"},
				{14 * time.Second, "203.0.113.77 starts fetching product listings as fast as it can"},
				{20 * time.Second, "logins from 198.51.100.23 spike, each with a different user name"},
				{30 * time.Second, "api CPU is at 100% on all four servers"},
				{44 * time.Second, "the first wave of the flash sale is over"},
			},
			Explanation: "Three different things said no. nginx's own limiter (limit_req zone=api, 20 r/s per " +
				"client, burst 20) rejected the scraper with 503, nginx's default limit_req_status: ua and us are " +
				"\"-\" because no upstream was contacted, the error log says \"limiting requests, excess: 20.xxx by " +
				"zone \"api\"\", and there is no app line. /api/login sets limit_req_status 429, so the " +
				"credential-stuffing bot got 429 (a 4xx, not counted as a 5xx). And the api servers, out of CPU, " +
				"shed load themselves: 503 with Retry-After: 1 from the app (us=503, uht numeric, app lines " +
				"\"shedding load\"). Same status code, two causes: the upstream fields tell them apart.",
			Causes: []string{"proxy_rejected", "app_unavailable"},
			Period: Period,
		},
		{
			Name:    "slow-dependency",
			Summary: "the inventory service slows down; api calls that need it time out at the proxy",
			Narration: []Beat{
				{0, "steady traffic"},
				{12 * time.Second, "the inventory team starts re-indexing the stock database"},
				{20 * time.Second, "the inventory service's dashboard shows a median latency above 5 s"},
				{44 * time.Second, "the re-index finishes"},
			},
			Explanation: "Product, cart, order and checkout endpoints call the inventory service (10.0.5.20:9000). " +
				"When it took 5 to 10 s, api waited, and nginx gave up after proxy_read_timeout 5s: 504, uht \"-\", " +
				"urt about 5.00, error log \"upstream timed out (110: Connection timed out) while reading response " +
				"header from upstream\". The app never knew: it logged \"request finished\" with status 200 and a " +
				"duration over 5000 ms, after nginx had already answered 504. nginx retried GETs on another server, " +
				"which was just as slow (us=\"504, 504\" after 10 s); POSTs are not retried. Endpoints without the " +
				"dependency stayed fast. Give the app's own dependency timeout a value below the proxy's, or add a " +
				"circuit breaker.",
			Causes: []string{"upstream_timeout"},
			Period: Period,
		},
		{
			Name:    "bad-port",
			Summary: "an nginx config change points billing at the wrong port",
			Narration: []Beat{
				{0, "steady traffic; billing runs on 10.0.3.31"},
				{15 * time.Second, "a change to the billing upstream block is deployed and nginx is reloaded"},
				{16 * time.Second, "the reload succeeded; nginx -t reported no errors"},
				{30 * time.Second, "finance reports that invoices do not load"},
				{45 * time.Second, "the config change is reverted and nginx is reloaded again"},
			},
			Explanation: "The change set billing_backend to 10.0.3.31:8081, but billing listens on 8080. Every " +
				"/billing/ request failed at connect(): \"connect() failed (111: Connection refused)\", uct and uht " +
				"\"-\", no app line, always the same upstream address. billing_backend has a single server, so " +
				"nginx had nothing to retry on and the failure was constant rather than bursty, while api and web " +
				"were untouched. nginx -t checks the syntax, not whether anything listens at an address. Note the " +
				"worker PIDs in the error log change at each reload.",
			Causes: []string{"upstream_refused"},
			Period: Period,
		},
		{
			Name:    "bad-header",
			Summary: "a canary release of web sends an invalid response header",
			Narration: []Beat{
				{0, "steady traffic; web runs v5.2.0 on 10.0.2.21 and 10.0.2.22"},
				{15 * time.Second, "web v5.3.0 goes out as a canary on 10.0.2.22; it adds render-time instrumentation"},
				{25 * time.Second, "the canary's own dashboard is green: no errors, normal latency"},
				{45 * time.Second, "the canary is rolled back"},
			},
			Explanation: "v5.3.0 added a response header with a space in its name (\"X-Render Time\") to " +
				"server-rendered pages. nginx rejects such a response: 502, error log \"upstream sent invalid " +
				"header: \"X-Render\\x20...\" while reading response header from upstream\", uct set and uht \"-\" " +
				"(a header arrived but was not valid). The app logged \"request finished\" with status 200: as far " +
				"as it knew, it answered. nginx does not retry an invalid header by default (proxy_next_upstream " +
				"error timeout), so about half of the page views failed, and only pages: static files from the " +
				"same server carry no such header. Fix the header name.",
			Causes: []string{"upstream_bad_response"},
			Period: Period,
		},
		{
			Name:    "healthy",
			Summary: "baseline: ordinary traffic, no 5xx",
			Narration: []Beat{
				{0, "a normal weekday afternoon: about 90 requests/s to shop.example.com and api.example.com"},
				{20 * time.Second, "marketing sends the weekly newsletter; a few more people browse the shop"},
				{40 * time.Second, "nothing is being deployed; on-call is reviewing dashboards"},
			},
			Explanation: "Nothing is wrong: this is what the logs look like when everything works. " +
				"Pages and API calls answer 2xx, cached static files 304, and clients get 4xx when they are not " +
				"logged in, ask for a product that does not exist or probe for /wp-login.php. There is no 5xx and " +
				"no error-log line, and every proxied request has a \"request started\" and a \"request finished\" " +
				"app line with the request id nginx forwarded. Compare the other scenarios with this one.",
			Period: Period,
		},
	}
}

// Lookup returns the scenario with the given name.
func Lookup(name string) (Scenario, bool) {
	for _, s := range Scenarios() {
		if s.Name == name {
			return s, true
		}
	}
	return Scenario{}, false
}

// period returns the length of one pass of s's pattern.
func (s Scenario) period() time.Duration {
	if s.Period > 0 {
		return s.Period
	}
	return Period
}
