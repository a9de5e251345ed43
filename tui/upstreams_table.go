package tui

import (
	"github.com/charmbracelet/bubbles/table"

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
// cause out (training mode).
func upstreamRow(mark string, u classify.UpstreamStats, cols []table.Column, hide bool) table.Row {
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
		c = clip(c, cw)
		if rightAligned(i) {
			c = padLeft(c, cw)
		}
		row[i] = c
	}
	return row
}
