// Command benchcmp times fivexx against other log tools on the same big,
// generated logs and prints a markdown table.
//
//	go build -o bin/fivexx ./cmd/fivexx
//	go run ./testdata/biglog/cmd/benchcmp -fivexx bin/fivexx -lines 2000000 -runs 3
//
// Every run is a child process; its wall time and peak RSS (ru_maxrss) are
// measured, the wall time is the median of the runs, the RSS the largest.
// Each tool's answer is checked against the generator's truth (requests by
// status, and for fivexx the causes), so a tool that parses nothing is
// reported as such instead of timed as fast. GoAccess and lnav run when they
// are on PATH. Only local files are read; children are killed on -timeout.
// A bare tokenizer (bare.go) runs on the same files as issue 8's ceiling,
// its runs alternated with fivexx's, and a last table gives fivexx ÷ bare.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"fivexx/testdata/biglog"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// options are the command line.
type options struct {
	lines    int64
	runs     int
	dir      string
	fivexx   string
	memcheck bool
	timeout  time.Duration
	seed     uint64
	keep     bool
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("benchcmp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.Int64Var(&o.lines, "lines", 2_000_000, "access lines (requests) to generate")
	fs.IntVar(&o.runs, "runs", 3, "timed runs per tool; the table shows the median")
	fs.StringVar(&o.dir, "dir", "", "work directory; logs there are kept and reused (default: a temp dir, removed)")
	fs.StringVar(&o.fivexx, "fivexx", "bin/fivexx", "the fivexx binary to time")
	fs.BoolVar(&o.memcheck, "memcheck", true, "also run fivexx on 10× the lines and compare its peak RSS, for each input combination of the memory check")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Minute, "kill a run after this long")
	fs.Uint64Var(&o.seed, "seed", 1, "generator seed")
	fs.BoolVar(&o.keep, "keep", false, "keep the temp work directory")
	scanFile := fs.String("scan", "", "internal: run the Go baseline on this file")
	bareFiles := fs.String("bare", "", "internal: run the bare tokenizer on these comma-separated files, the first an access log")
	genDir := fs.String("generate", "", "internal: generate the logs in this directory")
	noCombined := fs.Bool("nocombined", false, "internal: with -generate, skip combined.log")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *genDir != "" {
		if err := generateHere(*genDir, biglog.Config{Lines: o.lines, Seed: o.seed, NoCombined: *noCombined}); err != nil {
			fmt.Fprintf(stderr, "benchcmp: error: %v\n", err)
			return 1
		}
		return 0
	}
	if *scanFile != "" {
		if err := scan(*scanFile, stdout); err != nil {
			fmt.Fprintf(stderr, "benchcmp: error: %v\n", err)
			return 1
		}
		return 0
	}
	if *bareFiles != "" {
		if err := bare(strings.Split(*bareFiles, ","), runtime.GOMAXPROCS(0), stdout); err != nil {
			fmt.Fprintf(stderr, "benchcmp: error: %v\n", err)
			return 1
		}
		return 0
	}
	if o.lines <= 0 || o.runs <= 0 || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "benchcmp: error: usage: benchcmp [-lines N] [-runs N] [-dir DIR] [-fivexx PATH] [-memcheck=false]")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := bench(ctx, o, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "benchcmp: error: %v\n", err)
		return 1
	}
	return 0
}

// result is one tool's measured runs.
type result struct {
	tool
	runs []measurement
	err  error // set when it failed or did not parse: then it is not timed
}

func (r result) wall() time.Duration {
	ws := make([]time.Duration, len(r.runs))
	for i, m := range r.runs {
		ws[i] = m.wall
	}
	slices.Sort(ws)
	return ws[len(ws)/2]
}

func (r result) cpu() time.Duration {
	cs := make([]time.Duration, len(r.runs))
	for i, m := range r.runs {
		cs[i] = m.cpu
	}
	slices.Sort(cs)
	return cs[len(cs)/2]
}

func (r result) rssMB() float64 {
	var peak int64
	for _, m := range r.runs {
		peak = max(peak, m.rssKiB)
	}
	return float64(peak) / 1024
}

func bench(ctx context.Context, o options, stdout, stderr io.Writer) error {
	bin, err := filepath.Abs(o.fivexx)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(bin); err != nil || fi.IsDir() {
		return fmt.Errorf("no fivexx binary at %s: build it (go build -o bin/fivexx ./cmd/fivexx) or pass -fivexx", o.fivexx)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	work := o.dir
	if work == "" {
		if work, err = os.MkdirTemp("", "benchcmp-"); err != nil {
			return err
		}
		if o.keep {
			fmt.Fprintf(stderr, "benchcmp: keeping %s\n", work)
		} else {
			defer os.RemoveAll(work)
		}
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	if err := checkSpace(work, o); err != nil {
		return err
	}

	set, err := generate(ctx, self, work, biglog.Config{Lines: o.lines, Seed: o.seed}, stderr)
	if err != nil {
		return err
	}
	home := filepath.Join(work, "home") // lnav's config and any ~/.goaccessrc stay here
	if err := os.MkdirAll(home, 0o755); err != nil {
		return err
	}
	warmLine := `192.0.2.1 - - [02/Jan/2026:03:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8.4.0"` + "\n"
	if err := os.WriteFile(filepath.Join(home, "warmup.log"), []byte(warmLine), 0o644); err != nil {
		return err
	}
	load := loadAverage()

	tools := fivexxTools(bin, set, true)
	var missing []string
	if have("goaccess") {
		tools = append(tools, goaccessTools(set, work)...)
	} else {
		missing = append(missing, "goaccess")
	}
	if have("lnav") {
		tools = append(tools, lnavTools(set, home)...)
	} else {
		missing = append(missing, "lnav")
	}
	if have("grep") {
		tools = append(tools, grepTool(set))
	}
	tools = append(tools, scanTool(self, set))
	// Issue 8's ceiling: fivexx on access.log on one core too, then the
	// bare tokenizer on the inputs and cores of four fivexx rows.
	accessOne := tools[1]
	accessOne.name = "fivexx report --json, one core (GOMAXPROCS=1)"
	accessOne.env = append([]string{"GOMAXPROCS=1"}, accessOne.env...)
	accessOne.pair.oneCore = true
	tools = append(tools, accessOne)
	tools = append(tools, bareTools(self, set)...)

	for i := range tools {
		tools[i].env = append(tools[i].env, "HOME="+home)
	}
	results := make([]result, len(tools))
	for _, group := range runGroups(tools) {
		var ts []tool
		for _, i := range group {
			ts = append(ts, tools[i])
		}
		for j, r := range runAlternated(ctx, ts, o, work, stderr) {
			results[group[j]] = r
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	// The floor is our own high-water mark now, after every run.
	floor, err := measure(ctx, []string{"true"}, nil, work, time.Minute)
	if err != nil {
		return fmt.Errorf("measure the RSS floor with true: %w", err)
	}
	printTable(stdout, o, set, results, missing, floor, load)

	if o.memcheck {
		if err := memcheck(ctx, o, self, bin, work, home, set, stdout, stderr); err != nil {
			return err
		}
	}
	return nil
}

// runTool runs t o.runs times after its warm-up, stopping at the first
// failure or wrong answer.
func runTool(ctx context.Context, t tool, o options, work string, stderr io.Writer) result {
	return runAlternated(ctx, []tool{t}, o, work, stderr)[0]
}

// runGroups orders the runs: each tool in turn, the ones that share a
// pair (a fivexx row and its bare tokenizer row) together, at the first
// one's place, so their runs alternate.
func runGroups(tools []tool) [][]int {
	var groups [][]int
	at := map[ceilingKey]int{} // pair -> its group
	for i, t := range tools {
		if t.pair != (ceilingKey{}) {
			if g, ok := at[t.pair]; ok {
				groups[g] = append(groups[g], i)
				continue
			}
			at[t.pair] = len(groups)
		}
		groups = append(groups, []int{i})
	}
	return groups
}

// runAlternated runs each of ts o.runs times after its warm-up, round by
// round (the first tool's run, the second's, …, then the next round), so
// that a ratio between them sees the same load; a tool stops at its first
// failure or wrong answer.
func runAlternated(ctx context.Context, ts []tool, o options, work string, stderr io.Writer) []result {
	rs := make([]result, len(ts))
	for j, t := range ts {
		rs[j].tool = t
		if t.warmup != nil {
			if _, err := measure(ctx, t.warmup, t.env, work, o.timeout); err != nil {
				fmt.Fprintf(stderr, "benchcmp: %s on %s: warm-up failed: %v\n", t.name, t.input, err)
			}
		}
	}
	for i := range o.runs {
		for j := range rs {
			r := &rs[j]
			if r.err != nil {
				continue
			}
			label := r.name + " on " + r.input
			warm(r.inputs)
			m, err := measure(ctx, r.argv, r.env, work, o.timeout)
			if err == nil {
				err = check(r.tool, m.stdout)
			}
			if err != nil {
				r.err = err
				fmt.Fprintf(stderr, "benchcmp: %s: run %d: %v\n", label, i+1, err)
				continue
			}
			fmt.Fprintf(stderr, "benchcmp: %s: run %d/%d: %.2fs wall, %.2fs CPU, %.0f MB\n",
				label, i+1, o.runs, m.wall.Seconds(), m.cpu.Seconds(), float64(m.rssKiB)/1024)
			m.stdout = nil
			r.runs = append(r.runs, m)
		}
	}
	return rs
}

// check verifies a run's answer, from its stdout or its result file.
func check(t tool, stdout []byte) error {
	var in io.Reader = bytes.NewReader(stdout)
	if t.result != "" {
		f, err := os.Open(t.result)
		if err != nil {
			return fmt.Errorf("did not write its report: %w", err)
		}
		defer os.Remove(t.result)
		defer f.Close()
		in = f
	}
	if err := t.verify(in); err != nil {
		return fmt.Errorf("did not parse: %w", err)
	}
	return nil
}

// generate has a child (benchcmp -generate) write the logs for cfg under
// work, or reuses them when a previous run left the same ones (stats.json
// records what was written).
func generate(ctx context.Context, self, work string, cfg biglog.Config, stderr io.Writer) (logSet, error) {
	name := fmt.Sprintf("lines%d-seed%d", cfg.Lines, cfg.Seed)
	if cfg.NoCombined {
		name += "-nocombined"
	}
	set := logSet{dir: filepath.Join(work, name)}
	statsPath := filepath.Join(set.dir, "stats.json")
	if b, err := os.ReadFile(statsPath); err == nil && json.Unmarshal(b, &set.stats) == nil && set.intact(cfg) {
		fmt.Fprintf(stderr, "benchcmp: reusing the logs in %s\n", set.dir)
		return set, nil
	}
	if ctx.Err() != nil {
		return set, ctx.Err()
	}
	fmt.Fprintf(stderr, "benchcmp: generating %s requests in %s …\n", thousands(cfg.Lines), set.dir)
	start := time.Now()
	os.Remove(statsPath)
	argv := []string{self, "-generate", set.dir, "-lines", fmt.Sprint(cfg.Lines), "-seed", fmt.Sprint(cfg.Seed)}
	if cfg.NoCombined {
		argv = append(argv, "-nocombined")
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		return set, fmt.Errorf("generate %s: %w", set.dir, err)
	}
	b, err := os.ReadFile(statsPath)
	if err == nil {
		err = json.Unmarshal(b, &set.stats)
	}
	if err != nil {
		return set, fmt.Errorf("generate %s: %w", set.dir, err)
	}
	st := set.stats
	fmt.Fprintf(stderr, "benchcmp: wrote %s lines in %.1fs\n",
		thousands(st.AccessLines+st.ErrorLines+st.AppLines+st.CombinedLines), time.Since(start).Seconds())
	// The kernel writes the new gigabytes back in the background for a
	// while, taking CPU from the timed runs (a fresh set timed fivexx 20-80%
	// slower than the same files a few minutes later): flush them first.
	syscall.Sync()
	return set, nil
}

// generateHere writes the logs for cfg in dir and, last, stats.json.
func generateHere(dir string, cfg biglog.Config) error {
	st, err := biglog.Generate(dir, cfg)
	if err != nil {
		return err
	}
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "stats.json"), b, 0o644)
}

// intact says whether the files on disk are the ones the stats describe.
func (s logSet) intact(cfg biglog.Config) bool {
	st := s.stats
	if st.AccessLines != cfg.Lines {
		return false
	}
	sizes := map[string]int64{biglog.AccessFile: st.AccessBytes, biglog.ErrorFile: st.ErrorBytes, biglog.AppFile: st.AppBytes}
	if !cfg.NoCombined {
		sizes[biglog.CombinedFile] = st.CombinedBytes
	}
	for name, size := range sizes {
		fi, err := os.Stat(s.path(name))
		if err != nil || fi.Size() != size {
			return false
		}
	}
	return true
}

// bytesPerLine is about what one request costs on disk in all files, and
// bytesPerLineGzip what the memory check's access.log.gz adds.
const bytesPerLine, bytesPerLineGzip = 780, 60

func checkSpace(work string, o options) error {
	need := o.lines * bytesPerLine
	if o.memcheck {
		need += o.lines*bytesPerLineGzip + 10*o.lines*(bytesPerLine+bytesPerLineGzip)
	}
	free, err := freeBytes(work)
	if err != nil {
		return err
	}
	if free < need+need/10 {
		return fmt.Errorf("%s has %.1f GB free, the logs need about %.1f GB: use a smaller -lines, -memcheck=false or another -dir",
			work, float64(free)/1e9, float64(need)/1e9)
	}
	return nil
}

// warm reads files once so a run starts with them in the page cache: the
// kernel may reclaim idle cache between runs (DAMON does here), and a run
// that reads from disk would time the disk.
func warm(paths []string) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		io.Copy(io.Discard, f)
		f.Close()
	}
}

func have(name string) bool {
	_, err := exec.LookPath(name)
	return err == nil
}

// version returns the first line a tool prints about its version.
func version(argv ...string) string {
	if !have(argv[0]) {
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, _ := exec.CommandContext(ctx, argv[0], argv[1:]...).CombinedOutput()
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(line)
}

func printTable(w io.Writer, o options, set logSet, results []result, missing []string, floor measurement, load string) {
	st := set.stats
	fmt.Fprintf(w, "### fivexx vs other log tools: %s requests (seed %d)\n\n", thousands(st.AccessLines), o.seed)
	fmt.Fprintf(w, "Input: access.log %s lines (%.0f MB, nginx upstream-rich), error.log %s lines, app.log %s lines (JSON), combined.log %s lines (%.0f MB).\n",
		thousands(st.AccessLines), float64(st.AccessBytes)/1e6, thousands(st.ErrorLines), thousands(st.AppLines),
		thousands(st.CombinedLines), float64(st.CombinedBytes)/1e6)
	fmt.Fprintf(w, "Truth: %s 5xx (502: %d, 503: %d, 504: %d, 500: %d); causes %s.\n",
		thousands(st.Status[500]+st.Status[502]+st.Status[503]+st.Status[504]), st.Status[502], st.Status[503], st.Status[504], st.Status[500], causesText(st.Causes))
	fmt.Fprintf(w, "Machine: %d CPUs, %s/%s, %s, load average %s before the runs, %s after; %d run(s) per tool, wall and CPU = median, RSS = peak of the runs.\n\n",
		runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), load, loadAverage(), o.runs)

	var ref *result
	if results[0].err == nil {
		ref = &results[0]
	}
	fmt.Fprintln(w, "| tool | input | wall s | CPU s | access lines/s | all input lines/s | peak RSS MB | wall vs fivexx | CPU vs fivexx | RSS vs fivexx |")
	fmt.Fprintln(w, "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|")
	for i, r := range results {
		if r.err != nil {
			fmt.Fprintf(w, "| %s | %s | — | — | — | — | — | %s | — | — |\n", cell(r.name), r.input, cell(r.err.Error()))
			continue
		}
		wall := r.wall().Seconds()
		timeVs, cpuVs, rssVs := "—", "—", "—"
		switch {
		case i == 0:
			timeVs, cpuVs, rssVs = "reference", "reference", "reference"
		case ref != nil:
			timeVs = ratio(wall/ref.wall().Seconds(), "slower", "faster")
			cpuVs = ratio(r.cpu().Seconds()/ref.cpu().Seconds(), "more", "less")
			rssVs = ratio(r.rssMB()/ref.rssMB(), "more", "less")
		}
		fmt.Fprintf(w, "| %s | %s | %.2f | %.2f | %s | %s | %.0f | %s | %s | %s |\n", cell(r.name), r.input, wall, r.cpu().Seconds(),
			thousands(int64(float64(r.access)/wall)), thousands(int64(float64(r.lines)/wall)), r.rssMB(), timeVs, cpuVs, rssVs)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "access lines/s counts access-log requests only; all input lines/s counts every line the tool reads "+
		"(for fivexx on three files: access + error + app lines). CPU s is user + system time: less disturbed than wall time by other load. "+
		"Each run starts with its input files just read once (warm page cache). fivexx runs with TZ=UTC: the error log's times carry no zone. Every run's answer was checked against the generator's truth "+
		"(requests by status; for fivexx on the three files also the causes).")
	fmt.Fprintf(w, "Peak RSS has a floor of %.0f MB (`true` measures that much): Linux counts the measuring process's own memory in a vfork+exec child's ru_maxrss.\n",
		float64(floor.rssKiB)/1024)
	var vs []string
	for _, v := range []string{version("goaccess", "--version"), version("lnav", "-V"), version("grep", "--version")} {
		if v != "" {
			vs = append(vs, v)
		}
	}
	if len(vs) > 0 {
		fmt.Fprintf(w, "Versions: %s.\n", strings.Join(vs, "; "))
	}
	if len(missing) > 0 {
		fmt.Fprintf(w, "Not on PATH, not run: %s.\n", strings.Join(missing, ", "))
	}
	printCeiling(w, results)
}

func causesText(m map[string]int64) string {
	var parts []string
	for _, c := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %d", c, m[c]))
	}
	return strings.Join(parts, ", ")
}

// ratio says x as "3.1× slower" or, below 1, "2.0× faster"; within 5 %
// of 1 it is "≈ same".
func ratio(x float64, more, less string) string {
	switch {
	case x <= 0:
		return "—"
	case x >= 0.95 && x <= 1.05:
		return "≈ same"
	case x >= 1:
		return fmt.Sprintf("%s× %s", twoDigits(x), more)
	}
	return fmt.Sprintf("%s× %s", twoDigits(1/x), less)
}

// twoDigits prints x with one decimal below 10, none above.
func twoDigits(x float64) string {
	if x >= 10 {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.1f", x)
}

// cell makes s safe inside a markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// thousands formats n with commas: 2,000,000.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
