package classify

import (
	"testing"
	"time"

	"fivexx/sources"
)

// TestProxyAnswersNearest checks the bound nearest gives: a whole-second
// stamp stands for its second, a stamp with a fraction for its instant,
// the nearer of a second's earliest and latest, and no other method,
// path, query or status.
func TestProxyAnswersNearest(t *testing.T) {
	at := func(sec, ms int) time.Time { return time.Date(2024, 1, 2, 3, 4, sec, ms*1e6, time.UTC) }
	var p proxyAnswers
	p.start()
	p.add(&sources.ProxyEntry{Time: at(6, 0), Method: "GET", Path: "/api", Status: 200}, true)
	p.add(&sources.ProxyEntry{Time: at(9, 100), Method: "GET", Path: "/b", Status: 200}, false)
	p.add(&sources.ProxyEntry{Time: at(9, 900), Method: "GET", Path: "/b", Status: 200}, false)
	tests := []struct {
		name         string
		method, path string
		status       int
		t            time.Time
		want         time.Duration
		ok           bool
	}{
		{"in the whole second", "GET", "/api", 200, at(6, 2), 0, true},
		{"before the whole second", "GET", "/api", 200, at(5, 800), 200 * time.Millisecond, true},
		{"after it", "GET", "/api", 200, at(7, 300), 300 * time.Millisecond, true},
		{"two seconds off", "GET", "/api", 200, at(8, 500), 0, false},
		{"another status", "GET", "/api", 500, at(6, 2), 0, false},
		{"another method", "POST", "/api", 200, at(6, 2), 0, false},
		{"another query", "GET", "/api?x=1", 200, at(6, 2), 0, false},
		{"nearer the earliest", "GET", "/b", 200, at(9, 300), 200 * time.Millisecond, true},
		{"nearer the latest", "GET", "/b", 200, at(10, 0), 100 * time.Millisecond, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := p.nearest(tt.method, tt.path, tt.status, tt.t)
			if ok != tt.ok || ok && got != tt.want {
				t.Errorf("nearest = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
