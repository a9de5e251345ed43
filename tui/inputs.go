package tui

import (
	"fmt"
	"strings"

	"fivexx/classify"
	"fivexx/sources"
)

// inputsView draws the inputs section: a labelled list (optionally with a
// sample of unparsed lines) or a one-line summary.
func inputsView(s *classify.Snapshot, form, w int, st *Styles) string {
	if form == inputsSummary {
		return inputsSummaryView(s, w, st)
	}
	roleW, formatW, stateW := inputWidths(w)
	show := inputColumns(w)
	// cols lays out the cells after the role, each column shown with the
	// space before it; the path follows two spaces after.
	cols := func(format, state, rate, unparsed, last string) string {
		out := ""
		if show.format {
			out += " " + padRight(format, formatW)
		}
		out += " " + padRight(state, stateW)
		if show.rate {
			out += " " + padLeft(rate, 7)
		}
		if show.unparsed {
			out += " " + padLeft(unparsed, 8)
		}
		if show.last {
			out += " " + padLeft(last, 6)
		}
		return out + "  "
	}
	head := st.Section.Render(padRight("Inputs", roleW)) +
		st.Dim.Render(cols("format", "state", "lines/s", "unparsed", "last")+"path")
	lines := []string{" " + clipStyled(head, w-1)}
	used := 1 + roleW + lenCells(cols("", "", "", "", ""))
	for _, in := range s.Inputs {
		last := none
		if !in.LastLine.IsZero() && !s.LogNow.IsZero() {
			last = fmtAge(s.LogNow.Sub(in.LastLine))
		}
		state := clip(in.State, stateW)
		if inputTrouble(in) {
			state = st.Problem.Render(padRight(state, stateW))
		}
		unparsed := padLeft(CountText(in.Unparsed), 8)
		if in.Unparsed > 0 {
			unparsed = st.Problem.Render(unparsed)
		}
		row := padRight(roleName(in.Role, roleW), roleW) +
			cols(clip(in.Format, formatW), state, fmtRate(in.LinesPerSec), unparsed, last) +
			clipPath(in.Path, in.Service, max(w-used, 1))
		lines = append(lines, " "+clipStyled(row, w-1))
		for _, l := range fullState(in, w) {
			lines = append(lines, st.Problem.Render(l))
		}
		if c := inputNote(in, w); c != "" {
			lines = append(lines, st.Problem.Render(clip("   ↳ "+c, w)))
		}
		if form == inputsSamples && in.Unparsed > 0 && len(in.Samples) > 0 {
			lines = append(lines, st.Dim.Render("   ↳ unparsed: ")+clip(in.Samples[0], max(w-15, 1)))
		}
	}
	return strings.Join(lines, "\n")
}

// shownInputColumns says which of the inputs pane's optional columns
// are shown.
type shownInputColumns struct{ format, rate, unparsed, last bool }

// minPathCells is the room the inputs pane gives an input's path before
// its other columns: "…/nginx/access.log", "app=…/app.log".
const minPathCells = 16

// inputWidths is the widths of the inputs pane's role, format and state
// columns at w cells.
func inputWidths(w int) (roleW, formatW, stateW int) {
	if w >= 120 {
		return 12, 16, stateWidth(w)
	}
	return 6, 10, stateWidth(w)
}

// inputColumns is the columns of the inputs pane at w cells: all of them
// where the path has minPathCells after them, else the last line's age,
// the rate, the format and the unparsed count go, in that order, until it
// has (an unparsed count then goes under its row: inputNote). A file name
// tells more than a count: at 50 columns the path column was cut off
// entirely ("unparsed  …") and no row showed its file (QA s30).
func inputColumns(w int) shownInputColumns {
	roleW, formatW, stateW := inputWidths(w)
	show := shownInputColumns{true, true, true, true}
	drops := []*bool{&show.last, &show.rate, &show.format, &show.unparsed}
	for _, d := range drops {
		used := 1 + roleW + 1 + stateW + 2 // the role, the state, the path's two spaces
		for _, c := range []struct {
			on    bool
			cells int
		}{{show.format, formatW}, {show.rate, 7}, {show.unparsed, 8}, {show.last, 6}} {
			if c.on {
				used += 1 + c.cells
			}
		}
		if w-used >= minPathCells {
			break
		}
		*d = false
	}
	return show
}

// clipPath is an input's label as given (NAME=PATH, classify.LabelOf),
// sanitized and cut to at most w cells from the front of its path: the
// file name and the directories nearest it stay, after "…", and so does
// the NAME= of an app log while it takes at most half of w. Cut at its
// end, every input of one directory read
// "/work/main/testdata/recordings/nginx-upstrea…" (QA s28).
func clipPath(path, service string, w int) string {
	if w <= 0 {
		return ""
	}
	full := Sanitize(classify.LabelOf(path, service))
	if lenCells(full) <= w {
		return full
	}
	label := ""
	if service != "" {
		label = Sanitize(service) + "="
		if lenCells(label) > w/2 {
			label = ""
		}
	}
	room := w - lenCells(label) - lenCells("…")
	if room < 1 {
		return clip(full, w)
	}
	tail := tailCells(Sanitize(path), room)
	if i := strings.IndexByte(tail, '/'); i > 0 {
		tail = tail[i:] // from a directory's start: "…/nginx-upstream/error.log"
	}
	return label + "…" + tail
}

// tailCells is the longest end of the sanitized, unstyled s at most w
// cells wide by lenCells, cut between grapheme clusters.
func tailCells(s string, w int) string {
	us := units(s)
	g, points, start := 0, 0, len(s)
	for i := len(us) - 1; i >= 0; i-- {
		if max(g+us[i].g, points+us[i].points) > w {
			break
		}
		g, points = g+us[i].g, points+us[i].points
		start -= len(us[i].text)
	}
	return s[start:]
}

// stateWidth is the width of the inputs' state column at w cells.
func stateWidth(w int) int {
	if w >= 120 {
		return 18
	}
	return 11
}

// maxStateLines bounds the lines fullState wraps a state into.
const maxStateLines = 3

// fullState is the whole state of an input in trouble whose state the
// column cuts, wrapped in at most maxStateLines lines to go under its row.
// Why an input failed ("read error: open /var/log/x: permission denied",
// a command's exit status and stderr) was readable nowhere: the column
// showed "read error…".
func fullState(in classify.InputStatus, w int) []string {
	if !(inputTrouble(in) || followedWithNote(in.State)) || lenCells(Sanitize(in.State)) <= stateWidth(w) {
		return nil
	}
	const lead, indent = "   ↳ ", "     "
	lines := wrapWords(in.State, max(w-lenCells(lead), 1), indent)
	if len(lines) > maxStateLines {
		lines = lines[:maxStateLines]
		last := lines[maxStateLines-1]
		lines[maxStateLines-1] = truncCells(last, lenCells(last)-1, "") + "…"
	}
	lines[0] = lead + lines[0]
	for i, l := range lines {
		lines[i] = clipStyled(l, w)
	}
	return lines
}

// inputsSummaryView is the inputs section in one line: the count and the
// inputs in trouble.
func inputsSummaryView(s *classify.Snapshot, w int, st *Styles) string {
	var trouble []string
	for _, in := range s.Inputs {
		if inputTrouble(in) || in.TooLong > 0 {
			t := roleName(in.Role, 6) + " " + in.State
			if in.Unparsed > 0 {
				t += fmt.Sprintf(", %s unparsed", CountText(in.Unparsed))
			}
			if c := cutNote(in); c != "" {
				t += ", " + c
			}
			trouble = append(trouble, Sanitize(t))
		}
	}
	line := st.Section.Render(" Inputs") + fmt.Sprintf(" %d", len(s.Inputs))
	if len(trouble) == 0 {
		line += st.Dim.Render(" · all well")
	} else {
		line += " · " + st.Problem.Render(strings.Join(trouble, "; "))
	}
	return clipStyled(line, w)
}

// inputNote is the line under an input's row in a pane of w cells (""
// for none): its unparsed count where the pane has no column for it
// (inputColumns), then its lines cut (cutNote).
func inputNote(in classify.InputStatus, w int) string {
	var notes []string
	if in.Unparsed > 0 && !inputColumns(w).unparsed {
		notes = append(notes, CountText(in.Unparsed)+" unparsed")
	}
	if c := cutNote(in); c != "" {
		notes = append(notes, c)
	}
	if in.Repeated > 0 {
		// Its last lines begin another input, read there (samelog.go).
		notes = append(notes, "+ "+CountText(in.Repeated)+" read in "+Sanitize(in.RepeatedIn))
	}
	return strings.Join(notes, ", ")
}

// cutNote says how many of an input's lines were over 1 MiB and cut to
// it (sources.MaxLineBytes), or "": the pane said "1 unparsed" of a line
// cut, and only the text report told why.
func cutNote(in classify.InputStatus) string {
	switch {
	case in.TooLong == 1:
		return "1 line cut (over 1 MiB)"
	case in.TooLong > 1:
		return CountText(in.TooLong) + " lines cut (over 1 MiB)"
	}
	return ""
}

// inputTrouble reports whether an input needs attention.
func inputTrouble(in classify.InputStatus) bool {
	// A command that is running is as well as a file that is followed.
	// So is one read to its end: "done", or "done: compressed, read once",
	// and a replay's input being played: "playing 42%".
	running := in.State == "running" || strings.HasPrefix(in.State, "running (") || in.State == "stopped"
	done := strings.HasPrefix(in.State, "done") || in.State == "playing" || strings.HasPrefix(in.State, "playing ")
	return in.Unparsed > 0 || (!sources.Following(in.State) && in.State != "" && !done && !running)
}

// followedWithNote reports whether a followed input's state says more in
// parentheses ("following +rotated (new file not there yet)"): a state in
// good health, but the column cut it to "following +rotate…", the note
// that matters lost (QA), so it goes under its row in full too.
func followedWithNote(state string) bool {
	return sources.Following(state) && strings.Contains(state, " (")
}

// roleName is the role as shown, short when w is small.
func roleName(r sources.Role, w int) string {
	if w < len("proxy-errors") && r == sources.RoleProxyErrors {
		return "errors"
	}
	return r.String()
}

// adviceView draws n advice lines: the requests too far from the log clock
// for any window, what the inputs lack and the fix, then what bounded
// memory dropped. When lines are left out the last says so.
// hide redacts cause names (training mode).
func adviceView(s *classify.Snapshot, n, w int, hide bool, st *Styles) string {
	// short: a line in fewer words, shown when the whole does not fit
	// (classify.ShortProblem), or "".
	var all, short []string
	if sum := s.FarOff.Summary(); sum != "" {
		// First: a line with an impossible time is news the advice is not.
		all = append(all, st.Problem.Render(" far off ")+sum)
	}
	if cut := cutAfterHeadersText(s.CutAfterHeaders); cut != "" {
		// Broken responses the 5xx counts cannot show: the client got a 2xx
		// to 4xx and half a body.
		if hide {
			cut = redactCauses(cut)
		}
		all = append(all, st.Problem.Render(" cut ")+cut)
	}
	if t := classify.NoStatusLineText(s.NoStatusLine); t != "" {
		// No 5xx either, and the client got no HTTP response at all.
		all = append(all, st.Problem.Render(" 009 ")+t)
	}
	for _, a := range s.Advice {
		problem, fix := Sanitize(a.Problem), Sanitize(a.Fix)
		if hide {
			problem, fix = redactCauses(problem), redactCauses(fix)
		}
		line := func(problem string) string {
			return st.Advice.Render(" advice ") + problem + st.Dim.Render(" → ") + fix
		}
		for len(short) < len(all) {
			short = append(short, "")
		}
		all = append(all, line(problem))
		if p := Sanitize(classify.ShortProblem(a.Problem)); p != Sanitize(a.Problem) {
			if hide {
				p = redactCauses(p)
			}
			short = append(short, line(p))
		}
	}
	if sum := s.Dropped.Summary(); sum != "" {
		all = append(all, st.Problem.Render(" dropped ")+sum)
	}
	shown := all[:min(n, len(all))]
	out := make([]string, len(shown))
	for i, l := range shown {
		room, more := w, ""
		if i == len(shown)-1 && len(all) > len(shown) {
			more = st.Dim.Render(fmt.Sprintf(" (+%d more, see ?)", len(all)-len(shown)))
			room -= lenCells(more)
		}
		if i < len(short) && short[i] != "" && lenCells(l) > room {
			l = short[i]
		}
		out[i] = clipStyled(l, room) + more
	}
	return strings.Join(out, "\n")
}

// alertView is the newest alert in one line; hide redacts its cause
// (training mode).
func alertView(s *classify.Snapshot, w int, hide bool, st *Styles) string {
	if len(s.Alerts) == 0 {
		return ""
	}
	newest := 0
	for i, x := range s.Alerts {
		if !x.Time.Before(s.Alerts[newest].Time) {
			newest = i
		}
	}
	a := s.Alerts[newest]
	text := Sanitize(a.Text)
	if hide {
		text = redactCauses(text)
	}
	line := st.Alert.Render(" alert ") + fmtClock(a.Time) + "  " + text
	// Every alert the snapshot holds is active now: the others are named
	// after the newest, as far as the width allows. "(+1 earlier)" hid a
	// 500 alert on another upstream as current as the one shown.
	var others []string
	for i := range s.Alerts { // most 5xx first, as the engine sorts them
		if i != newest {
			others = append(others, shortAlert(s.Alerts[i], hide))
		}
	}
	if len(others) > 0 {
		line += st.Dim.Render(fmt.Sprintf("  · %d more: %s", len(others), strings.Join(others, "; ")))
	}
	return clipStyled(line, w)
}

// shortAlert is an alert in a few words for the alert line: what, how
// many, where and why ("500 ×29 on 10.0.1.11:8080 — app_error").
func shortAlert(a classify.Alert, hide bool) string {
	what := string(a.Cause)
	if a.Status != 0 {
		what = fmt.Sprint(a.Status)
	}
	s := fmt.Sprintf("%s ×%d", what, a.Count)
	if a.Upstream != "" {
		s += " on " + Sanitize(a.Upstream)
	}
	if a.Attempts > 0 {
		s += fmt.Sprintf(" (%d failed attempts)", a.Attempts)
	}
	if a.Status != 0 && a.Cause != "" {
		s += " — " + string(a.Cause)
	}
	if hide {
		s = redactCauses(s)
	}
	return s
}

// cutAfterHeadersText says how many responses below 500 the upstream cut
// after their headers (Snapshot.CutAfterHeaders), "" when none: the report
// says the same in its text and in cut_after_headers.
func cutAfterHeadersText(n int64) string {
	switch {
	case n <= 0:
		return ""
	case n == 1:
		return "1 response was cut after its headers (the upstream reset, closed or timed out while sending the body): the client got the upstream's status, not a 5xx, and part of the body"
	}
	return fmt.Sprintf("%s responses were cut after their headers (the upstream reset, closed or timed out while sending the body): the clients got the upstream's status, not a 5xx, and part of the body", CountText(n))
}
