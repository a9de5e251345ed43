package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"fivexx/classify"
)

// truthLine is one request the lab client sent, with what really happened.
type truthLine struct {
	N             int    `json:"n"`
	RequestID     string `json:"request_id"`
	Path          string `json:"path"`
	Fault         string `json:"fault"`
	Status        int    `json:"status"`
	ExpectedCause string `json:"expected_cause"`
}

// minAccuracy is the share of correct causes each recording must reach:
// all of them where the proxy logs upstream fields, flags or error entries;
// 90 % on the combined format, where only the time window joins.
var minAccuracy = map[string]float64{
	"nginx-combined": 0.90,
}

func seqOf(path string) string {
	u, err := url.Parse(path)
	if err != nil {
		return ""
	}
	return u.Query().Get("n")
}

func readTruth(t *testing.T, dir string) map[string]truthLine {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "truth.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]truthLine{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var tl truthLine
		if err := json.Unmarshal(sc.Bytes(), &tl); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		out[fmt.Sprint(tl.N)] = tl
	}
	return out
}

// TestRecordingsAccuracy runs report --events over every real-proxy
// recording and compares each 5xx's cause with the lab's ground truth.
func TestRecordingsAccuracy(t *testing.T) {
	dirs, _ := filepath.Glob("../../testdata/recordings/*")
	var recs []string
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "truth.jsonl")); err == nil {
			recs = append(recs, d)
		}
	}
	if len(recs) == 0 {
		t.Fatal("no recordings with truth.jsonl under testdata/recordings: run make record")
	}
	for _, dir := range recs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			logs, _ := filepath.Glob(filepath.Join(dir, "*.log"))
			var out, errb bytes.Buffer
			if code := run(append([]string{"report", "--events"}, logs...), nil, &out, &errb); code != 0 {
				t.Fatalf("report exited %d: %s", code, errb.String())
			}
			truth := readTruth(t, dir)
			got := map[string]string{}
			sc := bufio.NewScanner(&out)
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for sc.Scan() {
				var ev struct {
					Path, Cause string
				}
				if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
					t.Fatal(err)
				}
				got[seqOf(ev.Path)] = ev.Cause
			}
			confusion := map[string]map[string]int{}
			total, correct := 0, 0
			var wrong []string
			for n, tl := range truth {
				want := tl.ExpectedCause
				have := got[n]
				if want == "" && have == "" {
					continue
				}
				total++
				if want == "" {
					want = "(not 5xx)"
				}
				if have == "" {
					have = "(no event)"
				}
				if confusion[want] == nil {
					confusion[want] = map[string]int{}
				}
				confusion[want][have]++
				if want == have {
					correct++
				} else if len(wrong) < 15 {
					wrong = append(wrong, fmt.Sprintf("n=%s fault=%s status=%d want %s got %s", n, tl.Fault, tl.Status, want, have))
				}
			}
			for n := range got {
				if _, ok := truth[n]; !ok {
					total++
					wrong = append(wrong, "event for a request the client never sent: n="+n)
				}
			}
			acc := 1.0
			if total > 0 {
				acc = float64(correct) / float64(total)
			}
			t.Logf("%s: %d/%d correct causes (%.1f%%)\n%s", name, correct, total, acc*100, confusionTable(confusion))
			min := 1.0
			if m, ok := minAccuracy[name]; ok {
				min = m
			}
			if total == 0 {
				t.Fatal("the recording has no 5xx to judge")
			}
			if acc < min {
				t.Errorf("accuracy %.1f%% below %.0f%%; first mismatches:\n  %s", acc*100, min*100, strings.Join(wrong, "\n  "))
			}
		})
	}
}

func confusionTable(c map[string]map[string]int) string {
	var rows []string
	for k := range c {
		rows = append(rows, k)
	}
	sort.Strings(rows)
	cols := append([]string{}, rowsOf(c)...)
	var b strings.Builder
	fmt.Fprintf(&b, "%-24s", "expected \\ got")
	for _, col := range cols {
		fmt.Fprintf(&b, " %8.8s", col)
	}
	b.WriteString("\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%-24s", r)
		for _, col := range cols {
			fmt.Fprintf(&b, " %8d", c[r][col])
		}
		b.WriteString("\n")
	}
	return b.String()
}

func rowsOf(c map[string]map[string]int) []string {
	seen := map[string]bool{}
	for _, m := range c {
		for k := range m {
			seen[k] = true
		}
	}
	var out []string
	for _, x := range classify.AllCauses {
		if seen[string(x)] {
			out = append(out, string(x))
			delete(seen, string(x))
		}
	}
	var rest []string
	for k := range seen {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	return append(out, rest...)
}
