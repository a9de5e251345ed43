package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"fivexx/sources"
)

// Stream says which log a line belongs to.
type Stream uint8

// The three logs the demo writes.
const (
	Access Stream = iota + 1 // nginx access log
	Errors                   // nginx error log
	App                      // the app's JSON log
)

// Role returns the role of an input that reads the stream.
func (s Stream) Role() sources.Role {
	switch s {
	case Access:
		return sources.RoleProxy
	case Errors:
		return sources.RoleProxyErrors
	case App:
		return sources.RoleApp
	}
	return sources.RoleUnknown
}

// String returns the stream's short name.
func (s Stream) String() string {
	switch s {
	case Access:
		return "access"
	case Errors:
		return "error"
	case App:
		return "app"
	}
	return "unknown"
}

// FileName returns the name of the file WriteFiles writes the stream to.
func (s Stream) FileName() string { return s.String() + ".log" }

// Line is one generated log line, without its newline.
type Line struct {
	Stream Stream
	Time   time.Time // when the program wrote it; Text may show it coarser
	Text   string
}

// Cue is a narration beat placed on the log timeline.
type Cue struct {
	Time     time.Time
	Scenario string
	Text     string
}

const (
	baseRate    = 90.0 // ordinary requests/s
	workers     = 4    // nginx worker processes
	readTimeout = 5 * time.Second
	idleTimeout = 15 * time.Second // a client's idle keep-alive connection is closed after this
	maxWork     = 4200 * time.Millisecond
)

// Generator produces the lines of one simulated run, in log-time order. It
// is not safe for concurrent use.
type Generator struct {
	rng       *rand.Rand
	start     time.Time
	plays     []Scenario
	plans     []plan
	each      time.Duration // length of one play; 0: a single scenario plays forever
	arrival   time.Time     // the next request's arrival
	seq       uint64
	pending   []pending // min-heap by (at, seq)
	counter   int64     // nginx's connection counter: $connection and *N
	people    population
	rr        [numPools]int // round-robin position per upstream group
	limits    map[limitKey]*bucket
	pids      [workers]int
	gen       int  // nginx generation; a reload starts a new one
	wrongPort bool // the billing config of the current generation
	buf       []byte
}

// New returns a generator that plays s from start on, repeating its pattern
// every s.Period. The same s, seed and start give the same lines.
func New(s Scenario, seed int64, start time.Time) *Generator {
	return newGenerator([]Scenario{s}, 0, seed, start)
}

// Loop returns a generator that plays every scenario in turn, each for the
// given time (Period when each is not positive), and starts over after the
// last. Each scenario's failures come between FailuresFrom and FailuresTo
// into its period, so an each shorter than Period cuts them short.
func Loop(seed int64, start time.Time, each time.Duration) *Generator {
	if each <= 0 {
		each = Period
	}
	return newGenerator(Scenarios(), each, seed, start)
}

func newGenerator(plays []Scenario, each time.Duration, seed int64, start time.Time) *Generator {
	g := &Generator{
		rng:    rand.New(rand.NewPCG(uint64(seed), 0x5851f42d4c957f2d)),
		start:  start.UTC(),
		plays:  plays,
		plans:  make([]plan, len(plays)),
		each:   each,
		limits: make(map[limitKey]*bucket),
	}
	for i, s := range plays {
		g.plans[i] = planFor(s.Name)
	}
	g.people = newPopulation(g.rng)
	for p := range g.rr {
		g.rr[p] = g.rng.IntN(len(pools[p].members))
	}
	// nginx has been up for a while: connection numbers and PIDs are not small.
	g.counter = 1000 + g.rng.Int64N(90000)
	first := 900 + g.rng.IntN(30000)
	for i := range g.pids {
		g.pids[i] = first + i
	}
	st := g.stage(g.start)
	w := st.world(g.start)
	g.wrongPort = w.wrongPort
	g.arrival = g.start.Add(g.gap(g.rate(w, g.start)))
	return g
}

// Next returns the next line in log-time order. The run never ends.
func (g *Generator) Next() Line {
	g.fill()
	return g.pop()
}

// Peek returns the time of the line Next would return.
func (g *Generator) Peek() time.Time {
	g.fill()
	return g.pending[0].line.Time
}

// Until returns every line up to and including log time t that Next has not
// returned yet.
func (g *Generator) Until(t time.Time) []Line {
	var out []Line
	for g.Peek().Compare(t) <= 0 {
		out = append(out, g.pop())
	}
	return out
}

// Playing returns the scenario whose pattern drives log time t and when its
// current pass began: its beat b is at began.Add(b.At).
func (g *Generator) Playing(t time.Time) (s Scenario, began time.Time) {
	st := g.stage(t)
	return g.plays[st.play], st.began
}

// Upcoming returns the scenario the loop plays after the one playing at
// log time t, its place in the loop (0 first), and how long until it
// starts (from the start when t is before it); ok is false when one
// scenario plays forever.
func (g *Generator) Upcoming(t time.Time) (s Scenario, index int, in time.Duration, ok bool) {
	if g.each <= 0 {
		return Scenario{}, 0, 0, false
	}
	if t.Before(g.start) {
		t = g.start
	}
	st := g.stage(t)
	index = (st.play + 1) % len(g.plays)
	return g.plays[index], index, st.end.Sub(t), true
}

// Cues returns the narration beats with from <= Time < to, in time order,
// across the scenarios played.
func (g *Generator) Cues(from, to time.Time) []Cue {
	if from.Before(g.start) {
		from = g.start
	}
	var out []Cue
	for t := from; t.Before(to); {
		st := g.stage(t)
		s := g.plays[st.play]
		for _, b := range s.Narration {
			at := st.began.Add(b.At)
			if b.At < 0 || b.At >= st.period || at.Before(from) || !at.Before(to) ||
				(!st.end.IsZero() && !at.Before(st.end)) {
				continue
			}
			out = append(out, Cue{Time: at, Scenario: s.Name, Text: b.Text})
		}
		next := st.began.Add(st.period)
		if !st.end.IsZero() && st.end.Before(next) {
			next = st.end
		}
		t = next
	}
	return out
}

// stage is where in the schedule a moment falls.
type stage struct {
	play   int
	plan   plan
	began  time.Time // start of the current pass of the pattern
	period time.Duration
	end    time.Time // end of this play; zero when it never ends
}

func (g *Generator) stage(t time.Time) stage {
	d := max(t.Sub(g.start), 0)
	var st stage
	playStart := g.start
	if g.each > 0 {
		n := int64(d / g.each)
		st.play = int(n % int64(len(g.plays)))
		playStart = g.start.Add(time.Duration(n) * g.each)
		st.end = playStart.Add(g.each)
	}
	st.plan = g.plans[st.play]
	st.period = g.plays[st.play].period()
	st.began = playStart.Add(max(t.Sub(playStart), 0) / st.period * st.period)
	return st
}

// world returns the state of the system at t, which may lie past the pass
// (a request that outlives it); the pattern then wraps.
func (st *stage) world(t time.Time) world {
	x := max(t.Sub(st.began), 0) % st.period
	return st.plan.at(x.Seconds())
}

// killed returns the first kill of server s in (from, to].
func (st *stage) killed(s int, from, to time.Time) (time.Time, bool) {
	for pass := range 2 {
		base := st.began.Add(time.Duration(pass) * st.period)
		for _, k := range st.plan.kills {
			at := base.Add(k.at)
			if k.server == s && at.After(from) && !at.After(to) && (st.end.IsZero() || at.Before(st.end)) {
				return at, true
			}
		}
	}
	return time.Time{}, false
}

// rate is the request rate at t: a slow ±8% wobble on the base rate, times
// the scenario's traffic, plus its bots.
func (g *Generator) rate(w world, t time.Time) float64 {
	phase := math.Mod(t.Sub(g.start).Seconds()/37, 1)
	wobble := 1 + 0.08*(4*math.Abs(phase-0.5)-1)
	return baseRate*wobble*w.traffic + w.scraper + w.loginBot
}

// gap draws the time to the next arrival of a Poisson process.
func (g *Generator) gap(rate float64) time.Duration {
	return time.Duration(g.rng.ExpFloat64() / rate * float64(time.Second))
}

// fill generates requests until the earliest pending line can no longer be
// preceded by a line of a request not generated yet: every line of a request
// is at or after its arrival.
func (g *Generator) fill() {
	for len(g.pending) == 0 || g.pending[0].at > g.arrival.UnixNano() {
		t0 := g.arrival
		st := g.stage(t0)
		w := st.world(t0)
		rate := g.rate(w, t0)
		g.request(&st, w, rate, t0)
		g.arrival = t0.Add(g.gap(rate))
	}
}

// pending is a formatted line waiting for its turn.
type pending struct {
	at   int64 // line.Time in Unix nanoseconds
	seq  uint64
	line Line
}

func (p *pending) before(q *pending) bool {
	if p.at != q.at {
		return p.at < q.at
	}
	return p.seq < q.seq
}

func (g *Generator) emit(s Stream, t time.Time, text []byte) {
	h := append(g.pending, pending{at: t.UnixNano(), seq: g.seq, line: Line{Stream: s, Time: t, Text: string(text)}})
	g.seq++
	for i := len(h) - 1; i > 0; {
		parent := (i - 1) / 2
		if !h[i].before(&h[parent]) {
			break
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
	g.pending = h
}

func (g *Generator) pop() Line {
	h := g.pending
	top := h[0].line
	last := len(h) - 1
	h[0] = h[last]
	h[last] = pending{}
	h = h[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h) && h[l].before(&h[m]) {
			m = l
		}
		if r < len(h) && h[r].before(&h[m]) {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	g.pending = h
	return top
}
