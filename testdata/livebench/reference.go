package main

// The reference for the causes: fivexx report on the very lines that were
// appended, read from the pool with their original times. The pool's log
// time runs at -lograte requests per second, so the engine's bounded
// buffers (200,000 lines, 2 minutes of log time) hold every line a verdict
// needs; live at 50,000 lines/s they hold a few seconds.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// reportSummary is the part of fivexx report --json used here
// (classify/report.Summary).
type reportSummary struct {
	Inputs []struct {
		Role     string `json:"role"`
		Lines    int64  `json:"lines"`
		Unparsed int64  `json:"unparsed"`
	} `json:"inputs"`
	Causes map[string]int64 `json:"causes"`
}

// copyPrefix copies the first n lines of src to dst.
func copyPrefix(src, dst string, n int64) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	r := bufio.NewReaderSize(in, 1<<20)
	w := bufio.NewWriterSize(out, 1<<20)
	for i := int64(0); i < n; i++ {
		line, err := r.ReadSlice('\n')
		if err != nil {
			out.Close()
			return fmt.Errorf("%s: line %d: %w", src, i+1, err)
		}
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// reportOn runs fivexx report --json on the three files in dir.
func reportOn(ctx context.Context, bin, dir string) (reportSummary, error) {
	cmd := exec.CommandContext(ctx, bin, "report", "--json",
		"--proxy", filepath.Join(dir, fileNames[kindAccess]),
		"--proxy-errors", filepath.Join(dir, fileNames[kindError]),
		"--app", filepath.Join(dir, fileNames[kindApp]))
	// biglog's error log times are UTC without a zone.
	cmd.Env = append(os.Environ(), "TZ=UTC")
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return reportSummary{}, fmt.Errorf("fivexx report: %v: %s", err, ee.Stderr)
		}
		return reportSummary{}, fmt.Errorf("fivexx report: %w", err)
	}
	var s reportSummary
	if err := json.Unmarshal(out, &s); err != nil {
		return reportSummary{}, fmt.Errorf("fivexx report --json: %w", err)
	}
	return s, nil
}

// referenceCauses reports on the first appended[k] lines of each pool file
// and checks that report read them all.
func referenceCauses(ctx context.Context, bin, poolDir, dir string, appended [numKinds]int64) (map[string]int64, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	for k := range numKinds {
		if err := copyPrefix(filepath.Join(poolDir, fileNames[k]), filepath.Join(dir, fileNames[k]), appended[k]); err != nil {
			return nil, err
		}
	}
	s, err := reportOn(ctx, bin, dir)
	if err != nil {
		return nil, err
	}
	for _, in := range s.Inputs {
		for k := range numKinds {
			if in.Role == roleOf[k] && (in.Lines != appended[k] || in.Unparsed != 0) {
				return nil, fmt.Errorf("report on the pool read %d lines of %s (%d unparsed), want %d",
					in.Lines, k, in.Unparsed, appended[k])
			}
		}
	}
	return s.Causes, nil
}
