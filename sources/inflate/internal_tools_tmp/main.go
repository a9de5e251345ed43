// Command pinflate inflates a .gz with sources/inflate into a reused 64 KiB
// buffer, for timing against /tmp/s24/inflate.
package main

import (
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"runtime/pprof"

	"fivexx/sources/inflate"
)

func main() {
	chunk := flag.Int("chunk", 0, "chunk size")
	workers := flag.Int("workers", 0, "workers")
	ahead := flag.Int("ahead", 0, "ahead")
	flag.Parse()
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		panic(err)
	}
	st, _ := f.Stat()
	r, err := inflate.NewReader(f, st.Size(), inflate.Config{ChunkSize: *chunk, Workers: *workers, Ahead: *ahead})
	if err != nil {
		panic(err)
	}
	buf := make([]byte, 64<<10)
	var n int64
	h := crc32.NewIEEE()
	_ = h
	for {
		m, err := r.Read(buf)
		n += int64(m)
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
	}
	r.Close()
	stopProf()
	fmt.Fprintln(os.Stderr, n, inflate.Stats(r))
}

func init() {
	if p := os.Getenv("CPUPROF"); p != "" {
		f, _ := os.Create(p)
		pprof.StartCPUProfile(f)
		go func() {}()
		stopProf = pprof.StopCPUProfile
	}
}

var stopProf = func() {}
