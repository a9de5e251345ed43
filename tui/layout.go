package tui

import (
	"fivexx/classify"
)

// layout is what the overview shows at its size. Sections shrink in a fixed
// order until the upstream table has room for a few rows: samples go, then
// advice, then cause rows, then the input list becomes one summary line. In
// training mode the narration pane, the point of the exercise, shrinks only
// after those, and never below two lines.
type layout struct {
	narration int  // lines of the training pane, 0 when not training
	inputs    int  // inputsNone, inputsSummary, inputsList, inputsSamples
	advice    int  // advice lines shown
	side      bool // rates and causes side by side
	ratesW    int
	causesW   int
	hints     bool // cause hints shown
	causeRows int
	tableRows int
	alert     bool
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
	ratesPaneH    = 1 + 5 + 1
	minTableRows  = 3
)

// narrationMin is how small the training pane gets before the table loses
// its last rows: the title and the newest beat.
const narrationMin = 2

// planOverview decides the layout for snapshot s with nCauses cause rows,
// nRows table rows and a training pane that wants narration lines (0 when
// not training) in w×h cells.
func planOverview(s *classify.Snapshot, nCauses, nRows, narration, w, h int) layout {
	p := layout{alert: len(s.Alerts) > 0, side: w >= sideBySideMin, narration: narration}
	if p.side {
		p.ratesW = min(max(w*2/5, 36), 72)
		p.causesW = w - p.ratesW - 2
		p.hints = p.causesW >= 70
	} else {
		p.ratesW, p.causesW = w, w
		p.hints = w >= 100
	}
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
		n := p.narration + inputsHeight(s, p.inputs) + p.advice + 2 // + table title and header
		if p.alert {
			n++
		}
		if p.side {
			n += max(ratesPaneH, 1+p.causeRows)
		} else {
			n += ratesPaneH + 1 + p.causeRows
		}
		return n
	}
	shrink := []func() bool{
		func() bool { return p.inputs == inputsSamples && dec(&p.inputs) },
		func() bool { return p.advice > 1 && dec(&p.advice) },
		func() bool { return p.causeRows > ratesPaneH-1 && dec(&p.causeRows) },
		func() bool { return !p.side && p.causeRows > 3 && dec(&p.causeRows) },
		func() bool { return p.inputs == inputsList && dec(&p.inputs) },
		func() bool { return p.advice > 0 && dec(&p.advice) },
		func() bool { return p.narration > 4 && dec(&p.narration) },
		func() bool { return p.causeRows > 1 && dec(&p.causeRows) },
		func() bool { return p.inputs > inputsNone && dec(&p.inputs) },
		func() bool { return p.narration > narrationMin && dec(&p.narration) },
		func() bool { p.alert = false; return false },
	}
	for _, step := range shrink {
		for h-used() < minTableRows && step() {
		}
	}
	// The table takes the rows it has, so the alert stays right below it.
	p.tableRows = max(min(h-used(), max(nRows, minTableRows)), 1)
	return p
}

// dec decrements *n and reports true, for use in shrink steps.
func dec(n *int) bool {
	*n--
	return true
}

// inputsHeight is the height of the inputs section in the given form.
func inputsHeight(s *classify.Snapshot, form int) int {
	switch form {
	case inputsSummary:
		return 1
	case inputsList:
		return 1 + len(s.Inputs)
	case inputsSamples:
		return 1 + len(s.Inputs) + sampleLines(s)
	}
	return 0
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
// bounded memory dropped anything.
func adviceCount(s *classify.Snapshot) int {
	n := len(s.Advice)
	if d := s.Dropped; d.Pending+d.AppLines+d.Errors > 0 {
		n++
	}
	return n
}
