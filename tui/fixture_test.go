package tui

import (
	"fmt"
	"sync"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// fakeSource serves a fixed snapshot and records the windows asked for.
type fakeSource struct {
	mu      sync.Mutex
	snap    *classify.Snapshot
	windows []time.Duration
}

func newFakeSource(s *classify.Snapshot) *fakeSource { return &fakeSource{snap: s} }

func (f *fakeSource) Snapshot() *classify.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.snap
}

func (f *fakeSource) SetWindow(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.windows = append(f.windows, d)
}

func (f *fakeSource) set(s *classify.Snapshot) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.snap = s
}

func (f *fakeSource) windowsAsked() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.windows...)
}

// fakeReplay is a fakeSource that also implements ReplayControl.
type fakeReplay struct {
	*fakeSource
	mu    sync.Mutex
	state ReplayState
	calls []string
}

func (r *fakeReplay) record(call string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call)
}

func (r *fakeReplay) TogglePause() { r.record("pause") }
func (r *fakeReplay) Faster()      { r.record("faster") }
func (r *fakeReplay) Slower()      { r.record("slower") }
func (r *fakeReplay) NextFivexx()  { r.record("next") }
func (r *fakeReplay) Suspend()     { r.record("suspend") }
func (r *fakeReplay) Resume()      { r.record("resume") }
func (r *fakeReplay) State() ReplayState {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state
}

func (r *fakeReplay) callsMade() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

// logNow is the fixture's log clock.
var logNow = time.Date(2024, 1, 2, 3, 4, 5, 250e6, time.UTC)

// fixtureStrings are the log-derived strings of the fixture, replaced by
// hostile ones in the sanitizer test.
type fixtureStrings struct {
	accessPath, errorPath, appPath string
	upstream1                      string
	path                           string
	requestID                      string
	sample                         string
	rawSuffix                      string
	advice                         string
}

var plainStrings = fixtureStrings{
	accessPath: "/var/log/nginx/access.log",
	errorPath:  "/var/log/nginx/error.log",
	appPath:    "/srv/orders/app.log",
	upstream1:  "10.0.0.1:8080",
	path:       "/api/orders?id=42",
	requestID:  "9f2c1a7e4b3d5a60",
	sample:     "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 400 garbage",
	advice:     "the proxy log has no $upstream_header_time: app_error and upstream_reset are told apart by guess",
}

// fixtureSnapshot builds a realistic snapshot: four inputs-worth of traffic
// on six upstreams, a burst of refused connections on one, verdicts with
// evidence and timelines.
func fixtureSnapshot(fs fixtureStrings) *classify.Snapshot {
	s := &classify.Snapshot{
		LogNow:  logNow,
		Wall:    time.Date(2024, 1, 2, 3, 4, 7, 0, time.UTC),
		Window:  5 * time.Minute,
		Pending: 3,
		First:   logNow.Add(-42 * time.Minute),
		Last:    logNow,
	}
	s.Inputs = []classify.InputStatus{
		{Path: fs.accessPath, Role: sources.RoleProxy, Format: "nginx-upstream", State: "following",
			Lines: 123456, Parsed: 123450, Unparsed: 6, LinesPerSec: 412.5, LastLine: logNow.Add(-200 * time.Millisecond),
			Samples: []string{fs.sample}},
		{Path: fs.errorPath, Role: sources.RoleProxyErrors, Format: "nginx-error", State: "following",
			Lines: 2100, Parsed: 2100, LinesPerSec: 3.2, LastLine: logNow.Add(-1500 * time.Millisecond)},
		{Path: fs.appPath, Role: sources.RoleApp, Format: "json", State: "rotated",
			Lines: 98000, Parsed: 98000, LinesPerSec: 310, LastLine: logNow.Add(-800 * time.Millisecond)},
	}
	s.Windowed = classify.Counts{
		Requests: 120000,
		Status:   map[int]int64{200: 116500, 404: 1265, 429: 60, 500: 40, 502: 1830, 503: 210, 504: 95},
		Causes: map[classify.Cause]int64{
			classify.UpstreamRefused: 1210, classify.UpstreamReset: 420, classify.NoHealthyUpstream: 200,
			classify.ProxyRejected: 150, classify.UpstreamTimeout: 95, classify.AppUnavailable: 60, classify.AppError: 40,
		},
	}
	s.Total = s.Windowed
	s.Total.Requests = 1000000
	for i := 0; i < 300; i++ {
		b := classify.Bucket{Time: logNow.Add(time.Duration(i-299) * time.Second), Requests: int64(380 + (i*37)%41)}
		if i >= 240 {
			b.S502 = int64(20 + (i*7)%11)
		} else if i%9 == 0 {
			b.S502 = 2
		}
		if i%13 == 0 {
			b.S503 = 4
		}
		if i%29 == 0 {
			b.S504 = 3
		}
		if i%31 == 0 {
			b.S500 = 1
		}
		if i > 100 && i < 130 {
			b.S429 = 2
		}
		b.S5xx = b.S500 + b.S502 + b.S503 + b.S504
		s.Series = append(s.Series, b)
	}
	s.Upstreams = []classify.UpstreamStats{
		upstream(fs.upstream1, 54000, 180.2, map[int]int64{502: 1210}, classify.UpstreamRefused, 1840, 1300, 0),
		upstream("10.0.0.2:8080", 45000, 150.4, map[int]int64{500: 40, 502: 420, 504: 95}, classify.UpstreamReset, 30120, 560, 280),
		upstream("10.0.0.3:8080", 21000, 70.1, map[int]int64{503: 60}, classify.AppUnavailable, 220, 64, 64),
		upstream("backend_pool", 200, 0.7, map[int]int64{502: 200}, classify.NoHealthyUpstream, -1, 210, 0),
		upstream("-", 600, 2.0, map[int]int64{503: 150, 429: 60}, classify.ProxyRejected, -1, 150, 0),
		upstream("10.0.0.4:8080", 9000, 30.0, nil, "", 95, 0, 0),
	}
	s.Recent = fixtureVerdicts(fs)
	s.Advice = []classify.Advice{
		{Problem: "no request id in the proxy log: app lines are matched by time (low confidence)",
			Fix: "log_format main '... rid=$request_id'; proxy_set_header X-Request-ID $request_id;"},
		{Problem: fs.advice, Fix: "add ht=$upstream_header_time to the log_format"},
	}
	s.Alerts = []classify.Alert{
		{Time: logNow.Add(-90 * time.Second), Status: 504, Count: 12, Span: 30 * time.Second, Factor: 4,
			Text: "504 ×12 in the last 30 s on 10.0.0.2:8080 — upstream_timeout"},
		{Time: logNow.Add(-20 * time.Second), Upstream: fs.upstream1, Status: 502, Count: 412, Span: 30 * time.Second,
			Factor: 37, Text: "502 ×412 in the last 30 s on " + fs.upstream1 + " — upstream_refused"},
	}
	return s
}

func upstream(name string, reqs int64, rps float64, status map[int]int64, dom classify.Cause, p99 float64, fivexx, withApp int64) classify.UpstreamStats {
	c := classify.Counts{Requests: reqs, Status: status}
	return classify.UpstreamStats{Name: name, Total: c, Windowed: c, ReqPerSec: rps, P50: p99 / 8, P95: p99 / 2, P99: p99,
		Fivexx: fivexx, FivexxWithApp: withApp, WindowFivexx: fivexx, WindowFivexxWithApp: withApp, DominantCause: dom}
}

// fixtureVerdicts are the recent verdicts, oldest first.
func fixtureVerdicts(fs fixtureStrings) []*classify.Verdict {
	type spec struct {
		ago      time.Duration
		upstream string
		status   int
		cause    classify.Cause
		detail   string
		conf     classify.Confidence
		method   string
		path     string
		id       string
		errMsg   string
		app      string
	}
	specs := []spec{
		{95 * time.Second, "10.0.0.2:8080", 504, classify.UpstreamTimeout, "read", classify.High, "GET", "/api/report?from=2023-12-01", "1b7e0c55aa01",
			"upstream timed out (110: Connection timed out) while reading response header from upstream", ""},
		{61 * time.Second, "-", 503, classify.ProxyRejected, "rate_limited", classify.High, "POST", "/api/login", "",
			"limiting requests, excess: 20.500 by zone \"perip\"", ""},
		{40 * time.Second, "10.0.0.3:8080", 503, classify.AppUnavailable, "", classify.Medium, "GET", "/api/stock/991", "77aa00c3e9f1",
			"", `{"time":"2024-01-02T03:03:25.240Z","level":"warn","msg":"maintenance mode: refusing request","request_id":"77aa00c3e9f1","status":503}`},
		{30 * time.Second, "10.0.0.2:8080", 502, classify.UpstreamReset, "", classify.High, "POST", "/api/checkout", "c0ffee00d15e",
			"upstream prematurely closed connection while reading response header from upstream", ""},
		{12 * time.Second, "10.0.0.2:8080", 500, classify.AppError, "", classify.Low, "POST", "/api/checkout", "",
			"", `{"time":"2024-01-02T03:03:53.180Z","level":"error","msg":"db: too many connections","method":"POST","path":"/api/checkout","status":500,"duration":0.412}`},
		{5 * time.Second, "backend_pool", 502, classify.NoHealthyUpstream, "", classify.High, "GET", "/healthz", "",
			"no live upstreams while connecting to upstream", ""},
		{2 * time.Second, fs.upstream1, 502, classify.UpstreamRefused, "connect", classify.High, "GET", "/api/cart", "5e5e0a0b0c0d",
			"connect() failed (111: Connection refused) while connecting to upstream", ""},
		{250 * time.Millisecond, fs.upstream1, 502, classify.UpstreamRefused, "connect", classify.High, "GET", fs.path, fs.requestID,
			"connect() failed (111: Connection refused) while connecting to upstream", ""},
	}
	var out []*classify.Verdict
	for _, sp := range specs {
		t := logNow.Add(-sp.ago)
		id := sp.id
		rid := id
		if rid == "" {
			rid = "-"
		}
		ua, us, ht, up := sp.upstream, fmt.Sprint(sp.status), "-", sp.upstream
		if sp.upstream == "-" {
			// No upstream contacted: the parsers leave Upstream empty,
			// the stats count it in the row "-".
			ua, us, up = "-", "-", ""
		}
		if sp.cause == classify.AppUnavailable || sp.cause == classify.AppError {
			ht = "0.038"
		}
		raw := fmt.Sprintf(`10.1.2.3 - - [%s] "%s %s HTTP/1.1" %d 157 "-" "curl/8.4.0" rt=0.001 ua="%s" us="%s" ht="%s" rid=%s%s`,
			t.Format("02/Jan/2006:15:04:05 -0700"), sp.method, sp.path, sp.status, ua, us, ht, rid, fs.rawSuffix)
		e := &sources.ProxyEntry{Time: t, Client: "10.1.2.3", Method: sp.method, Path: sp.path, Proto: "HTTP/1.1",
			Status: sp.status, BodyBytes: 157, RequestTime: 0.001, RequestID: id, Upstream: up,
			UpstreamAddr: []string{ua}, UpstreamStatus: []string{us}, UpstreamStatusRaw: us, Raw: raw}
		v := &classify.Verdict{Entry: e, Source: fs.accessPath, Cause: sp.cause, Detail: sp.detail, Confidence: sp.conf,
			Hint: sp.cause.Summary(), ErrorLog: true, AppLog: true} // the inputs read both
		v.Timeline.Append(classify.TimelineLine{Time: t.Add(-1200 * time.Millisecond), Source: fs.accessPath,
			Role: sources.RoleProxy, Raw: `10.1.2.9 - - [02/Jan/2024:03:04:04 +0000] "GET /static/app.js HTTP/1.1" 200 5120 "-" "Mozilla/5.0" rt=0.002 ua="10.0.0.4:8080" us="200" ht="0.002" rid=-`})
		if sp.errMsg != "" {
			pe := &sources.ProxyError{Time: t, Level: "error", Conn: "5678", Message: sp.errMsg, Client: "10.1.2.3",
				Request: sp.method + " " + sp.path + " HTTP/1.1", Method: sp.method, Path: sp.path,
				Raw: fmt.Sprintf(`%s [error] 1234#1234: *5678 %s, client: 10.1.2.3, server: shop.example.com, request: "%s %s HTTP/1.1", upstream: "http://%s%s", host: "shop.example.com"%s`,
					t.Format("2006/01/02 15:04:05"), sp.errMsg, sp.method, sp.path, sp.upstream, sp.path, fs.rawSuffix)}
			v.ErrorLines = []*sources.ProxyError{pe}
			v.Evidence = append(v.Evidence, "error log: "+sp.errMsg)
			v.Timeline.Append(classify.TimelineLine{Time: t, Source: fs.errorPath, Role: sources.RoleProxyErrors, Raw: pe.Raw, Matched: true})
		}
		v.Evidence = append(v.Evidence, fmt.Sprintf("status %d, upstream status %s, no upstream header time", sp.status, us))
		v.Timeline.Append(classify.TimelineLine{Time: t, Source: fs.accessPath, Role: sources.RoleProxy, Raw: raw, Matched: true})
		if sp.app != "" {
			a := &sources.AppEntry{Time: t.Add(-40 * time.Millisecond), Level: "error", Message: "app line", RequestID: id, Raw: sp.app + fs.rawSuffix}
			v.AppLines = []*sources.AppEntry{a}
			v.MatchedBy = "request_id"
			if id == "" {
				v.MatchedBy = "time_window"
			}
			v.Timeline.Append(classify.TimelineLine{Time: a.Time, Source: fs.appPath, Role: sources.RoleApp, Raw: a.Raw, Matched: true})
		} else {
			v.Evidence = append(v.Evidence, "app: no app line within ±2 s")
		}
		v.Timeline.Append(classify.TimelineLine{Time: t.Add(900 * time.Millisecond), Source: fs.appPath, Role: sources.RoleApp,
			Raw: `{"time":"2024-01-02T03:04:06.150Z","level":"info","msg":"GET /api/stock/12 200","duration":0.004}`})
		out = append(out, v)
	}
	return out
}
