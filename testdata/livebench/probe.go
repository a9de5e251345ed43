package main

// The probes: what is on the screen, how soon a key changes it, how soon
// an appended line shows.

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// prober reads the screen and runs the key and line probes.
type prober struct {
	tm      *tmuxServer
	feed    *feeder
	poll    time.Duration
	last    string      // the last screen captured
	facts   screenFacts // what it said
	rtts    []float64   // capture-pane round trips, ms
	markers int         // markers written
	pid     int         // fivexx
	rng     *rand.Rand  // the random wait before each key and marker
}

// errNotSeen is a probe's change not showing within its timeout.
var errNotSeen = errors.New("not on the screen in time")

// wait polls the screen until cond holds and returns how long that took.
// ok is false when d passed first (err is then errNotSeen).
func (p *prober) wait(d time.Duration, cond func(screenFacts) bool) (took time.Duration, ok bool, err error) {
	start := time.Now()
	for {
		t0 := time.Now()
		s, err := p.tm.screen()
		if err != nil {
			return time.Since(start), false, err
		}
		p.rtts = append(p.rtts, ms(time.Since(t0)))
		p.last, p.facts = s, readScreen(s)
		if cond(p.facts) {
			return time.Since(start), true, nil
		}
		if time.Since(start) > d {
			return time.Since(start), false, errNotSeen
		}
		time.Sleep(p.poll)
	}
}

func (p *prober) lastScreen() string {
	if p.last == "" {
		return ""
	}
	return "; the screen:\n" + p.last
}

// probe times ? (help opens), ? (it closes) and one marker line.
func (p *prober) probe(res *result, loaded bool) error {
	for _, want := range []bool{true, false} {
		// A random wait first, so keys arrive at any phase of the
		// renderer's 60 fps frame, not right after the frame that showed
		// the last change.
		time.Sleep(time.Duration(p.rng.Int64N(int64(50 * time.Millisecond))))
		w0, _ := procWait(p.pid)
		start := time.Now()
		if err := p.tm.keys("?"); err != nil {
			return err
		}
		_, ok, err := p.wait(3*time.Second, func(f screenFacts) bool {
			if want {
				return f.help
			}
			return f.overview && !f.help
		})
		took := time.Since(start)
		switch {
		case errors.Is(err, errNotSeen):
			res.KeyMissed++
			return p.resync()
		case err != nil:
			return err
		case ok && loaded:
			w1, _ := procWait(p.pid)
			res.KeyLoad = append(res.KeyLoad, ms(took))
			res.KeyWait = append(res.KeyWait, ms(w1-w0))
		case ok:
			res.KeyIdle = append(res.KeyIdle, ms(took))
		}
	}
	// A random wait first: the probes would otherwise fall into step with
	// the UI's refresh tick and always meet it at the same phase.
	time.Sleep(time.Duration(p.rng.Int64N(int64(300 * time.Millisecond))))
	took, ok, err := p.marker()
	switch {
	case errors.Is(err, errNotSeen):
		res.LineMissed++
	case err != nil:
		return err
	case ok && loaded:
		res.LineLoad = append(res.LineLoad, ms(took))
	case ok:
		res.LineIdle = append(res.LineIdle, ms(took))
	}
	return nil
}

// marker writes the next marker and waits for its row to count it.
func (p *prober) marker() (time.Duration, bool, error) {
	p.markers++
	n := p.markers
	at, err := p.feed.writeMarker(n)
	if err != nil {
		return 0, false, err
	}
	_, ok, err := p.wait(5*time.Second, func(f screenFacts) bool { return f.marker502 >= n })
	return time.Since(at), ok, err
}

// resync gets back to the overview after a key probe timed out.
func (p *prober) resync() error {
	if p.facts.help {
		if err := p.tm.keys("?"); err != nil {
			return err
		}
	}
	_, _, err := p.wait(10*time.Second, func(f screenFacts) bool { return f.overview && !f.help })
	if err != nil {
		return fmt.Errorf("the UI is stuck: %w%s", err, p.lastScreen())
	}
	return nil
}

// applyFilter filters the overview on text, so the marker row is the only
// one whatever the order of the others. Keys typed right after the first
// frame can be lost while the program still reads the terminal's answers
// to its start-up queries: it tries again.
func (p *prober) applyFilter(text string) error {
	var err error
	for range 5 {
		for _, step := range []func() error{
			func() error { return p.tm.keys("/") },
			func() error { return p.tm.text(text) },
			func() error { return p.tm.keys("Enter") },
		} {
			if err := step(); err != nil {
				return err
			}
		}
		_, _, err = p.wait(2*time.Second, func(f screenFacts) bool {
			return f.overview && strings.Contains(p.last, "/"+text) && !strings.Contains(p.last, "apply")
		})
		if !errors.Is(err, errNotSeen) {
			return err
		}
		// Out of the filter input, and the filter cleared, if either took.
		if err := p.tm.keys("Escape"); err != nil {
			return err
		}
		time.Sleep(200 * time.Millisecond)
		if err := p.tm.keys("Escape"); err != nil {
			return err
		}
		time.Sleep(300 * time.Millisecond)
	}
	return fmt.Errorf("the filter did not apply: %w%s", err, p.lastScreen())
}
