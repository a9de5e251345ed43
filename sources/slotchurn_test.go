package sources

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func init() {
	Register(Format{Name: "test-proxy-slots-stateless", Role: RoleProxy, Stateless: true,
		Detect: func(string) int { return 0 }, // forced by name only
		New:    func(ParserOptions) (Parser, error) { return panicSlotParser{testParser{RoleProxy}}, nil }})
}

// The slots a parallel read has in flight (queued chunks, batches ahead
// of the merge) all fit in the free list when the consumer releases them
// at once, so that a long read reuses the slots of its first stalls and
// makes next to no new ones. With room for 16 groups, a report of
// 10,000,000 combined lines (22 groups in flight with 2 workers) dropped
// 1,456 groups and made as many again: 77 of the 120 MB it allocated.
func TestSlotsInFlightFitTheFreeList(t *testing.T) {
	defer SetParallelWorkers(4)()
	var b strings.Builder
	const lines = 60_000
	for i := range lines {
		// About 100 bytes a line: 5 slot groups a 64 KiB chunk.
		fmt.Fprintf(&b, "T%d GET /api/v1/items/%08d?page=%d&q=%s\n", 1700000000+i/100, i, i%7, strings.Repeat("x", 40))
	}
	in := NewInput(0, Spec{Path: writeFile(t, "access.log", b.String()), Format: "test-proxy-slots-stateless"})
	// The consumer stalls now and then, so that every stage of the read
	// fills up, then takes what waits at once, as the engine does after
	// a 5xx's verdict.
	firstHalf := map[*ProxySlot]bool{}
	received, runs, newLater := 0, 0, 0
	var failed error
	errs := MergeRuns(context.Background(), []*Input{in}, func(run []Item) {
		for i := range run {
			s := run[i].slot
			if s == nil {
				failed = errors.New("a record of a slot parser read in parallel has no slot")
			}
			switch {
			case received < lines/2:
				firstHalf[s] = true
			case !firstHalf[s]:
				newLater++
				firstHalf[s] = true // count each once
			}
			received++
		}
		if runs++; runs%40 == 0 {
			time.Sleep(20 * time.Millisecond)
		}
	})
	if errs[0] != nil || failed != nil {
		t.Fatal(errs[0], failed)
	}
	if received != lines {
		t.Fatalf("%d records, want %d", received, lines)
	}
	t.Logf("%d slots in the first half, %d new in the second", len(firstHalf)-newLater, newLater)
	// A later stall may fill the stages a few groups deeper than the
	// first ones did (scheduling); a dropped group is made again at every
	// stall: as many new slots as the first half used, or more.
	if newLater > (len(firstHalf)-newLater)/4 {
		t.Errorf("the second half of the read used %d slots the first half had not (%d groups): slots released at once were dropped and made again (%d slots in the first half)",
			newLater, (newLater+slotGroup-1)/slotGroup, len(firstHalf)-newLater)
	}
}
