package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"fivexx/sources"
)

// An error of the system on a .gz input (out of file descriptors, EIO)
// reads as a read error naming it, not as damaged gzip data (s38
// review L3); a checksum error is still damaged data.
func TestGzipSystemErrorIsAReadError(t *testing.T) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	fmt.Fprintln(zw, `10.0.0.1 - - [24/Nov/2026:04:33:15 +0000] "GET / HTTP/1.1" 502 0 "-" "-"`)
	zw.Close()
	path := filepath.Join(t.TempDir(), "access.log.gz")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	in := sources.NewInput(0, sources.Spec{Path: path})
	for _, tc := range []struct {
		err        error
		want, not  string
		wantAdvice string
	}{
		{&os.PathError{Op: "read", Path: path, Err: syscall.EMFILE}, "read error after 0 lines: too many open files", "damaged", "could not be read to its end (too many open files)"},
		{fmt.Errorf("inflate: %w", syscall.EIO), "read error after 0 lines: inflate: input/output error", "damaged", "could not be read"},
		{gzip.ErrChecksum, "corrupt: gzip data is damaged (gzip: invalid checksum)", "read error", "is corrupt"},
	} {
		p, a := readProblem(in, tc.err)
		if !strings.Contains(p, tc.want) || strings.Contains(p, tc.not) || !strings.Contains(a.Problem, tc.wantAdvice) {
			t.Errorf("%v: problem %q, advice %q\nwant %q, %q and no %q", tc.err, p, a.Problem, tc.want, tc.wantAdvice, tc.not)
		}
	}
}
