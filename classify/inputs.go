package classify

import (
	"time"

	"fivexx/sources"
)

// inputRate remembers an input's line count at the last snapshot, for lines/s.
type inputRate struct {
	at    time.Time
	lines int64
	rate  float64
}

// PlayedState says what the inputs pane shows as the state of input in,
// of counters c, whose reader's state is read: in a replay, how far its
// lines have been played.
type PlayedState func(in *sources.Input, c sources.Counters, read string) string

// ShowPlayed has the snapshots show each input's state as f says, rather
// than its reader's. A replay's player sets it before it plays: its
// readers run ahead of the lines played (with small files, the whole file
// in the first second) and said "done" for an input whose lines were
// still to be shown. f is called on the goroutine that publishes.
func (e *Engine) ShowPlayed(f PlayedState) { e.played = f }

func (e *Engine) inputStatus(wall time.Time) []InputStatus {
	out := make([]InputStatus, 0, len(e.cfg.Inputs))
	for _, in := range e.cfg.Inputs {
		c := in.Counters()
		state := in.State()
		if e.played != nil {
			state = e.played(in, c, state)
		}
		st := InputStatus{
			Path:     in.Spec.Label(),
			Role:     in.Role(),
			Format:   in.Format().Name,
			State:    state,
			Lines:    c.Lines,
			Parsed:   c.Parsed,
			Unparsed: c.Unparsed,
			Startup:  c.Startup,
			TooLong:  c.TooLong,
			LastLine: c.LastLine,
			Samples:  c.Samples,
			Bytes:    c.Bytes,
			Size:     c.Size,
		}
		if !wall.IsZero() {
			st.LinesPerSec = e.lineRate(in.Index, wall, c.Lines)
		}
		out = append(out, st)
	}
	return out
}

func (e *Engine) lineRate(i int, wall time.Time, lines int64) float64 {
	if e.lineRates == nil {
		e.lineRates = map[int]*inputRate{}
	}
	r := e.lineRates[i]
	if r == nil {
		e.lineRates[i] = &inputRate{at: wall, lines: lines}
		return 0
	}
	if dt := wall.Sub(r.at); dt >= time.Second {
		r.rate = float64(lines-r.lines) / dt.Seconds()
		r.at, r.lines = wall, lines
	}
	return r.rate
}
