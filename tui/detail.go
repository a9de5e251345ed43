package tui

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"fivexx/classify"
	"fivexx/sources"
)

// detailView shows one verdict in full, scrollable: the verdict, its
// evidence, the proxy's access and error lines, the app lines and the merged
// timeline. It keeps its verdict even after it leaves Snapshot.Recent.
type detailView struct {
	verdict *classify.Verdict
	hide    bool // training mode hides the verdict and the hint
	vp      viewport.Model
	width   int
	height  int
	// timeline is the verdict's timeline as shown: Verdict.Timeline, or
	// for a verdict whose timeline is made when asked (Verdict.Later),
	// its own lines (LaterTimeline.Own) until the rest is read (loading),
	// then all of it.
	timeline classify.Timeline
	loading  bool
	loadErr  error
	// loaded keeps the timelines read again, by verdict, so that going
	// back to one does not read the files again.
	loaded map[*classify.Verdict]laterLoaded
}

// laterLoaded is a timeline read again, and the error of an input that
// could not be.
type laterLoaded struct {
	tl  classify.Timeline
	err error
}

// maxLoadedTimelines bounds detailView.loaded: a timeline is 60 lines.
const maxLoadedTimelines = 256

// timelineLoadedMsg brings a timeline read again (LaterTimeline.Load).
type timelineLoadedMsg struct {
	verdict *classify.Verdict
	laterLoaded
}

// open shows r from the top. A timeline made when asked is read in a
// command (the files are read again: never in Update), whose message
// timelineLoaded takes.
func (v *detailView) open(r *classify.Verdict, st *Styles) tea.Cmd {
	v.verdict, v.timeline, v.loading, v.loadErr = r, r.Timeline, false, nil
	var cmd tea.Cmd
	if l, ok := v.loaded[r]; ok {
		v.timeline, v.loadErr = l.tl, l.err
	} else if later := r.Later; later != nil {
		v.timeline, v.loading = later.Own(), true
		cmd = guardCmd(func() tea.Msg {
			tl, err := later.Load()
			return timelineLoadedMsg{r, laterLoaded{tl, err}}
		})
	}
	v.render(st)
	v.vp.GotoTop()
	return cmd
}

// timelineLoaded shows a timeline read again, when its verdict is still
// the one shown, where the reader has scrolled to.
func (v *detailView) timelineLoaded(msg timelineLoadedMsg, st *Styles) {
	if v.loaded == nil || len(v.loaded) >= maxLoadedTimelines {
		v.loaded = map[*classify.Verdict]laterLoaded{}
	}
	v.loaded[msg.verdict] = msg.laterLoaded
	if msg.verdict != v.verdict {
		return
	}
	v.timeline, v.loadErr, v.loading = msg.tl, msg.err, false
	v.render(st)
}

// setSize sizes the viewport below the title line and re-wraps the content.
func (v *detailView) setSize(w, h int, st *Styles) {
	v.width, v.height = w, h
	v.vp.Width, v.vp.Height = w, max(h-1, 1)
	v.render(st)
}

// setHidden hides or shows the verdict and hint (training mode),
// re-rendering only on a change so the scroll position stays.
func (v *detailView) setHidden(hide bool, st *Styles) {
	if hide == v.hide {
		return
	}
	v.hide = hide
	v.render(st)
}

func (v *detailView) render(st *Styles) {
	if v.verdict == nil {
		return
	}
	v.vp.SetContent(detailContent(v.verdict, shownTimeline{v.timeline, v.loading, v.loadErr}, v.width, v.hide, st))
}

// update scrolls.
func (v detailView) update(msg tea.Msg, k *keyMap) (detailView, tea.Cmd) {
	if km, ok := msg.(tea.KeyMsg); ok {
		scrollViewport(&v.vp, km, k)
	}
	return v, nil
}

// scrollViewport moves vp by the scrolling keys; shared by detail and help.
func scrollViewport(vp *viewport.Model, km tea.KeyMsg, k *keyMap) {
	switch {
	case key.Matches(km, k.Up):
		vp.ScrollUp(1)
	case key.Matches(km, k.Down):
		vp.ScrollDown(1)
	case key.Matches(km, k.PageUp):
		vp.PageUp()
	case key.Matches(km, k.PageDown):
		vp.PageDown()
	case key.Matches(km, k.Top):
		vp.GotoTop()
	case key.Matches(km, k.Bottom):
		vp.GotoBottom()
	}
}

// view draws the title line and the viewport.
func (v detailView) view(st *Styles) string {
	if v.verdict == nil {
		return ""
	}
	title := st.Focused.Render("▸ request")
	if e := v.verdict.Entry; e != nil {
		title += " " + st.status(e.Status).Render(fmt.Sprint(e.Status)) + " " + Sanitize(strings.TrimSpace(e.Method+" "+e.Path))
	}
	pos := st.Dim.Render(fmt.Sprintf(" %3.0f%%", v.vp.ScrollPercent()*100))
	return spread(clipStyled(title, v.width-lenCells(pos)-1), pos, v.width) + "\n" + v.vp.View()
}

// detailContent renders r for a width of w cells; hide keeps the verdict
// and the hint out (training mode): the evidence and the lines stay, they
// are what the trainee reasons from.
func detailContent(r *classify.Verdict, tl shownTimeline, w int, hide bool, st *Styles) string {
	var b strings.Builder
	const labelW = 12
	field := func(label, value string) {
		lines := wrapWords(value, w-labelW-1, strings.Repeat(" ", labelW+1))
		b.WriteString(st.Label.Render(padRight(" "+label, labelW)) + " " + strings.Join(lines, "\n") + "\n")
	}
	section := func(title string) {
		b.WriteString("\n" + st.Section.Render(" "+title) + "\n")
	}
	raw := func(s string) {
		for _, l := range wrapRaw(s, w-3, w-5, "↪ ") {
			b.WriteString("   " + l + "\n")
		}
	}

	verdict := string(r.Cause)
	if r.Detail != "" {
		verdict += " · " + r.Detail
	}
	if hide {
		field("verdict", hiddenCause+" · r reveals it")
	} else {
		field("verdict", verdict+" · confidence "+string(r.Confidence))
	}
	if e := r.Entry; e != nil {
		req := fmt.Sprintf("%d %s %s · %s", e.Status, e.Method, e.Path, e.Time.Format("2006-01-02 15:04:05.000"))
		if e.RequestTime >= 0 {
			req += fmt.Sprintf(" · %.3f s", e.RequestTime)
		}
		field("request", req)
		field("upstream", upstreamAttempts(e))
		if says := proxySays(e); says != "" {
			field("proxy says", says)
		}
		id := e.RequestID
		if id == "" {
			id = "not logged"
		}
		field("request id", id)
	}
	if r.Source != "" {
		field("input", r.Source)
	}
	evidence, hint := r.Explain()
	if hint == "" {
		hint = r.Cause.Summary()
	}
	if hide {
		hint = hiddenCause + " · r reveals it"
	}
	field("hint", hint)
	field("matched by", matchedBy(r))

	section("Evidence")
	if len(evidence) == 0 {
		b.WriteString(st.Dim.Render("   none recorded") + "\n")
	}
	for _, ev := range evidence {
		for i, l := range wrapWords(ev, w-5, "     ") {
			if i == 0 {
				l = "   • " + l
			}
			b.WriteString(l + "\n")
		}
	}
	section("Proxy access line")
	if r.Entry != nil {
		raw(r.Entry.Raw)
	}
	// Without a log of its kind, no line is no evidence: "no error-log
	// line joined" and "App lines (0)" of logs never given read as the
	// proxy and the app having said nothing (QA s24 TUI #3).
	switch {
	case len(r.ErrorLines) == 0 && !r.ErrorLog:
		section("Proxy error log")
		b.WriteString(st.Dim.Render("   no proxy error log read: no line could join this request") + "\n")
	case len(r.ErrorLines) == 0:
		section("Proxy error log (0)")
		b.WriteString(st.Dim.Render("   no error-log line joined to this request") + "\n")
	default:
		section(fmt.Sprintf("Proxy error log (%d)", len(r.ErrorLines)))
	}
	for _, e := range r.ErrorLines {
		if e != nil {
			raw(e.Raw)
		}
	}
	switch {
	case len(r.AppLines) == 0 && !r.AppLog:
		section("App lines")
		b.WriteString(st.Dim.Render("   no app log read: no line could match this request") + "\n")
	case len(r.AppLines) == 0:
		section("App lines (0)")
		for i, l := range wrapWords(r.NoAppLine(), w-3, "   ") {
			if i == 0 {
				l = "   " + l
			}
			b.WriteString(st.Dim.Render(l) + "\n")
		}
	default:
		section(fmt.Sprintf("App lines (%d)", len(r.AppLines)))
	}
	for _, a := range r.AppLines {
		if a != nil {
			raw(a.Raw)
		}
	}
	section("Timeline (" + timelineSpan(r, tl) + "; ▶ = this request)")
	if tl.err != nil {
		for i, l := range wrapWords("not read again: "+tl.err.Error(), w-3, "   ") {
			if i == 0 {
				l = "   " + l
			}
			b.WriteString(st.Dim.Render(l) + "\n")
		}
	}
	for i := range tl.lines.Len() {
		b.WriteString(timelineLine(tl.lines.Line(i), w, st))
	}
	return strings.TrimRight(b.String(), "\n")
}

// timelineSpan says what the timeline holds. Its lines are the request's
// own and the nearest others within classify.TimelineReach, at most
// classify.TimelineLines in all: on a busy log those 60 lie within a
// second of the request, and "±5 s, 60 lines" claimed ten times the span
// shown (QA s26). A full timeline says how far its nearest lines reach
// ("±0.4 s, the 60 nearest lines"); one with room left holds every line
// within the reach ("±5 s, 23 lines").
func timelineSpan(r *classify.Verdict, tl shownTimeline) string {
	reach := fmtReach(classify.TimelineReach)
	if tl.loading {
		return reach + "; reading the lines around it again…"
	}
	n := tl.lines.Len()
	if n < classify.TimelineLines || r.Entry == nil {
		if n == 1 {
			return reach + ", 1 line" // the request's own, alone in its reach
		}
		return fmt.Sprintf("%s, %d lines", reach, n)
	}
	at := r.Entry.Time
	var span time.Duration
	others := false
	for i := range n {
		l := tl.lines.Line(i)
		if l.Matched {
			continue // the request's own lines are in it whatever their distance
		}
		others = true
		span = max(span, l.Time.Sub(at), at.Sub(l.Time))
	}
	switch {
	case !others:
		return fmt.Sprintf("its own %d lines, no room for others", n)
	case span == 0:
		// Whole-second stamps of a busy log: "±0 ms" would claim a precision
		// the log does not have.
		return fmt.Sprintf("the %d nearest lines, all stamped %s", n, fmtStamp(at))
	}
	return fmt.Sprintf("%s, the %d nearest lines", fmtReach(span), n)
}

// fmtReach formats how far a timeline reaches either side of its request:
// ±40 ms, ±0.4 s, ±5 s.
func fmtReach(d time.Duration) string {
	switch {
	case d < 100*time.Millisecond:
		return fmt.Sprintf("±%d ms", d.Milliseconds())
	case d < 10*time.Second && d%time.Second != 0:
		return fmt.Sprintf("±%.1f s", d.Seconds())
	}
	return fmt.Sprintf("±%.0f s", d.Seconds())
}

// shownTimeline is the timeline detailContent shows: its lines, whether
// the rest is being read, and why an input could not be read again.
type shownTimeline struct {
	lines   classify.Timeline
	loading bool
	err     error
}

// timelineLine renders one timeline line, wrapped; matched lines are marked.
func timelineLine(t classify.TimelineLine, w int, st *Styles) string {
	srcW := 12
	if w >= 120 {
		srcW = 18
	}
	mark := "  "
	if t.Matched {
		mark = "▶ "
	}
	prefix := " " + mark + fmtStamp(t.Time) + " " + padRight(roleName(t.Role, 6), 6) + " " +
		padRight(clipPath(timelineSourceName(t), "", srcW), srcW) + " "
	lines := wrapRaw(t.Raw, max(w-lenCells(prefix), 1), max(w-6, 1), "    ↪ ")
	lines[0] = prefix + lines[0]
	out := strings.Join(lines, "\n")
	if t.Matched {
		out = st.Matched.Render(out)
	}
	return out + "\n"
}

// timelineSourceName is the input a timeline line came from, as its
// column names it: the service NAME of an app log given one (--app
// NAME=FILE), else its file's base name.
func timelineSourceName(t classify.TimelineLine) string {
	if t.Service != "" {
		return t.Service
	}
	return filepath.Base(t.Source)
}

// upstreamAttempts lists the upstream attempts with their statuses.
func upstreamAttempts(e *sources.ProxyEntry) string {
	if len(e.UpstreamAddr) == 0 {
		if e.Upstream == "" {
			return none
		}
		return e.Upstream
	}
	parts := make([]string, len(e.UpstreamAddr))
	for i, a := range e.UpstreamAddr {
		parts[i] = a
		if i < len(e.UpstreamStatus) {
			parts[i] += " (" + e.UpstreamStatus[i] + ")"
		}
	}
	return strings.Join(parts, " → ")
}

// matchedBy explains how r's app lines were matched.
func matchedBy(r *classify.Verdict) string {
	switch r.MatchedBy {
	case "request_id":
		return "request id"
	case "time_window":
		if r.AppLookback > 0 {
			// A 504 without request time: the window reached back by
			// the proxy's timeout (classify/appwindow.go).
			return fmt.Sprintf("time window (%d s before to 2 s after): a guess", int((r.AppLookback+2*time.Second)/time.Second))
		}
		return "time window (±2 s): a guess"
	case "":
		if !r.AppLog {
			return "not matched: no app log read"
		}
		return "not matched: no app line by request id or time"
	}
	return r.MatchedBy
}

// proxySays is the proxy's own flags and the text behind them. HAProxy's
// text names its flags first ("sC--: timeout while connecting …"): they
// are said once, not "sC-- sC--: …".
func proxySays(e *sources.ProxyEntry) string {
	if e.Flags != "" && strings.HasPrefix(e.Detail, e.Flags+": ") {
		return e.Detail
	}
	return strings.TrimSpace(e.Flags + " " + e.Detail)
}
