package main

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"fivexx/tui"
)

// The id the lines tell (TestCapturedIDsShownWithoutAppLines) is in the
// UI too: the upstream drill-down's recent 5xx and a request's detail.
func TestCapturedIDsShownInTheDrillDown(t *testing.T) {
	access := filepath.Join(t.TempDir(), "haproxy.log")
	// A fourth 5xx of be_chk, the first whose id is shown (guessLines).
	lines := append(slices.Clone(allDownAccess[:3]), `127.0.0.1:43990 [24/Nov/2026:04:33:15.570] fe_http be_chk/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 2/2/0/0/0 0/0 {qa4-hap2-6} "GET /chk/unavailable?n=6 HTTP/1.1"`)
	write(t, access, append(lines, allDownAccess[3:]...))
	snap := filesSnapshot(t, access)
	for _, wait := range [][]string{
		{"▸ upstream"},              // be_chk/<NOSRV>'s recent 5xx
		{"▸ upstream", "▸ request"}, // its newest request's detail
	} {
		m := tui.New(frozen{snap}, tui.Options{Title: "hap2", Refresh: 20 * time.Millisecond})
		tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(160, 48))
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Upstreams")) }, teatest.WithDuration(5*time.Second))
		for _, w := range wait {
			tm.Send(keyMsg("enter"))
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(w)) }, teatest.WithDuration(5*time.Second))
		}
		tm.Send(keyMsg("q"))
		view := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()
		// As the id, not in the raw line's "{qa4-hap2-6}".
		shown := false
		for _, l := range strings.Split(view, "\n") {
			shown = shown || strings.Contains(l, "qa4-hap2-6") && !strings.Contains(l, "{qa4-hap2-6}")
		}
		if w := wait[len(wait)-1]; !strings.Contains(view, w) || !shown {
			t.Errorf("%s: no request id qa4-hap2-6:\n%s", w, view)
		}
	}
}
