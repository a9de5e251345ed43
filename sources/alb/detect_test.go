package alb

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
		if filepath.Base(d) != "alb" {
			lines = append(lines, parsertest.Lines(t, filepath.Join(d, "*.log"))...)
		}
	}
	lines = append(lines,
		`127.0.0.1:42466 [21/Nov/2026:07:12:57.172] fe_http be_app/srv1 0/0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 {4bf92f3577b34da6a3ce929d0e0e4736} "GET /ok HTTP/1.1"`,
		// A Classic Load Balancer line: no type field.
		`2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.38.0" - -`,
	)
	if len(lines) < 10 {
		t.Fatalf("only %d foreign sample lines", len(lines))
	}
	return lines
}

func TestDetectOwnLines(t *testing.T) {
	for _, l := range ownLines(t) {
		if s := detect(l); s != 100 {
			t.Errorf("alb scored %d on %s", s, l)
		}
	}
}

func TestDetectForeignLines(t *testing.T) {
	for _, l := range foreignLines(t) {
		if s := detect(l); s != 0 {
			t.Errorf("alb scored %d on %s", s, l)
		}
	}
}
