package tui

import (
	"fivexx/classify"
)

// layout is what the overview shows at its size. Sections shrink in a fixed
// order until the upstream table has room for a few rows: samples go, then
// advice, then cause rows, then the input list becomes one summary line,
// then the rates pane becomes one line. In training mode the narration
// pane, the point of the exercise, shrinks only after those, and never
// below two lines.
type layout struct {
	narration int  // lines of the training pane, 0 when not training
	inputs    int  // inputsNone, inputsSummary, inputsList, inputsSamples
	advice    int  // advice lines shown
	side      bool // rates and causes side by side
	ratesLine bool // the rates pane is one summary line
	ratesW    int
	causesW   int
	hints     bool // cause hints shown
	causeRows int
	tableRows int
	alert     bool
	// causesShown and tableShown say the causes pane and the table's first
	// row are on screen: below that, enter opens nothing rather than a row
	// the user cannot see.
	causesShown, tableShown bool
}

// The forms of the inputs section.
const (
	inputsNone = iota
	inputsSummary
	inputsList
	inputsSamples
)

const (
	sideBySideMin = 76 // narrower than this, rates and causes stack
	minTableRows  = 3
)

// ratesPaneHeight is the lines of the rates pane of s: its title, a row
// per status (rateRows) and all.
func ratesPaneHeight(s *classify.Snapshot) int {
	return 1 + len(rateRows(s)) + 1
}

// narrationMin is how small the training pane gets before the table loses
// its last rows: the title and the newest beat.
const narrationMin = 2

// planOverview decides the layout for snapshot s with nCauses cause rows,
// nRows table rows and a training pane that wants narration lines (0 when
// not training) in w×h cells.
func planOverview(s *classify.Snapshot, nCauses, nRows, narration, w, h int) layout {
	p := layout{alert: len(s.Alerts) > 0, narration: narration}
	// arrange places rates and causes: side by side when wide, unless the
	// rates are one line, which reads better across the whole width.
	arrange := func() {
		p.side = w >= sideBySideMin && !p.ratesLine
		if p.side {
			p.ratesW = min(max(w*2/5, 36), 72)
			p.causesW = w - p.ratesW - 2
			p.hints = p.causesW >= 70
		} else {
			p.ratesW, p.causesW = w, w
			p.hints = w >= 100
		}
	}
	arrange()
	p.inputs = inputsList
	if sampleLines(s) > 0 && h >= 40 {
		p.inputs = inputsSamples
	}
	nAdvice := adviceCount(s)
	p.advice = min(nAdvice, 2)
	if h >= 40 {
		p.advice = min(nAdvice, 4)
	}
	p.causeRows = min(max(nCauses, 1), len(classify.AllCauses))

	used := func() int {
		n := p.narration + inputsHeight(s, p.inputs, w) + p.advice + 2 // + table title and header
		if p.alert {
			n++
		}
		ratesH := ratesPaneHeight(s)
		if p.ratesLine {
			ratesH = 1
		}
		if p.side {
			n += max(ratesH, 1+p.causeRows)
		} else {
			n += ratesH + 1 + p.causeRows
		}
		return n
	}
	shrink := []func() bool{
		func() bool { return p.inputs == inputsSamples && dec(&p.inputs) },
		func() bool { return p.advice > 1 && dec(&p.advice) },
		func() bool { return p.causeRows > ratesPaneHeight(s)-1 && dec(&p.causeRows) },
		func() bool { return !p.side && p.causeRows > 3 && dec(&p.causeRows) },
		func() bool { return p.inputs == inputsList && dec(&p.inputs) },
		func() bool { return p.advice > 0 && dec(&p.advice) },
		func() bool { return p.narration > 4 && dec(&p.narration) },
		func() bool { return p.causeRows > 1 && dec(&p.causeRows) },
		// Seven lines of rates left no row of the table in a 12-line terminal.
		func() bool {
			if p.ratesLine {
				return false
			}
			p.ratesLine = true
			arrange()
			return true
		},
		func() bool { return p.inputs > inputsNone && dec(&p.inputs) },
		func() bool { return p.narration > narrationMin && dec(&p.narration) },
		func() bool { p.alert = false; return false },
	}
	for _, step := range shrink {
		for h-used() < minTableRows && step() {
		}
	}
	// Give back what the table, short of rows, leaves unused: the rates
	// pane, then cause rows (a table of 6 rows left 2 lines blank under it
	// while the causes pane showed 3 of 7).
	want := max(nRows, minTableRows)
	if p.ratesLine {
		p.ratesLine = false
		arrange()
		if h-used() < want {
			p.ratesLine = true
			arrange()
		}
	}
	for p.causeRows < min(max(nCauses, 1), len(classify.AllCauses)) {
		p.causeRows++
		if h-used() < want {
			p.causeRows--
			break
		}
	}
	// The table takes the rows it has, so the alert stays right below it.
	room := h - used()
	p.tableRows = max(min(room, max(nRows, minTableRows)), 1)
	// The alert is the last line, and goes first when the body is cut.
	if p.alert {
		room++
	}
	p.tableShown = room >= 1
	p.causesShown = room >= -2 // below the causes: the table's title and header
	return p
}

// dec decrements *n and reports true, for use in shrink steps.
func dec(n *int) bool {
	*n--
	return true
}

// inputsHeight is the height of the inputs section in the given form at w
// cells.
func inputsHeight(s *classify.Snapshot, form, w int) int {
	switch form {
	case inputsSummary:
		return 1
	case inputsList:
		return 1 + len(s.Inputs) + stateLines(s, w)
	case inputsSamples:
		return 1 + len(s.Inputs) + stateLines(s, w) + sampleLines(s)
	}
	return 0
}

// stateLines counts the lines of full states (fullState) and notes
// (inputNote) under the inputs.
func stateLines(s *classify.Snapshot, w int) int {
	n := 0
	for _, in := range s.Inputs {
		n += len(fullState(in, w))
		if inputNote(in, w) != "" {
			n++
		}
	}
	return n
}

// sampleLines counts the inputs that have an unparsed sample to show.
func sampleLines(s *classify.Snapshot) int {
	n := 0
	for _, in := range s.Inputs {
		if in.Unparsed > 0 && len(in.Samples) > 0 {
			n++
		}
	}
	return n
}

// adviceCount is the number of advice lines: one per advice, plus one when
// bounded memory may have cost a verdict (Dropped.Lossy), plus one when
// requests came far from the log clock (FarOff).
func adviceCount(s *classify.Snapshot) int {
	n := len(s.Advice)
	if s.Dropped.Lossy() {
		n++
	}
	if s.FarOff.Requests > 0 {
		n++
	}
	if s.CutAfterHeaders > 0 {
		n++
	}
	if s.NoStatusLine > 0 {
		n++
	}
	return n
}
