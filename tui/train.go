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
//   - r reveals the scenario whose 5xx are on the screen: that of the
//     newest 5xx in the window, or the one playing when the window holds
//     none. A scenario's 5xx stay in the window up to a minute after the
//     next one starts, and r revealed the next one's answer beside them
//     (QA s26). While the screen is behind, the pane says another scenario
//     plays; when the window also holds an earlier scenario's 5xx, it says
//     which are not the revealed one's.
//   - When the 5xx of another scenario reach the screen (or the window
//     empties while another plays) a new round begins: the causes are
//     hidden again.

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
	// at, with the beats up to and including at. The UI asks at each
	// snapshot's log time and at the times of the oldest and newest 5xx
	// in its window (narrate).
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
	// Began is when the scenario's current pass began; zero when unknown.
	Began time.Time
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
	on       bool // Options.Train and a Trainer source
	revealed bool
	// narration plays at the snapshot's log time: its beats are shown.
	narration Narration
	// answer is the scenario of the newest 5xx in the window, when it is
	// not narration's; earlier that of the oldest, when it is not
	// answer's (narrations).
	answer, earlier Narration
}

// hides reports whether cause names must stay off the screen.
func (l lesson) hides() bool { return l.on && !l.revealed }

// revealing is the scenario r reveals: that of the 5xx on the screen.
func (l lesson) revealing() Narration {
	if l.answer.Scenario != "" {
		return l.answer
	}
	return l.narration
}

// behind reports whether another scenario plays than the one whose 5xx
// are on the screen.
func (l lesson) behind() bool {
	return l.answer.Scenario != "" && l.answer.Scenario != l.narration.Scenario
}

// advance takes the narrations of the latest snapshot and reports whether
// a new round began: the 5xx on the screen are another scenario's, so the
// causes are hidden again.
func (l lesson) advance(n narrations) (lesson, bool) {
	before := l.revealing().Scenario
	l.narration, l.answer, l.earlier = n.now, Narration{}, Narration{}
	if n.answer.Scenario != n.now.Scenario {
		l.answer = n.answer
	}
	if n.earlier.Scenario != l.revealing().Scenario {
		l.earlier = n.earlier
	}
	newRound := before != "" && l.revealing().Scenario != before
	if newRound {
		l.revealed = false
	}
	return l, newRound
}

// narrations is what training mode takes with a snapshot, asked of the
// Trainer by the command that fetched the snapshot.
type narrations struct {
	now     Narration // at the snapshot's log time
	answer  Narration // of the newest 5xx in the window; now when it holds none
	earlier Narration // of the oldest 5xx in the window; zero when it holds none
}

// narrate asks tr about s: the narration at its log time and the
// scenarios of the newest and oldest 5xx in its window. It runs in a
// command, never in Update or View.
func narrate(tr Trainer, s *classify.Snapshot) narrations {
	if s == nil {
		s = &classify.Snapshot{}
	}
	n := narrations{now: tr.Narration(s.LogNow)}
	n.answer = n.now
	oldest, newest := fivexxTimes(s)
	if newest.IsZero() {
		return n
	}
	if n.now.Began.IsZero() || newest.Before(n.now.Began) {
		n.answer = tr.Narration(newest)
	}
	if n.answer.Began.IsZero() || oldest.Before(n.answer.Began) {
		n.earlier = tr.Narration(oldest)
	} else {
		n.earlier = n.answer
	}
	return n
}

// fivexxTimes are the times of the oldest and newest 5xx with a verdict in
// s's window; zero when it holds none.
func fivexxTimes(s *classify.Snapshot) (oldest, newest time.Time) {
	var from time.Time
	if s.Window > 0 {
		from = s.LogNow.Add(-s.Window)
	}
	for _, v := range s.Recent {
		if v == nil || v.Entry == nil || v.Entry.Time.Before(from) {
			continue
		}
		if t := v.Entry.Time; oldest.IsZero() || t.Before(oldest) {
			oldest = t
		}
		if t := v.Entry.Time; t.After(newest) {
			newest = t
		}
	}
	return oldest, newest
}

// revealNotes say, once revealed, how the scenario revealed stands to the
// screen: another one plays already, or the window holds 5xx of an
// earlier one too. Empty when the screen shows the one playing alone.
func revealNotes(l lesson) []string {
	var notes []string
	r := l.revealing()
	if l.behind() {
		since := ""
		if !l.narration.Began.IsZero() {
			since = " since " + fmtClock(l.narration.Began)
		}
		notes = append(notes, "the 5xx on the screen are its; another scenario plays"+since+
			", and its first 5xx hides the causes again")
	}
	if e := l.earlier; e.Scenario != "" && e.Scenario != r.Scenario {
		before := "the 5xx before it began are not its"
		if !r.Began.IsZero() {
			before = "the 5xx before " + fmtClock(r.Began) + " are not its"
		}
		notes = append(notes, before+"; the oldest are "+e.Scenario+"'s: "+e.Summary)
	}
	return notes
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
	n, r := l.narration, l.revealing()
	var title string
	if l.revealed {
		title = st.Section.Render("  Training") + " " + st.Cause.Render(Sanitize(r.Scenario))
		if r.Summary != "" {
			title += st.Dim.Render(" · " + Sanitize(r.Summary))
		}
	} else {
		title = st.Section.Render("  Training") + st.Dim.Render(" · what is happening · ") +
			st.Focused.Render("r") + st.Dim.Render(" reveals the causes")
	}
	head := []string{clipStyled(title, w)}
	if l.revealed {
		for _, note := range revealNotes(l) {
			for _, line := range wrapWords(Sanitize(note), max(w-3, 1), "") {
				head = append(head, st.Dim.Render("  "+line))
			}
		}
	}

	var expl []string
	if l.revealed && r.Explanation != "" {
		for _, line := range wrapWords(r.Explanation, max(w-3, 1), "") {
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
		out := append(head, expl...)
		for _, b := range beatLines {
			out = append(out, b...)
		}
		return out
	}
	if rows == 0 {
		return nil
	}
	// The notes say which scenario is revealed: they go after the title,
	// before the explanation, and last.
	head = head[:min(len(head), rows)]
	budget := rows - len(head)
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
	out := append(head, expl...)
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
	n, r := l.narration, l.revealing()
	if l.revealed {
		para("  ", "Scenario: "+r.Scenario+" · "+r.Summary)
		for _, note := range revealNotes(l) {
			para("  ", strings.ToUpper(note[:1])+note[1:]+".")
		}
		if r.Explanation != "" {
			para("  ", r.Explanation)
		}
		b.WriteString("  " + st.Dim.Render("r hides the causes again") + "\n")
	} else {
		para("  ", "The causes are hidden: work out from the logs what goes wrong, then press r to "+
			"reveal the verdicts, the hints and the explanation of the scenario whose 5xx are on the screen. "+
			"The first 5xx of a new scenario hides them again.")
	}
	if len(n.Lines) > 0 {
		b.WriteString("  " + st.Dim.Render("What happened so far:") + "\n")
	}
	for _, line := range n.Lines {
		para("    ", fmtClock(line.Time)+"  "+line.Text)
	}
	return b.String()
}
