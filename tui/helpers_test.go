package tui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// keyMsg builds the key message a terminal sends for k.
func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "\r", "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "home":
		return tea.KeyMsg{Type: tea.KeyHome}
	case "end":
		return tea.KeyMsg{Type: tea.KeyEnd}
	case "ctrl+z":
		return tea.KeyMsg{Type: tea.KeyCtrlZ}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case " ":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// press sends k and delivers the navigation messages its command yields, as
// the program would; ticks and other slow commands are not run.
func press(m tea.Model, k string) tea.Model {
	m, cmd := m.Update(keyMsg(k))
	return deliver(m, cmd)
}

// deliver runs cmd when it yields a navigation message and feeds it back.
func deliver(m tea.Model, cmd tea.Cmd) tea.Model {
	if cmd == nil {
		return m
	}
	switch msg := cmd().(type) {
	case openUpstreamMsg, openCauseMsg, openRequestMsg:
		m, cmd = m.Update(msg)
		return deliver(m, cmd)
	}
	return m
}
