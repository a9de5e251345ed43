package classify

import (
	"math/rand"
	"slices"
	"testing"
	"time"

	"fivexx/sources"
)

// keyRivals leaves out only waiting 5xx that no line of e's join key can
// fit: every rival (rivals) that an error line of e's client, method and
// path fits (errFits, in its own span) is among them, and they are rivals.
// Waiting 5xx of three clients, two methods and paths with and without a
// query, some with a serial or client port, against lines of every key.
func TestKeyRivalsKeepEveryRivalALineOfTheKeyFits(t *testing.T) {
	c := newCorrelator(Config{}.withDefaults())
	rng := rand.New(rand.NewSource(1))
	base := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	clients := []string{"10.0.0.1", "10.0.0.2", "10.0.0.3"}
	methods := []string{"GET", "POST"}
	paths := []string{"/a", "/a?x=1", "/b"}
	at := func() time.Time { return base.Add(time.Duration(rng.Intn(20_000)) * time.Millisecond) }
	var waiting []*sources.ProxyEntry
	for range 300 {
		e := &sources.ProxyEntry{Status: 502, Time: at(), Client: clients[rng.Intn(3)], Method: methods[rng.Intn(2)],
			Path: paths[rng.Intn(3)], RequestTime: float64(rng.Intn(3000)) / 1000}
		switch rng.Intn(4) {
		case 0:
			e.Conn = "7"
		case 1:
			e.ClientPort = "5000"
		}
		c.wait(e)
		waiting = append(waiting, e)
	}
	fitting, all := 0, 0
	for _, e := range waiting[:80] {
		var rivals, kept []*sources.ProxyEntry
		c.rivals(e, func(w *sources.ProxyEntry) { rivals = append(rivals, w) })
		c.keyRivals(e, func(w *sources.ProxyEntry) { kept = append(kept, w) })
		for _, w := range kept {
			if !slices.Contains(rivals, w) {
				t.Fatalf("keyRivals gave %+v, not a rival of %+v", *w, *e)
			}
		}
		for range 20 {
			x := &sources.ProxyError{Time: at(), Client: e.Client, Method: e.Method, Path: e.Path}
			if rng.Intn(2) == 0 {
				x.Conn = "7"
			}
			for _, w := range rivals {
				all++
				from, to := c.span(w)
				if !errFits(w, x, from, to) {
					continue
				}
				fitting++
				if !slices.Contains(kept, w) {
					t.Fatalf("a line of %+v's key fits rival %+v, which keyRivals left out", *e, *w)
				}
			}
		}
	}
	if fitting == 0 || fitting == all {
		t.Fatalf("%d of %d rival-line pairs fit: the test tells nothing", fitting, all)
	}
}
