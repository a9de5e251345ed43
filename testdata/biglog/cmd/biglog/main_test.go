package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fivexx/testdata/biglog"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantOut    string
		wantStderr string
	}{
		{"writes the logs", []string{"-lines", "500", "-seed", "3", "-out", filepath.Join(dir, "logs")}, 0, "read with TZ=UTC", ""},
		{"no -out", []string{"-lines", "500"}, 2, "", "usage: biglog -lines N -seed S -out DIR"},
		{"bad start", []string{"-out", dir, "-start", "yesterday"}, 2, "", "-start"},
		{"no lines", []string{"-out", dir, "-lines", "0"}, 1, "", "lines must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(tt.args, &out, &errOut)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.wantCode, errOut.String())
			}
			if !strings.Contains(out.String(), tt.wantOut) {
				t.Errorf("stdout %q, want it to contain %q", out.String(), tt.wantOut)
			}
			if !strings.Contains(errOut.String(), tt.wantStderr) {
				t.Errorf("stderr %q, want it to contain %q", errOut.String(), tt.wantStderr)
			}
		})
	}
	for _, name := range []string{biglog.AccessFile, biglog.ErrorFile, biglog.AppFile, biglog.CombinedFile} {
		if _, err := os.Stat(filepath.Join(dir, "logs", name)); err != nil {
			t.Errorf("not written: %v", err)
		}
	}
}
