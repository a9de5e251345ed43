package applog

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

// ParseAppSlotRest parses the line its text starts with and says where
// the line ends: the decoder (sources.appLines) then hands it the rest of
// a read rather than each line cut at its newline. These tests hold it to
// ParseAppSlot given the line as the splitter cuts it.

// checkRestLine parses the lines of learn with two parsers, then rest:
// one through ParseAppSlotRest, the other through ParseAppSlot given
// rest's first line as the splitter hands it on (cut at its "\n", one
// "\r" before it dropped). ParseAppSlotRest must leave to ParseAppSlot
// only a line the decoder hands on otherwise (sources.ordinaryLine), and
// make of the others the record ParseAppSlot makes (or fail alike), with
// the line's length. It reports whether the template took rest's line.
func checkRestLine(t *testing.T, opts sources.ParserOptions, learn []string, rest string) bool {
	t.Helper()
	p := newTestParser(t, FormatJSON, opts).(*jsonParser)
	ref := newTestParser(t, FormatJSON, opts).(*jsonParser)
	for _, l := range learn {
		p.Parse(l)
		ref.Parse(l)
	}
	tried := p.tmpl.n > 0 && p.tmpl.cold == 0
	var s, refSlot sources.AppSlot
	s.Entry = usedEntry // a slot recycled: no field of its last line may stay
	rec, n, err := p.ParseAppSlotRest(rest, &s)
	nl := strings.IndexByte(rest, '\n')
	ordinary := nl > 0 && rest[0] == '{' && rest[nl-1] != '\r' && nl <= sources.MaxLineBytes
	if n < 0 {
		if ordinary {
			t.Fatalf("after %q:\nParseAppSlotRest(%q) left an ordinary line to ParseAppSlot", learn, rest)
		}
		if rec != nil || err != nil {
			t.Fatalf("after %q:\nParseAppSlotRest(%q) = %v, %v with no line", learn, rest, rec, err)
		}
		return false
	}
	line := strings.TrimSuffix(rest[:max(nl, 0)], "\r")
	if nl < 0 || n != len(line) {
		t.Fatalf("after %q:\nParseAppSlotRest(%q) ended the line at %d, the splitter at %d", learn, rest, n, len(line))
	}
	want, wantErr := ref.ParseAppSlot(line, &refSlot)
	if fmt.Sprint(err) != fmt.Sprint(wantErr) {
		t.Fatalf("after %q:\nParseAppSlotRest(%q) error = %v, ParseAppSlot(%q) %v", learn, rest, err, line, wantErr)
	}
	if diff := cmp.Diff(want, rec); diff != "" {
		t.Fatalf("after %q:\nParseAppSlotRest(%q) differs from ParseAppSlot(%q) (-ParseAppSlot +ParseAppSlotRest):\n%s", learn, rest, line, diff)
	}
	return tried && p.tmpl.misses == 0 && p.tmpl.n > 0
}

// usedEntry is an entry with every field set, as a recycled slot holds
// its last line's.
var usedEntry = sources.AppEntry{
	Time: time.Date(2001, 2, 3, 4, 5, 6, 7, time.UTC), Level: "old", Message: "old", RequestID: "old", IDHash: 1,
	Method: "OLD", Path: "/old", Status: 999, Duration: 99, Phase: sources.PhaseStart, Service: "old", Instance: "old", Raw: "old",
}

// restTails are what may follow a line in a read: its newline as loggers
// write it, "\r\n", none (the read ends), a "\r" or bytes before the
// newline, a blank line, and the next lines.
func restTails(next string) []string {
	return []string{"\n", "\n" + next + "\n", "\r\n" + next, "", "\r", "\r\r\n", " \n", "}\n", "\n\n", "x\n" + next}
}

// TestParseAppSlotRestAgrees parses lines of the biglog sample, the JSON
// lines of the repository's logs and templateEdgeLines of some, each
// followed by each of restTails, after itself and after a biglog line
// (so that the template is learnt from them and tried), a sample of
// them and of their edges; then biglog
// lines with a newline put at each byte, which the template must not
// take across; and lines learnt with white space that has a newline or a
// "\r". Each record must be ParseAppSlot's, and the template must take
// the biglog lines ended by "\n" or "\r\n" as they are.
func TestParseAppSlotRestAgrees(t *testing.T) {
	biglog := biglogSample(t, 64)
	lines := []string{fastBase}
	// A response without a duration (finish's -1), and lines that are no
	// response: without a status, a method, a path.
	for _, member := range []string{`,"duration_ms":8.415`, `,"status":200`, `,"method":"GET"`, `,"path":"/a?b=1"`} {
		lines = append(lines, strings.Replace(fastBase, member, "", 1))
	}
	lines = append(append(lines, biglog...), jsonLinesUnder(t, "../../testdata")...)
	taken := 5 + len(biglog) // the lines a template takes after themselves
	opts := referenceOpts(t)
	for n, line := range lines {
		if n >= taken && n%5 != 0 {
			continue // a sample of the repository's lines: all took a minute
		}
		o := opts[n%len(opts)]
		other := biglog[n%len(biglog)]
		for k, tail := range restTails(other) {
			took := checkRestLine(t, o, []string{line, line}, line+tail)
			if n < taken && k < 3 && !took {
				t.Errorf("ParseAppSlotRest(%q): the template did not take the line it learnt", line+tail)
			}
			checkRestLine(t, o, []string{other, other}, line+tail)
		}
		if n%31 != 0 || raceEnabled && n%(31*8) != 0 {
			continue // the edges of a sample
		}
		for _, v := range templateEdgeLines(line) {
			for _, tail := range restTails(other)[:4] {
				checkRestLine(t, o, []string{line, line}, v+tail)
			}
		}
	}
	// A newline at each byte of a line: the line before it is one, and
	// no value or literal the template takes may run past it.
	for n, line := range biglog[:4] {
		for i := 1; i < len(line); i++ {
			checkRestLine(t, opts[n%len(opts)], []string{line, line}, line[:i]+"\n"+line[i:]+"\n")
		}
	}
	// Lines learnt with a newline or a "\r" in their white space (never
	// so from the splitter), then read with it: the template must not
	// take its bytes for the line's.
	for _, c := range []struct{ learnt, rest string }{
		{"{\"time\":\"2024-01-02T03:04:05Z\",\n\"msg\":\"a b c d e f g h\"}", "{\"time\":\"2024-01-02T03:04:05Z\",\n\"msg\":\"a b c d e f g h\"}\n"},
		{"{\"time\":\"2024-01-02T03:04:05Z\",\r\"msg\":\"a b c d e f g h\"}", "{\"time\":\"2024-01-02T03:04:05Z\",\r\"msg\":\"a b c d e f g h\"}\n"},
		{fastBase + "\r", fastBase + "\r\n"},
		{fastBase + "\r", fastBase + "\r\r\n"},
		{fastBase + " \r", fastBase + " \r\n"},
	} {
		checkRestLine(t, testOpts, []string{c.learnt, c.learnt}, c.rest)
	}
}

// FuzzParseAppSlotRest holds ParseAppSlotRest to ParseAppSlot on any
// text, after a biglog line and after the text's first line, so that the
// template learnt from either is tried on it.
func FuzzParseAppSlotRest(f *testing.F) {
	sample := biglogSample(f, 64)
	for i, l := range sample[:8] {
		for _, tail := range restTails(sample[i+1]) {
			f.Add(l + tail)
		}
		for _, v := range templateEdgeLines(l)[:40] {
			f.Add(v + "\n" + l)
		}
	}
	opts := referenceOpts(f)
	f.Fuzz(func(t *testing.T, rest string) {
		if len(rest) > sources.MaxLineBytes {
			return
		}
		o := opts[len(rest)%len(opts)]
		learn := sample[len(rest)%len(sample)]
		first, _, _ := strings.Cut(rest, "\n")
		checkRestLine(t, o, []string{learn, learn}, rest)
		checkRestLine(t, o, []string{first, first}, rest)
	})
}
