package classify

import (
	"fmt"
	"testing"
	"time"

	"fivexx/sources"
)

func TestStampUnit(t *testing.T) {
	base := time.Date(2026, 11, 21, 7, 14, 53, 0, time.UTC)
	tests := []struct {
		name string
		ns   int
		want time.Duration
	}{
		{"whole second (nginx $time_local)", 0, time.Second},
		{"milliseconds (Caddy console, nginx $msec)", 304_000_000, time.Millisecond},
		{"milliseconds ending in zeros are not tenths", 300_000_000, time.Millisecond},
		{"microseconds", 304_407_000, time.Microsecond},
		{"nanoseconds (Caddy JSON ts)", 304_407_400, time.Nanosecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stampUnit(base.Add(time.Duration(tt.ns))); got != tt.want {
				t.Errorf("stampUnit(.%09d) = %v, want %v", tt.ns, got, tt.want)
			}
		})
	}
}

// TestMillisecondStampOnTheSecond: a stamp's unit comes from how its line
// wrote it when the parser says (sources.Precision), not from its value.
// An HAProxy %tr or nginx $msec stamp 07:10:00.000 is a millisecond: taken
// for the whole second, the 502 of .000 (judged first) reached the reset
// line nginx wrote at .400 for the 502 of .450, a later request, and
// took it, leaving that 502 none.
func TestMillisecondStampOnTheSecond(t *testing.T) {
	const reset = "recv() failed (104: Connection reset by peer) while reading response header from upstream"
	for _, p := range []struct {
		name      string
		precision sources.Precision
		want      []string
	}{
		{"written with milliseconds", sources.FractionDigits(3), []string{"0.000 unknown", "0.450 upstream_reset [error reset]"}},
		{"not known: a whole second by its value", sources.PrecisionUnknown, []string{"0.000 upstream_reset [error reset]", "0.450 unknown"}},
	} {
		recs := func() []sources.Record {
			onTheSecond, later := combinedEntry(0, 502), combinedEntry(0.45, 502)
			onTheSecond.TimePrecision, later.TimePrecision = p.precision, p.precision
			x := errLine(0.4, sources.ReasonReset, reset)
			x.Raw = "error reset"
			return []sources.Record{onTheSecond, x, later}
		}
		judgeEveryWay(t, p.name, recs, p.want, func(v *Verdict) string {
			return fmt.Sprintf("%.3f %s", v.Entry.Time.Sub(t0).Seconds(), v.Cause)
		})
	}
}
