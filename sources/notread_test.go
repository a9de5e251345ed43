package sources

import (
	"context"
	"testing"
	"time"
)

// TestNotReadInputIsNotRead: an input whose Spec says it is not read
// (fivexx's own --events output beside the logs, QA s32 F1) sends no
// record from any reader, counts no line, has no history to read first,
// and keeps the state that says why from the start.
func TestNotReadInputIsNotRead(t *testing.T) {
	p := writeFile(t, "events.ndjson", "T1 GET /1\nT2 GET /2\n")
	const why = "not read: fivexx's own --events output, not a log"
	spec := proxySpec(p)
	spec.NotRead = why
	check := func(name string, in *Input, out chan Item) {
		t.Helper()
		if len(out) != 0 || in.Counters().Lines != 0 || in.State() != why {
			t.Errorf("%s: %d records, %d lines, state %q; want none, and %q", name, len(out), in.Counters().Lines, in.State(), why)
		}
	}

	in := NewInput(0, spec)
	out := make(chan Item, 16)
	if err := ReadToEnd(context.Background(), in, out); err != nil {
		t.Fatal(err)
	}
	check("ReadToEnd", in, out)

	in, out = NewInput(0, spec), make(chan Item, 16)
	if _, ok := HistoryOf(in); ok {
		t.Error("HistoryOf: a history to read")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := Follow(ctx, in, out, FollowOptions{FromStart: true}, false); err != nil {
		t.Fatal(err)
	}
	if ctx.Err() != nil {
		t.Error("Follow followed it until stopped")
	}
	check("Follow", in, out)
}
