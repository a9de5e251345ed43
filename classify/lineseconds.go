package classify

import "time"

// rateSecs is how many whole seconds of log time a lines/s is over.
const rateSecs = int64(RateSpan / time.Second)

// LineSeconds counts an input's lines by second of log time, the last
// RateSpan seconds, for its lines/s, as the rates pane counts the requests
// by their seconds (Snapshot.Series): a replay's lines played, a live
// access log's lines read (Engine.Run). A line's count is its number
// (sources.Item.LineNo) less the last one counted, so the lines with no
// record between two records (unparsed, too long, blank) count with the
// record after them. The zero value counts from line 1.
type LineSeconds struct {
	last int64           // the number of the last line counted or passed
	sec  [rateSecs]int64 // the Unix second each slot counts
	n    [rateSecs]int64 // the lines counted in it
}

// Count counts the lines up to line number no at Unix second sec.
func (c *LineSeconds) Count(sec, no int64) {
	d := no - c.last
	if d <= 0 {
		return
	}
	c.last = no
	k := sec % rateSecs
	if k < 0 {
		k += rateSecs
	}
	if c.sec[k] != sec {
		c.sec[k], c.n[k] = sec, 0
	}
	c.n[k] += d
}

// Renumber has the lines that follow counted from line 1 again: a new
// reader numbers them (live, the follower after the history read at start,
// Engine.CatchUp). The seconds counted stay.
func (c *LineSeconds) Renumber() { c.last = 0 }

// Pass notes line number no as passed: the lines up to it are not counted.
func (c *LineSeconds) Pass(no int64) { c.last = max(c.last, no) }

// Rate is the lines counted in the rateSecs whole seconds up to now's,
// over rateSecs.
func (c *LineSeconds) Rate(now time.Time) float64 {
	if now.IsZero() {
		return 0
	}
	end := now.Unix()
	var n int64
	for k := range c.sec {
		if s := c.sec[k]; s <= end && s > end-rateSecs {
			n += c.n[k]
		}
	}
	return float64(n) / float64(rateSecs)
}
