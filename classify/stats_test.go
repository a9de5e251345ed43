package classify

import (
	"testing"
	"unsafe"
)

// The upstream cache finds a state by the address of the name's bytes,
// but must answer by the name: the same name at another address finds the
// same state, and other bytes at the same address (a recycled line) find
// their own.
func TestUpstreamCacheAnswersByName(t *testing.T) {
	s := newStats()
	line := []byte("10.0.1.11:8080")
	a := s.upstream(string(line[:]))
	// The line's bytes as a string, as a slot's recycled text is.
	name := func() string { return unsafe.String(&line[0], len(line)) }
	if got := s.upstream(name()); got != a {
		t.Fatalf("same name, other address: got %q, want %q", got.name, a.name)
	}
	copy(line, "10.0.1.12:8080")
	b := s.upstream(name())
	if b == a || b.name != "10.0.1.12:8080" {
		t.Fatalf("other bytes at the same address: got %q", b.name)
	}
	copy(line, "10.0.1.11:8080")
	if got := s.upstream(name()); got != a {
		t.Fatalf("back to the first name: got %q", got.name)
	}
	if got, want := s.upstream(""), s.upstream("-"); got != want {
		t.Fatalf(`"" counts as "-": got %q`, got.name)
	}
	if got := s.upstream(""); got.name != "-" {
		t.Fatalf(`"" from the cache: got %q`, got.name)
	}
}
