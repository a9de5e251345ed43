package demo

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestCausesMatchTheScenario classifies every 5xx of two passes of each
// scenario, for several seeds, from the logs alone, and expects exactly the
// scenario's Causes, each more than a handful of times. Under the race
// detector it plays seed 1 only (make test runs both without it).
func TestCausesMatchTheScenario(t *testing.T) {
	seeds := []int64{1, 2}
	if raceEnabled {
		seeds = seeds[:1]
	}
	for _, s := range Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			for _, seed := range seeds {
				r := generateSkipping(t, New(s, seed, testStart), at(2*Period), App)
				count := map[string]int{}
				for i := range r.access {
					if c := r.cause(&r.access[i]); c != "" {
						count[c]++
					}
				}
				got := slices.Sorted(maps.Keys(count))
				want := slices.Sorted(slices.Values(s.Causes))
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("seed %d: causes (-want +got):\n%s\ncounts: %v", seed, diff, count)
				}
				for c, n := range count {
					if n < 10 {
						t.Errorf("seed %d: only %d × %s in two passes", seed, n, c)
					}
				}
			}
		})
	}
}

// signature is what one scenario must show in its logs.
type signature func(t *testing.T, r *run)

func TestFailureSignatures(t *testing.T) {
	tests := []struct {
		name  string
		check signature
	}{
		{"healthy", healthySignature},
		{"deploy-crash", deployCrashSignature},
		{"oom-kill", oomKillSignature},
		{"db-failover", dbFailoverSignature},
		{"overload", overloadSignature},
		{"slow-dependency", slowDependencySignature},
		{"bad-port", badPortSignature},
		{"bad-header", badHeaderSignature},
	}
	if len(tests) != len(Scenarios()) {
		t.Fatalf("%d signatures for %d scenarios", len(tests), len(Scenarios()))
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := Lookup(tc.name)
			if !ok {
				t.Fatalf("no scenario %q", tc.name)
			}
			tc.check(t, generate(t, New(s, 11, testStart), at(Period)))
		})
	}
}

func failed(r *run) []*accessRec {
	var out []*accessRec
	for i := range r.access {
		if r.access[i].status >= 500 {
			out = append(out, &r.access[i])
		}
	}
	return out
}

func hasMsg(lines []appRec, level, msg string) bool {
	for _, a := range lines {
		if a.Level == level && a.Msg == msg {
			return true
		}
	}
	return false
}

func countUS(r *run, us string) int {
	n := 0
	for _, a := range r.access {
		if strings.Join(a.us, ", ") == us {
			n++
		}
	}
	return n
}

func healthySignature(t *testing.T, r *run) {
	if f := failed(r); len(f) > 0 || len(r.errors) > 0 {
		t.Fatalf("%d 5xx and %d error lines in the baseline", len(f), len(r.errors))
	}
	var statuses [6]int
	for _, a := range r.access {
		statuses[a.status/100]++
		if a.line.Time.Before(at(Period - 6*time.Second)) {
			if len(r.started(a.rid)) != 1 || len(r.finished(a.rid)) != 1 {
				t.Fatalf("request without its two app lines: %s", a.line.Text)
			}
		}
	}
	for class := 2; class <= 4; class++ {
		if statuses[class] == 0 {
			t.Errorf("no %dxx in the baseline", class)
		}
	}
}

func deployCrashSignature(t *testing.T, r *run) {
	for _, a := range failed(r) {
		if a.status != 502 || slices.ContainsFunc(a.uct, func(v string) bool { return v != "-" }) {
			t.Fatalf("want 502 with every connect refused: %s", a.line.Text)
		}
		if len(r.byRID[a.rid]) != 0 {
			t.Fatalf("a refused request has app lines: %s", a.line.Text)
		}
		if !strings.HasPrefix(a.ua[0], "10.0.1.") {
			t.Fatalf("failure outside the api pool: %s", a.line.Text)
		}
	}
	for _, e := range r.errors {
		if e.msg != failureText[refused] {
			t.Fatalf("unexpected error line: %s", e.line.Text)
		}
	}
	if countUS(r, "502, 502") == 0 || countUS(r, "502, 200") == 0 {
		t.Errorf("want retried-then-failed and retried-then-ok requests: %d, %d", countUS(r, "502, 502"), countUS(r, "502, 200"))
	}
}

func oomKillSignature(t *testing.T, r *run) {
	for _, a := range failed(r) {
		if a.status != 502 || a.uht[len(a.uht)-1] != "-" || a.uct[len(a.uct)-1] == "-" {
			t.Fatalf("want 502 after a connection was made: %s", a.line.Text)
		}
		if len(r.started(a.rid)) == 0 || len(r.finished(a.rid)) != 0 {
			t.Fatalf("want \"request started\" and no \"request finished\": %s", a.line.Text)
		}
		ok := false
		for _, e := range r.errorsFor(a) {
			ok = ok || e.msg == failureText[closedEarly] || e.msg == failureText[resetByPeer]
		}
		if !ok {
			t.Fatalf("no premature-close or reset error line: %s", a.line.Text)
		}
	}
	retried := 0
	for _, a := range r.access {
		if strings.Join(a.us, ", ") == "502, 200" && a.uct[0] != "-" {
			retried++
			if len(r.started(a.rid)) != 2 || len(r.finished(a.rid)) != 1 || r.finished(a.rid)[0].Instance != a.ua[1] {
				t.Fatalf("a reset-then-ok request needs two starts and one finish on the second server: %s", a.line.Text)
			}
		}
	}
	if retried == 0 {
		t.Error("no GET was retried after a reset")
	}
	for _, x := range r.app {
		if x.Msg != "request started" && x.Msg != "request finished" {
			t.Fatalf("the app logs nothing but starts and finishes here: %s", x.line.Text)
		}
	}
}

func dbFailoverSignature(t *testing.T, r *run) {
	if len(r.errors) > 0 {
		t.Fatalf("nginx logged an error: %s", r.errors[0].line.Text)
	}
	for _, a := range failed(r) {
		last := len(a.us) - 1
		if a.us[last] != strconv.Itoa(a.status) || a.uht[last] == "-" || !strings.HasPrefix(a.uri, "/api/") {
			t.Fatalf("want the api's own answer passed through: %s", a.line.Text)
		}
		lines := r.byRID[a.rid]
		fin := r.finished(a.rid)
		if len(fin) != 1 || *fin[0].Status != a.status {
			t.Fatalf("want one finish with the status: %s", a.line.Text)
		}
		switch a.status {
		case 503:
			if !hasMsg(lines, "ERROR", "database unavailable: dial tcp 10.0.5.10:5432: connect: connection refused") ||
				!hasMsg(lines, "WARN", "returning 503, Retry-After: 5") {
				t.Fatalf("503 without the app's database lines: %s", a.line.Text)
			}
		case 500:
			if !slices.ContainsFunc(lines, func(x appRec) bool { return x.Level == "ERROR" && strings.HasPrefix(x.Msg, "query failed: ") }) {
				t.Fatalf("500 without a failed query: %s", a.line.Text)
			}
		default:
			t.Fatalf("unexpected status: %s", a.line.Text)
		}
	}
}

func overloadSignature(t *testing.T, r *run) {
	var limited, shed, tooMany int
	for _, a := range r.access {
		switch {
		case a.status == 429:
			tooMany++
			checkLimited(t, r, &a, stufferIP, "login")
		case a.status == 503 && a.us[0] == "-":
			limited++
			checkLimited(t, r, &a, scraperIP, "api")
		case a.status == 503:
			shed++
			if a.uht[0] == "-" || !hasMsg(r.byRID[a.rid], "WARN", "returning 503, Retry-After: 1") ||
				*r.finished(a.rid)[0].Status != 503 {
				t.Fatalf("app 503 without its lines: %s", a.line.Text)
			}
		case a.status >= 500:
			t.Fatalf("unexpected 5xx: %s", a.line.Text)
		}
	}
	if limited == 0 || shed == 0 || tooMany == 0 {
		t.Errorf("limited %d, shed %d, 429 %d: want all three", limited, shed, tooMany)
	}
}

func checkLimited(t *testing.T, r *run, a *accessRec, ip, zone string) {
	t.Helper()
	if a.client != ip || a.ua[0] != "-" || a.uct[0] != "-" || a.urt[0] != "-" || len(r.byRID[a.rid]) != 0 {
		t.Fatalf("want a limiter rejection of %s, no upstream, no app line: %s", ip, a.line.Text)
	}
	errs := r.errorsFor(a)
	if len(errs) == 0 || !strings.HasPrefix(errs[0].msg, "limiting requests, excess: ") ||
		!strings.HasSuffix(errs[0].msg, ` by zone "`+zone+`"`) || errs[0].upstream != "" {
		t.Fatalf("no limit_req line for: %s", a.line.Text)
	}
}

func slowDependencySignature(t *testing.T, r *run) {
	var twice, post int
	for _, a := range failed(r) {
		if a.status != 504 {
			t.Fatalf("want 504: %s", a.line.Text)
		}
		for i := range a.us {
			d, _ := parseSeconds(a.urt[i])
			if a.us[i] != "504" || a.uht[i] != "-" || d < readTimeout || d > readTimeout+10*time.Millisecond {
				t.Fatalf("attempt %d did not time out at 5 s: %s", i, a.line.Text)
			}
		}
		if len(a.us) == 2 && a.method == "GET" && a.rt >= 2*readTimeout {
			twice++
		}
		if a.method == "POST" && len(a.us) == 1 {
			post++
		}
		errs := r.errorsFor(a)
		for _, f := range r.finished(a.rid) {
			if *f.Status/100 != 2 || *f.DurationMs <= 5000 {
				t.Fatalf("the app should finish with a 2xx after more than 5 s: %s", f.line.Text)
			}
			if !slices.ContainsFunc(errs, func(e errorRec) bool {
				return e.msg == failureText[timedOut] && e.upstream == "http://"+f.Instance+a.uri && f.line.Time.After(e.line.Time)
			}) {
				t.Fatalf("the app finished before nginx gave up: %s / %s", f.line.Text, a.line.Text)
			}
		}
		if strings.HasPrefix(a.uri, "/api/search") || strings.HasPrefix(a.uri, "/api/users/") {
			t.Fatalf("an endpoint without the dependency timed out: %s", a.line.Text)
		}
	}
	if twice == 0 || post == 0 {
		t.Errorf("want retried GETs (%d) and unretried POSTs (%d) timing out", twice, post)
	}
	if countUS(r, "504, 200") == 0 {
		t.Error("no request succeeded on its second try")
	}
}

func badPortSignature(t *testing.T, r *run) {
	for _, a := range failed(r) {
		if a.status != 502 || len(a.ua) != 1 || a.ua[0] != wrongBillingAddr || a.uct[0] != "-" || len(r.byRID[a.rid]) != 0 {
			t.Fatalf("want one refused attempt at %s and no app line: %s", wrongBillingAddr, a.line.Text)
		}
		if r.cause(a) != "upstream_refused" {
			t.Fatalf("no refused error line: %s", a.line.Text)
		}
	}
	for _, a := range r.access {
		toBilling := strings.HasPrefix(a.uri, "/billing/")
		switch {
		case toBilling && a.line.Time.After(at(16*time.Second)) && a.line.Time.Before(at(44*time.Second)) && a.status != 502:
			t.Fatalf("a billing request got through the wrong port: %s", a.line.Text)
		case toBilling && a.line.Time.Before(at(14*time.Second)) && a.ua[0] != servers[billing].addr:
			t.Fatalf("billing before the change: %s", a.line.Text)
		}
	}
	// The reloads replace the workers.
	var before, during []int64
	for _, e := range r.errors {
		if e.line.Time.Before(at(15 * time.Second)) {
			before = append(before, e.pid)
		} else {
			during = append(during, e.pid)
		}
	}
	if len(before) != 0 || len(during) == 0 {
		t.Fatalf("error lines before the change: %d, after: %d", len(before), len(during))
	}
}

func badHeaderSignature(t *testing.T, r *run) {
	for _, a := range failed(r) {
		if a.status != 502 || len(a.ua) != 1 || a.ua[0] != "10.0.2.22:3000" || a.uht[0] != "-" || a.uct[0] == "-" ||
			strings.HasPrefix(a.uri, "/static/") {
			t.Fatalf("want a page from the canary with a header that did not parse: %s", a.line.Text)
		}
		fin := r.finished(a.rid)
		if len(fin) != 1 || *fin[0].Status >= 500 {
			t.Fatalf("the app should think it answered: %s", a.line.Text)
		}
		if r.cause(a) != "upstream_bad_response" {
			t.Fatalf("no invalid-header error line: %s", a.line.Text)
		}
	}
	static := 0
	for _, a := range r.access {
		if a.ua[0] == "10.0.2.22:3000" && strings.HasPrefix(a.uri, "/static/") &&
			a.line.Time.After(at(16*time.Second)) && a.line.Time.Before(at(44*time.Second)) && a.status < 400 {
			static++
		}
	}
	if static == 0 {
		t.Error("static files from the canary should still work")
	}
}
