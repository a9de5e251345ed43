package classify

import "testing"

// addStatus counts every status as the switch over all of them did
// (statusCountsByReference): it leaves those below 429 with one test.
func TestAddStatusCountsAsTheFullSwitch(t *testing.T) {
	for status := -5; status <= 1000; status++ {
		var got, want counters
		got.addStatus(status)
		statusCountsByReference(&want, status)
		if got != want {
			t.Fatalf("status %d: %+v, want %+v", status, got, want)
		}
	}
}

func statusCountsByReference(c *counters, status int) {
	c.req++
	switch status {
	case 500:
		c.s500++
	case 502:
		c.s502++
	case 503:
		c.s503++
	case 504:
		c.s504++
	case 429:
		c.s429++
	}
	if status >= 500 && status <= 599 {
		c.s5xx++
	}
}

// idApps notes every name, the unnamed app ("") among them, whichever
// came last: the test for "" skips only the names' comparison.
func TestIDAppsNotesEveryName(t *testing.T) {
	var n idApps
	for _, s := range []string{"api", "", "", "web", "web", "", "api"} {
		n.note(s)
		if !n.has(s) {
			t.Fatalf("%q not noted", s)
		}
	}
	if len(n.names) != 3 {
		t.Fatalf("%d names, want 3: %v", len(n.names), n.names)
	}
}
