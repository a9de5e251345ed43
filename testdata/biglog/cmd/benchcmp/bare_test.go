package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/testdata/biglog"
)

// The bare tokenizer's counts on a generated set are the truth, the same
// on one goroutine as on several (each reading its own byte ranges), and
// its counts per upstream are what a regexp over the lines finds.
func TestBareMatchesTheTruth(t *testing.T) {
	dir := t.TempDir()
	st, err := biglog.Generate(dir, biglog.Config{Lines: 5000, Seed: 2, NoCombined: true})
	if err != nil {
		t.Fatal(err)
	}
	set := logSet{dir: dir, stats: st}
	files := []string{biglog.AccessFile, biglog.ErrorFile, biglog.AppFile}
	var paths []string
	for _, f := range files {
		paths = append(paths, set.path(f))
	}
	wantUpstreams := upstreamsByRegexp(t, set.path(biglog.AccessFile))
	var first []byte
	for _, workers := range []int{1, 2, 3, 7} {
		var out bytes.Buffer
		if err := bare(paths, workers, &out); err != nil {
			t.Fatalf("%d workers: %v", workers, err)
		}
		if err := verifyBare(set, files)(bytes.NewReader(out.Bytes())); err != nil {
			t.Errorf("%d workers: %v", workers, err)
		}
		var r bareReport
		if err := json.Unmarshal(out.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantUpstreams, r.Upstreams); diff != "" {
			t.Errorf("%d workers: upstreams (-regexp +bare):\n%s", workers, diff)
		}
		if first == nil {
			first = out.Bytes()
		} else if !bytes.Equal(first, out.Bytes()) {
			t.Errorf("%d workers counted otherwise than one:\n%s\n%s", workers, first, out.Bytes())
		}
	}
}

// upstreamsByRegexp counts attempts by upstream and status the slow way.
func upstreamsByRegexp(t *testing.T, path string) map[string]map[string]int64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	re := regexp.MustCompile(` ua="([^"]*)" us="([^"]*)"`)
	got := map[string]map[string]int64{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		m := re.FindStringSubmatch(sc.Text())
		if m == nil || m[1] == "-" {
			continue
		}
		addrs, statuses := strings.Split(m[1], ", "), strings.Split(m[2], ", ")
		if len(addrs) != len(statuses) {
			t.Fatalf("%d addresses, %d statuses: %s", len(addrs), len(statuses), sc.Text())
		}
		for i, a := range addrs {
			if got[a] == nil {
				got[a] = map[string]int64{}
			}
			got[a][statuses[i]]++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}

// Every line is counted once whichever way the file is cut into ranges,
// with a buffer smaller than a line, with or without a last newline.
func TestTallyRangeCountsEachLineOnce(t *testing.T) {
	tests := []struct {
		name, content string
		want          int64
	}{
		{"empty", "", 0},
		{"one line", "abc\n", 1},
		{"no last newline", "abc\ndef\nghi", 3},
		{"empty lines", "\n\n\n\n", 4},
		{"long and short", strings.Repeat("x", 50) + "\n" + "a\nb\n" + strings.Repeat("y", 23) + "\nz", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "log")
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			size := int64(len(tt.content))
			for ranges := int64(1); ranges <= max(size, 1)+1; ranges++ {
				for _, bufSize := range []int{1, 4, 64} {
					var total int64
					for k := range ranges {
						var tally bareTally
						if _, err := tallyRange(f, size*k/ranges, size*(k+1)/ranges, false, make([]byte, bufSize), &tally); err != nil {
							t.Fatal(err)
						}
						total += tally.lines
					}
					if total != tt.want {
						t.Errorf("%d ranges, %d-byte buffer: %d lines, want %d", ranges, bufSize, total, tt.want)
					}
				}
			}
		})
	}
}

func TestBareAccessLine(t *testing.T) {
	retried := `198.18.0.1 - - [02/Jan/2026:03:00:00 +0000] "GET /api/x HTTP/2.0" 200 5 "-" "Mozilla/5.0 (X11; Linux x86_64) ua=\x22x\x22" rt=0.011 uct="0.000, 0.000" uht="-, 0.010" urt="0.001, 0.010" ua="10.0.1.12:8080, 10.0.1.13:8080" us="502, 200" rid=aaed0144081729c9b7172e87e44bc00a cid=21378`
	static := `198.19.85.110 - - [02/Jan/2026:03:00:00 +0000] "GET /static/app.js HTTP/2.0" 304 0 "-" "curl/8.4.0" rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=b028842f63cd1a92475623083bbbbd8b cid=21383`
	var tally bareTally
	for _, line := range []string{retried, static, "garbage"} {
		tally.accessLine([]byte(line))
	}
	if tally.lines != 3 || tally.static != 1 || tally.retried != 1 {
		t.Errorf("lines %d, static %d, retried %d; want 3, 1, 1", tally.lines, tally.static, tally.retried)
	}
	if tally.status[200] != 1 || tally.status[304] != 1 || tally.status[0] != 1 {
		t.Errorf("status 200: %d, 304: %d, none: %d; want 1 each", tally.status[200], tally.status[304], tally.status[0])
	}
	got := map[string][2]int64{}
	for _, u := range tally.upstreams {
		got[u.addr] = [2]int64{u.status[502], u.status[200]}
	}
	want := map[string][2]int64{"10.0.1.12:8080": {1, 0}, "10.0.1.13:8080": {0, 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("upstreams [502, 200] (-want +got):\n%s", diff)
	}
}

func TestVerifyBare(t *testing.T) {
	set := logSet{stats: biglog.Stats{AccessLines: 3, ErrorLines: 2, AppLines: 4, Status: map[int]int64{200: 2, 502: 1}, Static: 1, Retried: 1}}
	files := []string{biglog.AccessFile, biglog.ErrorFile, biglog.AppFile}
	right := `{"lines":{"access.log":3,"error.log":2,"app.log":4},"status":{"200":2,"502":1},"upstreams":{"a":{"502":2},"b":{"200":1}},"static":1,"retried":1}`
	tests := []struct{ name, out, wantErr string }{
		{"right", right, ""},
		{"a line short", strings.Replace(right, `"app.log":4`, `"app.log":3`, 1), "app.log: 3, want 4"},
		{"a status wrong", strings.Replace(right, `"200":2,"502":1},"up`, `"200":3},"up`, 1), "status totals differ"},
		{"retries missed", strings.Replace(right, `"retried":1`, `"retried":0`, 1), "0 retried, want"},
		{"an attempt's status unread", strings.Replace(right, `"b":{"200":1}`, `"b":{"0":1}`, 1), "without a status: b: 1"},
		{"attempts missing", strings.Replace(right, `"a":{"502":2}`, `"a":{"502":1}`, 1), "2 upstream attempts, want at least 3"},
		{"not JSON", "oops", "read its JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, verifyBare(set, files)(strings.NewReader(tt.out)), tt.wantErr)
		})
	}
}

// A fivexx row and the bare tokenizer row of its input and cores run
// together, round by round; the others alone, in table order.
func TestRunGroups(t *testing.T) {
	three, access := ceilingKey{input: "a + e + app"}, ceilingKey{input: "a"}
	tools := []tool{
		{name: "fivexx", pair: three},
		{name: "fivexx", pair: access},
		{name: "goaccess"},
		{name: "fivexx one", pair: ceilingKey{input: "a", oneCore: true}},
		{name: "bare", pair: three, bare: true},
		{name: "bare", pair: access, bare: true},
		{name: "bare one", pair: ceilingKey{input: "a", oneCore: true}, bare: true},
	}
	want := [][]int{{0, 4}, {1, 5}, {2}, {3, 6}}
	if diff := cmp.Diff(want, runGroups(tools)); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
}

func TestPrintCeiling(t *testing.T) {
	run := func(name string, key ceilingKey, isBare bool, wall, cpu float64) result {
		return result{tool: tool{name: name, pair: key, bare: isBare},
			runs: []measurement{{wall: time.Duration(wall * float64(time.Second)), cpu: time.Duration(cpu * float64(time.Second))}}}
	}
	three, threeOne := ceilingKey{input: "access.log + error.log + app.log"}, ceilingKey{input: "access.log + error.log + app.log", oneCore: true}
	failed := run("bare", ceilingKey{input: "access.log"}, true, 0, 0)
	failed.err = os.ErrNotExist
	results := []result{
		run("fivexx", three, false, 1.20, 2.10),
		run("fivexx", ceilingKey{input: "access.log"}, false, 0.8, 1.4),
		run("goaccess", ceilingKey{}, false, 50, 50),
		run("fivexx one", threeOne, false, 1.5, 1.5),
		run("bare", three, true, 0.30, 0.50),
		run("bare one", threeOne, true, 0.5, 0.48),
		failed,
	}
	var out bytes.Buffer
	printCeiling(&out, results)
	for _, want := range []string{
		"#### fivexx ÷ bare tokenizer",
		"| access.log + error.log + app.log | 1 | 1.50 | 0.50 | 3.0× | 1.50 | 0.48 | 3.1× |",
		"| access.log | ",
		"bare tokenizer failed",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("lacks %q:\n%s", want, out.String())
		}
	}
	if !regexp.MustCompile(`\| access.log \+ error.log \+ app.log \| \d+ \| 1.20 \| 0.30 \| 4.0× \| 2.10 \| 0.50 \| 4.2× \|`).MatchString(out.String()) {
		t.Errorf("no all-cores row for the three files:\n%s", out.String())
	}
	out.Reset()
	printCeiling(&out, results[:4])
	if out.Len() != 0 {
		t.Errorf("printed a ceiling table without bare rows:\n%s", out.String())
	}
}
