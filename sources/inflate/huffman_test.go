package inflate

import (
	"runtime"
	"testing"
)

// BenchmarkBuildTable builds the tables of a dynamic block of log text, as
// every dynamic block does.
func BenchmarkBuildTable(b *testing.B) {
	z := deflateWith(6, logText(1<<20, 14))
	var d decoder
	d.reset(z, 0, 0, true)
	if err := d.readHeader(); err != nil || d.state != stateHuffman {
		b.Fatal(err)
	}
	v := peek64(z, 0)
	nlit := int(v>>3&31) + 257
	ndist := int(v>>8&31) + 1
	lens := d.lens[:nlit+ndist]
	for b.Loop() {
		buildTable(d.litTab[:], lens[:nlit], litlenTableBits, litlenSymEntry[:], false)
		buildTable(d.distTab[:], lens[nlit:], distTableBits, distSymEntry[:], true)
	}
}

// TestBuildTableCPU is BenchmarkBuildTable in thread CPU time, which a
// loaded machine does not blur: go test -run BuildTableCPU -v.
func TestBuildTableCPU(t *testing.T) {
	res := testing.Benchmark(func(b *testing.B) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		b.ResetTimer()
		start := threadTime()
		BenchmarkBuildTable(b)
		b.ReportMetric(float64(threadTime()-start)/float64(b.N), "cpu-ns/op")
	})
	t.Logf("%v", res)
}
