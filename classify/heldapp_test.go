package classify

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

// A heldApp gives back the entry it was made of: the values DetachFields
// keeps (no Raw), whatever the fields hold.
func TestHeldAppGivesBackItsEntry(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 678901234, time.FixedZone("x", 3600))
	for _, e := range []sources.AppEntry{
		{Time: at, Level: "info", Message: "request finished", RequestID: "r1", IDHash: 7, Method: "GET", Path: "/q?n=1", Status: 200, Duration: 0.0001, Phase: 2, Service: "api", Instance: "10.0.0.1:8080"},
		{Time: at, RequestID: "only-an-id", Duration: -1},
		{Time: time.Time{}, Level: "error", Message: "", RequestID: "x", Status: -3, Instance: "pod-1"},
		{Time: at.UTC(), Message: strings.Repeat("m", 65535), RequestID: "long", Path: "/", Status: 1 << 30},
	} {
		a := newHeldApp(&e)
		if a == nil {
			t.Fatalf("%q: no heldApp", e.RequestID)
		}
		if got := a.entry(); !reflect.DeepEqual(*got, e) {
			t.Errorf("%q: got back %+v", e.RequestID, *got)
		}
		var got sources.AppEntry
		a.fill(&got)
		if !reflect.DeepEqual(got, e) {
			t.Errorf("%q: filled %+v", e.RequestID, got)
		}
	}
	for _, e := range []sources.AppEntry{
		{RequestID: "r", Message: strings.Repeat("m", 65536)},
		{RequestID: "r", Instance: strings.Repeat("i", 65536)}, // the last: its length is the rest, but stays bounded with the others
		{RequestID: "r", Status: 1 << 40},
	} {
		if a := newHeldApp(&e); a != nil && !reflect.DeepEqual(*a.entry(), e) {
			t.Errorf("a heldApp of %d bytes of message, %d of instance, status %d gives back another entry", len(e.Message), len(e.Instance), e.Status)
		}
	}
}

// A report's engine holds app lines as heldApps, and its snapshot is that
// of an engine that holds them as entries (entriesOnly): joins by id, the
// rules reading the app lines, the releases of answered requests and the
// lines let go unjoined come out the same.
func TestHeldAppsJudgeAsEntriesDo(t *testing.T) {
	dir := t.TempDir()
	paths, ws, flush := createLogs(t, dir, "access.log", "app.log")
	start := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	for i := range 3000 {
		at := start.Add(time.Duration(i) * 20 * time.Millisecond)
		status, us, msg, level := 200, "200", "request finished", "INFO"
		switch i % 10 {
		case 3: // the app's own 500, its lines before the access line
			status, us, msg, level = 500, "500", "unhandled exception: db timeout", "ERROR"
		case 6: // refused: no app line of its own
			status, us = 502, "502"
		}
		id := fmt.Sprintf("r%031x", i)
		if i%10 != 6 {
			fmt.Fprintf(ws[1], "{\"time\":%q,\"level\":\"INFO\",\"msg\":\"request started\",\"request_id\":%q,\"method\":\"GET\",\"path\":\"/api/%d\"}\n",
				at.Add(-15*time.Millisecond).Format("2006-01-02T15:04:05.000000Z07:00"), id, i%7)
			fmt.Fprintf(ws[1], "{\"time\":%q,\"level\":%q,\"msg\":%q,\"request_id\":%q,\"method\":\"GET\",\"path\":\"/api/%d\",\"status\":%d,\"duration_ms\":14}\n",
				at.Add(-time.Millisecond).Format("2006-01-02T15:04:05.000000Z07:00"), level, msg, id, i%7, status)
		}
		if i%5 == 0 { // ids no access line carries
			fmt.Fprintf(ws[1], "{\"time\":%q,\"level\":\"WARN\",\"msg\":\"background job\",\"request_id\":\"job-%d\"}\n",
				at.Format("2006-01-02T15:04:05.000000Z07:00"), i)
		}
		uct := "0.000"
		if status == 502 {
			uct = "-"
		}
		fmt.Fprintf(ws[0], "10.1.0.%d - - [%s] \"GET /api/%d HTTP/1.1\" %d 3 \"-\" \"gen/1\" rt=0.015 uct=\"%s\" uht=\"0.014\" urt=\"0.015\" ua=\"10.0.0.1:8080\" us=\"%s\" rid=%s cid=%d\n",
			i%200, at.Format("02/Jan/2006:15:04:05 -0700"), i%7, status, uct, us, id, i)
	}
	flush()
	run := func(entriesOnly bool) (*Snapshot, int) {
		var ins []*sources.Input
		for i, p := range paths {
			ins = append(ins, sources.NewInput(i, sources.Spec{Path: p, Opts: sources.ParserOptions{Location: time.UTC}}))
		}
		eng := NewEngine(Config{Inputs: ins, Grace: 5 * time.Second, MaxRecent: 8, Terse: true})
		eng.corr.entriesOnly = entriesOnly
		held := 0
		for _, err := range sources.MergeRuns(context.Background(), ins, func(run []sources.Item) {
			eng.FeedRun(run)
			c := eng.corr
			for _, l := range c.lines[c.head:] {
				if _, ok := l.rec.(*heldApp); ok {
					held++
				}
			}
		}) {
			if err != nil {
				t.Fatal(err)
			}
		}
		eng.Flush()
		return eng.Publish(true), held
	}
	got, held := run(false)
	want, entries := run(true)
	if held == 0 || entries != 0 {
		t.Fatalf("%d heldApps seen in a report's engine, %d in one holding entries only: want some and none", held, entries)
	}
	if c := got.Total; c.Requests != 3000 || c.Status[500] != 300 || c.Status[502] != 300 {
		t.Fatalf("%d requests, %d 500s, %d 502s: want 3000, 300, 300", c.Requests, c.Status[500], c.Status[502])
	}
	t.Logf("causes %v", got.Total.Causes)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("snapshot with heldApps:\n%+v\nwith entries:\n%+v", got, want)
	}
}

// heldIndex against a plain model: random inserts and removals of seqs
// under a few hashes (so that runs collide and wrap around the table),
// each id's seqs found in order after every step.
func TestHeldIndexAsAModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 8))
	var x heldIndex
	model := map[uint64][]int{}
	hashes := []uint64{1, 2, 1025, 2049, 1023, 2047, 4095, 0xdeadbeef, 1 << 40}
	seq := 0
	for step := range 3000 {
		h := hashes[rng.IntN(len(hashes))]
		if rng.IntN(3) > 0 || len(model[h]) == 0 {
			seq++
			x.insert(h, seq)
			model[h] = append(model[h], seq)
		} else {
			i := rng.IntN(len(model[h]))
			if !x.remove(h, model[h][i]) {
				t.Fatalf("step %d: seq %d of %#x not found", step, model[h][i], h)
			}
			model[h] = slices.Delete(model[h], i, i+1)
		}
		if x.remove(h, -5) {
			t.Fatalf("step %d: removed a seq never inserted", step)
		}
		n := 0
		for _, k := range hashes {
			n += len(model[k])
			if got := x.seqsOf(k, nil); !slices.Equal(got, model[k]) {
				t.Fatalf("step %d: seqs of %#x %v, want %v", step, k, got, model[k])
			}
			if x.has(k) != (len(model[k]) > 0) {
				t.Fatalf("step %d: has(%#x) %v with %d seqs", step, k, x.has(k), len(model[k]))
			}
		}
		if x.n != n {
			t.Fatalf("step %d: %d slots used, want %d", step, x.n, n)
		}
	}
}
