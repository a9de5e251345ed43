package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestProxyZoneFromIDs: HAProxy's %tr has no zone; written in
// Europe/Paris and read in another TZ, every proxy time is off by whole
// hours, and the skew the ids learn is exactly that. The header and the
// advice say the proxy log was written in another zone and name a TZ,
// rather than blame the app's clock (classify/proxyzone.go). Recorded with
// HAProxy 2.6.12 under TZ=Europe/Paris (the QA round of session 22,
// repro/haproxy).
func TestProxyZoneFromIDs(t *testing.T) {
	dir := filepath.Join("testdata", "proxyzone")
	const advice = "the proxy's times carry no zone, and the request ids put the app's clock exactly "
	tests := []struct {
		tz, header, advice string
	}{
		{"UTC", "proxy log likely written in UTC+01:00, not TZ (ids: app clock -1h0m0s): run with TZ=Etc/GMT-1", advice + "-1h0m0s off: the proxy log was most likely written in UTC+01:00"},
		{"America/New_York", "proxy log likely written in UTC+01:00, not TZ (ids: app clock -6h0m0s): run with TZ=Etc/GMT-1", advice + "-6h0m0s off: the proxy log was most likely written in UTC+01:00"},
		// 8 ids: the five requests that went well and the app's own 500,
		// 502 and 503 (its line logs the status HAProxy had from it); the
		// sH-- 504 (the app ended its /slow?s=3 2 s later), the PH-- and
		// the two SH-- 502s give no skew sample (the proxy made them;
		// classify.MomentStatus).
		{"Europe/Paris", "app clock +0s (from 8 ids)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.tz, func(t *testing.T) {
			inZone(t, tt.tz)
			inputs := []string{filepath.Join(dir, "haproxy.log"), filepath.Join(dir, "app.log")}
			code, out, stderr := runCLI(append([]string{"report"}, inputs...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if first, _, _ := strings.Cut(out, "\n"); !strings.HasSuffix(first, " · "+tt.header) {
				t.Errorf("header %q, want it to end with %q", first, tt.header)
			}
			code, out, stderr = runCLI(append([]string{"report", "--json"}, inputs...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var rep struct {
				Advice []struct{ Problem, Fix string }
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			found := false
			for _, a := range rep.Advice {
				if strings.HasPrefix(a.Problem, advice) {
					found = tt.advice != "" && strings.HasPrefix(a.Problem, tt.advice) && strings.Contains(a.Fix, "TZ=Etc/GMT-1")
					if !found {
						t.Errorf("advice %q / %q, want %q", a.Problem, a.Fix, tt.advice)
					}
				}
			}
			if !found && tt.advice != "" {
				t.Errorf("no advice %q among %q", tt.advice, rep.Advice)
			}
		})
	}
}

// TestProxyZoneNotFromHeaderOffsets: %tr behind an RFC 5424 header takes
// the header's offset (haproxy.requestTime), not TZ's. A whole-hour skew
// the ids tell is then the app's clock, and TZ would change nothing: the
// header and advice said "proxy log likely written in UTC+01:00 … run
// with TZ=Etc/GMT-1" for +02:00 headers, "UTC-01:00 … TZ=Etc/GMT+1" for Z
// ones, whatever TZ, with the app an hour ahead. The recorded Paris lines
// behind a header at +02:00 and at Z, their %tr written at that offset
// [built from real]; the app's times an hour later.
func TestProxyZoneNotFromHeaderOffsets(t *testing.T) {
	dir := filepath.Join("testdata", "proxyzone")
	proxy, err := os.ReadFile(filepath.Join(dir, "haproxy.log"))
	if err != nil {
		t.Fatal(err)
	}
	app, err := os.ReadFile(filepath.Join(dir, "app.log"))
	if err != nil {
		t.Fatal(err)
	}
	paris := time.FixedZone("", 3600) // HAProxy's zone in the recording
	request := regexp.MustCompile(`^(\S+ \[)(\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d\.\d{3})(\] \S+ \S+ -?\d+/-?\d+/-?\d+/-?\d+/)(-?\d+)( .*)$`)
	// behindHeader writes the recording's lines at offset off behind
	// HAProxy's RFC 5424 header, stamped when each request ended; the
	// state lines at the first request's start.
	behindHeader := func(off *time.Location) string {
		var b strings.Builder
		stamp := time.Time{}
		for _, l := range strings.Split(strings.TrimSuffix(string(proxy), "\n"), "\n") {
			m := request.FindStringSubmatch(l)
			if m == nil {
				if stamp.IsZero() {
					stamp = time.Date(2026, time.November, 22, 9, 59, 25, 0, paris)
				}
				fmt.Fprintf(&b, "<134>1 %s lb1 haproxy 4242 - - %s\n", stamp.In(off).Format("2006-01-02T15:04:05.000000Z07:00"), l)
				continue
			}
			tr, err := time.ParseInLocation("02/Jan/2006:15:04:05.000", m[2], paris)
			if err != nil {
				t.Fatal(err)
			}
			ta, _ := strconv.Atoi(m[4])
			stamp = tr.Add(time.Duration(max(ta, 0)) * time.Millisecond)
			fmt.Fprintf(&b, "<134>1 %s lb1 haproxy 4242 - - %s%s%s%s%s\n", stamp.In(off).Format("2006-01-02T15:04:05.000000Z07:00"),
				m[1], tr.In(off).Format("02/Jan/2006:15:04:05.000"), m[3], m[4], m[5])
		}
		return b.String()
	}
	appTime := regexp.MustCompile(`"time": "([^"]+)"`)
	appAhead := appTime.ReplaceAllStringFunc(string(app), func(s string) string {
		at, err := time.Parse(time.RFC3339Nano, appTime.FindStringSubmatch(s)[1])
		if err != nil {
			t.Fatal(err)
		}
		return `"time": "` + at.Add(time.Hour).Format(time.RFC3339Nano) + `"`
	})
	paths := writeFiles(t, [2]string{"plus2.log", behindHeader(time.FixedZone("", 2*3600))},
		[2]string{"z.log", behindHeader(time.UTC)}, [2]string{"app.log", appAhead})
	for _, tz := range []string{"UTC", "Europe/Paris"} {
		for _, proxyLog := range paths[:2] {
			t.Run(tz+"/"+filepath.Base(proxyLog), func(t *testing.T) {
				inZone(t, tz)
				code, out, stderr := runCLI("report", proxyLog, paths[2])
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				if first, _, _ := strings.Cut(out, "\n"); !strings.HasSuffix(first, " · app clock +1h0m0s (from 8 ids)") {
					t.Errorf("header %q, want the app's clock an hour ahead, no proxy zone", first)
				}
				if strings.Contains(out, "TZ=") || strings.Contains(out, "carry no zone") {
					t.Errorf("the report names a TZ for times read at their header's offset:\n%s", out)
				}
				if !strings.Contains(out, "run again with --app-skew 1h") {
					t.Errorf("no advice --app-skew 1h:\n%s", out)
				}
			})
		}
	}
}
