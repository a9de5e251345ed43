package classify

import (
	"testing"

	"fivexx/sources"
)

// Without ids and with the app's clock 3.5 s ahead, each app 500's
// window holds another request's "finished 200" (and its start), not its
// own lines: the evidence said "app: finished with 200" beside
// upstream_status 500, and no advice said the clock may be off (QA s36
// M1). The 200 is not the 500's, and six of six 500s holding only
// another status make the clock advice, though the window finds a line
// for each (the start of a request that never ended).
func TestWindowRejectsAnotherStatus(t *testing.T) {
	const addr = "127.0.0.1:9101"
	proxy, app := input(0, sources.RoleProxy), input(2, sources.RoleApp)
	var recs []sources.Record
	for i := range 6 {
		at := float64(20 * i)
		recs = append(recs,
			appLine(at+0.4, sources.PhaseStart, "", 0, "info", "request started"),
			appLine(at+0.45, sources.PhaseEnd, "", 200, "info", "request finished"),
			appLine(at+0.8, sources.PhaseStart, "", 0, "info", "request started"), // one that never ends
			upstreamEntry(at+1, 500, addr, "500", "0.030", ""),
			appLine(at+4.47, sources.PhaseStart, "", 0, "info", "request started"),
			appLine(at+4.5, sources.PhaseEnd, "", 500, "error", "request finished"),
		)
	}
	var got []*Verdict
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, OnVerdict: func(v *Verdict) { got = append(got, v) }})
	feedAll(eng, proxy, app, recs)
	if len(got) != 6 {
		t.Fatalf("%d verdicts, want 6", len(got))
	}
	for i, v := range got {
		for _, a := range v.AppLines {
			if a.Status != 0 && a.Status != 500 {
				t.Errorf("500 %d: joined an app line that finished with %d (%v)", i, a.Status, v.Evidence)
			}
		}
	}
	if s := adviceWith(eng.Publish(true), "held only app lines that finished with another status"); s == "" {
		t.Errorf("no clock advice; advice: %+v", eng.Publish(true).Advice)
	}
}
