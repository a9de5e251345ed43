package inflate

import (
	"compress/flate"
	"testing"
)

type blockStart struct {
	bit   int64
	btype int
	final bool
}

// blockStarts decodes z block by block and returns where each block starts.
func blockStarts(t testing.TB, z []byte) []blockStart {
	var d decoder
	d.reset(z, 0, 0, true)
	out := make([]byte, 64<<20)
	o := 0
	var starts []blockStart
	for {
		b := d.bitPos()
		if d.state == stateDone {
			return starts
		}
		v := peek64(z, b)
		starts = append(starts, blockStart{b, int(v>>1) & 3, v&1 == 1})
		var st status
		var err error
		o, st, err = decode(&d, out, o, b+1)
		if err != nil || st == needInput || st == needOutput {
			t.Fatalf("decode: %v %d", err, st)
		}
	}
}

// findBlock finds every non-final dynamic block, and no false start before
// it in these streams.
func TestFindBlockFindsEveryDynamicBlock(t *testing.T) {
	for _, level := range []int{1, 6, 9, flate.HuffmanOnly} {
		z := deflateWith(level, logText(2<<20, 5))
		starts := blockStarts(t, z)
		dyn := 0
		prev := int64(0)
		for _, s := range starts {
			if s.btype != 2 || s.final {
				continue
			}
			dyn++
			if got := findBlock(z, prev, int64(len(z))*8); got != s.bit {
				t.Errorf("level %d: from %d found %d, want the block at %d", level, prev, got, s.bit)
			}
			prev = s.bit + 1
		}
		if dyn < 5 {
			t.Errorf("level %d: %d dynamic blocks, want several", level, dyn)
		}
		t.Logf("level %d: %d bytes, %d blocks, %d dynamic", level, len(z), len(starts), dyn)
	}
}

// BenchmarkFindBlock scans compressed log data between block starts.
func BenchmarkFindBlock(b *testing.B) {
	z := deflateWith(6, logText(4<<20, 6))
	b.SetBytes(int64(len(z)))
	for b.Loop() {
		n := 0
		for bit := int64(0); ; n++ {
			bit = findBlock(z, bit+1, int64(len(z))*8)
			if bit < 0 {
				break
			}
		}
		if n < 10 {
			b.Fatal(n)
		}
	}
}
