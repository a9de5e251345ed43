package sources

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

func init() {
	Register(Format{Name: "test-proxy-stateless", Role: RoleProxy, Stateless: true,
		Detect: func(string) int { return 0 }, // forced by name only
		New:    func(ParserOptions) (Parser, error) { return testParser{RoleProxy}, nil }})
}

// parallelInput is a log of n numbered lines with the odd ones out a real
// log has: blank lines, CRLF endings, lines that do not parse, lines longer
// than a chunk, optionally one longer than MaxLineBytes, and no newline at
// the end.
func parallelInput(n int, tooLong bool) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		switch {
		case tooLong && i == n/2:
			fmt.Fprintf(&b, "T%d GET /huge/%s\n", i, strings.Repeat("y", MaxLineBytes+parChunk+1000))
		case i%997 == 0:
			b.WriteString("\n") // blank
		case i%331 == 0:
			fmt.Fprintf(&b, "garbage %d\n", i)
		case i%101 == 0:
			fmt.Fprintf(&b, "T%d GET /crlf/%d\r\n", i, i)
		case i%5000 == 0:
			fmt.Fprintf(&b, "T%d GET /long/%s\n", i, strings.Repeat("x", parChunk+parChunk/2))
		default:
			fmt.Fprintf(&b, "T%d GET /%d?q=%s\n", i, i, strings.Repeat("z", i%200))
		}
	}
	b.WriteString("T999999 GET /no-newline")
	return b.String()
}

type readResult struct {
	Items    []string // line number, time and raw line of each record
	Counters Counters
}

// readToEndWith reads path to its end as a report does, with the given
// number of parallel parsers (1: the plain reader), calls each for every
// record, and returns the input and the error the read ended with.
func readToEndWith(t *testing.T, path string, workers int, each func(Item)) (*Input, error) {
	t.Helper()
	defer func(f func() int) { parallelWorkers = f }(parallelWorkers)
	parallelWorkers = func() int { return workers }
	in := NewInput(0, Spec{Path: path, Format: "test-proxy-stateless"})
	out := make(chan []Item, 4)
	done := make(chan error, 1)
	go func() { done <- ReadBatches(context.Background(), in, out); close(out) }()
	for b := range out {
		for _, it := range b {
			each(it)
		}
		ReleaseBatch(b)
	}
	return in, <-done
}

// readWithWorkers reads path to its end as a report does, with the given
// number of parallel parsers (1: the plain reader).
func readWithWorkers(t *testing.T, path string, workers int) readResult {
	t.Helper()
	var res readResult
	in, err := readToEndWith(t, path, workers, func(it Item) {
		raw := it.Rec.RawLine()
		if len(raw) > 60 {
			raw = fmt.Sprintf("%s…(%d bytes)", raw[:60], len(raw))
		}
		res.Items = append(res.Items, fmt.Sprintf("%d %d %s", it.LineNo, it.Rec.RecordTime().Unix(), raw))
	})
	if err != nil {
		t.Fatal(err)
	}
	res.Counters = in.Counters()
	res.Counters.Bytes, res.Counters.Size = 0, 0 // compressed vs plain
	return res
}

// Parsing in parallel gives exactly what the plain reader gives: the same
// records with the same line numbers in the same order, and the same counts
// of lines, unparsed and cut lines, for plain and gzip files, with and
// without a line too long to cut into chunks.
func TestParallelReadEqualsPlainRead(t *testing.T) {
	for _, tooLong := range []bool{false, true} {
		content := parallelInput(40_000, tooLong)
		dir := t.TempDir()
		plain := filepath.Join(dir, "access.log")
		if err := os.WriteFile(plain, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write([]byte(content))
		zw.Close()
		gzPath := filepath.Join(dir, "access.log.gz")
		if err := os.WriteFile(gzPath, gz.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		want := readWithWorkers(t, plain, 1)
		if len(want.Items) < 39_000 || want.Counters.Unparsed == 0 {
			t.Fatalf("plain read: %d records, %d unparsed: the input is not what the test means", len(want.Items), want.Counters.Unparsed)
		}
		if tooLong != (want.Counters.TooLong == 1) {
			t.Fatalf("plain read: %d lines cut, want %v", want.Counters.TooLong, tooLong)
		}
		for _, path := range []string{plain, gzPath} {
			for _, workers := range []int{2, 3, 4} {
				got := readWithWorkers(t, path, workers)
				if diff := sameOrDiff(want, got); diff != "" {
					t.Errorf("%s, %d workers, too long line %v (-plain +parallel):\n%s", filepath.Base(path), workers, tooLong, diff)
				}
			}
		}
	}
}

// A reader that stops consuming (ctx cancelled) stops the parallel reader
// and its goroutines without a hang.
func TestParallelReadCancels(t *testing.T) {
	defer func(f func() int) { parallelWorkers = f }(parallelWorkers)
	parallelWorkers = func() int { return 3 }
	path := filepath.Join(t.TempDir(), "access.log")
	if err := os.WriteFile(path, []byte(parallelInput(40_000, false)), 0o644); err != nil {
		t.Fatal(err)
	}
	in := NewInput(0, Spec{Path: path, Format: "test-proxy-stateless"})
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan []Item) // never read after the first batch
	done := make(chan error, 1)
	go func() { done <- ReadBatches(ctx, in, out) }()
	<-out
	cancel()
	if err := <-done; err == nil {
		t.Fatal("ReadBatches returned no error after its context was cancelled")
	}
}

// A gzip file cut short is an error, not a clean end, with one parser or
// several (the read-ahead must pass the decompressor's error on).
func TestTruncatedGzipIsAnError(t *testing.T) {
	for _, parallel := range []bool{false, true} {
		t.Run(gzipPath(parallel), func(t *testing.T) {
			if parallel {
				forceParallelGzip(t, 8<<10)
			}
			testTruncatedGzipIsAnError(t)
		})
	}
}

func testTruncatedGzipIsAnError(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(parallelInput(40_000, false)))
	zw.Close()
	path := filepath.Join(t.TempDir(), "access.log.gz")
	if err := os.WriteFile(path, gz.Bytes()[:gz.Len()/2], 0o644); err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 3} {
		defer func(f func() int) { parallelWorkers = f }(parallelWorkers)
		parallelWorkers = func() int { return workers }
		in := NewInput(0, Spec{Path: path, Format: "test-proxy-stateless"})
		out := make(chan []Item, 4)
		done := make(chan error, 1)
		go func() { done <- ReadBatches(context.Background(), in, out); close(out) }()
		n := 0
		for b := range out {
			n += len(b)
		}
		if err := <-done; err == nil || !strings.Contains(err.Error(), "unexpected EOF") {
			t.Errorf("%d workers: read %d records of half a gzip file, err %v; want unexpected EOF", workers, n, err)
		}
	}
}

// A read error in the middle of the stream: the parallel reader delivers
// every whole line read before it, as the plain reader does, then the error.
func TestParallelReadErrorKeepsLinesBefore(t *testing.T) {
	boom := errors.New("disk on fire")
	content := parallelInput(20_500, false) // not a multiple of 5000: the last line is short
	content = content[:strings.LastIndexByte(content, '\n')+1]
	read := func(workers int) ([]string, error) {
		defer func(f func() int) { parallelWorkers = f }(parallelWorkers)
		parallelWorkers = func() int { return workers }
		in := NewInput(0, Spec{Path: "x", Format: "test-proxy-stateless"})
		out := make(chan []Item, 1<<12)
		d := newDecoder(in, nil)
		d.batches = out
		// Small reads, so that the error comes in the middle of a chunk.
		r := io.MultiReader(smallReads{strings.NewReader(content)}, iotest.ErrReader(boom))
		err := readDecoded(context.Background(), in, r, d.lineFunc(context.Background()), d)
		if err == nil {
			err = d.finish(context.Background())
		} else {
			d.release(context.Background())
		}
		close(out)
		var got []string
		for b := range out {
			for _, it := range b {
				got = append(got, fmt.Sprint(it.LineNo, " ", it.Rec.RawLine()))
			}
		}
		return got, err
	}
	want, err := read(1)
	if !errors.Is(err, boom) || len(want) < 19_000 {
		t.Fatalf("plain: %d records, err %v", len(want), err)
	}
	got, err := read(3)
	if !errors.Is(err, boom) {
		t.Errorf("parallel: err %v, want %v", err, boom)
	}
	if diff := sameOrDiff(want, got); diff != "" {
		t.Errorf("records (-plain +parallel):\n%s", diff)
	}
}

// smallReads reads at most 1000 bytes at a time.
type smallReads struct{ r io.Reader }

func (s smallReads) Read(p []byte) (int, error) { return s.r.Read(p[:min(len(p), 1000)]) }

// Inputs merged side by side share the cores: on 2 cores three inputs are
// each read the plain way, one input alone with 2 parsers.
func TestMergedInputsShareTheCores(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	dir := t.TempDir()
	var ins []*Input
	for i := range 3 {
		path := filepath.Join(dir, fmt.Sprintf("%d.log", i))
		if err := os.WriteFile(path, []byte("T1 GET /a\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		ins = append(ins, NewInput(i, Spec{Path: path, Format: "test-proxy-stateless"}))
	}
	for _, tc := range []struct {
		inputs []*Input
		want   int
	}{{ins, 1}, {ins[:1], 2}} {
		out := make(chan []Item, 8)
		errs := MergeBatches(context.Background(), tc.inputs, out)
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, in := range tc.inputs {
			if got := in.parseWorkers(); got != tc.want {
				t.Errorf("%d inputs: input %d parses with %d goroutines, want %d", len(tc.inputs), in.Index, got, tc.want)
			}
		}
	}
}
