package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fivexx/classify"
)

// HAProxy 2.6.12 with "capture request header X-Request-ID len 64" and an
// app that logs the header as its request_id (recorded; the 5xx lines of
// the QA round's haproxy-shortid). The ids are short and no shape says
// they are ids: they were left out, and the app lines joined by time.
var (
	shortIDAccess = []string{
		`127.0.0.1:36628 [22/Nov/2026:05:50:26.576] fe be_app/s1 0/0/0/0/0 503 49 - - ---- 1/1/0/0/0 0/0 {hap-2-e503} "GET /e503 HTTP/1.1"`,
		`127.0.0.1:36636 [22/Nov/2026:05:50:26.586] fe be_app/s1 0/0/0/0/0 500 49 - - ---- 1/1/0/0/0 0/0 {hap-3-e500} "GET /e500 HTTP/1.1"`,
	}
	shortIDApp = []string{
		`{"time": "2026-11-22T05:50:26.576592Z", "level": "INFO", "msg": "request started", "method": "GET", "path": "/e503", "port": 39101, "request_id": "hap-2-e503"}`,
		`{"time": "2026-11-22T05:50:26.576799Z", "level": "ERROR", "msg": "request finished", "status": 503, "method": "GET", "path": "/e503", "port": 39101, "request_id": "hap-2-e503"}`,
		`{"time": "2026-11-22T05:50:26.587043Z", "level": "INFO", "msg": "request started", "method": "GET", "path": "/e500", "port": 39101, "request_id": "hap-3-e500"}`,
		`{"time": "2026-11-22T05:50:26.587237Z", "level": "ERROR", "msg": "request finished", "status": 500, "method": "GET", "path": "/e500", "port": 39101, "request_id": "hap-3-e500"}`,
	}
)

// capturedEvent is the part of an event the test reads: its evidence
// about the app (the proxy's flags come first, worded by the rules).
type capturedEvent struct {
	cause, confidence, requestID string
	evidence                     []string
}

// hasAll says whether got has every line of want.
func hasAll(got, want []string) bool {
	for _, w := range want {
		if !slices.Contains(got, w) {
			return false
		}
	}
	return true
}

// TestCapturedRequestIDs: a value HAProxy captured is the request id when
// an app line carries it as its own, and then the value in the same place
// of the block is the id of the later 5xx; a captured user agent or host
// never is one (classify/capturedid.go).
func TestCapturedRequestIDs(t *testing.T) {
	withUA := func(lines []string) []string { // "capture request header User-Agent" first
		out := make([]string, len(lines))
		for i, l := range lines {
			out[i] = strings.Replace(l, "{hap-", "{curl/7.88.1|hap-", 1)
		}
		return out
	}
	// The server refused the connection: no app line has its id.
	noSuchID := `127.0.0.1:36648 [22/Nov/2026:05:50:26.596] fe be_app/s1 0/0/-1/-1/3 503 217 - - SC-- 1/1/0/0/3 0/0 {hap-4-refused} "GET /refused HTTP/1.1"`
	tests := []struct {
		name        string
		access, app []string
		want        map[string]capturedEvent
	}{
		{"the id captured alone", shortIDAccess, shortIDApp, map[string]capturedEvent{
			"/e503": {"app_unavailable", "high", "hap-2-e503", []string{`app: finished with 503 (by request id): "request finished"`}},
			"/e500": {"app_error", "high", "hap-3-e500", []string{`app: finished with 500 (by request id): "request finished"`}},
		}},
		{"the id after a captured user agent", withUA(shortIDAccess), shortIDApp, map[string]capturedEvent{
			"/e503": {"app_unavailable", "high", "hap-2-e503", []string{`app: finished with 503 (by request id): "request finished"`}},
			"/e500": {"app_error", "high", "hap-3-e500", []string{`app: finished with 500 (by request id): "request finished"`}},
		}},
		// Its place learned, a value no app line carries is a request id
		// the app did not log.
		{"no app line has one", append(slices.Clone(shortIDAccess), noSuchID), shortIDApp, map[string]capturedEvent{
			"/e503":    {"app_unavailable", "high", "hap-2-e503", []string{`app: finished with 503 (by request id): "request finished"`}},
			"/e500":    {"app_error", "high", "hap-3-e500", []string{`app: finished with 500 (by request id): "request finished"`}},
			"/refused": {"upstream_refused", "high", "hap-4-refused", []string{"app: no app line with request id hap-4-refused before the reading stopped, less than 1 s after the 503"}},
		}},
		// The app logs ids of its own: a captured user agent is no id,
		// and the lines still join by time.
		{"only a user agent captured", []string{
			strings.Replace(shortIDAccess[0], "{hap-2-e503}", "{curl/7.88.1}", 1),
		}, shortIDApp, map[string]capturedEvent{
			"/e503": {"app_unavailable", "high", "", []string{`app: finished with 503 (in the time window): "request finished"`}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			access, app := filepath.Join(dir, "haproxy.log"), filepath.Join(dir, "app.log")
			write(t, access, tt.access)
			write(t, app, tt.app)
			evs, _ := reportEvents(t, access, app)
			got := map[string]capturedEvent{}
			for _, ev := range evs {
				got[ev.Path] = capturedEvent{ev.Cause, ev.Confidence, ev.RequestID, ev.Evidence}
			}
			for path, w := range tt.want {
				g := got[path]
				if g.cause != w.cause || g.confidence != w.confidence || g.requestID != w.requestID || !hasAll(g.evidence, w.evidence) {
					t.Errorf("%s: %s %s id %q %q; want %s %s id %q %q", path, g.cause, g.confidence, g.requestID, g.evidence,
						w.cause, w.confidence, w.requestID, w.evidence)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("%d events, want %d", len(got), len(tt.want))
			}
		})
	}
}

// TestCapturedRequestIDAdvice: the advisor asked to forward a request id
// header that HAProxy captured and the app logged; with captures none of
// whose values the app logs, it says so.
func TestCapturedRequestIDAdvice(t *testing.T) {
	otherIDs := make([]string, len(shortIDApp))
	for i, l := range shortIDApp {
		otherIDs[i] = strings.Replace(strings.Replace(l, `"hap-2-e503"`, `"a1"`, 1), `"hap-3-e500"`, `"a2"`, 1)
	}
	tests := []struct {
		name string
		app  []string
		want []string // problems
	}{
		{"the app logs the captured ids", shortIDApp, nil},
		{"the app logs other ids", otherIDs, []string{
			"no captured request header holds an id the app logs: app lines are matched by time, method and path only (low confidence)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			access, app := filepath.Join(dir, "haproxy.log"), filepath.Join(dir, "app.log")
			write(t, access, shortIDAccess)
			write(t, app, tt.app)
			advice, _ := adviceAndCauses(t, access, app)
			var got []string
			for _, a := range advice {
				got = append(got, a.Problem)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("advice %q, want %q", got, tt.want)
			}
		})
	}
}

func write(t *testing.T, path string, lines []string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// HAProxy 2.6.12 with unique-id-format, unique-id-header X-Request-ID and
// a log-format of httplog plus " %ID" after the request line, in
// Europe/Paris; the app logs the header as its request_id (recorded: the
// QA round's haproxy-custom, session 22).
var (
	uniqueIDAccess = []string{
		`127.0.0.1:56206 [22/Nov/2026:09:59:51.377] fe be_app/s1 0/0/0/2/2 200 117 - - ---- 1/1/0/0/0 0/0 "GET /ok HTTP/1.1" 7F000001DB8E48596B02AF070002`,
		`127.0.0.1:56210 [22/Nov/2026:09:59:51.741] fe be_app/s1 0/0/0/1/1 500 144 - - ---- 1/1/0/0/0 0/0 "GET /e500 HTTP/1.1" 7F000001DB9248596B02AF070003`,
		`127.0.0.1:56230 [22/Nov/2026:09:59:51.764] fe be_app/s1 0/0/0/1/1 503 142 - - ---- 1/1/0/0/0 0/0 "GET /e503 HTTP/1.1" 7F000001DBA648596B02AF070005`,
	}
	uniqueIDApp = []string{
		`{"time": "2026-11-22T08:59:51.380345Z", "level": "info", "msg": "request started", "method": "GET", "path": "/ok", "request_id": "7F000001DB8E48596B02AF070002", "port": 18503}`,
		`{"time": "2026-11-22T08:59:51.380563Z", "level": "info", "msg": "request finished", "status": 200, "duration_ms": 0.2, "method": "GET", "path": "/ok", "request_id": "7F000001DB8E48596B02AF070002", "port": 18503}`,
		`{"time": "2026-11-22T08:59:51.742039Z", "level": "info", "msg": "request started", "method": "GET", "path": "/e500", "request_id": "7F000001DB9248596B02AF070003", "port": 18503}`,
		`{"time": "2026-11-22T08:59:51.742509Z", "level": "error", "msg": "request finished", "status": 500, "duration_ms": 0.5, "method": "GET", "path": "/e500", "request_id": "7F000001DB9248596B02AF070003", "port": 18503}`,
		`{"time": "2026-11-22T08:59:51.765185Z", "level": "info", "msg": "request started", "method": "GET", "path": "/e503", "request_id": "7F000001DBA648596B02AF070005", "port": 18503}`,
		`{"time": "2026-11-22T08:59:51.765342Z", "level": "error", "msg": "request finished", "status": 503, "duration_ms": 0.2, "method": "GET", "path": "/e503", "request_id": "7F000001DBA648596B02AF070005", "port": 18503}`,
	}
)

// TestUniqueIDAfterTheRequestLine: the unique id a custom log-format
// writes after the request line ("%{+Q}r %ID") is the request id when an
// app line carries it, as a captured value is; when none does, the advice
// says the line ends with a field fivexx does not read, rather than that
// neither side logs an id.
func TestUniqueIDAfterTheRequestLine(t *testing.T) {
	inZone(t, "Europe/Paris")
	otherIDs := make([]string, len(uniqueIDApp))
	for i, l := range uniqueIDApp {
		otherIDs[i] = strings.Replace(l, `"request_id": "7F0000`, `"request_id": "a-7F0000`, 1)
	}
	tests := []struct {
		name       string
		app        []string
		wantIDs    map[string]string // path → request_id of its event
		wantCause  map[string]string
		wantAdvice []string
	}{
		{"the app logs the unique id", uniqueIDApp,
			map[string]string{"/e500": "7F000001DB9248596B02AF070003", "/e503": "7F000001DBA648596B02AF070005"},
			map[string]string{"/e500": "app_error high", "/e503": "app_unavailable high"}, nil},
		{"the app logs other ids", otherIDs,
			map[string]string{"/e500": "", "/e503": ""},
			map[string]string{"/e500": "app_error high", "/e503": "app_unavailable high"}, // (the flags and Tr say so)
			[]string{"the proxy's lines end with a field after the request line that fivexx does not read as an id (a custom log-format), and no app line carries its value as its request id: app lines are matched by time, method and path only (low confidence)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			access, app := filepath.Join(dir, "haproxy.log"), filepath.Join(dir, "app.log")
			write(t, access, uniqueIDAccess)
			write(t, app, tt.app)
			evs, _ := reportEvents(t, access, app)
			for _, ev := range evs {
				if ev.RequestID != tt.wantIDs[ev.Path] || ev.Cause+" "+ev.Confidence != tt.wantCause[ev.Path] {
					t.Errorf("%s: id %q, %s %s; want id %q, %s", ev.Path, ev.RequestID, ev.Cause, ev.Confidence, tt.wantIDs[ev.Path], tt.wantCause[ev.Path])
				}
			}
			advice, _ := adviceAndCauses(t, access, app)
			var got []string
			for _, a := range advice {
				got = append(got, a.Problem)
			}
			if !slices.Equal(got, tt.wantAdvice) {
				t.Errorf("advice %q, want %q", got, tt.wantAdvice)
			}
		})
	}
}

// HAProxy 2.6.12 with "capture request header X-Request-ID len 64" and ids
// the client made, not hex (QA s37 qa4 hap2: be_chk's servers DOWN by
// their health checks, be_q's one slot taken): the 5xx the app never saw.
var allDownAccess = []string{
	`127.0.0.1:43968 [24/Nov/2026:04:33:15.542] fe_http be_chk/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 {qa4-hap2-2} "GET /chk/ok?n=2 HTTP/1.1"`,
	`127.0.0.1:43982 [24/Nov/2026:04:33:15.553] fe_http be_chk/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 {qa4-hap2-3} "GET /chk/ok?n=3 HTTP/1.1"`,
	`127.0.0.1:43984 [24/Nov/2026:04:33:15.567] fe_http be_chk/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 2/2/0/0/0 0/0 {qa4-hap2-4} "GET /chk/unavailable?n=4 HTTP/1.1"`,
	`127.0.0.1:43998 [24/Nov/2026:04:33:15.887] fe_http be_q/<NOSRV> 0/502/-1/-1/502 503 217 - - sQ-- 2/2/1/0/0 0/1 {qa4-hap2-5} "GET /q/ok?n=5 HTTP/1.1"`,
	`127.0.0.1:43986 [24/Nov/2026:04:33:15.579] fe_http be_q/q1 0/0/0/-1/1001 504 198 - - sH-- 2/2/1/0/0 0/0 {qa4-q-slow} "GET /q/slow?n=901 HTTP/1.1"`,
}

// allDownCauses are allDownAccess's verdicts, by its flags.
var allDownCauses = []string{"no_healthy_upstream high", "no_healthy_upstream high", "no_healthy_upstream high", "proxy_rejected high", "upstream_timeout high"}

// TestCapturedIDsShownWithoutAppLines: in an incident where no 5xx reached
// the app, no app line told which capture is the id, and none was shown
// (QA s37 L2). From the fourth 5xx on, the place whose values were each
// another and shaped as an id is shown, not joined (the causes are the
// same); a user agent, a host name, a client address or a value that
// repeats never is. A number is never shown (s38 review): a counter
// (unique-id-format %rt) after the request line cannot be told from the
// bytes or a time there. A pool of three values (a tenant header) shows
// none; a value that repeats one shown before, not only the last, ends
// the showing from that line on.
func TestCapturedIDsShownWithoutAppLines(t *testing.T) {
	block := func(lines []string, f func(id string) string) []string {
		out := make([]string, len(lines))
		for i, l := range lines {
			a, rest, _ := strings.Cut(l, "{")
			id, b, _ := strings.Cut(rest, "}")
			out[i] = a + "{" + f(id) + "}" + b
		}
		return out
	}
	real := []string{"", "", "", "qa4-hap2-5", "qa4-q-slow"}
	none := []string{"", "", "", "", ""}
	text, err := os.ReadFile(filepath.Join("testdata", "haproxy-trailing-id", "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	trailing := strings.Split(strings.TrimSpace(string(text)), "\n")
	counter := make([]string, 0, len(trailing))
	var counted []string // the counters of its 5xx, in order
	for _, l := range trailing {
		i := strings.LastIndex(l, `" 7F000001:`)
		if i < 0 {
			counter = append(counter, l)
			continue
		}
		// 7F000001:D934_7F000001:5E83_6B03D9D8_0006:2AF1: %rt is 0006
		f := strings.Split(l[i+2:], "_")
		n, err := strconv.ParseInt(strings.TrimSuffix(f[3], ":2AF1"), 16, 64)
		if err != nil {
			t.Fatal(err)
		}
		l = l[:i+2] + strconv.FormatInt(n, 10)
		counter = append(counter, l)
		if st := strings.Fields(l)[5]; st[0] == '5' {
			counted = append(counted, strconv.FormatInt(n, 10))
		}
	}
	for i := range counted {
		counted[i] = "" // a number: never shown
	}
	more := func(lines []string, n int) []string { // lines, then n more 5xx like its first, the id {qa4-more-N}
		out := slices.Clone(lines)
		for i := range n {
			out = append(out, strings.Replace(lines[0], "{qa4-hap2-2}", fmt.Sprintf("{qa4-more-%d}", i), 1))
		}
		return out
	}
	pool := []string{"tenant-1", "tenant-2", "tenant-3", "tenant-1", "tenant-2", "tenant-3", "tenant-1"}
	sess := []string{"sess_333ab", "sess_222ab", "sess_111ab", "sess_000ab", "sess_444ab", "sess_333ab", "sess_555ab"}
	fromList := func(vals []string) []string {
		ls := more(allDownAccess, len(vals)-len(allDownAccess))
		i := 0
		return block(ls, func(string) string { i++; return vals[i-1] })
	}
	for _, tc := range []struct {
		name   string
		access []string
		want   []string // request_id of each event, in order
	}{
		{"the id captured alone", allDownAccess, real},
		{"the id after a user agent and a host", block(allDownAccess, func(id string) string { return "curl/7.88.1|shop.example.com|" + id }), real},
		{"a user agent and the client's address", block(allDownAccess, func(id string) string {
			return "curl/7.88.1|203.0.113." + strings.TrimPrefix(strings.TrimPrefix(id, "qa4-hap2-"), "qa4-q-")
		}), none},
		{"host names, each another", block(allDownAccess, func(id string) string { return "api-" + id[len(id)-1:] + ".example.com" }), none},
		{"a value the same on two lines", block(allDownAccess, func(id string) string { return "v2.1" }), none},
		{"the id after a capture that varies alike", block(allDownAccess, func(id string) string { return id + "|" + id + "x" }), none},
		{"a counter after the request line", counter, counted},
		{"bytes captured", block(allDownAccess, func(id string) string { return strconv.Itoa(400 + 57*len(id)*int(id[len(id)-1])) }), none},
		{"a pool of three tenants", fromList(pool), make([]string, len(pool))},
		{"a session that comes back", fromList(sess), []string{"", "", "", "sess_000ab", "sess_444ab", "", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			access := filepath.Join(dir, "haproxy.log")
			write(t, access, tc.access)
			evs, _ := reportEvents(t, access)
			var got, causes []string
			for _, ev := range evs {
				got = append(got, ev.RequestID)
				causes = append(causes, ev.Cause+" "+ev.Confidence)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("request ids %q\nwant %q", got, tc.want)
			}
			// Shown, not joined: the flags decide, as without the id.
			if len(tc.access) == len(allDownAccess) && !slices.Equal(causes, allDownCauses) {
				t.Errorf("causes %q\nwant %q", causes, allDownCauses)
			}
		})
	}
}

// TestCapturedIDLearnedFromAnsweredRequests: QA s38 M1, real HAProxy
// 2.6.12 with "capture request header X-Request-ID len 64" in front of an
// app that logs the header as its request_id: 30 requests answered 200,
// the same id on both sides, then the app killed and 74 refused 503s of
// which it logged nothing. No 5xx reached the app to tell which capture
// is the id, so the 503s read "request id  not logged" and the advice
// said that neither side logs one. The requests answered 200 tell it: the
// 503s are joined by their ids, absent from the app log (the app never
// saw them), in the report and live, and the advice says nothing of ids,
// also live before any 503 is judged (QA's 5 s capture).
func TestCapturedIDLearnedFromAnsweredRequests(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("testdata", "qa6-hpcrash")
	access, app := filepath.Join(dir, "access.log"), filepath.Join(dir, "app.log")
	idOfPath := func(path string) string { // /crash?n=7 → qa6-hpcrash-7
		_, n, _ := strings.Cut(path, "?n=")
		return "qa6-hpcrash-" + n
	}
	idsAdvice := func(problems []string) []string {
		var out []string
		for _, p := range problems {
			if strings.Contains(p, "request id") || strings.Contains(p, "captured request header") {
				out = append(out, p)
			}
		}
		return out
	}

	evs, _ := reportEvents(t, access, app)
	if len(evs) != 74 {
		t.Fatalf("%d events, want the 74 refused 503s", len(evs))
	}
	for _, ev := range evs {
		id := idOfPath(ev.Path)
		absent := "app: no app line with request id " + id + " "
		if ev.RequestID != id || ev.Cause+" "+ev.Confidence != "upstream_refused high" ||
			!slices.ContainsFunc(ev.Evidence, func(l string) bool { return strings.HasPrefix(l, absent) }) {
			t.Errorf("%s: id %q, %s %s, evidence %q; want id %s, upstream_refused high, %q…", ev.Path, ev.RequestID, ev.Cause, ev.Confidence, ev.Evidence, id, absent)
		}
	}
	advice, _ := adviceAndCauses(t, access, app)
	var problems []string
	for _, a := range advice {
		problems = append(problems, a.Problem)
	}
	if got := idsAdvice(problems); len(got) > 0 {
		t.Errorf("report advice %q, want none about request ids", got)
	}

	// Live: every 503 judged (15 s after the last line), and at the
	// healthy requests and the crash's first three 503s, none judged yet.
	inf, ins := liveInputs(t, []string{access, app})
	s := liveFeedInputs(t, inf, ins, 0, 0)
	if len(s.Recent) != 74 {
		t.Fatalf("live: %d verdicts, want 74", len(s.Recent))
	}
	for _, v := range s.Recent {
		if id := idOfPath(v.Entry.Path); v.Entry.RequestID != id || v.Cause != classify.UpstreamRefused || !v.AppIDAbsent {
			t.Errorf("live %s: id %q, %s, id absent %v; want id %s, upstream_refused, id absent",
				v.Entry.Path, v.Entry.RequestID, v.Cause, v.AppIDAbsent, id)
		}
	}
	var live []string
	for _, a := range s.Advice {
		live = append(live, a.Problem)
	}
	if got := idsAdvice(live); len(got) > 0 {
		t.Errorf("live advice %q, want none about request ids", got)
	}
	text, err := os.ReadFile(access)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(text), "\n")
	early := filepath.Join(t.TempDir(), "access.log")
	if err := os.WriteFile(early, []byte(strings.Join(lines[:34], "")), 0o644); err != nil { // t1, 30 healthy, 3 crash
		t.Fatal(err)
	}
	inf, ins = liveInputs(t, []string{early, app})
	s = liveFeedFor(t, inf, ins, 0, 0, 0)
	if len(s.Recent) != 0 || s.Pending != 3 {
		t.Fatalf("live at the crash's start: %d verdicts, %d pending; want 0 and 3", len(s.Recent), s.Pending)
	}
	live = live[:0]
	for _, a := range s.Advice {
		live = append(live, a.Problem)
	}
	if got := idsAdvice(live); len(got) > 0 {
		t.Errorf("live advice before any 503 is judged %q, want none about request ids", got)
	}
}
