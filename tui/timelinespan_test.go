package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// The timeline's header said "±5 s" of the 60 lines nearest the request,
// which on a busy log lie within a second of it (QA s26). A full timeline
// says the span its nearest lines reach; one with room left still holds
// every line within ±5 s and says so.
func TestTimelineSaysTheSpanItShows(t *testing.T) {
	e := &sources.ProxyEntry{Time: logNow, Status: 502, Method: "GET", Path: "/busy", RequestTime: 0.01,
		Raw: `203.0.113.7 - - [02/Jan/2024:03:04:05 +0000] "GET /busy HTTP/1.1" 502 12 "-" "curl/8"`}
	// timeline is the request's access line, an app line of its own 3 s
	// before (its own lines count whatever their distance), and others
	// every step outward, alternating sides, n lines in all.
	timeline := func(n int, step time.Duration) classify.Timeline {
		tl := classify.NewTimeline(
			classify.TimelineLine{Time: logNow.Add(-3 * time.Second), Source: "app.log", Role: sources.RoleApp, Raw: "own", Matched: true},
			classify.TimelineLine{Time: logNow, Source: "access.log", Role: sources.RoleProxy, Raw: e.Raw, Matched: true})
		for i := 1; tl.Len() < n; i++ {
			d := time.Duration((i+1)/2) * step
			if i%2 == 1 {
				d = -d
			}
			tl.Append(classify.TimelineLine{Time: logNow.Add(d), Source: "access.log", Role: sources.RoleProxy, Raw: fmt.Sprint("line ", i)})
		}
		return tl
	}
	tests := []struct {
		name string
		tl   shownTimeline
		want string
	}{
		{"room left: every line within ±5 s", shownTimeline{lines: timeline(23, 200*time.Millisecond)},
			"Timeline (±5 s, 23 lines; ▶ = this request)"},
		{"full, a busy log", shownTimeline{lines: timeline(classify.TimelineLines, 14*time.Millisecond)},
			"Timeline (±0.4 s, the 60 nearest lines; ▶ = this request)"},
		{"full, within 100 ms", shownTimeline{lines: timeline(classify.TimelineLines, time.Millisecond)},
			"Timeline (±29 ms, the 60 nearest lines; ▶ = this request)"},
		{"full, seconds", shownTimeline{lines: timeline(classify.TimelineLines, 80*time.Millisecond)},
			"Timeline (±2.3 s, the 60 nearest lines; ▶ = this request)"},
		{"full, all in the request's second", shownTimeline{lines: timeline(classify.TimelineLines, 0)},
			"Timeline (the 60 nearest lines, all stamped 03:04:05.250; ▶ = this request)"},
		// "1 lines" of a request alone in its ±5 s (QA s28).
		{"one line", shownTimeline{lines: classify.NewTimeline(
			classify.TimelineLine{Time: logNow, Source: "access.log", Role: sources.RoleProxy, Raw: e.Raw, Matched: true})},
			"Timeline (±5 s, 1 line; ▶ = this request)"},
		{"reading again", shownTimeline{lines: timeline(2, time.Second), loading: true},
			"Timeline (±5 s; reading the lines around it again…; ▶ = this request)"},
	}
	st := DefaultStyles()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := classify.Verdict{Entry: e, Cause: classify.UpstreamRefused, Confidence: classify.High}
			got := detailContent(&v, tt.tl, 160, false, &st)
			if !strings.Contains(got, tt.want) {
				_, head, _ := strings.Cut(got, " Timeline")
				head, _, _ = strings.Cut(head, "\n")
				t.Errorf("timeline header %q, want %q", "Timeline"+head, tt.want)
			}
		})
	}
}
