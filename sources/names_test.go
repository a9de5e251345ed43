package sources

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

// intern gives a copy equal to the name and outside its line, the same
// copy for every line that names the same upstream, and stays right when
// more names come than it has slots.
func TestNameCacheInterns(t *testing.T) {
	var c nameCache
	line := []byte(`ua="10.0.1.12:8080" us="200"`)
	name := unsafe.String(&line[4], len("10.0.1.12:8080"))
	first := c.intern(name)
	if first != name || unsafe.StringData(first) == unsafe.StringData(name) {
		t.Fatalf("intern(%q) = %q, at the line's own bytes: %v", name, first, unsafe.StringData(first) == unsafe.StringData(name))
	}
	copy(line[4:], "99.99.99.99:99") // the line's memory is reused
	if first != "10.0.1.12:8080" {
		t.Fatalf("the copy changed with the line: %q", first)
	}
	if again := c.intern(strings.Clone("10.0.1.12:8080")); unsafe.StringData(again) != unsafe.StringData(first) {
		t.Error("the same name got a second copy")
	}
	// Ten upstreams, as in a pool, each keep one copy.
	copies := map[string]*byte{}
	for round := 0; round < 3; round++ {
		for i := 0; i < 10; i++ {
			n := c.intern(fmt.Sprintf("10.0.2.%d:8080", i))
			if p, ok := copies[n]; ok && p != unsafe.StringData(n) {
				t.Fatalf("%s got a new copy in round %d", n, round)
			}
			copies[n] = unsafe.StringData(n)
		}
	}
	// More names than slots: each still gets a copy equal to it (older
	// ones are let go: the cache's array is all it keeps).
	for i := 0; i < 10*nameSlots; i++ {
		n := fmt.Sprintf("host-%d:80", i)
		if got := c.intern(n); got != n {
			t.Fatalf("intern(%q) = %q", n, got)
		}
	}
	long := strings.Repeat("x", maxCachedName+1)
	if got := c.intern(long); unsafe.StringData(got) != unsafe.StringData(long) {
		t.Error("a name over maxCachedName was copied")
	}
	if c.intern("") != "" {
		t.Error(`intern("") is not ""`)
	}
}

// A name of up to 16 bytes is found by its words and length, not compared
// as a string: every byte must be in the words. Names that differ in one
// byte only, anywhere, at every length, each get a copy equal to itself.
func TestNameCacheShortNamesDifferInEveryByte(t *testing.T) {
	for n := 1; n <= maxWordName+2; n++ {
		var c nameCache
		base := strings.Repeat("a", n)
		c.intern(base)
		for i := 0; i < n; i++ {
			b := []byte(base)
			b[i] = 'b'
			if got := c.intern(string(b)); got != string(b) {
				t.Fatalf("length %d, byte %d: intern(%q) = %q", n, i, b, got)
			}
			if got := c.intern(base); got != base {
				t.Fatalf("length %d, after byte %d: intern(%q) = %q", n, i, base, got)
			}
		}
	}
}
