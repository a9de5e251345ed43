package classify

import (
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

// A 504 of a plain combined line, no error log, no app log: the verdict
// stays upstream_timeout low (nginx answers 504 when its upstream times
// out), but it named the phase "read" beside "Evidence: none recorded"
// (QA s24 TUI #3). The phase comes from the timings only, the evidence
// says the verdict rests on the status, and the verdict carries which
// logs were read and how far its app window reached, for the UI.
func TestBare504NamesNoPhase(t *testing.T) {
	bare := &sources.ProxyEntry{Status: 504, Method: "GET", Path: "/p/7", RequestTime: -1}
	for _, c := range []struct {
		name     string
		ev       evidence
		detail   string
		evidence string // a prefix of the only evidence line; "" for none of "status 504 alone"
	}{
		{"no logs", evidence{e: bare}, "",
			"status 504 alone: the proxy answers 504 when the upstream times out (without upstream fields an app's own 504 reads the same); no error log read"},
		{"error log quiet", evidence{e: bare, errorLog: true, family: "nginx"}, "",
			"status 504 alone: the proxy answers 504 when the upstream times out (without upstream fields an app's own 504 reads the same); no timing and no error-log line"},
		{"connected", evidence{e: &sources.ProxyEntry{Status: 504, RequestTime: -1, UpstreamConnect: []string{"0.001"}}}, "read", ""},
		{"never connected", evidence{e: &sources.ProxyEntry{Status: 504, RequestTime: -1, UpstreamConnect: []string{"-"}}}, "connect", ""},
	} {
		v := judge(c.ev)
		if v.Cause != UpstreamTimeout || v.Confidence != Low || v.Detail != c.detail {
			t.Errorf("%s: %s · %q · %s, want upstream_timeout · %q · low", c.name, v.Cause, v.Detail, v.Confidence, c.detail)
		}
		alone := 0
		for _, l := range v.Evidence {
			if strings.HasPrefix(l, "status 504 alone") {
				alone++
			}
		}
		switch {
		case c.evidence == "" && alone > 0:
			t.Errorf("%s: evidence %q says status alone", c.name, v.Evidence)
		case c.evidence != "" && (len(v.Evidence) != 1 || !strings.HasPrefix(v.Evidence[0], c.evidence)):
			t.Errorf("%s: evidence %q, want one line %q…", c.name, v.Evidence, c.evidence)
		}
	}

	ev := evidence{e: bare, errorLog: true, appLog: true, lookback: 60 * time.Second}
	v := judge(ev)
	if !v.ErrorLog || !v.AppLog || v.AppLookback != 60*time.Second {
		t.Errorf("verdict carries ErrorLog %v AppLog %v AppLookback %v", v.ErrorLog, v.AppLog, v.AppLookback)
	}
	if got := v.AppWindow(); !strings.HasPrefix(got, "from 62 s before to 2 s after") {
		t.Errorf("AppWindow() = %q", got)
	}
	if v := judge(evidence{e: bare}); v.ErrorLog || v.AppLog || v.AppWindow() != "within ±2 s" {
		t.Errorf("no logs: ErrorLog %v AppLog %v AppWindow %q", v.ErrorLog, v.AppLog, v.AppWindow())
	}
}
