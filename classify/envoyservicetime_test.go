package classify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Envoy's service time is "-" when the response lacked the
// x-envoy-upstream-service-time header (suppress_envoy_headers; the
// real Envoy Gateway line of testdata/formats/envoy/json.log logs null
// beside via_upstream): beside response_code_details via_upstream its
// evidence read "x-envoy-upstream-service-time (s) -: the upstream sent a
// response header", a contradiction (QA s36 L4). A logged time, and a
// "-" with no answer, keep their words.
func TestEnvoyServiceTimeDashIsSaid(t *testing.T) {
	lines := []string{
		`[2024-07-20T07:09:27.470Z] "GET /app503 HTTP/1.1" 503 - via_upstream 0 145 3 - "-" "curl/8.4.0" "44898dba-8d8e-48f4-93f7-000000000017" "localhost:8000" "10.0.0.5:8080"`,
		`[2024-07-20T07:09:28.470Z] "GET /timed HTTP/1.1" 503 - via_upstream 0 145 3 2 "-" "curl/8.4.0" "44898dba-8d8e-48f4-93f7-000000000018" "localhost:8000" "10.0.0.5:8080"`,
		`[2024-07-20T07:09:29.470Z] "GET /refused HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_failure} 0 145 3 - "-" "curl/8.4.0" "44898dba-8d8e-48f4-93f7-000000000019" "localhost:8000" "10.0.0.5:8080"`,
		`{"start_time":"2025-08-21T03:32:00.000Z","method":"GET","x-envoy-origin-path":"/json503","protocol":"HTTP/1.1","response_code":503,"response_code_details":"via_upstream","response_flags":"-","duration":43,"upstream_host":"10.244.1.23:80","x-envoy-upstream-service-time":null,"x-request-id":"9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5c"}`,
	}
	want := map[string]string{
		"/app503":  "x-envoy-upstream-service-time (s) -: no service time: the response lacked the x-envoy-upstream-service-time header",
		"/timed":   "x-envoy-upstream-service-time (s) 0.002: the upstream sent a response header",
		"/refused": "x-envoy-upstream-service-time (s) -: no response header arrived",
		"/json503": "upstream_service_time (s) -: no service time: the response lacked the x-envoy-upstream-service-time header",
	}
	dir := t.TempDir()
	var paths []string
	for i, text := range []string{strings.Join(lines[:3], "\n") + "\n", lines[3] + "\n"} {
		p := filepath.Join(dir, []string{"text.log", "json.log"}[i])
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	seen := 0
	for _, p := range paths {
		for _, v := range verdictsOfFiles(t, p) {
			w, ok := want[v.Entry.Path]
			if !ok {
				continue
			}
			seen++
			ev := strings.Join(v.Evidence, "\n")
			if !strings.Contains(ev, w) {
				t.Errorf("%s: evidence %q\nlacks %q", v.Entry.Path, v.Evidence, w)
			}
			if strings.Contains(ev, "-: the upstream sent a response header") {
				t.Errorf("%s: evidence %q says a - time is a header", v.Entry.Path, v.Evidence)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("%d verdicts, want %d", seen, len(want))
	}
}
