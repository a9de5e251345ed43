package sources

import (
	"fmt"
	"time"
)

// A command restarted with --cmd-restart often prints its history again:
// `kubectl logs -f deploy/api` starts with every line the container has
// logged, so each restart counted every 5xx again (a 3-line file cat'ed
// four times made 12 5xx of 3). repeatFilter drops, after a restart, the
// records that are not newer than the newest one sent before it: records
// older than it, and records at its very time whose text was sent then.
// The first record past that ends the skipping; a command that prints only
// new lines (tail -F) loses nothing.
type repeatFilter struct {
	newest   time.Time
	atNewest map[uint64]struct{} // IDHash of the lines sent at newest (at most maxAtNewest)
	skipping bool
	skipped  int64 // since the last restart
}

// maxAtNewest bounds the texts remembered at the newest time: a burst of
// thousands of lines in one (whole-second) timestamp keeps the first ones.
const maxAtNewest = 4096

// restarted starts skipping what was sent before.
func (f *repeatFilter) restarted() {
	f.skipping, f.skipped = !f.newest.IsZero(), 0
}

// repeat reports whether rec is history printed again; otherwise it
// remembers rec as sent.
func (f *repeatFilter) repeat(rec Record) bool {
	t := rec.RecordTime()
	if f.skipping {
		if t.IsZero() || t.Before(f.newest) {
			f.skipped++
			return true
		}
		if t.Equal(f.newest) {
			if _, seen := f.atNewest[IDHash(rec.RawLine())]; seen {
				f.skipped++
				return true
			}
		}
		f.skipping = false
	}
	switch {
	case t.After(f.newest):
		f.newest = t
		clear(f.atNewest)
		fallthrough
	case t.Equal(f.newest):
		if f.atNewest == nil {
			f.atNewest = map[uint64]struct{}{}
		}
		if len(f.atNewest) < maxAtNewest {
			f.atNewest[IDHash(rec.RawLine())] = struct{}{}
		}
	}
	return false
}

// state is the running command's state once skipping is over.
func (f *repeatFilter) state() string {
	if f.skipped == 0 {
		return "running"
	}
	return fmt.Sprintf("running (%d lines printed again skipped)", f.skipped)
}
