package sources_test

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"fivexx/sources"
	"fivexx/sources/demo"
	_ "fivexx/sources/parsers"
)

// demoFile writes two minutes of a demo incident and returns the path of
// one of its files (access.log: nginx upstream format; app.log: JSON).
func demoFile(b *testing.B, name string) string {
	b.Helper()
	dir := b.TempDir()
	sc, _ := demo.Lookup("oom-kill")
	if _, err := demo.WriteFiles(dir, sc, 1, time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), 2*time.Minute); err != nil {
		b.Fatal(err)
	}
	return filepath.Join(dir, name)
}

// BenchmarkReadBatches measures one input read to its end: block reads,
// line splitting, the parser and the batches (what each reader goroutine
// of a report does).
func BenchmarkReadBatches(b *testing.B) {
	for _, name := range []string{"access.log", "app.log", "access.log.gz"} {
		b.Run(name, func(b *testing.B) {
			path := demoFile(b, strings.TrimSuffix(name, ".gz"))
			if strings.HasSuffix(name, ".gz") {
				path = gzipFile(b, path)
			}
			st, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			var lines int64
			b.SetBytes(st.Size())
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				in := sources.NewInput(0, sources.Spec{Path: path})
				out := make(chan []sources.Item, 4)
				done := make(chan error, 1)
				go func() { done <- sources.ReadBatches(context.Background(), in, out); close(out) }()
				for range out {
				}
				if err := <-done; err != nil {
					b.Fatal(err)
				}
				c := in.Counters()
				if c.Unparsed != 0 {
					b.Fatalf("%d unparsed lines", c.Unparsed)
				}
				lines += c.Lines
			}
			b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}

// gzipFile writes a gzip copy of path next to it and returns its path.
func gzipFile(b *testing.B, path string) string {
	b.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Create(path + ".gz")
	if err != nil {
		b.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	if _, err := zw.Write(data); err != nil {
		b.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return f.Name()
}

// BenchmarkGunzip is decompression alone, the floor for reading a .gz input:
// compare its ns/op with BenchmarkReadBatches/access.log.gz.
func BenchmarkGunzip(b *testing.B) {
	path := gzipFile(b, demoFile(b, "access.log"))
	for i := 0; i < b.N; i++ {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		zr, err := gzip.NewReader(bufio.NewReaderSize(f, 64<<10))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, zr); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

// BenchmarkDetachReusing is the copy a report's engine makes of each 5xx
// it keeps (classify's keep5xx): an nginx line of two upstream attempts,
// its 14 strings and 10 list elements in Raw.
func BenchmarkDetachReusing(b *testing.B) {
	raw := `10.0.0.1 - - [02/Jan/2026:03:00:00 +0000] "GET /api/v1/items?q=1 HTTP/1.1" 502 157 "-" "curl/8.1" rt=0.010 ua="10.0.0.9:8080, 10.0.0.10:8080" us="502, 502" uct="0.001, 0.002" uht="-, -" urt="0.003, 0.004" rid=abcdef0123456789`
	at := func(s string) string { i := strings.Index(raw, s); return raw[i : i+len(s)] }
	e := &sources.ProxyEntry{Raw: raw, Client: at("10.0.0.1"), Method: at("GET"), Path: at("/api/v1/items?q=1"), Proto: at("HTTP/1.1"),
		UserAgent: at("curl/8.1"), RequestID: at("abcdef0123456789"), UpstreamStatusRaw: at("502, 502"), Upstream: "10.0.0.10:8080",
		UpstreamAddr: []string{at("10.0.0.9:8080"), at("10.0.0.10:8080")}, UpstreamStatus: []string{at("502"), at("502")},
		UpstreamConnect: []string{at("0.001"), at("0.002")}, UpstreamHeader: []string{"-", "-"}, UpstreamResponse: []string{at("0.003"), at("0.004")}}
	c := new(sources.ProxyEntry)
	room := make([]string, 12)
	var text []byte
	for range b.N {
		_, text = e.DetachReusing(c, room, text)
	}
}
