package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestKeepAliveSerialLinesStayInTheirSecond is QA s29's regression on a
// keep-alive client connection (testdata/qa29-combined/keepalive, the
// stock combined log, so no $connection): one client's GET / answered
// 502 at :57 and at :58, each after two attempts nginx logged with the
// connection's serial *27172, two lines at :57 and two at :58. The 502
// of :57 shared its lines with the one of :58 as if it wanted them as
// much, though the :58 lines lie nearer to it: :57 had one line and :58
// three, one of them :57's (with error2.log, a reset 502 citing a
// refused line).
func TestKeepAliveSerialLinesStayInTheirSecond(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("testdata", "qa29-combined", "keepalive")
	tests := []struct {
		errorLog string
		want     map[string]string // time -> the error text of both its lines
	}{
		{"error.log", map[string]string{"03:00:57": "Connection refused", "03:00:58": "Connection refused"}},
		{"error2.log", map[string]string{"03:00:57": "prematurely closed", "03:00:58": "Connection refused"}},
	}
	for _, tt := range tests {
		t.Run(tt.errorLog, func(t *testing.T) {
			evs, _ := reportEvents(t, filepath.Join(dir, "access.log"), filepath.Join(dir, tt.errorLog))
			if len(evs) != 2 {
				t.Fatalf("got %d events, want the two 502s", len(evs))
			}
			for _, ev := range evs {
				want := ""
				for at, w := range tt.want {
					if strings.Contains(ev.Time, at) {
						want = w
					}
				}
				var lines []string
				for _, s := range ev.Evidence {
					if strings.HasPrefix(s, "error log: ") {
						lines = append(lines, s)
					}
				}
				if len(lines) != 2 {
					t.Errorf("%s: %d error lines, want its own two: %q", ev.Time, len(lines), ev.Evidence)
				}
				for _, l := range lines {
					if !strings.Contains(l, want) {
						t.Errorf("%s: cites %q, want its own lines (%s)", ev.Time, l, want)
					}
				}
				if ev.Confidence != "high" {
					t.Errorf("%s: %s %s, want high", ev.Time, ev.Cause, ev.Confidence)
				}
			}
		})
	}
}
