package tui

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"fivexx/classify"
	"fivexx/sources"
	"fivexx/sources/demo"
)

// deployCrashSnapshot runs 60 s of the demo's deploy-crash through an
// engine, as a report reads it, and returns its snapshot.
func deployCrashSnapshot(t *testing.T) *classify.Snapshot {
	t.Helper()
	sc, ok := demo.Lookup("deploy-crash")
	if !ok {
		t.Fatal("no deploy-crash scenario")
	}
	dir := t.TempDir()
	if _, err := demo.WriteFiles(dir, sc, 1, time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), 60*time.Second); err != nil {
		t.Fatal(err)
	}
	// Read by names relative to it: the inputs pane shows the paths,
	// and the golden files cannot hold a temporary directory's.
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := os.Chdir(wd); err != nil {
			t.Fatal(err)
		}
	}()
	var ins []*sources.Input
	for i, f := range []string{"access.log", "error.log", "app.log"} {
		ins = append(ins, sources.NewInput(i, sources.Spec{Path: f, Opts: sources.ParserOptions{Location: time.UTC}}))
	}
	eng := classify.NewEngine(classify.Config{Inputs: ins, Window: 5 * time.Minute})
	for i, err := range sources.MergeEach(context.Background(), ins, eng.Feed) {
		if err != nil {
			t.Fatalf("%s: %v", ins[i].Spec.Path, err)
		}
	}
	eng.Flush()
	return eng.Publish(false)
}

// QA s34 H1: nginx retried each refused first attempt of deploy-crash
// on another server, and each request counted under its last server
// only: 10.0.1.11, which refused 771 first attempts, read "req/s 0 … 0%"
// and cause "-" through the whole outage. The table has a retry column
// for such attempts (shown only when there are some), and the row of a
// server with no 5xx of its own names the cause of its failed attempts.
func TestRetryColumnScreens(t *testing.T) {
	s := deployCrashSnapshot(t)
	var want int64
	for _, u := range s.Upstreams {
		if u.Name == "10.0.1.11:8080" {
			want = u.WindowFailedAttempts
		}
	}
	if want == 0 {
		t.Fatal("10.0.1.11:8080 has no failed attempts in the snapshot")
	}
	for _, sz := range [][2]int{{80, 24}, {120, 40}, {50, 24}} {
		t.Run(fmt.Sprintf("overview/%dx%d", sz[0], sz[1]), func(t *testing.T) {
			m := New(newFakeSource(s), Options{Title: "shop", Refresh: 20 * time.Millisecond})
			view := playScreen(t, m, sz[0], sz[1], []screenStep{{"", "Upstreams by 5xx"}})
			teatest.RequireEqualOutput(t, []byte(view))
			plain := ansi.Strip(view)
			for i, l := range strings.Split(plain, "\n") {
				if w := ansi.StringWidth(l); w > sz[0] {
					t.Errorf("line %d is %d cells wide: %q", i, w, l)
				}
			}
			if sz[0] < 59 {
				return // the narrow table leaves it out for the name
			}
			if !strings.Contains(tableHeader(plain), " retry") {
				t.Errorf("no retry column:\n%s", plain)
			}
			var row string
			for _, l := range strings.Split(plain, "\n") {
				if strings.Contains(l, "1.11:8080") {
					row = l
				}
			}
			if f := strings.Fields(row); len(f) < 7 || f[6] != CountText(want) || !strings.Contains(row, "refused") {
				t.Errorf("10.0.1.11's row %q: want %s failed attempts in the retry column and its refusals' cause", row, CountText(want))
			}
		})
	}
}

// A filter on a server a retried 5xx tried before its last finds that
// 5xx: /10.0.1.11 said "no cause matches the filter" while 10.0.1.11
// refused every first attempt of deploy-crash (QA s34 H1).
func TestFilterFindsTheServerTriedBefore(t *testing.T) {
	m := newTestModel(t, newFakeSource(deployCrashSnapshot(t)), 160, 48)
	m = send(m, "/", "1", "0", ".", "0", ".", "1", ".", "1", "1", "enter")
	plain := ansi.Strip(m.View())
	if strings.Contains(plain, "no cause matches the filter") || len(m.overview.causes) == 0 {
		t.Errorf("filter /10.0.1.11 keeps no cause:\n%s", plain)
	}
	for _, c := range m.overview.causes {
		if c.cause != classify.UpstreamRefused {
			t.Errorf("filter /10.0.1.11 keeps cause %s", c.cause)
		}
	}
}

// The drill-down of a server with failed attempts and no 5xx of its
// own says so, and how to list the 5xx that tried it: it said "no recent
// 5xx here" of 10.0.1.11, which refused 771 first attempts (QA s34 H1).
func TestDrillDownSaysItsFailedAttempts(t *testing.T) {
	s := deployCrashSnapshot(t)
	var n string
	for _, u := range s.Upstreams {
		if u.Name == "10.0.1.11:8080" {
			n = CountText(u.WindowFailedAttempts)
		}
	}
	m := newTestModel(t, newFakeSource(s), 160, 48)
	for m.overview.table.Cursor() < indexOf(t, m, "10.0.1.11:8080") {
		m = send(m, "j")
	}
	m = send(m, "enter")
	plain := ansi.Strip(m.View())
	for _, want := range []string{"▸ upstream 10.0.1.11:8080", n + " failed attempts retried elsewhere", "no 5xx of its own: its " + n + " failed attempts were retried on other servers; / 10.0.1.11:8080 lists"} {
		if !strings.Contains(plain, want) {
			t.Errorf("drill-down of 10.0.1.11 without %q:\n%s", want, plain)
		}
	}
}
