package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"fivexx/classify"
	"fivexx/sources"
)

// TestAppServiceNameIsShown: the NAME of --app NAME=FILE was shown
// nowhere on screen. The inputs pane names such an app log NAME=path, as
// it was given, and a timeline line of it names the service in its
// source column (a base name, app.log, said nothing of which app).
func TestAppServiceNameIsShown(t *testing.T) {
	st := DefaultStyles()
	s := &classify.Snapshot{Inputs: []classify.InputStatus{
		{Path: "/srv/api/app.log", Service: "myapi", Role: sources.RoleApp, Format: "app-json", State: "following", Lines: 3, Parsed: 3},
		{Path: "/srv/web/app.log", Role: sources.RoleApp, Format: "app-json", State: "following", Lines: 3, Parsed: 3},
	}}
	for _, w := range []int{80, 120} {
		v := ansi.Strip(inputsView(s, inputsList, w, &st))
		if !strings.Contains(v, " myapi=/srv/api/app.log\n") || !strings.HasSuffix(v, " /srv/web/app.log") {
			t.Errorf("at %d cells, inputs pane:\n%s\nwant myapi=/srv/api/app.log, and /srv/web/app.log unlabelled", w, v)
		}
	}
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		line classify.TimelineLine
		want string
	}{
		{classify.TimelineLine{Time: at, Source: "/srv/api/app.log", Service: "myapi", Role: sources.RoleApp, Raw: "x"}, " app    myapi "},
		{classify.TimelineLine{Time: at, Source: "/srv/web/app.log", Role: sources.RoleApp, Raw: "x"}, " app    app.log "},
	} {
		if got := ansi.Strip(timelineLine(tc.line, 120, &st)); !strings.Contains(got, tc.want) {
			t.Errorf("timeline line %q, want %q in it", got, tc.want)
		}
	}
}
