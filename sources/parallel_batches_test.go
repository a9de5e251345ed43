package sources

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// chunkOf is n test-parser lines, the i-th timed 1700000000+i.
func chunkOf(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "T%d GET /%d\n", 1700000000+i, i)
	}
	return b.String()
}

// A worker numbers its chunk's records from the lines before the chunk
// (the cutter's count), sets their merge key, and hands them over in
// batches of batchSize: the batches the merge receives (sendChunk).
func TestParseChunkFillsBatches(t *testing.T) {
	res := parseTestChunkFrom(NewInput(0, Spec{Path: "x.log"}), nil, chunkOf(300), 100)
	var sizes []int
	for _, b := range res.batches {
		sizes = append(sizes, len(b))
	}
	if fmt.Sprint(sizes) != "[128 128 44]" {
		t.Fatalf("batches of %v records, want [128 128 44]", sizes)
	}
	for i, it := range res.items() {
		if it.LineNo != int64(101+i) {
			t.Fatalf("record %d: line %d, want %d", i, it.LineNo, 101+i)
		}
		if want := shiftedKey(it.Rec, 0).bits(); it.at != want || want == 0 {
			t.Fatalf("record %d: merge key %d, want %d", i, it.at, want)
		}
	}
}

// sendChunk passes the worker's batches on as they are when the lines
// before the chunk were as many as the cutter counted, renumbers them when
// not, and sends the records read before the parallel part first.
func TestSendChunkPassesTheWorkersBatches(t *testing.T) {
	for _, tc := range []struct {
		name   string
		before int64 // lines the decoder read before the chunk
		held   bool  // a record of the plain read waits in the decoder's batch
	}{
		{"as counted", 100, false},
		{"one line more than counted", 101, false},
		{"after a record of the plain read", 100, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := NewInput(0, Spec{Path: "x.log"})
			res := parseTestChunkFrom(in, nil, chunkOf(200), 100)
			worker := res.batches
			out := make(chan []Item, 8)
			d := newDecoder(in, nil)
			d.batches, d.lineNo = out, tc.before
			if tc.held {
				d.batch = append(newBatch(), Item{Input: in, LineNo: tc.before, Rec: &ProxyEntry{Raw: "held"}})
			}
			if err := d.sendChunk(context.Background(), &res); err != nil {
				t.Fatal(err)
			}
			close(out)
			var got [][]Item
			for b := range out {
				got = append(got, b)
			}
			if tc.held {
				if len(got) == 0 || len(got[0]) != 1 || got[0][0].Rec.RawLine() != "held" {
					t.Fatalf("first batch %v, want the held record alone", got)
				}
				got = got[1:]
			}
			if len(got) != len(worker) {
				t.Fatalf("%d batches, want the worker's %d", len(got), len(worker))
			}
			n := tc.before
			for i, b := range got {
				if &b[0] != &worker[i][0] {
					t.Errorf("batch %d is a copy, not the worker's", i)
				}
				for _, it := range b {
					if n++; it.LineNo != n {
						t.Fatalf("line %d, want %d", it.LineNo, n)
					}
				}
			}
			if n != tc.before+200 {
				t.Fatalf("%d records, want 200", n-tc.before)
			}
		})
	}
}
