package demo

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

var testStart = time.Date(2024, 1, 2, 3, 4, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return testStart.Add(d) }

func TestRealLinesMatchLayouts(t *testing.T) {
	type fields struct {
		Status           int
		UCT, UHT, UA, US []string
	}
	accessCases := []struct {
		name, line string
		want       fields
	}{
		{"refused", realAccess[0], fields{502, []string{"-"}, []string{"-"}, []string{"127.0.0.1:18082"}, []string{"502"}}},
		{"closed", realAccess[1], fields{502, []string{"0.000"}, []string{"-"}, []string{"127.0.0.1:18083"}, []string{"502"}}},
		{"timeout", realAccess[2], fields{504, []string{"0.000"}, []string{"-"}, []string{"127.0.0.1:18085"}, []string{"504"}}},
		{"app 503", realAccess[3], fields{503, []string{"0.000"}, []string{"0.000"}, []string{"127.0.0.1:18087"}, []string{"503"}}},
		{"reset then ok", realAccess[4], fields{200, []string{"0.001", "0.000"}, []string{"-", "0.000"}, []string{"127.0.0.1:28083", "127.0.0.1:28081"}, []string{"502", "200"}}},
		{"two timeouts", realAccess[5], fields{504, []string{"0.000", "0.000"}, []string{"-", "-"}, []string{"127.0.0.1:28085", "127.0.0.2:28085"}, []string{"504", "504"}}},
		{"two refused", realAccess[6], fields{502, []string{"-", "-"}, []string{"-", "-"}, []string{"127.0.0.1:28082", "127.0.0.2:28082"}, []string{"502", "502"}}},
		{"limit_req 503", realAccess[7], fields{503, []string{"-"}, []string{"-"}, []string{"-"}, []string{"-"}}},
		{"limit_req 429", realAccess[8], fields{429, []string{"-"}, []string{"-"}, []string{"-"}, []string{"-"}}},
	}
	for _, tc := range accessCases {
		t.Run("access/"+tc.name, func(t *testing.T) {
			a, err := parseAccess(Line{Stream: Access, Text: tc.line})
			if err != nil {
				t.Fatal(err)
			}
			got := fields{a.status, a.uct, a.uht, a.ua, a.us}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
	errorCases := []struct {
		name, line      string
		wantCID         int64
		wantMsg, wantUp string
	}{
		{"refused", realErrors[0], 3, failureText[refused], "http://127.0.0.1:18082/refused"},
		{"closed", realErrors[1], 5, failureText[closedEarly], "http://127.0.0.1:18083/closed"},
		{"reset", realErrors[2], 7, failureText[resetByPeer], "http://127.0.0.1:18084/reset"},
		{"timeout", realErrors[3], 9, failureText[timedOut], "http://127.0.0.1:18085/slow"},
		{"invalid header", realErrors[4], 11, strings.Replace(failureText[invalidHeader], "X-Render", "X-Trace", 1), "http://127.0.0.1:18086/badhdr"},
		{"limit_req", realErrors[5], 43, `limiting requests, excess: 2.957 by zone "api"`, ""},
	}
	for _, tc := range errorCases {
		t.Run("error/"+tc.name, func(t *testing.T) {
			e, err := parseError(Line{Stream: Errors, Text: tc.line})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]any{tc.wantCID, tc.wantMsg, tc.wantUp}, []any{e.cid, e.msg, e.upstream}); diff != "" {
				t.Errorf("cid, message, upstream (-want +got):\n%s", diff)
			}
		})
	}
}

var causeNames = []string{"upstream_refused", "upstream_reset", "upstream_bad_response", "upstream_timeout",
	"no_healthy_upstream", "proxy_rejected", "app_unavailable", "app_error", "unknown"}

func TestScenarioCatalogue(t *testing.T) {
	// Words that would give the answer away before the reveal.
	giveaways := append([]string{"refus", "oom", "kill", "timeout", "timed out", "invalid", "rate limit",
		"limit_req", "502", "503", "504", "crash", "shedd", "sheds", "reset"}, causeNames...)
	seen := map[string]bool{}
	for _, s := range Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			if seen[s.Name] {
				t.Fatalf("duplicate name %q", s.Name)
			}
			seen[s.Name] = true
			got, ok := Lookup(s.Name)
			if !ok || got.Name != s.Name {
				t.Fatalf("Lookup(%q) = %q, %v", s.Name, got.Name, ok)
			}
			if s.Summary == "" || s.Explanation == "" || strings.Contains(s.Summary, "\n") {
				t.Errorf("summary %q / explanation must be one line and non-empty", s.Summary)
			}
			if s.Period != Period {
				t.Errorf("period %v, want %v", s.Period, Period)
			}
			for _, c := range s.Causes {
				if !slices.Contains(causeNames, c) {
					t.Errorf("cause %q is not in the vocabulary", c)
				}
			}
			if len(s.Narration) == 0 || s.Narration[0].At != 0 {
				t.Errorf("narration must start at 0")
			}
			for i, b := range s.Narration {
				if b.At < 0 || b.At >= s.Period || i > 0 && b.At <= s.Narration[i-1].At {
					t.Errorf("beat %d at %v: out of order or outside the period", i, b.At)
				}
				for _, w := range giveaways {
					if strings.Contains(strings.ToLower(b.Text), w) {
						t.Errorf("beat %q gives the answer away (%q)", b.Text, w)
					}
				}
			}
		})
	}
	if _, ok := Lookup("no-such-scenario"); ok {
		t.Error("Lookup found a scenario that does not exist")
	}
}

func TestStreamRoles(t *testing.T) {
	tests := []struct {
		s        Stream
		role     sources.Role
		fileName string
	}{
		{Access, sources.RoleProxy, "access.log"},
		{Errors, sources.RoleProxyErrors, "error.log"},
		{App, sources.RoleApp, "app.log"},
	}
	for _, tc := range tests {
		if tc.s.Role() != tc.role || tc.s.FileName() != tc.fileName {
			t.Errorf("%v: role %v file %q, want %v %q", tc.s, tc.s.Role(), tc.s.FileName(), tc.role, tc.fileName)
		}
	}
}

// TestLinesHaveTheRealLayouts checks every line of every scenario (and of the
// loop) against the layouts, and that times agree with each other. Under
// the race detector it checks the first scenario and the loop, which plays
// one scenario after another, 15 s each (make test checks them all without
// it).
func TestLinesHaveTheRealLayouts(t *testing.T) {
	type gen struct {
		name string
		g    *Generator
	}
	var gens []gen
	for i, s := range Scenarios() {
		if raceEnabled && i > 0 {
			break
		}
		gens = append(gens, gen{s.Name, New(s, 1, testStart)})
	}
	gens = append(gens, gen{"loop", Loop(1, testStart, 15*time.Second)})
	for _, tc := range gens {
		t.Run(tc.name, func(t *testing.T) {
			end := at(Period)
			r := generate(t, tc.g, end) // fails on any line that does not parse
			if n := len(r.access); n < 50*60 || n > 200*60 {
				t.Errorf("%d requests in 60 s, want 50 to 200 per second", n)
			}
			for i, l := range r.lines {
				if l.Time.After(end) || i > 0 && l.Time.Before(r.lines[i-1].Time) {
					t.Fatalf("line %d at %v is out of order", i, l.Time)
				}
			}
			for _, e := range r.errors {
				if e.timeText != e.line.Time.Format(errorTime) {
					t.Fatalf("error-log time %q, line time %v", e.timeText, e.line.Time)
				}
				// A request still in flight at the end has no access line yet.
				if r.requestOf(&e) == nil && e.line.Time.Before(end.Add(-11*time.Second)) {
					t.Fatalf("error line outside any request on its connection: %s", e.line.Text)
				}
			}
			for _, a := range r.app {
				if a.Time != a.line.Time.Format(appTime) {
					t.Fatalf("app time %q, line time %v", a.Time, a.line.Time)
				}
			}
			for _, a := range r.access {
				if a.timeText != a.line.Time.Format(accessTime) {
					t.Fatalf("access time %q, line time %v", a.timeText, a.line.Time)
				}
				checkTimes(t, r, &a)
			}
		})
	}
}

// checkTimes checks one request's times: the upstream times fit in
// $request_time and the app's lines lie within the request (a finish may
// come later: the app does not know nginx gave up).
func checkTimes(t *testing.T, r *run, a *accessRec) {
	t.Helper()
	var sum time.Duration
	for _, v := range a.urt {
		if v != "-" {
			d, _ := parseSeconds(v)
			sum += d
		}
	}
	if sum > a.rt {
		t.Fatalf("upstream times %v exceed rt %v: %s", a.urt, a.rt, a.line.Text)
	}
	begin := a.line.Time.Add(-a.rt - time.Millisecond)
	for _, x := range r.byRID[a.rid] {
		if x.line.Time.Before(begin) {
			t.Fatalf("app line before the request began: %s / %s", x.line.Text, a.line.Text)
		}
		if x.Msg == "request started" && x.line.Time.After(a.line.Time) {
			t.Fatalf("app started after nginx finished: %s / %s", x.line.Text, a.line.Text)
		}
		if x.Method != a.method || x.Path != a.uri || !slices.Contains(a.ua, x.Instance) {
			t.Fatalf("app line does not match its request: %s / %s", x.line.Text, a.line.Text)
		}
	}
}

func TestDeterministic(t *testing.T) {
	s, _ := Lookup("oom-kill")
	end := at(90 * time.Second)
	first := New(s, 42, testStart).Until(end)
	again := New(s, 42, testStart).Until(end)
	if diff := cmp.Diff(first, again); diff != "" {
		t.Fatalf("same seed, different lines (-first +again):\n%s", diff)
	}
	// How the lines are pulled must not matter.
	g := New(s, 42, testStart)
	pulled := make([]Line, 0, len(first))
	for len(pulled) < len(first) {
		if len(pulled)%3 == 0 {
			pulled = append(pulled, g.Until(g.Peek())...)
		} else {
			pulled = append(pulled, g.Next())
		}
	}
	if diff := cmp.Diff(first, pulled[:len(first)]); diff != "" {
		t.Fatalf("Next and Until disagree (-Until +Next):\n%s", diff)
	}
	other := New(s, 43, testStart).Until(end)
	if len(other) > 0 && len(first) > 0 && cmp.Equal(first[:100], other[:100]) {
		t.Fatal("different seeds gave the same lines")
	}
	loopA := Loop(9, testStart, 20*time.Second).Until(end)
	loopB := Loop(9, testStart, 20*time.Second).Until(end)
	if !cmp.Equal(loopA, loopB) {
		t.Fatal("the loop is not deterministic")
	}
}

func TestWriteFiles(t *testing.T) {
	s, _ := Lookup("bad-port")
	dir := filepath.Join(t.TempDir(), "logs")
	paths, err := WriteFiles(dir, s, 5, testStart, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "access.log"), filepath.Join(dir, "error.log"), filepath.Join(dir, "app.log")}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Fatalf("paths (-want +got):\n%s", diff)
	}
	var texts [App + 1][]string
	for _, l := range New(s, 5, testStart).Until(at(30 * time.Second)) {
		texts[l.Stream] = append(texts[l.Stream], l.Text+"\n")
	}
	for i, st := range []Stream{Access, Errors, App} {
		data, err := os.ReadFile(paths[i])
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(strings.Join(texts[st], ""), string(data)); diff != "" {
			t.Errorf("%s differs from the generator's lines (-want +got):\n%s", paths[i], diff)
		}
	}
	if n := len(texts[Access]); n < 50*30 || n > 200*30 {
		t.Errorf("%d access lines for 30 s", n)
	}
	if len(texts[Errors]) == 0 {
		t.Error("bad-port wrote no error-log line in 30 s")
	}
	if _, err := WriteFiles(filepath.Join(paths[0], "sub"), s, 5, testStart, time.Second); err == nil {
		t.Error("WriteFiles under a file: want an error")
	}
}

func TestLoopPlaysEveryScenario(t *testing.T) {
	const each = 20 * time.Second
	g := Loop(1, testStart, each)
	all := Scenarios()
	for i := range len(all) + 1 {
		want := all[i%len(all)].Name
		s, began := g.Playing(at(time.Duration(i)*each + 5*time.Second))
		if s.Name != want || !began.Equal(at(time.Duration(i)*each)) {
			t.Errorf("play %d: %q began %v, want %q at %v", i, s.Name, began, want, at(time.Duration(i)*each))
		}
	}
	var want []Cue
	for i, s := range all[:3] {
		for _, b := range s.Narration {
			if b.At < each {
				want = append(want, Cue{Time: at(time.Duration(i)*each + b.At), Scenario: s.Name, Text: b.Text})
			}
		}
	}
	if diff := cmp.Diff(want, g.Cues(testStart, at(3*each))); diff != "" {
		t.Errorf("cues (-want +got):\n%s", diff)
	}
	// Half-open: a beat at `to` belongs to the next call.
	if got := g.Cues(testStart, at(each)); len(got) == 0 || !got[len(got)-1].Time.Before(at(each)) {
		t.Errorf("Cues(start, start+each) = %v", got)
	}
}

func TestSingleScenarioRepeats(t *testing.T) {
	s, _ := Lookup("deploy-crash")
	g := New(s, 1, testStart)
	got, began := g.Playing(at(2*Period + 3*time.Second))
	if got.Name != s.Name || !began.Equal(at(2*Period)) {
		t.Fatalf("Playing = %q from %v", got.Name, began)
	}
	cues := g.Cues(at(Period), at(2*Period))
	if len(cues) != len(s.Narration) || !cues[0].Time.Equal(at(Period)) {
		t.Fatalf("second pass cues = %v", cues)
	}
	// The failure repeats: 502s in the second minute as in the first.
	r := generate(t, g, at(2*Period))
	var first, second int
	for _, a := range r.access {
		if a.status == 502 {
			if a.line.Time.Before(at(Period)) {
				first++
			} else {
				second++
			}
		}
	}
	if first == 0 || second == 0 {
		t.Fatalf("502s per pass: %d, %d", first, second)
	}
}

func TestLimitReqFollowsNginx(t *testing.T) {
	// ngx_http_limit_req_lookup with nodelay: excess in thousandths grows by
	// 1000 per request and drains at rate*ms; above burst*1000 it rejects.
	tests := []struct {
		name       string
		zone       zone
		ms         int64
		wantExcess int64
		wantLimit  bool
	}{
		{"first request", zoneLogin, 0, 0, false},
		{"10 ms later", zoneLogin, 10, 990, false},
		{"20 ms later", zoneLogin, 20, 1980, false},
		{"30 ms later", zoneLogin, 30, 2970, false},
		{"40 ms later", zoneLogin, 40, 3960, false},
		{"50 ms later", zoneLogin, 50, 4950, false},
		{"60 ms later: over burst 5", zoneLogin, 60, 5940, true},
		{"rejected ones do not count", zoneLogin, 61, 5939, true},
		{"one second drains 1000", zoneLogin, 1050, 4950, false},
		{"api zone: first", zoneAPI, 0, 0, false},
		{"api zone: 10 ms drains 200", zoneAPI, 10, 800, false},
	}
	g := New(Scenario{Name: "healthy"}, 1, testStart)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			excess, limited := g.limited(tc.zone, "192.0.2.1", testStart.Add(time.Duration(tc.ms)*time.Millisecond))
			if excess != tc.wantExcess || limited != tc.wantLimit {
				t.Errorf("limited = %d, %v; want %d, %v", excess, limited, tc.wantExcess, tc.wantLimit)
			}
		})
	}
}

func BenchmarkNext(b *testing.B) {
	g := Loop(1, testStart, 0)
	b.ReportAllocs()
	for b.Loop() {
		g.Next()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// TestLoopStartsWithAnIncident checks the loop's order and Upcoming: the
// loop began with the healthy baseline, so "fivexx demo" showed a minute
// without a 5xx and "demo --write DIR --duration 60s" wrote none.
func TestLoopStartsWithAnIncident(t *testing.T) {
	all := Scenarios()
	if len(all[0].Causes) == 0 {
		t.Errorf("the loop starts with %q, which has no 5xx", all[0].Name)
	}
	if last := all[len(all)-1]; last.Name != "healthy" {
		t.Errorf("the loop ends with %q, want the healthy baseline", last.Name)
	}
	const each = 20 * time.Second
	g := Loop(1, testStart, each)
	for _, tc := range []struct {
		at    time.Time
		index int
		in    time.Duration
	}{
		{time.Time{}, 1, each}, // before the first line: from the start
		{testStart, 1, each},
		{at(25 * time.Second), 2, 15 * time.Second},
		{at(time.Duration(len(all)-1)*each + time.Second), 0, each - time.Second}, // the last play: the loop starts over
	} {
		s, i, in, ok := g.Upcoming(tc.at)
		if !ok || i != tc.index || s.Name != all[tc.index].Name || in != tc.in {
			t.Errorf("Upcoming(%v) = %q, %d, %v, %v; want %q, %d, %v", tc.at, s.Name, i, in, ok, all[tc.index].Name, tc.index, tc.in)
		}
	}
	if _, _, _, ok := New(all[0], 1, testStart).Upcoming(testStart); ok {
		t.Error("one scenario playing for ever has a next one")
	}
}
