package tui

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
)

// hostileStrings put terminal attacks in every log-derived string of the
// fixture: titles, screen clears, hyperlinks, clipboard writes, cursor
// moves, bidi overrides, C1 controls, NUL and invalid bytes.
var hostileStrings = fixtureStrings{
	accessPath: "/var/log/\x1b]0;owned\x07access.log",
	errorPath:  "/var/log/\x1b[2Jerror.log",
	appPath:    "/srv/\u202eapp.log\u2066",
	upstream1:  "10.0.0.1:8080\x1b]8;;http://x\x07link\x1b]8;;\x07",
	path:       "/api/\x1b]52;c;ZXZpbA==\x07orders\u009b31m",
	requestID:  "req\x1b[10;10H\x00\xff\xfe",
	sample:     "\u202e\u200bevil\ufeff\x7f\x1bP+q\x1b\\",
	rawSuffix:  " x=\"\x1b[31mred\x1b[0m\u202e\x00\u061c\u200e\x1b_G\x1b\\\"",
	advice:     "\x1b]0;owned\x07 advice \u2067",
}

// terminalHazard returns a description of the first thing in s a terminal
// would interpret, or "".
func terminalHazard(s string) string {
	if i := strings.IndexByte(s, 0x1b); i >= 0 {
		return fmt.Sprintf("ESC at byte %d: %q", i, s[max(i-20, 0):min(i+20, len(s))])
	}
	for i, r := range s {
		switch {
		case r == '\n':
		case r < 0x20 || r == 0x7f:
			return fmt.Sprintf("C0 %U at %d", r, i)
		case r >= 0x80 && r <= 0x9f:
			return fmt.Sprintf("C1 %U at %d", r, i)
		case unicode.Is(unicode.Cf, r):
			return fmt.Sprintf("format rune %U at %d", r, i)
		}
	}
	return ""
}

func TestHostileStringsStayInert(t *testing.T) {
	paths := []struct {
		name string
		keys []string
	}{
		{"overview", nil},
		{"causes", []string{"tab"}},
		{"filter", []string{"/", "o", "r"}},
		{"help", []string{"?"}},
	}
	paths = append(paths, struct {
		name string
		keys []string
	}{"every request by cause", []string{"tab", "enter"}})
	for _, sz := range [][2]int{{80, 24}, {160, 48}, {40, 12}} {
		for _, p := range paths {
			m := newTestModel(t, newFakeSource(fixtureSnapshot(hostileStrings)), sz[0], sz[1])
			m = send(m, p.keys...)
			check := func(where string) {
				t.Helper()
				if h := terminalHazard(m.View()); h != "" {
					t.Errorf("%dx%d %s %s: %s", sz[0], sz[1], p.name, where, h)
				}
			}
			check("")
			if !strings.HasPrefix(p.name, "every request") {
				continue
			}
			visited := 0
			// Walk every cause, every verdict in it and its detail, scrolled.
			for c := 0; c < len(m.overview.causes); c++ {
				for r := 0; r < len(m.upstream.items); r++ {
					m = send(m, "enter")
					visited++
					check(fmt.Sprintf("cause %d detail %d", c, r))
					for range 200 {
						m = send(m, "pgdown")
						check(fmt.Sprintf("cause %d detail %d scrolled", c, r))
						if m.detail.vp.AtBottom() {
							break
						}
					}
					m = send(m, "esc", "j")
				}
				m = send(m, "esc", "j", "enter")
			}
			if want := len(fixtureVerdicts(hostileStrings)); visited != want {
				t.Errorf("%dx%d: walked %d requests, want %d", sz[0], sz[1], visited, want)
			}
		}
	}
	// Every upstream's drill-down too.
	m := newTestModel(t, newFakeSource(fixtureSnapshot(hostileStrings)), 120, 40)
	for range m.overview.rows {
		m = send(m, "enter")
		if h := terminalHazard(m.View()); h != "" {
			t.Errorf("drill-down %q: %s", m.upstream.upstream, h)
		}
		m = send(m, "enter")
		if h := terminalHazard(m.View()); h != "" {
			t.Errorf("request of %q: %s", m.upstream.upstream, h)
		}
		m = send(m, "esc", "esc", "j")
	}
}

func TestHostileFixtureReallyIsHostile(t *testing.T) {
	// Guard against a fixture that lost its teeth: the raw strings must hold
	// what the test claims to neutralise.
	s := fixtureSnapshot(hostileStrings)
	for _, raw := range []string{s.Inputs[0].Path, s.Upstreams[0].Name, s.Recent[len(s.Recent)-1].Entry.Path,
		s.Recent[len(s.Recent)-1].Entry.RequestID, s.Recent[0].Entry.Raw} {
		if terminalHazard(raw) == "" {
			t.Errorf("fixture string %q is harmless", raw)
		}
	}
}
