package sources

import (
	"fmt"
	"time"
)

// A command restarted with --cmd-restart often prints its history again:
// `kubectl logs -f deploy/api` starts with every line the container has
// logged, so each restart counted every 5xx again (a 3-line file cat'ed
// four times made 12 5xx of 3). repeatFilter remembers the last
// rememberLines lines sent (their IDHash) and, after a restart, drops
// what it remembers, and what is no newer than the lines it has forgotten.
// A line without a time (an app's plain lines) cannot be told by its time:
// it is history only while it may be one of the untimed lines forgotten,
// which a command printing its history again prints before the lines
// remembered, and no more of them than were forgotten. The first other
// line ends the skipping: a command that prints only new lines (tail -F)
// loses nothing, and neither does a new line whose time is a little behind
// the newest (Envoy and HAProxy log the request's start; a new pod's
// clock), nor a new line without a time.
type repeatFilter struct {
	ring      []uint64       // the last lines sent, oldest at next once full
	times     []time.Time    // their times
	next      int            // where the next line goes
	count     map[uint64]int // how often each hash is in ring
	forgotten time.Time      // the newest time among the lines pushed out of ring
	// untimed is how many lines without a time were pushed out of ring.
	untimed  int64
	skipping bool
	skipped  int64 // since the last restart
	// Since the last restart: a remembered line came (sawKnown), and how
	// many lines without a time were skipped as forgotten ones.
	sawKnown       bool
	skippedUntimed int64
}

// rememberLines bounds the memory: 64 Ki hashes, about 2 MB with the map.
const rememberLines = 64 << 10

// restarted starts skipping what was sent before.
func (f *repeatFilter) restarted() {
	f.skipping, f.skipped = len(f.ring) > 0, 0
	f.sawKnown, f.skippedUntimed = false, 0
}

// repeat reports whether rec is history printed again; otherwise it
// remembers rec as sent.
func (f *repeatFilter) repeat(rec Record) bool {
	h := IDHash(rec.RawLine())
	t := rec.RecordTime()
	if f.skipping {
		if f.history(h, t) {
			f.skipped++
			return true
		}
		f.skipping = false
	}
	f.remember(h, t)
	return false
}

// history says whether a line that came while skipping is one sent before
// the restart, printed again (see the rules above).
func (f *repeatFilter) history(h uint64, t time.Time) bool {
	switch {
	case f.count[h] > 0:
		f.sawKnown = true
		return true
	case !t.IsZero():
		return !t.After(f.forgotten) && !f.forgotten.IsZero()
	case f.sawKnown || f.skippedUntimed >= f.untimed:
		// Forgotten lines come before the remembered ones, and there
		// were no more of them: a new line.
		return false
	}
	f.skippedUntimed++
	return true
}

// remember adds a sent line, pushing the oldest out once the ring is full.
func (f *repeatFilter) remember(h uint64, t time.Time) {
	if f.count == nil {
		f.count = map[uint64]int{}
	}
	if len(f.ring) < rememberLines {
		f.ring = append(f.ring, h)
		f.count[h]++
		f.times = append(f.times, t)
		return
	}
	old := f.ring[f.next]
	if f.count[old]--; f.count[old] == 0 {
		delete(f.count, old)
	}
	switch ot := f.times[f.next]; {
	case ot.IsZero():
		f.untimed++
	case ot.After(f.forgotten):
		f.forgotten = ot
	}
	f.ring[f.next], f.times[f.next] = h, t
	f.count[h]++
	f.next = (f.next + 1) % rememberLines
}

// state is the running command's state once skipping is over.
func (f *repeatFilter) state() string {
	return "running" + f.skippedNote()
}

// skippedNote says how many lines printed again were skipped, if any:
// " (1 line printed again skipped)".
func (f *repeatFilter) skippedNote() string {
	if f == nil || f.skipped == 0 {
		return ""
	}
	return " (" + counted(f.skipped, "line") + " printed again skipped)"
}

// counted is n and its noun, one or many by n: "1 line", "2 lines"
// ("1 lines printed again skipped").
func counted(n int64, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %ss", n, one)
}
