package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// Live QA s25 #1 (repro-1), as live mode wires it: "fivexx
// w/real/late.log w/alias/late.log", w/alias a link to w/real, late.log
// not there at start. 20 real HAProxy lines (two 5xx) were counted as 40
// requests and four 5xx. They count once now, and the second name says
// why it reads nothing, in its state and in an advice.
func TestLiveSameFileUnderTwoNamesAppearingLater(t *testing.T) {
	inZone(t, "UTC")
	rec, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", "haproxy", "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(rec), "\n")[10:30] // five 503s among them
	fivexx := 0
	for _, l := range lines {
		if strings.Contains(l, " 502 ") || strings.Contains(l, " 503 ") || strings.Contains(l, " 504 ") {
			fivexx++
		}
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "real"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real", filepath.Join(dir, "alias")); err != nil {
		t.Fatal(err)
	}
	real, alias := filepath.Join(dir, "real", "late.log"), filepath.Join(dir, "alias", "late.log")
	ins, eng := startTestLive(t, []string{real, alias})
	waitUntil(t, 5*time.Second, "both inputs waiting", func() bool {
		return ins[0].State() == "waiting for file" && ins[1].State() == "waiting for file"
	})
	if err := os.WriteFile(real, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	var s *classify.Snapshot
	waitUntil(t, 10*time.Second, "20 requests counted", func() bool {
		s = eng.Latest()
		return s.Total.Requests >= 20
	})
	time.Sleep(600 * time.Millisecond) // two polls more: anything read twice shows by now
	s = eng.Latest()
	var five int64
	for _, c := range []int{500, 502, 503, 504} {
		five += s.Total.Status[c]
	}
	if fivexx == 0 {
		t.Fatal("no 5xx among the lines")
	}
	if s.Total.Requests != 20 || five != int64(fivexx) {
		t.Errorf("counted %d requests and %d 5xx, the file holds 20 and %d", s.Total.Requests, five, fivexx)
	}
	var same []string
	for _, in := range ins {
		if strings.HasPrefix(in.State(), sources.StateSameFile) {
			same = append(same, in.Spec.Label()+": "+in.State())
		}
	}
	if len(same) != 1 {
		t.Fatalf("inputs that say they are the same file: %q, want one", same)
	}
	found := false
	for _, a := range s.Advice {
		found = found || strings.Contains(a.Problem, "is the same file as") && strings.HasPrefix(a.Fix, "give each file once")
	}
	if !found {
		t.Errorf("no advice on the file given twice: %+v", s.Advice)
	}
}
