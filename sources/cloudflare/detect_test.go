package cloudflare

import (
	"fivexx/sources/parsertest"
	"path/filepath"
	"testing"
)

// foreignLines are other formats' sample lines: the nginx testdata and the
// other proxies' samples under testdata/formats.
func foreignLines(t *testing.T) []string {
	lines := parsertest.Lines(t, "../nginx/testdata/*.log")
	dirs, _ := filepath.Glob("../../testdata/formats/*")
	for _, d := range dirs {
		if filepath.Base(d) != "cloudflare" {
			lines = append(lines, parsertest.Lines(t, filepath.Join(d, "*.log"))...)
		}
	}
	lines = append(lines,
		`127.0.0.1:42466 [21/Nov/2026:07:12:57.172] fe_http be_app/srv1 0/0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 {4bf92f3577b34da6a3ce929d0e0e4736} "GET /ok HTTP/1.1"`,
		`{"level":"error","ts":1704164645.1234,"caller":"api/orders.go:88","msg":"db query failed","request_id":"4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d","error":"context deadline exceeded"}`,
		// Logpull with only three fields: nothing says it is a request log.
		`{"ClientIP":"192.0.2.1","RayID":"41ddf1740f67442d","EdgeStartTimestamp":1526810289280000000}`,
	)
	if len(lines) < 10 {
		t.Fatalf("only %d foreign sample lines", len(lines))
	}
	return lines
}

func TestDetectOwnLines(t *testing.T) {
	for _, l := range ownLines(t) {
		if s := detect(l); s != 100 {
			t.Errorf("cloudflare scored %d on %s", s, l)
		}
	}
}

func TestDetectForeignLines(t *testing.T) {
	for _, l := range foreignLines(t) {
		if s := detect(l); s != 0 {
			t.Errorf("cloudflare scored %d on %s", s, l)
		}
	}
}
