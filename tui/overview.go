package tui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/table"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"fivexx/classify"
)

// pane is a focusable part of the overview.
type pane int

const (
	paneUpstreams pane = iota
	paneCauses
	paneCount
)

// sortKey is the order of the upstream table.
type sortKey int

// The first, the default, is by 5xx count: the rows that hold the most
// 5xx on top. By rate, 9-request rows at 100 % buried the row of 8,550
// of 9,000 5xx ("(other)", 10,000 upstreams; QA s37 L8).
const (
	sortFivexx sortKey = iota
	sortFivexxRate
	sortReqRate
	sortName
	sortP99
	sortCount
)

// String names the order in the table title.
func (k sortKey) String() string {
	return [...]string{"5xx", "5xx rate", "req/s", "name", "p99"}[k]
}

// rateCodes are the statuses of the rates pane, in display order.
var rateCodes = []int{500, 502, 503, 504, 429}

// causeCount is one row of the causes pane.
type causeCount struct {
	cause classify.Cause
	n     int64
	share float64 // of all 5xx verdicts in the window
}

// overview is the home screen: inputs, advice, rates, causes, upstreams and
// the newest alert.
type overview struct {
	focus  pane
	sortBy sortKey
	// table holds every row and the cursor; the pane draws the rows from
	// first on (tableView). The bubbles table scrolls only in MoveUp and
	// MoveDown: SetCursor and SetHeight, as the order changed or the
	// screen shrank, left its cursor row scrolled off, unmarked, while
	// enter opened it (QA s36 H1). So the cursor moves by SetCursor only
	// and the window is ours, kept on the cursor as the causes pane's is.
	table       table.Model
	first       int                      // the table row at the top of the pane
	rows        []classify.UpstreamStats // sorted and filtered, as in the table
	upstreams   int                      // rows before filtering
	causes      []causeCount
	causeTotal  int64
	causeCursor int
	// picked and causePicked say the user moved the selection or opened
	// an upstream: from then on it follows the same upstream or cause as
	// the order changes; before, it stays on the top row, the worst one.
	picked      bool
	causePicked bool
	// pickedName is the upstream the user moved to or opened last. It
	// outlives a filter that hides it: once the filter is cleared the
	// selection is back on it, not on whichever row came first.
	pickedName string
	filter     string
	// recentUps and recentCauses have a recent 5xx in the window that
	// passes the filter (recentMatches): a path keeps them.
	recentUps    map[string]bool
	recentCauses map[classify.Cause]bool
	lesson       lesson // training mode; its zero value hides nothing
	snap         *classify.Snapshot
	// other is the title of the table's oth column, "" without it: the
	// snapshot's window holds 5xx of a status it does not count on its
	// own (upstreamColumns, otherLabel).
	other string
	// retried says the table has its retry column (hasRetried).
	retried bool
	// cuts says how each row's name is cut (nameCuts), need how many
	// cells the names need to be told apart (namesNeed): the table's
	// columns leave the name that many where they can.
	cuts   map[string]nameCut
	need   int
	width  int
	height int
	plan   layout
}

func newOverview(st *Styles) overview {
	ts := st.Table
	ts.Header = ts.Header.PaddingRight(1)
	ts.Cell = ts.Cell.PaddingRight(1)
	return overview{
		table: table.New(table.WithStyles(ts)),
		snap:  &classify.Snapshot{},
	}
}

// setSize lays the screen out again for w×h cells.
func (v *overview) setSize(w, h int) {
	v.width, v.height = w, h
	v.table.SetColumns(upstreamColumns(w, v.other, v.retried, v.need))
	v.renderRows()
	v.relayout()
}

// setData takes a snapshot and the filter, keeping the selection on the
// same upstream and cause.
func (v *overview) setData(s *classify.Snapshot, filter string) {
	if s == nil {
		s = &classify.Snapshot{}
	}
	v.snap, v.filter = s, filter
	if other, retried := otherLabel(s), hasRetried(s); other != v.other || retried != v.retried {
		v.other, v.retried = other, retried
		v.table.SetColumns(upstreamColumns(v.width, other, retried, v.need))
	}
	v.recentUps, v.recentCauses = recentMatches(filter, s, !v.lesson.hides())
	v.setCauses()
	v.setRows()
	v.relayout()
}

func (v *overview) setCauses() {
	var keep classify.Cause
	follow := v.causePicked && v.causeCursor < len(v.causes)
	if follow {
		keep = v.causes[v.causeCursor].cause
	}
	v.causes, v.causeTotal = v.causes[:0:0], 0
	for _, n := range v.snap.Windowed.Causes {
		v.causeTotal += n
	}
	for _, c := range classify.AllCauses {
		n := v.snap.Windowed.Causes[c]
		if n > 0 && (v.lesson.hides() || containsFold(v.filter, string(c)) || v.recentCauses[c]) {
			v.causes = append(v.causes, causeCount{cause: c, n: n, share: share(n, v.causeTotal)})
		}
	}
	// Most frequent first; AllCauses order breaks ties (stable sort).
	sort.SliceStable(v.causes, func(i, j int) bool { return v.causes[i].n > v.causes[j].n })
	v.causeCursor = 0
	for i, c := range v.causes {
		if follow && c.cause == keep {
			v.causeCursor = i
		}
	}
}

func (v *overview) setRows() {
	keep, follow := v.pickedName, v.picked
	v.upstreams = len(v.snap.Upstreams)
	v.rows = v.rows[:0:0]
	for _, u := range v.snap.Upstreams {
		if upstreamMatches(v.filter, u, !v.lesson.hides(), v.recentUps) {
			v.rows = append(v.rows, u)
		}
	}
	sortUpstreams(v.rows, v.sortBy)
	v.setCuts()
	cursor := 0
	for i, u := range v.rows {
		if follow && u.Name == keep {
			cursor = i
		}
	}
	v.renderRows()
	v.table.SetCursor(cursor)
	v.renderRows() // the marker follows the cursor
}

// setCuts measures how the rows' names are cut and how many cells they
// need, when the names changed, and sizes the columns again when that
// changed.
func (v *overview) setCuts() {
	same := len(v.rows) == len(v.cuts)
	for _, u := range v.rows {
		if !same {
			break
		}
		_, same = v.cuts[rowName(u)]
	}
	if same && v.cuts != nil {
		return
	}
	names := make([]string, len(v.rows))
	for i, u := range v.rows {
		names[i] = rowName(u) // as the row shows it
	}
	v.cuts = nameCuts(names)
	if need := namesNeed(names, v.cuts); need != v.need {
		v.need = need
		v.table.SetColumns(upstreamColumns(v.width, v.other, v.retried, need))
	}
}

// renderRows hands the rows to the table, marking the selected one so the
// selection shows without colour too.
func (v *overview) renderRows() {
	rows := make([]table.Row, len(v.rows))
	cols, cuts := v.table.Columns(), v.cuts
	for i, u := range v.rows {
		mark := " "
		if i == v.table.Cursor() && v.focus == paneUpstreams {
			mark = "›"
		}
		rows[i] = upstreamRow(mark, u, cols, v.lesson.hides(), cuts[rowName(u)])
	}
	v.table.SetRows(rows)
	v.keepShown()
}

// keepShown scrolls the table's window so that the cursor row is in it,
// as little as it takes.
func (v *overview) keepShown() {
	v.first = shownFrom(v.first, v.table.Cursor(), len(v.rows), v.plan.tableRows)
}

// shownFrom is the first row to show of n, rows at a time, so that cursor
// is shown: first if it is, else the nearest that does.
func shownFrom(first, cursor, n, rows int) int {
	if rows <= 0 || n <= rows {
		return 0
	}
	first = min(max(first, cursor-rows+1), cursor)
	return min(max(first, 0), n-rows)
}

// tableView draws the header and the window of rows from first on, the
// cursor row among them.
func (v overview) tableView() string {
	t, c := v.table, v.table.Cursor() // a copy: the window is drawn, not kept
	first := shownFrom(v.first, c, len(v.rows), v.plan.tableRows)
	rows := t.Rows()[first:min(first+max(v.plan.tableRows, 0), len(v.rows))]
	t.SetCursor(c - first)
	t.SetRows(rows)
	return t.View()
}

// moveTo puts the table's cursor on row i, or the nearest row there is.
func (v *overview) moveTo(i int) {
	v.table.SetCursor(min(max(i, 0), len(v.rows)-1))
}

// relayout decides what fits and sizes the table.
func (v *overview) relayout() {
	causeRows, narration := len(v.causes), 0
	if v.lesson.hides() {
		causeRows = 1 // the line that says they are hidden
	}
	if causeRows == 0 && v.snap != nil && len(v.snap.ErrorFailures) > 0 {
		causeRows = 5 // what an error log alone tells, wrapped (causesView)
		if len(v.snap.ErrorStatuses) > 0 {
			causeRows++ // and the statuses it names (Caddy's)
		}
	}
	if v.lesson.on {
		narration = len(narrationPane(v.lesson, v.width, -1, maxBeats(v.height), &Styles{}))
	}
	v.plan = planOverview(v.snap, causeRows, len(v.rows), narration, v.width, v.height)
	v.table.SetHeight(v.plan.tableRows + 1)
	v.table.SetWidth(v.width)
	v.keepShown()
}

// update moves the selection, switches panes, sorts and opens.
func (v overview) update(msg tea.Msg, k *keyMap) (overview, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return v, nil
	}
	var cmd tea.Cmd
	switch {
	case key.Matches(km, k.NextPane):
		v.focus = (v.focus + 1) % paneCount
	case key.Matches(km, k.PrevPane):
		v.focus = (v.focus + paneCount - 1) % paneCount
	case key.Matches(km, k.Up):
		if v.focus == paneCauses {
			v.causeCursor, v.causePicked = max(v.causeCursor-1, 0), true
		} else {
			v.moveTo(v.table.Cursor() - 1)
			v.pick()
		}
	case key.Matches(km, k.Down):
		if v.focus == paneCauses {
			v.causeCursor, v.causePicked = max(min(v.causeCursor+1, len(v.causes)-1), 0), true
		} else {
			v.moveTo(v.table.Cursor() + 1)
			v.pick()
		}
	case key.Matches(km, k.PageUp, k.PageDown, k.Top, k.Bottom):
		v.jump(km, k)
	case key.Matches(km, k.Sort):
		v.sortBy = (v.sortBy + 1) % sortCount
		v.setRows()
	case key.Matches(km, k.Enter):
		// Opening a row picks it: the selection stays on it as the
		// order changes and once a filter that left it is cleared,
		// where it went back to the row picked before (QA s36 L2).
		if cmd = v.open(); cmd != nil && v.focus == paneUpstreams {
			v.pick()
		}
	}
	v.renderRows()
	return v, cmd
}

// jump moves the focused pane's selection a page or to an end, as in a
// list of 5xx. Top goes back to the untouched state: the selection stays
// on the top row, the worst upstream or the most frequent cause, as the
// order changes, as a list of 5xx follows the newest after g; any other
// move picks the row it lands on.
func (v *overview) jump(km tea.KeyMsg, k *keyMap) {
	top := key.Matches(km, k.Top)
	if v.focus == paneCauses {
		last, page := max(len(v.causes)-1, 0), max(v.plan.causeRows, 1)
		switch {
		case key.Matches(km, k.PageUp):
			v.causeCursor = max(v.causeCursor-page, 0)
		case key.Matches(km, k.PageDown):
			v.causeCursor = min(v.causeCursor+page, last)
		case top:
			v.causeCursor = 0
		case key.Matches(km, k.Bottom):
			v.causeCursor = last
		}
		v.causePicked = !top
		return
	}
	page := max(v.plan.tableRows, 1)
	switch {
	case key.Matches(km, k.PageUp):
		v.moveTo(v.table.Cursor() - page)
	case key.Matches(km, k.PageDown):
		v.moveTo(v.table.Cursor() + page)
	case top:
		v.moveTo(0)
	case key.Matches(km, k.Bottom):
		v.moveTo(len(v.rows) - 1)
	}
	if top {
		v.picked, v.pickedName = false, ""
		return
	}
	v.pick()
}

// selectUpstream selects the row of the upstream named (that of the 5xx
// n stopped at), as if the user had moved to it, when the table shows it.
func (v *overview) selectUpstream(name string) {
	for i, u := range v.rows {
		if u.Name == name {
			v.picked, v.pickedName = true, name
			v.table.SetCursor(i)
			v.renderRows() // the marker follows the cursor
			return
		}
	}
}

// pick records that the user chose the selected upstream.
func (v *overview) pick() {
	if c := v.table.Cursor(); c >= 0 && c < len(v.rows) {
		v.picked, v.pickedName = true, v.rows[c].Name
	}
}

// open asks for the drill-down of the selected upstream or cause.
func (v overview) open() tea.Cmd {
	if v.focus == paneCauses {
		if v.causeCursor >= len(v.causes) || v.lesson.hides() || !v.plan.causesShown {
			return nil
		}
		c := v.causes[v.causeCursor].cause
		return func() tea.Msg { return openCauseMsg{cause: c} }
	}
	i := v.table.Cursor()
	if i < 0 || i >= len(v.rows) || !v.plan.tableShown {
		return nil // not on screen: the user cannot see what they open
	}
	name := v.rows[i].Name
	return func() tea.Msg { return openUpstreamMsg{name: name} }
}

// view draws the overview.
func (v overview) view(s *classify.Snapshot, st *Styles) string {
	if s == nil {
		s = v.snap
	}
	p := v.plan
	hide := v.lesson.hides()
	var parts []string
	if p.narration > 0 {
		parts = append(parts, strings.Join(narrationPane(v.lesson, v.width, p.narration, maxBeats(v.height), st), "\n"))
	}
	if p.inputs > 0 {
		parts = append(parts, inputsView(s, p.inputs, v.width, st))
	}
	if p.advice > 0 {
		parts = append(parts, adviceView(s, p.advice, v.width, hide, st))
	}
	rates := ratesView(s, p.ratesW, st)
	if p.ratesLine {
		rates = ratesLineView(s, p.ratesW, st)
	}
	causes := v.causesView(p.causesW, p.causeRows, p.hints, st)
	if p.side {
		parts = append(parts, lipgloss.JoinHorizontal(lipgloss.Top, rates, "  ", causes))
	} else {
		parts = append(parts, rates, causes)
	}
	parts = append(parts, v.tableTitle(st), v.tableView())
	if p.alert {
		parts = append(parts, alertView(s, v.width, hide, st))
	}
	return strings.Join(parts, "\n")
}

func (v overview) tableTitle(st *Styles) string {
	title := paneTitle("Upstreams", v.focus == paneUpstreams, st)
	info := "by " + v.sortBy.String()
	if v.filter != "" {
		info += fmt.Sprintf(" · %d of %d match", len(v.rows), v.upstreams)
	}
	if len(v.rows) == 0 {
		info += " · none"
		if v.filter == "" {
			info += " yet"
		}
	}
	return clipStyled(title+" "+st.Dim.Render(info), v.width)
}

// causeKinds is how many causes the window's 5xx have, filtered or not.
func (v overview) causeKinds() int {
	n := 0
	for _, c := range v.snap.Windowed.Causes {
		if c > 0 {
			n++
		}
	}
	return n
}

// causesView draws the causes pane: count, share, bar and, when wide, the hint.
func (v overview) causesView(w, rows int, hints bool, st *Styles) string {
	info := fmt.Sprintf("of %s 5xx in %s", CountText(v.causeTotal), fmtWindow(v.snap.Window))
	if v.filter != "" && v.causeTotal > 0 {
		// A filter keeps a cause's row, not a share of its count: the
		// pane said "Causes of 1155 5xx" beside a table row of 442, as
		// if its counts were the filter's (QA s30). A filter matches
		// paths and request ids too, so "all upstreams" would not say it.
		info += ", unfiltered"
	}
	if p := v.snap.Pending; p > 0 && v.causeTotal > 0 {
		// The rates and the table count them already: without this the
		// pane said 64 beside a table row of 162 502s (QA s24 TUI #2).
		info += fmt.Sprintf(" · %s pending", CountText(int64(p)))
	}
	if v.filter != "" && v.causeTotal > 0 && !v.lesson.hides() {
		info += fmt.Sprintf(" · %d of %d match", len(v.causes), v.causeKinds())
	}
	if n := len(v.causes); rows < n && !v.lesson.hides() {
		info += fmt.Sprintf(" · %d of %d shown", max(rows, 0), n)
	}
	title := paneTitle("Causes", v.focus == paneCauses, st) + " " + st.Dim.Render(info)
	lines := []string{clipStyled(title, w)}
	if v.lesson.hides() && v.causeTotal > 0 {
		msg := " " + hiddenCause + " " + st.Dim.Render("hidden · ") + st.Focused.Render("r") +
			st.Dim.Render(" reveals them")
		return strings.Join(append(lines, clipStyled(msg, w)), "\n")
	}
	if len(v.causes) == 0 {
		msg := "no 5xx in the window"
		switch {
		case v.filter != "" && v.causeTotal > 0:
			msg = "no cause matches the filter"
		case v.causeTotal == 0 && v.snap.Pending > 0:
			// Their statuses are in the rates and the table already; the
			// verdict waits for late log lines.
			msg = fmt.Sprintf("%d 5xx awaiting a verdict", v.snap.Pending)
			switch {
			case v.snap.AppAwaited:
				msg += fmt.Sprintf(" (up to %s for the app log's first line)", classify.MaxAppLag)
			case v.snap.AppLag >= time.Second:
				msg += fmt.Sprintf(" (the app's lines come %s late)", v.snap.AppLag.Round(time.Second))
			}
		case v.causeTotal == 0 && len(v.snap.ErrorFailures) > 0:
			// An error log alone: its failures, not "no 5xx" (the
			// report's Status says the same), wrapped into the rows
			// the pane has.
			told := "the error log tells of " + classify.FailuresText(v.snap.ErrorFailures)
			if rows < 2 {
				msg = "no access log: " + told
				break
			}
			head, statuses := "no access log: no status is known", classify.StatusesText(v.snap.ErrorStatuses)
			if statuses != "" {
				head = "no access log: only the statuses the error log names are known"
			}
			var wrapped []string // after a space, continued by two
			for _, p := range []string{head, told} {
				wrapped = append(wrapped, wrapWords(p, w-3, "  ")...)
			}
			if statuses != "" {
				wrapped = append(wrapped, wrapWords("their statuses: "+statuses, w-3, "  ")...)
			}
			if len(wrapped) > rows {
				wrapped = wrapped[:rows]
				wrapped[rows-1] += " …"
			}
			for _, l := range wrapped {
				lines = append(lines, clipStyled(" "+st.Dim.Render(l), w))
			}
			return strings.Join(lines, "\n")
		}
		return strings.Join(append(lines, clipStyled(" "+st.Dim.Render(msg), w)), "\n")
	}
	const fixed = 2 + 6 + 5 + 1 // marker, count, share, gap before bar
	nameW := min(21, max(w-fixed-4, 8))
	barW := max(min(10, w-fixed-nameW), 1)
	hintW := w - fixed - nameW - barW - 2
	first := scrollStart(v.causeCursor, len(v.causes), rows)
	for i := first; i < min(first+rows, len(v.causes)); i++ {
		c := v.causes[i]
		mark := " "
		if i == v.causeCursor && v.focus == paneCauses {
			mark = "›"
		}
		name := padRight(clip(string(c.cause), nameW), nameW)
		if i == v.causeCursor && v.focus == paneCauses {
			name = st.Selected.Render(name)
		} else {
			name = st.Cause.Render(name)
		}
		line := fmt.Sprintf("%s %s %5s %4s ", mark, name, CountText(c.n), fmtShare(c.share)) +
			bar(c.share, barW, st)
		if hints && hintW > 10 {
			line += "  " + st.Dim.Render(clip(c.cause.Summary(), hintW))
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// bar draws share (0..1) as a bar of w cells.
func bar(f float64, w int, st *Styles) string {
	n := int(f*float64(w) + 0.5)
	if f > 0 && n == 0 {
		n = 1
	}
	n = min(n, w)
	return st.Bar.Render(strings.Repeat("█", n)) + st.Dim.Render(strings.Repeat("·", w-n))
}

// paneTitle renders a pane title; the focused one gets a marker and colour.
func paneTitle(name string, focused bool, st *Styles) string {
	if focused {
		return st.Focused.Render("▸ " + name)
	}
	return st.Section.Render("  " + name)
}

// scrollStart is the first row to show so that cursor stays visible in a
// list of n rows showing rows at a time.
func scrollStart(cursor, n, rows int) int {
	if rows <= 0 || n <= rows {
		return 0
	}
	return min(max(cursor-rows+1, 0), n-rows)
}

// sortUpstreams orders rows by key; the name breaks ties.
func sortUpstreams(rows []classify.UpstreamStats, k sortKey) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		switch k {
		case sortFivexx:
			if fa, fb := a.Windowed.Fivexx(), b.Windowed.Fivexx(); fa != fb {
				return fa > fb
			}
			ra, rb := share(a.Windowed.Fivexx(), a.Windowed.Requests), share(b.Windowed.Fivexx(), b.Windowed.Requests)
			if ra != rb {
				return ra > rb
			}
		case sortFivexxRate:
			ra, rb := share(a.Windowed.Fivexx(), a.Windowed.Requests), share(b.Windowed.Fivexx(), b.Windowed.Requests)
			if ra != rb {
				return ra > rb
			}
			if fa, fb := a.Windowed.Fivexx(), b.Windowed.Fivexx(); fa != fb {
				return fa > fb
			}
		case sortReqRate:
			if a.ReqPerSec != b.ReqPerSec {
				return a.ReqPerSec > b.ReqPerSec
			}
		case sortP99:
			if a.P99 != b.P99 {
				return a.P99 > b.P99
			}
		}
		return a.Name < b.Name
	})
}

// padRight pads a plain string with spaces to w cells.
func padRight(s string, w int) string {
	return s + strings.Repeat(" ", max(w-lenCells(s), 0))
}

// padLeft right-aligns a plain string in w cells.
func padLeft(s string, w int) string {
	return strings.Repeat(" ", max(w-lenCells(s), 0)) + s
}
