package tui

// The frame around every screen: the header (program, clocks, window,
// FROZEN, replay progress) and the footer (filter input or keys).

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"

	"fivexx/classify"
)

// headerHeight is 1, plus a line of replay progress for replay sources.
func (m Model) headerHeight() int {
	if m.replayState != nil {
		return 2
	}
	return 1
}

// headerView is the top line: name and title on the left; log clock, wall
// clock, window and badges on the right. Parts drop from the left when the
// terminal is narrow.
func (m Model) headerView() string {
	st := m.styles
	s := m.snap
	win := fmtWindow(s.Window)
	if m.window != 0 && m.window != s.Window {
		win += "→" + fmtWindow(m.window)
	}
	var right []string
	logClock := fmtClock(s.LogNow)
	if m.width >= 100 && !s.LogNow.IsZero() {
		logClock = s.LogNow.Format("2006-01-02 15:04:05")
	}
	right = append(right, "log "+logClock)
	if m.width >= 70 {
		right = append(right, "wall "+fmtClock(s.Wall))
	}
	right = append(right, "window "+win)
	// Below 90 columns the 5xx still waiting were nowhere: the table
	// counted 162 502s, the causes 64, the drill-down listed 64 (QA s24
	// TUI #2). "pend 98" fits at 80 beside both clocks, unless a badge
	// takes the room (pend, below).
	pend := ""
	switch {
	case s.Pending > 0 && m.width < 90:
		pend = " · pend " + CountText(int64(s.Pending))
	case s.Pending > 0:
		p := fmt.Sprintf("pending %d", s.Pending)
		switch {
		case m.width < 120:
		case s.AppAwaited:
			// Why they wait longer than the windows: how late the app's
			// lines come is not known until the first one.
			p += " (awaiting the app log)"
		case s.AppLag >= time.Second:
			// Why they wait longer than the windows: the app's lines come late.
			p += fmt.Sprintf(" (app lines %s late)", s.AppLag.Round(time.Second))
		}
		right = append(right, p)
	}
	if sk := s.AppSkew; sk.Skew != 0 && m.width >= 120 {
		// Only a real offset is worth the room: it shifts every time-window match.
		right = append(right, sk.String())
	}
	if d := s.Dropped; d.Lossy() && m.width >= 100 {
		right = append(right, fmt.Sprintf("%d 5xx may be guesses", d.Pending+d.Short))
	}
	var badges string
	if lag := liveLag(s, m.replayState != nil); lag != "" {
		badges += " " + st.Problem.Render(" "+lag+" ")
	}
	if m.paused {
		// p freezes the screen; space pauses a replay's reading. "PAUSED"
		// here beside "▶ playing" on the replay line read as a replay
		// that both played and did not (QA s28).
		badges += " " + st.Paused.Render(" FROZEN ")
	}
	left := st.AppName.Render("fivexx")
	plain := strings.Join(right, " · ")
	if pend != "" && lenCells(left)+1+lenCells(plain+pend+badges) > m.width {
		pend = "" // the causes pane says it on the overview
	}
	r := st.Dim.Render(plain+pend) + badges
	if m.title != "" {
		room := m.width - lenCells(left) - lenCells(r) - 4
		if room > 3 {
			left += " " + clip(m.title, room)
		}
	}
	line := spread(left, r, m.width)
	if m.replayState == nil {
		return line
	}
	return line + "\n" + m.replayView()
}

// staleAfter is how far the live log clock may be from the wall clock
// before the header says so.
const staleAfter = time.Minute

// liveLag says how far a live view's log clock is from the wall clock,
// when over staleAfter: the newest line of a log read --from-start that
// stopped hours ago made "Rates now 1.6/s" and "Causes of 120 5xx in 15m"
// look current, and the two clocks beside it are in different zones when
// TZ is not the log's, so they could not tell (QA s23 TUI #5). Replay and
// demo play old lines on purpose, a report's engine reads them: "" for
// them.
func liveLag(s *classify.Snapshot, playing bool) string {
	if playing || !s.Live || s.Wall.IsZero() || s.LogNow.IsZero() {
		return ""
	}
	switch lag := s.Wall.Sub(s.LogNow); {
	case lag > staleAfter:
		return "log " + fmtAge(lag) + " behind the wall clock"
	case lag < -staleAfter:
		return "log " + fmtAge(-lag) + " ahead of the wall clock"
	}
	return ""
}

// replayView is the replay line: state, speed, progress bar and ETA.
func (m Model) replayView() string {
	st := m.styles
	rs := m.replayState
	state := "▶ playing"
	if rs.Paused {
		state = "⏸ paused"
	}
	head := fmt.Sprintf("replay %s %s", state, clip(rs.Speed, 8))
	if rs.Finished {
		head = "replay ■ finished"
	}
	if rs.Stopped != nil && !rs.Finished {
		return clip(head+"  "+m.stoppedText(rs.Stopped, rs.StoppedWith), m.width)
	}
	if rs.Note != "" {
		note := clip(Sanitize(rs.Note), max(m.width-lenCells(head)-2, 1))
		if rs.Problem {
			note = st.Problem.Render(note)
		}
		return head + "  " + note
	}
	var frac float64
	var tail string
	switch {
	case !rs.From.IsZero() || !rs.To.IsZero():
		// The --from/--to window's progress: the whole files' said
		// "24% 6.1 MB of 25.4 MB" and ended "■ finished 33%" (QA s28).
		frac = min(max(rs.Share, 0), 1)
		tail = fmt.Sprintf(" %3.0f%% of %s", frac*100, m.replaySpan())
	case rs.Total <= 0:
		if rs.Done <= 0 {
			// Nothing is read from a file: the demo generates its lines.
			return clip(head, m.width)
		}
		return clip(head+"  "+fmtBytes(rs.Done)+" played", m.width)
	default:
		frac = min(max(float64(rs.Done)/float64(rs.Total), 0), 1)
		tail = fmt.Sprintf(" %3.0f%%  %s of %s", frac*100, fmtBytes(rs.Done), fmtBytes(rs.Total))
	}
	if rs.ETA > 0 && !rs.Finished {
		tail += "  ETA " + fmtAge(rs.ETA)
	}
	if rs.GapsCut == 1 {
		tail += "  1 gap cut to 5s"
	} else if rs.GapsCut > 1 {
		tail += fmt.Sprintf("  %d gaps cut to 5s", rs.GapsCut)
	}
	barW := min(40, m.width-lenCells(head)-lenCells(tail)-2)
	if barW < 5 {
		return clip(head+tail, m.width)
	}
	filled := int(frac*float64(barW) + 0.5)
	bar := st.Bar.Render(strings.Repeat("█", filled)) + st.Dim.Render(strings.Repeat("░", barW-filled))
	return head + " " + bar + tail
}

// stoppedText names the 5xx n stopped at and its verdict, for the replay
// line: "n: 503 GET /x on be_app/<NOSRV> → no_healthy_upstream high ·
// enter opens it · +2 judged with it" (what the line cannot hold is cut
// from the end, the request is cut to 40 cells so the cause stays in).
// Only the pending count changed on screen, and the verdict could be of
// another upstream than the one open (QA s34 L5). Training mode hides the
// cause while the causes are.
func (m Model) stoppedText(v *classify.Verdict, with int64) string {
	s := "n: a 5xx"
	if e := v.Entry; e != nil {
		req := clip(Sanitize(strings.TrimSpace(e.Method+" "+e.Path)), 40)
		s = fmt.Sprintf("n: %d %s on %s", e.Status, req, Sanitize(upstreamRowName(v)))
	}
	hide := m.lesson.hides()
	s += " → " + causeName(v.Cause, hide)
	if !hide && v.Confidence != "" {
		s += " " + string(v.Confidence)
	}
	if m.page() == pageUpstream && m.upstream.selected(v) {
		s += " · enter opens it"
	}
	if with > 0 {
		s += fmt.Sprintf(" · +%d judged with it", with)
	}
	return s
}

// replaySpan names the window --from and --to make, in the log clock's
// zone: "03:01:00–03:02:30", "03:01:00–end", "start–03:02:30".
func (m Model) replaySpan() string {
	at := func(t time.Time, none string) string {
		if t.IsZero() {
			return none
		}
		if !m.snap.LogNow.IsZero() {
			t = t.In(m.snap.LogNow.Location())
		}
		return fmtClock(t)
	}
	return at(m.replayState.From, "start") + "–" + at(m.replayState.To, "end")
}

// footerView is the filter input while typing, else the keys that apply
// with help and quit pinned on the right.
func (m Model) footerView() string {
	right := m.help.ShortHelpView(m.keys.alwaysHelp())
	var left string
	switch {
	case m.filtering:
		left = m.filterInputView()
		right = m.help.ShortHelpView(m.keys.shortHelp())
	case m.keyNote != "":
		left = m.styles.Focused.Render(clip(m.keyNote, max(m.width-lenCells(right)-3, 1)))
	default:
		left, right = m.keyBar(m.width)
	}
	return spread(left, right, m.width)
}

// barKeeps is the highest rank (footerKeys) the key bar never leaves out:
// training's reveal, "p unfreeze" while frozen and a replay's space, enter
// and esc. Those ranked barWords or lower keep their words longest.
const barKeeps, barWords = 4, 2

// keyBar is the footer's two sides in w cells: on the left the filter
// applied and the keys that apply, in shortHelp's order, on the right help
// and quit. What does not fit gives way in this order: the keys ranked
// above barKeeps (footerKeys), highest first; the words of enter and esc
// ("open", "back"); "? help" (the bar said "space play/pause  ? help •
// q quit" at 40 columns, without the replay's enter, and frozen
// "p unfreeze  ? help • q quit", without its space: QA s30); the words
// of the other kept keys, from the highest rank, then " • " between
// them for two spaces; the filter's text, which the table's title
// tells of too ("2 of 6 match"); last, the bar is cut. The bar was cut
// at its end, so what was cut was what came last: frozen, a replay's
// bar at 120 columns ended "1/5/15 window •…" and never said how to
// unfreeze (QA s29).
func (m Model) keyBar(w int) (left, right string) {
	fks := m.keys.footerKeys(m.paused)
	filter := m.filterValue()
	lead := func(n int) string {
		if filter == "" || n <= 0 {
			return ""
		}
		return m.styles.Focused.Render("/"+clip(filter, n)) + "  "
	}
	fits := func(left, right string) bool { return lenCells(left) <= w-lenCells(right)-3 }
	type try struct {
		right          []key.Binding
		maxRank, words int
		sep            string
	}
	var tries []try
	sep, quit := m.help.ShortSeparator, []key.Binding{m.keys.Quit}
	for maxRank := len(fks); maxRank >= barKeeps; maxRank-- {
		tries = append(tries, try{m.keys.alwaysHelp(), maxRank, maxRank, sep})
	}
	for words := barKeeps - 1; words >= barWords; words-- {
		tries = append(tries, try{m.keys.alwaysHelp(), barKeeps, words, sep})
	}
	for maxRank := len(fks); maxRank >= barKeeps; maxRank-- {
		tries = append(tries, try{quit, maxRank, maxRank, sep})
	}
	for _, sep := range []string{sep, "  "} {
		for words := barKeeps - 1; words >= -1; words-- {
			tries = append(tries, try{quit, barKeeps, words, sep})
		}
	}
	var bar string
	for _, t := range tries {
		bar, right = m.barView(fks, t.maxRank, t.words, t.sep), m.help.ShortHelpView(t.right)
		if fits(lead(20)+bar, right) {
			return lead(20) + bar, right
		}
	}
	// "/" and three cells of the filter at least, or none.
	n := min(w-lenCells(right)-3-lenCells(bar)-lenCells("/  "), 20)
	if n < 3 {
		n = 0
	}
	return lead(n) + bar, right // spread cuts it if it is still too wide
}

// barView is the bindings of fks ranked at most maxRank as help's short
// view draws them ("key words • key words"), with sep between them and
// the words of those ranked above words left out.
func (m Model) barView(fks []footerKey, maxRank, words int, sep string) string {
	st := m.help.Styles
	var b strings.Builder
	for _, fk := range fks {
		if fk.rank > maxRank || !fk.Enabled() {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(st.ShortSeparator.Inline(true).Render(sep))
		}
		b.WriteString(st.ShortKey.Inline(true).Render(fk.Help().Key))
		if fk.rank <= words {
			b.WriteString(" " + st.ShortDesc.Inline(true).Render(fk.Help().Desc))
		}
	}
	return b.String()
}

// filterInputView is the filter input being typed, with every rune
// Sanitize escapes shown escaped: the text input echoes its value as is,
// and a bidi control pasted from a log reached the terminal. The value
// itself stays raw, so it still matches the raw log text.
func (m Model) filterInputView() string {
	runes := []rune(m.filter.Value())
	shown := make([]rune, 0, len(runes))
	pos, escaped := -1, false
	for i, r := range runes {
		if i == m.filter.Position() {
			pos = len(shown)
		}
		e := []rune(Sanitize(string(r)))
		escaped = escaped || len(e) != 1 || e[0] != r
		shown = append(shown, e...)
	}
	if !escaped {
		return m.filter.View()
	}
	if pos < 0 {
		pos = len(shown)
	}
	in := m.filter // a copy: the shown text is not the value
	in.CharLimit = 0
	in.SetValue(string(shown))
	in.SetCursor(pos)
	return in.View()
}

// spread puts left and right on one line of width w, cutting left if needed.
func spread(left, right string, w int) string {
	lw, rw := lenCells(left), lenCells(right)
	if lw+rw+1 > w {
		left = truncCells(left, max(w-rw-1, 0), "…")
		lw = lenCells(left)
	}
	gap := max(w-lw-rw, 1)
	return left + strings.Repeat(" ", gap) + right
}

// fitHeight pads or cuts s to exactly h lines.
func fitHeight(s string, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// fitScreen cuts every line to w cells and the whole to h lines: the last
// guard against wrapping, which would scroll the alt screen. It measures as
// lenCells: lipgloss pads a box to its width by grapheme clusters (the
// detail's viewport), so a line holding "👍🏽" padded to w was w+2 cells
// drawn code point by code point; the cut takes the extra padding off.
func fitScreen(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		over := lenCells(l) - w
		switch {
		case over <= 0:
		case over <= len(l) && strings.TrimRight(l[len(l)-over:], " ") == "":
			// Padding past the text: spaces are 1 cell both ways.
			lines[i] = l[:len(l)-over]
		default:
			lines[i] = truncCells(l, w, "")
		}
	}
	return strings.Join(lines, "\n")
}

// Model implements help.KeyMap, so the footer and help screen list its keys.
var _ help.KeyMap = Model{}

// clipStyled cuts an already sanitized, possibly styled line to w cells.
func clipStyled(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return truncCells(s, w, "…")
}
