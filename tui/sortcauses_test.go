package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/teatest"
)

// s pressed with the causes pane in focus did nothing and said nothing
// (QA s28): the footer says that s sorts the upstream table, until the
// next key; the table keeps its order.
func TestSortOnTheCausesPaneSaysWhere(t *testing.T) {
	const note = "s sorts the upstream table: tab to it"
	m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 80, 24)
	m = send(m, "tab", "s")
	if got := lastLine(m.View()); !strings.Contains(got, note) {
		t.Errorf("footer after s on the causes pane: %q, want %q", got, note)
	}
	teatest.RequireEqualOutput(t, []byte(m.View()))
	if m.overview.sortBy != sortFivexx {
		t.Errorf("s on the causes pane sorted the table by %v", m.overview.sortBy)
	}
	m = send(m, "j")
	if got := lastLine(m.View()); strings.Contains(got, note) {
		t.Errorf("the note stays after the next key: %q", got)
	}
	// On the table, s sorts, and says nothing more.
	m = send(m, "tab", "s")
	if m.overview.sortBy == sortFivexx || strings.Contains(lastLine(m.View()), note) {
		t.Errorf("s on the table: sorted by %v, footer %q", m.overview.sortBy, lastLine(m.View()))
	}
}
