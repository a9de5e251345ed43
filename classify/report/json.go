// Package report writes the headless report: a text summary, one JSON
// object, or NDJSON events. Its keys are a contract scripts rely on.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"fivexx/classify"
)

// Input is one input in the JSON report.
type Input struct {
	Path string `json:"path"`
	// Service is the NAME an app log was given with (--app NAME=FILE):
	// absent when none was.
	Service  string `json:"service,omitempty"`
	Role     string `json:"role"`
	Format   string `json:"format"`
	Lines    int64  `json:"lines"`
	Parsed   int64  `json:"parsed"`
	Unparsed int64  `json:"unparsed"`
	// Startup counts the proxy's startup lines that were skipped, read
	// as no request and no unparsed line: absent when there are none.
	Startup int64 `json:"startup,omitempty"`
	// Blank and Continued count the lines that are neither parsed,
	// unparsed nor startup, so that lines is the sum of the five: blank
	// lines (white space alone, or NUL bytes or a byte-order mark alone,
	// dropped), and lines read into another line's record (an app's stack
	// traces, a container log's partial lines). Absent when there are
	// none.
	Blank     int64 `json:"blank,omitempty"`
	Continued int64 `json:"continued,omitempty"`
	// LinesCut counts the lines over 1 MiB, each cut to its first 1 MiB
	// and read so (most then count as unparsed): absent when there are
	// none. Only the text report said so.
	LinesCut int64 `json:"lines_cut,omitempty"`
	// LinesRepeated counts the input's last lines not read because they
	// are the first lines of another input, RepeatedIn (its path), read
	// there: two overlapping captures of one log. lines leaves them out;
	// both absent when there are none.
	LinesRepeated int64  `json:"lines_repeated,omitempty"`
	RepeatedIn    string `json:"repeated_in,omitempty"`
	// Problem says why an input was not read as it should be (its format
	// not recognised, a --format that needs a log_format): absent when
	// there is none.
	Problem string `json:"problem,omitempty"`
}

// Latency holds percentiles in milliseconds (null when unknown).
type Latency struct {
	P50 *float64 `json:"p50"`
	P95 *float64 `json:"p95"`
	P99 *float64 `json:"p99"`
}

// Upstream is one upstream in the JSON report.
type Upstream struct {
	Name        string           `json:"name"`
	Requests    int64            `json:"requests"`
	Status      map[string]int64 `json:"status"`
	Causes      map[string]int64 `json:"causes"`
	LatencyMs   Latency          `json:"latency_ms"`
	AppCoverage *float64         `json:"app_coverage"`
	// FailedAttempts counts the attempts that went to this upstream and
	// that the proxy retried elsewhere (classify.UpstreamStats), left out
	// when none: an upstream that refused every first attempt had no 5xx
	// of its own.
	FailedAttempts int64 `json:"failed_attempts,omitempty"`
	// Upstreams is, for "(other)" alone, how many upstreams it counts
	// (classify.UpstreamStats.Names): 10000 means 10,000 or more.
	Upstreams int64 `json:"upstreams,omitempty"`
}

// Window is the log time the report covers.
type Window struct {
	First string `json:"first"`
	Last  string `json:"last"`
}

// Advice is one gap in the inputs and its fix.
type Advice struct {
	Problem string `json:"problem"`
	Fix     string `json:"fix"`
}

// Summary is the whole JSON report.
type Summary struct {
	Inputs    []Input          `json:"inputs"`
	Requests  int64            `json:"requests"`
	Status    map[string]int64 `json:"status"`
	Causes    map[string]int64 `json:"causes"`
	Upstreams []Upstream       `json:"upstreams"`
	Window    Window           `json:"window"`
	Advice    []Advice         `json:"advice"`
	// CutAfterHeaders counts the responses below 500 the upstream cut
	// after their header (Snapshot.CutAfterHeaders); left out when none.
	CutAfterHeaders int64 `json:"cut_after_headers,omitempty"`
	// NoStatusLine counts the answers nginx passed on as HTTP/0.9, status
	// 009 (Snapshot.NoStatusLine); left out when none.
	NoStatusLine int64 `json:"no_status_line,omitempty"`
	// ErrorLogFailures, when no proxy access log is read, counts the
	// error log's lines about a request by their reason
	// (Snapshot.ErrorFailures): "refused", "read_timeout" (the names of
	// sources.Reason); left out when an access log is read or the error
	// log tells of none.
	ErrorLogFailures map[string]int64 `json:"error_log_failures,omitempty"`
	// ErrorLogStatuses counts the same lines by the status they name
	// (Snapshot.ErrorStatuses: Caddy's error entries name one, nginx's
	// error lines none), "502": 7; left out when none names one.
	ErrorLogStatuses map[string]int64 `json:"error_log_statuses,omitempty"`
}

func statusMap(m map[int]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[statusKey(k)] += v // HAProxy's -1 and Envoy's 0 are one key
	}
	return out
}

// statusKey is a status as the proxy wrote it, in three digits (the
// report contract): nginx's 009 (an HTTP/0.9 request passed through) is
// "009", not "9". No response sent is "000": Envoy logs 0, HAProxy -1
// (a client that aborted before the answer, CD--), which was "-1".
func statusKey(code int) string {
	switch {
	case code < 0:
		return "000"
	case code < 100:
		return fmt.Sprintf("%03d", code)
	}
	return strconv.Itoa(code)
}

// NoUpstream is the upstream of a request that reached none (nginx's
// return 503, a limiter's 429): "-" in upstreams[].name and in an event's
// upstream alike, so that the two join. HAProxy's NOSRV is not one: it
// keeps the backend it logs, BACKEND/<NOSRV>, which says which backend
// had no server (both places alike too).
const NoUpstream = "-"

func causeMap(m map[classify.Cause]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[string(k)] = v
	}
	return out
}

func ms(v float64) *float64 {
	if v < 0 {
		return nil
	}
	r := float64(int64(v*100+0.5)) / 100
	return &r
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

// eventTimeLayout is RFC 3339 with the fraction always to the
// millisecond: one width for every event of a log, so that sorting the
// strings sorts the times. RFC3339Nano drops trailing zeros, and wrote
// "07:09:42.1Z" beside "07:09:41.101Z" (Envoy's millisecond stamps),
// which a string sort put first. Milliseconds are what the UI shows of a
// request's time, and most proxies log no finer.
const eventTimeLayout = "2006-01-02T15:04:05.000Z07:00"

// eventTime is an event's time in eventTimeLayout, in the log's own
// offset; "" for none.
func eventTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(eventTimeLayout)
}

// Build turns a snapshot into the JSON summary (totals, not the window).
func Build(s *classify.Snapshot) Summary {
	out := Summary{
		Requests:        s.Total.Requests,
		Status:          statusMap(s.Total.Status),
		Causes:          causeMap(s.Total.Causes),
		Window:          Window{First: rfc3339(s.First), Last: rfc3339(s.Last)},
		CutAfterHeaders: s.CutAfterHeaders,
		NoStatusLine:    s.NoStatusLine,
		Inputs:          []Input{},
		Upstreams:       []Upstream{},
		Advice:          []Advice{},
	}
	if len(s.ErrorFailures) > 0 {
		out.ErrorLogFailures = make(map[string]int64, len(s.ErrorFailures))
		for _, f := range s.ErrorFailures {
			out.ErrorLogFailures[f.Reason.String()] = f.Lines
		}
	}
	if len(s.ErrorStatuses) > 0 {
		out.ErrorLogStatuses = statusMap(s.ErrorStatuses)
	}
	for _, in := range s.Inputs {
		out.Inputs = append(out.Inputs, Input{Path: in.Path, Service: in.Service, Role: in.Role.String(), Format: in.Format, Lines: in.Lines, Parsed: in.Parsed, Unparsed: in.Unparsed, Startup: in.Startup, Blank: in.Blank, Continued: in.Continued, LinesCut: in.TooLong, LinesRepeated: in.Repeated, RepeatedIn: in.RepeatedIn, Problem: problem(in)})
	}
	ups := append([]classify.UpstreamStats(nil), s.Upstreams...)
	sort.SliceStable(ups, func(i, j int) bool {
		a, b := fivexx(ups[i]), fivexx(ups[j])
		if a != b {
			return a > b
		}
		if a, b := ups[i].FailedAttempts, ups[j].FailedAttempts; a != b {
			return a > b
		}
		return ups[i].Name < ups[j].Name
	})
	for _, u := range ups {
		row := Upstream{
			FailedAttempts: u.FailedAttempts,
			Upstreams:      u.Names,
			Name:           u.Name,
			Requests:       u.Total.Requests,
			Status:         statusMap(u.Total.Status),
			Causes:         causeMap(u.Total.Causes),
			LatencyMs:      Latency{P50: ms(u.P50), P95: ms(u.P95), P99: ms(u.P99)},
		}
		if c := u.AppCoverage(); c >= 0 {
			r := float64(int64(c*1000+0.5)) / 1000
			row.AppCoverage = &r
		}
		out.Upstreams = append(out.Upstreams, row)
	}
	for _, a := range s.Advice {
		out.Advice = append(out.Advice, Advice{Problem: a.Problem, Fix: a.Fix})
	}
	return out
}

func fivexx(u classify.UpstreamStats) int64 {
	var n int64
	for code, k := range u.Total.Status {
		if code >= 500 && code <= 599 {
			n += k
		}
	}
	return n
}

// WriteJSON writes the summary as one indented JSON object.
func WriteJSON(w io.Writer, s *classify.Snapshot) error {
	enc := json.NewEncoder(&terminalSafe{w: w})
	enc.SetIndent("", "  ")
	return enc.Encode(Build(s))
}

// Event is one proxy 5xx in --events output.
type Event struct {
	Time           string   `json:"time"`
	Status         int      `json:"status"`
	Upstream       string   `json:"upstream"`
	UpstreamStatus string   `json:"upstream_status"`
	RequestID      string   `json:"request_id"`
	Method         string   `json:"method"`
	Path           string   `json:"path"`
	Cause          string   `json:"cause"`
	Confidence     string   `json:"confidence"`
	Evidence       []string `json:"evidence"`
	AppLines       int      `json:"app_lines"`
	Hint           string   `json:"hint"`
	Source         string   `json:"source"`
}

// EventOf turns a verdict into its event.
func EventOf(v *classify.Verdict) Event {
	e := v.Entry
	ev := Event{
		Time:           eventTime(e.Time),
		Status:         e.Status,
		Upstream:       orNone(e.Upstream),
		UpstreamStatus: e.UpstreamStatusRaw,
		RequestID:      e.RequestID,
		Method:         e.Method,
		Path:           e.Path,
		Cause:          string(v.Cause),
		Confidence:     string(v.Confidence),
		AppLines:       len(v.AppLines),
		Source:         v.Source,
	}
	ev.Evidence, ev.Hint = v.Explain()
	if ev.Evidence == nil {
		ev.Evidence = []string{}
	}
	return ev
}

// EventWriter writes verdicts as NDJSON, one line each.
type EventWriter struct {
	enc *json.Encoder
	err error
}

// NewEventWriter makes an EventWriter on w.
func NewEventWriter(w io.Writer) *EventWriter {
	enc := json.NewEncoder(&terminalSafe{w: w})
	enc.SetEscapeHTML(false)
	return &EventWriter{enc: enc}
}

// Write writes one verdict; the first error sticks.
func (w *EventWriter) Write(v *classify.Verdict) {
	if w.err == nil {
		w.err = w.enc.Encode(EventOf(v))
	}
}

// Err returns the first write error.
func (w *EventWriter) Err() error { return w.err }

// problem is an input's state when it tells of a problem rather than of
// reading going as it should: at the end of a report an input is done,
// and a command has exited (with status 0 unless it failed). A command
// that exited with status 0 was read to its end as a file or standard
// input is: its lines tell the same problems (--cmd 'true' was no
// problem where `true | fivexx report -` was "empty (0 lines)").
func problem(in classify.InputStatus) string {
	switch in.State {
	case "done", "exited: status 0":
		if in.Lines == 0 {
			// Read to its end without a line: given, but empty (the
			// advice says what it may mean), not a log that is missing;
			// NULs alone are not empty.
			if in.NULs > 0 {
				return fmt.Sprintf("only NUL bytes (%d), no line", in.NULs)
			}
			return "empty (0 lines)"
		}
		if in.Lines == in.Blank {
			// Lines, but none of text: no more read than from an empty
			// file, and said as the advice says it.
			return classify.NoTextHeld(in.Lines, in.NULs, in.BOM)
		}
		return ""
	case "", "reading", "following", "running":
		return ""
	}
	return strings.TrimPrefix(in.State, in.Path+": ") // it is shown with its path
}
