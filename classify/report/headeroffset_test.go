package report

import (
	"bytes"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin whether or not the machine has zone data

	"fivexx/classify"
)

// The header's end time says its offset when it is not the start's:
// across the end of daylight saving time, "from 2025-10-26 02:58:30 +0200
// to 02:01:29" read as time running backwards (QA s36 L1).
func TestHeaderEndSaysItsOffset(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name        string
		first, last time.Time
		want        string
	}{
		{"across the change", time.Date(2025, 10, 26, 0, 58, 30, 0, time.UTC).In(berlin), time.Date(2025, 10, 26, 1, 1, 29, 0, time.UTC).In(berlin),
			"from 2025-10-26 02:58:30 +0200 to 02:01:29 +0100"},
		{"one offset", time.Date(2025, 10, 26, 2, 0, 0, 0, time.UTC).In(berlin), time.Date(2025, 10, 26, 2, 5, 0, 0, time.UTC).In(berlin),
			"from 2025-10-26 03:00:00 +0100 to 03:05:00\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &classify.Snapshot{First: tc.first, Last: tc.last, Total: classify.Counts{Requests: 2}}
			var b bytes.Buffer
			if err := WriteText(&b, s); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), tc.want) {
				head, _, _ := strings.Cut(b.String(), "\n")
				t.Errorf("header %q, want %q in it", head, tc.want)
			}
		})
	}
}
