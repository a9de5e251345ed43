package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"fivexx/testdata/biglog"
)

// tool is one timed command and how to tell that it really read the logs:
// a tool that silently parses nothing must not be timed as fast.
type tool struct {
	name   string
	input  string   // what it reads, for the table
	lines  int64    // lines it reads
	access int64    // access lines among them
	inputs []string // files it reads, read once before each run to warm the page cache
	argv   []string
	env    []string
	// result is a file the tool writes its answer to instead of stdout;
	// it is read for verify, then removed.
	result string
	verify func(out io.Reader) error
	// warmup runs once, untimed, before the first run (lnav sets up its
	// config directory on its first start).
	warmup []string
	// pair, when set, names the fivexx row and the bare tokenizer row
	// (bare) that are compared: their runs alternate.
	pair ceilingKey
	bare bool
}

// logSet is one generated directory and the truth about it.
type logSet struct {
	dir   string
	stats biglog.Stats
}

func (s logSet) path(name string) string { return filepath.Join(s.dir, name) }

// wantStatus is the truth as "status -> count" with string keys, as the
// tools' JSON has them.
func (s logSet) wantStatus() map[string]int64 {
	m := map[string]int64{}
	for k, v := range s.stats.Status {
		m[strconv.Itoa(k)] = v
	}
	return m
}

func diffCounts(what string, want, got map[string]int64) error {
	var bad []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if got[k] != want[k] {
			bad = append(bad, fmt.Sprintf("%s: %d, want %d", k, got[k], want[k]))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok && got[k] != 0 {
			bad = append(bad, fmt.Sprintf("%s: %d, want none", k, got[k]))
		}
	}
	if len(bad) > 0 {
		if len(bad) > 6 {
			bad = append(bad[:6], "…")
		}
		return fmt.Errorf("%s differ from the truth: %s", what, strings.Join(bad, "; "))
	}
	return nil
}

// fivexxReport is the part of `fivexx report --json` that is checked.
type fivexxReport struct {
	Inputs []struct {
		Path     string `json:"path"`
		Format   string `json:"format"`
		Lines    int64  `json:"lines"`
		Unparsed int64  `json:"unparsed"`
	} `json:"inputs"`
	Requests int64            `json:"requests"`
	Status   map[string]int64 `json:"status"`
	Causes   map[string]int64 `json:"causes"`
}

func verifyFivexx(set logSet, wantCauses bool) func(io.Reader) error {
	return func(out io.Reader) error {
		var r fivexxReport
		if err := json.NewDecoder(out).Decode(&r); err != nil {
			return fmt.Errorf("read its JSON: %w", err)
		}
		for _, in := range r.Inputs {
			if in.Unparsed != 0 {
				return fmt.Errorf("%s (%s): %d of %d lines unparsed", in.Path, in.Format, in.Unparsed, in.Lines)
			}
		}
		if r.Requests != set.stats.AccessLines {
			return fmt.Errorf("counted %d requests, want %d", r.Requests, set.stats.AccessLines)
		}
		if err := diffCounts("status totals", set.wantStatus(), r.Status); err != nil {
			return err
		}
		if wantCauses {
			return diffCounts("cause totals", set.stats.Causes, r.Causes)
		}
		return nil
	}
}

func fivexxTools(bin string, set logSet, combinedToo bool) []tool {
	st := set.stats
	ts := []tool{{
		name:   "fivexx report --json",
		input:  "access.log + error.log + app.log",
		lines:  st.TotalLines(),
		access: st.AccessLines,
		inputs: []string{set.path(biglog.AccessFile), set.path(biglog.ErrorFile), set.path(biglog.AppFile)},
		argv: []string{bin, "report", "--json", "--proxy", set.path(biglog.AccessFile),
			"--proxy-errors", set.path(biglog.ErrorFile), "--app", set.path(biglog.AppFile)},
		// The error log's times carry no zone; the generator wrote UTC.
		env:    []string{"TZ=UTC"},
		verify: verifyFivexx(set, true),
		pair:   ceilingKey{input: "access.log + error.log + app.log"},
	}, {
		// The same single file GoAccess and lnav read: the like-for-like row.
		name:   "fivexx report --json",
		input:  biglog.AccessFile,
		lines:  st.AccessLines,
		access: st.AccessLines,
		inputs: []string{set.path(biglog.AccessFile)},
		argv:   []string{bin, "report", "--json", set.path(biglog.AccessFile)},
		env:    []string{"TZ=UTC"},
		verify: verifyFivexx(set, false),
		pair:   ceilingKey{input: biglog.AccessFile},
	}}
	// Issue 8 sets a target on one core too (2.5 M lines/s on the three
	// files): the same run with the runtime held to one processor.
	one := ts[0]
	one.name = "fivexx report --json, one core (GOMAXPROCS=1)"
	one.env = append([]string{"GOMAXPROCS=1"}, one.env...)
	one.pair.oneCore = true
	ts = append(ts, one)
	if combinedToo {
		ts = append(ts, tool{
			name:   "fivexx report --json",
			input:  "combined.log",
			lines:  st.CombinedLines,
			access: st.CombinedLines,
			inputs: []string{set.path(biglog.CombinedFile)},
			argv:   []string{bin, "report", "--json", set.path(biglog.CombinedFile)},
			env:    []string{"TZ=UTC"},
			verify: verifyFivexx(set, false),
		})
	}
	return ts
}

// goaccessRich is a GoAccess log format for the upstream-rich lines: the
// combined fields, the request time, and the rest skipped.
const goaccessRich = `%h %^[%d:%t %^] "%r" %s %b "%R" "%u" rt=%T %^`

func goaccessTools(set logSet, work string) []tool {
	st := set.stats
	mk := func(file, format, out string) tool {
		return tool{
			name:   "goaccess (JSON report)",
			input:  file,
			lines:  st.AccessLines,
			access: st.AccessLines,
			inputs: []string{set.path(file)},
			argv: []string{"goaccess", set.path(file), "--no-global-config", "--no-progress",
				"--log-format=" + format, "--date-format=%d/%b/%Y", "--time-format=%H:%M:%S", "-o", out},
			result: out,
			verify: func(r io.Reader) error { return verifyGoaccess(set, r) },
		}
	}
	return []tool{
		mk(biglog.AccessFile, goaccessRich, filepath.Join(work, "goaccess-access.json")),
		mk(biglog.CombinedFile, "COMBINED", filepath.Join(work, "goaccess-combined.json")),
	}
}

// goaccessReport is the part of GoAccess's JSON report that is checked.
type goaccessReport struct {
	General struct {
		Total  int64 `json:"total_requests"`
		Valid  int64 `json:"valid_requests"`
		Failed int64 `json:"failed_requests"`
	}
	StatusCodes struct {
		Data []struct {
			Items []struct {
				Data string `json:"data"`
				Hits struct {
					Count int64 `json:"count"`
				} `json:"hits"`
			} `json:"items"`
		} `json:"data"`
	}
}

// readGoaccess decodes the "general" and "status_codes" panels and skips
// the others token by token: the report of millions of lines is tens of MB,
// and benchcmp must stay small (see measure: a child's ru_maxrss starts at
// ours).
func readGoaccess(in io.Reader) (goaccessReport, error) {
	var r goaccessReport
	dec := json.NewDecoder(bufio.NewReader(in))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return r, fmt.Errorf("not a JSON object (%v)", err)
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return r, err
		}
		switch t {
		case "general":
			err = dec.Decode(&r.General)
		case "status_codes":
			err = dec.Decode(&r.StatusCodes)
		default:
			err = skipValue(dec)
		}
		if err != nil {
			return r, fmt.Errorf("panel %v: %w", t, err)
		}
	}
	return r, nil
}

// skipValue reads one JSON value without keeping it.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// verifyGoaccess checks GoAccess's general counters and its status-code panel.
func verifyGoaccess(set logSet, in io.Reader) error {
	r, err := readGoaccess(in)
	if err != nil {
		return fmt.Errorf("read its JSON: %w", err)
	}
	g := r.General
	if n := set.stats.AccessLines; g.Total != n || g.Valid != n || g.Failed != 0 {
		return fmt.Errorf("total %d, valid %d, failed %d requests; want %d valid", g.Total, g.Valid, g.Failed, n)
	}
	got := map[string]int64{}
	for _, class := range r.StatusCodes.Data {
		for _, it := range class.Items {
			code, _, _ := strings.Cut(it.Data, " ")
			got[code] += it.Hits.Count
		}
	}
	return diffCounts("status totals", set.wantStatus(), got)
}

// lnavQuery counts requests by status; every line must be in access_log.
const lnavQuery = ";SELECT sc_status, count(*) AS n FROM access_log GROUP BY sc_status"

func lnavTools(set logSet, home string) []tool {
	st := set.stats
	var ts []tool
	for _, file := range []string{biglog.AccessFile, biglog.CombinedFile} {
		ts = append(ts, tool{
			name:   "lnav -n (SQL: count by status)",
			input:  file,
			lines:  st.AccessLines,
			access: st.AccessLines,
			inputs: []string{set.path(file)},
			argv:   []string{"lnav", "-n", "-c", lnavQuery, set.path(file)},
			env:    []string{"HOME=" + home},
			verify: func(out io.Reader) error { return verifyLnav(set, out) },
			warmup: []string{"lnav", "-n", "-c", ";SELECT 1", filepath.Join(home, "warmup.log")},
		})
	}
	return ts
}

// verifyLnav reads lnav's result table: a header, then "status count" rows.
func verifyLnav(set logSet, out io.Reader) error {
	got := map[string]int64{}
	var head []byte
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if len(head) < 200 {
			head = append(head, sc.Bytes()...)
			head = append(head, '\n')
		}
		f := strings.Fields(sc.Text())
		if len(f) != 2 {
			continue
		}
		n, err := strconv.ParseInt(f[1], 10, 64)
		if _, serr := strconv.Atoi(f[0]); err != nil || serr != nil {
			continue
		}
		got[f[0]] += n
	}
	if len(got) == 0 {
		return fmt.Errorf("no access_log rows (output %q)", truncate(head, 200))
	}
	return diffCounts("status totals", set.wantStatus(), got)
}

func grepTool(set logSet) tool {
	st := set.stats
	want := st.Status[502] + st.Status[503] + st.Status[504]
	return tool{
		name:   `grep -c '" 50[234] '`,
		input:  biglog.AccessFile,
		lines:  st.AccessLines,
		access: st.AccessLines,
		inputs: []string{set.path(biglog.AccessFile)},
		argv:   []string{"grep", "-c", `" 50[234] `, set.path(biglog.AccessFile)},
		env:    []string{"LC_ALL=C"},
		verify: func(out io.Reader) error {
			b, err := io.ReadAll(io.LimitReader(out, 100))
			if err != nil {
				return err
			}
			n, err := strconv.ParseInt(string(bytes.TrimSpace(b)), 10, 64)
			if err != nil || n != want {
				return fmt.Errorf("counted %q, want %d", bytes.TrimSpace(b), want)
			}
			return nil
		},
	}
}

func scanTool(self string, set logSet) tool {
	st := set.stats
	return tool{
		name:   "Go baseline (read + split, count by status)",
		input:  biglog.AccessFile,
		lines:  st.AccessLines,
		access: st.AccessLines,
		inputs: []string{set.path(biglog.AccessFile)},
		argv:   []string{self, "-scan", set.path(biglog.AccessFile)},
		verify: func(out io.Reader) error {
			var got map[string]int64
			if err := json.NewDecoder(out).Decode(&got); err != nil {
				return fmt.Errorf("read its JSON: %w", err)
			}
			return diffCounts("status totals", set.wantStatus(), got)
		},
	}
}

// scan is the baseline: the least a tool must do to count statuses, read
// every line and find the field after the request line, in one goroutine.
func scan(path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	var counts [1000]int64
	for {
		line, err := r.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			for err == bufio.ErrBufferFull { // a line longer than the buffer: skip it
				_, err = r.ReadSlice('\n')
			}
			continue
		}
		if len(line) > 0 {
			counts[statusOf(line)]++
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
	}
	out := map[string]int64{}
	for code, n := range counts {
		if n > 0 {
			out[strconv.Itoa(code)] = n
		}
	}
	return json.NewEncoder(w).Encode(out)
}

// statusOf returns the three digits after the quoted request line, 0 when
// there are none. nginx escapes quotes inside the request line.
func statusOf(line []byte) int {
	status, _ := statusAt(line)
	return status
}

// statusAt is statusOf and the offset just after the status, 0 and 0 when
// there is none.
func statusAt(line []byte) (status, end int) {
	q1 := bytes.IndexByte(line, '"')
	if q1 < 0 {
		return 0, 0
	}
	q2 := bytes.IndexByte(line[q1+1:], '"')
	if q2 < 0 {
		return 0, 0
	}
	p := q1 + 1 + q2 + 2
	if p+3 > len(line) {
		return 0, 0
	}
	n := 0
	for _, c := range line[p : p+3] {
		if c < '0' || c > '9' {
			return 0, 0
		}
		n = n*10 + int(c-'0')
	}
	return n, p + 3
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
