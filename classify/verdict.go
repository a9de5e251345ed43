package classify

import (
	"time"

	"fivexx/sources"
)

// Verdict is fivexx's judgement of one proxy 5xx.
type Verdict struct {
	Entry  *sources.ProxyEntry
	Source string // path of the input the access line came from
	// Row is the upstream row of the stats the 5xx counts in: its
	// upstream, "-" for none, "(other)" once the rows are capped.
	Row        string
	Cause      Cause
	Detail     string // finer detail: dns, tls, connect, read, retried, after_headers ...
	Confidence Confidence
	// Evidence is short human lines saying what the verdict rests on;
	// Hint says where to look next. A verdict of an engine that explains
	// later (Config.ExplainLater) has neither: Explain makes them.
	Evidence []string
	Hint     string
	// ErrorLines are the proxy error-log lines joined to this request.
	ErrorLines []*sources.ProxyError
	// AppLines are the app lines matched to this request.
	AppLines []*sources.AppEntry
	// MatchedBy says how app lines were matched: "request_id", "time_window" or "".
	MatchedBy string
	// ErrorLog and AppLog say whether an error log of the entry's proxy
	// and an app log were read when it was judged: without one, no line
	// joined is no evidence (the UI said "no error-log line joined to this
	// request" of a log never given, QA s24 TUI #3).
	ErrorLog, AppLog bool
	// AppLookback is how much further back than 2 s before the request
	// the time window reached for app lines: the upstream timeout for a
	// 504 whose access line has no request time (appwindow.go), else 0.
	AppLookback time.Duration
	// errTries says that the request's failed attempts are its error
	// lines' servers, not its $upstream_addr's (earlierTries).
	errTries bool
	// AppIDAbsent says that request ids join proxy and app lines here and
	// no app line carried this request's, in the AppWaited of log time
	// after it that its verdict waited, AppWaitedToEnd when the input
	// ended then (NoAppLine).
	AppIDAbsent, AppWaitedToEnd bool
	AppWaited                   time.Duration
	// Timeline is every proxy and app line within ±5 s of the request, in
	// log-time order, captured when the verdict was made; empty with
	// Later set, whose Own gives the request's own lines and Load all.
	Timeline Timeline
	// Later, when set, makes the whole timeline from the inputs read
	// again (a replay of plain files).
	Later *LaterTimeline
	// said is what the verdict was judged from, kept by an engine that
	// explains later (Config.ExplainLater) for Explain; its e is nil
	// otherwise.
	said evidence
}

// Explain returns v's evidence lines and hint: Evidence and Hint, or for
// a verdict of an engine that explains later (Config.ExplainLater), the
// ones its judge would have given, made now from what it was judged from.
// It does not change v: any goroutine may call it, more than once.
func (v *Verdict) Explain() (evidence []string, hint string) {
	if v.said.e == nil {
		return v.Evidence, v.Hint
	}
	ev := v.said
	ev.terse = false
	full := judge(ev)
	return full.Evidence, full.Hint
}

// AppWindow says how far the time window for app lines reached: "within
// ±2 s", or back to the upstream timeout too (AppLookback).
func (v *Verdict) AppWindow() string { return windowText(v.AppLookback) }

// NoAppLine says what was looked for when no app line was matched: "no
// app line with request id … within 65 s after the 504", or "no app line
// within ±2 s" (AppWindow).
func (v *Verdict) NoAppLine() string {
	if v.AppIDAbsent {
		return noIDLineText(v.Entry, v.AppWaited, v.AppWaitedToEnd)
	}
	return "no app line " + v.AppWindow()
}

// TimelineLine is one line of a verdict's merged timeline.
type TimelineLine struct {
	Time   time.Time
	Source string // input path or label
	// Service is the NAME its app log was given with (--app NAME=FILE).
	Service string
	Role    sources.Role
	Raw     string
	// Matched marks the lines that belong to the request itself.
	Matched bool
}
