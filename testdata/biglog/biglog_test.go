package biglog

import (
	"bufio"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/classify"
	"fivexx/sources"
	_ "fivexx/sources/parsers"
)

// testLines covers the first 200 s of a cycle at the default rate: every
// incident happens once.
const testLines = 80_000

func generate(t *testing.T, cfg Config) (string, Stats) {
	t.Helper()
	dir := t.TempDir()
	st, err := Generate(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return dir, st
}

func fileHashes(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	for _, name := range []string{AccessFile, ErrorFile, AppFile, CombinedFile} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = sha256.Sum256(b)
	}
	return out
}

func TestGenerateIsDeterministic(t *testing.T) {
	cfg := Config{Lines: 20_000, Seed: 7}
	dirA, stA := generate(t, cfg)
	dirB, stB := generate(t, cfg)
	if diff := cmp.Diff(fileHashes(t, dirA), fileHashes(t, dirB)); diff != "" {
		t.Errorf("same seed, different bytes (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(stA, stB); diff != "" {
		t.Errorf("same seed, different stats (-first +second):\n%s", diff)
	}
	dirC, _ := generate(t, Config{Lines: 20_000, Seed: 8})
	if fileHashes(t, dirA)[AccessFile] == fileHashes(t, dirC)[AccessFile] {
		t.Errorf("seeds 7 and 8 wrote the same access log")
	}
}

func TestGenerateRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no lines", Config{}},
		{"negative lines", Config{Lines: -1}},
		{"negative rate", Config{Lines: 10, Rate: -5}},
		{"start before 1970", Config{Lines: 10, Start: time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Generate(t.TempDir(), tt.cfg); err == nil {
				t.Errorf("Generate(%+v) succeeded, want an error", tt.cfg)
			}
		})
	}
}

func TestNoCombined(t *testing.T) {
	dir, st := generate(t, Config{Lines: 1000, Seed: 1, NoCombined: true})
	if _, err := os.Stat(filepath.Join(dir, CombinedFile)); !os.IsNotExist(err) {
		t.Errorf("NoCombined wrote %s (stat error %v)", CombinedFile, err)
	}
	if st.AccessLines != 1000 || st.CombinedLines != 0 {
		t.Errorf("lines: access %d, combined %d; want 1000, 0", st.AccessLines, st.CombinedLines)
	}
}

// TestNginxEscape checks the User-Agent escaping against what nginx 1.22.1
// wrote for `curl -A 'Mozilla/5.0 (compatible; "Quoted" Bot\back; Ñ)'` with
// the default log_format escaping.
func TestNginxEscape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"real nginx 1.22.1", `Mozilla/5.0 (compatible; "Quoted" Bot\back; Ñ)`, `Mozilla/5.0 (compatible; \x22Quoted\x22 Bot\x5Cback; \xC3\x91)`},
		{"plain", "curl/8.4.0", "curl/8.4.0"},
		{"control", "a\tb\x7f", `a\x09b\x7F`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(nginxEscape(nil, tt.in)); got != tt.want {
				t.Errorf("nginxEscape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// fileCounts is what parsing one generated file found.
type fileCounts struct {
	format string
	lines  int64
	status map[int]int64 // access lines by status
	errors int64         // proxy error lines
	app    int64         // app "request finished" lines with id and status
}

// parseFile detects the file's format as fivexx does and parses every line
// with it, failing the test on any line the parser rejects, any record that
// does not carry its raw line and any line older than the one before.
func parseFile(t *testing.T, path string) fileCounts {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var sample []string
	for len(sample) < 12 && sc.Scan() {
		sample = append(sample, sc.Text())
	}
	det, err := sources.Detect(sample, sources.RoleUnknown)
	if err != nil {
		t.Fatalf("%s: detect: %v", path, err)
	}
	p, err := det.Format.New(sources.ParserOptions{Location: time.UTC})
	if err != nil {
		t.Fatalf("%s: %s parser: %v", path, det.Format.Name, err)
	}
	c := fileCounts{format: det.Format.Name, status: map[int]int64{}}
	var prev time.Time
	parse := func(line string) {
		c.lines++
		rec, err := p.Parse(line)
		if err != nil || rec == nil {
			t.Fatalf("%s:%d: %s did not parse (%v): %s", path, c.lines, c.format, err, line)
		}
		if rec.RawLine() != line {
			t.Fatalf("%s:%d: RawLine() = %q, want the line", path, c.lines, rec.RawLine())
		}
		if rt := rec.RecordTime(); rt.Before(prev) {
			t.Fatalf("%s:%d: time %v before the previous line's %v", path, c.lines, rt, prev)
		} else {
			prev = rt
		}
		switch r := rec.(type) {
		case *sources.ProxyEntry:
			c.status[r.Status]++
		case *sources.ProxyError:
			if r.Conn == "" || r.Client == "" || r.Request == "" {
				t.Fatalf("%s:%d: error line without connection, client or request: %+v", path, c.lines, r)
			}
			c.errors++
		case *sources.AppEntry:
			if len(r.RequestID) != 32 || r.Status == 0 || r.Instance == "" {
				t.Fatalf("%s:%d: app line without id, status or instance: %+v", path, c.lines, r)
			}
			c.app++
		}
	}
	for _, l := range sample {
		parse(l)
	}
	for sc.Scan() {
		parse(sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestParseBack(t *testing.T) {
	dir, st := generate(t, Config{Lines: testLines, Seed: 1})
	for _, cause := range []string{"upstream_refused", "upstream_reset", "upstream_timeout", "app_unavailable", "app_error"} {
		if st.Causes[cause] == 0 {
			t.Errorf("no %s in %d lines: every incident should happen once", cause, testLines)
		}
	}
	if st.Retried == 0 || st.Static == 0 {
		t.Errorf("retried %d, static %d: want both", st.Retried, st.Static)
	}
	tests := []struct {
		file   string
		format string
		want   fileCounts
	}{
		{AccessFile, "nginx-upstream", fileCounts{lines: st.AccessLines, status: st.Status}},
		{CombinedFile, "nginx-combined", fileCounts{lines: st.CombinedLines, status: st.Status}},
		{ErrorFile, "nginx-error", fileCounts{lines: st.ErrorLines, status: map[int]int64{}, errors: st.ErrorLines}},
		{AppFile, "app-json", fileCounts{lines: st.AppLines, status: map[int]int64{}, app: st.AppLines}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := parseFile(t, filepath.Join(dir, tt.file))
			tt.want.format = tt.format
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(fileCounts{})); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.file, diff)
			}
		})
	}
	if st.AccessLines != testLines {
		t.Errorf("AccessLines = %d, want %d", st.AccessLines, testLines)
	}
}

// TestFivexxFindsTheTruth runs fivexx's engine over the three logs, as
// `TZ=UTC fivexx report --json access.log error.log app.log` does, and
// expects its totals by status and by cause to be the generator's truth.
func TestFivexxFindsTheTruth(t *testing.T) {
	dir, st := generate(t, Config{Lines: testLines, Seed: 3})
	var ins []*sources.Input
	for i, name := range []string{AccessFile, ErrorFile, AppFile} {
		ins = append(ins, sources.NewInput(i, sources.Spec{
			Path: filepath.Join(dir, name),
			Opts: sources.ParserOptions{Location: time.UTC},
		}))
	}
	eng := classify.NewEngine(classify.Config{Inputs: ins, Grace: 5 * time.Second})
	batches := make(chan []sources.Item, 8)
	errc := make(chan []error, 1)
	go func() { errc <- sources.MergeBatches(context.Background(), ins, batches) }()
	n := 0
	for b := range batches {
		for _, it := range b {
			eng.Add(it.Input, it.Rec)
			if n++; n%256 == 0 {
				eng.Advance()
			}
		}
	}
	eng.Flush()
	for i, err := range <-errc {
		if err != nil {
			t.Fatalf("read %s: %v", ins[i].Spec.Path, err)
		}
	}
	snap := eng.Publish(true)

	if snap.Total.Requests != st.AccessLines {
		t.Errorf("fivexx counted %d requests, want %d", snap.Total.Requests, st.AccessLines)
	}
	gotStatus := map[int]int64{}
	for s, n := range snap.Total.Status {
		gotStatus[s] = n
	}
	if diff := cmp.Diff(st.Status, gotStatus); diff != "" {
		t.Errorf("status totals (-truth +fivexx):\n%s", diff)
	}
	gotCauses := map[string]int64{}
	for c, n := range snap.Total.Causes {
		gotCauses[string(c)] = n
	}
	if diff := cmp.Diff(st.Causes, gotCauses); diff != "" {
		t.Errorf("cause totals (-truth +fivexx):\n%s", diff)
	}
}

// TestGenerateStreams checks that memory does not grow with the lines
// written: after warm-up the generator allocates nothing per request, so a
// run four times longer allocates about as much in total.
func TestGenerateStreams(t *testing.T) {
	allocated := func(lines int64) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if _, err := Generate(t.TempDir(), Config{Lines: lines, Seed: 1, NoCombined: true}); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	small, big := allocated(50_000), allocated(200_000)
	t.Logf("allocated %d bytes for 50k lines, %d for 200k", small, big)
	if big > small*3/2 {
		t.Errorf("allocated %d bytes for 50k lines and %d for 200k: it should not grow with the lines", small, big)
	}
}

// BenchmarkGenerate reports the generator's speed in access lines.
func BenchmarkGenerate(b *testing.B) {
	dir := b.TempDir()
	const lines = 100_000
	for b.Loop() {
		if _, err := Generate(dir, Config{Lines: lines, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(lines*b.N)/b.Elapsed().Seconds(), "access-lines/s")
}
