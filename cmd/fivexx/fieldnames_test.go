package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvidenceNamesEachFormatsOwnFields checks, for every proxy access
// format fivexx reads, on real recordings where there are some
// (testdata/recordings) and on formats.md's lines (testdata/formats),
// that the evidence quotes the format's own field names and none of
// nginx's: an Envoy 5xx said "upstream_addr …, upstream_status -,
// upstream_header_time …" and "proxy flags UF", where Envoy logs
// upstream_host, x-envoy-upstream-service-time and response_flags and no
// upstream status at all.
func TestEvidenceNamesEachFormatsOwnFields(t *testing.T) {
	nginxNames := []string{"upstream_addr ", "upstream_status ", "upstream_header_time ", "proxy flags "}
	caddy := filepath.Join(t.TempDir(), "caddy-upstream.log")
	// A line of the Caddy recording with `log_append upstream
	// {http.reverse_proxy.upstream.hostport}`, as the README advises.
	line := `{"level":"error","ts":1795246800.786487,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"37390","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:35077","uri":"/ok?n=59","headers":{"User-Agent":["fivexx-lab/1"],"X-Request-Id":["7ec2bbbcd1142f42be81233a44a95384"],"Accept-Encoding":["gzip"]}},"user_id":"","duration":0.501033278,"size":0,"status":502,"resp_headers":{"Server":["Caddy"]},"upstream":"127.0.0.1:35099"}` + "\n"
	if err := os.WriteFile(caddy, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	// QA s23 F7: the ALB reset 502 of the QA's repro (formats.md §5.1
	// layout, 0.000 0.052 -1): its target_processing_time was quoted
	// as "-"; and Cloudflare's 52x as "proxy flags 520".
	alb := filepath.Join(t.TempDir(), "alb-reset.log")
	line = `http 2024-01-02T03:04:02.123456Z app/web/50dc6c495c0c9188 203.0.113.9:51002 10.0.1.20:8080 0.000 0.052 -1 502 - 212 278 "GET http://api.example.com:80/reset HTTP/1.1" "curl/8.4.0" - - arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-65937a41-0123456789abcdef01234503" "-" "-" 0 2024-01-02T03:04:02.070000Z "forward" "-" "-" "10.0.1.20:8080" "-" "-" "-" TID_0123456789abcdef0123456789abcd03` + "\n"
	if err := os.WriteFile(alb, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		files []string
		own   []string // each is in some evidence line
		none  []string // none is in any
	}{
		{"envoy", []string{"../../testdata/formats/envoy/access.log", "../../testdata/formats/envoy/built.log"},
			[]string{"upstream_host ", "x-envoy-upstream-service-time (s) ", "response_flags UF", "response_code_details ", "upstream_transport_failure_reason "}, nginxNames},
		{"envoy-json", []string{"../../testdata/formats/envoy/json.log"},
			[]string{"upstream_host ", "upstream_service_time (s) ", "response_flags UH"}, nginxNames},
		{"traefik-json", []string{"../../testdata/formats/traefik/json.log"},
			[]string{"ServiceAddr ", "OriginStatus 50"}, nginxNames},
		{"traefik", []string{"../../testdata/formats/traefik/common.log"},
			[]string{"ServiceURL "}, nginxNames},
		{"haproxy", []string{"../../testdata/recordings/haproxy/access.log"},
			[]string{"termination_state sH--", "termination_state PH--"}, nginxNames},
		{"caddy", []string{caddy},
			[]string{"upstream 127.0.0.1:35099"}, nginxNames},
		{"alb", []string{"../../testdata/formats/alb/access.log"},
			[]string{"target ", "target_status_code ", "target_processing_time ", "error_reason Lambda"}, nginxNames},
		{"alb-reset", []string{alb},
			[]string{"target 10.0.1.20:8080, target_status_code -, target_processing_time 0.052: no response header arrived"}, nginxNames},
		{"cloudflare", []string{"../../testdata/formats/cloudflare/http_requests.log"},
			[]string{"OriginIP ", "OriginResponseStatus ", "EdgeResponseStatus 520: ", "EdgeResponseStatus 521: "}, nginxNames},
		// nginx keeps its own names.
		{"nginx", []string{"../../testdata/recordings/nginx-upstream/access.log"},
			[]string{"upstream_addr ", "upstream_status ", "upstream_header_time "}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inZone(t, "UTC")
			evs, _ := reportEvents(t, tt.files...)
			if len(evs) == 0 {
				t.Fatal("no 5xx")
			}
			var all []string
			for _, ev := range evs {
				all = append(all, ev.Evidence...)
			}
			for _, own := range tt.own {
				if !anyContains(all, own) {
					t.Errorf("no evidence line names %q", own)
				}
			}
			for _, l := range all {
				for _, n := range tt.none {
					if strings.Contains(l, n) {
						t.Errorf("evidence names nginx's %q: %q", n, l)
					}
				}
			}
		})
	}
}

func anyContains(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}
