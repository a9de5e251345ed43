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
	"strconv"
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

// confusionTable is the expected causes (rows) against those fivexx
// gave (columns), each column as wide as its name: the names were cut to
// 8 characters, "upstream" four times over (QA s32, L3).
func confusionTable(c map[string]map[string]int) string {
	const corner = "expected \\ got"
	var rows []string
	label := len(corner)
	for k := range c {
		rows = append(rows, k)
		label = max(label, len(k))
	}
	sort.Strings(rows)
	cols := rowsOf(c)
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s", label, corner)
	for _, col := range cols {
		fmt.Fprintf(&b, "  %s", col)
	}
	b.WriteString("\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%-*s", label, r)
		for _, col := range cols {
			fmt.Fprintf(&b, "  %*d", len(col), c[r][col])
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

// The accuracy table names each column in full, its counts right under
// its name's end: the names were cut to 8 characters (QA s32, L3).
func TestConfusionTableNamesColumnsInFull(t *testing.T) {
	c := map[string]map[string]int{
		"upstream_refused":      {"upstream_refused": 4},
		"upstream_bad_response": {"upstream_bad_response": 12, "upstream_refused": 1},
		"(not 5xx)":             {"(no event)": 3},
	}
	lines := strings.Split(strings.TrimSuffix(confusionTable(c), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	head := lines[0]
	label := strings.Index(head, "  "+rowsOf(c)[0]) // where the row names end
	for _, col := range rowsOf(c) {
		i := strings.Index(head, "  "+col)
		if i < 0 {
			t.Fatalf("header does not name %s in full: %q", col, head)
		}
		end := i + 2 + len(col) // the counts end where the name does
		for _, l := range lines[1:] {
			row := strings.TrimSpace(l[:label])
			if len(l) < end || l[end-1] == ' ' || end < len(l) && l[end] != ' ' {
				t.Errorf("row %s: its %s count does not end under the name's end (column %d):\n%s\n%s", row, col, end, head, l)
				continue
			}
			want := strconv.Itoa(c[row][col])
			if got := l[strings.LastIndex(l[:end], " ")+1 : end]; got != want {
				t.Errorf("row %s, column %s: %q, want %s", row, col, got, want)
			}
		}
	}
}
