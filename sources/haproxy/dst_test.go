package haproxy

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, where the system has no zoneinfo

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

func loadZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load zone %s: %v", name, err)
	}
	return loc
}

func utcAt(y, mo, d, h, mi, s, ms int) time.Time {
	return time.Date(y, time.Month(mo), d, h, mi, s, ms*int(time.Millisecond), time.UTC)
}

// httplogAt is the lab's raw httplog line (log stdout format raw) with
// another %tr and status.
func httplogAt(tr, status, flags string) string {
	return `127.0.0.1:42466 [` + tr + `] fe_http be_app/srv1 0/0/-1/-1/0 ` + status + ` 217 - - ` + flags + ` 1/1/0/0/0 0/0 "GET /ok HTTP/1.1"`
}

// TestHTTPLogDST reads HAProxy logs whose %tr (and syslog header) is local
// time without a zone across both changes of the year: every line must get
// its own instant, through the hour repeated in autumn too.
func TestHTTPLogDST(t *testing.T) {
	const down = `Server be_app/srv1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`
	tests := []struct {
		name  string
		zone  string
		lines []string
		want  []time.Time
	}{
		{
			name: "Berlin autumn, raw: 02:00-03:00 CEST, then CET",
			zone: "Europe/Berlin",
			lines: []string{
				httplogAt("25/Oct/2026:01:59:59.900", "200", "----"),
				httplogAt("25/Oct/2026:02:30:00.000", "503", "SC--"),
				httplogAt("25/Oct/2026:02:59:59.999", "503", "SC--"),
				httplogAt("25/Oct/2026:02:00:00.001", "503", "SC--"),
				httplogAt("25/Oct/2026:02:10:00.000", "503", "SC--"),
				httplogAt("25/Oct/2026:02:59:59.000", "200", "----"),
				httplogAt("25/Oct/2026:03:00:00.000", "200", "----"),
			},
			want: []time.Time{
				utcAt(2026, 10, 24, 23, 59, 59, 900),
				utcAt(2026, 10, 25, 0, 30, 0, 0),
				utcAt(2026, 10, 25, 0, 59, 59, 999),
				utcAt(2026, 10, 25, 1, 0, 0, 1),
				utcAt(2026, 10, 25, 1, 10, 0, 0),
				utcAt(2026, 10, 25, 1, 59, 59, 0),
				utcAt(2026, 10, 25, 2, 0, 0, 0),
			},
		},
		{
			// HAProxy logs a request when it ends and stamps it when it
			// was accepted: a request accepted before the change and
			// logged after it goes back a little, and stays in the first
			// pass. State messages carry only the syslog header.
			name: "Berlin autumn, rfc3164 syslog with a state message and a late long request",
			zone: "Europe/Berlin",
			lines: []string{
				`<134>Oct 25 02:59:59 localhost haproxy[10752]: ` + httplogAt("25/Oct/2026:02:59:59.100", "200", "----"),
				`<134>Oct 25 02:00:01 localhost haproxy[10752]: ` + httplogAt("25/Oct/2026:02:00:01.200", "200", "----"),
				`<134>Oct 25 02:00:02 localhost haproxy[10752]: ` + httplogAt("25/Oct/2026:02:57:30.300", "200", "----"),
				`<129>Oct 25 02:15:00 localhost haproxy[10752]: ` + down,
				`<134>Oct 25 02:15:00 localhost haproxy[10752]: ` + httplogAt("25/Oct/2026:02:15:00.400", "503", "SC--"),
			},
			want: []time.Time{
				utcAt(2026, 10, 25, 0, 59, 59, 100),
				utcAt(2026, 10, 25, 1, 0, 1, 200),
				utcAt(2026, 10, 25, 0, 57, 30, 300),
				utcAt(2026, 10, 25, 1, 15, 0, 0),
				utcAt(2026, 10, 25, 1, 15, 0, 400),
			},
		},
		{
			name: "New York autumn: 01:00-02:00 EDT, then EST",
			zone: "America/New_York",
			lines: []string{
				httplogAt("01/Nov/2026:01:30:00.000", "200", "----"),
				httplogAt("01/Nov/2026:01:59:59.500", "503", "SC--"),
				`<129>Nov  1 01:05:00 localhost haproxy[10752]: ` + down,
				httplogAt("01/Nov/2026:01:05:00.250", "503", "SC--"),
				httplogAt("01/Nov/2026:02:00:00.000", "200", "----"),
			},
			want: []time.Time{
				utcAt(2026, 11, 1, 5, 30, 0, 0),
				utcAt(2026, 11, 1, 5, 59, 59, 500),
				utcAt(2026, 11, 1, 6, 5, 0, 0),
				utcAt(2026, 11, 1, 6, 5, 0, 250),
				utcAt(2026, 11, 1, 7, 0, 0, 0),
			},
		},
		{
			name: "Berlin spring: 01:59 CET, then 03:00 CEST",
			zone: "Europe/Berlin",
			lines: []string{
				httplogAt("29/Mar/2026:01:59:59.999", "200", "----"),
				`<129>Mar 29 03:00:00 localhost haproxy[10752]: ` + down,
				httplogAt("29/Mar/2026:03:00:00.001", "503", "SC--"),
			},
			want: []time.Time{
				utcAt(2026, 3, 29, 0, 59, 59, 999),
				utcAt(2026, 3, 29, 1, 0, 0, 0),
				utcAt(2026, 3, 29, 1, 0, 0, 1),
			},
		},
		{
			name: "New York spring: 01:59 EST, then 03:00 EDT",
			zone: "America/New_York",
			lines: []string{
				httplogAt("08/Mar/2026:01:59:59.000", "200", "----"),
				httplogAt("08/Mar/2026:03:00:00.000", "503", "SC--"),
			},
			want: []time.Time{
				utcAt(2026, 3, 8, 6, 59, 59, 0),
				utcAt(2026, 3, 8, 7, 0, 0, 0),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := loadZone(t, tt.zone)
			p := NewParser(sources.ParserOptions{Location: loc})
			var got []time.Time
			for i, line := range tt.lines {
				rec, err := p.Parse(line)
				if err != nil {
					t.Fatalf("line %d: %v", i+1, err)
				}
				if _, isState := rec.(*sources.ProxyError); isState != strings.Contains(line, "is DOWN") {
					t.Errorf("line %d: record %T", i+1, rec)
				}
				if rec.RecordTime().Location() != loc {
					t.Errorf("line %d: location %v, want %v", i+1, rec.RecordTime().Location(), loc)
				}
				got = append(got, rec.RecordTime().UTC())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("times (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHTTPLogDSTRoundTrip logs a request every 7 minutes 13.5 seconds
// through a day with Berlin's autumn change and reads the %tr stamps back.
func TestHTTPLogDSTRoundTrip(t *testing.T) {
	loc := loadZone(t, "Europe/Berlin")
	p := NewParser(sources.ParserOptions{Location: loc})
	start := utcAt(2026, 10, 24, 20, 0, 0, 0)
	for at := start; at.Before(start.Add(12 * time.Hour)); at = at.Add(7*time.Minute + 13500*time.Millisecond) {
		line := httplogAt(at.In(loc).Format("02/Jan/2006:15:04:05.000"), "200", "----")
		rec, err := p.Parse(line)
		if err != nil {
			t.Fatalf("Parse(%q): %v", line, err)
		}
		if got := rec.RecordTime(); !got.Equal(at) {
			t.Fatalf("%q: got %v, want %v", line, got.UTC(), at)
		}
	}
}
