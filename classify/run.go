package classify

import (
	"context"
	"time"

	"fivexx/sources"
)

// leadingBatch bounds the items taken at once before a leading-edge
// publish: enough for a burst that one read handed over together, few
// enough that the publish is not put off behind a flood.
const leadingBatch = 4096

// Run drives the engine live: it takes items until ctx ends or items closes,
// advances and publishes a snapshot every interval, and publishes at once
// when an item ends a quiet interval.
//
// Why the leading edge: a line appended to a quiet log would otherwise wait
// for the next tick (up to every), then for the UI's next fetch; a lone 502
// during a lull is exactly the line someone is watching for. Under load the
// ticks alone publish (at most one extra publish per quiet interval), so the
// cost does not grow with the rate.
func (e *Engine) Run(ctx context.Context, items <-chan sources.Item, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	e.run(ctx, items, tick.C)
}

// run is Run on the ticks of tick (tests send their own).
func (e *Engine) run(ctx context.Context, items <-chan sources.Item, tick <-chan time.Time) {
	added := false // an item came since the last tick
	quiet := true  // the last tick's interval had no item (none yet: the first lines show at once)
	for {
		select {
		case <-ctx.Done():
			return
		case it, ok := <-items:
			if !ok {
				e.finish()
				return
			}
			e.countAccessLine(&it)
			e.Add(it.Input, it.Rec)
			added = true
			if !quiet {
				continue
			}
			quiet = false
			if !e.takeReady(items) {
				e.finish()
				return
			}
			e.Advance()
			e.Publish(false)
		case <-tick:
			quiet = !added
			added = false
			e.Advance()
			e.Publish(false)
		}
	}
}

// takeReady adds the items already waiting in items, at most leadingBatch,
// without blocking. It returns false when items is closed.
func (e *Engine) takeReady(items <-chan sources.Item) bool {
	for range leadingBatch {
		select {
		case it, ok := <-items:
			if !ok {
				return false
			}
			e.countAccessLine(&it)
			e.Add(it.Input, it.Rec)
		default:
			return true
		}
	}
	return true
}

// finish publishes the final state once the items have ended.
func (e *Engine) finish() {
	e.Flush()
	e.Publish(false)
}

// Published is signalled after each Publish: a reader that waits on it
// (the UI) sees a new snapshot as soon as there is one instead of on its
// own tick. It holds one signal at most: publishes while nobody waits
// coalesce, so a slow reader never holds the engine back.
func (e *Engine) Published() <-chan struct{} { return e.published }

// signalPublished signals Published without blocking.
func (e *Engine) signalPublished() {
	select {
	case e.published <- struct{}{}:
	default:
	}
}
