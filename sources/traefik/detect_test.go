package traefik

import (
	"fivexx/sources/parsertest"
	"path/filepath"
	"strings"
	"testing"
)

// foreignLines are other formats' sample lines: the nginx testdata, the
// other proxies' samples under testdata/formats, and a few written here.
func foreignLines(t *testing.T) []string {
	lines := parsertest.Lines(t, "../nginx/testdata/*.log")
	dirs, _ := filepath.Glob("../../testdata/formats/*")
	for _, d := range dirs {
		if filepath.Base(d) != "traefik" {
			lines = append(lines, parsertest.Lines(t, filepath.Join(d, "*.log"))...)
		}
	}
	lines = append(lines,
		`127.0.0.1:42466 [21/Nov/2026:07:12:57.172] fe_http be_app/srv1 0/0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 {4bf92f3577b34da6a3ce929d0e0e4736} "GET /ok HTTP/1.1"`,
		`{"level":"error","ts":1754633393.458146,"logger":"http.log.error","msg":"dial tcp 172.21.0.6:8000: connect: connection refused","request":{"remote_ip":"5.2.2.1","remote_port":"52069","client_ip":"5.2.2.1","proto":"HTTP/1.1","method":"GET","host":"1.2.3.4","uri":"/api//info","headers":{"Connection":["keep-alive"]}},"duration":0.000669913,"status":502,"err_id":"c0wkic63c","err_trace":"reverseproxy.statusError (reverseproxy.go:1269)"}`,
		`{"level":"error","ts":1704164645.1234,"caller":"api/orders.go:88","msg":"db query failed","request_id":"4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d","error":"context deadline exceeded"}`,
		// Traefik's own lines that are not about a 5xx: any logrus or
		// zerolog program writes them alike.
		`time="2024-01-02T03:03:51Z" level=info msg="Configuration loaded from flags."`,
		`{"level":"info","msg":"Configuration loaded from flags.","time":"2024-01-02T03:03:51Z"}`,
		`time="2020-07-27T10:00:00Z" level=debug msg="'404 Not Found' caused by: no router"`,
	)
	if len(lines) < 10 {
		t.Fatalf("only %d foreign sample lines", len(lines))
	}
	return lines
}

func TestDetectOwnLines(t *testing.T) {
	for _, l := range ownLines(t) {
		clf, js := detectCommon(l), detectJSON(l)
		if strings.HasPrefix(l, "{") {
			if js != 100 || clf != 0 {
				t.Errorf("JSON line scored traefik %d, traefik-json %d: %s", clf, js, l)
			}
		} else if clf != 100 || js != 0 {
			t.Errorf("text line scored traefik %d, traefik-json %d: %s", clf, js, l)
		}
	}
}

func TestDetectForeignLines(t *testing.T) {
	for _, l := range foreignLines(t) {
		if s := detectCommon(l); s != 0 {
			t.Errorf("traefik scored %d on %s", s, l)
		}
		if s := detectJSON(l); s != 0 {
			t.Errorf("traefik-json scored %d on %s", s, l)
		}
	}
}
