package tui

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"fivexx/classify"
)

// helpView is the help screen: the keys, the field guide to the statuses
// and the full advice for the current inputs, scrollable.
type helpView struct {
	vp     viewport.Model
	snap   *classify.Snapshot
	lesson lesson // training mode: its section comes first
	width  int
	height int
}

// open renders the help for the current snapshot, from the top.
func (v *helpView) open(k *keyMap, st *Styles, s *classify.Snapshot, l lesson) {
	v.snap, v.lesson = s, l
	v.vp.SetContent(helpContent(k, st, s, l, v.width))
	v.vp.GotoTop()
}

// setSize sizes the viewport and re-wraps the content.
func (v *helpView) setSize(w, h int, k *keyMap, st *Styles) {
	v.width, v.height = w, h
	v.vp.Width, v.vp.Height = w, max(h-1, 1)
	v.vp.SetContent(helpContent(k, st, v.snap, v.lesson, w))
}

// setLesson takes the training state, re-rendering only when what the help
// shows of it changed, so the scroll position stays.
func (v *helpView) setLesson(l lesson, k *keyMap, st *Styles) {
	old := v.lesson
	v.lesson = l
	if old.on == l.on && old.revealed == l.revealed && old.narration.Scenario == l.narration.Scenario &&
		len(old.narration.Lines) == len(l.narration.Lines) && old.answer.Scenario == l.answer.Scenario &&
		old.earlier.Scenario == l.earlier.Scenario {
		return
	}
	v.vp.SetContent(helpContent(k, st, v.snap, l, v.width))
}

// update scrolls.
func (v helpView) update(msg tea.Msg, k *keyMap) (helpView, tea.Cmd) {
	if km, ok := msg.(tea.KeyMsg); ok {
		scrollViewport(&v.vp, km, k)
	}
	return v, nil
}

// view draws the title line and the viewport.
func (v helpView) view(st *Styles) string {
	pos := st.Dim.Render(fmt.Sprintf(" %3.0f%%", v.vp.ScrollPercent()*100))
	return spread(st.Focused.Render("▸ help"), pos, v.width) + "\n" + v.vp.View()
}

// helpContent renders the training section (in training mode), the keys,
// the field guide and the advice for w cells.
func helpContent(k *keyMap, st *Styles, s *classify.Snapshot, l lesson, w int) string {
	var b strings.Builder
	if l.on {
		b.WriteString(trainingHelp(l, w, st) + "\n")
	}
	// para wraps each line of text as prose (wrapWords: the commands an
	// advice's fix names stay on one line); continuation lines are
	// indented two more cells so labelled lines stand out.
	para := func(indent int, text string) {
		pad := strings.Repeat(" ", indent)
		for _, line := range strings.Split(text, "\n") {
			for _, l := range wrapWords(line, max(w-indent-2, 10), "  ") {
				b.WriteString(pad + l + "\n")
			}
		}
	}
	section := func(title string) {
		b.WriteString(st.Section.Render(" "+title) + "\n")
	}

	section("Keys")
	for _, r := range keyDocs(k) {
		keys := padRight(r.b.Help().Key, 10)
		b.WriteString("  " + st.Focused.Render(keys) + " ")
		text := ansi.Wordwrap(r.text, max(w-13, 10), "")
		b.WriteString(strings.ReplaceAll(text, "\n", "\n"+strings.Repeat(" ", 13)) + "\n")
	}
	b.WriteString("\n")

	section("What the numbers mean")
	for _, n := range numberDocs(s) {
		if n.label == "" {
			b.WriteString("  " + st.Dim.Render(n.text) + "\n")
			continue
		}
		b.WriteString("  " + st.Focused.Render(padRight(n.label, 10)) + " ")
		text := ansi.Wordwrap(n.text, max(w-13, 10), "")
		b.WriteString(strings.ReplaceAll(text, "\n", "\n"+strings.Repeat(" ", 13)) + "\n")
	}
	b.WriteString("\n")

	section("Field guide")
	for _, g := range classify.ExplainCodes() {
		b.WriteString("  " + st.status(g.Code).Render(fmt.Sprintf("%d %s", g.Code, g.Title)) + "\n")
		para(4, strings.Join(guideLines(g.Text), "\n"))
		b.WriteString("\n")
	}

	if s != nil && s.FarOff.Requests+s.Dropped.Pending+s.Dropped.Short > 0 {
		// The advice lines of the overview say "see ?" for these too.
		section("Left out of the counts")
		for _, sum := range []string{s.FarOff.Summary(), s.Dropped.Summary()} {
			if sum != "" {
				para(2, "• "+sum)
			}
		}
		b.WriteString("\n")
	}
	if cut, none := cutAfterHeadersText(cutAfterHeaders(s)), noStatusLine(s); cut != "" || none != "" {
		section("Broken, but not a 5xx")
		if cut != "" {
			if l.hides() {
				cut = redactCauses(cut)
			}
			para(2, "• "+cut)
		}
		if none != "" {
			para(2, "• "+none)
		}
		b.WriteString("\n")
	}
	if s != nil && len(s.Advice) > 0 {
		section("Advice for these inputs")
		for _, a := range s.Advice {
			problem, fix := Sanitize(a.Problem), Sanitize(a.Fix)
			if l.hides() {
				problem, fix = redactCauses(problem), redactCauses(fix)
			}
			para(2, "• "+problem)
			para(4, "fix: "+fix)
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// keyDoc is one key with what it does.
type keyDoc struct {
	b    key.Binding
	text string
}

// keyDocs documents every binding; the key names come from the keymap.
// Reveal is listed only in training mode.
func keyDocs(k *keyMap) []keyDoc {
	var docs []keyDoc
	if k.Reveal.Enabled() {
		docs = append(docs, keyDoc{k.Reveal, "training: reveal the causes, verdicts, hints and the explanation; " +
			"r again hides them"})
	}
	return append(docs, []keyDoc{
		{k.Up, "move up, or scroll"},
		{k.Down, "move down, or scroll"},
		{k.PageUp, "page up (the upstream table, the causes, a list of 5xx, the request, help)"},
		{k.PageDown, "page down"},
		{k.Top, "go to the top, and stay there until you move: in a list of 5xx on the newest as they come, " +
			"in the upstream table and the causes on the top row as the order changes (otherwise the selection " +
			"stays on its 5xx, upstream or cause)"},
		{k.Bottom, "go to the bottom"},
		{k.NextPane, "overview: switch between the upstream table and the causes (shift+tab goes back)"},
		{k.Enter, "open: an upstream or a cause lists its recent 5xx; a 5xx opens the request detail"},
		{k.Back, "back to the previous screen; on the overview, clear the filter (backspace works too)"},
		{k.Filter, "filter by upstream, method, path, status, cause or request id (a substring, any case; an id also as the app logged it); " +
			"it applies as you type, enter keeps it, esc restores the previous one"},
		{k.Sort, "sort the upstream table: 5xx, 5xx rate, req/s, name, p99"},
		{k.Window, "rolling window: 1 = 1 minute, 5 = 5 minutes, 1 then 5 within 0.6 s = 15 minutes; " +
			"the header shows the window in force (5m→15m until the engine has switched)"},
		{k.Pause, "freeze the display on the last snapshot, on every screen: the header (clocks, pending) and the " +
			"replay line (progress, ETA, the demo's \"next … in\") too; reading the logs goes on (space pauses a " +
			"replay's reading), and the replay line still shows what space and +/- set; p again catches up"},
		{k.ReplayPause, "replay only: pause or resume reading"},
		{k.Faster, "replay only: + plays faster, - slower"},
		{k.NextFivexx, "replay only: skip ahead to the next 5xx and its verdict, then pause there (the replay line names it)"},
		{k.Help, "this help; ? or esc closes it"},
		{k.Quit, "quit (ctrl+c too, exit status 130 as for SIGINT)"},
		{k.Suspend, "suspend to the shell; fg brings fivexx back (it reads nothing while stopped, and catches up then; a replay goes on from where it was)"},
	}...)
}

// numberDoc is one number on screen with what it counts; a doc without a
// label heads the numbers of one pane.
type numberDoc struct {
	label, text string
}

// numberDocs says what each number on screen counts, pane by pane, as the
// code computes it: the rates (recentRate, classify.RateSpan), the shares
// (share of the window's Windowed counts), the sparklines (bucketize over
// Snapshot.Series), the upstream table (classify.UpstreamStats), the
// inputs (classify.InputStatus), the verdicts (classify.Confidence,
// matchedBy). A new user read "app log 0%" as "the app log is empty".
// The oth rows are said only when s's window has them (hasOtherFivexx),
// as the screens show them only then.
func numberDocs(s *classify.Snapshot) []numberDoc {
	docs := []numberDoc{
		{"", "header"},
		{"log", "the log clock, which rates, windows and ages run on: the newest line's time (a replay's: " +
			"of the newest line played); live, while no line comes, it runs on with the wall clock"},
		{"window", "the rolling window every count, share and sparkline below covers (1/5/15)"},
		{"pending", "5xx waiting a few seconds of log time for late error and app lines before their verdict; " +
			"not in the causes yet"},
		{"", "inputs"},
		{"lines/s", "lines per second over the last 10 s: an access log's, of the lines with a time in the last " +
			"10 s of log time, as the rates' all counts them (one access log reads as all does); the others', " +
			"of the lines read in the last 10 s of wall time live, played with a time in them in a replay"},
		{"unparsed", "lines no parser of its format read (a sample is shown under it)"},
		{"last", "the age of the input's newest line on the log clock"},
		{"", "rates"},
		{"10 s", "the first column: requests per second with that status over the last 10 s of log time; " +
			"all: every request"},
		{"share, %", "the middle column (its title says \"share of 15m\", or \"% of 15m\" when narrow, with the " +
			"window's span): that status's share of all the requests in the window; 5xx: the share of 500–599 in it"},
		{"sparkline", "the whole window, oldest at the left, one cell per second or per group of seconds, " +
			"scaled to its own line's highest cell"},
		{otherTitle, otherRatesDoc},
		{"", "causes"},
		{"count, %", "the 5xx of the window with that cause, and their share of the window's 5xx with a verdict " +
			"(the bar draws the share); a / filter keeps the causes it matches, with these counts of all the " +
			"window's 5xx (the title says \"unfiltered\")"},
		{"", "upstream table"},
		{"req/s", "requests per second over the last 10 s of log time"},
		{"500…504", "the requests with that status in the window"},
		{otherTitle, otherTableDoc},
		{retryTitle, "its attempts in the window that failed and that the proxy retried on another server " +
			"($upstream_addr lists every server tried): the request counts under the last one only, so a server " +
			"down behind its retries has no 5xx of its own"},
		{"5xx%", "the share of its requests in the window answered 500–599"},
		{"p99", "the 99th percentile of the proxy's request time, over the minutes the window touches " +
			"(— when the log has no request time)"},
		{"cause", "the most frequent cause of its 5xx in the last 20–30 s of log time; with none then, the " +
			"window's, after \"was\" (its 5xx have stopped)"},
		{"app log", "the share of its 5xx with a verdict for which an app line was found (by request id " +
			"or time); not how much app log there is (— without an app log or a 5xx)"},
		{"", "alert line (the overview's last line, when 5xx jump)"},
		{"alert", "a status's 5xx on one upstream jumped: 10 or more in the last 30 s of log time, 5 times " +
			"their rate in the 5 minutes before (or none then). Its time is the newest of them, ×N their count, " +
			"after — their most frequent cause; it stays while that holds"},
		{"N more", "the other alerts that hold now, in a few words, most 5xx first"},
		{"", "replay line (replay and demo, under the header)"},
		{"▶ ⏸ ■", "playing, paused (space), or finished: all of it played; the other keys work on the final data"},
		{"10×, max", "the speed: seconds of log played per second (10×: ten); max plays as fast as it reads; + and - change it"},
		{"bar, %", "how much of the input files is played: the share, then the bytes played of their size; " +
			"with --from or --to, the share of the log time they make played (of 03:01:00–03:02:30)"},
		{"ETA", "the time left at the current speed (with --from or --to, of their window)"},
		{"gaps cut", "pauses between two lines of over 5 s at the current speed, played as 5 s"},
		{"next …", "demo: the scenario playing, its place in the loop (1/8), the next one and when it starts; " +
			"training mode leaves the names out"},
		{"", "verdicts"},
		{"high", "confidence: request ids or a reason the proxy logged (an error log line, HAProxy flags) back it"},
		{"medium", "confidence: the proxy's own upstream fields back it (upstream status, header time), with no reason text"},
		{"low", "confidence: a guess from timing (app lines matched by a time window)"},
		{"matched by", "how a request's app lines were found: request id, or a time window (a guess); " +
			"not matched: none was found either way"},
	}
	other := otherLabel(s)
	kept := docs[:0]
	for _, d := range docs {
		if d.label == retryTitle && !hasRetried(s) {
			continue // as the table shows it only then
		}
		if d.label != otherTitle {
			kept = append(kept, d)
			continue
		}
		if other == "" {
			continue
		}
		// Which statuses they are: "oth" named none (the totals
		// count each; the window, all of them together). Named by
		// their one status, the text says it, not "the rows do not
		// name" beside a row that names it (review s33).
		if other != otherTitle {
			d.text = otherOneDoc(d.text, other)
		}
		d.label, d.text = other, d.text+". In all that was read: "+otherCodesText(s)
		kept = append(kept, d)
	}
	return kept
}

// otherRatesDoc and otherTableDoc say what the oth row of the rates pane
// and the oth column of the upstream table count.
const (
	otherRatesDoc = "the other 5xx: those of a status from 500 to 599 the rows do not name (501, 505, Cloudflare's " +
		"520–530…), per second and as a share, as the rows above; the title's 5xx share counts them. A list of " +
		"5xx and a request's detail show their status, and / with one (530) keeps the upstreams with such a recent 5xx"
	otherTableDoc = "its other 5xx in the window: of a status from 500 to 599 but 500, 502, 503 and 504 " +
		"(501, 505, Cloudflare's 520–530…); its 5xx% counts them"
)

// otherOneDoc is doc, otherRatesDoc or otherTableDoc, for the row or
// column named by code, the one status of the other 5xx read.
func otherOneDoc(doc, code string) string {
	if doc == otherRatesDoc {
		return "the " + code + "s: the one status from 500 to 599 read but 500, 502, 503 and 504, per second and as " +
			"a share, as the rows above; the title's 5xx share counts them. A list of 5xx and a request's detail " +
			"show their status, and /" + code + " keeps the upstreams with such a recent 5xx"
	}
	return "its " + code + "s in the window: the one status from 500 to 599 read but 500, 502, 503 and 504; " +
		"its 5xx% counts them"
}

// guideLines turns a field-guide text, hard-wrapped for a fixed width, back
// into one line per labelled point ("Who: …", "Retry-After: …"), so the help
// screen can wrap it to the terminal.
func guideLines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
		case len(out) == 0 || guideLabel.MatchString(l):
			out = append(out, l)
		default:
			out[len(out)-1] += " " + l
		}
	}
	return out
}

// guideLabel matches the label that starts a point of the field guide.
var guideLabel = regexp.MustCompile(`^[A-Z][A-Za-z/-]*: `)

// noStatusLine says what the 009 line of the overview says, with where
// such answers come from, "" without a snapshot or when none came.
func noStatusLine(s *classify.Snapshot) string {
	if s == nil || s.NoStatusLine == 0 {
		return ""
	}
	return classify.NoStatusLineText(s.NoStatusLine) + ". nginx's error log says \"upstream sent no valid HTTP/1.0 header\" of each (not under proxy_cache): the app wrote a broken first line, or proxy_pass says http:// to a port that speaks TLS"
}

// cutAfterHeaders is s's count of responses cut after their headers, 0
// without a snapshot.
func cutAfterHeaders(s *classify.Snapshot) int64 {
	if s == nil {
		return 0
	}
	return s.CutAfterHeaders
}
