package applog

import (
	"testing"
	"time"
)

func TestTimeValue(t *testing.T) {
	c := newClock(time.UTC)
	c.now = fixedNow
	plus530 := time.FixedZone("", 5*3600+30*60)
	tests := []struct {
		in     string
		quoted bool
		want   time.Time
		ok     bool
	}{
		{"2026-11-21T07:10:35.123456Z", true, utc(2026, 11, 21, 7, 10, 35, 123456000), true},
		{"2022-11-08T15:28:26.000000000-05:00", true, utc(2022, 11, 8, 20, 28, 26, 0), true},
		{"2018-10-23T16:34:07.301-0700", true, utc(2018, 10, 23, 23, 34, 7, 301000000), true},
		{"2024-01-02T03:04:05+05:30", true, time.Date(2024, 1, 2, 3, 4, 5, 0, plus530), true},
		{"2024-01-02T03:04:05+05", true, time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("", 5*3600)), true},
		{"2024-01-02 03:04:05,678", true, utc(2024, 1, 2, 3, 4, 5, 678000000), true},
		{"2024-01-02t03:04:05.1234567891z", true, utc(2024, 1, 2, 3, 4, 5, 123456789), true},
		{"2024/01/02 03:04:05.123456", true, utc(2024, 1, 2, 3, 4, 5, 123456000), true},
		{"Jan  2 03:04:05", true, utc(2024, 1, 2, 3, 4, 5, 0), true},
		{"Mar  7 03:04:05", true, utc(2024, 3, 7, 3, 4, 5, 0), true},  // 6 days ahead: this year
		{"Mar 20 03:04:05", true, utc(2023, 3, 20, 3, 4, 5, 0), true}, // 19 days ahead: last year
		{"1608362501.672074", false, time.Unix(1608362501, 672074000), true},
		{"1704164645", false, time.Unix(1704164645, 0), true},
		{"1757021155796", false, time.UnixMilli(1757021155796), true},
		{"1757021155796.5", false, time.Unix(1757021155, 796500000), true},
		{"1757021155796123", false, time.UnixMicro(1757021155796123), true},
		{"1757021155796123456", false, time.Unix(0, 1757021155796123456), true},
		{"1.6083625e9", false, time.Unix(1608362500, 0), true},
		{"1704164645", true, time.Unix(1704164645, 0), true}, // epoch as a string
		{"0", false, time.Time{}, false},
		{"-5", false, time.Time{}, false},
		{"99999999999999999999", false, time.Time{}, false},
		{"2024-13-02T03:04:05Z", true, time.Time{}, false},
		{"2024-01-02T25:04:05Z", true, time.Time{}, false},
		{"2024-01-02T03:04:05Z trailing", true, time.Time{}, false},
		{"yesterday", true, time.Time{}, false},
		{"", true, time.Time{}, false},
	}
	for _, tc := range tests {
		got, ok := c.value(value{text: tc.in, quoted: tc.quoted})
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("value(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	// The logged offset is kept, for display.
	if got, _ := c.value(value{text: "2024-01-02T03:04:05+05:30"}); got.Format("-07:00") != "+05:30" {
		t.Errorf("offset not kept: %v", got)
	}
}

func TestNormLevel(t *testing.T) {
	tests := []struct {
		in     string
		strict bool
		want   string
		ok     bool
	}{
		{"INFO", false, "info", true}, {"Warning", false, "warn", true}, {"WARN+2", false, "warn", true},
		{"ERROR-4", false, "error", true}, {"eror", false, "error", true}, {"CRITICAL", false, "fatal", true},
		{"dpanic", false, "fatal", true}, {"trace", false, "debug", true}, {"notice", false, "info", true},
		{"10", false, "debug", true}, {"20", false, "debug", true}, {"30", false, "info", true}, {"40", false, "warn", true},
		{"50", false, "error", true}, {"60", false, "fatal", true}, {"3", false, "error", true}, {"7", false, "debug", true},
		{"Custom", false, "custom", true}, {"Custom", true, "", false}, {"error", true, "error", true}, {"", false, "", false},
	}
	for _, tc := range tests {
		got, ok := normLevel(tc.in, tc.strict)
		if got != tc.want || ok != tc.ok {
			t.Errorf("normLevel(%q, %v) = %q, %v; want %q, %v", tc.in, tc.strict, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSeconds(t *testing.T) {
	tests := []struct {
		in   string
		u    unit
		want float64
		ok   bool
	}{
		{"1.5s", unitAuto, 1.5, true}, {"150ms", unitAuto, 0.150, true}, {"1m2.5s", unitAuto, 62.5, true},
		{"2.5µs", unitAuto, 0.0000025, true}, {"0.25", unitAuto, 0.25, true}, {"1500000000", unitAuto, 1.5, true},
		{"12", unitAuto, 0.012, true}, {"1.2", unitMS, 0.0012, true}, {"1500", unitUS, 0.0015, true},
		{"1500000", unitNS, 0.0015, true}, {"2", unitS, 2, true}, {"30000ms", unitText, 30, true},
		{"12", unitText, 0, false}, {"orders", unitText, 0, false}, {"-1", unitAuto, 0, false}, {"NaN", unitAuto, 0, false},
		{"fast", unitAuto, 0, false},
	}
	for _, tc := range tests {
		got, ok := seconds(value{text: tc.in}, tc.u)
		if ok != tc.ok || (ok && (got-tc.want > 1e-12 || tc.want-got > 1e-12)) {
			t.Errorf("seconds(%q, %d) = %v, %v; want %v, %v", tc.in, tc.u, got, ok, tc.want, tc.ok)
		}
	}
}

func TestPhaseOf(t *testing.T) {
	tests := []struct {
		msg          string
		status       int
		aboutRequest bool
		want         string
	}{
		{"request started", 0, false, "start"},
		{"Incoming request", 0, false, "start"},
		{"received request", 0, false, "start"},
		{"request received", 0, false, "start"},
		{"begin", 0, true, "start"},
		{"request completed", 0, false, "end"},
		{"request errored", 0, false, "end"},
		{"handled request", 0, false, "end"},
		{"done", 0, true, "end"},
		{"anything", 503, false, "end"},
		{"Started App in 3.2 seconds", 0, false, "other"},
		{"migration done", 0, false, "other"},
		{"abandoned request", 0, false, "other"},
		{"received signal terminated", 0, true, "other"},
		{"", 0, true, "other"},
	}
	names := map[int]string{0: "other", 1: "start", 2: "end"}
	for _, tc := range tests {
		if got := names[int(phaseOf(tc.msg, tc.status, tc.aboutRequest))]; got != tc.want {
			t.Errorf("phaseOf(%q, %d, %v) = %s, want %s", tc.msg, tc.status, tc.aboutRequest, got, tc.want)
		}
	}
}
