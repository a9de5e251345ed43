package classify

import (
	"path/filepath"
	"strings"
	"testing"
)

// A status that folds two causes, with no field to tell which, is not
// high, and its hint names both (QA s36 M3): Cloudflare's 520 is a reset
// or a response it could not use, its 530 an origin name that does not
// resolve (1016) or a tunnel that is down (1033), the 1xxx code only on
// its error page (formats.md §8.2). They were upstream_reset high "closed
// the connection mid-request: look for crashes" and upstream_refused high
// "the upstream name does not resolve".
func TestStatusThatCannotTellIsNotHigh(t *testing.T) {
	path := filepath.Join("..", "testdata", "formats", "cloudflare", "http_requests.log")
	want := map[int]struct {
		cause Cause
		conf  Confidence
		hint  []string
	}{
		520: {UpstreamReset, Medium, []string{"closed or reset the connection", "headers over 128 KB", "HTTP/2"}},
		530: {UpstreamRefused, Low, []string{"1016", "1033", "Tunnel", "DNS record"}},
	}
	seen := 0
	for _, v := range verdictsOfFiles(t, path) {
		w, ok := want[v.Entry.Status]
		if !ok {
			continue
		}
		seen++
		if v.Cause != w.cause || v.Confidence != w.conf {
			t.Errorf("%d: %s %s, want %s %s", v.Entry.Status, v.Cause, v.Confidence, w.cause, w.conf)
		}
		if v.Detail == "dns" {
			t.Errorf("%d: detail dns, which the status does not tell", v.Entry.Status)
		}
		for _, s := range w.hint {
			if !strings.Contains(v.Hint, s) {
				t.Errorf("%d: hint %q lacks %q", v.Entry.Status, v.Hint, s)
			}
		}
		if !strings.Contains(strings.Join(v.Evidence, "\n"), "no Logpush field") {
			t.Errorf("%d: evidence %q does not say why it is not high", v.Entry.Status, v.Evidence)
		}
	}
	if seen != len(want) {
		t.Errorf("%d verdicts of 520 and 530, want %d", seen, len(want))
	}
}
