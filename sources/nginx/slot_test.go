package nginx

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"

	"fivexx/sources"
)

// isoFormat is a log_format with $time_iso8601 and upstream lists, for
// lines made from the generated log (the recordings use $time_local).
const isoFormat = `$remote_addr [$time_iso8601] "$request" $status $body_bytes_sent $request_time "$upstream_addr" "$upstream_status" "$upstream_response_time" $request_id "$http_user_agent"`

// isoLines rewrites generated upstream lines in isoFormat.
func isoLines(tb testing.TB, lines []string) []string {
	p := newUpstreamParser()
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		e, _, err := p.parse(l, nil)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, fmt.Sprintf(`%s [%s] "%s %s %s" %d %d %.3f "%s" "%s" "%s" %s "%s"`,
			e.Client, e.Time.Format("2006-01-02T15:04:05-07:00"), e.Method, e.Path, e.Proto, e.Status, e.BodyBytes,
			e.RequestTime, strings.Join(e.UpstreamAddr, ", "), strings.Join(e.UpstreamStatus, ", "),
			strings.Join(e.UpstreamResponse, ", "), e.RequestID, e.UserAgent))
	}
	return out
}

// newDayLines gives lines a new day (and zone) every few lines: the time
// cache keeps the date and zone of the day it last computed.
func newDayLines(tb testing.TB, lines []string) []string {
	zones := []*time.Location{time.UTC, time.FixedZone("", -7*3600), time.FixedZone("", 5*3600+1800)}
	base := time.Date(2026, 2, 27, 23, 59, 58, 0, time.UTC)
	out := make([]string, len(lines))
	for i, l := range lines {
		a, b := strings.IndexByte(l, '['), strings.IndexByte(l, ']')
		if a < 0 || b < a {
			tb.Fatalf("no time in %q", l)
		}
		tm := base.Add(time.Duration(i) * 5 * time.Hour).In(zones[i%len(zones)])
		out[i] = l[:a+1] + tm.Format("02/Jan/2006:15:04:05 -0700") + l[b:]
	}
	return out
}

// escapedAgentLines are lines alike but for their user agents, which hold
// an escape (so the agent cache keeps them) and differ only in a byte the
// cache's hash does not look at.
func escapedAgentLines(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(`203.0.113.9 - - [21/Nov/2026:07:12:43 +0000] "GET /ok HTTP/1.1" 200 3 "-" "a%c\\x22 agent with a quote and a long enough tail" "-"`, 'a'+i%7)
	}
	return out
}

// Parsing into recycled slots gives exactly the entries Parse gives, line
// after line, while each slot's text is overwritten by later lines as the
// reader does: a parser that kept a piece of an earlier line (a time or
// user agent cache) would answer from bytes that have changed under it.
// Each slot's entry comes dirty, every field set (dirtyEntry), as the
// reader hands a slot over without clearing it (sources.SlotParser): a
// field the parser leaves as it found it shows (the usual shape's fill
// clears no more than the fields it does not set: AccessParser.newEntry).
func TestParseSlotEqualsParse(t *testing.T) {
	big := biglogLines(t)[:20_000]
	combined := make([]string, len(big))
	up := newUpstreamParser()
	for i, l := range big {
		// The generated lines are combined plus key=value pairs.
		var v combinedValues
		pos, ok := up.base.matchCombined(l, &v)
		if !ok {
			t.Fatalf("not combined: %q", l)
		}
		combined[i] = l[:pos]
	}
	cases := []struct {
		name, format string
		opts         sources.ParserOptions
		lines        []string
	}{
		{"upstream.log", "nginx-upstream", sources.ParserOptions{}, testdataLines(t, "upstream.log")},
		{"generated upstream", "nginx-upstream", sources.ParserOptions{}, big},
		{"combined.log", "nginx-combined", sources.ParserOptions{}, testdataLines(t, "combined.log")},
		{"main.log", "nginx-combined", sources.ParserOptions{}, testdataLines(t, "main.log")},
		{"generated combined", "nginx-combined", sources.ParserOptions{}, combined},
		{"ingress.log", "ingress-nginx", sources.ParserOptions{}, testdataLines(t, "ingress.log")},
		{"generated iso", "nginx", sources.ParserOptions{LogFormat: isoFormat}, isoLines(t, big)},
		{"days and zones", "nginx-combined", sources.ParserOptions{}, newDayLines(t, combined[:3000])},
		{"escaped agents", "nginx-combined", sources.ParserOptions{}, escapedAgentLines(200)},
	}
	for _, tc := range cases {
		// One slot: every line overwrites the one before; three: a line's
		// text lives on for two more lines.
		for _, nslots := range []int{1, 3} {
			t.Run(fmt.Sprintf("%s/%d slots", tc.name, nslots), func(t *testing.T) {
				testParseSlot(t, tc.format, tc.opts, tc.lines, nslots)
			})
		}
	}
}

func testParseSlot(t *testing.T, format string, opts sources.ParserOptions, lines []string, nslots int) {
	ref := newFormatParser(t, format, opts)
	sp, ok := newFormatParser(t, format, opts).(sources.SlotParser)
	if !ok {
		t.Fatalf("%s is not a SlotParser", format)
	}
	slots := make([]*sources.ProxySlot, nslots)
	for i := range slots {
		slots[i] = new(sources.ProxySlot)
	}
	parsed := 0
	for i, line := range lines {
		s := slots[i%len(slots)]
		dirtyEntry(t, &s.Entry)
		text := s.SetText([]byte(line))
		got, err := sp.ParseSlot(text, s)
		want, werr := ref.Parse(strings.Clone(line))
		if (err != nil) != (werr != nil) {
			t.Fatalf("line %d: ParseSlot error %v, Parse error %v\n%s", i+1, err, werr, line)
		}
		if err != nil {
			continue
		}
		parsed++
		if got != sources.Record(&s.Entry) {
			t.Fatalf("line %d: the entry is not the slot's", i+1)
		}
		// Detach moves the strings that lie in Raw: Raw must be the text.
		if raw := got.RawLine(); raw != text || unsafe.StringData(raw) != unsafe.StringData(text) {
			t.Fatalf("line %d: Raw is not the line's text", i+1)
		}
		if g, w := got.(*sources.ProxyEntry), want.(*sources.ProxyEntry); !reflect.DeepEqual(*g, *w) {
			t.Fatalf("line %d: ParseSlot\n%+v\nParse\n%+v", i+1, *g, *w)
		}
	}
	if parsed < len(lines)*9/10 {
		t.Fatalf("%d of %d lines parsed", parsed, len(lines))
	}
}

// dirtyEntry sets every field of e to a value no parser gives, as a slot's
// entry may hold anything its last line left (sources.SlotParser).
func dirtyEntry(t testing.TB, e *sources.ProxyEntry) {
	v := reflect.ValueOf(e).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case f.Type() == reflect.TypeFor[time.Time]():
			f.Set(reflect.ValueOf(time.Date(1999, 9, 9, 9, 9, 9, 9, time.UTC)))
		case f.Kind() == reflect.String:
			f.SetString("dirt")
		case f.Kind() == reflect.Bool:
			f.SetBool(true)
		case f.CanInt():
			f.SetInt(7)
		case f.CanUint():
			f.SetUint(7)
		case f.CanFloat():
			f.SetFloat(7.5)
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
			f.Set(reflect.ValueOf([]string{"dirt"}))
		default:
			t.Fatalf("dirtyEntry: no dirt for %s (%s)", v.Type().Field(i).Name, f.Type())
		}
	}
}

// A line of a new second parsed into a slot allocates nothing: the time
// cache copies the stamp it keeps into an array of its own. A string for
// each was 1.6 MB of the 5.3 MB a report of 10,000,000 access lines
// allocated, a steady trickle that let the heap reach a collection in a
// long run only, so that its peak RSS grew with the input.
func TestParseSlotOfANewSecondAllocatesNothing(t *testing.T) {
	big := biglogLines(t)[:400]
	base := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	seconds := make([]string, len(big)) // a new second every line
	for i, l := range big {
		a, b := strings.IndexByte(l, '['), strings.IndexByte(l, ']')
		if a < 0 || b < a {
			t.Fatalf("no time in %q", l)
		}
		seconds[i] = l[:a+1] + base.Add(time.Duration(i)*time.Second).Format("02/Jan/2006:15:04:05 -0700") + l[b:]
	}
	for _, tc := range []struct {
		name, format string
		opts         sources.ParserOptions
		lines        []string
	}{
		{"upstream ($time_local)", "nginx-upstream", sources.ParserOptions{}, seconds},
		{"log_format ($time_iso8601)", "nginx", sources.ParserOptions{LogFormat: isoFormat}, isoLines(t, seconds)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sp, ok := newFormatParser(t, tc.format, tc.opts).(sources.SlotParser)
			if !ok {
				t.Fatalf("%s is not a SlotParser", tc.format)
			}
			s := new(sources.ProxySlot)
			parse := func(line string) error {
				s.Entry = sources.ProxyEntry{}
				_, err := sp.ParseSlot(s.SetText([]byte(line)), s)
				return err
			}
			var lines []string // those that parse (some user agents hold a '"' isoFormat cannot take)
			for _, l := range tc.lines {
				if parse(l) == nil { // the slot's text and lists grow to their size
					lines = append(lines, l)
				}
			}
			if len(lines) < len(tc.lines)*9/10 {
				t.Fatalf("%d of %d lines parsed", len(lines), len(tc.lines))
			}
			i := 0
			allocs := testing.AllocsPerRun(len(lines)-1, func() {
				_ = parse(lines[i])
				i++
			})
			if allocs != 0 {
				t.Errorf("%.2f allocations a line, want 0", allocs)
			}
		})
	}
}
