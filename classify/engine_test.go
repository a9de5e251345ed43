package classify

import (
	_ "fivexx/sources/parsers"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

var t0 = time.Date(2026, 11, 21, 7, 10, 0, 0, time.UTC)

// upstreamEntry is an nginx access entry with upstream fields, as the
// nginx-upstream format produces it.
func upstreamEntry(sec float64, status int, addr, us, uht, rid string) *sources.ProxyEntry {
	e := &sources.ProxyEntry{
		Time: t0.Add(time.Duration(sec * float64(time.Second))), Client: "10.1.2.3", Method: "GET", Path: "/api?n=1", Proto: "HTTP/1.1",
		Status: status, RequestTime: 0.01, RequestID: rid,
		UpstreamAddr: []string{addr}, UpstreamStatus: []string{us}, UpstreamHeader: []string{uht}, UpstreamConnect: []string{"0.000"}, UpstreamResponse: []string{"0.001"},
		UpstreamStatusRaw: us, Upstream: addr, UpstreamContacted: sources.Yes,
		Fields: sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestID,
	}
	if uht == "-" {
		e.UpstreamAnswered = sources.No
	} else {
		e.UpstreamAnswered = sources.Yes
	}
	e.Raw = "access " + e.Path
	return e
}

func errLine(sec float64, reason sources.Reason, msg string) *sources.ProxyError {
	return &sources.ProxyError{Time: t0.Add(time.Duration(sec * float64(time.Second))), Level: "error", Message: msg, Reason: reason,
		Client: "10.1.2.3", Method: "GET", Path: "/api?n=1", Request: "GET /api?n=1 HTTP/1.1", Raw: "error " + msg}
}

func appLine(sec float64, phase sources.Phase, rid string, status int, level, msg string) *sources.AppEntry {
	return &sources.AppEntry{Time: t0.Add(time.Duration(sec * float64(time.Second))), Phase: phase, RequestID: rid, Status: status,
		Level: level, Message: msg, Method: "GET", Path: "/api?n=1", Duration: -1, Raw: "app " + msg}
}

func input(i int, role sources.Role) *sources.Input {
	return sources.NewInput(i, sources.Spec{Path: role.String() + ".log", Role: role})
}

// feedAll adds records in order, app entries from app and the rest from
// proxy, advancing after each, then flushes.
func feedAll(eng *Engine, proxy, app *sources.Input, recs []sources.Record) {
	addAll(eng, proxy, app, recs)
	eng.Flush()
}

// addAll is feedAll without the flush: what is pending stays pending.
func addAll(eng *Engine, proxy, app *sources.Input, recs []sources.Record) {
	for _, r := range recs {
		in := proxy
		if _, ok := r.(*sources.AppEntry); ok {
			in = app
		}
		eng.Add(in, r)
		eng.Advance()
	}
}

// judgeAll runs records through an engine in the given order and returns the verdicts.
func judgeAll(t *testing.T, recs ...sources.Record) []*Verdict {
	t.Helper()
	return judgeRecords(true, recs...)
}

// judgeRecords adds recs in order to an engine over a proxy, an error and
// an app input (each record to the input of its kind), advancing after
// each when advance is set, then flushes, and returns the verdicts.
func judgeRecords(advance bool, recs ...sources.Record) []*Verdict {
	proxy, errs, app := input(0, sources.RoleProxy), input(1, sources.RoleProxyErrors), input(2, sources.RoleApp)
	var got []*Verdict
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, errs, app}, OnVerdict: func(v *Verdict) { got = append(got, v) }})
	for _, r := range recs {
		eng.Add(inputOf(r, proxy, errs, app), r)
		if advance {
			eng.Advance()
		}
	}
	eng.Flush()
	return got
}

func TestVerdictPerCause(t *testing.T) {
	tests := []struct {
		name string
		recs []sources.Record
		want Cause
		conf Confidence
	}{
		{"refused from error log", []sources.Record{
			errLine(0, sources.ReasonRefused, "connect() failed (111: Connection refused)"),
			upstreamEntry(0, 502, "127.0.0.1:9101", "502", "-", "r1"),
		}, UpstreamRefused, High},
		{"reset from error log, app started but never finished", []sources.Record{
			appLine(0, sources.PhaseStart, "r1", 0, "info", "request started"),
			errLine(0.1, sources.ReasonReset, "upstream prematurely closed connection"),
			upstreamEntry(0.1, 502, "127.0.0.1:9101", "502", "-", "r1"),
		}, UpstreamReset, High},
		{"bad header", []sources.Record{
			errLine(0, sources.ReasonBadResponse, "upstream sent invalid header"),
			upstreamEntry(0, 502, "127.0.0.1:9101", "502", "-", "r1"),
		}, UpstreamBadResponse, High},
		{"timeout", []sources.Record{
			errLine(1, sources.ReasonReadTimeout, "upstream timed out (110: Connection timed out)"),
			upstreamEntry(1, 504, "127.0.0.1:9101", "504", "-", "r1"),
		}, UpstreamTimeout, High},
		{"no live upstreams", []sources.Record{
			errLine(0, sources.ReasonNoLiveUpstreams, "no live upstreams"),
			upstreamEntry(0, 502, "backend", "502", "-", "r1"),
		}, NoHealthyUpstream, High},
		{"rate limit", []sources.Record{
			errLine(0, sources.ReasonRateLimited, "limiting requests, excess: 0.900 by zone \"one\""),
			func() sources.Record {
				e := upstreamEntry(0, 503, "-", "-", "-", "r1")
				e.UpstreamAddr, e.UpstreamStatus, e.UpstreamContacted, e.Upstream = []string{"-"}, []string{"-"}, sources.No, ""
				return e
			}(),
		}, ProxyRejected, High},
		{"app 503 with header time", []sources.Record{
			appLine(0, sources.PhaseStart, "r1", 0, "info", "request started"),
			appLine(0, sources.PhaseOther, "r1", 0, "error", "database unavailable"),
			appLine(0, sources.PhaseEnd, "r1", 503, "info", "request finished"),
			upstreamEntry(0, 503, "127.0.0.1:9101", "503", "0.002", "r1"),
		}, AppUnavailable, High},
		{"crash, then the retry was refused: the crash is the cause", []sources.Record{
			appLine(0, sources.PhaseStart, "r1", 0, "info", "request started"),
			errLine(0.1, sources.ReasonRefused, "connect() failed (111: Connection refused)"),
			upstreamEntry(0.1, 502, "127.0.0.1:9101", "502", "-", "r1"),
		}, UpstreamReset, High},
		{"app 500", []sources.Record{
			upstreamEntry(0, 500, "127.0.0.1:9101", "500", "0.002", "r1"),
		}, AppError, Medium},
		{"app emits 502 itself", []sources.Record{
			upstreamEntry(0, 502, "127.0.0.1:9101", "502", "0.003", "r1"),
		}, AppError, Medium},
		{"retried: refused then app 503 on the second server", []sources.Record{
			errLine(0, sources.ReasonRefused, "connect() failed (111: Connection refused)"),
			func() sources.Record {
				e := upstreamEntry(0, 503, "127.0.0.1:9102", "503", "0.002", "r1")
				e.UpstreamAddr = []string{"127.0.0.1:9101", "127.0.0.1:9102"}
				e.UpstreamStatus = []string{"502", "503"}
				e.UpstreamHeader = []string{"-", "0.002"}
				return e
			}(),
		}, AppUnavailable, Medium},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := judgeAll(t, tt.recs...)
			if len(got) != 1 {
				t.Fatalf("got %d verdicts, want 1", len(got))
			}
			v := got[0]
			if v.Cause != tt.want || v.Confidence != tt.conf {
				t.Errorf("verdict %s/%s, want %s/%s; evidence %q", v.Cause, v.Confidence, tt.want, tt.conf, v.Evidence)
			}
			if v.Hint == "" || len(v.Evidence) == 0 {
				t.Errorf("verdict without hint or evidence: %+v", v)
			}
		})
	}
}

// combined is an nginx combined entry: no upstream fields, no request id.
func combined(sec float64, status int, path string) *sources.ProxyEntry {
	return &sources.ProxyEntry{Time: t0.Add(time.Duration(sec * float64(time.Second))), Client: "10.1.2.3", Method: "GET", Path: path,
		Status: status, RequestTime: -1, BodyBytes: 157, Raw: "combined " + path}
}

func TestTimeWindowJoin(t *testing.T) {
	start := appLine(10, sources.PhaseStart, "", 0, "info", "request started")
	start.Path = "/crash?n=7"
	other := appLine(10.2, sources.PhaseStart, "", 0, "info", "request started")
	other.Path = "/crash?n=8" // same route, other request: must not match
	otherEnd := appLine(10.3, sources.PhaseEnd, "", 200, "info", "request finished")
	otherEnd.Path = "/crash?n=8"
	got := judgeAll(t, start, other, otherEnd, combined(10, 502, "/crash?n=7"))
	if len(got) != 1 {
		t.Fatalf("got %d verdicts", len(got))
	}
	v := got[0]
	if len(v.AppLines) != 1 || v.AppLines[0] != start || v.MatchedBy != "time_window" {
		t.Fatalf("matched %d app lines by %q, want the one start line by time_window", len(v.AppLines), v.MatchedBy)
	}
	if v.Cause != UpstreamReset || v.Confidence != Low {
		t.Errorf("cause %s/%s, want upstream_reset/low (started, never finished)", v.Cause, v.Confidence)
	}
}

func TestTimeWindowOutside(t *testing.T) {
	far := appLine(20, sources.PhaseEnd, "", 503, "info", "request finished")
	far.Path = "/x"
	got := judgeAll(t, combined(10, 503, "/x"), far)
	if len(got) != 1 || len(got[0].AppLines) != 0 {
		t.Fatalf("an app line 10 s later must not match: %+v", got[0].AppLines)
	}
}

func TestRequestIDJoinBeatsWindow(t *testing.T) {
	// Two requests to the same path at the same time: only the id tells them apart.
	mine := appLine(5, sources.PhaseEnd, "aaa", 503, "info", "request finished")
	theirs := appLine(5, sources.PhaseEnd, "bbb", 200, "info", "request finished")
	e := upstreamEntry(5, 503, "127.0.0.1:9101", "503", "0.002", "aaa")
	got := judgeAll(t, theirs, mine, e)
	if len(got) != 1 || got[0].MatchedBy != "request_id" || len(got[0].AppLines) != 1 || got[0].AppLines[0] != mine {
		t.Fatalf("want the id-matched line only, got %+v by %q", got[0].AppLines, got[0].MatchedBy)
	}
}

func TestLateLinesWithinGrace(t *testing.T) {
	// The access line arrives before the error-log line (files read at
	// different paces): the verdict must wait for it.
	e := upstreamEntry(0, 502, "127.0.0.1:9101", "502", "-", "r1")
	late := errLine(0, sources.ReasonReset, "upstream prematurely closed connection")
	later := combined(1, 200, "/other") // advances the log clock by 1 s, within the 2 s grace
	got := judgeAll(t, e, later, late)
	if len(got) != 1 || got[0].Cause != UpstreamReset {
		t.Fatalf("want upstream_reset from the late error line, got %+v", got)
	}
}

func TestGraceExpires(t *testing.T) {
	e := upstreamEntry(0, 502, "127.0.0.1:9101", "502", "-", "r1")
	proxy := input(0, sources.RoleProxy)
	var got []*Verdict
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy}, OnVerdict: func(v *Verdict) { got = append(got, v) }})
	eng.Add(proxy, e)
	eng.Advance()
	if len(got) != 0 {
		t.Fatal("judged before its grace period")
	}
	eng.Add(proxy, combined(3, 200, "/later"))
	eng.Advance()
	if len(got) != 1 {
		t.Fatalf("not judged after its grace period: %d verdicts, %d pending", len(got), eng.Publish(false).Pending)
	}
}

func TestPendingIsBounded(t *testing.T) {
	proxy := input(0, sources.RoleProxy)
	n := 0
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy}, MaxPending: 10, OnVerdict: func(*Verdict) { n++ }})
	for i := 0; i < 100; i++ {
		eng.Add(proxy, upstreamEntry(0, 502, "a:1", "502", "-", ""))
	}
	s := eng.Publish(false)
	if s.Pending != 10 || s.Dropped.Pending != 90 || n != 90 {
		t.Fatalf("pending %d, dropped %d, judged %d; want 10, 90, 90", s.Pending, s.Dropped.Pending, n)
	}
}

// A 5xx judged early (pending queue full) counts as "judged early … may
// be guesses" only when it may have lost by it: one judged by its own
// error-log line, or by the app's line joined by request id, lost
// nothing (README, Reliability). A report of 200,000 app 500s at 10,000/s,
// every one app_error high by request id, said "2026 5xx judged early
// (pending queue full) …: their causes may be guesses".
func TestJudgedEarlyCountsOnlyVerdictsThatMayHaveLost(t *testing.T) {
	tests := []struct {
		name string
		recs func(i int) []sources.Record // the lines of the i-th 5xx, in log order
		want int64                        // Dropped.Pending
	}{
		{"app line by request id", func(i int) []sources.Record {
			rid := fmt.Sprintf("r%d", i)
			sec := float64(i) / 1000
			return []sources.Record{appLine(sec, sources.PhaseEnd, rid, 500, "error", "boom"), upstreamEntry(sec, 500, "a:1", "500", "0.030", rid)}
		}, 0},
		{"own error-log line", func(i int) []sources.Record {
			sec := float64(i) / 1000
			e := upstreamEntry(sec, 502, "a:1", "502", "-", "")
			e.Path = fmt.Sprintf("/api?n=%d", i)
			l := errLine(sec, sources.ReasonRefused, "connect() failed (111: Connection refused)")
			l.Path, l.Request = e.Path, "GET "+e.Path+" HTTP/1.1"
			return []sources.Record{l, e}
		}, 0},
		{"nothing of its own", func(i int) []sources.Record {
			return []sources.Record{upstreamEntry(float64(i)/1000, 502, "a:1", "502", "-", "")}
		}, 90},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proxy, errs, app := input(0, sources.RoleProxy), input(1, sources.RoleProxyErrors), input(2, sources.RoleApp)
			early := 0
			eng := NewEngine(Config{Inputs: []*sources.Input{proxy, errs, app}, MaxPending: 10, OnVerdict: func(*Verdict) { early++ }})
			for i := range 100 {
				for _, r := range tt.recs(i) {
					eng.Add(inputOf(r, proxy, errs, app), r)
				}
			}
			if early != 90 {
				t.Fatalf("%d 5xx judged early, want 90: the test no longer fills the queue", early)
			}
			eng.Flush()
			if d := eng.Publish(false).Dropped; d.Pending != tt.want || d.Short != 0 {
				t.Errorf("dropped %+v; want Pending %d, Short 0", d, tt.want)
			}
		})
	}
}

func TestStatsAndCoverage(t *testing.T) {
	recs := []sources.Record{
		upstreamEntry(0, 200, "a:1", "200", "0.001", "ok1"),
		appLine(0.5, sources.PhaseEnd, "r2", 503, "info", "request finished"),
		upstreamEntry(1, 503, "a:1", "503", "0.002", "r2"),
		errLine(2, sources.ReasonRefused, "connect() failed (111: Connection refused)"),
		upstreamEntry(2, 502, "b:1", "502", "-", "r3"),
	}
	proxy, errs, app := input(0, sources.RoleProxy), input(1, sources.RoleProxyErrors), input(2, sources.RoleApp)
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, errs, app}})
	for _, r := range recs {
		eng.Add(inputOf(r, proxy, errs, app), r)
	}
	eng.Flush()
	s := eng.Publish(true)
	if s.Total.Requests != 3 || s.Total.Status[502] != 1 || s.Total.Status[503] != 1 {
		t.Fatalf("totals %+v", s.Total)
	}
	if s.Total.Causes[AppUnavailable] != 1 || s.Total.Causes[UpstreamRefused] != 1 {
		t.Fatalf("causes %+v", s.Total.Causes)
	}
	byName := map[string]UpstreamStats{}
	for _, u := range s.Upstreams {
		byName[u.Name] = u
	}
	if c := byName["a:1"].AppCoverage(); c != 1 {
		t.Errorf("a:1 coverage %v, want 1 (its 503 had app lines)", c)
	}
	if c := byName["b:1"].AppCoverage(); c != 0 {
		t.Errorf("b:1 coverage %v, want 0 (the app never saw the refused request)", c)
	}
	if s.Windowed.Status[502] != 1 || len(s.Series) != int(maxWindow/time.Second) {
		t.Errorf("windowed %+v, %d buckets", s.Windowed.Status, len(s.Series))
	}
}

func TestLatencyQuantiles(t *testing.T) {
	var h latencyHist
	for i := 1; i <= 1000; i++ {
		h.add(float64(i))
	}
	for _, c := range []struct{ q, want float64 }{{0.5, 500}, {0.95, 950}, {0.99, 990}} {
		got := h.quantile(c.q)
		if got < c.want*0.94 || got > c.want*1.06 {
			t.Errorf("p%v = %.1f, want %.0f ±6%%", c.q*100, got, c.want)
		}
	}
	var empty latencyHist
	if empty.quantile(0.5) != -1 {
		t.Error("empty histogram must say unknown")
	}
}

func TestSkewEstimatedFromRequestIDs(t *testing.T) {
	var recs []sources.Record
	for i := 0; i < 20; i++ {
		id := "id" + itoa(i)
		// nginx logs whole seconds: the request ended mid-second, 4 s earlier on the proxy's clock.
		a := appLine(float64(i)+4.5, sources.PhaseEnd, id, 200, "info", "request finished")
		recs = append(recs, a, upstreamEntry(float64(i), 200, "a:1", "200", "0.001", id))
	}
	// A 503 the app logged without an id, 4 s "later" on its fast clock.
	late := appLine(34, sources.PhaseEnd, "", 503, "info", "request finished")
	late.Path = "/x"
	e := combined(30, 503, "/x")
	recs = append(recs, late, e, combined(40, 200, "/later"))
	proxy, app := input(0, sources.RoleProxy), input(2, sources.RoleApp)
	var got []*Verdict
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, OnVerdict: func(v *Verdict) { got = append(got, v) }})
	feedAll(eng, proxy, app, recs)
	s := eng.Publish(true)
	if s.AppSkew.Skew != 4*time.Second || s.AppSkew.Samples != 20 {
		t.Fatalf("skew %+v, want +4s from 20 ids", s.AppSkew)
	}
	if len(got) != 1 || len(got[0].AppLines) != 1 || got[0].Cause != AppUnavailable {
		t.Fatalf("the 503 must match the app's line through the skew: %+v", got)
	}
	// Forced with --app-skew 0: the same line no longer matches.
	zero := time.Duration(0)
	got = nil
	eng = NewEngine(Config{Inputs: []*sources.Input{proxy, app}, AppSkew: &zero, OnVerdict: func(v *Verdict) { got = append(got, v) }})
	for _, r := range recs {
		in := proxy
		if _, ok := r.(*sources.AppEntry); ok {
			in = app
		}
		eng.Add(in, r)
	}
	eng.Flush()
	if len(got) != 1 || len(got[0].AppLines) != 0 || !eng.Publish(true).AppSkew.Fixed {
		t.Fatalf("with --app-skew 0 the skewed line must not match: %+v", got[0].AppLines)
	}
}

// The snapshot's recent verdicts are the newest, newest last, at every
// count (the engine trims its list once every MaxRecent verdicts, not per
// verdict): with one upstream and one cause, the newest MaxRecent.
func TestRecentIsTheLastMaxRecent(t *testing.T) {
	proxy := input(0, sources.RoleProxy)
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy}, MaxRecent: 3})
	for i := 1; i <= 10; i++ {
		eng.Add(proxy, upstreamEntry(float64(i), 502, "a:1", "502", "-", fmt.Sprintf("r%d", i)))
		eng.Flush()
		s := eng.Publish(false)
		var got []string
		for _, v := range s.Recent {
			got = append(got, v.Entry.RequestID)
		}
		var want []string
		for j := max(1, i-2); j <= i; j++ {
			want = append(want, fmt.Sprintf("r%d", j))
		}
		if !slices.Equal(got, want) {
			t.Fatalf("after %d verdicts: recent %v, want %v", i, got, want)
		}
	}
}

// A verdict's timeline names the input of each of its own lines, also with
// two app logs and lines of other requests in between.
func TestTimelineNamesEachLinesInput(t *testing.T) {
	proxy, errs := input(0, sources.RoleProxy), input(1, sources.RoleProxyErrors)
	appA := sources.NewInput(2, sources.Spec{Path: "a.log", Role: sources.RoleApp})
	appB := sources.NewInput(3, sources.Spec{Path: "b.log", Role: sources.RoleApp})
	var got []*Verdict
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, errs, appA, appB}, Timeline: true,
		OnVerdict: func(v *Verdict) { got = append(got, v) }})
	for i := 0; i < 50; i++ { // other requests' lines on both app inputs
		in := appA
		if i%2 == 1 {
			in = appB
		}
		eng.Add(in, appLine(float64(i)*0.01, sources.PhaseEnd, fmt.Sprintf("other%d", i), 200, "info", "ok"))
	}
	eng.Add(appB, appLine(0.6, sources.PhaseStart, "r1", 0, "info", "start"))
	eng.Add(errs, errLine(0.7, sources.ReasonRefused, "connect() failed (111: Connection refused)"))
	eng.Add(appA, appLine(0.8, sources.PhaseEnd, "r1", 500, "error", "boom"))
	eng.Add(proxy, upstreamEntry(1, 502, "a:1", "502", "-", "r1"))
	eng.Flush()
	if len(got) != 1 {
		t.Fatalf("%d verdicts, want 1", len(got))
	}
	sources := ownSources(got[0])
	want := map[string]string{"app start": "b.log", "app boom": "a.log", "access /api?n=1": proxy.Spec.Label(),
		"error connect() failed (111: Connection refused)": errs.Spec.Label()}
	for raw, src := range want {
		if sources[raw] != src {
			t.Errorf("timeline line %q from %q, want %q (all matched: %v)", raw, sources[raw], src, sources)
		}
	}
}

// withFormat gives in a format of the role (as detection would), so that
// Format().Role is known, not only the role forced in its spec.
func withFormat(t *testing.T, in *sources.Input, role sources.Role) *sources.Input {
	t.Helper()
	f := sources.Format{Name: "test-" + role.String(), Role: role, New: func(sources.ParserOptions) (sources.Parser, error) { return nil, nil }}
	if err := in.SetFormat(f, "test"); err != nil {
		t.Fatal(err)
	}
	return in
}

// With one app log its lines are named by it without a search; an error
// line from the proxy's own log (Caddy logs a request's errors there) is
// still named by the log it came from, not by the only error log.
func TestTimelineNamesOwnLinesOfTheOnlyAppLog(t *testing.T) {
	proxy := withFormat(t, input(0, sources.RoleProxy), sources.RoleProxy)
	errs := withFormat(t, input(1, sources.RoleProxyErrors), sources.RoleProxyErrors)
	app := withFormat(t, input(2, sources.RoleApp), sources.RoleApp)
	var got []*Verdict
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, errs, app}, Timeline: true,
		OnVerdict: func(v *Verdict) { got = append(got, v) }})
	eng.Add(app, appLine(0.6, sources.PhaseStart, "r1", 0, "info", "start"))
	eng.Add(errs, errLine(0.7, sources.ReasonRefused, "connect() failed (111: Connection refused)"))
	eng.Add(proxy, errLine(0.8, sources.ReasonRefused, "dial tcp a:1: connect: connection refused"))
	eng.Add(proxy, upstreamEntry(1, 502, "a:1", "502", "-", "r1"))
	eng.Flush()
	if len(got) != 1 {
		t.Fatalf("%d verdicts, want 1", len(got))
	}
	from := ownSources(got[0])
	want := map[string]string{"app start": app.Spec.Label(), "access /api?n=1": proxy.Spec.Label(),
		"error connect() failed (111: Connection refused)": errs.Spec.Label(),
		"error dial tcp a:1: connect: connection refused":  proxy.Spec.Label()}
	for raw, src := range want {
		if from[raw] != src {
			t.Errorf("timeline line %q from %q, want %q (all: %v)", raw, from[raw], src, from)
		}
	}
}

// ownSources maps the text of each of a verdict's own timeline lines to the
// input it is said to come from.
func ownSources(v *Verdict) map[string]string {
	from := map[string]string{}
	for _, l := range v.Timeline.Lines() {
		if l.Matched {
			from[l.Raw] = l.Source
		}
	}
	return from
}

// Two upstreams, 3 and 2 requests a second for 40 s: wherever the last
// request falls within a 10-second slot, each row's rate is its own rate
// and the rows add up to the total (they added up to twice it when the
// current partial slot and the whole one before were divided by 10).
func TestUpstreamRatesAddUp(t *testing.T) {
	for _, end := range []int{30, 33, 37, 39} {
		eng := NewEngine(Config{Inputs: []*sources.Input{input(0, sources.RoleProxy)}})
		for sec := 0; sec <= end; sec++ {
			for i := 0; i < 5; i++ {
				up := "a:1"
				if i >= 3 {
					up = "b:1"
				}
				eng.Add(input(0, sources.RoleProxy), upstreamEntry(float64(sec)+float64(i)/10, 200, up, "200", "0.001", ""))
			}
		}
		s := eng.Publish(false)
		rates := map[string]float64{}
		for _, u := range s.Upstreams {
			rates[u.Name] = u.ReqPerSec
		}
		if rates["a:1"] != 3 || rates["b:1"] != 2 {
			t.Errorf("last request at +%ds: rates %v, want a:1 3/s and b:1 2/s", end, rates)
		}
	}
}

// A burst on one upstream does not push another upstream's 5xx out of the
// snapshot: each upstream and cause keeps its newest (up to 100) beside
// the newest MaxRecent of all, so its drill-down is not empty.
func TestRecentKeepsEachUpstreamsNewest(t *testing.T) {
	proxy := input(0, sources.RoleProxy)
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy}, MaxRecent: 10})
	sec := 0.0
	add := func(up, status, rid string) {
		sec++
		st, _ := strconv.Atoi(status)
		eng.Add(proxy, upstreamEntry(sec, st, up, status, "0.001", rid))
	}
	for i := 0; i < 5; i++ {
		add("a:1", "503", fmt.Sprintf("a%d", i))
	}
	for i := 0; i < 500; i++ {
		add("b:1", "500", fmt.Sprintf("b%d", i))
	}
	eng.Flush()
	s := eng.Publish(false)
	perUp := map[string]int{}
	for _, v := range s.Recent {
		perUp[v.Entry.Upstream]++
	}
	if perUp["a:1"] != 5 {
		t.Errorf("a:1 has %d of its 5 verdicts in the snapshot (%v)", perUp["a:1"], perUp)
	}
	if n := len(s.Recent); n > 20 || perUp["b:1"] < 10 {
		t.Errorf("%d recent verdicts, %d of b:1; want at most 2x10 and b's newest 10", n, perUp["b:1"])
	}
	if last := s.Recent[len(s.Recent)-1].Entry.RequestID; last != "b499" {
		t.Errorf("newest is %s, want b499", last)
	}
}

// The line cap counts as a loss only what a verdict could have used: a
// burst of app lines for 2xx requests, evicted after the 5xx around them
// were judged, loses nothing (it used to warn "raise the buffers or expect
// guesses" with every verdict exact); a 5xx judged after the cap evicted
// lines inside its window is counted.
func TestLineCapCountsOnlyWhatVerdictsLose(t *testing.T) {
	proxy, app := input(0, sources.RoleProxy), input(1, sources.RoleApp)
	run := func(recs []sources.Record) Dropped {
		eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, MaxLines: 10})
		feedAll(eng, proxy, app, recs)
		return eng.Publish(false).Dropped
	}
	burst := func(sec float64) []sources.Record {
		var recs []sources.Record
		for i := range 50 {
			a := appLine(sec, sources.PhaseEnd, "", 200, "info", "ok")
			a.Path = fmt.Sprintf("/ok/%d", i)
			recs = append(recs, a)
		}
		return recs
	}

	// The 5xx is judged (grace 2 s) before a burst 30 s later evicts lines.
	judgedFirst := append([]sources.Record{appLine(0, sources.PhaseStart, "", 0, "info", "started"), combined(0.5, 502, "/api?n=1"), combined(5, 200, "/x")}, burst(30)...)
	judgedFirst = append(judgedFirst, burst(31)...)
	d := run(judgedFirst)
	if d.AppLines == 0 {
		t.Fatalf("the cap (10 lines) evicted nothing: %+v; the test no longer tests the cap", d)
	}
	if d.Lossy() || d.Summary() != "" {
		t.Errorf("lines evicted after their 5xx was judged counted as a loss: %+v, %q", d, d.Summary())
	}

	// The burst inside the window of a pending 5xx evicts its start line.
	pendingFirst := append([]sources.Record{appLine(0, sources.PhaseStart, "", 0, "info", "started"), combined(0.5, 502, "/api?n=1")}, burst(0.6)...)
	pendingFirst = append(pendingFirst, combined(5, 200, "/x"))
	d = run(pendingFirst)
	if d.Short != 1 || !d.Lossy() || !strings.Contains(d.Summary(), "1 judged after the line cap") {
		t.Errorf("a 5xx judged after the cap evicted lines in its window: %+v, %q; want Short 1", d, d.Summary())
	}

	// A 5xx judged early (pending queue full) is counted once, as Pending,
	// though the cap also cut its window: 20 5xx made "38 may be guesses".
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, MaxLines: 10, MaxPending: 1})
	eng.Add(proxy, combined(0.5, 502, "/a"))
	for _, r := range burst(0.6) {
		eng.Add(app, r)
		eng.Advance()
	}
	eng.Add(proxy, combined(0.7, 502, "/b")) // judges /a early
	eng.Flush()
	if d := eng.Publish(false).Dropped; d.Pending != 1 || d.Short != 1 {
		t.Errorf("two 5xx, one judged early: %+v; want Pending 1, Short 1 (the other)", d)
	}
}

// A proxy's line about its own 5xx (Traefik's DEBUG "'502 Bad Gateway'
// caused by: ...", no request on it) decides only that proxy's 5xx: an
// nginx or Envoy 502 beside it, at the same time and without an error
// line, stays unknown, and the Traefik 502 it belongs to gets its cause.
// The registered formats: Envoy's and Traefik's have no Family.
func TestOwnCauseLineDecidesOnlyItsOwnProxy(t *testing.T) {
	real := func(in *sources.Input, name string) *sources.Input {
		f, ok := sources.LookupFormat(name)
		if !ok {
			t.Fatalf("no format %s", name)
		}
		if err := in.SetFormat(f, "test"); err != nil {
			t.Fatal(err)
		}
		return in
	}
	for _, other := range []string{"nginx-upstream", "envoy", "haproxy"} {
		t.Run(other, func(t *testing.T) {
			beside := real(input(0, sources.RoleProxy), other)
			traefik := real(sources.NewInput(1, sources.Spec{Path: "traefik.log", Role: sources.RoleProxy}), "traefik")
			entry := func(sec float64, path string) *sources.ProxyEntry {
				return &sources.ProxyEntry{Time: t0.Add(time.Duration(sec * float64(time.Second))), Method: "GET", Path: path, Status: 502, Raw: "access " + path}
			}
			own := &sources.ProxyError{Time: t0.Add(1010 * time.Millisecond), Level: "debug", Status: 502, Reason: sources.ReasonRefused,
				Message: "'502 Bad Gateway' caused by: dial tcp 127.0.0.1:9: connect: connection refused", Raw: "traefik debug"}
			got := map[string]Cause{}
			eng := NewEngine(Config{Inputs: []*sources.Input{beside, traefik}, OnVerdict: func(v *Verdict) { got[v.Entry.Path] = v.Cause }})
			eng.Add(traefik, own)
			eng.Add(beside, entry(1, "/other"))
			eng.Add(traefik, entry(1.02, "/traefik"))
			eng.Flush()
			if got["/other"] == UpstreamRefused || got["/traefik"] != UpstreamRefused {
				t.Errorf("%s 502 %s, traefik 502 %s; want the Traefik line to decide only the Traefik 502", other, got["/other"], got["/traefik"])
			}
		})
	}
}

// A verdict names the upstream row it counts in: its upstream, "-" for
// none, "(other)" once the stats' rows are capped.
func TestVerdictNamesItsRow(t *testing.T) {
	proxy := input(0, sources.RoleProxy)
	rows := map[string]string{}
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy}, OnVerdict: func(v *Verdict) { rows[v.Entry.Upstream] = v.Row }})
	for i := 0; i <= maxUpstreams; i++ {
		eng.Add(proxy, upstreamEntry(float64(i)*0.001, 502, fmt.Sprintf("10.0.%d.%d:80", i/256, i%256), "502", "-", ""))
	}
	none := upstreamEntry(1, 502, "", "", "-", "")
	none.Upstream = ""
	eng.Add(proxy, none)
	eng.Flush()
	want := map[string]string{"10.0.0.0:80": "10.0.0.0:80", fmt.Sprintf("10.0.%d.%d:80", maxUpstreams/256, maxUpstreams%256): "(other)", "": "(other)"}
	for up, row := range want {
		if rows[up] != row {
			t.Errorf("a 5xx of %q counts in row %q, want %q", up, rows[up], row)
		}
	}
}

// The input of each indexed error line (errIn, for timelines, kept once
// two inputs gave error lines) is let go with the line: over ten minutes
// of error lines a timeline engine keeps only those of its retention, not
// every one it has seen.
func TestErrorLineInputsAreLetGo(t *testing.T) {
	proxy := input(0, sources.RoleProxy)
	errs := []*sources.Input{input(1, sources.RoleProxyErrors), input(2, sources.RoleProxyErrors)}
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, errs[0], errs[1]}, Timeline: true})
	const n = 600
	for i := 0; i < n; i++ {
		eng.Add(errs[i%2], errLine(float64(i), sources.ReasonRefused, "connect() failed (111: Connection refused)"))
		eng.Add(proxy, upstreamEntry(float64(i)+0.5, 502, "a:1", "502", "-", fmt.Sprintf("r%d", i)))
		eng.Advance()
	}
	got := len(eng.corr.errIn)
	if got == 0 || got > n/3 {
		t.Errorf("%d error lines' inputs kept after %d seconds of one a second, want some but at most %d", got, n, n/3)
	}
}

// inputOf is the input of the three a test feeds that r comes from: the
// error log's, the app's or the access log's.
func inputOf(r sources.Record, proxy, errs, app *sources.Input) *sources.Input {
	switch r.(type) {
	case *sources.ProxyError:
		return errs
	case *sources.AppEntry:
		return app
	}
	return proxy
}
