package tui

import (
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/table"
	"github.com/charmbracelet/x/ansi"

	"fivexx/classify"
)

// The columns of the upstream table, in order.
const (
	colMark = iota
	colName
	colReqs
	col502
	col503
	col504
	colShare
	colP99
	colCause
	colApp
	colCount
)

// upstreamColumns sizes the table for w cells: numbers get fixed widths,
// name and cause share the rest. Every column is followed by one space.
func upstreamColumns(w int) []table.Column {
	num := [colCount]int{colMark: 1, colReqs: 5, col502: 4, col503: 4, col504: 4, colShare: 5, colP99: 5, colApp: 7}
	if w >= 120 {
		num = [colCount]int{colMark: 1, colReqs: 7, col502: 6, col503: 6, col504: 6, colShare: 6, colP99: 7, colApp: 8}
	}
	fixed := colCount
	for _, n := range num {
		fixed += n
	}
	flex := max(w-fixed, 12)
	causeW := min(22, flex/2)
	widths := num
	widths[colName], widths[colCause] = min(flex-causeW, 48), causeW
	titles := [colCount]string{"", "upstream", "req/s", "502", "503", "504", "5xx%", "p99", "cause", "app log"}
	cols := make([]table.Column, colCount)
	for i := range cols {
		t := titles[i]
		if rightAligned(i) {
			t = padLeft(t, widths[i])
		}
		cols[i] = table.Column{Title: clip(t, widths[i]), Width: widths[i]}
	}
	return cols
}

// rightAligned reports whether column i holds numbers.
func rightAligned(i int) bool {
	return i != colMark && i != colName && i != colCause
}

// upstreamRow is the table row of u for the columns cols; hide keeps the
// cause out (training mode); keepTail cuts a long name at its start, not
// its end (tailDistinguishes).
func upstreamRow(mark string, u classify.UpstreamStats, cols []table.Column, hide, keepTail bool) table.Row {
	w := u.Windowed
	cause := none
	if u.DominantCause != "" {
		cause = causeName(u.DominantCause, hide)
	}
	app := none
	if c := u.AppCoverage(); c >= 0 {
		app = fmtShare(c)
	}
	cells := [colCount]string{
		colMark:  mark,
		colName:  u.Name,
		colReqs:  fmtRate(u.ReqPerSec),
		col502:   CountText(w.Status[502]),
		col503:   CountText(w.Status[503]),
		col504:   CountText(w.Status[504]),
		colShare: fmtShare(share(fivexx(w), w.Requests)),
		colP99:   fmtMillis(u.P99),
		colCause: cause,
		colApp:   app,
	}
	row := make(table.Row, colCount)
	for i, c := range cells {
		cw := 1
		if i < len(cols) {
			cw = cols[i].Width
		}
		if i == colName && keepTail {
			c = clipStart(c, cw)
		} else {
			c = clip(c, cw)
		}
		if rightAligned(i) {
			c = padLeft(c, cw)
		}
		row[i] = c
	}
	return row
}

// tailDistinguishes returns the names, among names, that share a longer
// start than end with another name: those are told apart by their end,
// which a cut must keep. At 60 columns the name column is 8 cells, and
// 10.0.1.12:8080 beside 10.0.1.13:8080 read "10.0.1.…" on every row; now
// "…12:8080". Names that share their end (api-7f9c.prod.svc.cluster.local)
// keep their start, as before.
func tailDistinguishes(names []string) map[string]bool {
	if len(names) < 2 {
		return nil
	}
	prefix := longestShared(names, func(s string) string { return s })
	suffix := longestShared(names, reverse)
	out := map[string]bool{}
	for _, n := range names {
		if prefix[n] > suffix[n] {
			out[n] = true
		}
	}
	return out
}

// longestShared maps each name to the longest prefix of key(name) it
// shares with the key of another name: after sorting, that other is a
// neighbour.
func longestShared(names []string, key func(string) string) map[string]int {
	type kn struct{ k, name string }
	ks := make([]kn, len(names))
	for i, n := range names {
		ks[i] = kn{key(n), n}
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].k < ks[j].k })
	out := make(map[string]int, len(names))
	for i := range ks {
		best := 0
		if i > 0 {
			best = commonPrefix(ks[i].k, ks[i-1].k)
		}
		if i+1 < len(ks) {
			best = max(best, commonPrefix(ks[i].k, ks[i+1].k))
		}
		out[ks[i].name] = max(out[ks[i].name], best)
	}
	return out
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// reverse reverses s byte by byte: only the lengths of shared ends matter.
func reverse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := len(s) - 1; i >= 0; i-- {
		b.WriteByte(s[i])
	}
	return b.String()
}

// clipStart sanitizes s and cuts it to at most w cells from its start,
// beginning with "…" when cut.
func clipStart(s string, w int) string {
	if w <= 0 {
		return ""
	}
	s = Sanitize(s)
	over := ansi.StringWidth(s) - w
	if over <= 0 {
		return s
	}
	if w == 1 {
		return "…"
	}
	return ansi.TruncateLeft(s, over+1, "…")
}
