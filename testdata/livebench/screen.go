package main

// What the overview shows that livebench reads (tui/overview.go,
// tui/inputs.go, tui/frame.go): the header, the inputs section, the
// causes title and the upstream table row of the markers.

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"fivexx/classify"
	"fivexx/tui"
)

// screenInput is one row of the inputs section.
type screenInput struct {
	Format, State string
	Rate          string // lines/s as shown: "0", "12.5", "2345", "26k"
	Unparsed      string
}

// screenFacts is what one capture of the screen says.
type screenFacts struct {
	live     bool // the header of live mode is there
	help     bool // the help screen is open
	overview bool // the overview's upstream table is there
	pending  int64
	dropped  int64 // the header's total
	// the advice line's parts: 5xx judged early, app and error lines evicted
	droppedPending, droppedApp, droppedErrors int64
	causes                                    string // the count in "Causes of N 5xx", as shown; "" when absent
	// marker502 is the 502 count of markerUpstream's row, -1 when the row
	// is not shown; markerCause its cause column.
	marker502   int
	markerCause string
	inputs      map[string]screenInput // by role
	causeCounts map[string]string      // the causes pane's rows: count as shown, by cause
	// The upstream table: its rows, the sums of their 502, 503 and 504
	// columns, and whether the sums are exact: no count shown rounded
	// ("12k") and every row on screen (the layout had room to spare, so
	// the table took all its rows: tui/layout.go).
	tableRows  int
	tableSums  map[int]int64
	tableExact bool
}

var (
	liveHeader = regexp.MustCompile(`(?m)^fivexx live\b`)
	helpTitle  = regexp.MustCompile(`(?m)^▸ help\b`)
	tableTitle = regexp.MustCompile(`(?m)^. Upstreams by `)
	pendingRe  = regexp.MustCompile(`· pending (\d+)`)
	droppedRe  = regexp.MustCompile(`· dropped (\d+)`)
	causesRe   = regexp.MustCompile(`Causes of (\S+) 5xx`)
	droppedAdv = regexp.MustCompile(`dropped (\d+) 5xx judged early, (\d+) app lines and (\d+) error lines evicted`)
	// The upstream table's header, and a row: mark, name, req/s, 502, 503,
	// 504; tableRow500 with the 500 column before 502.
	tableHeader    = regexp.MustCompile(`^\s+upstream\s+req/s\s+502\s+503\s+504\b`)
	tableHeader500 = regexp.MustCompile(`(?m)^\s+upstream\s+req/s\s+500\s+502\s+503\s+504\b`)
	tableRow       = regexp.MustCompile(`^[ ›] (\S+)\s+\S+\s+(\d+[kMG]?)\s+(\d+[kMG]?)\s+(\d+[kMG]?)\s`)
	tableRow500    = regexp.MustCompile(`^[ ›] (\S+)\s+\S+\s+\d+[kMG]?\s+(\d+[kMG]?)\s+(\d+[kMG]?)\s+(\d+[kMG]?)\s`)
	// A row of the causes pane: name, count, share.
	causeRow = regexp.MustCompile(`(?m)[ ›] (` + causeNames() + `)\s+(\d+[kMG]?)\s+(?:<?[\d.]+%)`)
)

// causeNames is an alternation of every cause name.
func causeNames() string {
	var names []string
	for _, c := range classify.AllCauses {
		names = append(names, regexp.QuoteMeta(string(c)))
	}
	return strings.Join(names, "|")
}

// inputRoles are the first words of the inputs section's rows.
var inputRoles = []string{"proxy", "proxy-errors", "app"}

func readScreen(s string) screenFacts {
	f := screenFacts{
		live:        liveHeader.MatchString(s),
		help:        helpTitle.MatchString(s),
		overview:    tableTitle.MatchString(s),
		marker502:   -1,
		inputs:      map[string]screenInput{},
		causeCounts: map[string]string{},
	}
	header, _, _ := strings.Cut(s, "\n")
	if m := pendingRe.FindStringSubmatch(header); m != nil {
		f.pending, _ = strconv.ParseInt(m[1], 10, 64)
	}
	if m := droppedRe.FindStringSubmatch(header); m != nil {
		f.dropped, _ = strconv.ParseInt(m[1], 10, 64)
	}
	if m := causesRe.FindStringSubmatch(s); m != nil {
		f.causes = m[1]
	}
	if m := droppedAdv.FindStringSubmatch(s); m != nil {
		f.droppedPending, _ = strconv.ParseInt(m[1], 10, 64)
		f.droppedApp, _ = strconv.ParseInt(m[2], 10, 64)
		f.droppedErrors, _ = strconv.ParseInt(m[3], 10, 64)
	}
	f.marker502, f.markerCause = markerRow(s)
	for _, m := range causeRow.FindAllStringSubmatch(s, -1) {
		f.causeCounts[m[1]] = m[2]
	}
	f.readTable(s)
	for _, line := range strings.Split(s, "\n") {
		// role format state... lines/s unparsed last path
		w := strings.Fields(line)
		if len(w) < 7 || !isRole(w[0]) {
			continue
		}
		n := len(w)
		f.inputs[w[0]] = screenInput{
			Format:   w[1],
			State:    strings.Join(w[2:n-4], " "),
			Rate:     w[n-4],
			Unparsed: w[n-3],
		}
	}
	return f
}

// readTable sums the upstream table's 502, 503 and 504 columns.
// markerRow reads the marker upstream's row of the upstream table: its
// 502 count and its cause, found by the header's columns (the table has a
// 500 column, an oth column and a retry column only when some row has
// such counts: fixed places read the retry count as the 5xx% and the p99
// as the cause); -1 and "" when the row is not shown.
func markerRow(s string) (int, string) {
	var cols []string
	for _, l := range strings.Split(s, "\n") {
		w := strings.Fields(l)
		if cols == nil {
			if tableHeader.MatchString(l) || tableHeader500.MatchString(l) {
				cols = w
			}
			continue
		}
		if len(w) > 0 && (w[0] == "›" || w[0] == ">") {
			w = w[1:]
		}
		if len(w) == 0 || w[0] != markerUpstream {
			continue
		}
		i502, iCause := slices.Index(cols, "502"), slices.Index(cols, "cause")
		if i502 < 0 || iCause < 0 || iCause >= len(w) {
			return -1, ""
		}
		n, err := strconv.Atoi(w[i502])
		if err != nil {
			return -1, ""
		}
		return n, w[iCause]
	}
	return -1, ""
}

func (f *screenFacts) readTable(s string) {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	start, row := -1, tableRow
	for i, l := range lines {
		if tableHeader.MatchString(l) {
			start = i + 1
			break
		}
		if tableHeader500.MatchString(l) {
			start, row = i+1, tableRow500
			break
		}
	}
	if start < 0 {
		return
	}
	f.tableSums = map[int]int64{}
	f.tableExact = true
	i := start
	for ; i < len(lines); i++ {
		m := row.FindStringSubmatch(lines[i])
		if m == nil {
			break
		}
		f.tableRows++
		for j, code := range []int{502, 503, 504} {
			n, err := strconv.ParseInt(m[j+2], 10, 64)
			if err != nil {
				f.tableExact = false
				continue
			}
			f.tableSums[code] += n
		}
	}
	// The line above the footer is blank when the body had room to spare.
	if len(lines) < 2 || strings.TrimSpace(lines[len(lines)-2]) != "" {
		f.tableExact = false
	}
}

func isRole(s string) bool {
	for _, r := range inputRoles {
		if s == r {
			return true
		}
	}
	return false
}

// countText is how the UI shows a count.
func countText(n int64) string { return tui.CountText(n) }

// rateValue reads a rate as the UI shows it (tui/units.go fmtRate).
func rateValue(s string) (float64, bool) {
	mult := 1.0
	switch {
	case strings.HasSuffix(s, "k"):
		s, mult = strings.TrimSuffix(s, "k"), 1e3
	case strings.HasSuffix(s, "M"):
		s, mult = strings.TrimSuffix(s, "M"), 1e6
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return v * mult, true
}
