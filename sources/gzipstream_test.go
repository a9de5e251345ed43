package sources

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

func gzipped(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

// A .gz file is read as gzip -d reads it: every member in turn, zero
// padding after the last taken as the end, anything else after it an error.
func TestGzipMembersAndPadding(t *testing.T) {
	for _, parallel := range []bool{false, true} {
		t.Run(gzipPath(parallel), func(t *testing.T) {
			if parallel {
				forceParallelGzip(t, 1024)
			}
			testGzipMembersAndPadding(t)
		})
	}
}

// gzipPath names the way a .gz file is inflated in a test.
func gzipPath(parallel bool) string {
	if parallel {
		return "inflate.Reader"
	}
	return "gzipStream"
}

// forceParallelGzip makes every regular .gz file inflated by
// sources/inflate, in chunks of chunk bytes, for the test, on 4 procs: 2
// workers (inflateWorkers) decode chunks ahead.
func forceParallelGzip(t *testing.T, chunk int) {
	forceParallelGzipProcs(t, chunk, 4)
}

// forceParallelGzipProcs is forceParallelGzip on procs procs.
func forceParallelGzipProcs(t *testing.T, chunk, procs int) {
	min, size, procs := parallelGzipMin, parallelGzipChunk, runtime.GOMAXPROCS(procs)
	parallelGzipMin, parallelGzipChunk = 0, chunk
	t.Cleanup(func() { parallelGzipMin, parallelGzipChunk = min, size; runtime.GOMAXPROCS(procs) })
}

func testGzipMembersAndPadding(t *testing.T) {
	one, two := "T1 GET /a\nT2 GET /b\n", "T3 GET /c\n"
	cat := func(parts ...[]byte) string { return string(bytes.Join(parts, nil)) }
	zeros := make([]byte, 10240) // tar pads to 10 KiB records
	for _, tc := range []struct {
		name    string
		file    string
		lines   int
		errText string
	}{
		{"one member", cat(gzipped(one)), 2, ""},
		{"two members (cat a.gz b.gz)", cat(gzipped(one), gzipped(two)), 3, ""},
		{"zero padding", cat(gzipped(one), zeros), 2, ""},
		{"two members then padding", cat(gzipped(one), gzipped(two), zeros), 3, ""},
		{"garbage after the padding", cat(gzipped(one), zeros, []byte("junk")), 2, "after the zero padding"},
		{"garbage after a member", cat(gzipped(one), []byte("junk")), 2, "x.log.gz"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := NewInput(0, Spec{Path: writeFile(t, "x.log.gz", tc.file), Format: "test-proxy"})
			out := make(chan Item, 16)
			err := ReadToEnd(t.Context(), in, out)
			close(out)
			n := 0
			for range out {
				n++
			}
			if n != tc.lines {
				t.Errorf("read %d lines, want %d", n, tc.lines)
			}
			if tc.errText == "" && err != nil || tc.errText != "" && (err == nil || !strings.Contains(err.Error(), tc.errText)) {
				t.Errorf("error %v, want %q", err, tc.errText)
			}
		})
	}
}

// A .gz file of many chunks, of gzip's and Go's members one after another
// and zero padding, reads as the plain text it was made of, every line in
// order, and its progress counts every byte of the file once. The first
// member is inflated in chunks of 4 KiB: on 4 procs most of them by
// workers, on 2 and on 1 all in order (inflateWorkers).
func TestParallelGzipReadsEveryLine(t *testing.T) {
	for _, procs := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("%d procs", procs), func(t *testing.T) {
			forceParallelGzipProcs(t, 4<<10, procs)
			testParallelGzipReadsEveryLine(t)
		})
	}
}

func testParallelGzipReadsEveryLine(t *testing.T) {
	var text [2]strings.Builder
	for m := range text {
		for i := range 20_000 {
			fmt.Fprintf(&text[m], "T%d GET /api/v1/orders/%d?member=%d HTTP/1.1 %d\n", i, i*7919%100_003, m, 200+i%5)
		}
	}
	first := gzipped(text[0].String())
	if p, err := exec.LookPath("gzip"); err == nil {
		cmd := exec.Command(p, "-6", "-c")
		cmd.Stdin = strings.NewReader(text[0].String())
		if first, err = cmd.Output(); err != nil {
			t.Fatal(err)
		}
	}
	file := string(first) + string(gzipped(text[1].String())) + string(make([]byte, 512))
	if len(first) < 40<<10 {
		t.Fatalf("first member of %d bytes: too few chunks", len(first))
	}
	path := writeFile(t, "x.log.gz", file)
	rc, _, err := OpenFile(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := rc.(*readAhead).src.(*parallelGzip); !ok {
		t.Fatalf("read by %T, not sources/inflate", rc.(*readAhead).src)
	}
	rc.Close()
	in := NewInput(0, Spec{Path: path, Format: "test-proxy"})
	out := make(chan Item, 1<<10)
	done := make(chan error, 1)
	go func() { done <- ReadToEnd(t.Context(), in, out); close(out) }()
	want := strings.Split(strings.TrimSuffix(text[0].String()+text[1].String(), "\n"), "\n")
	n := 0
	for it := range out {
		if n < len(want) && it.Rec.RawLine() != want[n] {
			t.Fatalf("line %d reads %q, want %q", n+1, it.Rec.RawLine(), want[n])
		}
		n++
	}
	if err := <-done; err != nil || n != len(want) {
		t.Fatalf("read %d lines, error %v; want %d", n, err, len(want))
	}
	if got := in.Counters().Bytes; got != int64(len(file)) {
		t.Errorf("progress counts %d bytes of a file of %d", got, len(file))
	}
}

// A read of a .gz file cancelled in the middle stops the inflater's
// workers: no goroutine is left behind.
func TestParallelGzipCancelLeavesNoGoroutine(t *testing.T) {
	forceParallelGzip(t, 4<<10)
	var text strings.Builder
	for i := range 200_000 {
		fmt.Fprintf(&text, "T%d GET /api/v1/orders/%d HTTP/1.1 %d\n", i, i*7919%100_003, 200+i%5)
	}
	path := writeFile(t, "x.log.gz", string(gzipped(text.String())))
	before := runtime.NumGoroutine()
	for range 3 {
		ctx, cancel := context.WithCancel(t.Context())
		in := NewInput(0, Spec{Path: path, Format: "test-proxy"})
		out := make(chan Item)
		done := make(chan error, 1)
		go func() { done <- ReadToEnd(ctx, in, out) }()
		for range 1000 {
			<-out
		}
		cancel()
		go func() {
			for range out {
			}
		}()
		if err := <-done; err == nil {
			t.Fatal("a cancelled read ended without an error")
		}
		close(out)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after the cancelled reads, %d before", n, before)
	}
}
