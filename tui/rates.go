package tui

import (
	"fmt"
	"strings"
	"time"

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
	for _, code := range rateCodes {
		vals := seriesOf(s.Series, code)
		line := "  " + st.status(code).Render(fmt.Sprint(code)) + " " +
			padLeft(fmtRate(recentRate(vals))+"/s", 7) + " " +
			padLeft(fmtShare(share(s.Windowed.Status[code], s.Windowed.Requests)), 5) + " " +
			st.status(code).Render(sparkline(vals, sparkW))
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
	for _, code := range rateCodes {
		if r := recentRate(seriesOf(s.Series, code)); r > 0 {
			line += " · " + st.status(code).Render(fmt.Sprint(code)) + " " + fmtRate(r) + "/s"
		}
	}
	line += " · " + st.Section.Render("all") + " " + fmtRate(recentRate(seriesOf(s.Series, 0))) + "/s"
	return clipStyled(line, w)
}

// seriesOf extracts one status from the per-second buckets; code 0 is all
// requests.
func seriesOf(series []classify.Bucket, code int) []int64 {
	out := make([]int64, len(series))
	for i, b := range series {
		switch code {
		case 0:
			out[i] = b.Requests
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
