package classify

import (
	"strings"
	"testing"
)

// pathOnlyReference is pathOnly as it was, the reference its two
// IndexByte scans must agree with: up to the first '?' or '#'.
func pathOnlyReference(p string) string {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		return p[:i]
	}
	return p
}

var pathOnlyCases = []string{
	"", "/", "?", "#", "?#", "#?", "/api/users", "/api/users?id=1",
	"/api/users#top", "/a?b#c", "/a#b?c", "/a?b?c", "/a#b#c",
	"/very/long/path/with/many/segments/beyond/sixteen/bytes?q=1#frag",
	"/very/long/path/with/many/segments/beyond/sixteen/bytes#frag?q=1",
	"/ünïcode/päth?x", "/%3F/encoded?real",
}

func TestPathOnlyAgreesWithReference(t *testing.T) {
	for _, p := range pathOnlyCases {
		if got, want := pathOnly(p), pathOnlyReference(p); got != want {
			t.Errorf("pathOnly(%q) = %q, want %q", p, got, want)
		}
	}
}

func FuzzPathOnly(f *testing.F) {
	for _, p := range pathOnlyCases {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if got, want := pathOnly(p), pathOnlyReference(p); got != want {
			t.Errorf("pathOnly(%q) = %q, want %q", p, got, want)
		}
	})
}
