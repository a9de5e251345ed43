package classify

import (
	"fmt"
	"testing"
	"time"

	"fivexx/sources"
)

// Request ids are noted for app lines to look up: with proxy logs alone
// (every input's role known, none an app log) they are not, and with an
// app log, an input of unknown role, or live, they are.
func TestAnsweredIDsOnlyWithAPossibleAppLog(t *testing.T) {
	proxy, errs := input(0, sources.RoleProxy), input(1, sources.RoleProxyErrors)
	for _, tc := range []struct {
		name  string
		cfg   Config
		noted bool
	}{
		{"proxy and error logs", Config{Inputs: []*sources.Input{proxy, errs}}, false},
		{"with an app log", Config{Inputs: []*sources.Input{proxy, errs, input(2, sources.RoleApp)}}, true},
		{"with an input of unknown role", Config{Inputs: []*sources.Input{proxy, input(2, sources.RoleUnknown)}}, true},
		{"no inputs given", Config{}, true},
		{"live", Config{Inputs: []*sources.Input{proxy}, Live: true, Now: func() time.Time { return time.Unix(1e9, 0) }}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eng := NewEngine(tc.cfg)
			for i := range 10 {
				eng.Add(proxy, upstreamEntry(float64(i), 200, "127.0.0.1:9101", "200", "0.001", fmt.Sprintf("r%d", i)))
			}
			_, _, ok := eng.corr.doneIDs.get(upstreamEntry(3, 200, "127.0.0.1:9101", "200", "0.001", "r3").IDKey())
			if ok != tc.noted {
				t.Errorf("request r3 noted: %v, want %v", ok, tc.noted)
			}
		})
	}
}
