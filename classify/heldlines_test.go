package classify

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
	"unsafe"

	"fivexx/sources"
)

// The held lines live in one array that push refills from its start
// (makeRoom): a line's seq, base plus its index, must not change when the
// lines move, in place or to a larger array, as the id index finds a line
// by its seq (release) and lets it go by it (evict's unindex). A move in
// place that left base behind broke neither a verdict nor a test, only
// outputs of long inputs: so the held lines are checked here against a
// plain model (every line ever held, by the order it came in, which is
// its seq), after every step of random holds, releases and evictions.
func TestHeldLinesKeepTheirSeqsWhenTheArrayMoves(t *testing.T) {
	for _, tc := range []struct {
		name string
		// Each step holds 1 to maxPerStep app lines over 10 ms, then
		// evicts what is older than retain.
		maxPerStep int
		retain     time.Duration
		steps      int
		// releaseOneIn: one step in that many lets a held line go early
		// (its answered request), leaving a gap the eviction skips.
		releaseOneIn int
		// burstFrom, burstTo: steps holding 20 times as many lines, so
		// the array doubles, then is filled less than half again.
		burstFrom, burstTo int
		// wantInPlace is the fewest moves in place the steps must make
		// for the test to mean something.
		wantInPlace int
	}{
		{name: "steady: a third of the array held", maxPerStep: 5, retain: time.Second, steps: 3000, wantInPlace: 5},
		{name: "steady with early releases", maxPerStep: 5, retain: time.Second, steps: 3000, releaseOneIn: 3, wantInPlace: 5},
		{name: "a burst doubles the array, then moves in place", maxPerStep: 5, retain: time.Second, steps: 6000, releaseOneIn: 7, burstFrom: 1000, burstTo: 1200, wantInPlace: 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(len(tc.name))))
			c := newCorrelator(Config{Retain: tc.retain}.withDefaults())
			app := input(2, sources.RoleApp)

			var model []heldModelLine // index: seq
			oldest := 0               // first model line not evicted
			inPlace, grown := 0, 0
			now := t0
			for step := range tc.steps {
				n := 1 + rng.IntN(tc.maxPerStep)
				if step >= tc.burstFrom && step < tc.burstTo {
					n *= 20
				}
				for range n {
					now = now.Add(10 * time.Millisecond / time.Duration(n))
					e := &sources.AppEntry{Time: now, RequestID: fmt.Sprintf("r%d", len(model)), Path: "/api", Raw: fmt.Sprintf("app %d", len(model))}
					full, array := len(c.lines) == cap(c.lines) && cap(c.lines) > 0, unsafe.SliceData(c.lines)
					c.hold(app, e, e.Time, instantOf(e.Time), nil, false)
					if full {
						if unsafe.SliceData(c.lines) == array {
							inPlace++
						} else {
							grown++
						}
					}
					model = append(model, heldModelLine{e: e})
				}
				if tc.releaseOneIn > 0 && step%tc.releaseOneIn == 0 {
					// Any held line, most often one that moved.
					seq := oldest + rng.IntN(len(model)-oldest)
					if !model[seq].released {
						c.release(model[seq].e.IDKey())
						model[seq].released = true
					}
				}
				c.evict(now, logInstant{}, false)
				cutoff := now.Add(-tc.retain)
				for oldest < len(model) && model[oldest].e.Time.Before(cutoff) {
					oldest++
				}
				if err := checkHeldLines(c, model, oldest); err != nil {
					t.Fatalf("step %d (%d lines so far, %d moves in place, %d to a larger array): %v", step, len(model), inPlace, grown, err)
				}
			}
			if inPlace < tc.wantInPlace {
				t.Fatalf("%d moves in place, want at least %d: the steps no longer test them", inPlace, tc.wantInPlace)
			}
			t.Logf("%d lines, %d moves in place, %d to a larger array", len(model), inPlace, grown)
		})
	}
}

// heldModelLine is a line of the model of the held lines: its record,
// and whether it was released.
type heldModelLine struct {
	e        *sources.AppEntry
	released bool
}

// checkHeldLines compares c's held lines with the model's lines from
// oldest on (those not evicted; a line's seq is its index in model): each
// in the place its seq names, a released one as an empty place, and the id
// index holding every unreleased line, at its seq, and nothing else.
func checkHeldLines(c *correlator, model []heldModelLine, oldest int) error {
	ids := 0
	for seq := oldest; seq < len(model); seq++ {
		e, released := model[seq].e, model[seq].released
		i := seq - c.base
		if i < c.head || i >= len(c.lines) {
			// Released lines before the first unreleased one have left.
			if released && i < c.head {
				continue
			}
			return fmt.Errorf("line %d (%s) is out of the held lines [%d, %d)", seq, e.Raw, c.base+c.head, c.base+len(c.lines))
		}
		got := c.lines[i].rec
		if released {
			if got != nil {
				return fmt.Errorf("released line %d (%s) is still held", seq, e.Raw)
			}
			continue
		}
		if got != sources.Record(e) {
			return fmt.Errorf("line %d (%s) is not at %d: %v is", seq, e.Raw, i, got)
		}
		ids++
		refs := c.byID[e.IDKey()]
		if len(refs) != 1 || refs[0].e != e || refs[0].seq != seq {
			return fmt.Errorf("line %d (%s) is indexed as %+v, want its seq", seq, e.Raw, refs)
		}
	}
	if held := len(model) - oldest; len(c.lines)-c.head > held {
		return fmt.Errorf("%d places held, %d lines in the model", len(c.lines)-c.head, held)
	}
	if len(c.byID) != ids {
		return fmt.Errorf("the id index holds %d ids, want %d: evicted lines stay in it", len(c.byID), ids)
	}
	return nil
}

// When the lines still held fill half the array or less, the rest being
// the gaps released lines left, push closes the gaps rather than doubling
// the array (makeRoom): a doubled array stays for the rest of the report,
// every place of it scanned by the collector in every cycle. The lines
// keep their order, and the id index finds each at its new place.
func TestReleasedGapsAreClosedRatherThanTheArrayGrown(t *testing.T) {
	c := newCorrelator(Config{Retain: time.Hour}.withDefaults())
	app := input(2, sources.RoleApp)
	var held []*sources.AppEntry
	now := t0
	for i := range minHeldLines {
		now = now.Add(time.Millisecond)
		e := &sources.AppEntry{Time: now, RequestID: fmt.Sprintf("r%d", i), Path: "/api", Raw: fmt.Sprintf("app %d", i)}
		c.hold(app, e, e.Time, instantOf(e.Time), nil, false)
		if i%4 == 0 {
			held = append(held, e)
		} else {
			c.release(e.IDKey()) // its request was answered
		}
	}
	if cap(c.lines) != minHeldLines || len(c.lines) != minHeldLines {
		t.Fatalf("%d lines in an array of %d, want it full at %d", len(c.lines), cap(c.lines), minHeldLines)
	}
	now = now.Add(time.Millisecond)
	e := &sources.AppEntry{Time: now, RequestID: "next", Path: "/api", Raw: "app next"}
	c.hold(app, e, e.Time, instantOf(e.Time), nil, false)
	held = append(held, e)
	if cap(c.lines) != minHeldLines {
		t.Errorf("the array grew to %d places for %d lines held", cap(c.lines), len(held))
	}
	var got []*sources.AppEntry
	for _, l := range c.lines[c.head:] {
		if l.rec != nil {
			got = append(got, l.rec.(*sources.AppEntry))
		}
	}
	if !slices.Equal(got, held) {
		t.Fatalf("%d lines held after the move, want the %d not released, in order", len(got), len(held))
	}
	for _, e := range held {
		refs := c.byID[e.IDKey()]
		if len(refs) != 1 || refs[0].e != e || c.lines[refs[0].seq-c.base].rec != sources.Record(e) {
			t.Fatalf("%s: the id index does not find it at its place: %+v", e.Raw, refs)
		}
	}
	c.release(held[3].IDKey())
	if c.lines[c.head+3].rec != nil {
		t.Errorf("released after the move, %s is still held", held[3].Raw)
	}
}

// The held lines' array is sized to what is held, not twice it: a dense
// app log holds the retention's worth of lines (120,000 at 1,000 lines/s)
// for the whole report, and an array grown to twice its size whenever
// the lines filled half of it settled at 2.2 times them (262,144 places
// of 64 bytes). It now settles at 1.5 times at most.
func TestHeldLinesArrayFitsTheLinesHeld(t *testing.T) {
	const retain, perSecond = 40 * time.Second, 1000
	c := newCorrelator(Config{Retain: retain}.withDefaults())
	app := input(2, sources.RoleApp)
	most := 0
	now := t0
	for i := range 3 * int(retain.Seconds()) * perSecond {
		now = now.Add(time.Second / perSecond)
		e := &sources.AppEntry{Time: now, RequestID: fmt.Sprintf("r%d", i), Raw: "app"}
		c.hold(app, e, e.Time, instantOf(e.Time), nil, false)
		c.evict(now, logInstant{}, false)
		most = max(most, len(c.lines)-c.head-c.nils)
	}
	if most < int(retain.Seconds())*perSecond {
		t.Fatalf("%d lines held at most, want the retention's %d", most, int(retain.Seconds())*perSecond)
	}
	if limit := most + most/2; cap(c.lines) > limit {
		t.Errorf("an array of %d places for %d lines held at most: want at most %d", cap(c.lines), most, limit)
	}
}
