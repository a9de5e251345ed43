package haproxy

import (
	"testing"
	"time"

	"fivexx/sources"
)

// TestRequestTimeTakesTheHeaderOffset: %tr has no zone; an RFC 3339 or
// RFC 5424 syslog header carries the offset the host logged at, and %tr
// is read at it: read in TZ, a log written at +02:00 was 2 h off the app's
// UTC times and nothing joined. Lines without a header, with an RFC 3164
// one, or whose header's time is not that of the request's end read at
// that offset, are read in TZ as before.
func TestRequestTimeTakesTheHeaderOffset(t *testing.T) {
	athens := time.FixedZone("", 2*3600)
	tests := []struct {
		name string
		tz   *time.Location
		line string
		want time.Time // the instant
		zone int       // its offset, s east of UTC
		// fromLine: the header's offset was taken, not TZ's
		// (sources.ProxyEntry.ZoneFromLine).
		fromLine bool
	}{
		{
			name:     "rfc5424 from haproxy in Europe/Athens, read in UTC [real]",
			tz:       time.UTC,
			line:     `<134>1 2026-11-22T23:50:53.666449+02:00 lb1 haproxy 14048 - - 127.0.0.1:55864 [22/Nov/2026:23:50:53.663] fe be_app/s1 0/0/0/2/2 500 190 - - ---- 1/1/0/0/0 0/0 "GET /error?rfc5424.log=3 HTTP/1.1"`,
			want:     time.Date(2026, time.November, 22, 21, 50, 53, 665e6, time.UTC),
			fromLine: true,
			zone:     2 * 3600,
		},
		{
			name:     "rsyslog rfc3339 header at +02:00, read in UTC [qa]",
			tz:       time.UTC,
			line:     `2025-02-06T12:14:00.010000+02:00 lb1 haproxy[1]: 10.0.1.2:30000 [06/Feb/2025:12:14:00.000] http-in be_app/srv1 0/0/1/5/6 200 100 - - ---- 1/1/1/1/0 0/0 "GET /p0?n=0 HTTP/1.1"`,
			want:     time.Date(2025, time.February, 6, 10, 14, 0, 6e6, time.UTC),
			fromLine: true,
			zone:     2 * 3600,
		},
		{
			name:     "rfc3339 header at -05:00 with priority, read in Athens [built]",
			tz:       athens,
			line:     `<134>2025-02-06T12:14:01.010000-05:00 lb1 haproxy[1]: 10.0.1.2:30000 [06/Feb/2025:12:14:00.000] http-in be_app/srv1 0/0/1/5/1006 200 100 - - ---- 1/1/1/1/0 0/0 "GET /p0?n=0 HTTP/1.1"`,
			want:     time.Date(2025, time.February, 6, 17, 14, 1, 6e6, time.UTC),
			fromLine: true,
			zone:     -5 * 3600,
		},
		{
			name:     "rfc3339 header in Z, read in Athens [built]",
			tz:       athens,
			line:     `2025-02-06T12:14:00.010Z lb1 haproxy[1]: 10.0.1.2:30000 [06/Feb/2025:12:14:00.000] http-in be_app/srv1 0/0/1/5/6 200 100 - - ---- 1/1/1/1/0 0/0 "GET /p0?n=0 HTTP/1.1"`,
			want:     time.Date(2025, time.February, 6, 12, 14, 0, 6e6, time.UTC),
			fromLine: true,
			zone:     0,
		},
		{
			// A collector in UTC stamped the line when it came: the
			// header's offset is not the zone %tr was written in.
			name: "header an hour from the request's end: TZ [built]",
			tz:   athens,
			line: `2025-02-06T10:14:00.010+00:00 collector haproxy[1]: 10.0.1.2:30000 [06/Feb/2025:12:14:00.000] http-in be_app/srv1 0/0/1/5/6 200 100 - - ---- 1/1/1/1/0 0/0 "GET /p0?n=0 HTTP/1.1"`,
			want: time.Date(2025, time.February, 6, 10, 14, 0, 6e6, time.UTC),
			zone: 2 * 3600,
		},
		{
			name: "rfc3164 header: TZ as before [built]",
			tz:   athens,
			line: `Feb  6 12:14:00 lb1 haproxy[1]: 10.0.1.2:30000 [06/Feb/2025:12:14:00.000] http-in be_app/srv1 0/0/1/5/6 200 100 - - ---- 1/1/1/1/0 0/0 "GET /p0?n=0 HTTP/1.1"`,
			want: time.Date(2025, time.February, 6, 10, 14, 0, 6e6, time.UTC),
			zone: 2 * 3600,
		},
		{
			name: "no header: TZ as before [built]",
			tz:   time.UTC,
			line: `10.0.1.2:30000 [06/Feb/2025:12:14:00.000] http-in be_app/srv1 0/0/1/5/6 200 100 - - ---- 1/1/1/1/0 0/0 "GET /p0?n=0 HTTP/1.1"`,
			want: time.Date(2025, time.February, 6, 12, 14, 0, 6e6, time.UTC),
			zone: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewParser(sources.ParserOptions{Location: tt.tz})
			rec, err := p.Parse(tt.line)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := rec.RecordTime()
			if _, off := got.Zone(); !got.Equal(tt.want) || off != tt.zone {
				t.Errorf("time %v (offset %d), want %v at offset %d", got, off, tt.want.In(time.FixedZone("", tt.zone)), tt.zone)
			}
			if from := rec.(*sources.ProxyEntry).ZoneFromLine; from != tt.fromLine {
				t.Errorf("ZoneFromLine %v, want %v", from, tt.fromLine)
			}
		})
	}
}

// TestRequestTimeAtTheHeaderOffsetKeepsTZ: a header whose offset is TZ's
// then gives the time in TZ's location, as without the header, so that
// it prints the same.
func TestRequestTimeAtTheHeaderOffsetKeepsTZ(t *testing.T) {
	berlin := loadZone(t, "Europe/Berlin")
	p := NewParser(sources.ParserOptions{Location: berlin})
	rec, err := p.Parse(`2025-02-06T12:14:00.010+01:00 lb1 haproxy[1]: 10.0.1.2:30000 [06/Feb/2025:12:14:00.000] http-in be_app/srv1 0/0/1/5/6 200 100 - - ---- 1/1/1/1/0 0/0 "GET /p0?n=0 HTTP/1.1"`)
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.RecordTime(); got.Location() != berlin {
		t.Errorf("time %v in %v, want it in Europe/Berlin", got, got.Location())
	}
}

// TestEnvelopeOffset reads the offsets of header stamps.
func TestEnvelopeOffset(t *testing.T) {
	tests := []struct {
		line   string
		off    int
		hasOff bool
	}{
		{`2025-02-06T12:14:00.010000+02:00 lb1 haproxy[1]: x`, 7200, true},
		{`2025-02-06T12:14:00-05:30 lb1 haproxy[1]: x`, -19800, true},
		{`<134>1 2026-11-22T23:50:53.666449+02:00 lb1 haproxy 14048 - - 127.0.0.1:55864 [22/Nov/2026:23:50:53.663] fe be_app/s1 0/0/0/2/2 500 190 - - ---- 1/1/0/0/0 0/0 "GET /error?rfc5424.log=3 HTTP/1.1"`, 7200, true},
		{`2025-02-06T12:14:00.5Z lb1 haproxy[1]: x`, 0, true},
		{`2025-02-06T12:14:00.010000 lb1 haproxy[1]: x`, 0, false},
		{`2025-02-06T12:14:00+0200 lb1 haproxy[1]: x`, 0, false},
		{`2025-02-06T12:14:00+25:00 lb1 haproxy[1]: x`, 0, false},
		{`Feb  6 12:14:00 lb1 haproxy[1]: x`, 0, false},
		{`haproxy[1]: x`, 0, false},
	}
	for _, tt := range tests {
		_, env := unwrap(tt.line)
		if off, ok := env.offset(); off != tt.off || ok != tt.hasOff {
			t.Errorf("offset of %q = %d, %v; want %d, %v", tt.line, off, ok, tt.off, tt.hasOff)
		}
	}
}
