package demo

import "time"

// The upstream servers, by index. servers[billing] is billing's only server;
// the bad-port scenario points nginx at wrongBillingAddr instead.
var servers = [...]struct {
	addr string
	pool pool
}{
	{"10.0.1.11:8080", poolAPI},
	{"10.0.1.12:8080", poolAPI},
	{"10.0.1.13:8080", poolAPI},
	{"10.0.1.14:8080", poolAPI},
	{"10.0.2.21:3000", poolWeb},
	{"10.0.2.22:3000", poolWeb},
	{"10.0.3.31:8080", poolBilling},
}

const (
	numServers       = len(servers)
	billing          = 6
	wrongBillingAddr = "10.0.3.31:8081"
)

// pool is an nginx upstream group and the location that proxies to it.
type pool uint8

const (
	poolAPI pool = iota
	poolWeb
	poolBilling
	numPools
)

var pools = [numPools]struct {
	host      string // server_name and Host header
	members   []int  // server indexes in configuration order
	tries     int    // attempts nginx may make (proxy_next_upstream_tries, capped by members)
	keepalive bool   // upstream keepalive: most attempts reuse a connection
}{
	poolAPI:     {"api.example.com", []int{0, 1, 2, 3}, 2, true},
	poolWeb:     {"shop.example.com", []int{4, 5}, 2, true},
	poolBilling: {"api.example.com", []int{billing}, 1, false},
}

// dbState is the health of api's database as the app sees it.
type dbState uint8

const (
	dbUp     dbState = iota
	dbBroken         // pooled connections to the dead primary fail on use: 500
	dbDown           // no database to connect to: the app sheds with 503
)

// world is the state of the simulated system at one moment of a scenario.
type world struct {
	traffic   float64             // multiplier on the ordinary request rate
	scraper   float64             // requests/s from the scraper bot
	loginBot  float64             // requests/s from the credential-stuffing bot
	down      [numServers]bool    // nothing listens: connect() is refused
	slow      [numServers]float64 // latency factor of the app's own work
	stall     [numServers]bool    // the process is frozen: nothing it starts finishes soon
	badHeader [numServers]bool    // server-rendered pages carry an invalid header
	inventory time.Duration       // median latency of the inventory service
	db        dbState
	shed      float64 // probability that an api server sheds a request with 503
	wrongPort bool    // nginx's billing upstream points at wrongBillingAddr
}

// normalInventory is the inventory service's usual median latency.
const normalInventory = 8 * time.Millisecond

func calm() world {
	w := world{traffic: 1, inventory: normalInventory}
	for i := range w.slow {
		w.slow[i] = 1
	}
	return w
}

// kill is an OOM kill of one server at an offset into the period.
type kill struct {
	server int
	at     time.Duration
}

// restartGap is how long a killed server refuses connections before its
// supervisor has it listening again.
const restartGap = 1500 * time.Millisecond

// plan is a scenario's behaviour: the world at each offset into its period,
// and the instants at which processes die.
type plan struct {
	at    func(s float64) world // s: seconds into the period
	kills []kill
}

// planFor returns the behaviour of the scenario with the given name; an
// unknown name behaves like the healthy baseline.
func planFor(name string) plan {
	switch name {
	case "deploy-crash":
		return plan{at: deployCrash}
	case "oom-kill":
		return plan{at: oomKill, kills: oomKills}
	case "db-failover":
		return plan{at: dbFailover}
	case "overload":
		return plan{at: overload}
	case "slow-dependency":
		return plan{at: slowDependency}
	case "bad-port":
		return plan{at: badPort}
	case "bad-header":
		return plan{at: badHeader}
	}
	return plan{at: healthy}
}

// ramp interpolates linearly from a at s0 to b at s1, holding outside.
func ramp(s, s0, s1, a, b float64) float64 {
	switch {
	case s <= s0:
		return a
	case s >= s1:
		return b
	}
	return a + (b-a)*(s-s0)/(s1-s0)
}

func healthy(s float64) world {
	w := calm()
	w.traffic = ramp(s, 20, 24, 1, 1.15) * ramp(s, 34, 40, 1, 1/1.15)
	return w
}

// deployCrash: each api server gets the crashing version 6 s after the
// previous one; the rollback brings them back one by one.
func deployCrash(s float64) world {
	w := calm()
	crash := [4]float64{10, 16, 22, 28}
	back := [4]float64{42, 44, 46, 48}
	for i := range crash {
		w.down[i] = s >= crash[i] && s < back[i]
	}
	return w
}

// oomKills kill one api server at a time, far enough apart that a retry
// never lands on a server that is itself down.
var oomKills = []kill{
	{2, 16 * time.Second},
	{0, 25 * time.Second},
	{3, 34 * time.Second},
	{1, 43 * time.Second},
}

// oomKill: a server slows down (garbage collection near the memory limit)
// from 8 s before its kill, freezes for the last 3 s, and refuses
// connections while it restarts.
func oomKill(s float64) world {
	w := calm()
	for _, k := range oomKills {
		at := k.at.Seconds()
		if s >= at-8 && s < at-3 {
			w.slow[k.server] = ramp(s, at-8, at-3, 1, 9)
		}
		w.stall[k.server] = w.stall[k.server] || s >= at-3 && s < at
		if s >= at && s < at+restartGap.Seconds() {
			w.down[k.server] = true
		}
	}
	return w
}

func dbFailover(s float64) world {
	w := calm()
	switch {
	case s >= 15 && s < 16.5:
		w.db = dbBroken
	case s >= 16.5 && s < 38:
		w.db = dbDown
	}
	return w
}

func overload(s float64) world {
	w := calm()
	w.traffic = ramp(s, 12, 16, 1, 1.6) * ramp(s, 44, 48, 1, 1/1.6)
	if s >= 14 && s < 48 {
		w.scraper = 40
	}
	if s >= 20 && s < 40 {
		w.loginBot = 8
	}
	w.shed = ramp(s, 16, 22, 0, 0.3) * ramp(s, 42, 46, 1, 0)
	busy := 1 + 2*(w.traffic-1)/0.6
	for _, i := range pools[poolAPI].members {
		w.slow[i] = busy
	}
	return w
}

func slowDependency(s float64) world {
	w := calm()
	sec := float64(time.Second)
	switch {
	case s >= 12 && s < 20:
		w.inventory = time.Duration(ramp(s, 12, 20, 0.05, 4) * sec)
	case s >= 20 && s < 44:
		w.inventory = 7 * time.Second
	case s >= 44 && s < 50:
		w.inventory = time.Duration(ramp(s, 44, 50, 7, 0.05) * sec)
	}
	return w
}

func badPort(s float64) world {
	w := calm()
	w.wrongPort = s >= 15 && s < 45
	return w
}

func badHeader(s float64) world {
	w := calm()
	w.badHeader[5] = s >= 15 && s < 45
	return w
}
