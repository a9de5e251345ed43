package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"fivexx/classify"
)

// recentSpan is how many one-second buckets make the current rate: the
// span of each upstream's req/s too, so that one burst reads the same
// rate in both panes.
const recentSpan = int(classify.RateSpan / time.Second)

// ratesView draws the rates pane in w cells: per status the current rate
// (last 10 s of log time), the share of all requests in the window and a
// sparkline over the window; then the total request rate.
func ratesView(s *classify.Snapshot, w int, st *Styles) string {
	// The rates' span is said in the 36 cells the pane has at 80
	// columns ("now" did not say it); ? help says the rest. The longest
	// title that fits, where at 50 columns the full one was cut to
	// "Rates per s in the last 10 s · share of 15m · 5…", its 5xx share
	// lost (QA s30).
	win, fives := fmtWindow(s.Window), fmtShare(share(s.Windowed.Fivexx(), s.Windowed.Requests))
	var text string
	for _, f := range []string{
		"per s in the last 10 s · share of %s · 5xx %s",
		"per s in the last 10 s · %% of %s · 5xx %s",
		"10 s · %% of %s · 5xx %s",
		"now · %% of %s · 5xx %s",
	} {
		if text = fmt.Sprintf(f, win, fives); lenCells("  Rates "+text) <= w {
			break
		}
	}
	title := st.Section.Render("  Rates") + " " + st.Dim.Render(text)
	lines := []string{clipStyled(title, w)}
	const fixed = 2 + 3 + 1 + 7 + 1 + 5 + 1
	sparkW := max(w-fixed, 0)
	other := otherLabel(s)
	for _, code := range rateRows(s) {
		vals := seriesOf(s.Series, code)
		line := "  " + rateStyle(code, st).Render(rateLabel(code, other)) + " " +
			padLeft(fmtRate(recentRate(vals))+"/s", 7) + " " +
			padLeft(fmtShare(share(windowCount(s.Windowed, code), s.Windowed.Requests)), 5) + " " +
			rateStyle(code, st).Render(sparkline(vals, sparkW))
		lines = append(lines, clipStyled(line, w))
	}
	reqs := seriesOf(s.Series, 0)
	line := "  " + st.Section.Render("all") + " " + padLeft(fmtRate(recentRate(reqs))+"/s", 7) + " " +
		padLeft("", 5) + " " + st.Dim.Render(sparkline(reqs, sparkW))
	lines = append(lines, clipStyled(line, w))
	return strings.Join(lines, "\n")
}

// ratesLineView is the rates pane in one line of w cells, for short
// terminals: the 5xx share of the window, then the current rate of each
// status seen lately and of all requests.
func ratesLineView(s *classify.Snapshot, w int, st *Styles) string {
	line := st.Section.Render("  Rates") + " " + st.Dim.Render(fmt.Sprintf("5xx %s of %s",
		fmtShare(share(s.Windowed.Fivexx(), s.Windowed.Requests)), fmtWindow(s.Window)))
	other := otherLabel(s)
	for _, code := range rateRows(s) {
		if r := recentRate(seriesOf(s.Series, code)); r > 0 {
			line += " · " + rateStyle(code, st).Render(rateLabel(code, other)) + " " + fmtRate(r) + "/s"
		}
	}
	line += " · " + st.Section.Render("all") + " " + fmtRate(recentRate(seriesOf(s.Series, 0))) + "/s"
	return clipStyled(line, w)
}

// otherFivexxCode stands, among the rates pane's statuses, for the 5xx
// whose status rateCodes does not list (501, 505, Cloudflare's 520-530);
// no status is negative. Without its row the pane's title said "5xx 84%"
// above rows that added up to 37% (QA s31, a Cloudflare replay).
const otherFivexxCode = -5

// rateRows are the statuses of the rates pane, in display order: rateCodes,
// and otherFivexxCode after 504 when the window holds such 5xx, so the
// 5xx rows add up to the title's share. Without them the pane is as it was.
func rateRows(s *classify.Snapshot) []int {
	if !hasOtherFivexx(s) {
		return rateCodes
	}
	rows := make([]int, 0, len(rateCodes)+1)
	for _, code := range rateCodes {
		if code == 429 {
			rows = append(rows, otherFivexxCode)
		}
		rows = append(rows, code)
	}
	return rows
}

// rateLabel is the 3 cells that name a row of the rates pane; other
// names the other 5xx's (otherLabel).
func rateLabel(code int, other string) string {
	if code == otherFivexxCode {
		return other
	}
	return fmt.Sprint(code)
}

// rateStyle is the style of a row of the rates pane: its status's, the
// 5xx's for the others.
func rateStyle(code int, st *Styles) lipgloss.Style {
	if code == otherFivexxCode {
		code = 500
	}
	return st.status(code)
}

// windowCount is how many requests of c have the status of a rates row.
func windowCount(c classify.Counts, code int) int64 {
	if code == otherFivexxCode {
		return c.OtherFivexx
	}
	return c.Status[code]
}

// seriesOf extracts one status from the per-second buckets; code 0 is all
// requests, otherFivexxCode the 5xx of the other statuses.
func seriesOf(series []classify.Bucket, code int) []int64 {
	out := make([]int64, len(series))
	for i, b := range series {
		switch code {
		case 0:
			out[i] = b.Requests
		case otherFivexxCode:
			out[i] = max(b.S5xx-b.S500-b.S502-b.S503-b.S504, 0)
		case 500:
			out[i] = b.S500
		case 502:
			out[i] = b.S502
		case 503:
			out[i] = b.S503
		case 504:
			out[i] = b.S504
		case 429:
			out[i] = b.S429
		}
	}
	return out
}

// recentRate is the mean per second over the last recentSpan buckets.
func recentRate(vals []int64) float64 {
	n := min(recentSpan, len(vals))
	if n == 0 {
		return 0
	}
	var sum int64
	for _, v := range vals[len(vals)-n:] {
		sum += v
	}
	return float64(sum) / float64(n)
}
