package nginx

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
	"fivexx/sources/parsertest"
)

// streamLines are the recorded stream's lines (testdata/streams/SOURCES.md):
// nginx's access log on stdout and its error log on stderr, as one.
func streamLines(tb testing.TB) []string {
	tb.Helper()
	return parsertest.Lines(tb, "../../testdata/streams/nginx-1.22.1-stdout-stderr.log")
}

// TestAccessFormatsReadTheirStreamsErrorLines: every nginx access format
// reads the error lines of its stream (a container's stdout and stderr)
// as nginx-error reads them. They were unparsed, and with them refused,
// reset and timed out were lost: the 502s came out unknown.
func TestAccessFormatsReadTheirStreamsErrorLines(t *testing.T) {
	stream := streamLines(t)
	refused := stream[7] // connect() failed (111: Connection refused)
	if !strings.Contains(refused, "connect() failed") {
		t.Fatalf("line 8 of the recording is %q", refused)
	}
	const (
		notice     = `2026/11/21 18:30:23 [notice] 10883#10883: start worker process 10887`
		entrypoint = `/docker-entrypoint.sh: Configuration complete; ready for start up`
		dateOnly   = `2026/11/21 something else` // the two bytes fit, the header does not
	)
	at := time.Date(2026, 11, 21, 18, 30, 24, 0, time.UTC)
	tests := []struct {
		name   string
		format string
		opts   sources.ParserOptions
		access string // an access line of the format at +0000
	}{
		{"main layout, recorded", "nginx-combined", sources.ParserOptions{}, stream[8]},
		{"combined layout", "nginx-combined", sources.ParserOptions{},
			`127.0.0.1 - - [21/Nov/2026:18:30:24 +0000] "GET /refused/orders HTTP/1.1" 502 157 "-" "curl/7.88.1"`},
		{"upstream key=value", "nginx-upstream", sources.ParserOptions{},
			`127.0.0.1 - - [21/Nov/2026:18:30:24 +0000] "GET /refused/orders HTTP/1.1" 502 157 "-" "curl/7.88.1" rt=0.001 uct="-" uht="-" urt="0.000" ua="127.0.0.1:28281" us="502" rid=8afb8dcfcefafd2cdf13157ef30fc3f7 cid=3`},
		{"a given log_format", "nginx", sources.ParserOptions{LogFormat: MainFormat + ` $request_time`}, stream[8] + ` 0.001`},
		{"escape=json", "nginx-json", sources.ParserOptions{},
			`{"time":"2026-11-21T18:30:24+00:00","remote_addr":"127.0.0.1","request":"GET /refused/orders HTTP/1.1","status":502,"request_time":0.001,"upstream_addr":"127.0.0.1:28281","upstream_status":"502"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !parsertest.InZone(t, "Europe/Berlin") { // the error lines take the access lines' offset
				return
			}
			p := newFormatParser(t, tt.format, tt.opts)
			_, slots := p.(sources.SlotParser)
			var slotP sources.SlotParser
			if slots {
				slotP = newFormatParser(t, tt.format, tt.opts).(sources.SlotParser)
			}
			slot := new(sources.ProxySlot)
			for _, c := range []struct {
				line string
				want string // "entry", "error" or "" for unparsed
			}{
				{tt.access, "entry"},
				{refused, "error"},
				{notice, "error"},
				{entrypoint, ""},
				{dateOnly, ""},
			} {
				ways := []string{"Parse"}
				if slots {
					ways = append(ways, "ParseSlot")
				}
				for _, how := range ways {
					var rec sources.Record
					var err error
					if how == "Parse" {
						rec, err = p.Parse(c.line)
					} else {
						slot.Entry = sources.ProxyEntry{}
						rec, err = slotP.ParseSlot(slot.SetText([]byte(c.line)), slot)
					}
					switch r := rec.(type) {
					case *sources.ProxyEntry:
						if c.want != "entry" || !r.Time.Equal(at) {
							t.Fatalf("%s(%.50q): entry at %v, want %s", how, c.line, r.Time, c.want)
						}
					case *sources.ProxyError:
						if c.want != "error" || r.Raw != c.line {
							t.Fatalf("%s(%.50q): error record, want %s", how, c.line, c.want)
						}
						if c.line == refused && (r.Reason != sources.ReasonRefused || r.Path != "/refused/orders" || !r.Time.Equal(at)) {
							t.Fatalf("%s: %s %s at %v, want refused /refused/orders at %v (the access line's offset)", how, r.Reason, r.Path, r.Time, at)
						}
					case nil:
						if c.want != "" || !errors.Is(err, sources.ErrNoMatch) {
							t.Fatalf("%s(%.50q): no record (%v), want %s", how, c.line, err, c.want)
						}
					}
				}
			}
			if !slots {
				return
			}
			// The error record owns its text: the slot's is written again.
			slot.Entry = sources.ProxyEntry{}
			rec, _ := slotP.ParseSlot(slot.SetText([]byte(refused)), slot)
			slot.SetText([]byte(strings.Repeat("x", len(refused))))
			if rec.RawLine() != refused {
				t.Fatalf("error record's Raw changed with the slot: %q", rec.RawLine())
			}
		})
	}
}

// TestStreamErrorLineZones: an error line's time has no zone. It is read
// at the offset of the access line before it (a container in UTC read in
// Berlin put it an hour off its request, and nothing joined), or of the
// first access line the parser was primed with, or in the Location the
// user gave, or in the local zone when no access line says.
func TestStreamErrorLineZones(t *testing.T) {
	const (
		stamp = "2026/11/21 18:30:24"
		rest  = ` [error] 7#7: *3 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: , request: "GET /a HTTP/1.1", upstream: "http://127.0.0.1:28281/a", host: "x"`
		errl  = stamp + rest
	)
	access := func(offset string) string {
		return `127.0.0.1 - - [21/Nov/2026:18:30:24 ` + offset + `] "GET /a HTTP/1.1" 502 157 "-" "curl/7.88.1"`
	}
	if !parsertest.InZone(t, "Europe/Berlin") {
		return
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	wall := func(loc *time.Location) time.Time { return time.Date(2026, 11, 21, 18, 30, 24, 0, loc) }
	tests := []struct {
		name  string
		opts  sources.ParserOptions
		prime []string
		lines []string
		want  []time.Time // of the error lines, in order
	}{
		{"after an access line at +0000", sources.ParserOptions{}, nil,
			[]string{access("+0000"), errl}, []time.Time{wall(time.UTC)}},
		{"after an access line at +0530", sources.ParserOptions{}, nil,
			[]string{access("+0530"), errl}, []time.Time{wall(time.FixedZone("", 5*3600+1800))}},
		{"before any access line, unprimed: the local zone", sources.ParserOptions{}, nil,
			[]string{errl, access("+0000")}, []time.Time{wall(berlin)}},
		{"before any access line, primed: the first access line's offset", sources.ParserOptions{},
			[]string{"startup", errl, access("+0000"), access("+0100")},
			[]string{errl, access("+0000")}, []time.Time{wall(time.UTC)}},
		{"primed after an access line: the parsed line's offset stays", sources.ParserOptions{},
			[]string{access("+0100")},
			[]string{access("+0000"), errl}, []time.Time{wall(time.UTC)}},
		{"the offset changes between two lines of one second", sources.ParserOptions{}, nil,
			[]string{access("+0100"), errl, access("+0200"), errl},
			[]time.Time{wall(time.FixedZone("", 3600)), wall(time.FixedZone("", 7200))}},
		{"a Location given wins", sources.ParserOptions{Location: newYork}, nil,
			[]string{access("+0000"), errl}, []time.Time{wall(newYork)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newFormatParser(t, "nginx-combined", tt.opts)
			if tt.prime != nil {
				p.(sources.Primer).Prime(tt.prime)
			}
			var got []time.Time
			for _, l := range tt.lines {
				rec, err := p.Parse(l)
				if err != nil {
					t.Fatalf("Parse(%.40q): %v", l, err)
				}
				if e, ok := rec.(*sources.ProxyError); ok {
					got = append(got, e.Time)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("%d error records, want %d", len(got), len(tt.want))
			}
			for i, w := range tt.want {
				if !got[i].Equal(w) {
					t.Errorf("error line %d at %v, want %v", i+1, got[i], w)
				}
			}
		})
	}
}

func FuzzNginxStream(f *testing.F) {
	// Pairs of lines: an access line, then an error line, is the stream's
	// shape; any two lines must keep the parsers' properties.
	var seeds []string
	seeds = append(seeds, streamLines(f)...)
	for _, name := range []string{"main.log", "upstream.log", "json.log", "error.log"} {
		seeds = append(seeds, testdataLines(f, name)...)
	}
	for i := 1; i < len(seeds); i++ {
		f.Add(seeds[i-1], seeds[i])
	}
	f.Fuzz(func(t *testing.T, first, second string) {
		for _, name := range []string{"nginx-combined", "nginx-upstream", "nginx-json"} {
			p := newFormatParser(t, name, sources.ParserOptions{})
			sp, slots := newFormatParser(t, name, sources.ParserOptions{}).(sources.SlotParser)
			slot := new(sources.ProxySlot)
			var recs [2]sources.Record
			for i, line := range []string{first, second} {
				rec, err := p.Parse(line)
				if err != nil && rec != nil {
					t.Fatalf("%s: Parse(%q) returned a record with error %v", name, line, err)
				}
				if rec != nil && rec.RawLine() != line {
					t.Fatalf("%s: Parse(%q).RawLine() = %q", name, line, rec.RawLine())
				}
				recs[i] = rec
				if !slots {
					continue
				}
				// ParseSlot into a slot that every line overwrites gives
				// what Parse gives.
				slot.Entry = sources.ProxyEntry{}
				got, serr := sp.ParseSlot(slot.SetText([]byte(line)), slot)
				if (serr == nil) != (err == nil) {
					t.Fatalf("%s: ParseSlot error %v, Parse error %v", name, serr, err)
				}
				if serr == nil && !reflect.DeepEqual(got, rec) {
					t.Fatalf("%s: ParseSlot\n%+v\nParse\n%+v", name, got, rec)
				}
			}
			// An error line after an access line is read at its offset.
			e, ok1 := recs[0].(*sources.ProxyEntry)
			x, ok2 := recs[1].(*sources.ProxyError)
			if ok1 && ok2 && !e.Time.IsZero() && !x.Time.IsZero() {
				_, want := e.Time.Zone()
				if _, off := x.Time.Zone(); off != want {
					t.Fatalf("%s: error line read at offset %d after an access line at %d", name, off, want)
				}
			}
		}
	})
}
