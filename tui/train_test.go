package tui

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/google/go-cmp/cmp"

	"fivexx/classify"
)

// fakeTrainer is a replay source that narrates, as the demo does, and
// records the log times it was asked about.
type fakeTrainer struct {
	*fakeReplay
	mu    sync.Mutex
	n     Narration
	asked []time.Time
}

func newFakeTrainer(s *classify.Snapshot, n Narration) *fakeTrainer {
	return &fakeTrainer{fakeReplay: &fakeReplay{fakeSource: newFakeSource(s), state: ReplayState{Speed: "1×"}}, n: n}
}

func (f *fakeTrainer) Narration(at time.Time) Narration {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, at)
	return f.n
}

func (f *fakeTrainer) setNarration(n Narration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n = n
}

func (f *fakeTrainer) askedAt() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.asked...)
}

// fixtureNarration is the demo's deploy-crash scenario 44 s into its pass.
func fixtureNarration() Narration {
	began := logNow.Add(-44 * time.Second).Truncate(time.Second)
	return Narration{
		Scenario: "deploy-crash",
		Summary:  "a rolling deploy of api whose new version crashes at start-up",
		Explanation: "v2.14.0 exits at start-up (a setting it needs is missing), so after each restart nothing " +
			"listened on :8080. nginx's connect() was refused: the error log says \"connect() failed (111: " +
			"Connection refused) while connecting to upstream\", uct and uht are \"-\", and there is no app line " +
			"because the request never reached the app. A deploy should wait for each server's health check " +
			"before moving on; the rollback fixed it.",
		Lines: []NarrationLine{
			{began, "steady traffic; api runs v2.13.2 on 10.0.1.11 to 10.0.1.14"},
			{began.Add(10 * time.Second), "a rolling deploy of api v2.14.0 starts: the script restarts one server every 6 s and does not wait for health checks"},
			{began.Add(28 * time.Second), "the deploy script prints \"deployed v2.14.0 to 4/4 servers\" and exits 0"},
			{began.Add(34 * time.Second), "support: customers say their cart does not load"},
			{began.Add(40 * time.Second), "on-call starts a rollback to v2.13.2"},
		},
	}
}

// otherRound is the narration of the next scenario of the loop.
func otherRound() Narration {
	return Narration{Scenario: "oom-kill", Summary: "api processes are OOM-killed",
		Explanation: "A memory leak.", Lines: []NarrationLine{{logNow, "steady traffic"}}}
}

// trainingSnapshot is the fixture plus an upstream whose 5xx have no
// known cause, so "unknown" is on the screen too, and an alert naming it.
func trainingSnapshot() *classify.Snapshot {
	s := fixtureSnapshot(plainStrings)
	s.Windowed.Causes[classify.Unknown] = 7
	s.Upstreams = append(s.Upstreams, upstream("10.0.0.5:8080", 300, 1.0, map[int]int64{500: 7}, classify.Unknown, 40, 7, 0))
	v := *s.Recent[0]
	e := *v.Entry
	e.Upstream, e.Status, e.Path, e.Time = "10.0.0.5:8080", 500, "/api/mystery", logNow.Add(-time.Second)
	v.Entry, v.Cause, v.Detail, v.Hint = &e, classify.Unknown, "", classify.Unknown.Summary()
	s.Recent = append(s.Recent, &v)
	s.Alerts = append(s.Alerts, classify.Alert{Time: logNow.Add(-time.Second), Status: 500, Count: 7,
		Text: "500 ×7 in the last 30 s on 10.0.0.5:8080 — unknown"})
	return s
}

// newTrainingModel is a training-mode model of src at w×h.
func newTrainingModel(t *testing.T, src Source, w, h int) Model {
	t.Helper()
	m := New(src, Options{Title: "demo · training", Refresh: time.Hour, Train: true})
	m.now = func() time.Time { return logNow }
	mm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return mm.(Model)
}

// unknownWord matches "unknown" as a word, as a cause is shown.
var unknownWord = regexp.MustCompile(`\bunknown\b`)

// causeLeak returns the first cause name of the vocabulary in view, or "".
// The help screen's field guide says "unknown" in plain English, so there
// only the other names count.
func causeLeak(view string, help bool) string {
	for _, c := range classify.AllCauses {
		if c == classify.Unknown {
			if !help && unknownWord.MatchString(view) {
				return string(c)
			}
			continue
		}
		if strings.Contains(view, string(c)) {
			return string(c)
		}
	}
	return ""
}

// footerOf is the last line of a view.
func footerOf(v string) string {
	lines := strings.Split(v, "\n")
	return lines[len(lines)-1]
}

func TestTrainingHidesCausesEverywhere(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {160, 48}, {120, 40}, {60, 20}, {40, 12}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			src := newFakeTrainer(trainingSnapshot(), fixtureNarration())
			m := newTrainingModel(t, src, sz[0], sz[1])
			screens := 0
			check := func(where string, help bool) {
				t.Helper()
				screens++
				v := m.View()
				if f := m.filterValue(); f != "" {
					// The footer echoes the filter the trainee typed.
					v = strings.TrimSuffix(v, footerOf(v))
				}
				if c := causeLeak(v, help); c != "" {
					t.Fatalf("%s shows %q before reveal:\n%s", where, c, m.View())
				}
			}
			check("overview", false)
			// The causes pane cannot be focused or opened.
			m = send(m, "tab", "enter")
			if m.overview.focus != paneUpstreams {
				t.Error("tab focused the hidden causes pane")
			}
			check("overview after tab", false)
			m = send(m, "esc")
			// Every upstream's drill-down, every request in it, scrolled to the end.
			requests := 0
			for i := range m.overview.rows {
				m = send(m, "enter")
				if m.page() != pageUpstream {
					t.Fatalf("row %d does not open", i)
				}
				check("drill-down of "+m.upstream.upstream, false)
				for r := range m.upstream.items {
					m = send(m, "enter")
					requests++
					for range 100 {
						check(fmt.Sprintf("request %d of %s", r, m.upstream.upstream), false)
						if m.detail.vp.AtBottom() {
							break
						}
						m = send(m, "pgdown")
					}
					m = send(m, "esc", "j")
				}
				m = send(m, "esc", "j")
			}
			if want := len(trainingSnapshot().Recent); requests != want {
				t.Errorf("walked %d requests, want %d", requests, want)
			}
			// Help, scrolled to the end.
			m = send(m, "?")
			for range 500 {
				check("help", true)
				if m.helpPage.vp.AtBottom() {
					break
				}
				m = send(m, "pgdown")
			}
			m = send(m, "esc")
			// Typing a cause name matches nothing: it would give the answer away.
			for _, f := range []string{"refused", "unknown", "reset"} {
				m = send(m, "/")
				m = send(m, strings.Split(f, "")...)
				m = send(m, "enter")
				if len(m.overview.rows) != 0 {
					t.Errorf("filter %q matched %d upstreams on their cause", f, len(m.overview.rows))
				}
				check("filter "+f, false)
				m = send(m, "esc")
			}
			m = send(m, "/", "5", "0", "2", "enter", "enter")
			check("filtered drill-down", false)
			m = send(m, "esc", "esc")
			// A list of one cause, should one be opened, names none.
			m = deliver(m, func() tea.Msg { return openCauseMsg{cause: classify.UpstreamRefused} }).(Model)
			check("cause list", false)
			if screens < 20 {
				t.Errorf("only %d screens checked", screens)
			}

			// The same screens name the causes once revealed: the check can see them.
			m = send(m, "esc", "r")
			if c := causeLeak(m.View(), false); c == "" && sz[1] >= 20 {
				t.Errorf("no cause name on the revealed overview:\n%s", m.View())
			}
			// The walk above left the selection on the last row, which has no 5xx.
			for m.overview.table.Cursor() > 0 {
				m = send(m, "k")
			}
			m = send(m, "enter", "enter")
			if !strings.Contains(m.View(), "verdict") || causeLeak(m.View(), false) == "" {
				t.Errorf("revealed request shows no verdict:\n%s", m.View())
			}
		})
	}
}

func TestRevealKey(t *testing.T) {
	src := newFakeTrainer(trainingSnapshot(), fixtureNarration())
	m := newTrainingModel(t, src, 160, 48)
	v := m.View()
	for _, want := range []string{"Training · what is happening · r reveals the causes",
		"on-call starts a rollback to v2.13.2", "? hidden · r reveals them"} {
		if !strings.Contains(v, want) {
			t.Errorf("hidden overview lacks %q:\n%s", want, v)
		}
	}
	for _, secret := range []string{"deploy-crash", "crashes at start-up", "v2.14.0 exits"} {
		if strings.Contains(v, secret) {
			t.Errorf("hidden overview shows %q", secret)
		}
	}
	if f := footerOf(v); !strings.HasPrefix(f, "r reveal •") {
		t.Errorf("footer does not start with r reveal: %q", f)
	}

	tm, cmd := m.Update(keyMsg("r"))
	m = tm.(Model)
	if cmd != nil || !m.lesson.revealed {
		t.Fatalf("r does not reveal: revealed %v, cmd %v", m.lesson.revealed, cmd != nil)
	}
	v = m.View()
	for _, want := range []string{"Training deploy-crash · a rolling deploy of api whose new version crashes at start-up",
		"v2.14.0 exits at start-up", "upstream_refused       1210", "could not connect: app down",
		"— unknown", "r hide causes"} {
		if !strings.Contains(v, want) {
			t.Errorf("revealed overview lacks %q:\n%s", want, v)
		}
	}
	// Focus reaches the causes again.
	m = send(m, "tab")
	if m.overview.focus != paneCauses {
		t.Error("tab does not reach the revealed causes pane")
	}
	m = send(m, "r")
	if m.lesson.revealed || m.overview.focus != paneUpstreams {
		t.Errorf("r again does not hide: revealed %v, focus %d", m.lesson.revealed, m.overview.focus)
	}
	if c := causeLeak(m.View(), false); c != "" {
		t.Errorf("hidden again, yet %q shows", c)
	}

	// r works on every screen, and the help lists it.
	m = send(downTo(t, m, "10.0.0.1:8080"), "enter", "enter")
	if !strings.Contains(m.View(), "verdict     ? · r reveals it") {
		t.Errorf("hidden verdict:\n%s", m.View())
	}
	m = send(m, "r")
	if !strings.Contains(m.View(), "verdict     upstream_refused · connect · confidence high") {
		t.Errorf("r on the request does not reveal its verdict:\n%s", m.View())
	}
	m = send(m, "?")
	if v := m.View(); !strings.Contains(v, "training: reveal the causes") || !strings.Contains(v, "Scenario: deploy-crash") {
		t.Errorf("help lacks training:\n%s", v)
	}
}

func TestRevealOnlyInTraining(t *testing.T) {
	tests := []struct {
		name  string
		src   Source
		train bool
	}{
		{"trainer without --train", newFakeTrainer(trainingSnapshot(), fixtureNarration()), false},
		{"--train without a trainer", &fakeReplay{fakeSource: newFakeSource(trainingSnapshot())}, true},
		{"live source", newFakeSource(trainingSnapshot()), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(tt.src, Options{Refresh: time.Hour, Train: tt.train})
			mm, _ := m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
			m = mm.(Model)
			before := m.View()
			for _, unwanted := range []string{"Training", "r reveal", "? hidden"} {
				if strings.Contains(before, unwanted) {
					t.Errorf("view shows %q:\n%s", unwanted, before)
				}
			}
			if !strings.Contains(before, "upstream_refused") {
				t.Error("causes hidden outside training mode")
			}
			tm, cmd := m.Update(keyMsg("r"))
			if cmd != nil || tm.(Model).View() != before {
				t.Error("r does something outside training mode")
			}
			m = send(m, "?")
			if strings.Contains(m.View(), "training:") {
				t.Error("help lists r outside training mode")
			}
		})
	}
}

func TestNewRoundHidesAgain(t *testing.T) {
	src := newFakeTrainer(trainingSnapshot(), fixtureNarration())
	m := newTrainingModel(t, src, 120, 40)
	tick := func(m Model) Model {
		tm, _ := m.Update(fetch(src, nil, src, m.tag))
		return tm.(Model)
	}
	m = send(m, "r")

	// The same scenario goes on: still revealed, with the new beat.
	more := fixtureNarration()
	more.Lines = append(more.Lines, NarrationLine{logNow, "the rollback has finished"})
	src.setNarration(more)
	m = tick(m)
	if !m.lesson.revealed {
		t.Fatal("a new beat of the same scenario hid the causes")
	}
	if !strings.Contains(m.View(), "the rollback has finished") {
		t.Errorf("new beat not shown:\n%s", m.View())
	}

	// Another scenario: hidden again, and a list of one cause closes.
	m = send(m, "tab", "enter")
	if m.page() != pageUpstream || m.upstream.cause == "" {
		t.Fatalf("no cause list open: page %d", m.page())
	}
	src.setNarration(otherRound())
	m = tick(m)
	if m.lesson.revealed {
		t.Fatal("a new scenario left the causes revealed")
	}
	if m.page() != pageOverview || m.overview.focus != paneUpstreams {
		t.Errorf("new round left page %d, focus %d", m.page(), m.overview.focus)
	}
	if c := causeLeak(m.View(), false); c != "" {
		t.Errorf("new round shows %q", c)
	}

	// A request stays open through a new round, its verdict hidden again.
	m = send(m, "r", "enter", "enter")
	if m.page() != pageDetail || !strings.Contains(m.View(), "confidence") {
		t.Fatalf("revealed request not open:\n%s", m.View())
	}
	src.setNarration(fixtureNarration())
	m = tick(m)
	if m.page() != pageDetail || causeLeak(m.View(), false) != "" {
		t.Errorf("request after a new round: page %d\n%s", m.page(), m.View())
	}

	// While the display is paused the narration waits too.
	m = send(m, "esc", "esc", "p")
	src.setNarration(otherRound())
	m = tick(m)
	if m.lesson.narration.Scenario != "deploy-crash" {
		t.Error("paused display took a new narration")
	}
}

func TestFetchAsksForTheSnapshotsLogTime(t *testing.T) {
	src := newFakeTrainer(trainingSnapshot(), fixtureNarration())
	m := newTrainingModel(t, src, 80, 24)
	later := trainingSnapshot()
	later.LogNow = logNow.Add(90 * time.Second)
	src.set(later)
	msg := fetch(src, src, src, m.tag).(snapshotMsg)
	if msg.narration == nil || msg.narration.now.Scenario != "deploy-crash" {
		t.Fatalf("fetch carries no narration: %+v", msg.narration)
	}
	// At the log time, then at the newest and the oldest 5xx in the
	// window (the fake's narrations say no time they began), for New and
	// for the fetch.
	oldest, newest := fivexxTimes(later)
	if oldest.IsZero() || oldest.Equal(newest) {
		t.Fatalf("fixture's 5xx from %v to %v", oldest, newest)
	}
	want := []time.Time{logNow, newest, oldest, logNow.Add(90 * time.Second), newest, oldest}
	if diff := cmp.Diff(want, src.askedAt()); diff != "" {
		t.Errorf("Narration asked at (-want +got):\n%s", diff)
	}
	// Outside training mode the trainer is never asked.
	plain := newFakeTrainer(trainingSnapshot(), fixtureNarration())
	pm := New(plain, Options{Refresh: time.Hour})
	if msg := pm.fetchNow()().(snapshotMsg); msg.narration != nil || len(plain.askedAt()) != 0 {
		t.Error("trainer asked outside training mode")
	}
}

func TestNarrationPane(t *testing.T) {
	st := DefaultStyles()
	n := fixtureNarration()
	plain := func(lines []string) []string {
		out := make([]string, len(lines))
		for i, l := range lines {
			out[i] = strings.TrimRight(ansi.Strip(l), " ")
		}
		return out
	}
	tests := []struct {
		name     string
		revealed bool
		w, rows  int
		want     []string
	}{
		{"newest beats that fit, wrapped under their text", false, 80, 5, []string{
			"  Training · what is happening · r reveals the causes",
			`  03:03:49  the deploy script prints "deployed v2.14.0 to 4/4 servers" and exits`,
			"            0",
			"  03:03:55  support: customers say their cart does not load",
			"  03:04:01  on-call starts a rollback to v2.13.2",
		}},
		{"a beat that does not fit whole goes", false, 80, 4, []string{
			"  Training · what is happening · r reveals the causes",
			"  03:03:55  support: customers say their cart does not load",
			"  03:04:01  on-call starts a rollback to v2.13.2",
		}},
		{"explanation first, cut with a pointer to help", true, 80, 4, []string{
			"  Training deploy-crash · a rolling deploy of api whose new version crashes at …",
			"  v2.14.0 exits at start-up (a setting it needs is missing), so after each",
			"  restart nothing listened on :8080. nginx's connect() was refused: the error",
			`  log says "connect() failed (111: Connection refused) while c… (? shows it all)`,
		}},
		{"then the newest beats", true, 120, 6, []string{
			"  Training deploy-crash · a rolling deploy of api whose new version crashes at start-up",
			"  v2.14.0 exits at start-up (a setting it needs is missing), so after each restart nothing listened on :8080. nginx's",
			`  connect() was refused: the error log says "connect() failed (111: Connection refused) while connecting to upstream",`,
			`  uct and uht are "-", and there is no app line because the request never reached the app. A deploy should wait for`,
			"  each server's health check before moving on; the rollback fixed it.",
			"  03:04:01  on-call starts a rollback to v2.13.2",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := plain(narrationPane(lesson{on: true, revealed: tt.revealed, narration: n}, tt.w, tt.rows, 3, &st))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("pane (-want +got):\n%s", diff)
			}
			for i, l := range got {
				if w := ansi.StringWidth(l); w > tt.w {
					t.Errorf("line %d is %d cells", i, w)
				}
			}
		})
	}
	if got := plain(narrationPane(lesson{on: true}, 80, 5, 3, &st)); !strings.Contains(strings.Join(got, "\n"), "nothing has happened yet") {
		t.Errorf("empty narration: %q", got)
	}
}

func TestRedactCauses(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"alert", "502 ×412 in the last 30 s on 10.0.0.1:8080 — upstream_refused", "502 ×412 in the last 30 s on 10.0.0.1:8080 — ?"},
		{"alert with unknown", "500 ×7 in the last 30 s — unknown", "500 ×7 in the last 30 s — ?"},
		{"advice", "app_error and upstream_reset are told apart by guess", "? and ? are told apart by guess"},
		{"unknown as a word stays", "the upstream is unknown here", "the upstream is unknown here"},
		{"nothing to hide", "no request id in the proxy log", "no request id in the proxy log"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := redactCauses(tt.in); got != tt.want {
				t.Errorf("redactCauses(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTrainingStaysInsideTheTerminal(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {160, 48}, {60, 20}, {40, 12}, {20, 6}, {1, 1}} {
		for _, keys := range [][]string{nil, {"r"}, {"?"}, {"r", "?"}, {"enter", "enter"}} {
			m := newTrainingModel(t, newFakeTrainer(fixtureSnapshot(hostileStrings), fixtureNarration()), sz[0], sz[1])
			m = send(m, keys...)
			lines := strings.Split(m.View(), "\n")
			if len(lines) > sz[1] {
				t.Errorf("%v %v: %d lines", sz, keys, len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > sz[0] {
					t.Errorf("%v %v: line %d is %d cells: %q", sz, keys, i, w, l)
				}
			}
			if h := terminalHazard(m.View()); h != "" {
				t.Errorf("%v %v: %s", sz, keys, h)
			}
		}
	}
}

// TestTrainingScreens renders training mode in a real program before and
// after reveal, at 80×24 and 160×48, against testdata/TestTrainingScreens;
// go test ./tui -update rewrites them.
func TestTrainingScreens(t *testing.T) {
	type step = screenStep
	screens := []struct {
		name  string
		steps []step
	}{
		{"hidden", []step{{"", "Training · what is happening"}}},
		{"revealed", []step{{"", "Training · what is happening"}, {"r", "Training deploy-crash"}}},
		{"request-hidden", []step{{"enter", "▸ upstream 10.0.0.1:8080"},
			{"enter", "▸ request 502 GET /api/orders?id=42"}}},
	}
	for _, sz := range [][2]int{{80, 24}, {160, 48}} {
		for _, sc := range screens {
			t.Run(fmt.Sprintf("%s/%dx%d", sc.name, sz[0], sz[1]), func(t *testing.T) {
				src := newFakeTrainer(fixtureSnapshot(plainStrings), fixtureNarration())
				m := New(src, Options{Title: "demo · training", Refresh: 20 * time.Millisecond, Train: true})
				teatest.RequireEqualOutput(t, []byte(playScreen(t, m, sz[0], sz[1], sc.steps)))
			})
		}
	}
}

// loopTrainer plays deploy-crash, then oom-kill from switchAt on, as the
// demo loop does: its narration depends on the log time asked about.
type loopTrainer struct {
	*fakeTrainer
	switchAt time.Time
}

func (l *loopTrainer) Narration(at time.Time) Narration {
	l.fakeTrainer.Narration(at) // records the time
	if at.Before(l.switchAt) {
		n := fixtureNarration()
		n.Began = l.switchAt.Add(-time.Minute)
		return n
	}
	n := otherRound()
	n.Began = l.switchAt
	n.Lines = []NarrationLine{{l.switchAt, "steady traffic; api v2.13.2 has been up for two days"}}
	return n
}

// A scenario's 5xx stay in the window for up to a minute after the loop
// moves on. r just after the move revealed the next scenario ("Training
// oom-kill" beside upstream_refused, deploy-crash's cause, in the real
// demo, QA s26): the round turned with the log clock, not with the 5xx on
// the screen. r reveals the scenario of the newest 5xx in the window, and
// says when another plays or when the window holds an earlier one's 5xx.
func TestRevealAnswersTheScenarioOnScreen(t *testing.T) {
	switchAt := logNow.Add(2 * time.Second).Truncate(time.Second) // 03:04:07
	src := &loopTrainer{fakeTrainer: newFakeTrainer(trainingSnapshot(), Narration{}), switchAt: switchAt}
	m := New(src, Options{Title: "demo · training", Refresh: time.Hour, Train: true})
	m.now = func() time.Time { return logNow }
	mm, _ := m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	m = mm.(Model)
	tick := func(s *classify.Snapshot) {
		t.Helper()
		src.set(s)
		tm, _ := m.Update(fetch(src, nil, src, m.tag))
		m = tm.(Model)
	}
	shows := func(when string, want []string, not []string) {
		t.Helper()
		v := m.View()
		for _, w := range want {
			if !strings.Contains(v, w) {
				t.Errorf("%s: lacks %q:\n%s", when, w, v)
			}
		}
		for _, n := range not {
			if strings.Contains(v, n) {
				t.Errorf("%s: shows %q:\n%s", when, n, v)
			}
		}
	}
	const (
		crashSummary = "a rolling deploy of api whose new version crashes at start-up"
		oomSummary   = "api processes are OOM-killed"
	)

	// The loop has moved on; the window holds deploy-crash's 5xx alone.
	moved := trainingSnapshot()
	moved.LogNow = switchAt.Add(3 * time.Second)
	tick(moved)
	if c := causeLeak(m.View(), false); c != "" || m.lesson.revealed {
		t.Fatalf("hidden before r, yet %q shows (revealed %v)", c, m.lesson.revealed)
	}
	shows("moved on, hidden", []string{"up for two days"}, []string{"deploy-crash", "oom-kill"})
	m = send(m, "r")
	shows("r after the loop moved on",
		[]string{"Training deploy-crash · " + crashSummary, "v2.14.0 exits at start-up", "upstream_refused",
			"the 5xx on the screen are its; another scenario plays since 03:04:07, and its first 5xx hides the causes again"},
		[]string{"oom-kill", oomSummary, "A memory leak"})
	m = send(m, "?")
	shows("help after the loop moved on", []string{"Scenario: deploy-crash · " + crashSummary,
		"The 5xx on the screen are its; another scenario plays since 03:04:07"}, []string{"oom-kill", "A memory leak"})
	m = send(m, "esc")

	// More of the same: still revealed, still deploy-crash.
	moved = trainingSnapshot()
	moved.LogNow = switchAt.Add(5 * time.Second)
	tick(moved)
	if !m.lesson.revealed {
		t.Fatal("the log clock alone hid the causes again, with deploy-crash's 5xx on the screen")
	}

	// oom-kill's first 5xx reaches the screen: a new round.
	first := trainingSnapshot()
	first.LogNow = switchAt.Add(12 * time.Second)
	v := *first.Recent[len(first.Recent)-1]
	e := *v.Entry
	e.Time, e.Path, e.Upstream = switchAt.Add(11*time.Second), "/api/killed", "10.0.0.2:8080"
	v.Entry, v.Cause = &e, classify.UpstreamReset
	first.Recent = append(first.Recent, &v)
	tick(first)
	if m.lesson.revealed {
		t.Fatal("oom-kill's first 5xx left the causes revealed")
	}
	if c := causeLeak(m.View(), false); c != "" {
		t.Errorf("new round shows %q", c)
	}
	m = send(m, "r")
	shows("r with both scenarios' 5xx in the window",
		[]string{"Training oom-kill · " + oomSummary, "A memory leak",
			"the 5xx before 03:04:07 are not its; the oldest are deploy-crash's: " + crashSummary},
		[]string{"v2.14.0 exits", "another scenario plays"})
}
