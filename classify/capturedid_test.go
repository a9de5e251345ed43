package classify

import (
	"strconv"
	"testing"

	"fivexx/sources"
)

// valueMemory holds the last guessMemory values and no more: a value is
// a repeat while it is among them, forgotten once guessMemory others
// came after it (the bound README states).
func TestValueMemoryIsBounded(t *testing.T) {
	var m valueMemory
	h := func(i int) uint64 { return sources.IDHash("v" + strconv.Itoa(i)) }
	for i := range guessMemory {
		if m.repeats(h(i)) {
			t.Fatalf("value %d: a repeat the first time", i)
		}
	}
	if !m.repeats(h(0)) || !m.repeats(h(guessMemory-1)) {
		t.Errorf("a value among the last %d is not a repeat", guessMemory)
	}
	if m.repeats(h(guessMemory)) {
		t.Fatalf("value %d: a repeat the first time", guessMemory)
	}
	if m.repeats(h(0)) {
		t.Errorf("the oldest value is still held after %d others", guessMemory)
	}
	if len(m.ring) != guessMemory || len(m.set) != guessMemory {
		t.Errorf("holds %d hashes (%d in the set), want %d", len(m.ring), len(m.set), guessMemory)
	}
}

// idShaped refuses numbers: a counter cannot be told from bytes or a time.
func TestIDShapedRefusesNumbers(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want bool
	}{
		{"471", false}, {"0.0024142", false}, {"10:30:01", false}, {"1-2-3", false},
		{"qa4-hap2-4", true}, {"sess_000ab", true}, {"01J9Z3K8M2", true}, {"tenant", false},
	} {
		if got := idShaped(tc.v); got != tc.want {
			t.Errorf("idShaped(%q) = %v, want %v", tc.v, got, tc.want)
		}
	}
}
