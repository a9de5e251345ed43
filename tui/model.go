// Package tui is fivexx's terminal UI: an overview of the proxy 5xx and their
// causes, a drill-down per upstream or cause, the full story of one request,
// and help. It reads only classify.Snapshot values from a Source, redrawn on
// a tick, and passes every log-derived string through Sanitize.
package tui

// This file holds the root model: size, keys, styles, the snapshot on
// screen, navigation, and one sub-model per screen.

import (
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"fivexx/classify"
)

// page is one screen of the UI.
type page int

const (
	pageOverview page = iota
	pageUpstream      // recent 5xx of one upstream or one cause
	pageDetail        // one request in full
	pageHelp
)

// windowChord is how soon "5" must follow "1" to mean a 15-minute window.
const windowChord = 600 * time.Millisecond

// Model is the root of the UI: it owns the snapshot on screen, the size,
// keys, styles, navigation and one sub-model per screen. Everything else is
// handed to the active screen.
type Model struct {
	src     Source
	replay  ReplayControl // nil unless src implements it
	trainer Trainer       // nil unless training mode is on
	title   string
	refresh time.Duration
	// now is read in Update only, to time the "1","5" chord; View never
	// reads a clock (the wall clock comes from Snapshot.Wall).
	now func() time.Time

	keys   keyMap
	help   help.Model
	styles *Styles // shared, never modified

	width, height int

	// interrupted says the ctrl+c key quit: Run returns ErrInterrupted, and
	// fivexx exits 130 as for SIGINT, not 0 as for q.
	interrupted bool

	snap        *classify.Snapshot
	replayState *ReplayState // as shown: frozen with snap while paused
	replayOver  bool         // the replay has played everything, shown or not: its keys are off
	// stopSeen is the verdict n stopped at that the screens were last
	// moved to (selectStopped), so that they are moved once per stop.
	stopSeen  *classify.Verdict
	tag       int  // current tick chain; snapshots from other chains are stale
	paused    bool // keep showing snap while ingest goes on
	window    time.Duration
	windowSeq uint64        // numbers the window choices, for windows
	windows   *windowSetter // shared by the model's copies
	chordAt   time.Time     // when "1" was pressed, zero when no chord is open
	lesson    lesson        // training mode: narration, causes hidden or revealed

	// keyNote says, in the footer until the next key, why a key pressed
	// did nothing where it was pressed ("s sorts the upstream table").
	keyNote string

	pages        []page // navigation stack, pageOverview first
	filter       textinput.Model
	filtering    bool
	filterBefore string // restored when the filter input is cancelled

	overview overview
	upstream upstreamView
	detail   detailView
	helpPage helpView
}

// New returns the UI model reading src. It takes a first snapshot right away
// so the first frame has data.
func New(src Source, opts Options) Model {
	refresh := opts.Refresh
	if refresh <= 0 {
		refresh = defaultRefresh
	}
	fi := textinput.New()
	fi.Prompt = "/"
	fi.Placeholder = "upstream, path, status or cause"
	fi.CharLimit = 200
	// A static cursor: a blinking one would redraw the screen twice a second.
	fi.Cursor.SetMode(cursor.CursorStatic)
	m := Model{
		src:     src,
		title:   opts.Title,
		refresh: refresh,
		now:     time.Now,
		keys:    defaultKeyMap(),
		help:    help.New(),
		styles:  new(DefaultStyles()),
		width:   80,
		height:  24,
		snap:    src.Snapshot(),
		pages:   []page{pageOverview},
		filter:  fi,
		windows: &windowSetter{},
	}
	if m.snap == nil {
		m.snap = &classify.Snapshot{}
	}
	if rc, ok := src.(ReplayControl); ok {
		m.replay = rc
		st := rc.State()
		m.replayState, m.replayOver = &st, st.Finished
	}
	if tr, ok := src.(Trainer); ok && opts.Train {
		m.trainer = tr
		m.lesson, _ = lesson{on: true}.advance(narrate(tr, m.snap))
	}
	m.help.Styles = m.styles.Help
	m.overview = newOverview(m.styles)
	m.setSizes()
	m.refreshPages()
	m.syncKeys()
	return m
}

// Init starts the tick chain.
func (m Model) Init() tea.Cmd {
	return m.tick()
}

// Update handles size, global keys, navigation and snapshots; the rest goes
// to the active screen.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m = m.onResize(msg)
	case snapshotMsg:
		m, cmd = m.onSnapshot(msg)
	case openUpstreamMsg:
		m = m.openList(msg.name, "")
	case openCauseMsg:
		m = m.openList("", msg.cause)
	case openRequestMsg:
		m, cmd = m.openDetail(msg.verdict)
	case timelineLoadedMsg:
		m.detail.timelineLoaded(msg, m.styles)
	case panicMsg:
		// Run intercepts this; without Run, let Bubble Tea's own recovery
		// restore the terminal rather than swallow the panic.
		panic(fmt.Sprintf("%v\n\n%s", msg.value, msg.stack))
	case tea.KeyMsg:
		m, cmd = m.onKey(msg)
	case tea.ResumeMsg:
		cmd = m.onResume()
	default:
		m, cmd = m.updatePage(msg)
	}
	m.syncKeys()
	return m, cmd
}

// View draws the header, the active screen and the footer, never wider or
// taller than the terminal.
func (m Model) View() string {
	var body string
	switch m.page() {
	case pageOverview:
		body = m.overview.view(m.snap, m.styles)
	case pageUpstream:
		body = m.upstream.view(m.snap, m.styles)
	case pageDetail:
		body = m.detail.view(m.styles)
	case pageHelp:
		body = m.helpPage.view(m.styles)
	}
	body = fitHeight(body, m.bodyHeight())
	return fitScreen(m.headerView()+"\n"+body+"\n"+m.footerView(), m.width, m.height)
}

// ShortHelp implements help.KeyMap: the bindings of the active screen.
func (m Model) ShortHelp() []key.Binding {
	return append(m.keys.shortHelp(), m.keys.alwaysHelp()...)
}

// FullHelp implements help.KeyMap.
func (m Model) FullHelp() [][]key.Binding {
	return m.keys.fullHelp()
}

func (m Model) page() page { return m.pages[len(m.pages)-1] }

// onResize stores the size and passes it on.
func (m Model) onResize(msg tea.WindowSizeMsg) Model {
	m.width, m.height = max(msg.Width, 1), max(msg.Height, 1)
	m.setSizes()
	m.refreshPages()
	return m
}

// setSizes gives every screen the space between header and footer.
func (m *Model) setSizes() {
	h := m.bodyHeight()
	m.help.Width = m.width
	m.filter.Width = max(m.width-lenCells(m.filter.Prompt)-30, 10)
	m.overview.setSize(m.width, h)
	m.upstream.setSize(m.width, h)
	m.detail.setSize(m.width, h, m.styles)
	m.helpPage.setSize(m.width, h, &m.keys, m.styles)
}

// bodyHeight is what is left for the active screen.
func (m Model) bodyHeight() int {
	return max(m.height-m.headerHeight()-1, 1)
}

// onSnapshot takes a new snapshot unless it is stale or the display is
// paused, and re-arms the tick.
func (m Model) onSnapshot(msg snapshotMsg) (Model, tea.Cmd) {
	if msg.tag != m.tag {
		return m, nil
	}
	if msg.replay != nil {
		m.replayState, m.replayOver = m.shownReplay(*msg.replay), msg.replay.Finished
	}
	if !m.paused && msg.snap != nil {
		m.snap = msg.snap
		if msg.narration != nil {
			m = m.onNarration(*msg.narration)
		}
		m.refreshPages()
		m.selectStopped()
	}
	return m, m.tick()
}

// selectStopped moves the screens to the 5xx n stopped at, once per stop:
// its upstream's row on the overview, its row in the list open when the
// list holds it (the list of its upstream or cause). Until then n changed
// nothing in the list open but the pending count (QA s34 L5).
func (m *Model) selectStopped() {
	var v *classify.Verdict
	if m.replayState != nil {
		v = m.replayState.Stopped
	}
	if v == nil || (m.stopSeen != nil && sameVerdict(v, m.stopSeen)) {
		m.stopSeen = v
		return
	}
	m.stopSeen = v
	if v.Entry != nil {
		m.overview.selectUpstream(upstreamRowName(v))
	}
	if slices.Contains(m.pages, pageUpstream) {
		m.upstream.selectVerdict(v)
	}
}

// shownReplay is the replay line for live, the state just read. While the
// display is paused the line is part of what is frozen: its progress, ETA
// and the demo's "next oom-kill in 34s" stay with the snapshot on screen
// (they counted on beside a frozen log clock). Only what the replay keys
// set, playing or paused and the speed, is taken: space or + pressed while
// frozen must show that it took.
func (m Model) shownReplay(live ReplayState) *ReplayState {
	if !m.paused || m.replayState == nil {
		return &live
	}
	shown := *m.replayState
	shown.Paused, shown.Speed = live.Paused, live.Speed
	shown.Stopped, shown.StoppedWith = live.Stopped, live.StoppedWith
	return &shown
}

// onNarration takes the narrations that go with a new snapshot. A new
// round hides the causes again; a list of one cause cannot be shown
// without naming it, so it closes.
func (m Model) onNarration(n narrations) Model {
	var newRound bool
	m.lesson, newRound = m.lesson.advance(n)
	if newRound && m.upstream.cause != "" && slices.Contains(m.pages, pageUpstream) {
		m.pages = m.pages[:1:1]
	}
	return m
}

// toggleReveal shows the causes, or hides them again.
func (m Model) toggleReveal() Model {
	m.lesson.revealed = !m.lesson.revealed
	m.refreshPages()
	return m
}

// refreshPages hands the snapshot, the filter and the training state to
// the screens.
func (m *Model) refreshPages() {
	f := m.filterValue()
	hide := m.lesson.hides()
	if hide && m.overview.focus == paneCauses {
		m.overview.focus = paneUpstreams
	}
	m.overview.lesson = m.lesson
	m.upstream.hide = hide
	m.overview.setData(m.snap, f)
	m.upstream.setData(m.snap, f)
	m.detail.setHidden(hide, m.styles)
	m.helpPage.setLesson(m.lesson, &m.keys, m.styles)
}

// onKey handles the global keys and hands the others to the active screen.
func (m Model) onKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	if m.filtering {
		return m.onFilterKey(msg)
	}
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
		// Bubble Tea v1 hands the runes of one read as one key ("jjj",
		// "15"): typed fast over ssh, auto-repeat, a chord. Each is a key.
		var cmds []tea.Cmd
		for i, r := range msg.Runes {
			var cmd tea.Cmd
			one := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}
			if m.filtering { // "/" opened the filter: the rest is its text
				one.Runes = msg.Runes[i:]
				m, cmd = m.onFilterKey(one)
				cmds = append(cmds, cmd)
				break
			}
			m, cmd = m.onKey(one)
			cmds = append(cmds, cmd)
		}
		return m, tea.Batch(cmds...)
	}
	chordAt := m.chordAt
	m.chordAt = time.Time{}
	m.keyNote = ""
	k := &m.keys
	if note := m.inapplicable(msg); note != "" {
		m.keyNote = note
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Quit):
		m.interrupted = msg.Type == tea.KeyCtrlC
		return m, tea.Quit
	case key.Matches(msg, k.Suspend):
		return m, m.suspend()
	case key.Matches(msg, k.Help):
		if m.page() == pageHelp {
			return m.back(), nil
		}
		m.helpPage.open(&m.keys, m.styles, m.snap, m.lesson)
		m.pages = append(m.pages, pageHelp)
		return m, nil
	case key.Matches(msg, k.Back):
		if m.page() == pageOverview {
			m.filter.SetValue("")
			m.refreshPages()
			return m, nil
		}
		return m.back(), nil
	case key.Matches(msg, k.Pause):
		return m.togglePause()
	case key.Matches(msg, k.Window):
		return m.onWindowKey(msg.String(), chordAt)
	case key.Matches(msg, k.Filter):
		m.filtering = true
		m.filterBefore = m.filter.Value()
		return m, m.filter.Focus()
	case key.Matches(msg, k.ReplayPause):
		return m, m.replayCmd(m.replay.TogglePause)
	case key.Matches(msg, k.Faster):
		return m, m.replayCmd(m.replay.Faster)
	case key.Matches(msg, k.Slower):
		return m, m.replayCmd(m.replay.Slower)
	case key.Matches(msg, k.NextFivexx):
		return m, m.replayCmd(m.replay.NextFivexx)
	case key.Matches(msg, k.Reveal):
		return m.toggleReveal(), nil
	}
	return m.updatePage(msg)
}

// inapplicable is the footer's note for a key that does nothing where it
// was pressed though it does elsewhere on the screen, "" for any other:
// s with the causes pane in focus did nothing and said nothing (QA s28).
func (m Model) inapplicable(msg tea.KeyMsg) string {
	sort := m.keys.Sort
	sort.SetEnabled(true)
	if key.Matches(msg, sort) && !m.keys.Sort.Enabled() && m.page() == pageOverview && m.overview.focus == paneCauses {
		return "s sorts the upstream table: tab to it"
	}
	return ""
}

// updatePage hands a message to the active screen.
func (m Model) updatePage(msg tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	switch m.page() {
	case pageOverview:
		m.overview, cmd = m.overview.update(msg, &m.keys)
	case pageUpstream:
		m.upstream, cmd = m.upstream.update(msg, &m.keys)
	case pageDetail:
		m.detail, cmd = m.detail.update(msg, &m.keys)
	case pageHelp:
		m.helpPage, cmd = m.helpPage.update(msg, &m.keys)
	}
	return m, cmd
}

// onFilterKey edits the filter; it applies as you type, enter keeps it and
// esc restores the previous one.
func (m Model) onFilterKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	switch {
	case msg.Type == tea.KeyCtrlC:
		m.interrupted = true
		return m, tea.Quit // quits from anywhere, as help says
	case msg.Type == tea.KeyCtrlZ:
		return m, m.suspend() // from anywhere, as ctrl+c
	case key.Matches(msg, m.keys.FilterApply):
		m.filtering = false
		m.filter.Blur()
		return m, nil
	case key.Matches(msg, m.keys.FilterCancel):
		m.filtering = false
		m.filter.Blur()
		m.filter.SetValue(m.filterBefore)
		m.refreshPages()
		return m, nil
	}
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	m.refreshPages()
	return m, cmd
}

// filterValue is the filter in force.
func (m Model) filterValue() string {
	return strings.TrimSpace(m.filter.Value())
}

// togglePause freezes or unfreezes the display. Unfreezing starts a new tick
// chain with an immediate fetch, so the screen catches up at once and the old
// chain's tick in flight is dropped by its tag.
func (m Model) togglePause() (Model, tea.Cmd) {
	m.paused = !m.paused
	if m.paused {
		return m, nil
	}
	m.tag++
	return m, m.fetchNow()
}

// onWindowKey switches the rolling window: "1" is one minute, "5" five, and
// "1" followed by "5" within windowChord fifteen.
func (m Model) onWindowKey(k string, chordAt time.Time) (Model, tea.Cmd) {
	now := m.now()
	d := time.Minute
	if k == "5" {
		d = 5 * time.Minute
		if !chordAt.IsZero() && now.Sub(chordAt) <= windowChord {
			d = 15 * time.Minute
		}
	} else {
		m.chordAt = now
	}
	if d == m.window {
		return m, nil
	}
	m.window = d
	m.windowSeq++
	src, ws, seq := m.src, m.windows, m.windowSeq
	return m, guardCmd(func() tea.Msg {
		ws.set(src, seq, d)
		return nil
	})
}

// windowSetter hands the source the window chosen last. Each choice is
// a command, and commands run on goroutines of their own (tea.Batch), so
// "1" then "5" in one read (15 minutes) could reach the source as 15m then
// 1m and leave it on 1m while the header said 15m: a choice older than one
// already handed over is dropped.
type windowSetter struct {
	mu   sync.Mutex
	sent uint64 // the sequence number of the newest choice handed over
}

func (w *windowSetter) set(src Source, seq uint64, d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if seq <= w.sent {
		return
	}
	w.sent = seq
	src.SetWindow(d)
}

// suspend stops fivexx (tea.Suspend), a replay held first: stopped by
// SIGTSTP, a replay paced by the wall clock found it a minute on after a
// minute stopped and played that minute at once (ReplayControl.Suspend).
func (m Model) suspend() tea.Cmd {
	if m.replay == nil {
		return tea.Suspend
	}
	rc := m.replay
	return guardCmd(func() tea.Msg {
		rc.Suspend()
		return tea.SuspendMsg{}
	})
}

// onResume lets a replay held by suspend go on, from where it was.
func (m Model) onResume() tea.Cmd {
	if m.replay == nil {
		return nil
	}
	return m.replayCmd(m.replay.Resume)
}

// replayCmd runs a replay control off the update loop.
func (m Model) replayCmd(f func()) tea.Cmd {
	if m.replay == nil {
		return nil
	}
	return guardCmd(func() tea.Msg {
		f()
		return nil
	})
}

// openList shows the recent 5xx of one upstream or one cause.
func (m Model) openList(upstream string, cause classify.Cause) Model {
	m.upstream.open(upstream, cause)
	m.upstream.setData(m.snap, m.filterValue())
	if m.replayState != nil && m.replayState.Stopped != nil {
		m.upstream.selectVerdict(m.replayState.Stopped) // the 5xx n stopped at
	}
	m.pages = append(m.pages, pageUpstream)
	return m
}

// openDetail shows one request.
func (m Model) openDetail(v *classify.Verdict) (Model, tea.Cmd) {
	if v == nil {
		return m, nil
	}
	cmd := m.detail.open(v, m.styles)
	m.pages = append(m.pages, pageDetail)
	return m, cmd
}

// back returns to the previous screen; the overview is the bottom.
func (m Model) back() Model {
	if len(m.pages) > 1 {
		m.pages = m.pages[: len(m.pages)-1 : len(m.pages)-1]
	}
	return m
}

// syncKeys enables the bindings that apply now.
func (m *Model) syncKeys() {
	m.keys.sync(keyState{
		page:      m.page(),
		pane:      m.overview.focus,
		replay:    m.replay != nil && !m.replayOver,
		filtering: m.filtering,
		filtered:  m.filterValue() != "",
		training:  m.lesson.on,
		hidden:    m.lesson.hides(),
	})
}

// tick fetches a snapshot after the refresh period, or as soon as a
// Notifier source publishes one. A chain dropped by its tag may take one
// signal meant for the new chain: the new one then waits for its period.
func (m Model) tick() tea.Cmd {
	src, rc, tr, tag := m.src, m.replay, m.trainer, m.tag
	n, ok := src.(Notifier)
	if !ok {
		return tea.Tick(m.refresh, func(time.Time) tea.Msg {
			return fetch(src, rc, tr, tag)
		})
	}
	published, refresh := n.Published(), m.refresh
	return func() tea.Msg {
		t := time.NewTimer(refresh)
		defer t.Stop()
		select {
		case <-published:
		case <-t.C:
		}
		return fetch(src, rc, tr, tag)
	}
}

// fetchNow fetches a snapshot at once.
func (m Model) fetchNow() tea.Cmd {
	src, rc, tr, tag := m.src, m.replay, m.trainer, m.tag
	return func() tea.Msg { return fetch(src, rc, tr, tag) }
}

// fetch reads the source, and when tr is not nil the narrations of the
// snapshot: at its log time and of the 5xx in its window, asked of the
// same snapshot so that the answer r reveals and the 5xx on the screen
// cannot part; it runs in a command, never in Update or View.
func fetch(src Source, rc ReplayControl, tr Trainer, tag int) (msg tea.Msg) {
	defer func() {
		if r := recover(); r != nil {
			msg = panicMsg{value: r, stack: debug.Stack()}
		}
	}()
	sm := snapshotMsg{snap: src.Snapshot(), tag: tag}
	if rc != nil {
		st := rc.State()
		sm.replay = &st
	}
	if tr != nil {
		n := narrate(tr, sm.snap)
		sm.narration = &n
	}
	return sm
}

// guardCmd turns a panic in f into a panicMsg, so a misbehaving source stops
// the program cleanly instead of leaving the terminal raw.
func guardCmd(f func() tea.Msg) tea.Cmd {
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = panicMsg{value: r, stack: debug.Stack()}
			}
		}()
		return f()
	}
}
