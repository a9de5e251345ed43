package classify_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fivexx/classify"
)

// burstLogs writes the QA repro's burst (qa-live repro/burst): n refused
// 502s of one client, method and path in one second, each with the nginx
// error line of its connection, in the nginx-upstream format with
// $connection as cid= (conn) or without it. With mixed, every second
// request is a 504 whose line says nginx timed out reading the response
// header (the two causes of a pool half down, half hung). It returns the
// two paths.
func burstLogs(tb testing.TB, n int, conn, mixed bool) []string {
	tb.Helper()
	var acc, errs strings.Builder
	for i := 1; i <= n; i++ {
		cid := ""
		if conn {
			cid = fmt.Sprintf(" cid=%d", i)
		}
		if mixed && i%2 == 0 {
			fmt.Fprintf(&acc, `127.0.0.1 - - [22/Nov/2026:07:08:54 +0000] "GET /burst HTTP/1.1" 504 1 "-" "curl/7" rt=1.002 uct="0.000" uht="-" urt="1.001" ua="10.9.9.9:9000" us="504" rid=%032x%s`+"\n", i, cid)
			fmt.Fprintf(&errs, `2026/11/22 07:08:54 [error] 1#1: *%d upstream timed out (110: Connection timed out) while reading response header from upstream, client: 127.0.0.1, server: , request: "GET /burst HTTP/1.1", upstream: "http://10.9.9.9:9000/burst", host: "h"`+"\n", i)
			continue
		}
		fmt.Fprintf(&acc, `127.0.0.1 - - [22/Nov/2026:07:08:54 +0000] "GET /burst HTTP/1.1" 502 1 "-" "curl/7" rt=0.002 uct="0.000" uht="-" urt="0.001" ua="10.9.9.9:9000" us="502" rid=%032x%s`+"\n", i, cid)
		fmt.Fprintf(&errs, `2026/11/22 07:08:54 [error] 1#1: *%d connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: , request: "GET /burst HTTP/1.1", upstream: "http://10.9.9.9:9000/burst", host: "h"`+"\n", i)
	}
	dir := tb.TempDir()
	paths := []string{filepath.Join(dir, "access.log"), filepath.Join(dir, "error.log")}
	for i, s := range []string{acc.String(), errs.String()} {
		if err := os.WriteFile(paths[i], []byte(s), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return paths
}

// BenchmarkBurstOneClient measures the error-log join of a burst of 5xx of
// one client on one path (classify/errindex.go): lines/s should not fall
// as the burst grows (it fell 25-fold from 2.5k to 20k 502s when each
// entry scanned every error line of its client, method and path). The
// mixed cases, half refused and half timed out, without $connection:
// every 5xx looks for lines saying something else at its distance.
func BenchmarkBurstOneClient(b *testing.B) {
	for _, tc := range []struct {
		name        string
		conn, mixed bool
	}{{"conn", true, false}, {"noconn", false, false}, {"mixed", false, true}} {
		for _, n := range []int{2500, 5000, 10000, 20000} {
			conn, mixed := tc.conn, tc.mixed
			b.Run(fmt.Sprintf("%s/%d", tc.name, n), func(b *testing.B) {
				ins, items := parsedFiles(b, burstLogs(b, n, conn, mixed))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					var refused int
					eng := classify.NewEngine(classify.Config{Inputs: ins, Grace: 5 * time.Second,
						OnVerdict: func(v *classify.Verdict) {
							if v.Cause == classify.UpstreamRefused || mixed && v.Cause == classify.UpstreamTimeout {
								refused++
							}
						}})
					for k, it := range items {
						eng.Add(it.Input, it.Rec)
						if k%256 == 255 {
							eng.Advance()
						}
					}
					eng.Flush()
					if refused != n {
						b.Fatalf("%d of %d refused (or timed out)", refused, n)
					}
				}
				b.ReportMetric(float64(len(items))*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
			})
		}
	}
}
