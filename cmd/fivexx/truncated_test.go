package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestTruncatedGzipKeepsTheReport is the QA case of a .gz cut short among
// several inputs: the report printed only "cannot read input trunc.gz:
// unexpected EOF" (exit 2) and nothing of the other inputs. Now it is the
// report of every whole line read, the .gz's last partial batch too (its
// up to 127 records were lost), with the input's problem and the first
// advice saying where it stopped, and exit status 1.
func TestTruncatedGzipKeepsTheReport(t *testing.T) {
	rec := filepath.Join("..", "..", "testdata", "recordings", "nginx-upstream")
	cut := gzipCut(t, filepath.Join(rec, "access.log"))
	dir := t.TempDir()
	trunc := filepath.Join(dir, "access.log.1.gz")
	if err := os.WriteFile(trunc, cut, 0o644); err != nil {
		t.Fatal(err)
	}
	// What a gzip reader gives of it before its unexpected EOF: the
	// whole lines of that are the ones to report.
	zr, err := gzip.NewReader(bytes.NewReader(cut))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != io.ErrUnexpectedEOF {
		t.Fatalf("the cut .gz reads with %v, want unexpected EOF", err)
	}
	whole := bytes.Count(got, []byte("\n"))
	if whole%128 == 0 || whole < 128 {
		t.Fatalf("%d whole lines: the test wants a partial last batch", whole)
	}

	code, out, stderr := runCLI("report", "--json", trunc, filepath.Join(rec, "error.log"))
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	wantErr := "fivexx: error: cannot read to the end: " + trunc + ": truncated: gzip ended early (unexpected EOF) after "
	if !strings.HasPrefix(stderr, wantErr) {
		t.Errorf("stderr %q, want it to start %q", stderr, wantErr)
	}
	var r struct {
		Requests int
		Inputs   []struct {
			Path    string
			Lines   int
			Problem string
		}
		Advice []struct{ Problem, Fix string }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	if r.Requests != whole || len(r.Inputs) != 2 || r.Inputs[0].Lines != whole || r.Inputs[1].Lines == 0 {
		t.Errorf("requests %d, inputs %+v; want the %d whole lines of the .gz and the error log read", r.Requests, r.Inputs, whole)
	}
	wantProblem := "truncated: gzip ended early (unexpected EOF) after " + strconv.Itoa(whole) + " lines"
	if len(r.Inputs) > 0 && r.Inputs[0].Problem != wantProblem {
		t.Errorf("problem %q, want %q", r.Inputs[0].Problem, wantProblem)
	}
	if len(r.Advice) == 0 || !strings.HasPrefix(r.Advice[0].Problem, trunc+" is truncated") || !strings.Contains(r.Advice[0].Fix, "gzip -t") {
		t.Errorf("advice %+v, want the truncated .gz first", r.Advice)
	}
}
