package main

import (
	"flag"
	"io"
	"path/filepath"
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
		{"nginx-combined", "UTC", time.Hour, nil, 0}, // no ids: nothing told
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
