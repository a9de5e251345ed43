package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/table"
	"github.com/charmbracelet/lipgloss"
)

// Styles are every style the UI uses, built once and passed down. Colours
// adapt to light and dark terminals; lipgloss drops them under NO_COLOR, so
// nothing may rely on colour alone (selection and focus also get a marker).
type Styles struct {
	AppName   lipgloss.Style
	Dim       lipgloss.Style
	Paused    lipgloss.Style // the FROZEN badge (p)
	Section   lipgloss.Style // pane titles
	Focused   lipgloss.Style // the title of the focused pane
	Selected  lipgloss.Style // the selected row of a list
	Bar       lipgloss.Style // cause bars and the replay progress
	Alert     lipgloss.Style
	Advice    lipgloss.Style
	Problem   lipgloss.Style // an input in trouble (read error, unparsed lines)
	Matched   lipgloss.Style // timeline lines that belong to the request
	Label     lipgloss.Style // field names in the request detail
	Cause     lipgloss.Style
	StatusFor map[int]lipgloss.Style

	Table table.Styles
	Help  help.Styles
}

// DefaultStyles returns the styles for a light or dark terminal.
func DefaultStyles() Styles {
	var (
		subtle  = lipgloss.AdaptiveColor{Light: "#8a8a8a", Dark: "#6c6c6c"}
		accent  = lipgloss.AdaptiveColor{Light: "#5f3dc4", Dark: "#b197fc"}
		warn    = lipgloss.AdaptiveColor{Light: "#c92a2a", Dark: "#ff8787"}
		caution = lipgloss.AdaptiveColor{Light: "#b35c00", Dark: "#ffc078"}
		good    = lipgloss.AdaptiveColor{Light: "#2b8a3e", Dark: "#8ce99a"}
		inverse = lipgloss.AdaptiveColor{Light: "#ffffff", Dark: "#1a1a1a"}
	)
	status := func(light, dark string) lipgloss.Style {
		return lipgloss.NewStyle().Bold(true).Foreground(lipgloss.AdaptiveColor{Light: light, Dark: dark})
	}
	hs := help.New().Styles
	return Styles{
		AppName:  lipgloss.NewStyle().Bold(true).Foreground(accent),
		Dim:      lipgloss.NewStyle().Foreground(subtle),
		Paused:   lipgloss.NewStyle().Bold(true).Foreground(inverse).Background(caution),
		Section:  lipgloss.NewStyle().Bold(true),
		Focused:  lipgloss.NewStyle().Bold(true).Foreground(accent),
		Selected: lipgloss.NewStyle().Bold(true).Foreground(accent),
		Bar:      lipgloss.NewStyle().Foreground(accent),
		Alert:    lipgloss.NewStyle().Bold(true).Foreground(warn),
		Advice:   lipgloss.NewStyle().Foreground(caution),
		Problem:  lipgloss.NewStyle().Foreground(warn),
		Matched:  lipgloss.NewStyle().Foreground(good),
		Label:    lipgloss.NewStyle().Foreground(subtle),
		Cause:    lipgloss.NewStyle().Foreground(accent),
		StatusFor: map[int]lipgloss.Style{
			500: status("#c92a2a", "#ff6b6b"),
			502: status("#d9480f", "#ffa94d"),
			503: status("#e67700", "#ffd43b"),
			504: status("#a61e4d", "#f783ac"),
			429: status("#1864ab", "#74c0fc"),
		},
		Table: table.Styles{
			Header:   lipgloss.NewStyle().Bold(true).Foreground(subtle),
			Cell:     lipgloss.NewStyle(),
			Selected: lipgloss.NewStyle().Bold(true).Foreground(accent),
		},
		Help: hs,
	}
}

// status returns the style of an HTTP status.
func (s *Styles) status(code int) lipgloss.Style {
	if st, ok := s.StatusFor[code]; ok {
		return st
	}
	if code >= 500 {
		return s.StatusFor[500]
	}
	return lipgloss.NewStyle()
}
