package classify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

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

// TestAnsweredCapturesTriedBoundedly: the requests HAProxy answered below
// 500 are looked at for the place of a captured id only until it is told
// (capturedid.go): with the id captured, the first ones tell it and no
// line after them is looked at; with only a user agent captured, which no
// app line carries as its id, answeredTries lines are, and then none.
// The lines waiting for their app line are answeredWaiting at most.
func TestAnsweredCapturesTriedBoundedly(t *testing.T) {
	const n = 2000
	for _, tc := range []struct {
		name      string
		capture   func(i int) string
		wantPlace int
		maxTries  int
	}{
		{"the id after a user agent", func(i int) string { return fmt.Sprintf("curl/7.88.1|req-%d", i) }, 2, answeredWaiting + 1},
		{"a user agent only", func(int) string { return "curl/7.88.1" }, 0, answeredTries},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var access, app strings.Builder
			start := time.Date(2026, 11, 24, 7, 20, 52, 0, time.UTC)
			for i := range n {
				at := start.Add(time.Duration(i) * 50 * time.Millisecond)
				fmt.Fprintf(&access, "127.0.0.1:%d [%s] fe_http be_app/s1 0/0/0/1/1 200 117 - - ---- 1/1/0/0/0 0/0 {%s} \"GET /ok?n=%d HTTP/1.1\"\n",
					40000+i, at.Format("02/Jan/2006:15:04:05.000"), tc.capture(i), i)
				fmt.Fprintf(&app, "{\"time\": %q, \"level\": \"INFO\", \"msg\": \"request finished\", \"status\": 200, \"request_id\": \"req-%d\", \"method\": \"GET\", \"path\": \"/ok?n=%d\"}\n",
					at.Add(2*time.Millisecond).Format("2006-01-02T15:04:05.000000Z"), i, i)
			}
			for f, text := range map[string]string{"access.log": access.String(), "app.log": app.String()} {
				if err := os.WriteFile(filepath.Join(dir, f), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var ins []*sources.Input
			for i, f := range []string{"access.log", "app.log"} {
				ins = append(ins, sources.NewInput(i, sources.Spec{Path: filepath.Join(dir, f), Opts: sources.ParserOptions{Location: time.UTC}}))
			}
			eng := NewEngine(Config{Inputs: ins, Grace: 5 * time.Second})
			most := 0
			for i, err := range sources.MergeEach(context.Background(), ins, func(it sources.Item) {
				eng.Feed(it)
				most = max(most, len(eng.corr.captured.answered))
			}) {
				if err != nil {
					t.Fatalf("%s: %v", ins[i].Spec.Path, err)
				}
			}
			eng.Flush()
			c := &eng.corr.captured
			if got := c.place[ins[0]]; got != tc.wantPlace {
				t.Errorf("place %d, want %d", got, tc.wantPlace)
			}
			if got := c.tries[ins[0]]; got > tc.maxTries || tc.wantPlace == 0 && got != answeredTries {
				t.Errorf("%d lines looked at, want %d at most (all of them without the place)", got, tc.maxTries)
			}
			if most > answeredWaiting {
				t.Errorf("%d lines waited at once, want %d at most", most, answeredWaiting)
			}
			if eng.capLearn || !isSet(eng.capSettled, ins[0].Index) {
				t.Errorf("capLearn %v, settled %v: want the access lines' path without the look", eng.capLearn, isSet(eng.capSettled, ins[0].Index))
			}
		})
	}
}
