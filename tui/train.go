package tui

// Training mode. The rules are:
//   - It is on when Options.Train is set and the Source implements Trainer
//     (the demo); otherwise nothing here shows.
//   - Until the trainee presses r, no cause name reaches the screen: the
//     causes pane, the upstream table's cause column, the drill-down, the
//     request's verdict and hint, and any free text (alerts, advice) that
//     names a cause show "?" instead. The filter does not match cause names
//     either, or typing one would give the answer away. Everything else (the
//     logs, the evidence, the statuses) stays: it is what the trainee reasons
//     from.
//   - The narration pane tells what happens in the system, never the
//     answer; after r it shows the scenario's summary and explanation.
//   - When another scenario starts playing the causes are hidden again.

import (
	"strings"
	"time"

	"fivexx/classify"
)

// Trainer is implemented by sources that play a known scenario, as the demo
// does. Its method is called from command goroutines, concurrently with
// Snapshot, never from Update or View.
type Trainer interface {
	// Narration returns the narration of the scenario playing at log time
	// at, with the beats up to and including at.
	Narration(at time.Time) Narration
}

// Narration is what training mode tells about the scenario playing.
type Narration struct {
	// Scenario names the scenario; it gives the incident away, so it is
	// shown only after reveal. When it changes a new round starts and the
	// causes are hidden again.
	Scenario string
	// Lines are the beats so far in the current pass, oldest first: what an
	// operator would observe or be told, never the answer.
	Lines []NarrationLine
	// Explanation says why the logs look as they do; shown after reveal.
	Explanation string
	// Summary names the incident in one line; shown after reveal.
	Summary string
}

// NarrationLine is one beat of the narration at its log time.
type NarrationLine struct {
	Time time.Time
	Text string
}

// hiddenCause stands for a cause name while training hides the causes.
const hiddenCause = "?"

// lesson is training mode's state. The zero value is "not training":
// nothing is hidden and no narration shows.
type lesson struct {
	on        bool // Options.Train and a Trainer source
	revealed  bool
	narration Narration
}

// hides reports whether cause names must stay off the screen.
func (l lesson) hides() bool { return l.on && !l.revealed }

// advance takes the narration of the latest snapshot and reports whether
// a new round began: another scenario plays, so the causes are hidden again.
func (l lesson) advance(n Narration) (lesson, bool) {
	newRound := l.narration.Scenario != "" && n.Scenario != l.narration.Scenario
	l.narration = n
	if newRound {
		l.revealed = false
	}
	return l, newRound
}

// causeName is c as shown: hiddenCause while the causes are hidden.
func causeName(c classify.Cause, hide bool) string {
	if hide {
		return hiddenCause
	}
	return string(c)
}

// redactCauses replaces the cause names in free text (an alert, advice) by
// hiddenCause. "unknown" is an ordinary word, so only a trailing " — unknown",
// the form alerts use, is replaced.
func redactCauses(s string) string {
	for _, c := range classify.AllCauses {
		if c != classify.Unknown {
			s = strings.ReplaceAll(s, string(c), hiddenCause)
		}
	}
	if suffix := " — " + string(classify.Unknown); strings.HasSuffix(s, suffix) {
		s = strings.TrimSuffix(s, suffix) + " — " + hiddenCause
	}
	return s
}

// maxBeats is how many of the newest beats the narration pane shows for a
// screen body h lines high.
func maxBeats(h int) int {
	if h >= 40 {
		return 6
	}
	return 3
}

// narrationPane renders the training pane in w cells and at most rows
// lines; rows < 0 means every line it wants. Before reveal it holds the
// newest beats; after, the summary, the explanation and then the newest
// beats. What does not fit goes, oldest beats first, then the end of the
// explanation, which the help screen holds in full.
func narrationPane(l lesson, w, rows, beats int, st *Styles) []string {
	n := l.narration
	var title string
	if l.revealed {
		title = st.Section.Render("  Training") + " " + st.Cause.Render(Sanitize(n.Scenario))
		if n.Summary != "" {
			title += st.Dim.Render(" · " + Sanitize(n.Summary))
		}
	} else {
		title = st.Section.Render("  Training") + st.Dim.Render(" · what is happening · ") +
			st.Focused.Render("r") + st.Dim.Render(" reveals the causes")
	}
	title = clipStyled(title, w)

	var expl []string
	if l.revealed && n.Explanation != "" {
		for _, line := range wrapWords(n.Explanation, max(w-3, 1), "") {
			expl = append(expl, "  "+line)
		}
	}
	// Beats, newest last; each wraps under its text, past the time stamp.
	var beatLines [][]string
	first := max(len(n.Lines)-beats, 0)
	for _, b := range n.Lines[first:] {
		stamp := "  " + fmtClock(b.Time) + "  "
		indent := strings.Repeat(" ", lenCells(stamp))
		wrapped := wrapWords(b.Text, max(w-lenCells(stamp), 1), indent)
		wrapped[0] = st.Dim.Render(stamp) + wrapped[0]
		beatLines = append(beatLines, wrapped)
	}
	if len(n.Lines) == 0 {
		beatLines = append(beatLines, []string{st.Dim.Render("  nothing has happened yet")})
	}

	if rows < 0 {
		out := append([]string{title}, expl...)
		for _, b := range beatLines {
			out = append(out, b...)
		}
		return out
	}
	if rows == 0 {
		return nil
	}
	budget := rows - 1
	if len(expl) > budget {
		expl = expl[:budget]
		if budget > 0 {
			more := "… " + st.Dim.Render("(? shows it all)")
			cut := truncCells(expl[budget-1], max(w-lenCells(more), 0), "")
			expl[budget-1] = strings.TrimRight(cut, " ") + more
		}
	}
	budget -= len(expl)
	// The newest beats that fit whole; a lone beat too long is cut.
	var shown []string
	for i := len(beatLines) - 1; i >= 0 && budget > 0; i-- {
		b := beatLines[i]
		if len(b) > budget {
			if len(shown) == 0 {
				shown = b[:budget]
			}
			break
		}
		shown = append(append([]string(nil), b...), shown...)
		budget -= len(b)
	}
	out := append([]string{title}, expl...)
	return append(out, shown...)
}

// trainingHelp is the training section of the help screen: the whole
// narration and, after reveal, the scenario and its explanation.
func trainingHelp(l lesson, w int, st *Styles) string {
	var b strings.Builder
	b.WriteString(st.Section.Render(" Training") + "\n")
	// para wraps text at indent; continuation lines get two cells more.
	para := func(indent string, text string) {
		for _, line := range wrapWords(text, max(w-lenCells(indent)-3, 10), "  ") {
			b.WriteString(indent + line + "\n")
		}
	}
	n := l.narration
	if l.revealed {
		para("  ", "Scenario: "+n.Scenario+" · "+n.Summary)
		if n.Explanation != "" {
			para("  ", n.Explanation)
		}
		b.WriteString("  " + st.Dim.Render("r hides the causes again") + "\n")
	} else {
		para("  ", "The causes are hidden: work out from the logs what goes wrong, then press r to "+
			"reveal the verdicts, the hints and the explanation. A new scenario hides them again.")
	}
	if len(n.Lines) > 0 {
		b.WriteString("  " + st.Dim.Render("What happened so far:") + "\n")
	}
	for _, line := range n.Lines {
		para("    ", fmtClock(line.Time)+"  "+line.Text)
	}
	return b.String()
}
