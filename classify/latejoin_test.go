package classify

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

// lateJoinVerdict is a verdict and the log clock when it was made.
type lateJoinVerdict struct {
	v   *Verdict
	now time.Time
}

// lateJoinRun feeds recs to a report's engine (grace 5 s, by log time)
// over a proxy, an error and an app input, advancing after each record,
// and returns the verdicts by request id.
func lateJoinRun(t *testing.T, cfg Config, recs []sources.Record) (map[string]lateJoinVerdict, *Engine) {
	t.Helper()
	proxy, errs, app := input(0, sources.RoleProxy), input(1, sources.RoleProxyErrors), input(2, sources.RoleApp)
	got := map[string]lateJoinVerdict{}
	var eng *Engine
	cfg.Inputs, cfg.Grace = []*sources.Input{proxy, errs, app}, 5*time.Second
	cfg.OnVerdict = func(v *Verdict) { got[v.Entry.RequestID] = lateJoinVerdict{v, eng.LogNow()} }
	eng = NewEngine(cfg)
	for _, r := range recs {
		eng.Add(inputOf(r, proxy, errs, app), r)
		eng.Advance()
	}
	return got, eng
}

// failedAt is a 5xx of request id rid and path /rid at sec, and before it
// its error-log line of reason r.
func failedAt(sec float64, status int, rid string, r sources.Reason, msg string) []sources.Record {
	e := upstreamEntry(sec, status, "10.0.3.31:7700", strconv.Itoa(status), "-", rid)
	e.Path = "/" + rid
	l := errLine(sec, r, msg)
	l.Path, l.Request = e.Path, "GET "+e.Path+" HTTP/1.1"
	return []sources.Record{l, e}
}

// answeredAt is a request the proxy answered 200 at sec, its app line
// just before.
func answeredAt(sec float64, rid string) []sources.Record {
	a := appLine(sec-0.01, sources.PhaseEnd, rid, 200, "info", "request finished")
	return []sources.Record{a, upstreamEntry(sec, 200, "10.0.1.11:8080", "200", "0.010", rid)}
}

// A request the proxy gave up on (its read timeout) is the one the app
// finishes later: the report's 504 waits for the app's end line beyond
// its grace, apart from the other 5xx, and says what it found. QA
// (session 27): 668 of 776 504s said "app: no line with request id …:
// the app never saw it", the app's "request finished" 5 s after the
// proxy gave up, just past the 5 s grace.
func TestTimedOutRequestWaitsForTheAppsEnd(t *testing.T) {
	const timedOut = "upstream timed out (110: Connection timed out) while reading response header from upstream"
	var recs []sources.Record
	// An app 500 joined by id: ids join on this system.
	recs = append(recs, appLine(0.4, sources.PhaseEnd, "e1", 500, "error", "request finished"), upstreamEntry(0.5, 500, "10.0.1.11:8080", "500", "0.010", "e1"))
	recs = append(recs, failedAt(1, 504, "slow", sources.ReasonReadTimeout, timedOut)...)
	recs = append(recs, failedAt(1.5, 504, "gone", sources.ReasonReadTimeout, timedOut)...)
	recs = append(recs, failedAt(2, 502, "refused", sources.ReasonRefused, "connect() failed (111: Connection refused) while connecting to upstream")...)
	for s := 3; s <= 90; s++ {
		recs = append(recs, answeredAt(float64(s), fmt.Sprintf("ok%d", s))...)
		if s == 9 {
			// The app finishes the slow request 8 s after the proxy gave up.
			recs = append(recs, appLine(9.5, sources.PhaseEnd, "slow", 200, "info", "request finished"))
		}
	}
	got, _ := lateJoinRun(t, Config{}, recs)
	for _, v := range got {
		for _, l := range v.v.Evidence {
			if strings.Contains(l, "never saw") {
				t.Errorf("%s: %q: no log says the app never saw a request", v.v.Entry.RequestID, l)
			}
		}
	}

	slow := got["slow"]
	if slow.v == nil {
		t.Fatal("no verdict for the 504 whose app finished 8.5 s later")
	}
	if len(slow.v.AppLines) != 1 || slow.v.MatchedBy != "request_id" || !slices.Contains(slow.v.Evidence, finishedLateText) {
		t.Fatalf("the 504 whose app finished 8.5 s later: %d app lines by %q, %q; want its app line by request id and %q",
			len(slow.v.AppLines), slow.v.MatchedBy, slow.v.Evidence, finishedLateText)
	}
	if slow.v.Cause != UpstreamTimeout || slow.v.Confidence != High || slow.v.AppIDAbsent {
		t.Errorf("the 504 whose app finished later: %s %s, id absent %v; want upstream_timeout high", slow.v.Cause, slow.v.Confidence, slow.v.AppIDAbsent)
	}
	if at := t0.Add(10 * time.Second); slow.now.After(at) {
		t.Errorf("the 504 whose app finished at +9.5 s was judged at %s: not once its end line came (by %s)", slow.now.Format(time.TimeOnly), at.Format(time.TimeOnly))
	}

	refused := got["refused"]
	if refused.v == nil || !refused.now.Before(t0.Add(8*time.Second)) {
		t.Fatalf("the refused 502 after the 504s was judged at %v: held back behind them", refused.now)
	}
	if want := "app: no app line with request id refused within 5 s after the 502"; !slices.Contains(refused.v.Evidence, want) {
		t.Errorf("refused 502 evidence %q; want %q", refused.v.Evidence, want)
	}

	gone := got["gone"]
	if gone.v == nil {
		t.Fatal("no verdict for the 504 the app never logged")
	}
	if len(gone.v.AppLines) != 0 || gone.v.Cause != UpstreamTimeout || gone.v.Confidence != High {
		t.Fatalf("the 504 the app never logged: %s %s, %d app lines; want upstream_timeout high without app lines", gone.v.Cause, gone.v.Confidence, len(gone.v.AppLines))
	}
	if d := gone.now.Sub(gone.v.Entry.Time); d < time.Minute || d > 70*time.Second {
		t.Errorf("the 504 the app never logged was judged %s after it; want its grace and the upstream timeout (65 s)", d)
	}
	if want := "app: no app line with request id gone within 65 s after the 504"; !slices.Contains(gone.v.Evidence, want) {
		t.Errorf("evidence %q; want %q", gone.v.Evidence, want)
	}
	if !gone.v.AppIDAbsent || gone.v.NoAppLine() != "no app line with request id gone within 65 s after the 504" {
		t.Errorf("the UI's app lines say %q (id absent %v); want the evidence's words", gone.v.NoAppLine(), gone.v.AppIDAbsent)
	}
}

// The 5xx waiting for their app's end line are bounded: the oldest is
// judged when one more would pass the pending cap, saying how long it
// waited; the end of the input judges the rest.
func TestWaitingForTheAppsEndIsBounded(t *testing.T) {
	const timedOut = "upstream timed out (110: Connection timed out) while reading response header from upstream"
	recs := []sources.Record{appLine(0.4, sources.PhaseEnd, "e1", 500, "error", "request finished"), upstreamEntry(0.5, 500, "10.0.1.11:8080", "500", "0.010", "e1")}
	for s := 1; s <= 25; s++ {
		if s%2 == 1 && s < 20 { // 10 504s, 2 s apart: at most 3 in their grace at once
			recs = append(recs, failedAt(float64(s), 504, fmt.Sprintf("t%d", s), sources.ReasonReadTimeout, timedOut)...)
		}
		recs = append(recs, answeredAt(float64(s)+0.5, fmt.Sprintf("ok%d", s))...)
	}
	got, eng := lateJoinRun(t, Config{MaxPending: 4}, recs)
	if s := eng.Publish(false); s.Pending != 4 || s.Dropped.Pending != 0 {
		t.Errorf("%d 5xx pending at +25 s, %d judged early; want 4 (the cap), 0", s.Pending, s.Dropped.Pending)
	}
	var judged []string
	for id, v := range got {
		if !strings.HasPrefix(id, "t") {
			continue
		}
		judged = append(judged, id)
		// Judged when the fifth after it began to wait, its grace over:
		// 13 s after it.
		if want := "app: no app line with request id " + id + " within 13 s after the 504"; !slices.Contains(v.v.Evidence, want) {
			t.Errorf("%s: %q; want %q", id, v.v.Evidence, want)
		}
	}
	slices.Sort(judged)
	if want := []string{"t1", "t11", "t3", "t5", "t7", "t9"}; !slices.Equal(judged, want) {
		t.Errorf("judged by +25 s: %v; want the 6 oldest, %v", judged, want)
	}
	eng.Flush()
	if s := eng.Publish(false); s.Pending != 0 || len(got) != 11 {
		t.Errorf("after the flush: %d pending, %d verdicts; want 0, 11", s.Pending, len(got))
	}
}
