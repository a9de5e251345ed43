package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// This file reads the generated logs back, independently of the generator:
// layouts as regular expressions (checked against lines real nginx 1.22.1
// wrote), JSON for the app, and an index of one run for the signature tests.

var (
	accessLayout = regexp.MustCompile(`^(\d{1,3}(?:\.\d{1,3}){3}) - - \[(\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] ` +
		`"([A-Z]+) (/\S*) (HTTP/(?:1\.0|1\.1|2\.0))" (\d{3}) (\d+) "([^"]*)" "([^"]*)" rt=(\d+\.\d{3}) ` +
		`uct="([^"]*)" uht="([^"]*)" urt="([^"]*)" ua="([^"]*)" us="([^"]*)" rid=([0-9a-f]{32}) cid=(\d+)$`)
	errorLayout = regexp.MustCompile(`^(\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}) \[error\] (\d+)#(\d+): \*(\d+) (.+?), ` +
		`client: (\d{1,3}(?:\.\d{1,3}){3}), server: ([a-z0-9.]+), request: "([A-Z]+ /\S* HTTP/[0-9.]+)"` +
		`(?:, upstream: "(http://[^"]+)")?, host: "([^"]+)"(?:, referrer: "([^"]+)")?$`)
	seconds  = regexp.MustCompile(`^(?:-|\d+\.\d{3})$`)
	peer     = regexp.MustCompile(`^(?:-|\d{1,3}(?:\.\d{1,3}){3}:\d+)$`)
	upStatus = regexp.MustCompile(`^(?:-|\d{3})$`)
)

// accessRec is one parsed access line.
type accessRec struct {
	line                  Line
	client, method, uri   string
	proto, referer, agent string
	status, bytes         int
	rt                    time.Duration
	uct, uht, urt, ua, us []string
	rid                   string
	cid                   int64
	timeText              string
}

func (a *accessRec) request() string { return a.method + " " + a.uri + " " + a.proto }

func parseSeconds(s string) (time.Duration, error) {
	f, err := strconv.ParseFloat(s, 64)
	return time.Duration(f*1000+0.5) * time.Millisecond, err
}

func parseAccess(l Line) (accessRec, error) {
	m := accessLayout.FindStringSubmatch(l.Text)
	if m == nil {
		return accessRec{}, fmt.Errorf("access layout does not match")
	}
	a := accessRec{line: l, client: m[1], timeText: m[2], method: m[3], uri: m[4], proto: m[5],
		referer: m[8], agent: m[9], rid: m[16]}
	a.status, _ = strconv.Atoi(m[6])
	a.bytes, _ = strconv.Atoi(m[7])
	a.rt, _ = parseSeconds(m[10])
	a.cid, _ = strconv.ParseInt(m[17], 10, 64)
	lists := []*[]string{&a.uct, &a.uht, &a.urt, &a.ua, &a.us}
	checks := []*regexp.Regexp{seconds, seconds, seconds, peer, upStatus}
	for i, dst := range lists {
		*dst = strings.Split(m[11+i], ", ")
		for _, v := range *dst {
			if !checks[i].MatchString(v) {
				return accessRec{}, fmt.Errorf("upstream field %d: bad value %q", i, v)
			}
		}
		if len(*dst) != len(a.uct) {
			return accessRec{}, fmt.Errorf("upstream lists differ in length: %q", l.Text)
		}
	}
	return a, nil
}

// errorRec is one parsed error-log line.
type errorRec struct {
	line                     Line
	timeText                 string
	pid, cid                 int64
	msg, client, server, req string
	upstream, host, referrer string
}

func parseError(l Line) (errorRec, error) {
	m := errorLayout.FindStringSubmatch(l.Text)
	if m == nil {
		return errorRec{}, fmt.Errorf("error-log layout does not match")
	}
	if m[2] != m[3] {
		return errorRec{}, fmt.Errorf("pid %s and tid %s differ", m[2], m[3])
	}
	e := errorRec{line: l, timeText: m[1], msg: m[5], client: m[6], server: m[7], req: m[8],
		upstream: m[9], host: m[10], referrer: m[11]}
	e.pid, _ = strconv.ParseInt(m[2], 10, 64)
	e.cid, _ = strconv.ParseInt(m[4], 10, 64)
	return e, nil
}

// appRec is one app line; the decoder rejects keys the layout does not have.
type appRec struct {
	line       Line
	Time       string   `json:"time"`
	Level      string   `json:"level"`
	Msg        string   `json:"msg"`
	RequestID  string   `json:"request_id"`
	Method     string   `json:"method"`
	Path       string   `json:"path"`
	Status     *int     `json:"status"`
	DurationMs *float64 `json:"duration_ms"`
	Instance   string   `json:"instance"`
}

func parseApp(l Line) (appRec, error) {
	var a appRec
	d := json.NewDecoder(bytes.NewReader([]byte(l.Text)))
	d.DisallowUnknownFields()
	if err := d.Decode(&a); err != nil {
		return appRec{}, err
	}
	if d.More() {
		return appRec{}, fmt.Errorf("more than one JSON value")
	}
	switch {
	case a.Time == "" || a.Level == "" || a.Msg == "" || a.RequestID == "" || a.Method == "" || a.Path == "" || a.Instance == "":
		return appRec{}, fmt.Errorf("missing key")
	case (a.Msg == "request finished") != (a.Status != nil && a.DurationMs != nil):
		return appRec{}, fmt.Errorf("status and duration_ms belong to finished lines only")
	}
	a.line = l
	return a, nil
}

// run is one generated run, parsed and indexed.
type run struct {
	lines  []Line
	access []accessRec
	errors []errorRec
	app    []appRec
	byRID  map[string][]appRec    // app lines by request id
	errsBy map[string][]errorRec  // error lines by "cid request"
	accBy  map[string][]accessRec // access lines by "cid request"
}

// generate runs g up to until and parses every line.
func generate(t testing.TB, g *Generator, until time.Time) *run {
	t.Helper()
	return generateSkipping(t, g, until, 0)
}

// generateSkipping is generate that does not parse the lines of one stream
// (App: the slowest to parse) when a test does not need them.
func generateSkipping(t testing.TB, g *Generator, until time.Time, skip Stream) *run {
	t.Helper()
	r := &run{lines: g.Until(until), byRID: map[string][]appRec{}, errsBy: map[string][]errorRec{},
		accBy: map[string][]accessRec{}}
	for _, l := range r.lines {
		if l.Stream == skip {
			continue
		}
		switch l.Stream {
		case Access:
			a, err := parseAccess(l)
			if err != nil {
				t.Fatalf("%v: %s", err, l.Text)
			}
			r.access = append(r.access, a)
			k := strconv.FormatInt(a.cid, 10) + " " + a.request()
			r.accBy[k] = append(r.accBy[k], a)
		case Errors:
			e, err := parseError(l)
			if err != nil {
				t.Fatalf("%v: %s", err, l.Text)
			}
			r.errors = append(r.errors, e)
			k := strconv.FormatInt(e.cid, 10) + " " + e.req
			r.errsBy[k] = append(r.errsBy[k], e)
		case App:
			a, err := parseApp(l)
			if err != nil {
				t.Fatalf("%v: %s", err, l.Text)
			}
			r.app = append(r.app, a)
			r.byRID[a.RequestID] = append(r.byRID[a.RequestID], a)
		default:
			t.Fatalf("line with stream %d: %s", l.Stream, l.Text)
		}
	}
	return r
}

// errorsFor returns the error lines about a's request: same connection,
// same request line, within the request's time (a keep-alive connection
// may carry the same request line many times).
func (r *run) errorsFor(a *accessRec) []errorRec {
	begin := a.line.Time.Add(-a.rt - time.Millisecond)
	var out []errorRec
	for _, e := range r.errsBy[strconv.FormatInt(a.cid, 10)+" "+a.request()] {
		if !e.line.Time.Before(begin) && !e.line.Time.After(a.line.Time) {
			out = append(out, e)
		}
	}
	return out
}

// requestOf returns the access line of the request an error line is about:
// same connection and request line, and the error falls within the request.
func (r *run) requestOf(e *errorRec) *accessRec {
	for i, a := range r.accBy[strconv.FormatInt(e.cid, 10)+" "+e.req] {
		begin := a.line.Time.Add(-a.rt - time.Millisecond)
		if !e.line.Time.Before(begin) && !e.line.Time.After(a.line.Time) {
			return &r.accBy[strconv.FormatInt(e.cid, 10)+" "+e.req][i]
		}
	}
	return nil
}

// cause classifies a 5xx access line the way formats.md §1.6 and §2.2 say:
// upstream fields first, the error log for the 502s.
func (r *run) cause(a *accessRec) string {
	last := len(a.us) - 1
	switch {
	case a.status < 500:
		return ""
	case a.us[last] == "-" && a.ua[last] == "-":
		return "proxy_rejected"
	case a.uht[last] != "-" && a.status == 503:
		return "app_unavailable"
	case a.uht[last] != "-":
		return "app_error"
	case a.status == 504:
		return "upstream_timeout"
	}
	for _, e := range r.errorsFor(a) {
		if !strings.HasPrefix(e.upstream, "http://"+a.ua[last]+"/") {
			continue
		}
		switch {
		case strings.Contains(e.msg, "(111: Connection refused)"):
			return "upstream_refused"
		case strings.Contains(e.msg, "prematurely closed"), strings.Contains(e.msg, "(104: Connection reset by peer)"):
			return "upstream_reset"
		case strings.HasPrefix(e.msg, "upstream sent invalid header"):
			return "upstream_bad_response"
		}
	}
	return "unknown"
}

// finished returns the "request finished" lines of a request id.
func (r *run) finished(rid string) []appRec {
	var out []appRec
	for _, a := range r.byRID[rid] {
		if a.Msg == "request finished" {
			out = append(out, a)
		}
	}
	return out
}

func (r *run) started(rid string) []appRec {
	var out []appRec
	for _, a := range r.byRID[rid] {
		if a.Msg == "request started" {
			out = append(out, a)
		}
	}
	return out
}

// Lines nginx 1.22.1 wrote here with the demo's log_format, for the failures
// the demo simulates (127.0.0.1 backends: refused, closed, reset, slow,
// invalid header, app 503, limit_req).
var realAccess = []string{
	`127.0.0.1 - - [21/Nov/2026:07:13:44 +0000] "GET /refused HTTP/1.1" 502 157 "-" "curl/7.88.1" rt=0.000 uct="-" uht="-" urt="0.000" ua="127.0.0.1:18082" us="502" rid=8ab3e5c273618d803377c4c0176d9a07 cid=3`,
	`127.0.0.1 - - [21/Nov/2026:07:13:44 +0000] "GET /closed HTTP/1.1" 502 157 "-" "curl/7.88.1" rt=0.000 uct="0.000" uht="-" urt="0.000" ua="127.0.0.1:18083" us="502" rid=01413fae6eaedf2ea6574966dc6d434c cid=5`,
	`127.0.0.1 - - [21/Nov/2026:07:13:45 +0000] "GET /slow HTTP/1.1" 504 167 "-" "curl/7.88.1" rt=1.001 uct="0.000" uht="-" urt="1.001" ua="127.0.0.1:18085" us="504" rid=b0a481412619ab01f157278b60d6de76 cid=9`,
	`127.0.0.1 - - [21/Nov/2026:07:13:45 +0000] "GET /app503 HTTP/1.1" 503 33 "-" "curl/7.88.1" rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="127.0.0.1:18087" us="503" rid=8eefafc2d6fa187ca0243dc2d0ea94ad cid=13`,
	`127.0.0.1 - - [21/Nov/2026:07:15:49 +0000] "GET /ro?x=1 HTTP/1.1" 200 12 "-" "curl/7.88.1" rt=0.001 uct="0.001, 0.000" uht="-, 0.000" urt="0.001, 0.000" ua="127.0.0.1:28083, 127.0.0.1:28081" us="502, 200" rid=fe9368dddf9fef2b68166982a63b0768 cid=1`,
	`127.0.0.1 - - [21/Nov/2026:07:15:51 +0000] "GET /ss HTTP/1.1" 504 167 "-" "curl/7.88.1" rt=2.002 uct="0.000, 0.000" uht="-, -" urt="1.001, 1.002" ua="127.0.0.1:28085, 127.0.0.2:28085" us="504, 504" rid=aac0f793b05284df119c937d533bd013 cid=8`,
	`127.0.0.1 - - [21/Nov/2026:07:15:53 +0000] "GET /rr HTTP/1.1" 502 157 "-" "curl/7.88.1" rt=0.000 uct="-, -" uht="-, -" urt="0.000, 0.000" ua="127.0.0.1:28082, 127.0.0.2:28082" us="502, 502" rid=9b7d77a1ee0dab73e9cb2206756c389c cid=22`,
	`127.0.0.1 - - [21/Nov/2026:07:13:45 +0000] "GET /limited HTTP/1.1" 503 197 "-" "curl/7.88.1" rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=078c11c9432ece92674af7ddd85228c8 cid=43`,
	`127.0.0.1 - - [21/Nov/2026:07:13:45 +0000] "GET /limited429 HTTP/1.1" 429 169 "-" "curl/7.88.1" rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=aeb4f1823611982c9888b74ad1bc867e cid=44`,
}

var realErrors = []string{
	`2026/11/21 07:13:44 [error] 7982#7982: *3 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: api.example.com, request: "GET /refused HTTP/1.1", upstream: "http://127.0.0.1:18082/refused", host: "api.example.com"`,
	`2026/11/21 07:13:44 [error] 7984#7984: *5 upstream prematurely closed connection while reading response header from upstream, client: 127.0.0.1, server: api.example.com, request: "GET /closed HTTP/1.1", upstream: "http://127.0.0.1:18083/closed", host: "api.example.com"`,
	`2026/11/21 07:13:44 [error] 7984#7984: *7 recv() failed (104: Connection reset by peer) while reading response header from upstream, client: 127.0.0.1, server: api.example.com, request: "GET /reset HTTP/1.1", upstream: "http://127.0.0.1:18084/reset", host: "api.example.com"`,
	`2026/11/21 07:13:45 [error] 7984#7984: *9 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 127.0.0.1, server: api.example.com, request: "GET /slow HTTP/1.1", upstream: "http://127.0.0.1:18085/slow", host: "api.example.com"`,
	`2026/11/21 07:13:45 [error] 7984#7984: *11 upstream sent invalid header: "X-Trace\x20..." while reading response header from upstream, client: 127.0.0.1, server: api.example.com, request: "GET /badhdr HTTP/1.1", upstream: "http://127.0.0.1:18086/badhdr", host: "api.example.com"`,
	`2026/11/21 07:13:45 [error] 7982#7982: *43 limiting requests, excess: 2.957 by zone "api", client: 127.0.0.1, server: api.example.com, request: "GET /limited HTTP/1.1", host: "api.example.com"`,
}
