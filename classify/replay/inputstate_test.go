package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
	"fivexx/sources/parsertest"
)

// stateClock is a fakeClock that notes the inputs' states in the latest
// snapshot each time the replay has played another 10 s of wall time.
type stateClock struct {
	fakeClock
	eng  *classify.Engine
	next time.Time
	seen [][]string // per note, each input's state
	// rates: per note, the access log's lines/s and the rates pane's "all"
	rates [][2]float64
}

func (c *stateClock) Sleep(ctx context.Context, d time.Duration) {
	c.fakeClock.Sleep(ctx, d)
	if now := c.Now(); !now.Before(c.next) {
		var states []string
		if s := c.eng.Latest(); s != nil {
			for _, in := range s.Inputs {
				states = append(states, in.State)
			}
			c.rates = append(c.rates, [2]float64{s.Inputs[0].LinesPerSec, allRate(s)})
		}
		c.seen = append(c.seen, states)
		c.next = c.next.Add(10 * time.Second)
	}
}

// playNoting replays ins at 1x (opts' other fields as given) on a
// stateClock that notes each input's state and rates every 10 s of log
// time; withNow gives the engine the clock as fivexx replay does (the
// inputs' rates are shown).
func playNoting(t *testing.T, ins []*sources.Input, opts Options, withNow bool) *stateClock {
	t.Helper()
	clk := &stateClock{fakeClock: fakeClock{now: logBase}, next: logBase.Add(10 * time.Second)}
	cfg := timelineConfig(ins)
	if withNow {
		cfg.Now = clk.Now
	}
	eng := classify.NewEngine(cfg)
	clk.eng = eng
	opts.Speed, opts.Clock = 1, clk
	p := New(eng, ins, opts)
	for i, err := range p.RunMerged(context.Background(), ins) {
		if err != nil {
			t.Fatalf("input %d: %v", i, err)
		}
	}
	return clk
}

// The inputs pane tells what the user is watching: an input is "playing"
// with the share of it played until its last line has been played, then
// "done". Its reader reads both small files whole in the first second
// and said "done" from then on, for the access log whose 120 s were still
// to play at 1x and for the error log whose second line comes at 90 s.
func TestInputStateIsWhatWasPlayed(t *testing.T) {
	ins := sparseErrorLog(t, 120, 30, 90)
	clk := playNoting(t, ins, Options{}, false)
	if len(clk.seen) < 11 {
		t.Fatalf("states noted every 10 s %d times, want 11 or more", len(clk.seen))
	}
	for i, states := range clk.seen[:11] {
		at := 10 * (i + 1)
		if len(states) != 2 {
			t.Fatalf("after %d s: states %q, want 2", at, states)
		}
		// The access log: one line a second over 120 s.
		if pct, ok := playingShare(states[0]); !ok || pct < at*100/121-2 || pct > at*100/121+2 {
			t.Errorf("after %d s of 120 the access log's state is %q, want about playing %d%%", at, states[0], at*100/121)
		}
		// The error log: its lines at 30 s and 90 s, the last played at 90 s.
		want := "playing 50%"
		switch {
		case at < 30:
			want = "playing 0%"
		case at > 90:
			want = "done"
		case at == 30 || at == 90:
			continue // its line and the note come in the same 100 ms
		}
		if states[1] != want {
			t.Errorf("after %d s the error log's state is %q, want %q", at, states[1], want)
		}
	}
	for _, in := range clk.eng.Latest().Inputs {
		if in.State != "done" {
			t.Errorf("at the end %s is %q, want done", in.Path, in.State)
		}
	}
}

// playingShare reads the share out of a state "playing N%".
func playingShare(state string) (int, bool) {
	var pct int
	if !strings.HasPrefix(state, "playing ") {
		return 0, false
	}
	if _, err := fmt.Sscanf(state, "playing %d%%", &pct); err != nil {
		return 0, false
	}
	return pct, true
}

// A replay stopped at --to is done with every input: the access log it
// stopped reading said "read error: context canceled", as a problem.
func TestInputStateAtTo(t *testing.T) {
	ins := sparseErrorLog(t, 20000, 50)
	p := playFiles(t, ins, Options{Speed: 0, To: logBase.Add(100 * time.Second), Clock: &fakeClock{now: logBase}})
	for _, in := range p.eng.Latest().Inputs {
		if in.State != "done" {
			t.Errorf("stopped at --to, %s is %q, want done", in.Path, in.State)
		}
	}
}

// A --from/--to window with no line says so, on the replay line
// (Status.Empty) and in the inputs pane: it said "■ finished" and "done",
// or "finished 71%", and nothing else. An input with no line in a window
// others play says it too.
func TestEmptyWindowIsSaid(t *testing.T) {
	for _, tc := range []struct {
		name     string
		opt      Options
		empty    string
		states   []string
		finished bool
	}{
		{"from after the last line", Options{From: logBase.Add(time.Hour)},
			"no line from 2026-11-21T11:00:00Z on", []string{"no line from 2026-11-21T11:00:00Z on", "no line from 2026-11-21T11:00:00Z on"}, true},
		{"to before the first line", Options{To: logBase.Add(-time.Hour)},
			"no line up to 2026-11-21T09:00:00Z", []string{"no line up to 2026-11-21T09:00:00Z", "no line up to 2026-11-21T09:00:00Z"}, true},
		{"between two error lines", Options{From: logBase.Add(100 * time.Second), To: logBase.Add(110 * time.Second)},
			"", []string{"done", "no line from 2026-11-21T10:01:40Z to 2026-11-21T10:01:50Z"}, true},
		{"no window", Options{}, "", []string{"done", "done"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opt.Clock = &fakeClock{now: logBase}
			p := playFiles(t, sparseErrorLog(t, 200, 50, 150), tc.opt)
			st := p.Status()
			if st.Empty != tc.empty || st.Finished != tc.finished {
				t.Errorf("status %+v, want Empty %q", st, tc.empty)
			}
			for i, in := range p.eng.Latest().Inputs {
				if in.State != tc.states[i] {
					t.Errorf("%s is %q, want %q", in.Path, in.State, tc.states[i])
				}
			}
		})
	}
}

// allRate is the rates pane's "all" (tui recentRate): the requests of the
// last RateSpan seconds of the series, over RateSpan.
func allRate(s *classify.Snapshot) float64 {
	n := min(int(classify.RateSpan/time.Second), len(s.Series))
	if n == 0 {
		return 0
	}
	var sum int64
	for _, b := range s.Series[len(s.Series)-n:] {
		sum += b.Requests
	}
	return float64(sum) / float64(n)
}

// A replay's lines/s is of the lines played, per second of log time over
// the last 10 s, as the rates pane's rates are: one line a second played
// at 1x reads 1 beside the rates pane's "all 1/s". It was how fast the
// reader read ahead: 0 once it had read the small file whole.
func TestReplayLinesPerSecIsWhatIsPlayed(t *testing.T) {
	ins := sparseErrorLog(t, 120, 30, 90)
	clk := playNoting(t, ins, Options{}, true)
	if len(clk.rates) < 11 {
		t.Fatalf("rates noted every 10 s %d times, want 11 or more", len(clk.rates))
	}
	for i, r := range clk.rates[1:11] { // from 20 s: 10 s of log played
		if lines, all := r[0], r[1]; lines < 0.85 || lines > 1.15 || all < 0.85 || all > 1.15 {
			t.Errorf("after %d s: access lines/s %.2f, rates pane all %.2f/s; want both 1", 10*(i+2), lines, all)
		}
	}
}

// A small recording replayed at --speed max is played whole before the
// first publish (100 ms of wall time): the inputs pane's lines/s took its
// first count after every line had been played, and read 0 at the end
// beside the rates pane's "all". It is the lines played in the last 10 s
// of log time, as the rates pane's: the real Caddy 2.6.2 access log of
// testdata/errorlog-alone (18 lines in 8 s: 1.8/s over the last 10 s) and
// a synthetic 2 minutes of one line a second (1/s).
func TestReplayMaxLinesPerSecAtTheEnd(t *testing.T) {
	caddy := func(t *testing.T) []*sources.Input {
		p := filepath.Join("..", "..", "testdata", "errorlog-alone", "caddy-access.log")
		return []*sources.Input{sources.NewInput(0, sources.Spec{Path: p})}
	}
	for _, tc := range []struct {
		name string
		ins  func(t *testing.T) []*sources.Input
		want float64
	}{
		{"caddy-access.log", caddy, 1.8},
		{"2 min", func(t *testing.T) []*sources.Input { return sparseErrorLog(t, 120, 30, 90)[:1] }, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ins := tc.ins(t)
			cfg := timelineConfig(ins)
			cfg.Now = time.Now // as fivexx replay has: the inputs' rates are shown
			eng := classify.NewEngine(cfg)
			p := New(eng, ins, Options{Speed: 0})
			for i, err := range p.RunMerged(context.Background(), ins) {
				if err != nil {
					t.Fatalf("input %d: %v", i, err)
				}
			}
			for range 2 { // the player's last publish, then the UI's ticks
				s := p.Snapshot()
				lines, all := s.Inputs[0].LinesPerSec, allRate(s)
				if math.Abs(lines-tc.want) > 0.01 || math.Abs(all-tc.want) > 0.2 {
					t.Errorf("access lines/s %.2f, rates pane all %.2f/s at the end; want %.2f", lines, all, tc.want)
				}
			}
		})
	}
}

// tickClock is a clock that moves on by step each time it is read: at
// --speed max the player's publishes then come every so many lines, as
// the wall clock has them on a machine under load.
type tickClock struct {
	fakeClock
	step time.Duration
}

func (c *tickClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(c.step)
	return c.now
}

// At the end of a --speed max replay, lines/s is of the lines with a time
// in the last 10 s of log time, over 10 s, the same whatever the wall
// clock did meanwhile: the access log's reads the rates pane's "all", and
// an error log whose last line is 12 s before the end reads 0. It was
// counted from the newest snapshot before the span, whose log time
// depended on the wall timing of the publishes: three runs of the same
// files read 123, 119 and 126 beside "all 94.7/s", and the error log 7.0
// to 8.7 with no line in the last 10 s.
func TestReplayMaxLinesPerSecIsTheSameEveryRun(t *testing.T) {
	dir := t.TempDir()
	var acc, errl strings.Builder
	const secs = 300
	n := 0
	for s := 0; s <= secs; s++ {
		tm := logBase.Add(time.Duration(s) * time.Second)
		for k := 0; k < s%7+1; k++ { // 1 to 7 lines a second
			fmt.Fprintf(&acc, "127.0.0.1 - - [%s] \"GET /x?n=%d HTTP/1.1\" 200 3 \"-\" \"ua\"\n", tm.Format("02/Jan/2006:15:04:05 -0700"), n)
			n++
		}
	}
	for _, s := range []int{30, 90, 200, 201, 288} {
		tm := logBase.Add(time.Duration(s) * time.Second)
		fmt.Fprintf(&errl, "%s [error] 1#1: *2 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 127.0.0.1, server: , request: \"GET /y HTTP/1.1\", upstream: \"http://127.0.0.1:35433/y\", host: \"h\"\n",
			tm.Format("2006/01/02 15:04:05"))
	}
	a, e := filepath.Join(dir, "access.log"), filepath.Join(dir, "error.log")
	parsertest.WriteFiles(t, map[string]string{a: acc.String(), e: errl.String()})
	// The last 10 s, 291 to 300: s%7+1 lines each.
	want := 0.0
	for s := secs - 9; s <= secs; s++ {
		want += float64(s%7 + 1)
	}
	want /= 10
	var got [][2]float64
	for _, clk := range []Clock{
		&tickClock{fakeClock: fakeClock{now: logBase}, step: time.Millisecond},
		&tickClock{fakeClock: fakeClock{now: logBase}, step: 7 * time.Millisecond},
		&tickClock{fakeClock: fakeClock{now: logBase}, step: 40 * time.Millisecond},
		realClock{},
	} {
		loc := sources.ParserOptions{Location: time.UTC}
		ins := []*sources.Input{sources.NewInput(0, sources.Spec{Path: a, Opts: loc}), sources.NewInput(1, sources.Spec{Path: e, Opts: loc})}
		cfg := timelineConfig(ins)
		cfg.Now = clk.Now // as fivexx replay has: the inputs' rates are shown
		eng := classify.NewEngine(cfg)
		p := New(eng, ins, Options{Speed: 0, Clock: clk})
		for i, err := range p.RunMerged(context.Background(), ins) {
			if err != nil {
				t.Fatalf("input %d: %v", i, err)
			}
		}
		s := p.Snapshot()
		access, errs, all := s.Inputs[0].LinesPerSec, s.Inputs[1].LinesPerSec, allRate(s)
		if math.Abs(all-want) > 1e-9 {
			t.Fatalf("rates pane all %.2f/s, want %.2f", all, want)
		}
		if access != all || errs != 0 {
			t.Errorf("clock %T: access lines/s %.2f beside all %.2f/s, error log %.2f; want %.2f and 0", clk, access, all, errs, want)
		}
		got = append(got, [2]float64{access, errs})
	}
	for _, g := range got[1:] {
		if g != got[0] {
			t.Errorf("lines/s differ between runs: %v", got)
			break
		}
	}
}

// A .gz input's share is of what was played, as the same log's, plain:
// its count of bytes read ran ahead by the compressed bytes of the
// inflated text its reader held, not yet split into lines (up to 1.5
// MiB), and a replay of a 1.4 MB access.log.gz at 20x said "playing 37%"
// at 20% of its log time, where the plain access.log said 19% (QA s36 L6).
func TestGzipInputStateIsWhatWasPlayed(t *testing.T) {
	const secs, perSec = 120, 250
	rnd := rand.New(rand.NewPCG(1, 2))
	var acc bytes.Buffer
	for s := 0; s <= secs; s++ {
		tm := logBase.Add(time.Duration(s) * time.Second).Format("02/Jan/2006:15:04:05 -0700")
		for k := 0; k < perSec; k++ {
			fmt.Fprintf(&acc, "10.%d.%d.%d - - [%s] \"GET /api/items/%d?id=%016x HTTP/1.1\" 200 %d \"-\" \"ua\"\n",
				rnd.IntN(256), rnd.IntN(256), rnd.IntN(256), tm, rnd.IntN(100000), rnd.Uint64(), rnd.IntN(90000))
		}
	}
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write(acc.Bytes())
	w.Close()
	if z.Len() > 4<<20 || acc.Len() < 3<<20 {
		t.Fatalf("%d bytes, %d compressed: the test wants twice the read-ahead's 1.5 MiB inflated or more, below the 4 MiB of a parallel inflate", acc.Len(), z.Len())
	}
	// states plays data at 1x and notes its state every 10 s.
	states := func(name string, data []byte) []int {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ins := []*sources.Input{sources.NewInput(0, sources.Spec{Path: path, Opts: sources.ParserOptions{Location: time.UTC}})}
		clk := playNoting(t, ins, Options{}, false)
		if len(clk.seen) < 11 {
			t.Fatalf("%s: states noted every 10 s %d times, want 11 or more", name, len(clk.seen))
		}
		var pcts []int
		for i, st := range clk.seen[:11] {
			pct, ok := playingShare(st[0])
			if !ok {
				t.Fatalf("%s: after %d s the state is %q", name, 10*(i+1), st[0])
			}
			pcts = append(pcts, pct)
		}
		return pcts
	}
	// Both run a few points ahead of the log time played (the plain one
	// by the chunks queued for its parsers: 57% at 60 s of 121) and apart
	// by the scheduling (±7); the .gz ran 30 to 50 points ahead (52%
	// after 10 s, 93% after 60 s).
	plain, gz := states("access.log", acc.Bytes()), states("access.log.gz", z.Bytes())
	t.Logf("every 10 s, plain %v, .gz %v", plain, gz)
	for i := range plain {
		if d := gz[i] - plain[i]; d < -12 || d > 12 {
			t.Errorf("after %d s of %d the .gz access log is playing %d%%, the plain one %d%%", 10*(i+1), secs, gz[i], plain[i])
		}
	}
}
