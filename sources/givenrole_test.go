package sources_test

import (
	"context"
	"testing"

	"fivexx/sources"
)

// TestDecoderRefusesAnAppRoleItsLinesContradict: an input given as the
// app's whose head could not be checked at start (standard input, a file
// empty at start) has its first lines checked when they are decided on:
// nginx's error lines are read as none of the app's (they were app-text,
// app evidence), and its state says why; app lines after them are read,
// and end it.
func TestDecoderRefusesAnAppRoleItsLinesContradict(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "app.log", Role: sources.RoleApp})
	in.SetState("following")
	out := make(chan sources.Item, 1<<12)
	d := sources.NewDecoder(in, out)
	ctx := context.Background()
	feed := func(lines []string) {
		for _, l := range lines {
			if err := d.Line(ctx, l); err != nil {
				t.Fatal(err)
			}
		}
		for range sources.QuietTicks + 1 {
			if err := d.Tick(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	feed(fileLines(t, "recordings/nginx-upstream/error.log")[:20])
	const want = "given with --app, but its lines read as a proxy's error log (nginx-error), not an app's: give it by position or with --proxy-errors (an app that logs so: add --format app-text)"
	c, ok := in.Contradiction()
	if st := in.State(); st != want || !ok || c.As != sources.RoleProxyErrors || len(out) != 0 || in.Counters().Unparsed != 20 {
		t.Fatalf("after nginx's error lines: state %q, contradiction %v %+v, %d items, %d unparsed; want %q, no item, 20 unparsed", st, ok, c, len(out), in.Counters().Unparsed, want)
	}
	feed(nTimes(300, appJSONLine))
	if err := d.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	close(out)
	var items []sources.Item
	for it := range out {
		items = append(items, it)
	}
	_, _, app := kinds(items)
	if _, ok := in.Contradiction(); ok || in.State() != "following" || app == 0 {
		t.Errorf("after app lines: contradiction %v, state %q, %d app lines; want none, following, app lines read", ok, in.State(), app)
	}
}
