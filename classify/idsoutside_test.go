package classify

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

// errorsOnlyApp is an app that logs only its errors behind a proxy that
// logs request ids: n requests a second apart, each one the app answered
// 500 itself (the proxy had its header), the app's line of each stamped
// skew off the proxy's, and a request the proxy answered 200, whose line
// the app did not write, every half second between them. The records
// come in the order a report's merge reads them: by their own times.
func errorsOnlyApp(n int, skew time.Duration) (proxy, app *sources.Input, recs []sources.Record) {
	proxy, app = input(0, sources.RoleProxy), input(2, sources.RoleApp)
	for i := 0; i < n; i++ {
		id := "err" + itoa(i)
		recs = append(recs,
			upstreamEntry(float64(i), 500, "10.0.1.11:8080", "500", "0.030", id),
			upstreamEntry(float64(i)+0.5, 200, "10.0.1.11:8080", "200", "0.010", "ok"+itoa(i)))
		a := appLine(float64(i)-0.2, sources.PhaseEnd, id, 500, "error", "request finished")
		a.Time = a.Time.Add(skew)
		recs = append(recs, a)
	}
	slices.SortStableFunc(recs, func(a, b sources.Record) int { return a.RecordTime().Compare(b.RecordTime()) })
	return proxy, app, recs
}

// judgeErrorsOnly runs errorsOnlyApp(n, skew) through a report's engine
// and returns its verdicts and snapshot.
func judgeErrorsOnly(t *testing.T, n int, skew time.Duration) ([]*Verdict, *Snapshot) {
	t.Helper()
	proxy, app, recs := errorsOnlyApp(n, skew)
	var got []*Verdict
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, OnVerdict: func(v *Verdict) { got = append(got, v) }})
	feedAll(eng, proxy, app, recs)
	if len(got) != n {
		t.Fatalf("%d verdicts, want %d", len(got), n)
	}
	return got, eng.Publish(true)
}

// adviceWith returns the advice whose problem holds s, or "".
func adviceWith(s *Snapshot, text string) string {
	for _, a := range s.Advice {
		if strings.Contains(a.Problem, text) || strings.Contains(a.Fix, text) {
			return a.Problem + " / " + a.Fix
		}
	}
	return ""
}

// An app that logs only its errors gives no skew sample by the requests
// the proxy answered below 500: its own 500s are its only lines. 5 min
// behind, its lines came and were let go (held 2 min) before their 5xx:
// no verdict had its app line, and the advice said "no request id joins
// them" of lines that each carry a 5xx's id. They are remembered, joined
// by id when their 5xx come, and tell the clock.
func TestErrorsOnlyAppBehindJoinsByID(t *testing.T) {
	const n = 40
	got, s := judgeErrorsOnly(t, n, -5*time.Minute)
	for _, v := range got {
		if len(v.AppLines) != 1 || v.Cause != AppError || !slices.ContainsFunc(v.Evidence, func(e string) bool { return strings.Contains(e, "(by request id)") }) {
			t.Errorf("%s: %s %s, %d app lines %q; want app_error, its line by request id", v.Entry.RequestID, v.Cause, v.Confidence, len(v.AppLines), v.Evidence)
		}
	}
	// One sample a request: the line held again is not sampled again.
	if s.AppSkew.Skew < -5*time.Minute-time.Second || s.AppSkew.Skew > -5*time.Minute+time.Second || s.AppSkew.Samples == 0 || s.AppSkew.Samples > n {
		t.Errorf("app skew %v from %d samples, want -5m from at most one a request (%d)", s.AppSkew.Skew, s.AppSkew.Samples, n)
	}
	if a := adviceWith(s, "no request id joins"); a != "" {
		t.Errorf("advice says no id joins: %s", a)
	}
	if adviceWith(s, "--app-skew -5m ") == "" || adviceWith(s, "5m behind the proxy's") == "" {
		t.Errorf("no advice names --app-skew -5m: %+v", s.Advice)
	}
}

// 1 h ahead, its lines come after every verdict: the app's own 500s are
// skew samples as they come (the proxy logged the status the app
// answered), and the advice names --app-skew 1h; before, nothing said
// anything of them.
func TestErrorsOnlyAppAheadIsAdvised(t *testing.T) {
	_, s := judgeErrorsOnly(t, 40, time.Hour)
	if s.AppSkew.Skew < time.Hour-time.Second || s.AppSkew.Skew > time.Hour+time.Second {
		t.Errorf("app skew %v from %d samples, want +1h", s.AppSkew.Skew, s.AppSkew.Samples)
	}
	if a := adviceWith(s, "no request id joins"); a != "" {
		t.Errorf("advice says no id joins: %s", a)
	}
	if adviceWith(s, "--app-skew 1h ") == "" {
		t.Errorf("no advice names --app-skew 1h: %+v", s.Advice)
	}
}

// Where the clocks agree, the app's own 500s join by id and nothing is
// said of the clock.
func TestErrorsOnlyAppAgreeingSaysNothing(t *testing.T) {
	got, s := judgeErrorsOnly(t, 40, 0)
	for _, v := range got {
		if len(v.AppLines) != 1 {
			t.Errorf("%s: %d app lines, want its own", v.Entry.RequestID, len(v.AppLines))
		}
	}
	if a := adviceWith(s, "--app-skew"); a != "" {
		t.Errorf("advice on clocks that agree: %s", a)
	}
}
