package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"fivexx/sources"
)

// TestClipPathKeepsTheFileName: an input's path too long for its column
// is cut from the front, at a directory, so the file name stays; the
// NAME= of an app log stays while it takes at most half the width. Cut at
// the end, every input of one directory read the same
// "/work/main/testdata/recordings/nginx-upstrea…" (QA s28 #1).
func TestClipPathKeepsTheFileName(t *testing.T) {
	const dir = "/work/main/testdata/recordings/nginx-upstream/"
	for _, tc := range []struct {
		path, service string
		w             int
		want          string
	}{
		{dir + "access.log", "", 60, dir + "access.log"},
		{dir + "access.log", "", 45, "…/recordings/nginx-upstream/access.log"},
		{dir + "error.log", "", 23, "…/error.log"},
		{dir + "app.log", "api", 45, "api=…/recordings/nginx-upstream/app.log"},
		{dir + "app.log", "api", 12, "api=…app.log"},
		{dir + "app.log", "a-long-service-name", 20, "…/app.log"},
		{"/var/log/a-very-long-file-name-of-a-log.log", "", 12, "…f-a-log.log"},
		{dir + "日本語.log", "", 12, "…/日本語.log"},
	} {
		got := clipPath(tc.path, tc.service, tc.w)
		if got != tc.want || lenCells(got) > tc.w {
			t.Errorf("clipPath(%q, %q, %d) = %q (%d cells), want %q", tc.path, tc.service, tc.w, got, lenCells(got), tc.want)
		}
	}
	// Log-derived text is sanitized before it is cut: no escape survives.
	if got := clipPath("/x/y/\x1b[31mred.log", "", 12); strings.ContainsRune(got, '\x1b') || lenCells(got) > 12 {
		t.Errorf("clipPath of an escape = %q", got)
	}
}

// TestLongInputPathsScreens renders the overview of inputs with long
// paths at 80 and 120 columns (golden files in
// testdata/TestLongInputPathsScreens): each row ends with its own file
// name, the app row with its api= label.
func TestLongInputPathsScreens(t *testing.T) {
	const dir = "/work/main/testdata/recordings/nginx-upstream/"
	for _, sz := range [][2]int{{80, 36}, {120, 36}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			fs := plainStrings
			fs.accessPath, fs.errorPath, fs.appPath = dir+"access.log", dir+"error.log", dir+"app.log"
			s := fixtureSnapshot(fs)
			for i := range s.Inputs {
				if s.Inputs[i].Role == sources.RoleApp {
					s.Inputs[i].Service = "api"
				}
			}
			m := New(newFakeSource(s), Options{Title: "shop", Refresh: 20 * time.Millisecond})
			view := playScreen(t, m, sz[0], sz[1], []screenStep{{"", "Upstreams by 5xx"}})
			plain := ansi.Strip(view)
			for _, want := range []string{"/access.log\n", "/error.log\n", "api=…"} {
				if !strings.Contains(plain, want) {
					t.Errorf("no %q in the inputs pane:\n%s", want, plain)
				}
			}
			teatest.RequireEqualOutput(t, []byte(view))
		})
	}
}

// TestNarrowInputsShowTheirFiles: at 50 columns the inputs pane's path
// column was cut off entirely ("unparsed  …"), so no row showed its file,
// and the rates title was cut ("Rates per s in the last 10 s · share of
// 15m · 5…", its 5xx share lost: QA s30). From 40 to 70 columns each
// input's row ends with its file name (the counts' columns gave way), an
// unparsed count is still shown (in its column or under its row) and the
// rates title is whole, with its 5xx share.
func TestNarrowInputsShowTheirFiles(t *testing.T) {
	const dir = "/work/main/testdata/recordings/nginx-upstream/"
	for _, w := range []int{40, 50, 60, 70} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			fs := plainStrings
			fs.accessPath, fs.errorPath, fs.appPath = dir+"access.log", dir+"error.log", dir+"app.log"
			m := newTestModel(t, newFakeSource(fixtureSnapshot(fs)), w, 40)
			lines := strings.Split(ansi.Strip(m.View()), "\n")
			rows := map[string]string{}
			for i, l := range lines {
				for _, role := range []string{"proxy", "errors", "app"} {
					if strings.HasPrefix(l, " "+role+" ") && rows[role] == "" {
						rows[role] = l
						if role == "proxy" && i+1 < len(lines) {
							rows["under proxy"] = lines[i+1]
						}
					}
				}
			}
			for role, file := range map[string]string{"proxy": "/access.log", "errors": "/error.log", "app": "/app.log"} {
				if !strings.HasSuffix(strings.TrimRight(rows[role], " "), file) {
					t.Errorf("%s row %q does not end with %q", role, rows[role], file)
				}
			}
			if !regexp.MustCompile(` 6 .*/access\.log`).MatchString(rows["proxy"]) && strings.TrimSpace(rows["under proxy"]) != "↳ 6 unparsed" {
				t.Errorf("the proxy's 6 unparsed lines are not shown: %q, then %q", rows["proxy"], rows["under proxy"])
			}
			for _, l := range lines {
				if strings.Contains(l, "Rates") && (strings.Contains(l, "…") || !strings.Contains(l, "5xx 1.8%")) {
					t.Errorf("rates title %q is cut", l)
				}
			}
		})
	}
}
