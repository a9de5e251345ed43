package sources

import (
	"testing"
	"time"
	_ "time/tzdata" // the zones below, where the system has no zoneinfo

	"github.com/google/go-cmp/cmp"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load zone %s: %v", name, err)
	}
	return loc
}

// wall is a zone-less stamp as a log writes it.
type wall struct {
	y, mo, d, h, mi, s int
}

func (w wall) date(c *LocalClock) time.Time {
	return c.Date(w.y, time.Month(w.mo), w.d, w.h, w.mi, w.s, 0)
}

func utc(y, mo, d, h, mi, s int) time.Time {
	return time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC)
}

// TestLocalClockSequences reads files of zone-less stamps, line by line
// with one clock, and checks every line's instant.
func TestLocalClockSequences(t *testing.T) {
	tests := []struct {
		name  string
		zone  string
		lines []wall
		want  []time.Time
	}{
		{
			name: "Berlin autumn: 02:00-03:00 twice, CEST then CET",
			zone: "Europe/Berlin",
			lines: []wall{
				{2026, 10, 25, 1, 59, 59}, {2026, 10, 25, 2, 0, 0}, {2026, 10, 25, 2, 30, 0},
				{2026, 10, 25, 2, 59, 59}, {2026, 10, 25, 2, 0, 0}, {2026, 10, 25, 2, 10, 0},
				{2026, 10, 25, 2, 59, 59}, {2026, 10, 25, 3, 0, 0},
			},
			want: []time.Time{
				utc(2026, 10, 24, 23, 59, 59), utc(2026, 10, 25, 0, 0, 0), utc(2026, 10, 25, 0, 30, 0),
				utc(2026, 10, 25, 0, 59, 59), utc(2026, 10, 25, 1, 0, 0), utc(2026, 10, 25, 1, 10, 0),
				utc(2026, 10, 25, 1, 59, 59), utc(2026, 10, 25, 2, 0, 0),
			},
		},
		{
			name: "New York autumn: 01:00-02:00 twice, EDT then EST",
			zone: "America/New_York",
			lines: []wall{
				{2026, 11, 1, 0, 59, 0}, {2026, 11, 1, 1, 15, 0}, {2026, 11, 1, 1, 59, 30},
				{2026, 11, 1, 1, 0, 5}, {2026, 11, 1, 1, 45, 0}, {2026, 11, 1, 2, 0, 0},
			},
			want: []time.Time{
				utc(2026, 11, 1, 4, 59, 0), utc(2026, 11, 1, 5, 15, 0), utc(2026, 11, 1, 5, 59, 30),
				utc(2026, 11, 1, 6, 0, 5), utc(2026, 11, 1, 6, 45, 0), utc(2026, 11, 1, 7, 0, 0),
			},
		},
		{
			// Workers write a little out of order; a step back within
			// the tolerance stays in the first pass.
			name: "Berlin autumn: small step back at the change stays first pass",
			zone: "Europe/Berlin",
			lines: []wall{
				{2026, 10, 25, 2, 59, 58}, {2026, 10, 25, 2, 57, 0}, {2026, 10, 25, 2, 59, 59},
				{2026, 10, 25, 2, 0, 1},
			},
			want: []time.Time{
				utc(2026, 10, 25, 0, 59, 58), utc(2026, 10, 25, 0, 57, 0), utc(2026, 10, 25, 0, 59, 59),
				utc(2026, 10, 25, 1, 0, 1),
			},
		},
		{
			name:  "Berlin autumn: a file starting in the repeated hour takes the first pass",
			zone:  "Europe/Berlin",
			lines: []wall{{2026, 10, 25, 2, 30, 0}, {2026, 10, 25, 2, 40, 0}},
			want:  []time.Time{utc(2026, 10, 25, 0, 30, 0), utc(2026, 10, 25, 0, 40, 0)},
		},
		{
			name:  "New York autumn: a file starting in the repeated hour takes the first pass",
			zone:  "America/New_York",
			lines: []wall{{2026, 11, 1, 1, 30, 0}},
			want:  []time.Time{utc(2026, 11, 1, 5, 30, 0)},
		},
		{
			// 02:00-03:00 does not exist; time.Date reads it with the
			// winter offset, i.e. an hour later on the summer clock.
			name: "Berlin spring: skipped hour mapped as time.Date maps it",
			zone: "Europe/Berlin",
			lines: []wall{
				{2026, 3, 29, 1, 59, 59}, {2026, 3, 29, 2, 30, 0}, {2026, 3, 29, 3, 0, 0},
				{2026, 3, 29, 3, 30, 1},
			},
			want: []time.Time{
				utc(2026, 3, 29, 0, 59, 59), utc(2026, 3, 29, 1, 30, 0), utc(2026, 3, 29, 1, 0, 0),
				utc(2026, 3, 29, 1, 30, 1),
			},
		},
		{
			// time.Date reads New York's skipped 02:30 with the summer
			// offset, i.e. an hour earlier on the winter clock.
			name:  "New York spring: skipped hour mapped as time.Date maps it",
			zone:  "America/New_York",
			lines: []wall{{2026, 3, 8, 1, 59, 59}, {2026, 3, 8, 2, 30, 0}, {2026, 3, 8, 3, 0, 0}},
			want:  []time.Time{utc(2026, 3, 8, 6, 59, 59), utc(2026, 3, 8, 6, 30, 0), utc(2026, 3, 8, 7, 0, 0)},
		},
		{
			name: "New York spring: 01:59 EST then 03:00 EDT",
			zone: "America/New_York",
			lines: []wall{
				{2026, 3, 8, 1, 59, 59}, {2026, 3, 8, 3, 0, 0}, {2026, 3, 8, 3, 0, 1},
			},
			want: []time.Time{
				utc(2026, 3, 8, 6, 59, 59), utc(2026, 3, 8, 7, 0, 0), utc(2026, 3, 8, 7, 0, 1),
			},
		},
		{
			name: "months apart: summer, winter, summer",
			zone: "Europe/Berlin",
			lines: []wall{
				{2026, 7, 1, 12, 0, 0}, {2026, 12, 1, 12, 0, 0}, {2027, 7, 1, 12, 0, 0},
			},
			want: []time.Time{
				utc(2026, 7, 1, 10, 0, 0), utc(2026, 12, 1, 11, 0, 0), utc(2027, 7, 1, 10, 0, 0),
			},
		},
		{
			name:  "UTC",
			zone:  "UTC",
			lines: []wall{{2026, 10, 25, 2, 30, 0}, {2026, 10, 25, 2, 0, 0}},
			want:  []time.Time{utc(2026, 10, 25, 2, 30, 0), utc(2026, 10, 25, 2, 0, 0)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustZone(t, tt.zone)
			c := NewLocalClock(loc)
			var got []time.Time
			for _, w := range tt.lines {
				tm := w.date(c)
				if tm.Location() != loc && loc != time.UTC {
					t.Errorf("%v: location %v, want %v", w, tm.Location(), loc)
				}
				got = append(got, tm.UTC())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("instants (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLocalClockRoundTrip writes the wall clock of a rising sequence of
// instants, as a log does, and reads it back with one clock: every instant
// must come back, through both changes of the year, in zones west and east
// of UTC, with a half-hour change (Lord Howe) and without changes.
func TestLocalClockRoundTrip(t *testing.T) {
	zones := []struct {
		name string
		step time.Duration // below the repeated span minus the tolerance
	}{
		{"Europe/Berlin", 13*time.Minute + 7*time.Second},
		{"America/New_York", 29*time.Minute + 59*time.Second},
		{"Australia/Sydney", 47 * time.Minute},
		{"Australia/Lord_Howe", 11*time.Minute + 3*time.Second},
		{"Asia/Tokyo", 61 * time.Minute},
		{"UTC", 61 * time.Minute},
	}
	for _, z := range zones {
		t.Run(z.name, func(t *testing.T) {
			loc := mustZone(t, z.name)
			c := NewLocalClock(loc)
			end := time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
			prev := time.Time{}
			for tm := time.Date(2025, 12, 1, 0, 0, 0, 123e6, time.UTC); tm.Before(end); tm = tm.Add(z.step) {
				l := tm.In(loc)
				got := c.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond())
				if !got.Equal(tm) {
					t.Fatalf("wall %s (after %s): got %s, want %s", l.Format("2006-01-02 15:04:05"),
						prev.In(loc).Format(time.RFC3339), got.Format(time.RFC3339Nano), tm.In(loc).Format(time.RFC3339Nano))
				}
				prev = tm
			}
		})
	}
}

// TestLocalClockMatchesTimeDate checks that a stamp that happens once, or
// never, reads as time.Date reads it, whatever came before.
func TestLocalClockMatchesTimeDate(t *testing.T) {
	for _, name := range []string{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe"} {
		loc := mustZone(t, name)
		c := NewLocalClock(loc)
		// Hop around the year so the cache is often stale.
		for i := 0; i < 20000; i++ {
			mo := time.Month(1 + (i*7)%12)
			d := 1 + (i*13)%31
			h, mi := (i*5)%24, (i*17)%60
			want := time.Date(2026, mo, d, h, mi, i%60, 0, loc)
			if ambiguous(want) {
				continue
			}
			if got := c.Date(2026, mo, d, h, mi, i%60, 0); !got.Equal(want) {
				t.Fatalf("%s: %d-%02d-%02d %02d:%02d: got %v, want %v", name, 2026, mo, d, h, mi, got, want)
			}
		}
		// Every 7 minutes of wall clock through the year, skipped hours
		// included.
		for m := 0; m < 366*24*60; m += 7 {
			want := time.Date(2026, time.January, 1, 0, m, 0, 0, loc)
			if ambiguous(want) {
				continue
			}
			if got := c.Date(2026, time.January, 1, 0, m, 0, 0); !got.Equal(want) {
				t.Fatalf("%s: minute %d of 2026: got %v, want %v", name, m, got, want)
			}
		}
	}
}

// ambiguous reports whether t's wall clock happens twice in its location.
func ambiguous(t time.Time) bool {
	for _, d := range []time.Duration{-2 * time.Hour, -time.Hour, -30 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour} {
		o := t.Add(d).In(t.Location())
		if o.Hour() == t.Hour() && o.Minute() == t.Minute() && o.Second() == t.Second() && o.Day() == t.Day() {
			return true
		}
	}
	return false
}

func TestLocalClockZeroValueIsLocal(t *testing.T) {
	var c LocalClock
	if c.Location() != time.Local {
		t.Fatalf("zero clock location = %v, want Local", c.Location())
	}
	got := c.Date(2026, time.July, 1, 12, 0, 0, 0)
	want := time.Date(2026, time.July, 1, 12, 0, 0, 0, time.Local)
	if !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestLocalClockNoAllocs guards the hot path: a stamp in the cached period,
// and one in a repeated hour, allocate nothing.
func TestLocalClockNoAllocs(t *testing.T) {
	c := NewLocalClock(mustZone(t, "Europe/Berlin"))
	c.Date(2026, time.October, 25, 2, 59, 0, 0)
	c.Date(2026, time.October, 25, 2, 1, 0, 0)
	i := 0
	n := testing.AllocsPerRun(1000, func() {
		i++
		c.Date(2026, time.October, 25, 2, 2+i%50, i%60, i)
		c.Date(2026, time.November, 3, 4, i%60, 0, 0)
	})
	if n != 0 {
		t.Errorf("Date allocates %v times per call pair, want 0", n)
	}
}

func TestWallSecondsNormalises(t *testing.T) {
	tests := []struct {
		name                   string
		y, mo, d, h, mi, s, ns int
	}{
		{"epoch", 1970, 1, 1, 0, 0, 0, 0},
		{"leap day", 2024, 2, 29, 23, 59, 59, 999999999},
		{"Feb 31 rolls into March", 2026, 2, 31, 12, 0, 0, 0},
		{"second 60", 2026, 12, 31, 23, 59, 60, 0},
		{"month 13", 2025, 13, 1, 0, 0, 0, 0},
		{"month 0", 2026, 0, 15, 0, 0, 0, 0},
		{"negative nanoseconds", 2026, 1, 1, 0, 0, 0, -1},
		{"before 1970", 1969, 12, 31, 23, 59, 59, 0},
		{"year 1600", 1600, 3, 1, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkWallSeconds(t, tt.y, tt.mo, tt.d, tt.h, tt.mi, tt.s, tt.ns)
		})
	}
}

func checkWallSeconds(t *testing.T, y, mo, d, h, mi, s, ns int) {
	t.Helper()
	want := time.Date(y, time.Month(mo), d, h, mi, s, ns, time.UTC)
	sec, gotNs := wallSeconds(y, time.Month(mo), d, h, mi, s, ns)
	if sec != want.Unix() || gotNs != want.Nanosecond() {
		t.Errorf("wallSeconds(%d-%d-%d %d:%d:%d.%d) = %d.%09d, want %d.%09d", y, mo, d, h, mi, s, ns,
			sec, gotNs, want.Unix(), want.Nanosecond())
	}
}

// FuzzWallSeconds checks the hand-rolled calendar arithmetic against
// time.Date in UTC.
func FuzzWallSeconds(f *testing.F) {
	f.Add(int16(2026), int8(10), int8(25), int8(2), int8(30), int8(0), int32(0))
	f.Add(int16(2024), int8(2), int8(29), int8(23), int8(59), int8(60), int32(-5))
	f.Add(int16(1969), int8(0), int8(0), int8(-1), int8(-1), int8(-1), int32(2e9))
	f.Fuzz(func(t *testing.T, y int16, mo, d, h, mi, s int8, ns int32) {
		checkWallSeconds(t, int(y), int(mo), int(d), int(h), int(mi), int(s), int(ns))
	})
}

func BenchmarkLocalClockDate(b *testing.B) {
	c := NewLocalClock(mustZone(b, "Europe/Berlin"))
	for i := 0; b.Loop(); i++ {
		c.Date(2026, time.November, 21, 7, i%60, i%60, 0)
	}
}

func BenchmarkTimeDate(b *testing.B) {
	loc := mustZone(b, "Europe/Berlin")
	for i := 0; b.Loop(); i++ {
		time.Date(2026, time.November, 21, 7, i%60, i%60, 0, loc)
	}
}
