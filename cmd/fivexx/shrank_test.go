package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fivexx/sources"
)

// TestReportOfAFileTruncatedWhileRead is the QA case of a 2.02 M-line
// access log cut to 100 MB by a copytruncate 0.8 s into its report: the
// report of 800,849 lines (1 unparsed: the line cut at 100 MB) ended as if
// that were the whole file, exit 0, no problem, no advice. Now the input's
// problem says it shrank while read and where, the cut line is left out
// and said so, the first advice says so, stderr names it and the exit
// status is 1, as for a .gz cut short; the report of the lines read before
// is still written. The file is cut from the reader's own reads (a hook),
// ahead of the reader, behind it, and a .gz.
func TestReportOfAFileTruncatedWhileRead(t *testing.T) {
	rec, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", "nginx-upstream", "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	content := bytes.Repeat(rec, 4) // past the first reads: 64 KiB peeked, then the reader's
	for _, tc := range []struct {
		name       string
		gz         bool
		from, size int64 // the first read reaching from cuts the file to size
	}{
		{"cut ahead of the reader", false, 100_000, 200_000},
		{"cut behind the reader", false, 200_000, 100_000},
		{"a .gz", true, 1, 0}, // size: half the .gz
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := content
			path := filepath.Join(t.TempDir(), "access.log")
			if tc.gz {
				// 40 copies: far more than the first read (64 KiB peeked at
				// open) of the .gz, as the copies do not compress together.
				content = bytes.Repeat(rec, 40)
				var b bytes.Buffer
				zw := gzip.NewWriter(&b)
				zw.Write(content)
				zw.Close()
				file, path = b.Bytes(), path+".gz"
				tc.size = int64(len(file)) / 2
			}
			if err := os.WriteFile(path, file, 0o644); err != nil {
				t.Fatal(err)
			}
			if !tc.gz && content[tc.size-1] == '\n' {
				t.Fatalf("the cut at %d is at a line's end: the test wants a line cut short", tc.size)
			}
			var once sync.Once
			var mu sync.Mutex
			var reached int64
			t.Cleanup(sources.SetFileReadHook(func(p string, off int64) {
				if p != path || off < tc.from {
					return
				}
				once.Do(func() {
					mu.Lock()
					reached = off
					mu.Unlock()
					if err := os.Truncate(path, tc.size); err != nil {
						t.Error(err)
					}
				})
			}))

			var stdout, stderr bytes.Buffer
			code := run([]string{"report", "--json", path}, strings.NewReader(""), &stdout, &stderr)
			var r struct {
				Requests int
				Inputs   []struct {
					Lines, Unparsed int
					Problem         string
				}
				Advice []struct{ Problem, Fix string }
			}
			if err := json.Unmarshal(stdout.Bytes(), &r); err != nil || len(r.Inputs) != 1 {
				t.Fatalf("exit %d, %v: %q; stderr %q", code, err, stdout.String(), stderr.String())
			}
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			var problem, advice string
			if tc.gz {
				problem = fmt.Sprintf("truncated while read: the file shrank to %d bytes after %d lines were read", tc.size, r.Inputs[0].Lines)
				advice = fmt.Sprintf("%s was truncated while read: it shrank from %d to %d bytes after %d lines were read; the report covers those lines", path, len(file), tc.size, r.Inputs[0].Lines)
				if r.Inputs[0].Lines == 0 || r.Inputs[0].Lines >= bytes.Count(content, []byte("\n")) {
					t.Errorf("%d lines read of half the .gz", r.Inputs[0].Lines)
				}
			} else {
				mu.Lock()
				end := max(tc.size, reached)
				mu.Unlock()
				whole := bytes.LastIndexByte(content[:end], '\n') + 1
				lines := bytes.Count(content[:whole], []byte("\n"))
				cut := fmt.Sprintf("; its last line read, cut short (%d bytes, no newline), was left out", int(end)-whole)
				problem = fmt.Sprintf("truncated while read: the file shrank to %d bytes after %d lines were read%s", tc.size, lines, cut)
				advice = fmt.Sprintf("%s was truncated while read: it shrank from %d to %d bytes after %d lines were read%s; the report covers those lines", path, len(content), tc.size, lines, cut)
				if r.Inputs[0].Lines != lines || r.Inputs[0].Unparsed != 0 || r.Requests != lines {
					t.Errorf("lines %d, unparsed %d, requests %d; want the %d whole lines read before, none unparsed", r.Inputs[0].Lines, r.Inputs[0].Unparsed, r.Requests, lines)
				}
			}
			if r.Inputs[0].Problem != problem {
				t.Errorf("problem %q, want %q", r.Inputs[0].Problem, problem)
			}
			if len(r.Advice) == 0 || !strings.HasPrefix(r.Advice[0].Problem, advice) || !strings.Contains(r.Advice[0].Fix, "copytruncate") || tc.gz == strings.Contains(r.Advice[0].Fix, "live mode") {
				t.Errorf("advice %+v, want first %q…", r.Advice, advice)
			}
			wantErr := "fivexx: error: cannot read to the end: " + path + ": " + problem + " (the report covers the lines before)\n"
			if stderr.String() != wantErr {
				t.Errorf("stderr %q, want %q", stderr.String(), wantErr)
			}
		})
	}
}
