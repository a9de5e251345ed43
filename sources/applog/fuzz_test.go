package applog

import (
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"fivexx/sources"
)

// testdataLines reads a file under testdata/ as lines.
func testdataLines(t testing.TB, name string) []string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// TestTestdataParses checks that every recorded log parses with nothing
// left over: stack trace lines are continuations, not unparsed lines.
func TestTestdataParses(t *testing.T) {
	for _, tc := range []struct {
		format, file string
		records      int
	}{
		{FormatJSON, "json.log", 17},
		{FormatLogfmt, "logfmt.log", 11},
		{FormatText, "text.log", 17},
		{FormatAccess, "access.log", 8},
	} {
		p := newTestParser(t, tc.format, testOpts)
		lines := testdataLines(t, tc.file)
		recs, unparsed := feed(t, p, lines)
		if len(unparsed) > 0 {
			t.Errorf("%s: unparsed %q", tc.file, unparsed)
		}
		if len(recs) != tc.records {
			t.Errorf("%s: %d records, want %d", tc.file, len(recs), tc.records)
		}
		// Every line is in exactly one record's Raw, in order.
		var raws []string
		for _, r := range recs {
			raws = append(raws, r.Raw)
		}
		if got, want := strings.Join(raws, "\n"), strings.Join(lines, "\n"); got != want {
			t.Errorf("%s: records' Raw joined differ from the file:\n%s", tc.file, got)
		}
	}
}

// fuzzParser checks a parser's properties on any line, after a record so
// that continuations have somewhere to go: no panic; an error comes with
// a nil record; a record's Raw is the line; a continuation leaves the
// previous Raw as it was or extends it by exactly "\n"+line; the numbers
// keep their documented ranges.
func fuzzParser(f *testing.F, format, file, first string, seeds ...string) {
	for _, l := range testdataLines(f, file) {
		f.Add(l)
	}
	for _, l := range seeds {
		f.Add(l)
	}
	opts := testOpts
	opts.RequestIDKey = "X-Req"
	opts.RequestIDRegex = regexp.MustCompile(`rq-([0-9a-f]+)`)
	f.Fuzz(func(t *testing.T, line string) {
		p := newTestParser(t, format, opts)
		prev, err := p.Parse(first)
		if err != nil {
			t.Fatal(err)
		}
		before := prev.RawLine()
		rec, err := p.Parse(line)
		checkSlotParse(t, format, opts, first, line, prev, rec, err)
		if err != nil {
			if rec != nil {
				t.Fatalf("error %v with record %+v", err, rec)
			}
			return
		}
		if rec == nil {
			if after := prev.RawLine(); after != before && after != before+"\n"+line {
				t.Fatalf("continuation changed Raw to %q", after)
			}
			return
		}
		if rec.RawLine() != line {
			t.Fatalf("Raw = %q, want the line", rec.RawLine())
		}
		e, ok := rec.(*sources.AppEntry)
		if !ok {
			t.Fatalf("record is %T", rec)
		}
		if e.Status != 0 && (e.Status < 100 || e.Status > 599) {
			t.Errorf("Status = %d", e.Status)
		}
		if e.Duration != -1 && !(e.Duration >= 0) {
			t.Errorf("Duration = %v", e.Duration)
		}
		if e.Phase > sources.PhaseEnd {
			t.Errorf("Phase = %d", e.Phase)
		}
		if e.Service != "api" {
			t.Errorf("Service = %q", e.Service)
		}
	})
}

// caseLines returns the lines of a table's cases, as fuzz seeds.
func caseLines(cases []parserCase) []string {
	var out []string
	for _, c := range cases {
		out = append(out, c.line)
	}
	return out
}

func FuzzJSON(f *testing.F) {
	fuzzParser(f, FormatJSON, "json.log", `{"msg":"first"}`, append(caseLines(errorJSONCases), caseLines(aspNetCases)...)...)
}

func FuzzLogfmt(f *testing.F) {
	fuzzParser(f, FormatLogfmt, "logfmt.log", `level=info msg=first`, caseLines(errorLogfmtCases)...)
}

func FuzzText(f *testing.F) {
	fuzzParser(f, FormatText, "text.log", `2024-01-02 03:04:05 INFO first`, railsFatal...)
}

func FuzzAccess(f *testing.F) {
	fuzzParser(f, FormatAccess, "access.log", `127.0.0.1 - - [22/Nov/2026:08:00:02 +0000] "GET /x HTTP/1.1" 200 1`, caseLines(accessCases)...)
}

// FuzzAccessFirst: the app-access parser reads a line as an access line
// before anything else (accessFirst), the others after the pairs and
// words; both give the same record for any line, after the same one.
func FuzzAccessFirst(f *testing.F) {
	for _, file := range []string{"access.log", "text.log", "logfmt.log"} {
		for _, l := range testdataLines(f, file) {
			f.Add(l)
		}
	}
	for _, l := range caseLines(accessCases) {
		f.Add(l)
	}
	first := `127.0.0.1 - - [22/Nov/2026:08:00:02 +0000] "GET /x HTTP/1.1" 200 1`
	f.Fuzz(func(t *testing.T, line string) {
		var recs [2]sources.Record
		var errs [2]error
		for i, format := range []string{FormatAccess, FormatText} {
			p := newTestParser(t, format, testOpts)
			if _, err := p.Parse(first); err != nil {
				t.Fatal(err)
			}
			recs[i], errs[i] = p.Parse(line)
		}
		if (errs[0] == nil) != (errs[1] == nil) || !reflect.DeepEqual(recs[0], recs[1]) {
			t.Fatalf("app-access gave %+v, %v; app-text %+v, %v", recs[0], errs[0], recs[1], errs[1])
		}
	})
}

// FuzzTextAfterRails fuzzes the line after a Rails FATAL line, whose
// tagged lines are continuations (stack.tagged).
func FuzzTextAfterRails(f *testing.F) {
	fuzzParser(f, FormatText, "text.log", railsFatal[3], railsFatal...)
}

// checkSlotParse checks that a fresh parser gives through ParseAppSlot,
// each line in a slot of its own, what Parse gave: prev for first, then
// rec and err for line.
func checkSlotParse(t *testing.T, format string, opts sources.ParserOptions, first, line string, prev, rec sources.Record, err error) {
	t.Helper()
	sp, ok := newTestParser(t, format, opts).(sources.AppSlotParser)
	if !ok {
		t.Fatalf("%s parser is not an AppSlotParser", format)
	}
	var a, b sources.AppSlot
	sprev, _ := sp.ParseAppSlot(a.SetText([]byte(first)), &a)
	srec, serr := sp.ParseAppSlot(b.SetText([]byte(line)), &b)
	if (err == nil) != (serr == nil) || !reflect.DeepEqual(srec, rec) || !reflect.DeepEqual(sprev, prev) {
		t.Fatalf("ParseAppSlot gave %+v, %v (before it %+v); Parse gave %+v, %v (before it %+v)", srec, serr, sprev, rec, err, prev)
	}
}

// FuzzJSONValid checks the hand-written scanner against encoding/json: an
// object is accepted exactly when json.Valid accepts it.
func FuzzJSONValid(f *testing.F) {
	for _, l := range testdataLines(f, "json.log") {
		f.Add(l)
	}
	for _, s := range []string{`{}`, ` {"a":[1,2,{"b":null}]} `, `{"a":1e+5}`, `{"a":-0.5E-3}`, `{"a":01}`, `{"a":"\ud800"}`, `{"a":tru}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !strings.HasPrefix(strings.TrimLeft(s, " \t\r\n"), "{") {
			return
		}
		var w jsonWalker
		got := w.walk(s, nil) == nil
		if want := json.Valid([]byte(s)); got != want {
			t.Fatalf("walk(%q) valid = %v, json.Valid = %v", s, got, want)
		}
	})
}

// FuzzUnescapeJSON checks string unescaping against encoding/json.
func FuzzUnescapeJSON(f *testing.F) {
	for _, s := range []string{`plain`, `say \"hi\"\n`, `\u00e9\ud83d\ude00`, `\ud800x`, `\ud800\u0041`, `\/\\\b\f\r\t`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		var want string
		if json.Unmarshal([]byte(`"`+s+`"`), &want) != nil {
			return
		}
		if got := unescapeJSON(s); got != want {
			t.Fatalf("unescapeJSON(%q) = %q, want %q", s, got, want)
		}
	})
}
