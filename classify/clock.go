package classify

import (
	"math"
	"slices"
	"time"

	"fivexx/sources"
)

// The log clock (Engine.logNow) is the time of the newest record. Reports
// and replays judge a 5xx once it is the grace period past the 5xx, and
// every kept line is let go by it; the rolling series count by it.
//
// One line with a wrong time (a host's clock set to 2099, a corrupt or
// forged line: log lines are anyone's) moved it to 2099: every pending 5xx
// was judged before its app lines came and every kept line was let go.
// The rules are:
//   - a record up to clockJump ahead of the clock moves it, as before;
//   - a record further ahead is a candidate, not the clock. The next record
//     that moves the clock decides: one no more than clockJump before the
//     candidate confirms it (time goes on from there: a log that was quiet
//     for an hour, a quiet site with a request every few minutes), one
//     further before it shows the candidate was wrong. With lines more
//     than clockJump apart, the clock is thus one line behind the newest;
//   - the first record is believed at once, but the record after it may
//     still take the clock back: a wrong first line is no candidate, as
//     there is no clock before it to compare it with;
//   - live, a leap the wall clock made as well is believed at once;
//   - until the clock reaches it, a record far ahead of the clock is kept
//     apart: its 5xx waits in Engine.ahead, judged by its own time, its
//     line is held apart (correlator.aside), and it counts in the totals
//     but not in the rolling series, where it would take the slot of a
//     second of the window for good. A confirmed leap brings them back.
//
// Two wrong lines in a row confirm each other: the rules catch one.
//
// The clock is the proxy's: the windows, rates and "far off" count the
// proxy's requests. An app whose clock runs ahead of it (zone-less local
// time of an app in Asia/Tokyo read in UTC: 9 h; a clock a minute off)
// moved it with its lines, two of which in a row confirm each other: the
// live and replayed overview then held no request ("far off", 0/s, "no
// 5xx in the window") while the report counted them all. So an app line
// moves the clock at its time less the skew the joins apply to it
// (appTime), and one still more than clockJump ahead of it (the skew not
// known yet, or no ids to learn it from, and no --app-skew) never moves
// it: it is held apart, as a line far ahead is (appFar).
const clockJump = time.Minute

// logClock is the state of the log clock beside Engine.logNow.
type logClock struct {
	// candidate is a time more than clockJump ahead of logNow, seen and
	// not yet confirmed; zero when there is none.
	candidate time.Time
	// unsure sends every record to moveClockSlow: a candidate waits, or the
	// first record's time waits for the record after it (first).
	unsure, first bool
	// deferred is the candidate's request (when it is an access line):
	// counted in the totals, and in the series once confirmed; fivexx is
	// the candidate when it is a 5xx, waiting in Engine.ahead.
	deferred    requestStat
	hasDeferred bool
	fivexx      *sources.ProxyEntry

	// start is the log clock's first time: the first record's, or the
	// second's when that took the clock back (takeBackFirst).
	start time.Time

	// Live only: wall is when (at the latest) the log clock last moved,
	// candidateWall when the candidate came; tickWall and tickLog are the
	// wall and log clocks at the last Advance.
	wall, candidateWall time.Time
	tickWall, tickLog   time.Time
}

// moveClock moves the log clock for a record of time t, whose instant is
// at, and reports whether t is far ahead of it (see clockJump): a time not
// believed yet. It is on every record's path: a record within clockJump of
// the clock costs a comparison or two (of instants: see logInstant).
//
// A record not ahead of a sure clock (!t.After(e.logNow)) decides nothing,
// and most are such in logs of whole seconds: the engine's paths for
// access and app lines test that themselves (settled), without the call,
// which was 50 instructions a record.
func (e *Engine) moveClock(t time.Time, at logInstant) (far bool) {
	return e.settled.before(at) && e.moveClockOn(t, at)
}

// moveClockOn is moveClock without its test of settled, for a record
// ahead of the clock, or any while the clock is unsure (it takes any).
// It is the only one to change the clock (through moveClockSlow), and
// keeps Engine.settled.
func (e *Engine) moveClockOn(t time.Time, at logInstant) (far bool) {
	if !e.clock.unsure {
		if !e.nowAt.before(at) {
			return false // !t.After(e.logNow)
		}
		if !e.nowAt.addSeconds(clockJump).before(at) { // t.Sub(e.logNow) <= clockJump
			e.logNow, e.nowAt = t, at
			e.settled = at
			return false
		}
	}
	far = e.moveClockSlow(t)
	e.settled = e.nowAt
	if e.clock.unsure {
		e.settled = logInstant{sec: math.MinInt64}
	}
	return far
}

// setLogNow sets the log clock: every change of logNow goes through here
// or sets nowAt with it, so that nowAt is always logNow's instant.
func (e *Engine) setLogNow(t time.Time) { e.logNow, e.nowAt = t, instantOf(t) }

// logInstant is a log time as the paths every record takes compare it:
// its Unix second and nanosecond. There time.Time's After, Before, Sub and
// Add were calls the compiler did not inline, about 100 of the engine's
// instructions per record. A log time carries no monotonic reading, so
// instants order as its time.Time does, for any time whose Unix second
// is an int64.
type logInstant struct{ sec, nsec int64 }

func instantOf(t time.Time) logInstant { return logInstant{t.Unix(), int64(t.Nanosecond())} }

// sub is a.Sub(b) of their time.Time values: the duration between, or
// the nearest Duration when it is out of range.
func (a logInstant) sub(b logInstant) time.Duration {
	const maxSec = int64(math.MaxInt64/time.Second) - 1
	if s := a.sec - b.sec; s > -maxSec && s < maxSec && (a.sec >= b.sec) == (s >= 0) {
		return time.Duration(s)*time.Second + time.Duration(a.nsec-b.nsec)
	}
	if a.before(b) {
		return math.MinInt64
	}
	return math.MaxInt64
}

// before reports whether a is before b.
func (a logInstant) before(b logInstant) bool {
	return a.sec < b.sec || a.sec == b.sec && a.nsec < b.nsec
}

// add returns a moved by d (time.Time.Add, without its overflow checks: a
// log time's second is far from the int64's ends).
func (a logInstant) add(d time.Duration) logInstant {
	sec, nsec := a.sec+int64(d/time.Second), a.nsec+int64(d%time.Second)
	if nsec < 0 {
		sec, nsec = sec-1, nsec+int64(time.Second)
	} else if nsec >= int64(time.Second) {
		sec, nsec = sec+1, nsec-int64(time.Second)
	}
	return logInstant{sec, nsec}
}

// addSeconds is add for d a whole number of seconds (clockJump,
// maxWindow): without add's carry, which the compiler cannot tell is
// never needed then, on every record's path.
func (a logInstant) addSeconds(d time.Duration) logInstant {
	return logInstant{a.sec + int64(d/time.Second), a.nsec}
}

// moveClockSlow is moveClock for a record far from the clock, the first
// record, the one after it, and any record while a candidate waits.
func (e *Engine) moveClockSlow(t time.Time) (far bool) {
	c := &e.clock
	if t.IsZero() {
		return false
	}
	if e.logNow.IsZero() {
		e.setLogNow(t)
		c.start = t
		c.first, c.unsure = true, true
		if e.cfg.Live {
			c.wall = e.cfg.Now()
		}
		return false
	}
	if c.first {
		c.first, c.unsure = false, false
		if t.Before(e.logNow.Add(-clockJump)) {
			e.takeBackFirst(t)
			return false
		}
	}
	if !t.After(e.logNow) {
		return false // behind the clock: it decides nothing
	}
	if !c.candidate.IsZero() {
		if t.Before(c.candidate.Add(-clockJump)) {
			e.refute()
		} else {
			e.confirm()
			if !t.After(e.logNow) {
				return false
			}
		}
	}
	if t.Sub(e.logNow) <= clockJump || e.wallLeapt(t) {
		e.setLogNow(t)
		return false
	}
	c.candidate, c.unsure = t, true
	return true
}

// wallLeapt reports, live, whether the wall clock has moved about as far as
// t is ahead of the log clock since the log clock last moved: a quiet site's
// next request, not a wrong clock.
func (e *Engine) wallLeapt(t time.Time) bool {
	c := &e.clock
	if !e.cfg.Live || c.wall.IsZero() {
		return false
	}
	now := e.cfg.Now()
	if t.Sub(e.logNow) > now.Sub(c.wall)+clockJump {
		c.candidateWall = now
		return false
	}
	c.wall = now
	return true
}

// clockTick notes, live, the wall clock at an Advance: the log clock moved
// after the last one if it moved since, so that one is a lower bound of
// when it last moved, without a wall clock read per record.
func (e *Engine) clockTick(wall time.Time) {
	c := &e.clock
	if !e.logNow.Equal(c.tickLog) {
		if c.tickWall.After(c.wall) {
			c.wall = c.tickWall
		}
		c.tickLog = e.logNow
	}
	c.tickWall = wall
}

// confirm makes the candidate the log clock and brings back what was kept
// apart as far ahead of the clock and is not any more.
func (e *Engine) confirm() {
	c := &e.clock
	e.setLogNow(c.candidate)
	if c.hasDeferred {
		e.stats.inSeries(c.deferred)
		e.farOff.confirmed(c.deferred.status)
	}
	for i := len(e.ahead) - 1; c.fivexx != nil && i >= 0; i-- {
		if e.ahead[i].e == c.fivexx {
			e.ahead[i].far = false // its verdict counts in the series too
			break
		}
	}
	if e.cfg.Live {
		c.wall = c.candidateWall
	}
	e.dropCandidate()
	e.reach()
}

// refute drops the candidate: a record came back from it, so it was a
// wrong clock. What was kept apart for it stays apart.
func (e *Engine) refute() { e.dropCandidate() }

func (e *Engine) dropCandidate() {
	c := &e.clock
	c.candidate, c.unsure = time.Time{}, false
	c.deferred, c.hasDeferred, c.fivexx = requestStat{}, false, nil
}

// takeBackFirst takes the log clock back to t, the time of the second
// record, far before the first: the first record's time was wrong. Its
// line, its 5xx and its second in the series are set apart as they would
// have been had it come later.
func (e *Engine) takeBackFirst(t time.Time) {
	e.setLogNow(t)
	e.clock.start = t
	limit := t.Add(clockJump)
	e.stats.forgetAfter(limit)
	e.corr.setAside(limit)
	kept := e.pending[:0]
	for _, p := range e.pending {
		if p.e.Time.After(limit) {
			p.far = true
			e.ahead = append(e.ahead, p)
			continue
		}
		kept = append(kept, p)
	}
	clear(e.pending[len(kept):])
	e.pending = kept
}

// reach brings back the lines and 5xx kept apart as far ahead of the clock
// that the clock has now reached: a leap confirmed, or a line that came
// early and whose time has come. Each 5xx goes into the pending queue at
// its place in time, so verdicts stay in time order. (One that came early
// stays out of the series: its request is not in them.)
func (e *Engine) reach() {
	limit := e.logNow.Add(clockJump)
	e.corr.reach(limit)
	if len(e.ahead) == 0 {
		return
	}
	kept := e.ahead[:0]
	for _, p := range e.ahead {
		if p.e.Time.After(limit) {
			kept = append(kept, p)
			continue
		}
		i := len(e.pending)
		for i > 0 && e.pending[i-1].e.Time.After(p.e.Time) {
			i--
		}
		e.pending = slices.Insert(e.pending, i, p)
	}
	clear(e.ahead[len(kept):])
	e.ahead = kept
}

// judgeAhead makes final, live, the 5xx kept apart whose grace period of
// wall time has passed (live verdicts go by wall time, whatever the log
// clock says).
func (e *Engine) judgeAhead(wall time.Time) {
	kept := e.ahead[:0]
	for _, p := range e.ahead {
		if wall.Sub(p.arrived) >= e.cfg.Grace {
			e.finalize(p)
			continue
		}
		kept = append(kept, p)
	}
	clear(e.ahead[len(kept):])
	e.ahead = kept
}

// appTime is t, the time of app line a (at its instant), on the proxy's
// clock: less the skew the time-window join applies to a's app
// (correlator.appSkew), as learnt at the last Advance. A line without a
// time stays without one.
func (e *Engine) appTime(a *sources.AppEntry, t time.Time, at logInstant) (time.Time, logInstant) {
	d := e.appShift
	if d == 0 || t.IsZero() || (!e.corr.skew.fixed && !e.corr.skew.paths && !e.corr.skew.allApps && a.RequestID == "" && !e.corr.idApps.has(a.Service)) {
		return t, at
	}
	return t.Add(-d), at.add(-d)
}

// appFar moves the log clock for an app line of time t (on the proxy's
// clock: appTime), unless it is more than clockJump ahead of it and, live,
// the wall clock did not move as far since the log clock last did (a
// quiet proxy): then it reports that the line is far ahead, and the clock
// stays (see clockJump).
//
// A line at the clock or behind it is neither (moveClock's first test,
// which addApp makes before the call).
func (e *Engine) appFar(t time.Time, at logInstant) bool {
	if !e.logNow.IsZero() && e.nowAt.addSeconds(clockJump).before(at) && !e.wallLeapt(t) {
		return true
	}
	if !e.clock.unsure && e.nowAt.before(at) && !e.nowAt.addSeconds(clockJump).before(at) {
		// moveClockOn's first case, written out: app lines stamped to
		// the microsecond move the clock one after the other.
		e.logNow, e.nowAt, e.settled = t, at, at
		return false
	}
	return e.moveClockOn(t, at)
}

// appClock is appFar for app line a of time t, at its instant, from input
// in, when the app's clock is known to run off the proxy's (a skew, or
// one the merge took off: sources.Input.SetMergeShift): it returns a's
// time on the proxy's clock (appTime), its instant, and whether it is far
// ahead of the log clock.
//
// It moves the clock to the earlier of that time and the one the merge
// ordered the line by (its own, less the merge's shift). An app whose
// clock runs behind the proxy's has its lines come that much early, and
// moved the clock to their time on the proxy's clock, as far ahead of
// the proxy's lines still to come: with the app 30 s behind, every 5xx of
// the 2 M bench set was judged before its error-log line came, and 478 of
// its 663 upstream_reset 502s were called upstream_refused.
func (e *Engine) appClock(in *sources.Input, a *sources.AppEntry, t time.Time, at logInstant) (time.Time, logInstant, bool) {
	own, ownAt := t, at
	if in != nil && in.MergeShift() != 0 {
		own = in.MergeTime(t)
		ownAt = instantOf(own)
	}
	t, at = e.appTime(a, t, at)
	if !e.logNow.IsZero() && e.nowAt.addSeconds(clockJump).before(at) && !e.wallLeapt(t) {
		return t, at, true // as appFar
	}
	if ownAt.before(at) {
		return t, at, e.moveClock(own, ownAt)
	}
	return t, at, e.moveClock(t, at)
}

// shiftEvery is how many Advances (of 256 records in a report) the app
// shift waits before it is learnt again from new skew samples: a median
// of 101 per Advance was 4% of a report's CPU. Live learns it at each.
const shiftEvery = 16

// learnAppShift takes the skew estimate (or --app-skew) as the shift of
// app lines on the log clock. Until it has been learnt from a full window
// of samples it is learnt at every Advance: an app 30 s ahead sent over
// 101 samples in the 256 records before the first Advance that saw any,
// and the shift stayed 0 for the next 16 Advances, in which the 5xx that
// had waited for the app's first line were judged without waiting for
// their own (appwait.go).
func (e *Engine) learnAppShift() {
	defer e.noteAppSkewed()
	s := &e.corr.skew
	if !s.stale {
		e.appShift = s.skew
		return
	}
	if e.shiftAge++; e.cfg.Live || e.shiftAge >= shiftEvery || e.shiftFrom < len(s.samples) {
		e.shiftAge = 0
		e.appShift = s.value()
		e.shiftFrom = s.n
	}
}

// noteAppSkewed notes whether app lines take appClock's way (add asks for
// every one).
func (e *Engine) noteAppSkewed() { e.appSkewed = e.appShift != 0 || e.merged != 0 }
