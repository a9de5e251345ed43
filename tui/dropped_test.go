package tui

import (
	"strings"
	"testing"

	"fivexx/classify"
)

// What the caps let go that may have changed a verdict is said on the
// overview; lines the cap evicted after every 5xx that could take them was
// judged changed nothing and are not news.
func TestDroppedIsSaidOnlyWhenVerdictsMayBeGuesses(t *testing.T) {
	s := fixtureSnapshot(plainStrings)
	s.Dropped = classify.Dropped{Pending: 53, AppLines: 600, Errors: 30}
	m := newTestModel(t, newFakeSource(s), 200, 48)
	want := " dropped 53 5xx judged early (pending queue full) and 0 judged after the line cap evicted lines in their window (600 app, 30 error lines evicted): their causes may be guesses"
	if v := m.View(); !strings.Contains(v, want) {
		t.Errorf("no %q in\n%s", want, v)
	}

	s.Dropped = classify.Dropped{AppLines: 600, Errors: 30}
	m = newTestModel(t, newFakeSource(s), 200, 48)
	if v := m.View(); strings.Contains(v, "judged early") {
		t.Errorf("lines evicted with no verdict at stake are shown as dropped:\n%s", v)
	}
}
