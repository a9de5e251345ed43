package classify

import (
	"time"

	"fivexx/sources"
)

// inputRate keeps an input's line counts for lines/s: the count at the
// first snapshot, and for each whole second of the clock of the last
// RateSpan and the one before it, the count at the last snapshot in it.
type inputRate struct {
	first lineCount
	secs  []lineCount // oldest first, one per second
}

// lineCount is an input's line count at a moment of the rate's clock.
type lineCount struct {
	at    time.Time
	lines int64
}

// PlayedState says what the inputs pane shows of input in, of counters c,
// whose reader's state is read, at now on the log clock: in a replay, how
// far its lines have been played (state), and its lines/s, of the lines
// played in the last RateSpan of log time (perSec).
type PlayedState func(in *sources.Input, c sources.Counters, read string, now time.Time) (state string, perSec float64)

// ShowPlayed has the snapshots show each input's state and lines/s as f
// says, rather than its reader's. A replay's player sets it before it
// plays: its readers run ahead of the lines played (with small files, the
// whole file in the first second) and said "done" for an input whose
// lines were still to be shown, and lines/s was how fast they read, not
// what was played. f is called on the goroutine that publishes.
func (e *Engine) ShowPlayed(f PlayedState) { e.played = f }

// serviceOf is the NAME in was given with (--app NAME=FILE), or "".
func serviceOf(in *sources.Input) string {
	if in.Spec.Command {
		return ""
	}
	return in.Spec.Opts.Service
}

// LabelOf is an input's label as shown: its path, or NAME=path for an
// app log given a service NAME (--app NAME=FILE), as it was given.
func LabelOf(path, service string) string {
	if service == "" {
		return path
	}
	return service + "=" + path
}

// inputStatus is the inputs as the snapshot shows them. Their lines/s is
// over the last RateSpan, as every "per second" figure on screen is (the
// rates pane's, each upstream's req/s), so that side by side the access
// log's lines/s and the rates pane's "all" agree: it was over the last
// second, and read 0 beside 20/s a few seconds after a burst. An access
// log's lines are counted by the second of their own time, as the rates
// pane counts their requests: live by the engine (countAccessLine), in a
// replay by the player, of the lines played (ShowPlayed). Live, the other
// inputs' lines are counted by the wall clock as read (lineRate): an app
// log's own times may be hours off (a zone it does not write), and an
// input no format reads yet gives no record to time. None in a report (no
// wall clock).
func (e *Engine) inputStatus(wall, logNow time.Time) []InputStatus {
	out := make([]InputStatus, 0, len(e.cfg.Inputs))
	clock := wall
	if !e.cfg.Live && !wall.IsZero() {
		clock = logNow
	}
	for _, in := range e.cfg.Inputs {
		c := in.Counters()
		state := e.contradictionState(in, in.State())
		var played float64
		if e.played != nil {
			state, played = e.played(in, c, state, logNow)
		}
		st := InputStatus{
			Path:       in.Spec.Label(),
			Service:    serviceOf(in),
			Role:       e.roleOf(in),
			Format:     in.Format().Name,
			State:      state,
			Lines:      c.Lines,
			Parsed:     c.Parsed,
			Unparsed:   c.Unparsed,
			Startup:    c.Startup,
			TooLong:    c.TooLong,
			Repeated:   in.Spec.Repeated,
			RepeatedIn: in.Spec.RepeatedIn,
			LastLine:   c.LastLine,
			Samples:    c.Samples,
			Bytes:      c.Bytes,
			Size:       c.Size,
			NULs:       c.NULs,
			Blank:      c.Blank,
			Continued:  c.Continued,
			BOM:        c.BOM,
		}
		switch {
		case clock.IsZero():
		case e.played != nil:
			// A replay's: counted by the player by the lines' own
			// seconds, as the rates pane counts the requests.
			st.LinesPerSec = played
		case in.Index < len(e.accessLines) && e.accessLines[in.Index] != nil:
			// A live access log's: by the lines' own seconds too, up
			// to the screen's clock, where the rates pane's end.
			st.LinesPerSec = e.accessLines[in.Index].Rate(logNow)
		case e.catchingUp:
			// Live, while the history is read at start (CatchUp): how
			// fast it is read is no rate of the log.
		default:
			st.LinesPerSec = e.lineRate(in.Index, clock, c.Lines)
		}
		out = append(out, st)
	}
	return out
}

// lineRate is input i's lines per second over the last RateSpan of the
// clock, now, with lines its count: the lines counted since the end of
// the second before the span's whole seconds (the span ends with now's),
// over RateSpan, as the rates pane counts the requests of the last
// RateSpan whole seconds over RateSpan (recentRate): in the first seconds
// both rise to the rate rather than start at it. With no snapshot in that
// second (a replay at full speed moves the log clock by many seconds
// between snapshots), from the newest one before, over the seconds since.
//
// Not live (an engine with a wall clock but no player; a replay's player
// gives its own rate, PlayedState) the first count is the log clock's
// first time with no line played: a small recording at full speed is played whole before the
// first snapshot (100 ms of wall time), whose count was every line, and
// lines/s read 0 at its end beside the rates pane's rate. From the first
// line it is the rate of a recording no longer than RateSpan, and of a
// longer one played whole between two snapshots the mean since the first
// line. Live, the first snapshot comes before the lines do (and a history
// read at start is no rate).
func (e *Engine) lineRate(i int, now time.Time, lines int64) float64 {
	if e.lineRates == nil {
		e.lineRates = map[int]*inputRate{}
	}
	r := e.lineRates[i]
	if r != nil {
		if last := r.secs[len(r.secs)-1]; now.Before(last.at) || lines < last.lines {
			// The clock went back (a replay's first line proved
			// wrong), or the count did: start again.
			r = nil
		}
	}
	if r == nil {
		r = &inputRate{first: lineCount{now, lines}}
		if start := e.clock.start; !e.cfg.Live && !start.IsZero() && !start.After(now) {
			r.first = lineCount{start, 0}
		}
		e.lineRates[i] = r
	}
	sec := now.Unix()
	if n := len(r.secs); n > 0 && r.secs[n-1].at.Unix() == sec {
		r.secs[n-1] = lineCount{now, lines}
	} else {
		r.secs = append(r.secs, lineCount{now, lines})
	}
	span := int64(RateSpan / time.Second)
	from := sec - span + 1 // the span's first whole second
	// The base: the newest count of a second before from; the first one
	// when there is none.
	k := -1
	for k+1 < len(r.secs) && r.secs[k+1].at.Unix() < from {
		k++
	}
	base := r.first
	if k >= 0 {
		base = r.secs[k]
		if k > 0 {
			r.secs = append(r.secs[:0], r.secs[k:]...)
		}
	}
	secs := max(sec-base.at.Unix(), span)
	return float64(lines-base.lines) / float64(secs)
}

// countAccessLine counts it, live, when it is an access line, by the
// second of its own time, as the rates pane counts its request
// (Snapshot.Series), for its input's lines/s: counted by the wall clock
// as they were read, over the span since the newest snapshot before the
// last RateSpan's whole seconds, they read 68.2 beside "all 67.5/s", and
// 1300 beside 1280/s (QA s27: in 30 of 60 captures at 70 lines/s the two
// differed). It takes the lines the engine has, not those its reader has
// read ahead, and the span of the same seconds. Live --from-start, the
// history's lines count too (CatchUp), by their seconds, as the rates pane
// counts their requests: passed, lines/s read 0.0 beside "all 7.0/s" at
// the history's end and fell behind it for 10 s. The lines before an
// input's first access line are not counted.
func (e *Engine) countAccessLine(it *sources.Item) {
	p, ok := it.Rec.(*sources.ProxyEntry)
	if !ok || it.Input == nil || it.LineNo <= 0 {
		return
	}
	i := it.Input.Index
	if i < 0 {
		return
	}
	if i >= len(e.accessLines) {
		e.accessLines = append(e.accessLines, make([]*LineSeconds, i+1-len(e.accessLines))...)
	}
	c := e.accessLines[i]
	if c == nil {
		c = &LineSeconds{}
		c.Pass(it.LineNo - 1)
		e.accessLines[i] = c
	}
	c.Count(p.Time.Unix(), it.LineNo)
}
