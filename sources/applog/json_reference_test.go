package applog

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // a zone with summer time, on any machine

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

// The JSON parser was tuned a second time (issue #8): a line's top-level
// keys are matched against the keys of the lines before (memberKeys), ISO
// stamps reuse the date and hour of the one before (isoHour), and
// durations, levels and trimmed values take fast paths. This file keeps
// the parser as it was before, as the reference: the walk that scans and
// looks up every key in the table, the builder's key, keyAs and set, and
// the conversions set called. The scanners it shares (str, number, literal,
// space) and the table are unchanged.

// refWalker is the jsonWalker that scanned and looked up every key.
type refWalker struct {
	jsonWalker // its str, number, literal, space and fail
	rb         *refBuilder
}

func (w *refWalker) walk(s string, b *refBuilder) error {
	w.s, w.i, w.depth, w.plen, w.rb = s, 0, 0, 0, b
	w.space()
	if w.i >= len(s) || s[w.i] != '{' {
		return w.fail("expected an object")
	}
	if err := w.object(true); err != nil {
		return err
	}
	w.space()
	if w.i != len(s) {
		return w.fail("data after the object")
	}
	return nil
}

func (w *refWalker) object(mapped bool) error {
	w.depth++
	if w.depth > maxJSONDepth {
		return errJSONDepth
	}
	w.i++
	w.space()
	if w.i < len(w.s) && w.s[w.i] == '}' {
		w.i++
		w.depth--
		return nil
	}
	for {
		if w.i >= len(w.s) || w.s[w.i] != '"' {
			return w.fail("expected a member name")
		}
		key, esc, err := w.str()
		if err != nil {
			return err
		}
		w.space()
		if w.i >= len(w.s) || w.s[w.i] != ':' {
			return w.fail("expected ':'")
		}
		w.i++
		w.space()
		mark := w.plen
		track := mapped && mark+1+len(key) <= maxKeyPath
		if track {
			p := w.path[:mark]
			if mark > 0 {
				p = append(p, '.')
			}
			if esc {
				key = unescapeJSON(key)
			}
			w.plen = len(refLowerInto(p, key))
		}
		if err := w.value(track); err != nil {
			return err
		}
		w.plen = mark
		w.space()
		if w.i >= len(w.s) {
			return w.fail("unterminated object")
		}
		switch w.s[w.i] {
		case ',':
			w.i++
			w.space()
		case '}':
			w.i++
			w.depth--
			return nil
		default:
			return w.fail("expected ',' or '}'")
		}
	}
}

// refArray is array with its members looked up, for ASP.NET Core's
// Scopes (jsonWalker.scopes).
func (w *refWalker) refArray() error {
	w.depth++
	if w.depth > maxJSONDepth {
		return errJSONDepth
	}
	w.i++
	w.space()
	if w.i < len(w.s) && w.s[w.i] == ']' {
		w.i++
		w.depth--
		return nil
	}
	for {
		if err := w.value(true); err != nil {
			return err
		}
		w.space()
		if w.i >= len(w.s) {
			return w.fail("unterminated array")
		}
		switch w.s[w.i] {
		case ',':
			w.i++
			w.space()
		case ']':
			w.i++
			w.depth--
			return nil
		default:
			return w.fail("expected ',' or ']'")
		}
	}
}

func (w *refWalker) array() error {
	w.depth++
	if w.depth > maxJSONDepth {
		return errJSONDepth
	}
	w.i++
	w.space()
	if w.i < len(w.s) && w.s[w.i] == ']' {
		w.i++
		w.depth--
		return nil
	}
	for {
		if err := w.value(false); err != nil {
			return err
		}
		w.space()
		if w.i >= len(w.s) {
			return w.fail("unterminated array")
		}
		switch w.s[w.i] {
		case ',':
			w.i++
			w.space()
		case ']':
			w.i++
			w.depth--
			return nil
		default:
			return w.fail("expected ',' or ']'")
		}
	}
}

func (w *refWalker) value(mapped bool) error {
	if w.i >= len(w.s) {
		return w.fail("expected a value")
	}
	var v value
	switch c := w.s[w.i]; {
	case c == '{':
		return w.object(mapped)
	case c == '[':
		if mapped && w.scopes() {
			return w.refArray()
		}
		return w.array()
	case c == '"':
		s, esc, err := w.str()
		if err != nil {
			return err
		}
		v = value{text: s, quoted: true}
		if esc {
			v.esc = escJSON
		}
	case c == '-' || isDigit(c):
		s, err := w.number()
		if err != nil {
			return err
		}
		v = value{text: s}
	case c == 't':
		if err := w.literal("true"); err != nil {
			return err
		}
		v = value{text: "true"}
	case c == 'f':
		if err := w.literal("false"); err != nil {
			return err
		}
		v = value{text: "false"}
	case c == 'n':
		if err := w.literal("null"); err != nil {
			return err
		}
		v = value{null: true}
	default:
		return w.fail("unexpected character")
	}
	if mapped {
		w.rb.key(w.path[:w.plen], v)
	}
	return nil
}

// refBuilder is the builder with key, keyAs and set as they were; its
// reset, offer and finish are unchanged. Keys are looked up in the table
// itself, which the cache matches (TestKeyCacheMatchesLookup).
type refBuilder struct {
	builder
}

func (b *refBuilder) key(path []byte, v value) {
	if v.null {
		return
	}
	if spec, ok := lookup(path, b.idKey); ok {
		b.keyAs(&spec, v)
	}
}

func (b *refBuilder) keyAs(spec *keySpec, v value) {
	if v.null || spec.rank >= b.rank[spec.field] {
		return
	}
	b.set(spec, v)
}

func (b *refBuilder) set(spec *keySpec, v value) {
	e := b.e
	switch spec.field {
	case fTime:
		t, ok := refClockValue(b.clock, v)
		if !ok {
			return
		}
		e.Time = t
	case fLevel:
		l, ok := refNormLevel(v.str(), spec.strict)
		if !ok {
			return
		}
		e.Level = l
	case fMessage:
		s := v.str()
		if s == "" {
			return
		}
		e.Message = s
	case fRequestID:
		s := strings.TrimSpace(v.str())
		if none(s) {
			return
		}
		e.RequestID = s
	case fMethod:
		m, ok := method(v.str())
		if !ok {
			return
		}
		e.Method = m
	case fPath:
		p := targetPath(v.str())
		if none(p) {
			return
		}
		e.Path = p
		b.pathFromURLPath = spec.noQuery
	case fStatus:
		n := status(v.str())
		if n == 0 {
			return
		}
		e.Status = n
	case fDuration:
		d, ok := refSeconds(v, spec.unit)
		if !ok {
			return
		}
		e.Duration = d
	case fInstance:
		s := strings.TrimSpace(v.str())
		if none(s) {
			return
		}
		e.Instance = s
	case fURLQuery:
		b.query = v.str()
	case fError:
		if !b.setError(v) {
			return
		}
	case fRequestLine:
		s := v.str()
		m, p, ok := requestLine(s)
		switch {
		case ok:
			b.offer(fMethod, rankRequestLine, m)
			b.offer(fPath, rankRequestLine, p)
		case strings.HasPrefix(s, "/"):
			b.offer(fPath, rankRequestLine, s)
		default:
			return
		}
	}
	b.rank[spec.field] = spec.rank
}

// refSeconds is seconds as it was: every number through strconv.ParseFloat.
func refSeconds(v value, u unit) (float64, bool) {
	s := strings.TrimSpace(v.str())
	if s == "" {
		return 0, false
	}
	if d, ok := goDuration(s); ok {
		return d, true
	}
	if u == unitText {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f != f || f > 1e18 {
		return 0, false
	}
	switch u {
	case unitS:
		return f, true
	case unitMS:
		return f / 1e3, true
	case unitUS:
		return f / 1e6, true
	case unitNS:
		return f / 1e9, true
	}
	if strings.ContainsAny(s, ".eE") {
		return f, true
	}
	if f >= 1e6 {
		return f / 1e9, true
	}
	return f / 1e3, true
}

// refClockValue is clock.value as it was, reading ISO stamps with
// refScanISO. scanGoLog and scanSyslog are unchanged but for fraction,
// which TestFractionMatchesReference holds to refFraction.
func refClockValue(c *clock, v value) (time.Time, bool) {
	s := v.str()
	if s == "" {
		return time.Time{}, false
	}
	if '0' <= s[0] && s[0] <= '9' && (len(s) < 5 || s[4] != '-' && s[4] != '/') {
		return epoch(s)
	}
	t, n, ok := refScanISO(c, s)
	if !ok {
		if t, n, ok = c.scanGoLog(s); !ok {
			t, n, ok = c.scanSyslog(s)
		}
	}
	if !ok || n != len(s) {
		return time.Time{}, false
	}
	return t, true
}

// refScanISO is scanISO as it was: every field read, then time.Date.
func refScanISO(c *clock, s string) (time.Time, int, bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, 0, false
	}
	if sep := s[10]; sep != 'T' && sep != 't' && sep != ' ' {
		return time.Time{}, 0, false
	}
	year, ok1 := num(s[0:4])
	month, ok2 := num(s[5:7])
	day, ok3 := num(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, 0, false
	}
	hour, min, sec, ok := clockTime(s[11:19])
	if !ok || !validDate(month, day) {
		return time.Time{}, 0, false
	}
	ns, n := refFraction(s, 19)
	loc := c.loc
	if n < len(s) {
		switch s[n] {
		case 'Z', 'z':
			loc = time.UTC
			n++
		case '+', '-':
			if off, m, ok := offset(s[n:]); ok {
				loc = c.fixed(off)
				n += m
			}
		}
	}
	return time.Date(year, time.Month(month), day, hour, min, sec, ns, loc), n, true
}

// refFraction is fraction as it was, scaling each digit.
func refFraction(s string, i int) (int, int) {
	if i+1 >= len(s) || (s[i] != '.' && s[i] != ',') || !isDigit(s[i+1]) {
		return 0, i
	}
	i++
	ns, scale := 0, 100000000
	for ; i < len(s) && isDigit(s[i]); i++ {
		ns += int(s[i]-'0') * scale
		scale /= 10
	}
	return ns, i
}

// refJSONEntry parses a line that is a JSON object (after an optional BOM)
// as jsonParser.Parse did, with a fresh clock and no caches.
func refJSONEntry(line string, opts sources.ParserOptions) (*sources.AppEntry, error) {
	c := newClock(opts.Loc())
	c.now = fixedNow
	b := &refBuilder{builder{clock: &c, idKey: strings.ToLower(opts.RequestIDKey)}}
	e := new(sources.AppEntry)
	b.reset(e)
	var w refWalker
	if err := w.walk(strings.TrimPrefix(line, "\ufeff"), b); err != nil {
		return nil, fmt.Errorf("%s: %w", FormatJSON, err)
	}
	b.finish(opts.Service)
	e.Raw = line
	return e, nil
}

// isJSONObjectLine reports whether Parse takes line down its JSON path.
func isJSONObjectLine(line string) bool {
	return !isBlank(line) && strings.HasPrefix(strings.TrimPrefix(line, "\ufeff"), "{")
}

// checkJSONLine parses line with p, which has parsed the lines before, and,
// if it is an object, compares the record or error with the reference's.
// cmp compares times with Equal: their zones are compared by name and
// offset, as each clock makes its own fixed zones.
func checkJSONLine(t *testing.T, p sources.Parser, opts sources.ParserOptions, line string) {
	t.Helper()
	rec, err := p.Parse(line)
	if !isJSONObjectLine(line) {
		return // the same code path as before: not the reference's
	}
	want, wantErr := refJSONEntry(line, opts)
	if fmt.Sprint(err) != fmt.Sprint(wantErr) {
		t.Fatalf("Parse(%q) error = %v, reference %v", line, err, wantErr)
	}
	if wantErr != nil {
		if rec != nil {
			t.Fatalf("Parse(%q) = %+v with error %v", line, rec, err)
		}
		return
	}
	got, ok := rec.(*sources.AppEntry)
	if !ok {
		t.Fatalf("Parse(%q) = %T, want *sources.AppEntry", line, rec)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Parse(%q) differs from the reference (-reference +new):\n%s", line, diff)
	}
	if got.Time.Location() == want.Time.Location() && got.Time != want.Time {
		t.Fatalf("Parse(%q) time %#v, reference %#v", line, got.Time, want.Time)
	}
	wantName, wantOff := want.Time.Zone()
	gotName, gotOff := got.Time.Zone()
	if wantName != gotName || wantOff != gotOff || want.Time.Location().String() != got.Time.Location().String() {
		t.Fatalf("Parse(%q) time %v in zone %q %+d (%s), reference %v in %q %+d (%s)", line,
			got.Time, gotName, gotOff, got.Time.Location(), want.Time, wantName, wantOff, want.Time.Location())
	}
}

// referenceOpts are the parser options the differential tests run under:
// stamps without a zone read in UTC, a fixed zone and a zone with summer
// time (so time.Date's zone lookup is taken), and an extra request id key.
func referenceOpts(t testing.TB) []sources.ParserOptions {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return []sources.ParserOptions{
		testOpts,
		{Location: time.FixedZone("EST", -5*3600), Service: "api"},
		{Location: berlin, Service: "api", RequestIDKey: "X-Req"},
		{Location: time.UTC, Service: "api", RequestIDKey: "request_id"},
	}
}

// variantLines rewrites a JSON line in the ways that miss, or nearly
// match, the keys remembered from the line itself: another case, an
// escaped or longer key, white space, a key moved, dropped or repeated, a
// value turned into null, an object, an array or another type, the line
// cut short. The variants are parsed after the line, and after each other.
func variantLines(line string) []string {
	out := []string{
		strings.Replace(line, `"time"`, `"Time"`, 1),
		strings.Replace(line, `"level"`, `"LEVEL"`, 1),
		strings.Replace(line, `"msg"`, `"m\u0073g"`, 1),
		strings.Replace(line, `"status"`, `"status" `, 1),
		strings.Replace(line, `":`, `" : `, -1),
		strings.Replace(line, `,"`, `, "`, -1),
		strings.Replace(line, `"request_id"`, `"request_id_of_the_request"`, 1),
		strings.Replace(line, `"request_id"`, `"request_idx"`, 1),
		strings.Replace(line, `"request_id"`, `"request_i"`, 1),
		strings.Replace(line, `"path":`, `"path":null,"path":`, 1),
		strings.Replace(line, `"status":`, `"status":{"code":1},"statuscode":`, 1),
		strings.Replace(line, `"method":"`, `"method":["x"],"http_method":"`, 1),
		strings.Replace(line, `"duration_ms":`, `"duration_ms":"12ms","duration":`, 1),
		strings.Replace(line, `"instance":`, `"req":{"id":"r-1","headers":{"x-req":"h"}},"instance":`, 1),
		strings.Replace(line, `{"time":`, `{"x-req":"idk","time":`, 1),
		strings.Replace(line, `"level":"INFO"`, `"level":30`, 1),
		strings.Replace(line, `"level":"INFO"`, `"level":"Info+2"`, 1),
		strings.Replace(line, `Z"`, `+02:00"`, 1),
		strings.Replace(line, `Z"`, `"`, 1),
		strings.Replace(line, `.`, `,`, 1),
		"\ufeff" + line,
		line + " ",
	}
	if i := strings.Index(line, `,"`); i > 0 && strings.HasSuffix(line, "}") { // the first member moved to the end
		out = append(out, "{"+line[i+1:len(line)-1]+","+line[1:i]+"}")
	}
	for cut := 1; cut < len(line); cut += 7 {
		out = append(out, line[:cut])
	}
	return out
}

// TestJSONMatchesReference parses every line of testdata, the 20 k app
// lines of testdata/biglog's generator and variants of both with one
// parser per options, line after line as fivexx does, and compares each
// record with the reference parser's.
func TestJSONMatchesReference(t *testing.T) {
	var lines []string
	for _, f := range []string{"json.log", "logfmt.log", "text.log"} {
		lines = append(lines, testdataLines(t, f)...)
	}
	lines = append(lines, caseLines(aspNetCases)...)
	lines = append(lines, caseLines(errorJSONCases)...)
	lines = append(lines, biglogAppLines(t)...)
	var variants []string
	for i, line := range lines {
		if i%97 == 0 || i < 200 { // all of testdata, a sample of biglog
			variants = append(variants, line)
			variants = append(variants, variantLines(line)...)
		}
	}
	for _, opts := range referenceOpts(t) {
		p := newTestParser(t, FormatJSON, opts)
		for _, line := range lines {
			checkJSONLine(t, p, opts, line)
		}
		for _, line := range variants {
			checkJSONLine(t, p, opts, line)
		}
	}
}

// TestMemberKeysEdges parses lines whose keys are compared near the end
// of the line, across the 16-byte word boundary and past the members
// remembered, each after the others.
func TestMemberKeysEdges(t *testing.T) {
	var lines []string
	for _, n := range []int{maxKeyPath - 2, maxKeyPath - 1, maxKeyPath, maxKeyPath + 1, 300} {
		k := strings.Repeat("K", n)
		lines = append(lines, `{"`+k+`":{"msg":"long"}}`, `{"`+k+`":"x","msg":"m"}`, `{"m\u0073g":{"`+k+`":1}}`)
	}
	for n := 1; n <= 40; n++ {
		k := strings.Repeat("k", n)
		lines = append(lines,
			`{"`+k+`":1}`, `{"`+k+`":"x"}`, `{"`+k+`":{}}`, `{"`+k+`"`, `{"`+k+`":`, `{"`+k+`"}`,
			`{"`+k[:n-1]+`":1}`, `{"`+k+`k":1}`, `{"`+k+`":1,"msg":"m"}`, `{"msg":"m","`+k+`":1}`)
	}
	var many strings.Builder
	many.WriteString(`{"msg":"many"`)
	for i := range 2 * maxMemberKeys {
		fmt.Fprintf(&many, `,"k%d":%d,"status":%d`, i, i, 200+i)
	}
	many.WriteString(`}`)
	lines = append(lines, many.String(), many.String(), `{"":{"time":"2024-01-02T03:04:05Z","":{"msg":"deep"}}}`,
		`{"headers.x-request-id":"h1","response_time_ms":12,"http.request.method":"get"}`,
		`{"headers.x-request-id":"h2","response_time_ms":13,"http.request.method":"PUT"}`,
		`{"headers.x-request-id":"h2","response_time_ms":13,"http.request.method":"PUT"`,
		`{"a\"b":1,"msg":"esc"}`, `{"a\\":1,"msg":"esc"}`, `{"msg":"x","msg":"y"}`, `{"msg":null,"message":"z"}`)
	for _, opts := range referenceOpts(t) {
		p := newTestParser(t, FormatJSON, opts)
		for range 2 {
			for _, line := range lines {
				checkJSONLine(t, p, opts, line)
			}
		}
	}
}

// FuzzJSONMatchesReference holds the parser to the reference on any line,
// parsed after a biglog line (so the keys remembered are a logger's), and
// again after itself (so they are its own).
func FuzzJSONMatchesReference(f *testing.F) {
	for _, l := range testdataLines(f, "json.log") {
		f.Add(l)
	}
	for _, l := range append(caseLines(aspNetCases), caseLines(errorJSONCases)...) {
		f.Add(l)
	}
	sample := biglogSample(f, 64)
	for _, l := range sample {
		f.Add(l)
		for _, v := range variantLines(l)[:20] {
			f.Add(v)
		}
	}
	opts := referenceOpts(f)
	f.Fuzz(func(t *testing.T, line string) {
		for _, o := range opts {
			p := newTestParser(t, FormatJSON, o)
			checkJSONLine(t, p, o, sample[len(line)%len(sample)])
			checkJSONLine(t, p, o, line)
			checkJSONLine(t, p, o, line)
		}
	})
}

// TestSecondsMatchesReference compares seconds with refSeconds, in every
// unit, on the numbers loggers write and the shapes next to them.
func TestSecondsMatchesReference(t *testing.T) {
	nums := []string{"0", "1", "8.415", "0.102", "46.259", "1.2", "250", "999999", "1000000", "1e3", "1.5E-3",
		"123456789012345", "1234567890123456", "12345678901234.5", "1234567890123.45", "0.000000000000001",
		"0.0000000000000001", "000000000000001.5", "1.", ".5", "-1.5", "+1.5", "1_000", "0x10", " 12", "12 ",
		"1.2.3", "", ".", "NaN", "Inf", "12ms", "1.5s", "1m2.5s", "9007199254740993", "900719925474099.3",
		"0.1", "0.3", "2.675", "1.005", "4.35", "0.07"}
	// Random decimals of up to 17 digits with the point anywhere.
	x := uint64(1)
	for range 200000 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		d := strconv.FormatUint(x%uint64(math.Pow10(int((x>>59)%17)+1)), 10)
		if p := int(x>>40) % (len(d) + 1); p > 0 && p < len(d) {
			d = d[:p] + "." + d[p:]
		}
		nums = append(nums, d)
	}
	for _, s := range nums {
		for _, v := range []value{{text: s}, {text: s, quoted: true}, {text: `"` + s + `"`, esc: escGo}} {
			for u := unitAuto; u <= unitText; u++ {
				got, gotOK := seconds(v, u)
				want, wantOK := refSeconds(v, u)
				if gotOK != wantOK || math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("seconds(%+v, %d) = %v, %v, reference %v, %v", v, u, got, gotOK, want, wantOK)
				}
			}
		}
	}
}

// TestScanISOMatchesReference compares scanISO, with its hour cache, with
// refScanISO on stamps in every month, on the days and hours at their
// edges, with leap seconds, fractions and zones, one clock reading them
// all in turn as a parser would.
func TestScanISOMatchesReference(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	// First, an hour first read in a zone, then in others.
	stamps := []string{"2024-01-02T03:04:05+02:00", "2024-01-02T03:59:59Z", "2024-01-02T03:00:00-05:30",
		"2024-01-02T03:10:00", "2024-01-02T03:10:00.5+0100", "2024-01-02 03:10:00-01", "2024-01-02T03:59:60+02:00"}
	for _, date := range []string{"2024-01-31", "2024-02-29", "2023-02-29", "2023-02-31", "2024-03-31", "2024-04-31",
		"2024-10-27", "2024-12-31", "0000-01-01", "9999-12-31", "2024-00-10", "2024-13-01", "2024-01-00", "2024-01-32", "2o24-01-01"} {
		for _, sep := range []string{"T", "t", " ", "_"} {
			for _, hm := range []string{"00:00", "01:59", "02:30", "03:00", "23:59", "24:00", "12:60", "1a:00"} {
				for _, sec := range []string{"00", "59", "60", "61", "5x"} {
					for _, tail := range []string{"", ".1", ".123456", ",5", ".1234567891234", ".", "Z", "z", ".5Z", "+02:00", "-0530", "+01", "+2", "-23:59", "+24:00", "Zx", " x"} {
						stamps = append(stamps, date+sep+hm+":"+sec+tail)
					}
				}
			}
		}
	}
	stamps = append(stamps, "2024-01-02T03:04", "2024-01-02T03:04:0", "2024-01-02T03-04:05", "")
	for _, loc := range []*time.Location{time.UTC, time.FixedZone("EST", -5*3600), berlin, time.Local} {
		c, ref := newClock(loc), newClock(loc)
		for pass := range 3 {
			for i := range stamps {
				s := stamps[(i*(pass+1))%len(stamps)] // then every other one
				if pass == 2 {
					s = stamps[len(stamps)-1-i] // and backwards: zones before no zone
				}
				got, gotN, gotOK := c.scanISO(s)
				want, wantN, wantOK := refScanISO(&ref, s)
				if gotN != wantN || gotOK != wantOK || !got.Equal(want) || got.Location().String() != want.Location().String() ||
					got.String() != want.String() {
					t.Fatalf("%s: scanISO(%q) = %v, %d, %v, reference %v, %d, %v", loc, s, got, gotN, gotOK, want, wantN, wantOK)
				}
				if got.Location() == want.Location() && got != want { // not a zone each clock made: field for field
					t.Fatalf("scanISO(%q) = %#v, reference %#v", s, got, want)
				}
			}
		}
	}
}

// TestFractionMatchesReference compares fraction with refFraction on runs
// of up to 20 digits after either separator.
func TestFractionMatchesReference(t *testing.T) {
	for _, sep := range []string{".", ",", "x", ""} {
		for n := range 21 {
			for _, d := range []string{"0", "1", "9", "5"} {
				digits := strings.Repeat(d, n)
				if n > 2 {
					digits = digits[:n-2] + "07"
				}
				for _, tail := range []string{"", "Z", "1"} {
					s := "12:00:00" + sep + digits + tail
					gotNS, gotI := fraction(s, 8)
					wantNS, wantI := refFraction(s, 8)
					if gotNS != wantNS || gotI != wantI {
						t.Fatalf("fraction(%q, 8) = %d, %d, reference %d, %d", s, gotNS, gotI, wantNS, wantI)
					}
				}
			}
		}
	}
}

// TestTrimSpaceMatchesStrings compares trimSpace with strings.TrimSpace
// with every byte at either end.
func TestTrimSpaceMatchesStrings(t *testing.T) {
	var words []string
	for c := range 256 {
		b := string([]byte{byte(c)})
		words = append(words, b, b+"x", "x"+b, b+"x"+b)
	}
	words = append(words, "", "\u00a0x", "x\u00a0", "\u0085", "\u2003x\u2003", " x ")
	for _, w := range words {
		if got, want := trimSpace(w), strings.TrimSpace(w); got != want {
			t.Errorf("trimSpace(%q) = %q, want %q", w, got, want)
		}
	}
}

// TestMemberOpeningsMatchReference parses, with one parser, lines whose
// members take topObject's fast path (an opening remembered from the line
// before, a plain string or a number) and lines that leave it at each
// member: escapes in keys and values, nested values, literals, duplicate
// keys, a value of another type under a remembered key, white space where
// the opening remembered has none or less, openings longer than the words
// compared or than those remembered, more members than remembered, and
// broken lines. Each line is parsed twice in a row and compared with the
// reference, after the lines before it.
func TestMemberOpeningsMatchReference(t *testing.T) {
	const base = `{"time":"2024-01-02T03:04:05.123456Z","level":"INFO","msg":"request finished","request_id":"r-1","method":"GET","path":"/a?b=1","status":200,"duration_ms":8.415,"instance":"10.0.0.1:80"}`
	lines := []string{
		base,
		strings.NewReplacer(`05.123456Z`, `06.5Z`, `"INFO"`, `"ERROR"`, `200`, `503`, `8.415`, `1250`, `"r-1"`, `"r-2"`).Replace(base),
		strings.Replace(base, `"request finished"`, `"say \"hi\"\n"`, 1),
		strings.Replace(base, `"/a?b=1"`, `"\/a\u0062"`, 1),
		strings.Replace(base, `"msg"`, `"m\u0073g"`, 1),
		strings.Replace(base, `"level"`, `"LEVEL"`, 1),
		strings.Replace(base, `"status":200`, `"status":{"code":503}`, 1),
		strings.Replace(base, `"method":"GET"`, `"req":{"method":"POST","headers":{"x-request-id":"h-1"}}`, 1),
		strings.Replace(base, `"msg":"request finished"`, `"msg":"a","msg":"b"`, 1),
		strings.Replace(base, `"msg":"request finished"`, `"msg":null,"message":"m"`, 1),
		strings.Replace(base, `"status":200`, `"status":"503"`, 1),
		strings.Replace(base, `"status":200`, `"status":-1`, 1),
		strings.Replace(base, `"level":"INFO"`, `"level":30`, 1),
		strings.Replace(base, `"msg":"request finished"`, `"msg":true`, 1),
		strings.Replace(base, `"path":"/a?b=1"`, `"path":["/x"]`, 1),
		strings.Replace(base, `"duration_ms":8.415`, `"duration_ms":"8.415"`, 1),
		strings.ReplaceAll(base, `":`, `": `),
		strings.ReplaceAll(base, `":`, `":  `),
		strings.ReplaceAll(base, `":`, `": `),
		strings.ReplaceAll(base, `,"`, `, "`),
		strings.ReplaceAll(base, `":`, `" :`),
		strings.Replace(base, `"status":`, `"status":`+strings.Repeat(" ", 40), 1),
		strings.Replace(base, `"instance"`, `"instance_of_the_service_answering"`, 1),
		strings.Replace(base, `"instance"`, `"instance_of_the_service_answering_x"`, 1),
		strings.Replace(base, `"request_id"`, `"x-request-id"`, 1),
		strings.Replace(base, `}`, `,"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"status":504}`, 1),
		strings.Replace(base, `"instance":"10.0.0.1:80"}`, `"instance":"10.0.0.1:80"`, 1),
		strings.Replace(base, `"status":200`, `"status":20x`, 1),
		strings.Replace(base, `"status":200`, `"status":2.`, 1),
		strings.Replace(base, `"msg":"request finished"`, "\"msg\":\"ctl\x01\"", 1),
		strings.Replace(base, `"msg":"request finished"`, `"msg":"bad \x"`, 1),
		strings.Replace(base, `,"level"`, `"level"`, 1),
		strings.Replace(base, `"level":`, `"level"`, 1),
		base + "x",
		`{"time":"2024-01-02T03:04:05Z","msg":"unterminated`,
		`{"time":"2024-01-02T03:04:05Z","msg":"m"`,
		`{"time":"2024-01-02T03:04:05Z"}`,
		`{}`,
	}
	for _, opts := range referenceOpts(t) {
		p := newTestParser(t, FormatJSON, opts)
		for range 2 {
			for _, line := range lines {
				checkJSONLine(t, p, opts, line)
				checkJSONLine(t, p, opts, line)
			}
		}
	}
}
