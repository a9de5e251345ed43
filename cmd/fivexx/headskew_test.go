package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// engineInputs builds a report's inputs from args and the engine config
// from base as report does (engineConfig, which has the merge take a skew
// known before reading off the app's times). Zone-less times are read in
// loc, as they are in the zone TZ names (the process's time.Local is read
// once, at its start).
func engineInputs(t *testing.T, args []string, loc *time.Location, base classify.Config) ([]*sources.Input, classify.Config) {
	t.Helper()
	fs := flag.NewFlagSet("fivexx", flag.ContinueOnError)
	var inf inputFlags
	inf.register(fs, false)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	ins, err := buildInputs(&inf, fs.Args(), io.Discard, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		in.Spec.Opts.Location = loc
	}
	base.Inputs = ins
	cfg, err := inf.engineConfig(base)
	if err != nil {
		t.Fatal(err)
	}
	return ins, cfg
}

// The heads of the real recordings, their app's times moved, tell the
// app's clock before reading (the first 32 KB of each log: the requests
// both logged with one id); beyond AppWaitLimit the merge takes it off the
// app's times, and off no other log's. Within it, and where the clocks
// agree, nothing is moved. HAProxy's zone-less stamps read in
// TZ=Europe/Berlin put the app an hour ahead.
func TestHeadsTellTheAppClock(t *testing.T) {
	for _, tc := range []struct {
		rec   string
		tz    string
		shift time.Duration
		flags []string
		want  time.Duration // the app input's MergeShift
	}{
		{"haproxy", "UTC", time.Hour, nil, time.Hour},
		{"haproxy", "UTC", -2 * time.Minute, nil, -2 * time.Minute},
		{"haproxy", "UTC", 30 * time.Second, nil, 0},
		{"haproxy", "UTC", 0, nil, 0},
		{"haproxy", "Europe/Berlin", 0, nil, time.Hour},
		{"nginx-upstream", "UTC", 9 * time.Hour, nil, 9 * time.Hour},
		{"nginx-upstream", "UTC", 0, nil, 0},
		{"caddy", "UTC", 2 * time.Minute, nil, 2 * time.Minute},
		{"nginx-combined", "UTC", time.Hour, nil, time.Hour}, // no ids: a zone's offset, told by method, target and status (headzone.go)
		{"nginx-combined", "UTC", 0, nil, 0},
		{"nginx-combined", "UTC", time.Hour, []string{"--app-skew", "1h"}, time.Hour},
		{"haproxy", "UTC", 30 * time.Second, []string{"--app-skew", "30s"}, 0}, // the wait's
	} {
		t.Run(headCase(tc.rec, tc.tz, tc.shift, tc.flags), func(t *testing.T) {
			loc, err := time.LoadLocation(tc.tz)
			if err != nil {
				t.Fatal(err)
			}
			logs := recordingLogs(t, tc.rec)
			if tc.shift != 0 {
				logs = shiftedApp(t, logs, tc.shift)
			}
			ins, _ := engineInputs(t, append(append([]string(nil), tc.flags...), logs...), loc, classify.Config{})
			for _, in := range ins {
				want := time.Duration(0)
				if filepath.Base(in.Spec.Path) == "app.log" {
					want = tc.want
				}
				// Within a second: whole-second stamps tell no more.
				if got := in.MergeShift(); got < want-time.Second || got > want+time.Second || (got == 0) != (want == 0) {
					t.Errorf("%s: merge shift %v, want %v", filepath.Base(in.Spec.Path), got, want)
				}
			}
		})
	}
}

// headCase names a case of TestHeadsTellTheAppClock.
func headCase(rec, tz string, shift time.Duration, flags []string) string {
	s := rec + "/" + tz + "/" + shift.String()
	for _, f := range flags {
		s += "/" + f
	}
	return s
}

// stormLogs writes the logs of a 5xx storm to a new directory, as the
// QA's storm.py does: n requests 50 ms apart, each a 5xx of kind, in
// nginx's upstreaminfo format with request ids, and the app's JSON line
// of each stamped skew off the proxy's. Kinds: "500" and "503", the app's
// own answer (the proxy had its header and logs its status); "504", the
// proxy timed out (no header) and the app finished 200 a second later.
// lead requests the proxy answered 200 come first, 5 ms apart, with no
// app line: an app that logs only its errors.
func stormLogs(t *testing.T, kind string, n int, skew time.Duration, lead int) []string {
	t.Helper()
	dir := t.TempDir()
	var access, app strings.Builder
	t0 := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	for i := range lead {
		fmt.Fprintf(&access, "198.19.0.%d - - [%s] \"GET /api/users/me HTTP/1.1\" 200 371 \"-\" \"curl/8\" rt=0.011 uct=\"0.000\" uht=\"0.010\" urt=\"0.010\" ua=\"10.0.1.11:8080\" us=\"200\" rid=%032x cid=%d\n",
			i%256, t0.Format("02/Jan/2006:15:04:05 -0700"), 0xbeef000+i, 90000+i)
		t0 = t0.Add(5 * time.Millisecond)
	}
	for i := range n {
		at := t0.Add(time.Duration(i) * 50 * time.Millisecond)
		id := fmt.Sprintf("%032x", 0xc0ffee000+i)
		path := fmt.Sprintf("/api/cart/%d", 1000+i)
		up := fmt.Sprintf("10.0.1.%d:8080", 11+i%4)
		status, uht, rt, appStatus, appAt := kind, "0.030", "0.030", kind, at.Add(-time.Millisecond)
		if kind == "504" {
			uht, rt, appStatus, appAt = "-", "60.001", "200", at.Add(time.Second)
		}
		fmt.Fprintf(&access, "198.18.0.%d - - [%s] \"GET %s HTTP/1.1\" %s 33 \"-\" \"curl/8\" rt=%s uct=\"0.000\" uht=\"%s\" urt=\"%s\" ua=\"%s\" us=\"%s\" rid=%s cid=%d\n",
			i%256, at.Format("02/Jan/2006:15:04:05 -0700"), path, status, rt, uht, rt, up, status, id, 100000+i)
		fmt.Fprintf(&app, `{"time":"%s","level":"ERROR","msg":"request finished","request_id":"%s","method":"GET","path":"%s","status":%s,"duration_ms":29.1,"instance":"%s"}`+"\n",
			appAt.Add(skew).Format("2006-01-02T15:04:05.000000Z07:00"), id, path, appStatus, up)
	}
	logs := []string{filepath.Join(dir, "access.log"), filepath.Join(dir, "app.log")}
	for i, text := range []string{access.String(), app.String()} {
		if err := os.WriteFile(logs[i], []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return logs
}

// An app that logs only its errors, or one in a storm of them, has no
// line of a request the proxy answered below 500: the heads told its
// clock nothing, and its lines 2 h ahead came after the verdicts (app
// coverage 0.05), 5 min behind were let go before their 5xx (coverage 0).
// Its own 500s and 503s are the pairs then, the status the proxy logs
// being the one the app answered; a 504 the proxy timed out on is not
// (the app's end is not its moment).
func TestHeadsTellTheClockOfAnAppThatLogsOnlyErrors(t *testing.T) {
	inZone(t, "UTC")
	for _, tc := range []struct {
		kind  string
		shift time.Duration
		want  time.Duration // the app input's MergeShift
	}{
		{"500", 2 * time.Hour, 2 * time.Hour},
		{"500", -5 * time.Minute, -5 * time.Minute},
		{"503", 2 * time.Hour, 2 * time.Hour},
		{"500", 0, 0},
		{"504", 2 * time.Hour, 0},
	} {
		t.Run(tc.kind+"/"+tc.shift.String(), func(t *testing.T) {
			logs := stormLogs(t, tc.kind, 60, tc.shift, 0)
			ins, _ := engineInputs(t, logs, time.UTC, classify.Config{})
			for _, in := range ins {
				want := time.Duration(0)
				if filepath.Base(in.Spec.Path) == "app.log" {
					want = tc.want
				}
				if got := in.MergeShift(); got != want {
					t.Errorf("%s: merge shift %v, want %v", filepath.Base(in.Spec.Path), got, want)
				}
			}
			if tc.kind == "504" {
				return
			}
			want, _ := reportEvents(t, stormLogs(t, tc.kind, 60, 0, 0)...)
			got, _ := reportEvents(t, logs...)
			sameVerdicts(t, want, got)
			for _, ev := range got {
				if ev.AppLines != 1 {
					t.Errorf("%s: %d app lines, want its own by request id", ev.RequestID, ev.AppLines)
					break
				}
			}
		})
	}
}

// The QA's real case: the app that logs only its errors wrote its first
// line seconds into the access log, past what the heads hold (400
// requests the proxy answered come first here), so the heads tell its
// clock nothing. 5 min behind, its lines are let go before their 5xx
// come: they are remembered and joined by id as each comes, and the skew
// is told. 1 h ahead, they come after every verdict: the advice names
// --app-skew 1h. Neither says that no request id joins them.
func TestErrorsOnlyAppOffBeyondTheHeads(t *testing.T) {
	inZone(t, "UTC")
	const lead = 400
	agreed, _ := reportEvents(t, stormLogs(t, "500", 60, 0, lead)...)
	for _, tc := range []struct {
		shift time.Duration
		flag  string
	}{
		{-5 * time.Minute, "--app-skew -5m "},
		{time.Hour, "--app-skew 1h "},
	} {
		t.Run(tc.shift.String(), func(t *testing.T) {
			logs := stormLogs(t, "500", 60, tc.shift, lead)
			if tc.shift < 0 {
				got, _ := reportEvents(t, logs...)
				sameVerdicts(t, agreed, got)
			}
			code, out, stderr := runCLI(append([]string{"report", "--json"}, logs...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var rep struct {
				Advice []struct{ Problem, Fix string } `json:"advice"`
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			named := false
			for _, a := range rep.Advice {
				if strings.Contains(a.Problem, "no request id joins") {
					t.Errorf("advice: %s", a.Problem)
				}
				named = named || strings.Contains(a.Fix, tc.flag)
			}
			if !named {
				t.Errorf("no advice names %s: %+v", tc.flag, rep.Advice)
			}
		})
	}
}

// HAProxy's unique id logged after the request line ("%{+Q}r %ID", QA
// s14: real HAProxy 2.6.12, testdata/haproxy-trailing-id) joins 5xx to
// the app's lines as the engine judges them (classify/capturedid.go), but
// the heads took only the ids the parser found: with the app 2 min ahead
// they told no skew, and 11 of its 5xx said "app: no app line with
// request id … within 5 s" of ids the app logged; "{%ID}" in the capture
// block told "+2m0s (from 102 ids)" (s2). The fields after the request
// line offer the id to the heads too, and the header says the heads told
// it.
func TestHeadsTellTheClockByATrailingID(t *testing.T) {
	inZone(t, "UTC")
	logs := []string{filepath.Join("testdata", "haproxy-trailing-id", "access.log"), filepath.Join("testdata", "haproxy-trailing-id", "app.log")}
	ahead := shiftedApp(t, logs, 2*time.Minute)
	ins, _ := engineInputs(t, ahead, time.UTC, classify.Config{})
	for _, in := range ins {
		want := time.Duration(0)
		if filepath.Base(in.Spec.Path) == "app.log" {
			want = 2 * time.Minute
		}
		if got := in.MergeShift(); got != want {
			t.Errorf("%s: merge shift %v, want %v", filepath.Base(in.Spec.Path), got, want)
		}
	}
	// The engine takes such an id only as it judges a 5xx, so no sample
	// of its own tells the skew: the header says whence it is ("app
	// clock +0s (from 101 unique paths)" was a guess by paths of clocks
	// 2 min apart).
	code, out, stderr := runCLI(append([]string{"report"}, ahead...)...)
	if head, _, _ := strings.Cut(out, "\n"); code != 0 || !strings.HasSuffix(head, " · app clock +2m0s (from the logs' heads)") {
		t.Errorf("exit %d, header %q, want it to end in \"app clock +2m0s (from the logs' heads)\"; %s", code, head, stderr)
	}
	want, _ := reportEvents(t, logs...)
	got, _ := reportEvents(t, ahead...)
	sameVerdicts(t, want, got)
	logged := map[string]bool{}
	for _, l := range readFileLines(t, logs, "app.log") {
		var a struct {
			RequestID string `json:"request_id"`
		}
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatal(err)
		}
		logged[a.RequestID] = true
	}
	for _, ev := range got {
		for _, e := range ev.Evidence {
			if strings.HasPrefix(e, "app: no app line with request id") && logged[ev.RequestID] {
				t.Errorf("%s: %q, though the app logged it", ev.Path, e)
			}
		}
	}
}
