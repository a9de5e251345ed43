package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin, where the system has no zoneinfo
)

const (
	s3Access = `10.1.2.3 - - [02/Jan/2024:04:04:05 +0100] "GET /a HTTP/1.1" 502 157 "-" "curl/8.4.0"`
	s3Error  = `2024/01/02 04:04:05 [error] 6#6: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 10.1.2.3, server: , request: "GET /a HTTP/1.1", upstream: "http://10.0.0.1:8080/a", host: "x"`
)

// TestSeparateErrorLogReadAtAccessOffset is the QA case: with TZ=UTC, a
// separate error log beside an access log at +0100 was read in UTC, an
// hour from its request, and the 502 became app_error.
func TestSeparateErrorLogReadAtAccessOffset(t *testing.T) {
	inZone(t, "UTC")
	dir := t.TempDir()
	acc, errs := filepath.Join(dir, "s3_acc.log"), filepath.Join(dir, "s3_err.log")
	writeLines(t, acc, s3Access)
	writeLines(t, errs, s3Error)
	evs, _ := reportEvents(t, acc, errs)
	if len(evs) != 1 || evs[0].Cause != "upstream_refused" || evs[0].Confidence != "high" {
		t.Errorf("events %+v, want one upstream_refused high", evs)
	}

	// A rotated access log, gzip: its head is inflated for the offset.
	gz := filepath.Join(dir, "access.log.1.gz")
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s3Access + "\n"))
	zw.Close()
	if err := os.WriteFile(gz, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	evs, _ = reportEvents(t, gz, errs)
	if len(evs) != 1 || evs[0].Cause != "upstream_refused" {
		t.Errorf("with the access log gzip: events %+v, want one upstream_refused", evs)
	}

	// The user's zone still decides: in Europe/Berlin the error log is
	// read in it (+0100 in January) as before.
	inZone(t, "Europe/Berlin")
	evs, _ = reportEvents(t, acc, errs)
	if len(evs) != 1 || evs[0].Cause != "upstream_refused" {
		t.Errorf("in Europe/Berlin: events %+v, want one upstream_refused", evs)
	}
}

// TestSeparateErrorLogAcrossDST: an access log written in Europe/Berlin
// across the autumn change (+0200, then +0100), its error log beside it,
// read with TZ=UTC: every error line, on either side of the change and in
// both passes of the repeated hour, joins its request.
func TestSeparateErrorLogAcrossDST(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	inZone(t, "UTC")
	change := time.Date(2026, time.October, 25, 1, 0, 0, 0, time.UTC)
	var access, errs []string
	refused := 0
	for at := change.Add(-62 * time.Minute); !at.After(change.Add(62 * time.Minute)); at = at.Add(20 * time.Second) {
		i := len(access)
		local := at.In(berlin).Format("02/Jan/2006:15:04:05 -0700")
		path := fmt.Sprintf("/api/items/%d", i)
		if i%7 != 3 {
			access = append(access, `10.0.4.17 - - [`+local+`] "GET `+path+` HTTP/1.1" 200 512 "-" "curl/8.4.0"`)
			continue
		}
		refused++
		access = append(access, `10.0.4.17 - - [`+local+`] "GET `+path+` HTTP/1.1" 502 157 "-" "curl/8.4.0"`)
		errs = append(errs, at.In(berlin).Format("2006/01/02 15:04:05")+fmt.Sprintf(` [error] 7#7: *%d connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.4.17, server: shop.example.com, request: "GET %s HTTP/1.1", upstream: "http://10.0.1.11:8080%s", host: "shop.example.com"`, 1000+i, path, path))
	}
	dir := t.TempDir()
	acc, errLog := filepath.Join(dir, "access.log"), filepath.Join(dir, "error.log")
	writeLines(t, acc, access...)
	writeLines(t, errLog, errs...)
	evs, stderr := reportEvents(t, acc, errLog)
	if len(evs) != refused {
		t.Fatalf("%d events, want %d", len(evs), refused)
	}
	before, after := 0, 0
	for _, ev := range evs {
		if ev.Cause != "upstream_refused" || ev.Confidence != "high" {
			t.Errorf("%s %s: %s %s, want upstream_refused high", ev.Time, ev.Path, ev.Cause, ev.Confidence)
		}
		if strings.HasSuffix(ev.Time, "+02:00") {
			before++
		} else {
			after++
		}
	}
	if before == 0 || after == 0 {
		t.Errorf("%d 502s before the change, %d after: the test needs both", before, after)
	}
	if strings.Contains(stderr, "note") {
		t.Errorf("a change found in the access log needs no note: %s", stderr)
	}
}

// TestZoneOf covers the choices between the machine's zone, a fixed
// offset, a zone with one change and a note.
func TestZoneOf(t *testing.T) {
	jan := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC).Unix()
	if loc, note := zoneOf([]offsetSeen{{jan, 0}, {jan + 60, 0}}, false, time.UTC); loc != nil || note {
		t.Errorf("offsets that are the local zone's: %v %v, want nil", loc, note)
	}
	if loc, note := zoneOf([]offsetSeen{{jan, 3600}, {jan + 60, 3600}}, false, time.UTC); loc == nil || note {
		t.Errorf("one offset: %v %v, want a fixed zone", loc, note)
	} else if _, off := time.Unix(jan, 0).In(loc).Zone(); off != 3600 {
		t.Errorf("fixed zone at %d, want 3600", off)
	}
	change := time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC).Unix()
	loc, note := zoneOf([]offsetSeen{{change + 7, 3600}, {change - 9, 7200}}, false, time.UTC)
	if loc == nil || note {
		t.Fatalf("one change: %v %v, want a zone with it", loc, note)
	}
	for _, c := range []struct {
		at  int64
		off int
	}{{change - 1, 7200}, {change, 3600}, {change - 86400, 7200}, {change + 86400, 3600}} {
		if _, off := time.Unix(c.at, 0).In(loc).Zone(); off != c.off {
			t.Errorf("at %d: offset %d, want %d", c.at-change, off, c.off)
		}
	}
	if _, note := zoneOf([]offsetSeen{{jan, 3600}, {jan + 60, 7200}, {jan + 120, 3600}}, false, time.UTC); !note {
		t.Error("two changes: no note")
	}
	if _, note := zoneOf([]offsetSeen{{jan, 3600}, {jan + 60, 7200}}, true, time.UTC); !note {
		t.Error("a change not found: no note")
	}
}

// TestErrorLogZoneFromAStream is the QA case of nginx in Asia/Kolkata
// (testdata/errorzone-stream, recorded from nginx 1.22.1 run with that
// TZ: access lines at +0530, error lines with no zone) read by a report
// in UTC with the access log or the error log through a stream (--cmd
// here; standard input and <(…) are read the same way): the peek cannot
// read a stream, so the error log was read in UTC, 5 h 30 off its
// requests, and every /reset 502 was judged upstream_refused low. Each
// input's order is tried, the error log first too: it waits for the
// access log's first line while the merge waits for it.
func TestErrorLogZoneFromAStream(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("testdata", "errorzone-stream")
	acc, errs := filepath.Join(dir, "access.log"), filepath.Join(dir, "error.log")
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"files", []string{acc, errs}},
		{"access through --cmd", []string{"--cmd", "cat " + acc, errs}},
		{"error log through --cmd", []string{acc, "--cmd", "cat " + errs}},
		{"both through --cmd, error log first", []string{"--cmd", "cat " + errs, "--cmd", "cat " + acc}},
		{"error log forced, access through --cmd", []string{"--proxy-errors", errs, "--cmd", "cat " + acc}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evs, _ := reportEvents(t, tc.args...)
			if len(evs) != 12 {
				t.Fatalf("%d events, want the 12 502s", len(evs))
			}
			for _, ev := range evs {
				want := "upstream_reset"
				if strings.HasPrefix(ev.Path, "/refused/") {
					want = "upstream_refused"
				}
				if ev.Cause != want || ev.Confidence != "high" || !strings.HasSuffix(ev.Time, "+05:30") {
					t.Errorf("%s %s: %s %s, want %s high at +05:30", ev.Time, ev.Path, ev.Cause, ev.Confidence, want)
				}
			}
		})
	}
}
