package main

// One measurement, in phases: prepare the files, start fivexx in tmux,
// probe it idle, append and probe, check that everything showed, quit, and
// compare with fivexx report on the same lines.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"fivexx/classify"
)

// roleOf is the inputs section's role of each followed file.
var roleOf = [numKinds]string{kindAccess: "proxy", kindError: "proxy-errors", kindApp: "app"}

// cpuSample is the CPU used so far by each process of interest.
type cpuSample struct {
	at                 time.Time
	fivexx, tmux, self time.Duration
	machine            machineCPU
	lines              [numKinds]int64 // appended so far
	wait               time.Duration   // fivexx's threads' run-queue wait so far
}

// bench is one measurement under way.
type bench struct {
	o    options
	res  *result
	logf func(format string, args ...any)

	dir, poolDir, liveDir string
	bin, comm             string // the binary, and its name as the kernel keeps it
	statusFile            string // fivexx's exit status, written by the sh that runs it

	feed    *feeder
	tm      *tmuxServer
	p       *prober
	pid     int // fivexx
	tmuxPID int
}

// measure is one run: prepare, start, idle probes, load, verify, quit,
// reference. Every process it starts is gone when it returns.
func measure(ctx context.Context, o options, logw io.Writer) (*result, error) {
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	b := &bench{
		o:    o,
		res:  &result{TargetRate: o.rate, Load1Before: loadAverage()},
		logf: func(format string, args ...any) { fmt.Fprintf(logw, "livebench: "+format+"\n", args...) },
	}
	cleanup, err := b.prepare()
	defer cleanup()
	if err != nil {
		return nil, err
	}
	defer b.stop()
	if err := b.start(ctx); err != nil {
		return nil, err
	}
	b.logf("fivexx pid %d is up; %d idle probes", b.pid, o.idleProbes)
	for range o.idleProbes {
		if err := b.p.probe(b.res, false); err != nil {
			return nil, err
		}
	}
	cpu, err := b.load(ctx, cancel)
	if err != nil {
		return nil, err
	}
	if err := b.verify(cpu[len(cpu)-1]); err != nil {
		return nil, err
	}
	if err := b.quit(); err != nil {
		return nil, err
	}
	var appended [numKinds]int64
	for k := range numKinds {
		appended[k] = b.feed.lines[k].Load()
	}
	ref, err := referenceCauses(ctx, b.bin, b.poolDir, filepath.Join(b.dir, "ref"), appended)
	if err != nil {
		b.res.Problems = append(b.res.Problems, fmt.Sprintf("reference report: %v", err))
	}
	b.res.RefCauses = ref
	if b.res.KeyMissed > 0 || b.res.LineMissed > 0 {
		b.res.Problems = append(b.res.Problems, fmt.Sprintf("%d key and %d line probes not seen within their timeout",
			b.res.KeyMissed, b.res.LineMissed))
	}
	return b.res, nil
}

// prepare makes the work directory, the pool and the followed files with
// their first lines. cleanup closes and removes what prepare made.
func (b *bench) prepare() (cleanup func(), err error) {
	var undo []func()
	cleanup = func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	b.dir = b.o.dir
	if b.dir == "" {
		if b.dir, err = os.MkdirTemp("", "livebench-"); err != nil {
			return cleanup, err
		}
		if b.o.keep {
			b.logf("keeping %s", b.dir)
		} else {
			undo = append(undo, func() { os.RemoveAll(b.dir) })
		}
	}
	b.poolDir, b.liveDir = filepath.Join(b.dir, "pool"), filepath.Join(b.dir, "live")
	b.statusFile = filepath.Join(b.dir, "status")
	if !b.o.keep && b.o.dir != "" {
		undo = append(undo, func() {
			os.RemoveAll(b.poolDir)
			os.RemoveAll(b.liveDir)
			os.Remove(b.statusFile)
		})
	}
	if err := os.MkdirAll(b.liveDir, 0o755); err != nil {
		return cleanup, err
	}
	need := int64(b.o.rate*b.o.duration.Seconds()) + 1
	b.logf("generating %d lines with biglog", need)
	if _, err := generatePool(b.poolDir, need, b.o.seed, b.o.logRate); err != nil {
		return cleanup, err
	}
	if err := seedFiles(b.poolDir, b.liveDir, 10, time.Now()); err != nil {
		return cleanup, err
	}
	pl, err := openPool(b.poolDir)
	if err != nil {
		return cleanup, err
	}
	undo = append(undo, pl.close)
	if b.feed, err = openFeed(b.liveDir, pl); err != nil {
		return cleanup, err
	}
	undo = append(undo, b.feed.close)
	return cleanup, nil
}

// start runs fivexx in a tmux server of its own, waits for its first
// frame, finds its process and filters the overview on the markers. The
// server, and fivexx, end when ctx does.
func (b *bench) start(ctx context.Context) error {
	var err error
	if b.bin, err = filepath.Abs(b.o.bin); err != nil {
		return err
	}
	// The kernel keeps the first 15 bytes of the program's name.
	b.comm = filepath.Base(b.bin)
	b.comm = b.comm[:min(len(b.comm), 15)]
	// sh runs fivexx and writes its exit status to a file: tmux 3.3 may
	// leave #{pane_dead_status} empty when it marks the pane dead before
	// reaping the process.
	argv := []string{"env"}
	if b.o.cpuProfile != "" {
		p, err := filepath.Abs(b.o.cpuProfile)
		if err != nil {
			return err
		}
		b.res.CPUProfile = p
		argv = append(argv, "FIVEXX_CPUPROFILE="+p)
	}
	argv = append(argv, b.bin,
		"--proxy", filepath.Join(b.liveDir, fileNames[kindAccess]),
		"--proxy-errors", filepath.Join(b.liveDir, fileNames[kindError]),
		"--app", filepath.Join(b.liveDir, fileNames[kindApp]))
	for i, a := range argv {
		argv[i] = shQuote(a)
	}
	script := strings.Join(argv, " ") + "; echo $? > " + shQuote(b.statusFile)
	if b.tm, err = startTmux(ctx, b.dir, "sh -c "+shQuote(script), b.o.width, b.o.height); err != nil {
		return err
	}
	go func() {
		<-ctx.Done() // the hard timeout: the server's end hangs fivexx up
		b.tm.kill()
	}()
	b.p = &prober{tm: b.tm, feed: b.feed, poll: b.o.poll, rng: rand.New(rand.NewPCG(b.o.seed, uint64(time.Now().UnixNano())))}
	if _, _, err := b.p.wait(15*time.Second, func(f screenFacts) bool { return f.live && f.overview }); err != nil {
		return fmt.Errorf("fivexx did not show its first frame: %w%s", err, b.p.lastScreen())
	}
	panePID, err := b.tm.display("#{pane_pid}")
	if err != nil {
		return err
	}
	pp, err := strconv.Atoi(panePID)
	if err != nil {
		return fmt.Errorf("pane pid %q: %w", panePID, err)
	}
	if b.pid, err = findProcess(pp, b.comm); err != nil {
		return err
	}
	b.p.pid = b.pid
	if s, err := b.tm.display("#{pid}"); err == nil {
		b.tmuxPID, _ = strconv.Atoi(s)
	}
	return b.p.applyFilter(markerUpstream)
}

// stop ends fivexx, if it still runs, and our tmux server.
func (b *bench) stop() {
	if b.pid > 0 {
		stopProcess(b.pid, b.comm)
	}
	if b.tm != nil {
		b.tm.kill()
	}
}

// sample reads the CPU used so far and the lines appended so far.
func (b *bench) sample() cpuSample {
	s := cpuSample{at: time.Now()}
	s.fivexx, _ = procCPU(b.pid)
	s.wait, _ = procWait(b.pid)
	if b.tmuxPID > 0 {
		s.tmux, _ = procCPU(b.tmuxPID)
	}
	s.self, _ = procCPU(os.Getpid())
	s.machine, _ = readMachineCPU()
	for k := range numKinds {
		s.lines[k] = b.feed.lines[k].Load()
	}
	return s
}

// load appends for -duration while probing every second and sampling the
// CPU every second; it returns the samples, the last taken when appending
// ended.
func (b *bench) load(ctx context.Context, cancel func()) ([]cpuSample, error) {
	o, res := b.o, b.res
	warmup := min(o.warmup, o.duration/3)
	// The inputs' lines/s on screen is over the last classify.RateSpan
	// and rises to the rate over the first RateSpan, as the rates pane's
	// do: read from then on (when the run is long enough), or the mean
	// took in the rise.
	rateWarmup := warmup
	if o.duration >= 2*classify.RateSpan {
		rateWarmup = max(warmup, classify.RateSpan)
	}
	b.logf("appending %.0f lines/s for %v", o.rate, o.duration)
	res.Load1Start = loadAverage()
	var fr feedResult
	var ferr error
	feedDone := make(chan struct{})
	samples := make(chan []cpuSample, 1)
	first := b.sample()
	go func() {
		defer close(feedDone)
		fr, ferr = b.feed.run(ctx, o.rate, o.duration, o.slice)
	}()
	go func() {
		all := []cpuSample{first}
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				all = append(all, b.sample())
			case <-feedDone:
				samples <- append(all, b.sample())
				return
			}
		}
	}()
	rates := map[string][]float64{}
	for loaded := true; loaded; {
		began := time.Now()
		if err := b.p.probe(res, true); err != nil {
			cancel()
			<-feedDone
			return nil, err
		}
		if time.Since(first.at) >= warmup {
			res.MaxPending = max(res.MaxPending, b.p.facts.pending)
		}
		if time.Since(first.at) >= rateWarmup {
			for role, in := range b.p.facts.inputs {
				if v, ok := rateValue(in.Rate); ok {
					rates[role] = append(rates[role], v)
				}
			}
		}
		select {
		case <-feedDone:
			loaded = false
		case <-time.After(time.Second - time.Since(began)):
		}
	}
	cpu := <-samples
	if ferr != nil {
		return nil, fmt.Errorf("appending: %w", ferr)
	}
	res.Load1End = loadAverage()
	res.Appended = fr.total
	res.AppendSecs = fr.end.Sub(fr.start).Seconds()
	res.AchievedRate = float64(fr.total) / res.AppendSecs
	res.MaxSliceGap = ms(fr.maxGap)
	res.AppendedBy = map[string]int64{}
	res.ScreenRates = map[string]float64{}
	for k := range numKinds {
		res.AppendedBy[k.String()] = b.feed.lines[k].Load()
		if v := rates[roleOf[k]]; len(v) > 0 {
			res.ScreenRates[roleOf[k]] = mean(v)
		}
	}
	cpuFigures(res, cpu, warmup)
	if res.OtherCPU > 0.5 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("the machine was busy: %.2f cores of other work while appending", res.OtherCPU))
	}
	if fr.maxGap > 10*o.slice {
		res.Warnings = append(res.Warnings, fmt.Sprintf("livebench itself was stalled for %v between two appends", fr.maxGap.Round(time.Millisecond)))
	}
	if b.feed.exhausted {
		res.Problems = append(res.Problems, "the generated pool ran out before -duration")
	}
	return cpu, nil
}

// verify waits for everything appended to show: a marker written after
// the last line (fivexx reads the access log in order, so when it shows
// every access line before it has been counted: the catch-up time), then
// the 5xx verdicts, which wait a grace second. It reads the evidence off
// the screen, filtered on the markers and then not.
func (b *bench) verify(end cpuSample) error {
	res, p := b.res, b.p
	took, _, err := p.marker()
	switch {
	case errors.Is(err, errNotSeen):
		res.Problems = append(res.Problems, "the marker after the last line did not show within 5 s")
	case err != nil:
		return err
	}
	res.CatchUpSecs = took.Seconds()
	res.Fivexx = b.feed.fivexx + int64(p.markers)
	res.Markers = p.markers
	res.FivexxBy = map[int]int64{}
	for code, n := range b.feed.byStatus {
		res.FivexxBy[code] = n
	}
	res.FivexxBy[502] += int64(p.markers)
	want := countText(res.Fivexx)
	b.logf("appended %d lines; waiting for %s 5xx and %d markers on screen", res.Appended, want, p.markers)
	if _, caught, err := p.wait(30*time.Second, func(f screenFacts) bool {
		return allJudged(f, want, p.markers)
	}); err != nil && !caught {
		res.Problems = append(res.Problems, fmt.Sprintf("not all on screen 30 s after the last line: causes %q of %q 5xx, marker row %d of %d, pending %d",
			p.facts.causes, want, p.facts.marker502, p.markers, p.facts.pending))
	}
	if d := b.sample(); d.at.After(end.at) {
		res.CPUDrain = cores(d.fivexx-end.fivexx, d.at.Sub(end.at))
	}
	res.DrainScreen = p.last
	res.FivexxShown = p.facts.causes
	res.MarkersShown = max(p.facts.marker502, 0)
	res.MarkerCause = p.facts.markerCause
	res.Dropped = p.facts.dropped
	res.DroppedPending, res.DroppedApp, res.DroppedErrors = p.facts.droppedPending, p.facts.droppedApp, p.facts.droppedErrors
	res.Unparsed = map[string]string{}
	for _, role := range inputRoles {
		in, ok := p.facts.inputs[role]
		if !ok {
			res.Problems = append(res.Problems, "no inputs row for "+role)
			continue
		}
		res.Unparsed[role] = in.Unparsed
		if in.Unparsed != "0" {
			res.Problems = append(res.Problems, fmt.Sprintf("%s: %s unparsed lines", role, in.Unparsed))
		}
		if in.State != "following" {
			res.Problems = append(res.Problems, fmt.Sprintf("%s: state %q", role, in.State))
		}
	}
	if hwm, err := procHWM(b.pid); err == nil {
		res.RSSPeakMiB = float64(hwm) / 1024
	}
	res.CaptureRTTms = median(p.rtts)

	// The causes pane and the upstream table, unfiltered: esc clears the
	// filter. Their counts are exact below 10,000.
	if err := b.tm.keys("Escape"); err != nil {
		return err
	}
	tableOK := func(f screenFacts) bool {
		for _, code := range []int{502, 503, 504} {
			if f.tableSums[code] != res.FivexxBy[code] {
				return false
			}
		}
		return true
	}
	if _, _, err := p.wait(5*time.Second, func(f screenFacts) bool {
		return f.overview && !strings.Contains(p.last, " match") && (len(f.causeCounts) > 0 || f.causes == "0") &&
			(!f.tableExact || tableOK(f))
	}); err != nil {
		res.Problems = append(res.Problems, fmt.Sprintf("the unfiltered overview: %v (table %v of %v)%s",
			err, p.facts.tableSums, res.FivexxBy, p.lastScreen()))
	}
	res.TableSums, res.TableExact = p.facts.tableSums, p.facts.tableExact
	res.LiveCauses = p.facts.causeCounts
	res.FinalScreen = p.last
	return nil
}

// allJudged reports whether screen f shows every appended 5xx judged: the
// causes pane's count as the UI shows it (want), the marker row's markers,
// and none pending. The count alone does not tell: shown rounded down
// ("18k" from 18,000 of 18,213 on), it held while the 5xx of the last 2 s
// still waited for their windows (live waits them out since session 23),
// and the causes were read without them: app_error 487-502 of the
// report's 536, all of them 500s of the last 2 s, and 4 markers short.
func allJudged(f screenFacts, want string, markers int) bool {
	return f.causes == want && f.marker502 == markers && f.pending == 0
}

// quit presses q as a user would, so a CPU profile gets written, and
// reads the exit status.
func (b *bench) quit() error {
	res := b.res
	if err := b.tm.keys("q"); err != nil {
		return err
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, err := os.ReadFile(b.statusFile)
		if res.ExitStatus = strings.TrimSpace(string(data)); err == nil && res.ExitStatus != "" {
			break
		}
		if time.Now().After(deadline) {
			res.Problems = append(res.Problems, "fivexx did not exit within 10 s of q")
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if res.ExitStatus != "" && res.ExitStatus != "0" {
		h, _ := b.tm.history()
		res.Problems = append(res.Problems, fmt.Sprintf("fivexx exited with status %s:\n%s", res.ExitStatus, h))
	}
	return nil
}

// cpuFigures turns the CPU samples into cores: steady (after warmup to the
// end of appending), the busiest second, and the other processes'.
func cpuFigures(res *result, cpu []cpuSample, warmup time.Duration) {
	if len(cpu) < 2 {
		return
	}
	from := cpu[0]
	for _, s := range cpu {
		if s.at.Sub(cpu[0].at) >= warmup {
			from = s
			break
		}
	}
	to := cpu[len(cpu)-1]
	wall := to.at.Sub(from.at)
	if wall <= 0 {
		from, wall = cpu[0], to.at.Sub(cpu[0].at)
	}
	res.SteadySecs = wall.Seconds()
	res.AppendedRates = map[string]float64{}
	for k := range numKinds {
		res.AppendedRates[roleOf[k]] = float64(to.lines[k]-from.lines[k]) / wall.Seconds()
	}
	res.CPUSteady = cores(to.fivexx-from.fivexx, wall)
	res.RunqWait = cores(to.wait-from.wait, wall)
	res.TmuxCPU = cores(to.tmux-from.tmux, wall)
	res.SelfCPU = cores(to.self-from.self, wall)
	busy := cores(to.machine.busy-from.machine.busy, wall)
	res.OtherCPU = max(busy-res.CPUSteady-res.TmuxCPU-res.SelfCPU, 0)
	for i := 1; i < len(cpu); i++ {
		if d := cpu[i].at.Sub(cpu[i-1].at); d >= 500*time.Millisecond {
			res.CPUPeak = max(res.CPUPeak, cores(cpu[i].fivexx-cpu[i-1].fivexx, d))
		}
	}
}

func cores(cpu, wall time.Duration) float64 {
	if wall <= 0 {
		return 0
	}
	return cpu.Seconds() / wall.Seconds()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// mean of v, 0 when empty.
func mean(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	var sum float64
	for _, x := range v {
		sum += x
	}
	return sum / float64(len(v))
}

// median of v, 0 when empty.
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
