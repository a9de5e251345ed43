package lab

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"fivexx/classify"
)

// Truth is one line of truth.jsonl: a request the client sent, what it got,
// and the cause fivexx is expected to report for it.
type Truth struct {
	N         int    `json:"n"`
	RequestID string `json:"request_id"`
	Method    string `json:"method"`
	Path      string `json:"path"`
	Fault     Fault  `json:"fault"`
	Status    int    `json:"status"`
	// ExpectedCause is "" when Status is not 5xx.
	ExpectedCause classify.Cause `json:"expected_cause"`
	// FaultCause is what the injected fault alone predicts; it differs from
	// ExpectedCause when the proxy never reached the fault (no live
	// upstreams) or retried elsewhere.
	FaultCause classify.Cause `json:"fault_cause,omitempty"`
	// DecidedBy names the evidence ExpectedCause rests on: "app_log" (the
	// app logged this status for this request), "nginx_error_log",
	// "haproxy_flags", "caddy_error_log", or "none".
	DecidedBy string `json:"decided_by,omitempty"`
	// Account is the proxy report ExpectedCause was taken from (when
	// DecidedBy names the proxy).
	Account string `json:"account,omitempty"`
	// ProxyReports is every failure report the proxy wrote for this request,
	// oldest first: nginx error-log messages (one per failed attempt), the
	// HAProxy server, flags and timers, Caddy http.log.error messages. A
	// request answered 200 after a retry has reports too.
	ProxyReports []string `json:"proxy_reports,omitempty"`
	Scenario     string   `json:"scenario"`
	// Time is when the client sent the request (RFC 3339, UTC).
	Time       string  `json:"time"`
	DurationMS float64 `json:"duration_ms"`
	// Error is the client's transport error when Status is 0.
	Error string `json:"error,omitempty"`
}

// FaultCause returns the cause a fault produces when the proxy reaches it and
// reports it as such; "" for faults that answer 2xx.
func FaultCause(f Fault) classify.Cause {
	switch f {
	case FaultUnavailable:
		return classify.AppUnavailable
	case FaultError:
		return classify.AppError
	case FaultSlow:
		return classify.UpstreamTimeout
	case FaultHangup, FaultReset, FaultCrash:
		return classify.UpstreamReset
	case FaultBadHeader, FaultBigHeader:
		return classify.UpstreamBadResponse
	case FaultLimited:
		return classify.ProxyRejected
	}
	return ""
}

// report is one failure report of a proxy about one request.
type report struct {
	cause classify.Cause
	text  string
}

// account is everything a proxy reported about one request, oldest first.
type account struct {
	reports []report
	source  string
}

// deciding returns the report the request's cause comes from: the last one,
// except that a final "no live upstreams" after a failed attempt is nginx
// finding nothing left to retry on, so the failure before it decides.
func (a account) deciding() report {
	for i := len(a.reports) - 1; i >= 0; i-- {
		if a.reports[i].cause != classify.NoHealthyUpstream {
			return a.reports[i]
		}
	}
	return a.reports[len(a.reports)-1]
}

// Evidence holds what the proxy and the app logged, keyed by request
// sequence number (the ?n= query every lab request carries).
type Evidence struct {
	proxy map[int]account
	// appStatus holds the 5xx statuses the app logged in "request finished"
	// lines, per request.
	appStatus map[int][]int
	// started and finished count the app's "request started" and "request
	// finished" lines per request (one per attempt that reached an instance).
	started, finished map[int]int
}

// ReadEvidence reads the logs of one recording: kind is "nginx", "haproxy"
// or "caddy"; accessLog and errorLog are the proxy's files ("" when it has
// none); appLog is the app log (JSON or plain text).
func ReadEvidence(kind, accessLog, errorLog, appLog string) (*Evidence, error) {
	ev := &Evidence{
		proxy: map[int]account{}, appStatus: map[int][]int{},
		started: map[int]int{}, finished: map[int]int{},
	}
	var err error
	switch kind {
	case "nginx":
		err = eachLine(errorLog, ev.addNginxError)
	case "haproxy":
		err = eachLine(accessLog, ev.addHAProxy)
	case "caddy":
		err = eachLine(errorLog, ev.addCaddyError)
	default:
		err = fmt.Errorf("unknown proxy %q", kind)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s evidence: %w", kind, err)
	}
	if err := eachLine(appLog, ev.addApp); err != nil {
		return nil, fmt.Errorf("read app evidence: %w", err)
	}
	return ev, nil
}

// Decide returns the truth line for one client result. The rules, in order:
//  1. status not 5xx (or no response): no cause.
//  2. the app logged "request finished" with this very status for this
//     request: app_unavailable for 503, app_error otherwise.
//  3. the proxy reported a failure for this request: the cause of its last
//     report (nginx error log, HAProxy termination flags, Caddy
//     http.log.error entry), skipping a final nginx "no live upstreams"
//     that only says a failed attempt had nowhere left to be retried.
//  4. but when that report is a refusal or "no healthy upstream" while the
//     app logged "request started" for this request and never finished it,
//     an attempt did reach an instance and died there; the proxy's last
//     words are about a retry (nginx and HAProxy retry elsewhere, Go's
//     transport inside Caddy re-dials the crashed port). The cause is what
//     the fault does to a connection (upstream_reset for crash, hangup,
//     reset; upstream_bad_response for a bad header), and upstream_reset for
//     a request killed by another request's crash or a backend kill.
//  5. otherwise unknown.
func (ev *Evidence) Decide(r Result) Truth {
	t := Truth{
		N: r.N, RequestID: r.RequestID, Method: r.Method, Path: r.Path, Fault: r.Fault,
		Status: r.Status, FaultCause: FaultCause(r.Fault), Scenario: r.Scenario,
		Time:       r.Sent.UTC().Format(time.RFC3339Nano),
		DurationMS: float64(r.Duration.Microseconds()) / 1000,
		Error:      r.Err,
	}
	acc, hasAcc := ev.proxy[r.N]
	for _, rep := range acc.reports {
		t.ProxyReports = append(t.ProxyReports, rep.text)
	}
	if r.Status < 500 {
		return t
	}
	for _, s := range ev.appStatus[r.N] {
		if s == r.Status {
			t.DecidedBy = "app_log"
			t.ExpectedCause = classify.AppError
			if s == 503 {
				t.ExpectedCause = classify.AppUnavailable
			}
			return t
		}
	}
	if hasAcc {
		d := acc.deciding()
		t.DecidedBy, t.ExpectedCause, t.Account = acc.source, d.cause, d.text
		unanswered := ev.started[r.N] > ev.finished[r.N]
		if unanswered && (d.cause == classify.UpstreamRefused || d.cause == classify.NoHealthyUpstream) {
			t.DecidedBy = acc.source + "+app_log"
			t.ExpectedCause = classify.UpstreamReset
			if fc := FaultCause(r.Fault); fc == classify.UpstreamBadResponse {
				t.ExpectedCause = fc
			}
		}
		return t
	}
	t.DecidedBy, t.ExpectedCause = "none", classify.Unknown
	return t
}

// seqOf returns the n=SEQ of a request target, or 0.
func seqOf(target string) int {
	_, q, ok := strings.Cut(target, "?")
	if !ok {
		return 0
	}
	v, err := url.ParseQuery(q)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(v.Get("n"))
	return n
}

var (
	nginxErrorRe   = regexp.MustCompile(`^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[(\w+)\] \d+#\d+: \*\d+ (.*?)(?:, client: .*)?$`)
	nginxRequestRe = regexp.MustCompile(`, request: "\S+ (\S+) [^"]*"`)
)

func (ev *Evidence) addNginxError(line string) {
	m := nginxErrorRe.FindStringSubmatch(line)
	rm := nginxRequestRe.FindStringSubmatch(line)
	if m == nil || rm == nil {
		return
	}
	n := seqOf(rm[1])
	msg := m[2]
	// The [warn] "temporarily disabled" line follows a failure of the same
	// attempt; it is not a failure of its own.
	if n == 0 || strings.Contains(msg, "upstream server temporarily disabled") {
		return
	}
	a := ev.proxy[n]
	a.reports = append(a.reports, report{cause: NginxCause(msg), text: msg})
	a.source = "nginx_error_log"
	ev.proxy[n] = a
}

// NginxCause maps an nginx error-log message to the cause it reports.
func NginxCause(msg string) classify.Cause {
	switch {
	case strings.Contains(msg, "no live upstreams"):
		return classify.NoHealthyUpstream
	case strings.Contains(msg, "limiting requests"), strings.Contains(msg, "limiting connections"):
		return classify.ProxyRejected
	case strings.Contains(msg, "upstream timed out"):
		return classify.UpstreamTimeout
	case strings.Contains(msg, "(111: "):
		return classify.UpstreamRefused
	case strings.Contains(msg, "prematurely closed"), strings.Contains(msg, "(104: "), strings.Contains(msg, "(32: "):
		return classify.UpstreamReset
	case strings.Contains(msg, "upstream sent"):
		return classify.UpstreamBadResponse
	}
	return classify.Unknown
}

// haproxyRe matches an option httplog line (raw or behind a syslog header):
// backend/server, the five timers, status, termination state, the
// connection counters (retries last) and the request line.
var haproxyRe = regexp.MustCompile(`\] \S+ (\S+/\S+) (-?\d+/-?\d+/-?\d+/-?\d+/\+?-?\d+) (-?\d+) \+?\d+ \S+ \S+ (\S{4}) \d+/\d+/\d+/\d+/(\+?\d+) .*"\S+ (\S+) [^"]*"$`)

func (ev *Evidence) addHAProxy(line string) {
	m := haproxyRe.FindStringSubmatch(line)
	if m == nil {
		return
	}
	n := seqOf(m[6])
	if n == 0 {
		return
	}
	server, timers, flags := m[1], m[2], m[4]
	cause := HAProxyCause(flags, server)
	if cause == "" {
		return // normal termination: the status is what the server sent
	}
	text := server + " " + flags + " " + timers
	if m[5] != "0" {
		text += " retries=" + m[5]
	}
	ev.proxy[n] = account{reports: []report{{cause: cause, text: text}}, source: "haproxy_flags"}
}

// HAProxyCause maps HAProxy's termination state (and server name) to the
// cause it reports; "" when the session ended normally.
func HAProxyCause(flags, server string) classify.Cause {
	if len(flags) < 2 || flags[0] == '-' {
		return ""
	}
	switch flags[:2] {
	case "SC":
		if strings.HasSuffix(server, "/<NOSRV>") {
			return classify.NoHealthyUpstream
		}
		return classify.UpstreamRefused
	case "sC", "sH":
		return classify.UpstreamTimeout
	case "SH":
		return classify.UpstreamReset
	case "PH":
		return classify.UpstreamBadResponse
	case "PR", "PT", "sQ", "RC":
		return classify.ProxyRejected
	}
	return classify.Unknown
}

func (ev *Evidence) addCaddyError(line string) {
	var e struct {
		Logger  string `json:"logger"`
		Msg     string `json:"msg"`
		Request struct {
			URI string `json:"uri"`
		} `json:"request"`
	}
	if json.Unmarshal([]byte(line), &e) != nil || e.Logger != "http.log.error" {
		return
	}
	n := seqOf(e.Request.URI)
	if n == 0 {
		return
	}
	a := ev.proxy[n]
	a.reports = append(a.reports, report{cause: CaddyCause(e.Msg), text: e.Msg})
	a.source = "caddy_error_log"
	ev.proxy[n] = a
}

// CaddyCause maps a Caddy http.log.error message to the cause it reports.
func CaddyCause(msg string) classify.Cause {
	switch {
	case strings.Contains(msg, "no upstreams available"):
		return classify.NoHealthyUpstream
	case strings.Contains(msg, "connection refused"):
		return classify.UpstreamRefused
	case strings.Contains(msg, "malformed"), strings.Contains(msg, "headers exceeded"):
		return classify.UpstreamBadResponse
	case strings.Contains(msg, "timeout"), strings.Contains(msg, "deadline exceeded"):
		return classify.UpstreamTimeout
	case strings.Contains(msg, "EOF"), strings.Contains(msg, "connection reset"), strings.Contains(msg, "broken pipe"):
		return classify.UpstreamReset
	}
	return classify.Unknown
}

func (ev *Evidence) addApp(line string) {
	var msg, path string
	var status int
	if strings.HasPrefix(line, "{") {
		var e struct {
			Msg    string `json:"msg"`
			Path   string `json:"path"`
			Status int    `json:"status"`
		}
		if json.Unmarshal([]byte(line), &e) != nil {
			return
		}
		msg, path, status = e.Msg, e.Path, e.Status
	} else {
		switch {
		case strings.Contains(line, " "+MsgStarted+" "):
			msg = MsgStarted
		case strings.Contains(line, " "+MsgFinished+" "):
			msg = MsgFinished
		default:
			return
		}
		for _, f := range strings.Fields(line) {
			if v, ok := strings.CutPrefix(f, "path="); ok {
				path = v
			} else if v, ok := strings.CutPrefix(f, "status="); ok {
				status, _ = strconv.Atoi(v)
			}
		}
	}
	n := seqOf(path)
	if n == 0 {
		return
	}
	switch msg {
	case MsgStarted:
		ev.started[n]++
	case MsgFinished:
		ev.finished[n]++
		if status >= 500 {
			ev.appStatus[n] = append(ev.appStatus[n], status)
		}
	}
}

// eachLine calls fn for every line of path; "" is no file.
func eachLine(path string, fn func(string)) error {
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return scanLines(f, fn)
}

func scanLines(r io.Reader, fn func(string)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for sc.Scan() {
		fn(sc.Text())
	}
	return sc.Err()
}

// WriteTruth writes truth lines as JSON lines.
func WriteTruth(w io.Writer, lines []Truth) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, t := range lines {
		if err := enc.Encode(t); err != nil {
			return fmt.Errorf("write truth: %w", err)
		}
	}
	return nil
}
