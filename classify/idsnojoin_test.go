package classify

import (
	"fmt"
	"strings"
	"testing"

	"fivexx/sources"
)

// Request ids that never join got no advice: with an app log of another
// system, not one of 100,000 access lines' ids in it, the evidence said
// the app logged the requests that went well and the coverage was 0
// (QA s37 L6). The advice is given when the proxy answered requests
// below 500 with ids the app never logged, and not when the ids join, nor
// when the app never saw what the proxy answered, all refused.
func TestIDsThatNeverJoinAreAdvised(t *testing.T) {
	const n = 200
	for _, tc := range []struct {
		name    string
		status  int
		appIDs  func(i int) string
		advised bool
	}{
		{"ids of another system", 200, func(i int) string { return fmt.Sprintf("zz%d", i) }, true},
		{"the proxy's ids", 200, func(i int) string { return fmt.Sprintf("r%d", i) }, false},
		{"all refused", 502, func(i int) string { return fmt.Sprintf("zz%d", i) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proxy, app := input(0, sources.RoleProxy), input(1, sources.RoleApp)
			eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}})
			var recs []sources.Record
			for i := 0; i < n; i++ {
				sec := float64(i) * 0.05
				recs = append(recs, appLine(sec, sources.PhaseEnd, tc.appIDs(i), 200, "INFO", "request finished"))
				uht, us := "0.001", "200"
				if tc.status >= 500 {
					uht, us = "-", "502"
				}
				recs = append(recs, upstreamEntry(sec+0.001, tc.status, "10.0.0.1:8080", us, uht, fmt.Sprintf("r%d", i)))
			}
			feedAll(eng, proxy, app, recs)
			var found []string
			for _, a := range eng.Publish(true).Advice {
				if strings.Contains(a.Problem, "request ids of requests the proxy answered below 500 appear in the app log") {
					found = append(found, a.Problem)
				}
			}
			if tc.advised != (len(found) == 1) {
				t.Errorf("advice %q, want it: %v", found, tc.advised)
			}
			if tc.advised && len(found) == 1 && !strings.HasPrefix(found[0], fmt.Sprintf("0 of %d ", n)) {
				t.Errorf("advice %q, want it to count the %d requests", found[0], n)
			}
		})
	}
}
