package classify

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"fivexx/sources"
)

// Snapshot is an immutable copy of everything the UI and the report show.
// The engine publishes a new one on request; readers never share memory
// with the engine's working state.
type Snapshot struct {
	// LogNow is the log clock every pane ends at: the newest log time the
	// engine has seen; live, while no line moves it, run on with the
	// wall clock (screenclock.go).
	LogNow time.Time
	// Wall is the wall-clock time the snapshot was taken (zero in reports).
	Wall time.Time
	// Live says the engine follows inputs as they grow (Config.Live): its
	// log clock should keep up with the wall clock.
	Live bool
	// Window is the length of the rolling window the Window* fields cover.
	Window time.Duration

	Inputs []InputStatus

	// Total counts everything since the start; Windowed counts the rolling window.
	Total    Counts
	Windowed Counts
	// Series holds one bucket per second of the window, oldest first, ending at LogNow.
	Series []Bucket

	// Upstreams are sorted by 5xx count in the window, then by name.
	Upstreams []UpstreamStats

	// Recent holds the newest verdicts, newest last: the newest
	// Config.MaxRecent, and older ones among the newest 100 of their
	// upstream or cause (at most MaxRecent of those).
	Recent []*Verdict

	// Pending is the number of 5xx waiting for late lines before their verdict.
	Pending int
	// AppLag is, live, how late the app's lines come, which every 5xx
	// waits for beyond its windows before its verdict (applag.go).
	AppLag time.Duration
	// AppAwaited is, live, that an app log is read and none of its lines
	// has come since the proxy's first: 5xx wait MaxAppLag beyond their
	// windows for it (applag.go).
	AppAwaited bool
	// Dropped counts what the bounded buffers had to let go.
	Dropped Dropped
	// FarOff counts the requests stamped too far from the log clock for
	// any window.
	FarOff FarOff

	// Advice says what the inputs lack for attribution and how to add it.
	Advice []Advice
	// Lacks is what of the fields that tell who made a 5xx the access
	// logs lack, as the advice decided it (Engine.advice): the report's
	// line for unknown asks for these only.
	Lacks Lacks
	// Alerts are status or cause rates that jumped against their baseline.
	Alerts []Alert

	// First and Last are the first and last log times seen.
	First, Last time.Time

	// AppSkew is how far the app's clock runs from the proxy's.
	AppSkew AppSkew

	// CutAfterHeaders counts the responses the upstream cut after their
	// header (a reset or a timeout during the body) that were no 5xx: the client
	// got the upstream's status and half a body. The error lines and
	// flags that say so, less those that judged a 5xx.
	CutAfterHeaders int64

	// NoStatusLine counts the access lines of status 009: answers with no
	// valid status line, which nginx passed on as HTTP/0.9 (its error
	// log: "upstream sent no valid HTTP/1.0 header"). No 5xx: the client
	// got the upstream's bytes, no HTTP response (NoStatusLineText).
	NoStatusLine int64

	// ErrorFailures is what an error log read without its proxy's access
	// log tells: its lines about a request that give a failure (an
	// upstream's, a limiter's answer; a client's abort left out), by
	// reason, most first. Set only when no access log is read: the 5xx
	// and their statuses are in the access log alone, and "no 5xx"
	// beside an error log full of failures misled.
	ErrorFailures []ReasonCount
	// ErrorStatuses counts the same lines by the status they name, when
	// they name one (Caddy's error entries do, nginx's error lines do
	// not); nil when none does. Set with ErrorFailures.
	ErrorStatuses map[int]int64
}

// ReasonCount is how many error-log lines gave one reason.
type ReasonCount struct {
	Reason sources.Reason
	Lines  int64
}

// reasonSlots is how many reasons failLines counts (sources.Reason's values).
const reasonSlots = 16

// A reason past reasonSlots would not be counted: this fails to compile.
const _ = uint(reasonSlots - 1 - int(sources.ReasonAppFailed))

// failureWords names a reason in a list of failures.
var failureWords = map[sources.Reason]string{
	sources.ReasonRefused:         "refused",
	sources.ReasonDNS:             "name not resolved",
	sources.ReasonTLS:             "tls failed",
	sources.ReasonReset:           "reset",
	sources.ReasonBadResponse:     "bad response",
	sources.ReasonConnectTimeout:  "connect timed out",
	sources.ReasonReadTimeout:     "timed out",
	sources.ReasonNoLiveUpstreams: "no live upstream",
	sources.ReasonRateLimited:     "rate limited",
	sources.ReasonConnLimited:     "connections limited",
	sources.ReasonProxyRejected:   "rejected",
	sources.ReasonAfterHeaders:    "cut after headers",
	sources.ReasonConfig:          "no route",
	sources.ReasonAppFailed:       "app failed",
}

// FailuresText says the failures an error log alone tells of:
// "26 failures: timed out 9, refused 8, …", "" when none.
func FailuresText(fs []ReasonCount) string {
	var n int64
	list := ""
	for i, f := range fs {
		n += f.Lines
		if i > 0 {
			list += ", "
		}
		w := failureWords[f.Reason]
		if w == "" {
			w = f.Reason.String()
		}
		list += w + " " + itoa(int(f.Lines))
	}
	if n == 0 {
		return ""
	}
	word := " failures: "
	if n == 1 {
		word = " failure: "
	}
	return itoa(int(n)) + word + list
}

// StatusesText says the statuses an error log alone names, lowest first:
// "502 7, 503 2, 504 2", "" when it names none (Snapshot.ErrorStatuses).
func StatusesText(m map[int]int64) string {
	codes := slices.Sorted(maps.Keys(m))
	list := ""
	for _, c := range codes {
		if m[c] <= 0 {
			continue
		}
		if list != "" {
			list += ", "
		}
		list += itoa(c) + " " + itoa(int(m[c]))
	}
	return list
}

// AppSkew is the app-versus-proxy clock offset the time-window join applies.
type AppSkew struct {
	Skew    time.Duration // app clock minus proxy clock
	Samples int           // request-id matches it was estimated from
	Fixed   bool          // given with --app-skew
	// Paths says the samples are requests paired by method, target and
	// status, not by id (no id joins: pathskew.go).
	Paths bool
	// Heads says the skew is the one the logs' heads told before reading,
	// which the merge took off the app's times (sources.Input.SetMergeShift),
	// and no sample came since: ids the engine takes only as it judges a
	// 5xx (HAProxy's trailing %ID, classify/capturedid.go) give none.
	Heads bool
	// ProxyZone names the zone the proxy's zone-less stamps were most
	// likely written in ("UTC+01:00"), when the skew is a whole number of
	// half hours (proxyzone.go); "" otherwise.
	ProxyZone string
}

// String says it for a header: "app clock +3.0s (from 101 ids)", "" when none is known.
func (s AppSkew) String() string {
	switch {
	case s.Fixed:
		return "app clock " + signed(s.Skew) + " (--app-skew)"
	case s.Samples == 0 && s.Heads && s.Skew != 0:
		return "app clock " + signed(s.Skew) + " (from the logs' heads)"
	case s.Samples == 0:
		return ""
	}
	if s.ProxyZone != "" {
		return "proxy log likely written in " + s.ProxyZone + ", not TZ (ids: app clock " + signed(s.Skew) + "): run with " + tzFor(s.ProxyZone)
	}
	if s.Paths {
		return "app clock " + signed(s.Skew) + " (from " + itoa(s.Samples) + " unique paths)"
	}
	return "app clock " + signed(s.Skew) + " (from " + itoa(s.Samples) + " ids)"
}

func signed(d time.Duration) string {
	if d >= 0 {
		return "+" + d.String()
	}
	return d.String()
}

// Counts are request totals by status and by cause.
type Counts struct {
	Requests int64
	// Status counts the requests by status. The totals list every status;
	// the window (counted per second, where a map per status would not
	// fit) lists only 500, 502, 503, 504 and 429, and its other 5xx are
	// in OtherFivexx.
	Status map[int]int64
	// OtherFivexx counts the 5xx (500-599) that Status does not list:
	// Cloudflare's 520-530, 501, 505… of a window. Without it the
	// screens' 5xx share left them out (37 % beside the report's 84 %).
	OtherFivexx int64
	Causes      map[Cause]int64
}

// Fivexx counts every 5xx (500-599) in c: those Status lists and the
// others.
func (c Counts) Fivexx() int64 {
	n := c.OtherFivexx
	for code, k := range c.Status {
		if code >= 500 && code <= 599 {
			n += k
		}
	}
	return n
}

// Bucket is one second of traffic.
type Bucket struct {
	Time     time.Time
	Requests int64
	// Status counts 500, 502, 503, 504 and 429; other statuses are only in Requests.
	S500, S502, S503, S504, S429 int64
	S5xx                         int64 // every status from 500 to 599
}

// UpstreamStats is the per-upstream breakdown.
type UpstreamStats struct {
	Name string
	// Total and Windowed as in Snapshot.
	Total    Counts
	Windowed Counts
	// ReqPerSec is the request rate over the last RateSpan of log time,
	// the rates pane's.
	ReqPerSec float64
	// Latency percentiles of the request time in milliseconds; -1 when unknown.
	P50, P95, P99 float64
	// FivexxWithApp counts the 5xx (total) that had matching app lines.
	FivexxWithApp int64
	// Fivexx counts the 5xx (total) that got a verdict.
	Fivexx int64
	// WindowFivexx and WindowFivexxWithApp are Fivexx and FivexxWithApp
	// over the window, the seconds Windowed counts: the UI's app log
	// column, beside the window's 5xx.
	WindowFivexx, WindowFivexxWithApp int64
	// DominantCause is the most frequent cause in the window ("" when none);
	// for an upstream with no 5xx of its own in the window but failed
	// attempts there, the most frequent cause of those attempts (over
	// the whole run).
	DominantCause Cause
	// RecentCause is the most frequent cause of its 5xx of the last 20 to
	// 30 s of log time (the 10-second slots that start in the last 30 s;
	// "" when none, and in a report): the upstream table's cause, where the
	// window's lagged minutes behind a cause that changed (QA s38 L1).
	RecentCause Cause
	// CauseEarlier says the upstream had 5xx with a cause in the window but
	// none in those last 20 to 30 s: its DominantCause is of earlier ones
	// (the table says "was upstream_timeout").
	CauseEarlier bool
	// FailedAttempts counts the attempts that went to this upstream and
	// that the proxy retried elsewhere (every address of a request's
	// $upstream_addr but the last): the request itself is counted under
	// its last upstream only. WindowFailedAttempts is FailedAttempts over
	// the window.
	FailedAttempts, WindowFailedAttempts int64
	// Names is, for "(other)" alone, how many upstreams it counts
	// requests or failed attempts of (those given no row past the cap,
	// and the rows folded into it to make room for one that failed), up
	// to 10,000; NamesMore says there were more.
	Names     int64
	NamesMore bool
	// AppLog is false when no app line was read (no app log, or one that
	// is empty or none of whose lines read as an app's): coverage is then
	// unknown, not 0.
	AppLog bool
}

// AppCoverage is the share of this upstream's 5xx with matching app lines, 0..1;
// -1 when it had no 5xx or no app line was read.
func (u UpstreamStats) AppCoverage() float64 {
	if u.Fivexx == 0 || !u.AppLog {
		return -1
	}
	return float64(u.FivexxWithApp) / float64(u.Fivexx)
}

// WindowAppCoverage is AppCoverage over the window (WindowFivexx): -1 when
// the window holds no 5xx with a verdict or no app line was read. A report's
// app_coverage is AppCoverage, over the whole input.
func (u UpstreamStats) WindowAppCoverage() float64 {
	if u.WindowFivexx == 0 || !u.AppLog {
		return -1
	}
	return float64(u.WindowFivexxWithApp) / float64(u.WindowFivexx)
}

// WindowReachedNoApp reports whether every 5xx of the window with a
// verdict was the proxy's own with no upstream contacted: refused on its
// own (proxy_rejected: a limiter, return 503) or with no server to send
// to (no_healthy_upstream). No app line is expected for them, so the UI
// shows "—", not an app coverage of 0 % (the demo's overload "-" row,
// QA s35 L3). The report's app_coverage stays as its contract says:
// null only for no 5xx or no app line read.
func (u UpstreamStats) WindowReachedNoApp() bool {
	c := u.Windowed.Causes
	if c[ProxyRejected]+c[NoHealthyUpstream] == 0 {
		return false
	}
	for cause, n := range c {
		if n > 0 && cause != ProxyRejected && cause != NoHealthyUpstream {
			return false
		}
	}
	return true
}

// ShareText formats a share in 0..1 as a percentage in at most 5 cells,
// as the screens and the text report show it: one decimal under 10 %, and
// a share that is not zero never reads as 0 %. The report rounded an app
// coverage of 0.5 % to "0%" beside the UI's "0.5%" (QA s27), and "0%"
// reads as an app log not read at all.
func ShareText(f float64) string {
	switch {
	case f <= 0 || math.IsNaN(f):
		return "0%"
	case f < 0.001:
		return "<0.1%"
	case f < 0.1:
		return fmt.Sprintf("%.1f%%", f*100)
	}
	return fmt.Sprintf("%.0f%%", f*100)
}

// InputStatus is the state of one input.
type InputStatus struct {
	Path string
	// Service is the NAME an app log was given with (--app NAME=FILE),
	// "" when none was: it labels the input wherever it is shown.
	Service string
	Role    sources.Role
	Format  string
	// State is what the input is doing: "following" ("following +rotated"
	// while a file renamed away is still read), "waiting for file",
	// "deleted (waiting for a new file)",
	// "rotated", "reopened", "truncated", "read error: ...", "done"; in a
	// replay "playing 42%" until its last line has been played (Engine.ShowPlayed).
	State    string
	Lines    int64
	Parsed   int64
	Unparsed int64
	// Startup counts the proxy's startup lines its parser does not read
	// (the nginx image's entrypoint lines): skipped, not unparsed.
	Startup int64
	// LinesPerSec is over the last RateSpan, as the rates pane's rates:
	// an access log's of its lines' own times, as the rates count their
	// requests; live, the other inputs' of wall time, of the lines read;
	// in a replay, of the lines played (0 in reports).
	LinesPerSec float64
	// LastLine is the log time of the newest parsed line.
	LastLine time.Time
	// Samples holds a few unparsed lines, as read (sanitize before showing).
	Samples []string
	// Repeated counts the input's last lines left unread because they are
	// the first lines of another input, RepeatedIn (its label), read there
	// (sources.Spec.StopAt).
	Repeated   int64
	RepeatedIn string
	// TooLong counts lines cut because they exceeded the line limit.
	TooLong int64
	// Bytes read so far and Size of the file (0 when unknown), for progress.
	Bytes, Size int64
	// NULs counts the NUL bytes dropped at the start of lines in a read to
	// the end: an input of NULs alone has no line but is not empty.
	NULs int64
	// Blank and Continued count the lines neither parsed, unparsed nor
	// startup: blank ones, and those read into another line's record
	// (sources.Counters). BOM: the input began with a byte-order mark.
	Blank, Continued int64
	BOM              bool
}

// Dropped counts what bounded memory let go. Only Pending and Short can
// change a verdict: a line evicted by the cap after every 5xx that could
// join it was judged (the app lines of a burst of 2xx) loses nothing.
type Dropped struct {
	Pending  int64 // 5xx judged early because the pending queue was full, without an error-log line or an id join of their own
	Short    int64 // 5xx judged after the line cap had evicted lines inside their window
	AppLines int64 // app lines evicted by the line cap before the retention ended
	Errors   int64 // error-log lines evicted by the line cap before the retention ended
	// Behind counts the 5xx judged without an error-log line or an id
	// join whose access line came after the retention had let go of an
	// app or error line of their time: an access log out of time order
	// by more than the retention (agedout.go).
	Behind int64
}

// Lossy says whether some verdicts may be guesses because of the caps.
func (d Dropped) Lossy() bool { return d.Pending+d.Short > 0 }

// Summary says in one line what the caps cost, or "" when nothing a
// verdict could have used was let go.
func (d Dropped) Summary() string {
	if !d.Lossy() {
		return ""
	}
	return fmt.Sprintf("%d 5xx judged early (pending queue full) and %d judged after the line cap evicted lines in their window (%d app, %d error lines evicted): their causes may be guesses",
		d.Pending, d.Short, d.AppLines, d.Errors)
}

// BehindSummary says in one line how many 5xx were judged after the
// retention had let go of the lines of their time (Behind), or "".
func (d Dropped) BehindSummary() string {
	if d.Behind == 0 {
		return ""
	}
	return fmt.Sprintf("%d 5xx judged without the error-log and app lines of their time: their access lines came minutes out of time order, after those lines were let go; their causes may be guesses (put the access log's lines in time order)", d.Behind)
}

// Lacks is what the advice found the access logs without: the fields
// that tell who made a 5xx (attributionFields; the advice "the access log
// has no $upstream_status/…") of some proxy's, and request ids on both
// sides (the advice "no request id on both sides").
// ErrorLogUnasked is that the advice asks for no error log (one is read,
// or the proxy has none that would tell: Cloudflare, Envoy, Traefik).
// TraefikOwnLog is what of Traefik's own log, which tells its own
// 502/504/500, the advice asks for: "Traefik's own log at DEBUG", "run
// Traefik at DEBUG (--log.level=DEBUG)" where the one read has no DEBUG
// line (a clause of its own, not one more thing to add), or "Traefik's
// own log of the access log's hours" where the one read told other 5xx;
// "" for none.
type Lacks struct {
	UpstreamFields, RequestIDs bool
	ErrorLogUnasked            bool
	TraefikOwnLog              string
}

// Traefik's own log as the Causes table's unknown line asks for it
// (Lacks.TraefikOwnLog).
const (
	traefikLogAtDebug = "Traefik's own log at DEBUG"
	traefikLogOfHours = "Traefik's own log of the access log's hours"
	// Read, but not at DEBUG: "add" it again would ask for what was
	// given (s38 review L5).
	traefikLogRunAtDebug = "run Traefik at DEBUG (--log.level=DEBUG)"
)

// Advice is one gap in the inputs and the exact fix.
type Advice struct {
	Problem string // what is missing and which verdicts are therefore guesses
	Fix     string // the line to add (a log_format, a proxy_set_header ...)
}

// Alert is a status or cause rate that jumped against its recent baseline.
type Alert struct {
	Time     time.Time
	Upstream string // "" for all upstreams
	Status   int    // 0 when the alert is about a cause
	Cause    Cause
	Count    int64         // in the last Span
	Attempts int64         // of Count, earlier attempts of requests retried on another server
	Span     time.Duration // e.g. 30 s
	Factor   float64       // against the baseline rate
	Text     string        // "502 ×12 in the last 30 s on 10.0.0.3:8080 — upstream_refused", "… on 10.0.1.13:8080 (9 of them failed attempts retried elsewhere) — …"
}
