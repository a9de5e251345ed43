package classify

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

// pathLines are n app lines of one path, 10 ms apart in time order, two
// of them (k and k+1) at the same time.
func pathLines(n, k int) []*sources.AppEntry {
	s := make([]*sources.AppEntry, n)
	for i := range s {
		at := i
		if i == k+1 {
			at = k
		}
		s[i] = &sources.AppEntry{Time: t0.Add(time.Duration(at) * 10 * time.Millisecond), Path: "/ok", Raw: fmt.Sprint(i)}
	}
	return s
}

func raws(s []*sources.AppEntry) []string {
	out := make([]string, len(s))
	for i, a := range s {
		out[i] = a.Raw
	}
	return out
}

// Removing a line from a path's list (eviction, release) keeps the rest in
// time order and leaves no pointer behind in the list's array, where it
// kept an evicted line's record and text alive: the old copy over the
// removed line left the last pointer twice.
func TestRemoveAppKeepsOrderAndLeavesNothingBehind(t *testing.T) {
	for _, tc := range []struct {
		name string
		n, i int // remove line i of n
	}{
		{"head", 8, 0}, {"near the head", 8, 2}, {"middle", 8, 4}, {"near the end", 8, 6},
		{"end", 8, 7}, {"first of two at one time", 8, 3}, {"second of two at one time", 8, 4}, {"only", 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := pathLines(tc.n, 3)
			arr := append([]*sources.AppEntry(nil), lines...)
			m := map[string][]*sources.AppEntry{"/ok": arr}
			gone := removeApp(m, "/ok", lines[tc.i])
			want := []string{}
			for j, a := range lines {
				if j != tc.i {
					want = append(want, a.Raw)
				}
			}
			got := m["/ok"]
			if diff := cmp.Diff(want, raws(got)); diff != "" || gone != (tc.n == 1) {
				t.Errorf("after removing line %d: emptied %v, lines (-want +got):\n%s", tc.i, gone, diff)
			}
			if _, ok := m["/ok"]; ok == (tc.n == 1) {
				t.Errorf("key kept %v with %d lines left", ok, len(got))
			}
			kept := map[*sources.AppEntry]bool{}
			for _, a := range got {
				kept[a] = true
			}
			for j, a := range arr {
				if a != nil && !kept[a] {
					t.Errorf("slot %d of the array still holds line %s, which the list no longer has", j, a.Raw)
				}
			}
			if removeApp(m, "/ok", lines[tc.i]) {
				t.Errorf("removing line %d again emptied the list", tc.i)
			}
			if n := len(m["/ok"]); n != len(got) {
				t.Errorf("removing line %d again left %d lines, want %d", tc.i, n, len(got))
			}
		})
	}
}

// removeFrom (the id and waiting lists) finds what it drops by scanning,
// with the same order and clearing.
func TestRemoveFromKeepsOrderAndLeavesNothingBehind(t *testing.T) {
	for i := range 5 {
		arr := []int{1, 2, 3, 4, 5}
		m := map[string][]int{"k": arr}
		removeFrom(m, "k", i+1)
		var want []int
		for j := range 5 {
			if j != i {
				want = append(want, j+1)
			}
		}
		if diff := cmp.Diff(want, m["k"]); diff != "" {
			t.Errorf("removing %d (-want +got):\n%s", i+1, diff)
		}
		if n := len(arr) - len(m["k"]) - countZero(arr); n != 0 {
			t.Errorf("removing %d left %d slots of the array holding a value the list no longer has: %v", i+1, n, arr)
		}
	}
}

func countZero(s []int) int {
	n := 0
	for _, x := range s {
		if x == 0 {
			n++
		}
	}
	return n
}

// BenchmarkEvictNearTheHead evicts a path's lines (10,000 held) in the
// order they came, which two app logs make a little different from time
// order: each is a few places from the list's head.
func BenchmarkEvictNearTheHead(b *testing.B) {
	const held = 10000
	lines := pathLines(held+b.N+8, -2)
	m := map[string][]*sources.AppEntry{}
	for _, a := range lines[:held] {
		m["/ok"] = addByTime(m["/ok"], a)
	}
	b.ResetTimer()
	for i := range b.N {
		// Came in pairs swapped: 1, 0, 3, 2, ...
		removeApp(m, "/ok", lines[i^1])
		m["/ok"] = addByTime(m["/ok"], lines[held+i])
	}
}
