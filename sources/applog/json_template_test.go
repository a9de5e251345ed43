package applog

import (
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

// The template (json_template.go) takes a line only when the walker would
// make the same record of it. These tests parse lines with two parsers
// that have read the same lines before: one as fivexx runs it, and one
// whose template is set aside for good, so that every line goes to the
// walker, the reference.

// walkerOnly returns a JSON parser that never uses its template.
func walkerOnly(t testing.TB, opts sources.ParserOptions) *jsonParser {
	p := newTestParser(t, FormatJSON, opts).(*jsonParser)
	p.tmpl.cold = math.MaxInt
	return p
}

// checkTemplateLine parses the lines of learn, then line, with a parser
// and with walkerOnly, and fails unless both give line the same record (or
// the same error). It reports whether the parser's template took line.
func checkTemplateLine(t *testing.T, opts sources.ParserOptions, learn []string, line string) bool {
	t.Helper()
	p := newTestParser(t, FormatJSON, opts).(*jsonParser)
	w := walkerOnly(t, opts)
	for _, l := range learn {
		p.Parse(l)
		w.Parse(l)
	}
	tried := p.tmpl.n > 0 && p.tmpl.cold == 0 && p.tmpl.misses == 0
	rec, err := p.Parse(line)
	want, wantErr := w.Parse(line)
	if fmt.Sprint(err) != fmt.Sprint(wantErr) {
		t.Fatalf("after %q:\nParse(%q) error = %v, walker %v", learn, line, err, wantErr)
	}
	if rec == nil || want == nil {
		if rec != want && fmt.Sprint(rec) != fmt.Sprint(want) {
			t.Fatalf("after %q:\nParse(%q) = %v, walker %v", learn, line, rec, want)
		}
		return false
	}
	got, wantE := rec.(*sources.AppEntry), want.(*sources.AppEntry)
	if diff := cmp.Diff(wantE, got); diff != "" {
		t.Fatalf("after %q:\nParse(%q) differs from the walker's (-walker +template):\n%s", learn, line, diff)
	}
	gotName, gotOff := got.Time.Zone()
	wantName, wantOff := wantE.Time.Zone()
	if got.Time != wantE.Time && (gotName != wantName || gotOff != wantOff || !got.Time.Equal(wantE.Time)) {
		t.Fatalf("after %q:\nParse(%q) time %#v, walker %#v", learn, line, got.Time, wantE.Time)
	}
	return tried && p.tmpl.misses == 0 && p.tmpl.n > 0
}

// jsonLinesUnder returns the lines starting with '{' of every file under
// dir (the repository's recordings, formats, startup and other logs).
func jsonLinesUnder(t testing.TB, dir string) []string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSuffix(l, "\r"); strings.HasPrefix(strings.TrimPrefix(l, "\ufeff"), "{") {
				lines = append(lines, l)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// templateEdgeLines rewrites a line in the ways a template must not take
// as it is, or must take with other values: variantLines's, and an escape
// in each string, values of other kinds, a key dropped, added or doubled,
// white space, trailing bytes, the line cut short, other levels, methods,
// statuses and lengths.
func templateEdgeLines(line string) []string {
	rep := func(old, new string) string { return strings.Replace(line, old, new, 1) }
	out := variantLines(line)
	for i := 0; i < len(line); i++ {
		if line[i] == '"' && i+1 < len(line) && line[i+1] != ',' && line[i+1] != ':' && line[i+1] != '}' {
			out = append(out, line[:i+1]+`\n`+line[i+1:], line[:i+1]+`\u0041`+line[i+1:], line[:i+1]+`\x`+line[i+1:],
				line[:i+1]+"\x01"+line[i+1:], line[:i+1]+" "+line[i+2:], line[:i+1]+"\t"+line[i+2:])
		}
		if line[i] == '"' && i > 0 && i+1 < len(line) && (line[i+1] == ',' || line[i+1] == '}') && line[i-1] != '"' {
			// The last byte of a string value, its length kept.
			out = append(out, line[:i-1]+" "+line[i:], line[:i-1]+"\x85"+line[i:], line[:i-1]+"\""+line[i:],
				line[:i-1]+`\`+line[i:])
		}
		if line[i] == ':' {
			out = append(out, line[:i+1]+"null,"+line[i+1:], line[:i+1]+`"x",`+line[i+1:], line[:i+1]+" "+line[i+1:])
		}
	}
	out = append(out,
		rep(`"INFO"`, `"WARN"`), rep(`"INFO"`, `"ERROR"`), rep(`"INFO"`, `"Warning"`), rep(`"INFO"`, `"loud"`), rep(`"INFO"`, `""`),
		rep(`"INFO"`, `"INFO\""`), rep(`"INFO"`, `"IN\tFO"`), rep(`"INFO"`, "\"IN\x01FO\""), rep(`"INFO"`, `null`), rep(`"INFO"`, `true`),
		rep(`"GET"`, `"POST"`), rep(`"GET"`, `"get"`), rep(`"GET"`, `"PROPFIND"`), rep(`"GET"`, `"getUser"`), rep(`"GET"`, `""`),
		rep(`:200`, `:503`), rep(`:200`, `:99`), rep(`:200`, `:600`), rep(`:200`, `:2000`), rep(`:200`, `:"200"`), rep(`:200`, `:2e2`),
		rep(`:200`, `:200.0`), rep(`:200`, `:-200`), rep(`:200`, `:0200`),
		rep(`request finished`, `request started`), rep(`request finished`, ``), rep(`request finished`, `re"quest`),
		rep(`request finished`, strings.Repeat("m", 40)), rep(`"request_id":"`, `"request_id":" `), rep(`"request_id":"`, `"request_id":"-`),
		rep(`"request_id":"`, `"request_id":"null"`+`,"x":"`), rep(`"request_id":"`, `"request_id":"\u00e9`),
		rep(`"path":"/`, `"path":"http://h/`), rep(`"path":"/`, `"path":"-`), rep(`"path":"/`, `"path":"`),
		rep(`"path":"/`, `"path":"/\u002f`), rep(`"path":"/`, "\"path\":\"/\xff"),
		rep(`"duration_ms":`, `"duration_ms":1e3,"d":`), rep(`"duration_ms":`, `"duration_ms":-1,"d":`), rep(`"duration_ms":`, `"duration_ms":"12ms","d":`),
		rep(`"duration_ms":`, `"duration_ms":123456789012345678,"d":`), rep(`"duration_ms":`, `"duration_ms":0.5,"d":`),
		rep(`.`, `.9`), rep(`Z"`, `+01:00"`), rep(`T0`, `T1`), rep(`2026-`, `2027-`), rep(`2024-`, `2025-`),
		rep(`,"instance":"`, `,"instance":"`+strings.Repeat("i", 300)), rep(`,"instance":"`, `,"instance":"x`),
		rep(`"msg"`, `"message"`), rep(`"msg"`, `"msg","msg"`), rep(`"time"`, `"ts"`), rep(`{"time":`, `{"ts":1,"time":`),
		rep(`{`, `{"time":"2024-01-02T03:04:05Z",`), rep(`{`, `{"error":"boom",`), rep(`{`, `{"url.query":"a=1",`),
		rep(`{`, `{"request":"GET /r HTTP/1.1",`), rep(`{`, `{"a":{"b":1},`), rep(`{`, `{"a":[1],`),
		strings.TrimSuffix(line, "}")+`,"x":1}`, strings.TrimSuffix(line, "}")+`}`, strings.TrimSuffix(line, "}")+` }`,
		line+"}", line+"x", line+" ", line+"\t", strings.TrimSuffix(line, "}"), strings.TrimSuffix(line, `"}`),
	)
	return out
}

// TestTemplateMatchesWalker parses every JSON line of the repository's logs
// (sources/applog/testdata, testdata: recordings, formats and the rest),
// the table tests' and fuzz seeds' lines and testdata/biglog's app lines,
// each after itself (so that the template is learnt from it and takes
// it), and templateEdgeLines of them after the line (so that the template
// is tried on each) and after biglog lines; each record and error must be
// the walker's. It checks the template took the lines it is for.
func TestTemplateMatchesWalker(t *testing.T) {
	var lines []string
	for _, f := range []string{"json.log", "logfmt.log", "text.log", "access.log"} {
		lines = append(lines, testdataLines(t, f)...)
	}
	lines = append(lines, jsonLinesUnder(t, "../../testdata")...)
	lines = append(lines, caseLines(aspNetCases)...)
	lines = append(lines, caseLines(errorJSONCases)...)
	lines = append(lines, fastBase)
	biglog := biglogSample(t, 256)
	lines = append(lines, biglog...)
	opts := referenceOpts(t)
	took, edgesTook, edges := 0, 0, 0
	// The race detector makes this one goroutine's comparison about ten
	// times slower (83 s of make test's run) and has nothing to find in
	// it: under it, the edges of one chosen line in 8; without it, of all.
	chosen := 0
	for n, line := range lines {
		o := opts[n%len(opts)]
		if checkTemplateLine(t, o, []string{line, line}, line) {
			took++
		}
		if n%19 != 0 && n < len(lines)-len(biglog) {
			continue // the edges of a sample: all of them would take minutes
		}
		if chosen++; raceEnabled && chosen%8 != 1 {
			continue
		}
		for _, v := range templateEdgeLines(line) {
			edges++
			if checkTemplateLine(t, o, []string{line, line}, v) {
				edgesTook++
			}
			checkTemplateLine(t, o, []string{biglog[edges%len(biglog)], line, v}, v)
		}
	}
	// Every biglog line, and fastBase, is one a template takes.
	if min := len(biglog) + 1; took < min {
		t.Errorf("the template took %d of %d lines after themselves, want at least %d", took, len(lines), min)
	}
	if edgesTook == 0 || edgesTook == edges {
		t.Errorf("the template took %d of %d edge lines: the edges test neither side", edgesTook, edges)
	}
	t.Logf("%d lines, %d taken after themselves; %d edge lines, %d taken", len(lines), took, edges, edgesTook)
}

// TestTemplateTakesBiglog parses the biglog sample line after line, as
// fivexx does, and checks the template takes every line after the first
// and gives the walker's records.
func TestTemplateTakesBiglog(t *testing.T) {
	lines := biglogSample(t, 4096)
	p := newTestParser(t, FormatJSON, testOpts).(*jsonParser)
	w := walkerOnly(t, testOpts)
	taken := 0
	for n, line := range lines {
		tried := p.tmpl.n > 0 && p.tmpl.cold == 0
		rec, err := p.Parse(line)
		want, wantErr := w.Parse(line)
		if err != nil || wantErr != nil {
			t.Fatalf("Parse(%q): %v, walker %v", line, err, wantErr)
		}
		if diff := cmp.Diff(want, rec); diff != "" {
			t.Fatalf("line %d %q differs from the walker's (-walker +template):\n%s", n, line, diff)
		}
		if tried && p.tmpl.misses == 0 {
			taken++
		}
	}
	if taken != len(lines)-1 {
		t.Errorf("the template took %d of %d lines, want all but the first", taken, len(lines))
	}
}

// FuzzTemplateMatchesWalker holds the template to the walker on any line,
// parsed after a biglog line and after itself, so that the template
// learnt from either is tried on it.
func FuzzTemplateMatchesWalker(f *testing.F) {
	sample := biglogSample(f, 64)
	for _, l := range testdataLines(f, "json.log") {
		f.Add(l)
	}
	for _, l := range append(caseLines(aspNetCases), caseLines(errorJSONCases)...) {
		f.Add(l)
	}
	for i, l := range sample {
		f.Add(l)
		if i < 8 {
			for _, v := range templateEdgeLines(l) {
				f.Add(v)
			}
		}
	}
	opts := referenceOpts(f)
	f.Fuzz(func(t *testing.T, line string) {
		o := opts[len(line)%len(opts)]
		learn := sample[len(line)%len(sample)]
		checkTemplateLine(t, o, []string{learn, learn}, line)
		checkTemplateLine(t, o, []string{line, line}, line)
		checkTemplateLine(t, o, []string{learn, line}, learn)
	})
}

// TestTemplateTakesRepeatedLines parses lines of several loggers' shapes,
// each three times in a row: the template learnt from the first must take
// the second and, its values remembered, the third, as the walker would.
func TestTemplateTakesRepeatedLines(t *testing.T) {
	lines := []string{
		fastBase,
		`{"time":"2024-01-02T03:04:05Z","level":"INFO","pid":4242,"svc":"api","ok":true,"gone":null,"msg":"done","status":200}`,
		`{"level":"info","ts":1704164645.123,"caller":"http/server.go:42","msg":"request","method":"get","url":"http://h/a?b=1","status":"503","latency":0.0123}`,
		`{"@timestamp":"2024-01-02T03:04:05.123+01:00","log.level":"warn","message":"slow","http.request.method":"POST","trace.id":"abcdef0123456789"}`,
		`{ "time" : "2024-01-02T03:04:05Z" , "msg" : "spaced" , "n" : -1.5e3 }  `,
	}
	for _, line := range lines {
		p := newTestParser(t, FormatJSON, testOpts).(*jsonParser)
		w := walkerOnly(t, testOpts)
		for n := range 3 {
			rec, err := p.Parse(line)
			want, wantErr := w.Parse(line)
			if err != nil || wantErr != nil {
				t.Fatalf("Parse(%q): %v, walker %v", line, err, wantErr)
			}
			if diff := cmp.Diff(want, rec); diff != "" {
				t.Fatalf("Parse(%q) #%d differs from the walker's (-walker +template):\n%s", line, n, diff)
			}
			if took := p.tmpl.n > 0 && p.tmpl.misses == 0; n > 0 && !took {
				t.Errorf("Parse(%q) #%d: the template did not take it", line, n)
			}
		}
	}
}

// TestTemplateRelearns checks that a line of another shape now and then
// leaves the template to the lines around it, and that two in a row make
// it that shape's.
func TestTemplateRelearns(t *testing.T) {
	other := `{"time":"2024-01-02T03:04:05Z","level":"WARN","msg":"health check"}`
	p := newTestParser(t, FormatJSON, testOpts).(*jsonParser)
	took := func(line string) bool {
		t.Helper()
		tried := p.tmpl.n > 0 && p.tmpl.cold == 0
		if _, err := p.Parse(line); err != nil {
			t.Fatalf("Parse(%q): %v", line, err)
		}
		return tried && p.tmpl.misses == 0
	}
	for n, c := range []struct {
		line string
		took bool
	}{
		{fastBase, false}, {fastBase, true}, {other, false}, {fastBase, true},
		{other, false}, {other, false}, {other, true}, {fastBase, false}, {other, true},
	} {
		if got := took(c.line); got != c.took {
			t.Errorf("line %d %.30q: taken %v, want %v", n, c.line, got, c.took)
		}
	}
}
