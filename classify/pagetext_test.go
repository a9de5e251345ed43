package classify

import (
	"strings"
	"testing"

	"fivexx/sources"
)

// TestPageTextIsKept: the text a small body's 5xx gets is written once
// per status and size, not for each 5xx (written out each time it was
// 12.8 of the 21.3 MB a combined.log report of the 2 M bench set
// allocated); kept or not, it is the same text.
func TestPageTextIsKept(t *testing.T) {
	e := &sources.ProxyEntry{Status: 503, BodyBytes: 20}
	first := notNginxPageText(e)
	if want := pageText(e); first != want {
		t.Fatalf("kept text %q, want %q", first, want)
	}
	if !strings.Contains(first, "20 bytes") || !strings.Contains(first, "return 503") {
		t.Errorf("text %q: want the size and the 503's return", first)
	}
	if n := testing.AllocsPerRun(100, func() { _ = notNginxPageText(e) }); n != 0 {
		t.Errorf("%.0f allocations a 5xx once its text is kept, want 0", n)
	}
	other := &sources.ProxyEntry{Status: 502, BodyBytes: 20}
	if got := notNginxPageText(other); got == first || !strings.Contains(got, "502 page") {
		t.Errorf("a 502 of the same size reads %q", got)
	}
}
