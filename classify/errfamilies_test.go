package classify

import (
	"testing"
	"time"
)

// The families' table answers as the two maps it replaced did: the error
// lines of each family counted apart, each family's earliest time kept,
// and nothing of a family no line came from, whichever family came last.
func TestErrFamiliesAsMaps(t *testing.T) {
	var c correlator
	at := func(s int64) logInstant { return instantOf(time.Unix(s, 0)) }
	lines := map[string]int64{}
	from := map[string]logInstant{}
	for i, l := range []struct {
		family string
		sec    int64
		timed  bool
		req    bool
	}{
		{"nginx", 100, true, true}, {"nginx", 90, true, false}, {"caddy", 120, false, true},
		{"nginx", 95, true, true}, {"caddy", 110, true, false}, {"caddy", 130, true, true},
		{"", 50, true, true}, {"nginx", 80, false, true}, {"caddy", 105, true, true},
	} {
		if l.timed {
			if fe := c.families.of(l.family); !fe.timed || at(l.sec).before(fe.from) {
				fe.from, fe.timed = at(l.sec), true
			}
			if f, ok := from[l.family]; !ok || at(l.sec).before(f) {
				from[l.family] = at(l.sec)
			}
		}
		if l.req {
			c.families.of(l.family).lines++
			lines[l.family]++
		}
		for _, f := range []string{"nginx", "caddy", "", "haproxy"} {
			if got, want := c.errorLinesOf(f), lines[f]; got != want {
				t.Errorf("after line %d: errorLinesOf(%q) = %d, want %d", i, f, got, want)
			}
			gotFrom, gotOK := c.errorsFromOf(f)
			wantFrom, wantOK := from[f]
			if gotFrom != wantFrom || gotOK != wantOK {
				t.Errorf("after line %d: errorsFromOf(%q) = %v %v, want %v %v", i, f, gotFrom, gotOK, wantFrom, wantOK)
			}
		}
	}
}
