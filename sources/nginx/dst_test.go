package nginx

import (
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

func utcAt(y, mo, d, h, mi, s int) time.Time {
	return time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC)
}

// refusedLine is the lab's connect() refused line with another stamp and
// connection number.
func refusedLine(stamp, conn string) string {
	return stamp + ` [error] 5807#5807: *` + conn + ` connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: lab.local, request: "GET /down/x HTTP/1.1", upstream: "http://127.0.0.1:34065/x", host: "127.0.0.1:43329"`
}

// TestErrorLogDST reads error logs written in local time without a zone
// across both changes of the year: every line must get its own instant
// and the file's instants must run forward, through the hour repeated in
// autumn too.
func TestErrorLogDST(t *testing.T) {
	tests := []struct {
		name   string
		zone   string
		stamps []string
		want   []time.Time
	}{
		{
			name: "Berlin autumn: 02:00-03:00 CEST, then 02:00-03:00 CET",
			zone: "Europe/Berlin",
			stamps: []string{
				"2026/10/25 01:59:59", "2026/10/25 02:00:00", "2026/10/25 02:30:00", "2026/10/25 02:59:59",
				"2026/10/25 02:00:00", "2026/10/25 02:00:00", "2026/10/25 02:10:00", "2026/10/25 02:30:00",
				"2026/10/25 02:59:59", "2026/10/25 03:00:00", "2026/10/25 03:00:01",
			},
			want: []time.Time{
				utcAt(2026, 10, 24, 23, 59, 59), utcAt(2026, 10, 25, 0, 0, 0), utcAt(2026, 10, 25, 0, 30, 0), utcAt(2026, 10, 25, 0, 59, 59),
				utcAt(2026, 10, 25, 1, 0, 0), utcAt(2026, 10, 25, 1, 0, 0), utcAt(2026, 10, 25, 1, 10, 0), utcAt(2026, 10, 25, 1, 30, 0),
				utcAt(2026, 10, 25, 1, 59, 59), utcAt(2026, 10, 25, 2, 0, 0), utcAt(2026, 10, 25, 2, 0, 1),
			},
		},
		{
			name: "Berlin spring: 01:59:59 CET, then 03:00:00 CEST",
			zone: "Europe/Berlin",
			stamps: []string{
				"2026/03/29 01:59:58", "2026/03/29 01:59:59", "2026/03/29 03:00:00", "2026/03/29 03:00:01",
			},
			want: []time.Time{
				utcAt(2026, 3, 29, 0, 59, 58), utcAt(2026, 3, 29, 0, 59, 59), utcAt(2026, 3, 29, 1, 0, 0), utcAt(2026, 3, 29, 1, 0, 1),
			},
		},
		{
			name: "New York autumn: 01:00-02:00 EDT, then 01:00-02:00 EST",
			zone: "America/New_York",
			stamps: []string{
				"2026/11/01 00:59:59", "2026/11/01 01:00:00", "2026/11/01 01:45:00", "2026/11/01 01:59:59",
				"2026/11/01 01:00:00", "2026/11/01 01:20:00", "2026/11/01 01:59:59", "2026/11/01 02:00:00",
			},
			want: []time.Time{
				utcAt(2026, 11, 1, 4, 59, 59), utcAt(2026, 11, 1, 5, 0, 0), utcAt(2026, 11, 1, 5, 45, 0), utcAt(2026, 11, 1, 5, 59, 59),
				utcAt(2026, 11, 1, 6, 0, 0), utcAt(2026, 11, 1, 6, 20, 0), utcAt(2026, 11, 1, 6, 59, 59), utcAt(2026, 11, 1, 7, 0, 0),
			},
		},
		{
			name: "New York spring: 01:59:59 EST, then 03:00:00 EDT",
			zone: "America/New_York",
			stamps: []string{
				"2026/03/08 01:59:59", "2026/03/08 03:00:00", "2026/03/08 03:30:00",
			},
			want: []time.Time{
				utcAt(2026, 3, 8, 6, 59, 59), utcAt(2026, 3, 8, 7, 0, 0), utcAt(2026, 3, 8, 7, 30, 0),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := loadZone(t, tt.zone)
			p := newFormatParser(t, "nginx-error", sources.ParserOptions{Location: loc})
			var got []time.Time
			for i, stamp := range tt.stamps {
				rec, err := p.Parse(refusedLine(stamp, "19"))
				if err != nil {
					t.Fatalf("line %d: %v", i+1, err)
				}
				e := rec.(*sources.ProxyError)
				if e.Reason != sources.ReasonRefused {
					t.Errorf("line %d: reason %v, want refused", i+1, e.Reason)
				}
				if e.Time.Location() != loc {
					t.Errorf("line %d: location %v, want %v", i+1, e.Time.Location(), loc)
				}
				if i > 0 && e.Time.Before(got[i-1]) {
					t.Errorf("line %d (%s) at %v goes back from %v", i+1, stamp, e.Time.UTC(), got[i-1])
				}
				got = append(got, e.Time.UTC())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("times (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAccessLogOffsetsAcrossDST checks that $time_local, which carries its
// offset, reads right on both sides of a change, in the upstream format.
func TestAccessLogOffsetsAcrossDST(t *testing.T) {
	const rest = ` "GET /down/x HTTP/1.1" 502 157 "-" "curl/7.88.1" rt=0.000 uct="-" uht="-" urt="0.000" ua="127.0.0.1:34065" us="502" rid=11ed41c85918ad6484a6525b0112783d cid=19`
	p := newFormatParser(t, "nginx-upstream", sources.ParserOptions{})
	tests := []struct {
		name, stamp string
		want        time.Time
	}{
		{"autumn first pass, CEST", "25/Oct/2026:02:30:00 +0200", utcAt(2026, 10, 25, 0, 30, 0)},
		{"autumn last second of CEST", "25/Oct/2026:02:59:59 +0200", utcAt(2026, 10, 25, 0, 59, 59)},
		{"autumn second pass, CET", "25/Oct/2026:02:10:00 +0100", utcAt(2026, 10, 25, 1, 10, 0)},
		{"spring last second of CET", "29/Mar/2026:01:59:59 +0100", utcAt(2026, 3, 29, 0, 59, 59)},
		{"spring first second of CEST", "29/Mar/2026:03:00:00 +0200", utcAt(2026, 3, 29, 1, 0, 0)},
		{"New York second pass, EST", "01/Nov/2026:01:30:00 -0500", utcAt(2026, 11, 1, 6, 30, 0)},
		{"New York first pass, EDT", "01/Nov/2026:01:30:00 -0400", utcAt(2026, 11, 1, 5, 30, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line := `127.0.0.1 - - [` + tt.stamp + `]` + rest
			rec, err := p.Parse(line)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			e := rec.(*sources.ProxyEntry)
			if e.Status != 502 || !e.Time.Equal(tt.want) {
				t.Errorf("status %d at %v, want 502 at %v", e.Status, e.Time.UTC(), tt.want)
			}
		})
	}
}

// FuzzErrorLogDST writes the error-log stamps of a rising sequence of
// instants around Berlin's autumn change and checks they read back.
func FuzzErrorLogDST(f *testing.F) {
	f.Add(int64(0), uint16(60))
	f.Add(int64(1), uint16(1))
	f.Add(int64(3600), uint16(3298))
	loc := loadZone(f, "Europe/Berlin")
	change := utcAt(2026, 10, 25, 1, 0, 0)
	f.Fuzz(func(t *testing.T, from int64, step uint16) {
		// The file starts before the repeated hour (one that starts in
		// its second pass has nothing to tell it from the first) and
		// steps under 55 minutes (a longer silence in the repeated hour
		// cannot be told from no change).
		st := time.Duration(step%3299+1) * time.Second
		if from < 0 {
			from = -from
		}
		start := change.Add(-time.Hour - time.Duration(from%(2*3600))*time.Second)
		p := newFormatParser(t, "nginx-error", sources.ParserOptions{Location: loc})
		for at := start; at.Before(start.Add(4 * time.Hour)); at = at.Add(st) {
			line := refusedLine(at.In(loc).Format("2006/01/02 15:04:05"), "1")
			rec, err := p.Parse(line)
			if err != nil || rec == nil {
				t.Fatalf("Parse(%q) = %v, %v", line, rec, err)
			}
			if got := rec.RecordTime(); !got.Equal(at) {
				t.Fatalf("%q: got %v, want %v", line, got.UTC(), at)
			}
			if rec.RawLine() != line {
				t.Fatalf("RawLine() = %q, want the input", rec.RawLine())
			}
		}
	})
}
