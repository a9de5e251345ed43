package classify

import (
	"context"
	"testing"
	"time"

	"fivexx/sources"
)

// runEngine starts eng.Run on items with a tick that never comes within a
// test: whatever is published is published by the leading edge or at the
// end of items. The returned func waits for Run to return.
func runEngine(eng *Engine, items <-chan sources.Item) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		eng.Run(context.Background(), items, time.Hour)
	}()
	return func() { <-done }
}

// published waits for eng's next publish and returns its request count.
func published(t *testing.T, eng *Engine) int64 {
	t.Helper()
	select {
	case <-eng.Published():
		return eng.Latest().Total.Requests
	case <-time.After(5 * time.Second):
		t.Fatal("no snapshot published within 5 s")
		return 0
	}
}

func TestRunPublishesTheFirstItemsAtOnce(t *testing.T) {
	eng := NewEngine(Config{Live: true, Now: time.Now})
	proxy := input(0, sources.RoleProxy)
	items := make(chan sources.Item, 8)
	// A burst already waiting: the leading edge takes all of it, not
	// just the item that woke it.
	for i := range 3 {
		items <- sources.Item{Input: proxy, Rec: upstreamEntry(float64(i), 200, "a:1", "200", "0.001", "")}
	}
	wait := runEngine(eng, items)
	if got := published(t, eng); got != 3 {
		t.Errorf("first publish counts %d requests, want 3", got)
	}

	// The interval is no longer quiet: the next item waits for the tick
	// (an hour here) or, as now, for the end of the items.
	items <- sources.Item{Input: proxy, Rec: upstreamEntry(5, 502, "a:1", "502", "-", "")}
	select {
	case <-eng.Published():
		t.Fatalf("published again before any tick: %d requests", eng.Latest().Total.Requests)
	case <-time.After(200 * time.Millisecond):
	}
	close(items)
	if got := published(t, eng); got != 4 {
		t.Errorf("final publish counts %d requests, want 4", got)
	}
	wait()
}

func TestRunPublishesAtOnceAfterAQuietTick(t *testing.T) {
	eng := NewEngine(Config{Live: true, Now: time.Now})
	proxy := input(0, sources.RoleProxy)
	items := make(chan sources.Item)
	tick := make(chan time.Time)
	done := make(chan struct{})
	go func() {
		defer close(done)
		eng.run(context.Background(), items, tick)
	}()
	item := func(sec float64) sources.Item {
		return sources.Item{Input: proxy, Rec: upstreamEntry(sec, 502, "a:1", "502", "-", "")}
	}
	items <- item(0) // the start is quiet: published at once
	if got := published(t, eng); got != 1 {
		t.Fatalf("first publish counts %d requests, want 1", got)
	}
	items <- item(1) // same interval: waits for the tick
	tick <- time.Now()
	if got := published(t, eng); got != 2 {
		t.Fatalf("the tick's publish counts %d requests, want 2", got)
	}
	tick <- time.Now() // an interval with nothing: quiet
	if got := published(t, eng); got != 2 {
		t.Fatalf("the quiet tick's publish counts %d requests, want 2", got)
	}
	items <- item(2) // after a quiet interval: at once, no tick sent
	if got := published(t, eng); got != 3 {
		t.Errorf("publish after the quiet tick counts %d requests, want 3", got)
	}
	items <- item(3) // and the next waits again
	select {
	case <-eng.Published():
		t.Errorf("published again before a tick: %d requests", eng.Latest().Total.Requests)
	case <-time.After(100 * time.Millisecond):
	}
	close(items)
	if got := published(t, eng); got != 4 {
		t.Errorf("final publish counts %d requests, want 4", got)
	}
	<-done
}

func TestPublishedCoalesces(t *testing.T) {
	eng := NewEngine(Config{})
	for range 3 {
		eng.Publish(false)
	}
	if n := len(eng.Published()); n != 1 {
		t.Fatalf("%d signals waiting after 3 publishes, want 1", n)
	}
}
