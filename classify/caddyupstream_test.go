package classify

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

// caddyLateInputs reads the real Caddy 2.6.2 lines of
// testdata/caddy-late-error (session 24 QA repro 5: seven access entries,
// /crash reset by 127.0.0.1:58167 and /dead/y refused by 127.0.0.1:31525,
// and those two http.log.error entries, each written some 0.1 ms before
// its access entry) and returns the inputs and their records in the order
// the case gives.
func caddyLateInputs(t *testing.T) ([]*sources.Input, [][]sources.Record) {
	t.Helper()
	dir := filepath.Join("testdata", "caddy-late-error")
	var ins []*sources.Input
	var recs [][]sources.Record
	for i, f := range []string{"access.log", "caddy.log"} {
		in := sources.NewInput(i, sources.Spec{Path: filepath.Join(dir, f), Opts: sources.ParserOptions{Location: time.UTC}})
		in.KeepRecords()
		out := make(chan sources.Item, 64)
		if err := sources.ReadToEnd(context.Background(), in, out); err != nil {
			t.Fatal(err)
		}
		close(out)
		var rs []sources.Record
		for it := range out {
			rs = append(rs, it.Rec)
		}
		ins, recs = append(ins, in), append(recs, rs)
	}
	return ins, recs
}

// upstreamRows says the upstream table as "name requests
// 500/502/503/504 causes".
func upstreamRows(s *Snapshot) string {
	var rows []string
	for _, u := range s.Upstreams {
		st := u.Total.Status
		row := fmt.Sprintf("%s %d %d/%d/%d/%d", u.Name, u.Total.Requests, st[500], st[502], st[503], st[504])
		for _, c := range AllCauses {
			if n := u.Total.Causes[c]; n > 0 {
				row += fmt.Sprintf(" %s:%d", c, n)
			}
		}
		rows = append(rows, row)
	}
	slices.Sort(rows)
	return strings.Join(rows, "; ")
}

// Caddy writes a request's http.log.error entry about 0.1 ms before its
// access entry, into another file: live may read the access entry first.
// The 5xx was then counted under "-" for good, and its detail said
// "upstream —" while its evidence quoted "read tcp …->127.0.0.1:58167"
// (QA: live "127.0.0.1:31525 502 2" and no 127.0.0.1:58167 row; the
// report "31525 502 3, 58167 502 2"). The upstream the joined error entry
// names is taken when the verdict is made, and the 5xx counted under it:
// live with the access entries read first gives the report's table.
func TestCaddyUpstreamFromErrorReadLater(t *testing.T) {
	ins, recs := caddyLateInputs(t)
	access, errs := recs[0], recs[1]
	if len(access) != 7 || len(errs) != 2 {
		t.Fatalf("%d access and %d error records, want 7 and 2", len(access), len(errs))
	}

	// The report: merged by time, each error entry before its access entry.
	rep := NewEngine(Config{Inputs: ins, Grace: 5 * time.Second})
	all := append(append([]sources.Record(nil), access...), errs...)
	slices.SortStableFunc(all, func(a, b sources.Record) int { return a.RecordTime().Compare(b.RecordTime()) })
	for _, r := range all {
		in := ins[0]
		if _, ok := r.(*sources.ProxyError); ok {
			in = ins[1]
		}
		rep.Add(in, r)
	}
	rep.Flush()
	want := upstreamRows(rep.Publish(true))
	if w := "- 5 1/0/0/0 unknown:1; 127.0.0.1:31525 1 0/1/0/0 upstream_refused:1; 127.0.0.1:58167 1 0/1/0/0 upstream_reset:1"; want != w {
		t.Fatalf("report's upstreams:\n  %s\nwant\n  %s", want, w)
	}

	// Live, on records of its own (the report named the upstream in its
	// entries): every access entry is read 0.05 ms after its stamp, each
	// error entry 1 ms after its own, after its request's access entry.
	ins, recs = caddyLateInputs(t)
	access, errs = recs[0], recs[1]
	wall := access[0].RecordTime().Truncate(time.Second)
	var verdicts []*Verdict
	live := NewEngine(Config{Inputs: ins, Live: true, Timeline: true, Grace: time.Second, ExplainLater: true,
		Now: func() time.Time { return wall }, OnVerdict: func(v *Verdict) { verdicts = append(verdicts, v) }})
	type arrival struct {
		in  *sources.Input
		rec sources.Record
		at  time.Time
	}
	var arr []arrival
	for _, r := range access {
		arr = append(arr, arrival{ins[0], r, r.RecordTime().Add(50 * time.Microsecond)})
	}
	for _, r := range errs {
		arr = append(arr, arrival{ins[1], r, r.RecordTime().Add(time.Millisecond)})
	}
	slices.SortStableFunc(arr, func(a, b arrival) int { return a.at.Compare(b.at) })
	end := arr[len(arr)-1].at.Add(20 * time.Second)
	for next := 0; wall.Before(end); wall = wall.Add(100 * time.Millisecond) {
		for ; next < len(arr) && !arr[next].at.After(wall); next++ {
			live.Add(arr[next].in, arr[next].rec)
		}
		live.Advance()
	}
	s := live.Publish(false)
	if s.Pending != 0 {
		t.Fatalf("%d 5xx still pending", s.Pending)
	}
	for _, u := range s.Upstreams {
		for c, n := range u.Total.Status {
			if c >= 500 && u.Windowed.Status[c] != n {
				t.Errorf("live %s: %d %d in the window, %d in all", u.Name, u.Windowed.Status[c], c, n)
			}
		}
	}
	if got := upstreamRows(s); got != want {
		t.Errorf("live upstreams, access entries read first:\n  %s\nthe report's:\n  %s", got, want)
	}
	wantUp := map[string]string{"/crash": "127.0.0.1:58167", "/dead/y": "127.0.0.1:31525", "/e500": ""}
	if len(verdicts) != len(wantUp) {
		t.Fatalf("%d verdicts, want %d", len(verdicts), len(wantUp))
	}
	for _, v := range verdicts {
		if up := v.Entry.Upstream; up != wantUp[v.Entry.Path] {
			t.Errorf("%s %d: upstream %q, want %q (cause %s)", v.Entry.Path, v.Entry.Status, up, wantUp[v.Entry.Path], v.Cause)
		}
		if want := wantUp[v.Entry.Path]; want != "" && v.Row != want {
			t.Errorf("%s: counted in row %q, want %q", v.Entry.Path, v.Row, want)
		}
	}
}

// A 5xx counted under "-" and moved to its upstream at its verdict leaves
// no row of zeros behind: live, Caddy's /crash alone, its error entry read
// after its access entry.
func TestCaddyUpstreamMovedLeavesNoEmptyRow(t *testing.T) {
	ins, recs := caddyLateInputs(t)
	var crash sources.Record
	for _, r := range recs[0] {
		if r.(*sources.ProxyEntry).Path == "/crash" {
			crash = r
		}
	}
	wall := crash.RecordTime()
	live := NewEngine(Config{Inputs: ins, Live: true, Grace: time.Second, Now: func() time.Time { return wall }})
	live.Add(ins[0], crash)
	live.Add(ins[1], recs[1][0])
	for range 100 {
		wall = wall.Add(100 * time.Millisecond)
		live.Advance()
	}
	s := live.Publish(false)
	if got, want := upstreamRows(s), "127.0.0.1:58167 1 0/1/0/0 upstream_reset:1"; s.Pending != 0 || got != want {
		t.Errorf("%d pending, upstreams:\n  %s\nwant\n  %s", s.Pending, got, want)
	}
}
