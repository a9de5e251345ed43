package tui

import (
	"fivexx/classify"
)

// snapshotMsg carries the source's latest snapshot, fetched on a tick. tag
// identifies the tick chain that asked for it, so stale ticks are dropped.
type snapshotMsg struct {
	snap      *classify.Snapshot
	replay    *ReplayState // nil unless the source implements ReplayControl
	narration *narrations  // nil unless training mode is on
	tag       int
}

// openUpstreamMsg asks to show the recent 5xx of one upstream.
type openUpstreamMsg struct{ name string }

// openCauseMsg asks to show the recent 5xx with one cause.
type openCauseMsg struct{ cause classify.Cause }

// openRequestMsg asks to show one verdict in full.
type openRequestMsg struct{ verdict *classify.Verdict }

// panicMsg reports a panic recovered in a command (a Source method), so Run
// can stop the program, restore the terminal and report it.
type panicMsg struct {
	value any
	stack []byte
}
