package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Lines as biglog writes them (nginx 1.22.1's upstreaminfo layout, its
// error log, the app's JSON).
const (
	accessLine = `192.0.2.193 - - [02/Jan/2026:03:00:40 +0000] "GET /search?q=winter+boots HTTP/1.1" 502 157 "-" "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" rt=0.001 uct="-, -" uht="-, -" urt="0.000, 0.000" ua="10.0.2.22:3000, 10.0.2.23:3000" us="502, 502" rid=d88cf147bb8faeadfe504bedecb0ae00 cid=22914`
	errorLine  = `2026/01/02 03:00:01 [error] 9088#9088: *21953 open() "/var/www/shop/static/js/checkout.0aa1b2c3.js" failed (2: No such file or directory), client: 192.0.2.134, server: shop.example.com, request: "GET /static/js/checkout.0aa1b2c3.js HTTP/2.0", host: "shop.example.com", referrer: "https://shop.example.com/"`
	appLine    = `{"time":"2026-01-02T03:02:20.009849Z","level":"WARN","msg":"request finished","request_id":"5c48bf6e0bd125275ebb303875ca725c","method":"GET","path":"/api/orders?id=454","status":503,"duration_ms":1.813,"instance":"10.0.1.13:8080"}`
)

func TestRestamp(t *testing.T) {
	at := time.Date(2026, 11, 21, 9, 32, 24, 123456789, time.UTC)
	st := stampsAt(at.In(time.FixedZone("CET", 3600)))
	tests := []struct {
		name    string
		kind    logKind
		line    string
		want    string
		wantErr bool
	}{
		{"access", kindAccess, accessLine, strings.Replace(accessLine, "02/Jan/2026:03:00:40 +0000", "21/Nov/2026:10:32:24 +0100", 1), false},
		{"error, local time", kindError, errorLine, strings.Replace(errorLine, "2026/01/02 03:00:01", "2026/11/21 10:32:24", 1), false},
		{"app, UTC with microseconds", kindApp, appLine, strings.Replace(appLine, "2026-01-02T03:02:20.009849Z", "2026-11-21T09:32:24.123456Z", 1), false},
		{"access without brackets", kindAccess, "192.0.2.1 - - 02/Jan/2026:03:00:40 +0000 GET /", "", true},
		{"error line too short", kindError, "2026/01/02", "", true},
		{"app line of another shape", kindApp, `{"ts":"2026-01-02T03:02:20.009849Z"}`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := restamp(nil, tt.kind, []byte(tt.line), &st)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err == nil {
				if diff := cmp.Diff(tt.want, string(got)); diff != "" {
					t.Errorf("restamp (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestAccessStatus(t *testing.T) {
	tests := []struct {
		name, line string
		want       int
	}{
		{"502 after retries", accessLine, 502},
		{"marker", markerLine(3, time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)), 502},
		{"quote escaped in the request", `192.0.2.1 - - [02/Jan/2026:03:00:40 +0000] "GET /a\x22b HTTP/1.1" 200 5 "-" "curl"`, 200},
		{"no status", `192.0.2.1 - - [02/Jan/2026:03:00:40 +0000] "GET / HTTP/1.1"`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := accessStatus([]byte(tt.line)); got != tt.want {
				t.Errorf("accessStatus = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestReadScreen(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	inputs := map[string]screenInput{
		"proxy":        {Format: "nginx-upstream", State: "following", Rate: "5416", Unparsed: "0"},
		"proxy-errors": {Format: "nginx-error", State: "following", Rate: "74.4", Unparsed: "0"},
		"app":          {Format: "app-json", State: "following", Rate: "3675", Unparsed: "0"},
	}
	// Captured by livebench at 50,000 lines/s, once caught up.
	tests := []struct {
		name, screen string
		want         screenFacts
	}{
		{"filtered on the markers", read("drain.screen"), screenFacts{
			live: true, overview: true, dropped: 21926, droppedApp: 19046, droppedErrors: 2880,
			causes: "4516", marker502: 9, markerCause: "upstream_refused", inputs: inputs, causeCounts: map[string]string{},
			tableRows: 1, tableSums: map[int]int64{502: 9, 503: 0, 504: 0}, tableExact: true,
		}},
		{"unfiltered", read("final.screen"), screenFacts{
			live: true, overview: true, dropped: 21926, droppedApp: 19046, droppedErrors: 2880,
			causes: "4516", marker502: 9, markerCause: "upstream_refused", inputs: inputs,
			causeCounts: map[string]string{"app_unavailable": "2849", "upstream_timeout": "768", "upstream_refused": "737", "app_error": "83", "upstream_reset": "79"},
			tableRows:   12, tableSums: map[int]int64{502: 816, 503: 2849, 504: 768}, tableExact: true,
		}},
		{"a table cut short", strings.Join(append(strings.Split(read("final.screen"), "\n")[:28], "enter open • q quit"), "\n"), screenFacts{
			live: true, overview: true, dropped: 21926, droppedApp: 19046, droppedErrors: 2880,
			causes: "4516", marker502: 9, markerCause: "upstream_refused", inputs: inputs,
			causeCounts: map[string]string{"app_unavailable": "2849", "upstream_timeout": "768", "upstream_refused": "737", "app_error": "83", "upstream_reset": "79"},
			tableRows:   12, tableSums: map[int]int64{502: 816, 503: 2849, 504: 768}, tableExact: false,
		}},
		{"a rounded count", strings.Replace(read("final.screen"), "   1533     79    690 ", "   1533     79    12k ", 1), screenFacts{
			live: true, overview: true, dropped: 21926, droppedApp: 19046, droppedErrors: 2880,
			causes: "4516", marker502: 9, markerCause: "upstream_refused", inputs: inputs,
			causeCounts: map[string]string{"app_unavailable": "2849", "upstream_timeout": "768", "upstream_refused": "737", "app_error": "83", "upstream_reset": "79"},
			tableRows:   12, tableSums: map[int]int64{502: 816, 503: 2849 - 690, 504: 768}, tableExact: false,
		}},
		{"with the 500 column", with500Column(read("final.screen")), screenFacts{
			live: true, overview: true, dropped: 21926, droppedApp: 19046, droppedErrors: 2880,
			causes: "4516", marker502: 9, markerCause: "upstream_refused", inputs: inputs,
			causeCounts: map[string]string{"app_unavailable": "2849", "upstream_timeout": "768", "upstream_refused": "737", "app_error": "83", "upstream_reset": "79"},
			tableRows:   12, tableSums: map[int]int64{502: 816, 503: 2849, 504: 768}, tableExact: true,
		}},
		{"with the retry column", withRetryColumn(read("final.screen")), screenFacts{
			live: true, overview: true, dropped: 21926, droppedApp: 19046, droppedErrors: 2880,
			causes: "4516", marker502: 9, markerCause: "upstream_refused", inputs: inputs,
			causeCounts: map[string]string{"app_unavailable": "2849", "upstream_timeout": "768", "upstream_refused": "737", "app_error": "83", "upstream_reset": "79"},
			tableRows:   12, tableSums: map[int]int64{502: 816, 503: 2849, 504: 768}, tableExact: true,
		}},
		{"help", "fivexx live                                        log — · wall 09:28:30 · window 15m · pending 12\n▸ help                                       0%\n Keys\n", screenFacts{
			live: true, help: true, pending: 12, marker502: -1, inputs: map[string]screenInput{}, causeCounts: map[string]string{},
		}},
		{"another program", "$ ls\n", screenFacts{marker502: -1, inputs: map[string]screenInput{}, causeCounts: map[string]string{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, readScreen(tt.screen), cmp.AllowUnexported(screenFacts{})); diff != "" {
				t.Errorf("readScreen (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAllJudgedWaitsForThePending: "Causes of 18k 5xx" is shown from
// 18,000 judged on; with 18,213 appended the last 2 s of 500s still
// waited, and were missing from the causes read (app_error 487 live
// against 536 in the report).
func TestAllJudgedWaitsForThePending(t *testing.T) {
	tests := []struct {
		name string
		f    screenFacts
		want bool
	}{
		{"all judged", screenFacts{causes: "18k", marker502: 51}, true},
		{"the count rounded, 49 pending", screenFacts{causes: "18k", marker502: 51, pending: 49}, false},
		{"a marker short", screenFacts{causes: "18k", marker502: 50}, false},
		{"the count short", screenFacts{causes: "17k", marker502: 51}, false},
	}
	for _, tt := range tests {
		if got := allJudged(tt.f, countText(18213), 51); got != tt.want {
			t.Errorf("%s: allJudged = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCountAndRateText(t *testing.T) {
	counts := []struct {
		n    int64
		want string
	}{{0, "0"}, {9999, "9999"}, {10000, "10k"}, {20341, "20k"}, {999_999, "999k"}, {1_500_000, "1M"}}
	for _, tt := range counts {
		if got := countText(tt.n); got != tt.want {
			t.Errorf("countText(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	rates := []struct {
		s    string
		want float64
		ok   bool
	}{{"0", 0, true}, {"12.5", 12.5, true}, {"2345", 2345, true}, {"26k", 26000, true}, {"1.2M", 1.2e6, true}, {"—", 0, false}}
	for _, tt := range rates {
		if got, ok := rateValue(tt.s); got != tt.want || ok != tt.ok {
			t.Errorf("rateValue(%q) = %v, %v; want %v, %v", tt.s, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseStatCPU(t *testing.T) {
	tests := []struct {
		name, line string
		want       time.Duration
		wantErr    bool
	}{
		// A real /proc/PID/stat line of fivexx.
		{"fivexx", "25368 (fivexx) S 25367 25368 25368 34816 25368 4194560 2213 0 0 0 1234 56 0 0 20 0 8 0 1412345 1500000000 9000 18446744073709551615 1 1 0 0 0 0 0 0 2143420159 0 0 0 17 1 0 0 0 0 0", 12*time.Second + 900*time.Millisecond, false},
		{"a name with spaces and parentheses", "7 (a b) c) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0", 70 * time.Millisecond, false},
		{"short", "7 (x) R 1", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseStatCPU([]byte(tt.line))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseStatCPU = %v, %v; want %v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// TestPoolMerge reads a generated pool back: every line once, in time
// order across the three files.
func TestPoolMerge(t *testing.T) {
	dir := t.TempDir()
	st, err := generatePool(dir, 3000, 1, 50)
	if err != nil {
		t.Fatal(err)
	}
	p, err := openPool(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	var n [numKinds]int64
	var lastKey int64
	for {
		var key int64
		for _, f := range p.files {
			if f.line != nil && (key == 0 || f.key < key) {
				key = f.key
			}
		}
		k, _, ok, err := p.next()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		if key < lastKey {
			t.Fatalf("line %d of %s at %d µs comes after one at %d", n[k]+1, k, key, lastKey)
		}
		lastKey = key
		n[k]++
	}
	want := [numKinds]int64{kindAccess: st.AccessLines, kindError: st.ErrorLines, kindApp: st.AppLines}
	if n != want || st.TotalLines() < 3000 {
		t.Errorf("read %v lines (app, error, access), generated %v (%d in all, want 3000 or more)", n, want, st.TotalLines())
	}
}

// TestLiveBench runs the whole measurement at a low rate against the real
// binary: every figure is produced, every line counted, every marker seen.
func TestLiveBench(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is not installed (apt-get install -y tmux): livebench needs it")
	}
	ctx := context.Background()
	bin, err := buildFivexx(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	o := options{
		bin: bin, rate: 2000, duration: 3 * time.Second, warmup: time.Second,
		slice: 10 * time.Millisecond, poll: 5 * time.Millisecond, width: 160, height: 48,
		seed: 1, logRate: 50, idleProbes: 1, timeout: time.Minute, dir: dir, keep: true,
	}
	res, err := measure(ctx, o, testWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	writeTable(&out, []*result{res})
	t.Logf("\n%s", out.String())

	if len(res.Problems) > 0 {
		t.Errorf("problems: %q", res.Problems)
	}
	if res.Appended < 5700 || res.Appended > 6000 {
		t.Errorf("appended %d lines, want about 6000", res.Appended)
	}
	if !res.TableExact {
		t.Error("the upstream table's counts could not be read exactly")
	}
	for _, code := range []int{502, 503, 504} {
		if res.TableSums[code] != res.FivexxBy[code] {
			t.Errorf("the upstream table shows %d %ds, %d were appended", res.TableSums[code], code, res.FivexxBy[code])
		}
	}
	if res.CatchUpSecs <= 0 || res.CatchUpSecs > 5 {
		t.Errorf("the marker after the last line showed after %.2f s", res.CatchUpSecs)
	}
	if res.Markers < 3 || res.MarkersShown != res.Markers {
		t.Errorf("%d markers on screen of %d written (want 3 or more)", res.MarkersShown, res.Markers)
	}
	if res.Fivexx <= int64(res.Markers) || res.FivexxShown != countText(res.Fivexx) {
		t.Errorf("causes pane counts %q 5xx, want %d (%d markers)", res.FivexxShown, res.Fivexx, res.Markers)
	}
	for name, v := range map[string][]float64{"key idle": res.KeyIdle, "key": res.KeyLoad, "line idle": res.LineIdle, "line": res.LineLoad} {
		if len(v) == 0 {
			t.Errorf("no %s samples", name)
		}
		for _, ms := range v {
			if ms <= 0 || ms > 5000 {
				t.Errorf("%s latency %v ms", name, ms)
			}
		}
	}
	if len(res.KeyLoad) < 4 || len(res.LineLoad) < 2 {
		t.Errorf("%d key and %d line samples under load, want 4 and 2 or more", len(res.KeyLoad), len(res.LineLoad))
	}
	if res.CPUSteady <= 0 || res.CPUSteady > 2 || res.RSSPeakMiB <= 1 || res.SteadySecs <= 0 {
		t.Errorf("CPU %.2f cores over %.1f s, peak RSS %.1f MiB: not measured", res.CPUSteady, res.SteadySecs, res.RSSPeakMiB)
	}
	if res.ExitStatus != "0" {
		t.Errorf("exit status %q after q", res.ExitStatus)
	}
	// At this rate nothing is evicted: live mode judges as report does on
	// the same lines, the markers aside.
	if res.Dropped != 0 {
		t.Errorf("dropped %d at %v lines/s", res.Dropped, o.rate)
	}
	live := map[string]int64{}
	for c, s := range res.LiveCauses {
		n, ok := rateValue(s)
		if !ok {
			t.Fatalf("cause %s count %q", c, s)
		}
		live[c] = int64(n)
	}
	live[res.MarkerCause] -= int64(res.Markers)
	if live[res.MarkerCause] == 0 {
		delete(live, res.MarkerCause)
	}
	if diff := cmp.Diff(res.RefCauses, live); diff != "" {
		t.Errorf("causes (-report +live):\n%s", diff)
	}

	// The files hold what the feeder counted: fivexx report reads them all
	// (ten seed lines each, the appended lines, the markers).
	s, err := reportOn(ctx, bin, filepath.Join(dir, "live"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, in := range s.Inputs {
		got[in.Role] = in.Lines - in.Unparsed
	}
	want := map[string]int64{
		"proxy":        10 + res.AppendedBy["access"] + int64(res.Markers),
		"proxy-errors": 10 + res.AppendedBy["error"],
		"app":          10 + res.AppendedBy["app"],
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parsed lines in the followed files (-counted +report):\n%s", diff)
	}
}

// testWriter sends the tool's progress lines to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// withRetryColumn is screen with the upstream table's retry column after
// 504, as fivexx shows it once a request was retried (a count of 3 on
// each row): the marker's cause was read from a fixed place, the p99's.
func withRetryColumn(screen string) string { return withColumn(screen, "504", "  retry", "      3") }

// with500Column is a screen of the upstream table without its 500 column
// given one, of 7 cells after req/s, as fivexx has since: 0 on each row.
func with500Column(screen string) string { return withColumn(screen, "req/s", "    500", "      0") }

// withColumn inserts a column into screen's upstream table after the
// header word after: head in the header, cell in each row below it.
func withColumn(screen, after, head, cell string) string {
	lines := strings.Split(screen, "\n")
	at := -1
	for i, l := range lines {
		if j := strings.Index(l, after); at < 0 && j >= 0 && strings.Contains(l, "upstream") && strings.Contains(l, "req/s") {
			at = j + len(after)
			lines[i] = l[:at] + head + l[at:]
			continue
		}
		if at < 0 || strings.TrimSpace(l) == "" || !strings.HasPrefix(l, "› ") && !strings.HasPrefix(l, "  ") {
			continue
		}
		cut := at
		if strings.HasPrefix(l, "›") {
			cut += len("›") - 1 // a cell of 3 bytes
		}
		if len(l) > cut {
			lines[i] = l[:cut] + cell + l[cut:]
		}
	}
	return strings.Join(lines, "\n")
}
