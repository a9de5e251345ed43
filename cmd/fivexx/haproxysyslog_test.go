package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The HAProxy logs of testdata/haproxy-syslog (README.md there), written
// by HAProxy 2.6.12 behind its own syslog headers.

// syslogPrefix is a syslog priority and header up to HAProxy's tag.
var syslogPrefix = regexp.MustCompile(`^<\d+>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d lb1 haproxy\[\d+\]: `)

// TestHAProxyCustomLogFormatBehindSyslogSaysWhy: request lines in a
// custom log-format (httplog's without %CC %CS) behind a syslog header
// are not read, and the report says so as it does for the same lines
// without the header: they were read as an app-text log, 0 requests, no
// problem, exit 0, also with --format haproxy, every 5xx lost
// (sources.Format.Claims). The rsyslog file form (no priority) too.
// (httplog clf with its names unquoted, which HAProxy's "other messages"
// took in, 0 unparsed, is now read: TestHAProxyCLFUnquotedNamesAreRead.)
func TestHAProxyCustomLogFormatBehindSyslogSaysWhy(t *testing.T) {
	inZone(t, "UTC")
	recorded := filepath.Join("testdata", "haproxy-syslog", "custom-rfc3164.log")
	data, err := os.ReadFile(recorded)
	if err != nil {
		t.Fatal(err)
	}
	var rsyslog, raw strings.Builder
	for _, l := range strings.SplitAfter(string(data), "\n") {
		if l == "" {
			continue
		}
		if !syslogPrefix.MatchString(l) {
			t.Fatalf("%s: line %q has no syslog header", recorded, l)
		}
		rsyslog.WriteString(l[strings.IndexByte(l, '>')+1:])
		raw.WriteString(syslogPrefix.ReplaceAllString(l, ""))
	}
	paths := writeFiles(t, [2]string{"rsyslog.log", rsyslog.String()}, [2]string{"raw.log", raw.String()})
	rsyslogLog, rawLog := paths[0], paths[1]
	for _, flags := range [][]string{nil, {"--format", "haproxy"}} {
		want := reportJSON(t, append(flags, rawLog)...)
		wantIn := want["inputs"].([]any)[0].(map[string]any)
		if wantIn["role"] != "unknown" || wantIn["problem"] == nil {
			t.Fatalf("%q without a header: input %v, want unknown with a problem", flags, wantIn)
		}
		for _, log := range []string{recorded, rsyslogLog} {
			m := reportJSON(t, append(flags, log)...)
			in := m["inputs"].([]any)[0].(map[string]any)
			for _, k := range []string{"role", "format", "problem"} {
				if in[k] != wantIn[k] {
					t.Errorf("%q %s: %s %v, want %v as without the header", flags, log, k, in[k], wantIn[k])
				}
			}
			if in["parsed"] != 0.0 || in["unparsed"] != in["lines"] {
				t.Errorf("%q %s: %v of %v lines parsed, %v unparsed; want every line unparsed", flags, log, in["parsed"], in["lines"], in["unparsed"])
			}
			advice, wantAdvice := m["advice"].([]any), want["advice"].([]any)
			if len(advice) != len(wantAdvice) {
				t.Fatalf("%q %s: advice %v, want %v", flags, log, advice, wantAdvice)
			}
			for i := range advice {
				got := advice[i].(map[string]any)
				w := wantAdvice[i].(map[string]any)
				n := func(a any) string { // the same advice but for the path and line count
					s := strings.ReplaceAll(a.(string), log, "LOG")
					s = strings.ReplaceAll(s, rawLog, "LOG")
					return regexp.MustCompile(`\d+ lines`).ReplaceAllString(s, "N lines")
				}
				if n(got["problem"]) != n(w["problem"]) || n(got["fix"]) != n(w["fix"]) {
					t.Errorf("%q %s: advice %d %v, want %v", flags, log, i, got, w)
				}
			}
		}
	}
}

// clfUnquoted is httplog clf with its names unquoted, behind an rsyslog
// file header [qa]: a log-format after clf's without %{+Q}o.
const clfUnquoted = `Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2 - - [06/Feb/2025:12:14:14 +0000] "GET /index.html HTTP/1.1" 200 2750 "" "" 33317 655 http-in static srv1 10 0 30 69 109 ---- 1 1 1 1 0 0 0 "" "" "" ""
Feb  6 12:14:15 localhost haproxy[14389]: 10.0.1.2 - - [06/Feb/2025:12:14:15 +0000] "GET /r?n=2 HTTP/1.1" 503 217 "" "" 33318 100 http-in be_app srv1 0 0 -1 -1 1001 SC-- 1 1 1 1 3 0 0 "" "" "" ""
Feb  6 12:14:16 localhost haproxy[14389]: 10.0.1.2 - - [06/Feb/2025:12:14:16 +0200] "GET /t?n=3 HTTP/1.1" 504 217 "" "" 33319 100 http-in be_app srv1 0 0 1 -1 30001 sH-- 1 1 1 1 0 0 0 "" "" "" ""
`

// TestHAProxyCLFUnquotedNamesAreRead: httplog clf with its names unquoted
// is HAProxy's, with the syslog tag or without: after the referer and user
// agent an app's Common Log Format has nothing of, it logs the client
// port, the milliseconds, frontend, backend and server, five timers and a
// termination state. Without the header it was read as an app's access
// log (app-access): 0 requests, 0 unparsed, no problem, its 503 and 504
// lost; with it, unparsed.
func TestHAProxyCLFUnquotedNamesAreRead(t *testing.T) {
	inZone(t, "UTC")
	paths := writeFiles(t, [2]string{"syslog.log", clfUnquoted},
		[2]string{"raw.log", regexp.MustCompile(`(?m)^.*?haproxy\[\d+\]: `).ReplaceAllString(clfUnquoted, "")})
	for _, log := range paths {
		m := reportJSON(t, log)
		in := m["inputs"].([]any)[0].(map[string]any)
		if in["role"] != "proxy" || in["format"] != "haproxy" || in["parsed"] != 3.0 || in["problem"] != nil {
			t.Errorf("%s: input %v, want haproxy, its 3 lines read", filepath.Base(log), in)
		}
		status := m["status"].(map[string]any)
		if status["503"] != 1.0 || status["504"] != 1.0 {
			t.Errorf("%s: status %v, want its 503 and 504", filepath.Base(log), status)
		}
	}
}

// TestHAProxyHeaderOffsetIsTheLinesZone: HAProxy under TZ=Europe/Athens
// logging with "format rfc5424": the header says +02:00, %tr says no
// zone. Read in UTC, %tr was taken for UTC: every request 2 h off the
// app's UTC lines, app coverage 0 %, and the advice said --app-skew 9h.
// The header's offset is the line's.
func TestHAProxyHeaderOffsetIsTheLinesZone(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("testdata", "haproxy-syslog")
	m := reportJSON(t, filepath.Join(dir, "rfc5424.log"), filepath.Join(dir, "app.log"))
	if first := m["window"].(map[string]any)["first"].(string); !strings.HasPrefix(first, "2026-11-22T23:50:53.") || !strings.HasSuffix(first, "+02:00") {
		t.Errorf("window.first %q, want 2026-11-22T23:50:53… at +02:00, the header's", first)
	}
	found := false
	for _, u := range m["upstreams"].([]any) {
		u := u.(map[string]any)
		if u["name"] == "be_app/s1" {
			found = true
			if u["app_coverage"] != 1.0 {
				t.Errorf("be_app/s1: app coverage %v, want 1 (every 5xx's app lines found)", u["app_coverage"])
			}
		}
	}
	if !found {
		t.Fatalf("no upstream be_app/s1 in %v", m["upstreams"])
	}
	for _, a := range m["advice"].([]any) {
		if a := a.(map[string]any); strings.Contains(a["fix"].(string), "--app-skew") {
			t.Errorf("advice %v: the clocks agree", a)
		}
	}
}

// TestStatusNoneSentIsThreeDigits: HAProxy logs -1 when nothing was sent
// (a client that aborted, CD--); JSON status keys are three digits, and
// no response is "000" as Envoy's 0 is. It was "-1" at the top and in
// upstreams[].status.
func TestStatusNoneSentIsThreeDigits(t *testing.T) {
	inZone(t, "UTC")
	log := writeFiles(t, [2]string{"haproxy.log", `10.0.1.2:33318 [06/Feb/2025:12:14:15.001] http-in be_app/srv1 3183/-1/-1/-1/11215 503 217 - - SC-- 205/202/202/115/3 0/0 "GET /refused?n=2 HTTP/1.1"
10.0.1.2:33334 [06/Feb/2025:12:14:16.600] http-in be_app/srv1 0/0/1/-1/5 -1 0 - - CD-- 1/1/0/0/0 0/0 "GET /clientgone?n=18 HTTP/1.1"
10.0.1.2:33335 [06/Feb/2025:12:14:17.600] http-in be_app/srv1 0/0/1/2/3 200 10 - - ---- 1/1/0/0/0 0/0 "GET /ok?n=19 HTTP/1.1"
`})[0] // [qa]
	m := reportJSON(t, log)
	want := map[string]any{"000": 1.0, "200": 1.0, "503": 1.0}
	check := func(where string, st map[string]any) {
		for k := range st {
			if len(k) != 3 {
				t.Errorf("%s: status key %q is not three digits", where, k)
			}
		}
		for k, v := range want {
			if st[k] != v {
				t.Errorf("%s: status %v, want %v", where, st, want)
				break
			}
		}
	}
	check("status", m["status"].(map[string]any))
	ups := m["upstreams"].([]any)
	if len(ups) != 1 {
		t.Fatalf("upstreams %v, want be_app/srv1 alone", ups)
	}
	check("upstreams[0].status", ups[0].(map[string]any)["status"].(map[string]any))
}

// TestHAProxyStateLinesBesideCustomLogFormatSayWhy: request lines in a
// custom log-format with HAProxy's server state lines among them (the
// first two lines of sources/haproxy/testdata/rfc3164.log, another real
// HAProxy's, in the recorded custom-rfc3164.log after its third line).
// The state lines are read, so the input is HAProxy's, and its input
// line and advice say its request lines are in a layout fivexx does not
// read, with the fix the same lines get alone with --format haproxy: it
// said "0 requests, 26 unparsed", no problem, no advice.
func TestHAProxyStateLinesBesideCustomLogFormatSayWhy(t *testing.T) {
	inZone(t, "UTC")
	recorded := filepath.Join("testdata", "haproxy-syslog", "custom-rfc3164.log")
	data, err := os.ReadFile(recorded)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	state := `<129>Nov 21 07:14:37 localhost haproxy[10752]: Server be_down/srv1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.
<128>Nov 21 07:14:37 localhost haproxy[10752]: backend be_down has no server available!
`
	mixed := writeFiles(t, [2]string{"mixed.log", strings.Join(lines[:3], "") + state + strings.Join(lines[3:], "")})[0]
	alone := reportJSON(t, "--format", "haproxy", recorded)["advice"].([]any)[0].(map[string]any)["fix"]
	for _, flags := range [][]string{nil, {"--format", "haproxy"}} {
		m := reportJSON(t, append(flags, mixed)...)
		in := m["inputs"].([]any)[0].(map[string]any)
		if in["role"] != "proxy" || in["format"] != "haproxy" || in["parsed"] != 6.0 || in["unparsed"] != 26.0 {
			t.Errorf("%q: input %v, want haproxy with its 2 state lines and 4 stop messages parsed, 26 unparsed", flags, in)
		}
		if want := "no request line is in HAProxy's option httplog or httplog clf layout, only its server state lines and messages"; in["problem"] != want {
			t.Errorf("%q: problem %q, want %q", flags, in["problem"], want)
		}
		advice := m["advice"].([]any)[0].(map[string]any)
		if want := mixed + ": none of its request lines is in HAProxy's option httplog or httplog clf layout (26 of its 32 lines unparsed; only its server state lines and messages are read): a custom log-format is read only when it keeps httplog's fields"; advice["problem"] != want {
			t.Errorf("%q: advice %q, want %q", flags, advice["problem"], want)
		}
		if advice["fix"] != alone {
			t.Errorf("%q: fix %q, want the one the same lines get alone: %q", flags, advice["fix"], alone)
		}
	}
}

// TestHAProxySyslogSkewFromSampledIDs pins the header of the
// haproxy-syslog recording (testdata/recordings, HAProxy 2.6.12, option
// httplog behind <PRI> and RFC 3164): "app clock +0s (from 102 ids)",
// where the session-23 build said 103. Both count skew samples, not the
// ids that join: by the truth file and the app log 295 requests could
// give one (241 answered below 500 whose app logged its end, 54 of the
// app's own 500 and 503 whose line logs that status; the 16 refused
// SC-- 503s, the PH-- 502s and the sH-- 504s give none,
// classify.MomentStatus). The estimator takes the first 101 (its median's
// window) and then one look in 64 (skewEstimator.wants), so the count
// after 101 depends on how many looks the engine makes, which fbf8135
// and 9a59ef1 changed. Here 553 looks: HAProxy's time is the request's
// start, ~0.8 ms before the app's end line, so the access entry looks
// first and finds nothing, and the app's end line looks again; of the
// looks 256, 320, 384, 448 and 512 after the 101st sample only 512 was an
// app line's, with its pair: 102. No pair is missed that the rule keeps,
// and the skew is the same (+0s); 102 is right by the rule, and a change
// in how often the engine looks shows here.
func TestHAProxySyslogSkewFromSampledIDs(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("..", "..", "testdata", "recordings", "haproxy-syslog")
	finished := map[string]int{} // request id → the status the app's end line logs
	appLog, err := os.ReadFile(filepath.Join(dir, "app.log"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSpace(string(appLog)), "\n") {
		var a struct {
			RequestID string `json:"request_id"`
			Status    int
		}
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatal(err)
		}
		if a.Status != 0 {
			finished[a.RequestID] = a.Status
		}
	}
	truth, err := os.ReadFile(filepath.Join(dir, "truth.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	pairs := 0
	for _, l := range strings.Split(strings.TrimSpace(string(truth)), "\n") {
		var r struct {
			RequestID string `json:"request_id"`
			Status    int
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		if s, ok := finished[r.RequestID]; ok && (r.Status < 500 || s == r.Status) {
			pairs++
		}
	}
	if pairs != 295 {
		t.Errorf("%d requests could give a skew sample, want 295", pairs)
	}
	code, out, stderr := runCLI("report", filepath.Join(dir, "access.log"), filepath.Join(dir, "app.log"), filepath.Join(dir, "stderr.log"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if first, _, _ := strings.Cut(out, "\n"); !strings.HasSuffix(first, " · app clock +0s (from 102 ids)") {
		t.Errorf("header %q, want the 101 first samples and one of the looks after them: app clock +0s (from 102 ids)", first)
	}
}
