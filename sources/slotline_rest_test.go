package sources

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// restParser is an app parser that finds where its lines end as it
// parses them (AppSlotRestParser), as the JSON parser does for the lines
// its template takes: "app X" is a record whose message is X, "cont" a
// continuation line, anything else unparsed. ParseAppSlotRest leaves to
// ParseAppSlot a line with "left" in it, as the JSON parser leaves one
// its template does not take and it cannot cut as the splitter would.
type restParser struct{ rest, taken int }

func (p *restParser) Parse(line string) (Record, error) {
	return p.ParseAppSlot(line, new(AppSlot))
}

func (p *restParser) ParseAppSlot(line string, s *AppSlot) (Record, error) {
	switch {
	case strings.HasPrefix(line, "app "):
		s.Entry = AppEntry{Time: time.Unix(int64(len(line)), 0), Message: line[4:], Raw: line}
		return &s.Entry, nil
	case line == "cont":
		return nil, nil
	}
	return nil, errors.New("not an app line")
}

func (p *restParser) ParseAppSlotRest(rest string, s *AppSlot) (Record, int, error) {
	p.rest++
	n := strings.IndexByte(rest, '\n')
	if n <= 0 || rest[0] == 0 {
		return nil, -1, nil
	}
	line := rest[:n]
	if line[n-1] == '\r' {
		if strings.Contains(line, "crlf") {
			line = line[:n-1] // ended by "\r\n", the "\r" dropped
		} else {
			return nil, -1, nil
		}
	}
	if strings.Contains(line, "left") || len(line) > MaxLineBytes {
		return nil, -1, nil
	}
	p.taken++
	rec, err := p.ParseAppSlot(line, s)
	return rec, len(line), err
}

// decodeRest decodes text with a new input of restParser's format, as
// readDecoded does (DecodeLines).
func decodeRest(t *testing.T, text string, reference bool) ([][]Item, Counters, *restParser) {
	t.Helper()
	p := new(restParser)
	in := NewInput(0, Spec{Path: "app.log"})
	in.ReleasesInOrder()
	f := Format{Name: "test-rest", Role: RoleApp, New: func(ParserOptions) (Parser, error) { return p, nil }}
	if err := in.SetFormat(f, "test"); err != nil {
		t.Fatal(err)
	}
	batches, _, err := DecodeLines(in, text, reference)
	if err != nil {
		t.Fatal(err)
	}
	return batches, in.Counters(), p
}

// TestAppLinesRest checks that appLines hands a parser that finds where
// its lines end the rest of the read, and goes on after the line it
// says, "\r\n" and all, or cuts the line itself when the parser leaves
// it: the records, line numbers and counts are those of the splitter's
// one line at a time (the reference, which has ParseAppSlot parse each).
func TestAppLinesRest(t *testing.T) {
	text := "app a\napp b crlf\r\napp left\napp c\r\ncont\nbad\n\napp crlf left\r\n\x00\x00app d\napp e crlf\r\r\n" +
		"app " + strings.Repeat("x", MaxLineBytes) + "\napp f\nbad left\napp last"
	got, gotCounts, p := decodeRest(t, text, false)
	want, wantCounts, _ := decodeRest(t, text, true)
	var gotItems, wantItems []Item
	for _, b := range got {
		gotItems = append(gotItems, b...)
	}
	for _, b := range want {
		wantItems = append(wantItems, b...)
	}
	if len(gotItems) != len(wantItems) {
		t.Fatalf("%d records, the reference %d", len(gotItems), len(wantItems))
	}
	for i, g := range gotItems {
		w := wantItems[i]
		if g.LineNo != w.LineNo || !reflect.DeepEqual(g.Rec, w.Rec) || (g.appSlot == nil) != (w.appSlot == nil) || (g.lender == nil) != (w.lender == nil) {
			t.Errorf("record %d: line %d %+v, the reference line %d %+v", i, g.LineNo, g.Rec, w.LineNo, w.Rec)
		}
	}
	if !reflect.DeepEqual(gotCounts, wantCounts) {
		t.Errorf("counters %+v, the reference %+v", gotCounts, wantCounts)
	}
	if p.taken < 5 {
		t.Errorf("the parser found the end of %d lines (asked %d times), want the 5 it takes at least", p.taken, p.rest)
	}
}
