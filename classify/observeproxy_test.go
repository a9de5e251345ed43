package classify

import (
	"fmt"
	"testing"
	"time"

	"fivexx/sources"
)

// Every access entry with an id asks the skew sampler whether it wants a
// sample (skewEstimator.wants, which takes one in 64 once its window is
// full), as observeSkew did for each, whether or not an app line of its
// id is held: observeProxy calls observeSkew only for those that have
// one. A 5xx the proxy made itself, or one far from the log clock, does
// not ask.
func TestObserveProxyAsksTheSkewSamplerForEveryEntryWithAnID(t *testing.T) {
	c := newCorrelator(Config{}.withDefaults())
	base := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	held := &sources.AppEntry{Time: base, RequestID: "id-held", Phase: sources.PhaseEnd, Status: 200}
	c.hold(nil, held, held.Time, instantOf(held.Time), nil, false)
	var asked int64
	for i := range 200 {
		e := &sources.ProxyEntry{Time: base.Add(time.Duration(i) * time.Millisecond), Status: 200, RequestID: fmt.Sprintf("id-%d", i)}
		far := false
		switch i % 10 {
		case 0:
			e.RequestID = "id-held"
		case 1:
			e.RequestID = ""
		case 2:
			e.Status = 502 // the proxy's own
		case 3:
			e.Status, e.UpstreamAnswered = 503, sources.Yes // the app's
		case 4:
			far = true
		}
		if e.RequestID != "" && !far && (e.Status < 500 || e.UpstreamAnswered == sources.Yes) {
			asked++
		}
		c.observeProxy(e, instantOf(e.Time), far)
	}
	if c.skew.seen != asked {
		t.Fatalf("the sampler was asked %d times, want %d", c.skew.seen, asked)
	}
	if c.skew.n == 0 {
		t.Fatal("no sample from the held app line")
	}
}
