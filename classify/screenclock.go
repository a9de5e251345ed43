package classify

import "time"

// The screen's clock: live, the time every pane of a snapshot ends at
// (Snapshot.LogNow). The log clock (Engine.logNow) moves only when a line
// comes, so once traffic stopped the rates, shares, sparklines, windowed
// counts, upstream rows, the 30 s alert and the inputs' "last" froze at
// the last line: an incident that ended an hour ago read as ongoing, a
// dead proxy as 1 req/s at 92% 5xx. The rules are:
//   - while lines move the log clock, the screen's clock is the log clock;
//   - while they do not, it runs on from it with the wall clock: the log
//     time of the last move plus the wall time since. Only wall time
//     elapsed is used, never the wall clock's reading, so logs whose clock
//     is behind or ahead of the machine's (another zone, a skewed host, a
//     log shipped with a constant delay) keep their own time on screen;
//   - the move is timed at the first Advance that sees it (Run advances
//     on every tick): when the line came, or up to one tick later, so
//     the screen's clock runs behind the logs' time, never ahead of it;
//   - reports and replays keep the log clock (a replay's is the player's),
//     and nothing here changes what the engine judges or keeps: verdicts,
//     eviction and the far-off rules (clockJump) still go by logNow.
//
// A line stamped before the screen's clock (it came late: haproxy stamps a
// request when it was accepted, a shipper delivers in batches) is counted
// as any line: the series, slots and seconds are keyed by the line's own
// time, and nothing is ever written at the screen's clock, so running on
// took no place from it. If it moves the log clock, the screen's clock
// steps back to that line (it ran on further than the logs did), the line
// is at the "now" end of every pane, and the clock runs on from there;
// if it is behind the log clock too, it counts in its second as it did
// before, in the window if its second is. A clock that never stepped
// back would stand still until the lines caught up with it, and read 0/s
// all that time for traffic stamped more than RateSpan behind it.
type screenClock struct {
	// log is the log clock as the last Advance saw it, wall when it first
	// saw that value.
	log, wall time.Time
}

// tick notes the log clock at an Advance at wall time wall.
func (c *screenClock) tick(log, wall time.Time) {
	if !log.Equal(c.log) {
		c.log, c.wall = log, wall
	}
}

// at is the screen's clock at wall time wall for the log clock log.
func (c *screenClock) at(log, wall time.Time) time.Time {
	if log.IsZero() || !log.Equal(c.log) || !wall.After(c.wall) {
		// No line yet; or the clock moved since the last Advance (a
		// Publish without one), when it is as new as it can be; or the
		// wall clock went back.
		return log
	}
	return log.Add(wall.Sub(c.wall))
}
