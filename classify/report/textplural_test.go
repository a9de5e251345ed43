package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// A count of one reads in the singular: a report of a one-line log said
// "fivexx report — 1 requests" and "1 lines" (QA s28).
func TestTextCountsOfOneAreSingular(t *testing.T) {
	at := time.Date(2026, 11, 22, 9, 47, 32, 0, time.UTC)
	tests := []struct {
		name             string
		requests, lines  int64
		startup          int64
		unparsed         int64
		want, wantEvents []string
	}{
		{"one", 1, 1, 1, 1,
			[]string{"fivexx report — 1 request from", "  access.log  proxy  nginx-upstream  1 line  1 unparsed  1 start-up line skipped"},
			[]string{"fivexx: note: access.log: 1 of 1 line unparsed"}},
		{"two", 2, 2, 2, 1,
			[]string{"fivexx report — 2 requests from", "  access.log  proxy  nginx-upstream  2 lines  1 unparsed  2 start-up lines skipped"},
			[]string{"fivexx: note: access.log: 1 of 2 lines unparsed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &classify.Snapshot{First: at, Last: at, Total: classify.Counts{Requests: tt.requests},
				Inputs: []classify.InputStatus{{Path: "access.log", Role: sources.RoleProxy, Format: "nginx-upstream",
					Lines: tt.lines, Parsed: tt.lines - tt.unparsed, Unparsed: tt.unparsed, Startup: tt.startup}}}
			var text, events bytes.Buffer
			if err := WriteText(&text, s); err != nil {
				t.Fatal(err)
			}
			if err := WriteInputNotes(&events, s); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(text.String(), w) {
					t.Errorf("report lacks %q:\n%s", w, text.String())
				}
			}
			for _, w := range tt.wantEvents {
				if !strings.Contains(events.String(), w) {
					t.Errorf("--events notes lack %q:\n%s", w, events.String())
				}
			}
		})
	}
}

// The responses cut after their headers are counted from nginx's
// "readv() failed … while reading upstream" and "upstream timed out …
// while reading upstream" and HAProxy's SD-- and sD--: a reset or a
// timeout during the body. The text called them all "upstream_reset
// after headers", and said "the client got" of 3 responses where the UI
// says "the clients got" (QA s29).
func TestTextCutAfterHeadersSaysResetOrTimeout(t *testing.T) {
	at := time.Date(2026, 11, 22, 9, 47, 32, 0, time.UTC)
	for n, want := range map[int64]string{
		1: "\n1 response was cut after its headers (the upstream reset, closed or timed out while sending the body): the client got the upstream's status, not a 5xx, and part of the body\n",
		3: "\n3 responses were cut after their headers (the upstream reset, closed or timed out while sending the body): the clients got the upstream's status, not a 5xx, and part of the body\n",
	} {
		s := &classify.Snapshot{First: at, Last: at, Total: classify.Counts{Requests: 5}, CutAfterHeaders: n}
		var text bytes.Buffer
		if err := WriteText(&text, s); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text.String(), want) {
			t.Errorf("%d cut: want %q in\n%s", n, want, text.String())
		}
	}
}
