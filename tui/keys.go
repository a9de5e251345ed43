package tui

import (
	"github.com/charmbracelet/bubbles/key"
)

// keyMap holds every binding of the UI. Bindings that do not apply to the
// current screen are disabled (syncKeys), which also hides them from help.
type keyMap struct {
	Up, Down           key.Binding
	PageUp, PageDown   key.Binding
	Top, Bottom        key.Binding
	NextPane, PrevPane key.Binding
	Enter, Back        key.Binding
	Filter             key.Binding
	Pause              key.Binding
	Window             key.Binding // "1", "5"; "1" then "5" within windowChord is 15
	Sort               key.Binding

	ReplayPause, Faster, Slower, NextFivexx key.Binding

	Reveal key.Binding // training mode only: show or hide the causes

	Help, Quit key.Binding
	// Suspend stops fivexx and gives the terminal back to the shell
	// (ctrl+z: in raw mode the terminal sends it as a key, not SIGTSTP);
	// fg brings it back.
	Suspend key.Binding

	// While the filter input has focus.
	FilterApply, FilterCancel key.Binding
}

// defaultKeyMap returns the bindings documented in the help screen.
func defaultKeyMap() keyMap {
	return keyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "bottom")),
		NextPane: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "pane")),
		PrevPane: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "pane back")),
		Enter:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:     key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp("esc", "back")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Pause:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "freeze")),
		Window:   key.NewBinding(key.WithKeys("1", "5"), key.WithHelp("1/5/15", "window")),
		Sort:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),

		ReplayPause: key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "play/pause")),
		Faster:      key.NewBinding(key.WithKeys("+", "="), key.WithHelp("+/-", "speed")),
		Slower:      key.NewBinding(key.WithKeys("-"), key.WithHelp("-", "slower")),
		NextFivexx:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next 5xx")),

		Reveal: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reveal"), key.WithDisabled()),

		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Suspend: key.NewBinding(key.WithKeys("ctrl+z"), key.WithHelp("ctrl+z", "suspend")),

		FilterApply:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		FilterCancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// keyState is what decides which bindings apply.
type keyState struct {
	page      page
	pane      pane // overview only
	replay    bool // the source implements ReplayControl and has more to play
	filtering bool // the filter input has focus
	filtered  bool // a filter is applied (esc clears it on the overview)
	training  bool // training mode is on
	hidden    bool // training mode hides the causes
}

// sync enables the bindings that apply in st and disables the others.
func (k *keyMap) sync(st keyState) {
	all := []*key.Binding{
		&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom,
		&k.NextPane, &k.PrevPane, &k.Enter, &k.Back, &k.Filter, &k.Pause,
		&k.Window, &k.Sort, &k.ReplayPause, &k.Faster, &k.Slower, &k.NextFivexx,
		&k.Reveal, &k.Help, &k.Quit, &k.Suspend,
	}
	if st.filtering {
		for _, b := range all {
			b.SetEnabled(false)
		}
		k.FilterApply.SetEnabled(true)
		k.FilterCancel.SetEnabled(true)
		return
	}
	k.FilterApply.SetEnabled(false)
	k.FilterCancel.SetEnabled(false)
	for _, b := range all {
		b.SetEnabled(true)
	}
	// Up, down, a page, top and bottom move in every screen: the upstream
	// table and the causes as in a list of 5xx (with hundreds of upstreams
	// they are the way through the table), the request and help scroll.
	lists := st.page == pageOverview || st.page == pageUpstream
	// While the causes are hidden their pane has nothing to select.
	k.NextPane.SetEnabled(st.page == pageOverview && !st.hidden)
	k.PrevPane.SetEnabled(st.page == pageOverview && !st.hidden)
	k.Sort.SetEnabled(st.page == pageOverview && st.pane == paneUpstreams)
	k.Enter.SetEnabled(lists)
	k.Filter.SetEnabled(lists)
	k.Back.SetEnabled(st.page != pageOverview || st.filtered)
	// The header and the replay line are on the help screen too: p freezes
	// them there as anywhere.
	k.Window.SetEnabled(st.page != pageHelp)
	for _, b := range []*key.Binding{&k.ReplayPause, &k.Faster, &k.Slower, &k.NextFivexx} {
		b.SetEnabled(st.replay && st.page != pageHelp)
	}
	k.Reveal.SetEnabled(st.training)
	if st.hidden {
		k.Reveal.SetHelp("r", "reveal")
	} else {
		k.Reveal.SetHelp("r", "hide causes")
	}
}

// shortHelp is the left of the footer: the bindings that apply, most useful
// first (reveal in training mode, the point of the exercise; replay
// controls, when there are any, since they are what a replay is driven
// with); moving up and down is left out as obvious.
func (k keyMap) shortHelp() []key.Binding {
	fks := k.footerKeys(false)
	out := make([]key.Binding, len(fks))
	for i, fk := range fks {
		out[i] = fk.Binding
	}
	return out
}

// footerKey is a binding of the key bar and its rank: a bar too narrow for
// every binding leaves out the highest ranks first.
type footerKey struct {
	key.Binding
	rank int
}

// footerKeys is shortHelp, in its order, with the ranks of its bindings,
// for a display that is frozen or not. What the screen is in comes first:
// training's reveal and a frozen display's "p unfreeze" (the way back to
// a moving screen; the bar was cut before "p freeze" at 120 columns, QA
// s29), then playing or pausing a replay, opening and going back, then
// freezing, the other replay keys, the filter, the panes, the window and
// the sort, which the help screen lists.
func (k keyMap) footerKeys(frozen bool) []footerKey {
	pause := 5
	if frozen {
		pause = 1
		k.Pause.SetHelp("p", "unfreeze") // k is a copy: the help screen says "freeze"
	}
	return []footerKey{
		{k.FilterApply, 0}, {k.FilterCancel, 0}, {k.Reveal, 0},
		{k.ReplayPause, 2}, {k.NextFivexx, 6}, {k.Faster, 7}, // "+/-": Slower is listed in help only
		{k.Enter, 3}, {k.Back, 4}, {k.NextPane, 9}, {k.Filter, 8}, {k.Sort, 11}, {k.Window, 10}, {k.Pause, pause},
	}
}

// alwaysHelp is the right of the footer, never cut.
func (k keyMap) alwaysHelp() []key.Binding {
	return []key.Binding{k.Help, k.Quit}
}

// fullHelp groups every binding for the help screen.
func (k keyMap) fullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.NextPane, k.PrevPane, k.Enter, k.Back, k.Filter, k.Sort},
		{k.Pause, k.Window, k.Help, k.Quit},
		{k.ReplayPause, k.Faster, k.Slower, k.NextFivexx, k.Reveal},
	}
}
