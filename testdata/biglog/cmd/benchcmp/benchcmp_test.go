package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/testdata/biglog"
)

// seed1Status is biglog's truth for -lines 200000 -seed 1, which the
// GoAccess 1.7 report in testdata was made from.
var seed1Status = map[int]int64{200: 144591, 201: 7560, 204: 6421, 302: 1563, 304: 25807, 400: 235, 401: 1589,
	402: 153, 404: 6907, 409: 168, 422: 514, 500: 135, 502: 804, 503: 2777, 504: 776}

func seed1Set() logSet {
	return logSet{stats: biglog.Stats{AccessLines: 200_000, Status: seed1Status}}
}

func TestVerifyGoaccess(t *testing.T) {
	report, err := os.ReadFile(filepath.Join("testdata", "goaccess-200000.json"))
	if err != nil {
		t.Fatal(err)
	}
	off502 := seed1Set()
	off502.stats.Status = map[int]int64{}
	for k, v := range seed1Status {
		off502.stats.Status[k] = v
	}
	off502.stats.Status[502]++
	fewer := seed1Set()
	fewer.stats.AccessLines = 200_001
	tests := []struct {
		name    string
		set     logSet
		report  string
		wantErr string
	}{
		{"real report, same truth", seed1Set(), string(report), ""},
		{"a 502 more in the truth", off502, string(report), "502: 804, want 805"},
		{"more lines than it read", fewer, string(report), "want 200001 valid"},
		{"not JSON", seed1Set(), "<html>", "read its JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := verifyGoaccess(tt.set, strings.NewReader(tt.report))
			checkErr(t, err, tt.wantErr)
		})
	}
}

// lnavOutput is what lnav 0.11.1 printed for lnavQuery over biglog's
// -lines 20000 -seed 1 access.log.
const lnavOutput = `sc_status   n   
      200 14541 
      201   783 
      204   621 
      302   143 
      304  2629 
      400    15 
      401   164 
      402    12 
      404   658 
      409    14 
      422    52 
      500     9 
      502   359 
`

func TestVerifyLnav(t *testing.T) {
	set := logSet{stats: biglog.Stats{AccessLines: 20_000, Status: map[int]int64{200: 14541, 201: 783, 204: 621, 302: 143,
		304: 2629, 400: 15, 401: 164, 402: 12, 404: 658, 409: 14, 422: 52, 500: 9, 502: 359}}}
	tests := []struct {
		name, out, wantErr string
	}{
		{"real output", lnavOutput, ""},
		{"a status missing", strings.Replace(lnavOutput, "      502   359 \n", "", 1), "502: 0, want 359"},
		{"no access_log table", "✘ error: no such table: access_log\n", "no access_log rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, verifyLnav(set, strings.NewReader(tt.out)), tt.wantErr)
		})
	}
}

func TestVerifyFivexx(t *testing.T) {
	set := logSet{stats: biglog.Stats{AccessLines: 3, Status: map[int]int64{200: 2, 502: 1},
		Causes: map[string]int64{"upstream_refused": 1}}}
	tests := []struct {
		name, out, wantErr string
	}{
		{"right", `{"inputs":[{"path":"a","lines":3}],"requests":3,"status":{"200":2,"502":1},"causes":{"upstream_refused":1}}`, ""},
		{"unparsed lines", `{"inputs":[{"path":"a","format":"nginx","lines":3,"unparsed":1}],"requests":3}`, "1 of 3 lines unparsed"},
		{"wrong cause", `{"requests":3,"status":{"200":2,"502":1},"causes":{"upstream_reset":1}}`, "upstream_refused: 0, want 1"},
		{"nothing read", `{"requests":0}`, "counted 0 requests, want 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, verifyFivexx(set, true)(strings.NewReader(tt.out)), tt.wantErr)
		})
	}
}

func TestStatusOf(t *testing.T) {
	tests := []struct {
		name, line string
		want       int
	}{
		{"upstream-rich", `203.0.113.115 - - [02/Jan/2026:03:01:10 +0000] "POST /api/checkout HTTP/2.0" 502 157 "-" "ShopApp/4.12.0 (Android 14; SM-S911B)" rt=0.001 uct="0.000" uht="-" urt="0.001" ua="10.0.1.13:8080" us="502" rid=914f8b322756e0391384050c20ad061b cid=29131`, 502},
		{"escaped quote in the agent", `203.0.113.74 - - [02/Jan/2026:03:00:00 +0000] "GET /.env HTTP/1.1" 404 1870 "-" "() { :; }; echo; /bin/bash -c \x22echo\x22"`, 404},
		{"no request line", "garbage", 0},
		{"cut short", `1.2.3.4 - - [x] "GET / HTTP/1.1" 5`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := statusOf([]byte(tt.line)); got != tt.want {
				t.Errorf("statusOf = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestScanMatchesTheTruth(t *testing.T) {
	dir := t.TempDir()
	st, err := biglog.Generate(dir, biglog.Config{Lines: 5000, Seed: 2, NoCombined: true})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := scan(filepath.Join(dir, biglog.AccessFile), &out); err != nil {
		t.Fatal(err)
	}
	var got map[string]int64
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	set := logSet{dir: dir, stats: st}
	if diff := cmp.Diff(set.wantStatus(), got); diff != "" {
		t.Errorf("scan (-truth +got):\n%s", diff)
	}
}

func TestFormatting(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"thousands small", thousands(999), "999"},
		{"thousands", thousands(2_000_000), "2,000,000"},
		{"thousands negative", thousands(-12345), "-12,345"},
		{"slower", ratio(3.14, "slower", "faster"), "3.1× slower"},
		{"faster", ratio(0.5, "slower", "faster"), "2.0× faster"},
		{"much slower", ratio(57.8, "slower", "faster"), "58× slower"},
		{"about the same", ratio(1.04, "more", "less"), "≈ same"},
		{"cell pipe", cell("a|b\nc"), `a\|b c`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Errorf("no error, want one containing %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Errorf("error %q, want one containing %q", err, want)
	}
}

// The memory check runs every combination whose memory once grew with
// its input, on files that exist (the access log gzipped beside it).
func TestMemToolsCoverTheCombinations(t *testing.T) {
	dir := t.TempDir()
	st, err := biglog.Generate(dir, biglog.Config{Lines: 3000, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	set := logSet{dir: dir, stats: st}
	if err := ensureGzip(set.path(biglog.AccessFile), set.path(gzAccessFile), io.Discard); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tl := range memTools("/bin/fivexx", set) {
		got = append(got, tl.input)
		if len(tl.inputs) == 0 {
			t.Errorf("%s: no input files", tl.input)
		}
		for _, f := range tl.inputs {
			if !slices.Contains(tl.argv, f) {
				t.Errorf("%s: %s is warmed but not read", tl.input, f)
			}
			if _, err := os.Stat(f); err != nil {
				t.Errorf("%s: %v", tl.input, err)
			}
		}
		if tl.verify == nil || !slices.Contains(tl.env, "TZ=UTC") {
			t.Errorf("%s: no verify or no TZ=UTC", tl.input)
		}
	}
	want := []string{"access.log + error.log + app.log", "access.log", "error.log", "combined.log",
		"access.log.gz", "access.log.gz + error.log + app.log"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("combinations (-want +got):\n%s", diff)
	}
}

func TestVerifyLinesRead(t *testing.T) {
	v := verifyLinesRead(map[string]int64{"error.log": 3})
	tests := []struct{ name, out, wantErr string }{
		{"all read", `{"inputs":[{"path":"/x/error.log","format":"nginx-error","lines":3,"unparsed":0}]}`, ""},
		{"cut short", `{"inputs":[{"path":"/x/error.log","lines":2}]}`, "2 lines, 0 unparsed; want 3"},
		{"unparsed", `{"inputs":[{"path":"/x/error.log","lines":3,"unparsed":1}]}`, "1 unparsed"},
		{"another input", `{"inputs":[{"path":"/x/app.log","lines":3}]}`, "not given"},
		{"none", `{"inputs":[]}`, "did not report error.log"},
		{"not JSON", `oops`, "read its JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, v(strings.NewReader(tt.out)), tt.wantErr)
		})
	}
}

func TestMemRowVerdict(t *testing.T) {
	runs := func(mb ...float64) result {
		r := result{tool: tool{input: "access.log"}}
		for _, m := range mb {
			r.runs = append(r.runs, measurement{rssKiB: int64(m * 1024)})
		}
		return r
	}
	tests := []struct {
		name string
		row  memRow
		want string
	}{
		{"flat", memRow{runs(26.1, 26.5, 27), runs(27, 27.3, 40)}, ""}, // medians 26.5, 27.3
		{"grows", memRow{runs(16, 16, 16), runs(18.5, 18.5, 18.5)}, "outside ±10 %"},
		{"shrinks", memRow{runs(20), runs(17.9)}, "outside ±10 %"},
		{"too big", memRow{runs(31.0), runs(33.6)}, "over 32 MB"},
		{"both", memRow{runs(28), runs(34)}, "over 32 MB, outside ±10 %"},
		{"failed", memRow{runs(20), result{err: io.ErrUnexpectedEOF}}, "failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.row.verdict(); got != tt.want {
				t.Errorf("verdict %q, want %q", got, tt.want)
			}
		})
	}
	var out bytes.Buffer
	printMemTable(&out, options{lines: 2_000_000, runs: 3, seed: 1}, []memRow{tests[1].row, tests[0].row})
	for _, want := range []string{"2,000,000 and 20,000,000 requests (seed 1)", "median of 3 run(s)",
		"| access.log | 16.0 | 18.5 | 1.16× |", "outside ±10 % |", "| 26.5 | 27.3 | 1.03× |", "| met |"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the table lacks %q:\n%s", want, out.String())
		}
	}
}

// ensureGzip writes the file gzipped, keeps a .gz newer than the file, and
// writes it again when the file is newer.
func TestEnsureGzip(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "access.log"), filepath.Join(dir, "access.log.gz")
	content := strings.Repeat("192.0.2.1 - - [02/Jan/2026:03:00:00 +0000] \"GET / HTTP/1.1\" 200 5\n", 1000)
	if err := os.WriteFile(src, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	gunzip := func() string {
		f, err := os.Open(dst)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if err := ensureGzip(src, dst, io.Discard); err != nil {
		t.Fatal(err)
	}
	if gunzip() != content {
		t.Fatal("the .gz does not hold the file")
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(src, old, old)
	os.WriteFile(dst, []byte("kept"), 0o644) // newer than src: kept as is
	if err := ensureGzip(src, dst, io.Discard); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "kept" {
		t.Fatal("a .gz newer than its file was written again")
	}
	os.Chtimes(dst, old.Add(-time.Hour), old.Add(-time.Hour))
	if err := ensureGzip(src, dst, io.Discard); err != nil {
		t.Fatal(err)
	}
	if gunzip() != content {
		t.Fatal("a .gz older than its file was not written again")
	}
}

// The table has a one-core row for issue 8's one-core target: the three
// files as the reference row reads them, with GOMAXPROCS=1.
func TestOneCoreRow(t *testing.T) {
	ts := fivexxTools("/bin/fivexx", seed1Set(), true)
	var one *tool
	for i := range ts {
		if strings.Contains(ts[i].name, "one core") {
			one = &ts[i]
		}
	}
	if one == nil {
		t.Fatal("no one-core row")
	}
	if !slices.Equal(one.argv, ts[0].argv) || one.lines != ts[0].lines {
		t.Fatalf("one-core row reads %v (%d lines), want the reference row's %v (%d)", one.argv, one.lines, ts[0].argv, ts[0].lines)
	}
	if !slices.Contains(one.env, "GOMAXPROCS=1") || !slices.Contains(one.env, "TZ=UTC") {
		t.Fatalf("one-core row's env %v, want GOMAXPROCS=1 and TZ=UTC", one.env)
	}
	if slices.Contains(ts[0].env, "GOMAXPROCS=1") {
		t.Fatal("the reference row runs on one core too")
	}
}
