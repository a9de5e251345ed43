package sources

import (
	"context"
	"os"
	"slices"
	"testing"
)

// Live --from-start reads a file's history (its whole lines when following
// starts) merged with the other inputs', then follows it from there: a
// line being written at the start (no newline yet) is read once, whole,
// by the follower; no line is read twice or lost, also those appended
// while the history was read.
func TestHistoryThenFollowReadsEveryLineOnce(t *testing.T) {
	p := writeFile(t, "access.log", "T1 GET /1\nT2 GET /2\nT3 GET /3")
	in := NewInput(0, proxySpec(p))
	h, ok := HistoryOf(in)
	if !ok || h.End != int64(len("T1 GET /1\nT2 GET /2\n")) {
		t.Fatalf("history %+v, %v; want it to end after the second line", h, ok)
	}
	in.ReadHistory(h)
	var history []string
	for _, err := range MergeEach(context.Background(), []*Input{in}, func(it Item) { history = append(history, it.Rec.RawLine()) }) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{"T1 GET /1", "T2 GET /2"}; !slices.Equal(history, want) {
		t.Fatalf("history read %q, want %q", history, want)
	}
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString("0\nT4 GET /4\n"); err != nil { // the third line's rest, and one more
		t.Fatal(err)
	}
	r := startRun(t, in, func(ctx context.Context, out chan<- Item) error {
		return Follow(ctx, in, out, FollowOptions{FromStart: true, History: &h}, false)
	})
	r.waitState("following")
	if _, err := f.WriteString("T5 GET /5\n"); err != nil {
		t.Fatal(err)
	}
	r.waitLines(3)
	r.stop()
	if got, want := r.lines(), []string{"T3 GET /30", "T4 GET /4", "T5 GET /5"}; !slices.Equal(got, want) {
		t.Errorf("followed %q, want %q", got, want)
	}
}

// A file replaced between its history and following (rotated) is followed
// from its start: its lines are all new, also when the new file has the
// old one's inode (deleted, then created: the file system used it again).
func TestHistoryOfAReplacedFileIsNotSkipped(t *testing.T) {
	p := writeFile(t, "access.log", "T1 GET /1\nT2 GET /2\n")
	in := NewInput(0, proxySpec(p))
	h, ok := HistoryOf(in)
	if !ok {
		t.Fatal("no history")
	}
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("T7 GET /7\nT8 GET /8\nT9 GET /9\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := startRun(t, in, func(ctx context.Context, out chan<- Item) error {
		return Follow(ctx, in, out, FollowOptions{FromStart: true, History: &h}, false)
	})
	r.waitLines(3)
	r.stop()
	if got, want := r.lines(), []string{"T7 GET /7", "T8 GET /8", "T9 GET /9"}; !slices.Equal(got, want) {
		t.Errorf("followed %q, want %q", got, want)
	}
}
