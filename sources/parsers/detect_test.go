package parsers

import (
	"bufio"
	"compress/gzip"
	"io"
	"os"
	"strings"
	"testing"

	"fivexx/sources"
)

// samples maps a sample file of every format (real output where the lab or
// the program's docs gave one) to the format it must be detected as.
var samples = []struct{ file, format string }{
	{"../nginx/testdata/combined.log", "nginx-combined"},
	{"../nginx/testdata/main.log", "nginx-combined"},
	{"../nginx/testdata/upstream.log", "nginx-upstream"},
	{"../nginx/testdata/json.log", "nginx-json"},
	{"../nginx/testdata/ingress.log", "ingress-nginx"},
	{"../nginx/testdata/error.log", "nginx-error"},
	{"../../testdata/formats/ingress-nginx/access.log", "ingress-nginx"},
	{"../haproxy/testdata/raw.log", "haproxy"},
	{"../haproxy/testdata/rfc3164.log", "haproxy"},
	{"../haproxy/testdata/rfc5424.log", "haproxy"},
	{"../caddy/testdata/access.log", "caddy"},
	{"../caddy/testdata/default.log", "caddy"},
	{"../../testdata/formats/envoy/access.log", "envoy"},
	{"../../testdata/formats/envoy/json.log", "envoy-json"},
	{"../../testdata/formats/alb/access.log", "alb"},
	{"../../testdata/formats/alb/123456789012_elasticloadbalancing_us-east-1_app.web.50dc6c495c0c9188_20240102T0310Z_203.0.113.5_2fsq9rl7.log.gz", "alb"},
	{"../../testdata/formats/traefik/common.log", "traefik"},
	{"../../testdata/formats/traefik/json.log", "traefik-json"},
	{"../../testdata/formats/cloudflare/http_requests.log", "cloudflare"},
	{"../applog/testdata/json.log", "app-json"},
	{"../applog/testdata/logfmt.log", "app-logfmt"},
	{"../applog/testdata/text.log", "app-text"},
	{"../../testdata/recordings/nginx-upstream/access.log", "nginx-upstream"},
	{"../../testdata/recordings/nginx-combined/access.log", "nginx-combined"},
	{"../../testdata/recordings/nginx-json/access.log", "nginx-json"},
	{"../../testdata/recordings/nginx-upstream/error.log", "nginx-error"},
	{"../../testdata/recordings/nginx-upstream/app.log", "app-json"},
	{"../../testdata/recordings/nginx-combined/app.log", "app-text"},
	{"../../testdata/recordings/haproxy/access.log", "haproxy"},
	{"../../testdata/recordings/haproxy-syslog/access.log", "haproxy"},
	{"../../testdata/recordings/caddy/access.log", "caddy"},
}

func head(t *testing.T, path string, n int) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var lines []string
	for sc.Scan() && len(lines) < n {
		if strings.TrimSpace(sc.Text()) != "" && !strings.HasPrefix(sc.Text(), "#") {
			lines = append(lines, sc.Text())
		}
	}
	return lines
}

// TestEveryFormatDetectedAsItself reads the first lines of a sample of
// every format and checks detection picks that format, with no tie.
func TestEveryFormatDetectedAsItself(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range samples {
		t.Run(s.file, func(t *testing.T) {
			det, err := sources.Detect(head(t, s.file, 12), sources.RoleUnknown)
			if err != nil {
				t.Fatal(err)
			}
			if det.Format.Name != s.format {
				t.Fatalf("detected %s (%d%%), want %s", det.Format.Name, det.Score, s.format)
			}
			if len(det.Tied) > 0 {
				t.Fatalf("%s tied with %v", s.format, det.Tied)
			}
		})
		seen[s.format] = true
	}
	for _, f := range sources.Formats() {
		if f.Detect != nil && !seen[f.Name] && f.Name != "nginx" {
			t.Errorf("format %s has no detection sample here", f.Name)
		}
	}
}
