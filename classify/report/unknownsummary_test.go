package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// The Causes table's line for unknown asks for the error log only when
// none was read: the 502s an access log out of time order left unknown
// were told to "add … the error log" that was given (QA s37 M3).
func TestUnknownAsksForTheErrorLogOnlyWhenNoneWasRead(t *testing.T) {
	at := time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		errParsed int64
		asks      bool // for the error log
	}{
		{"error log read", 5000, false},
		{"no error log", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ins := []classify.InputStatus{{Path: "access.log", Role: sources.RoleProxy, Format: "nginx-upstream", Lines: 10, Parsed: 10}}
			if tc.errParsed > 0 {
				ins = append(ins, classify.InputStatus{Path: "error.log", Role: sources.RoleProxyErrors, Format: "nginx-error", Lines: tc.errParsed, Parsed: tc.errParsed})
			}
			s := &classify.Snapshot{First: at, Last: at, Inputs: ins, Total: classify.Counts{Requests: 10,
				Status: map[int]int64{502: 1}, Causes: map[classify.Cause]int64{classify.Unknown: 1}}}
			var b bytes.Buffer
			if err := WriteText(&b, s); err != nil {
				t.Fatal(err)
			}
			var line string
			for _, l := range strings.Split(b.String(), "\n") {
				if strings.HasPrefix(strings.TrimSpace(l), "unknown ") {
					line = l
				}
			}
			if line == "" {
				t.Fatalf("no unknown line:\n%s", b.String())
			}
			if got := strings.Contains(line, "the error log"); got != tc.asks {
				t.Errorf("asks for the error log: %v, want %v: %q", got, tc.asks, line)
			}
		})
	}
}

// The unknown line asks for the upstream fields and request ids only when
// the advice found the access logs without them (Snapshot.Lacks); with
// nothing lacking it says why they stayed unknown, and asks for nothing
// (QA s37: ooo300's log had ua, us and rid, and was told to add them).
func TestUnknownAsksOnlyForWhatTheAccessLogsLack(t *testing.T) {
	at := time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		lacks  classify.Lacks
		behind int64
		want   string
	}{
		{"fields and ids", classify.Lacks{UpstreamFields: true, RequestIDs: true}, 0, "not enough evidence: add upstream fields, request ids"},
		{"fields", classify.Lacks{UpstreamFields: true}, 0, "not enough evidence: add upstream fields"},
		{"ids", classify.Lacks{RequestIDs: true}, 0, "not enough evidence: add request ids"},
		{"nothing, judged behind", classify.Lacks{}, 256, "not enough evidence: 256 5xx were judged without the lines of their time (below)"},
		{"nothing", classify.Lacks{}, 0, "not enough evidence for a cause: --events shows what each one's lines told"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ins := []classify.InputStatus{
				{Path: "access.log", Role: sources.RoleProxy, Format: "nginx-upstream", Lines: 10, Parsed: 10},
				{Path: "error.log", Role: sources.RoleProxyErrors, Format: "nginx-error", Lines: 5, Parsed: 5},
			}
			s := &classify.Snapshot{First: at, Last: at, Inputs: ins, Lacks: tc.lacks, Dropped: classify.Dropped{Behind: tc.behind},
				Total: classify.Counts{Requests: 10, Status: map[int]int64{502: 1}, Causes: map[classify.Cause]int64{classify.Unknown: 1}}}
			var b bytes.Buffer
			if err := WriteText(&b, s); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), "  "+tc.want+"\n") {
				t.Errorf("unknown line is not %q:\n%s", tc.want, b.String())
			}
		})
	}
}

// The 5xx judged after the lines of their time were let go (an access
// log out of time order) are a note of --events on stderr, as the report
// says them in its advice (QA s37 M3).
func TestEventsNoteTheFivexxJudgedBehind(t *testing.T) {
	s := &classify.Snapshot{Dropped: classify.Dropped{Behind: 249}}
	var b bytes.Buffer
	if err := WriteInputNotes(&b, s); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "fivexx: note: 249 5xx judged without the error-log and app lines of their time") {
		t.Errorf("notes %q do not say the 249 5xx judged behind", b.String())
	}
	b.Reset()
	if err := WriteInputNotes(&b, &classify.Snapshot{}); err != nil || b.Len() != 0 {
		t.Errorf("notes of nothing behind: %q, %v", b.String(), err)
	}
}
