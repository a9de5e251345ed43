package classify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAdviceFitsIngressAndLogpush: the advice names what each format
// lacks, in its own words.
//   - ingress-nginx's default format logs $upstream_addr and
//     $upstream_status (formats.md §1.4): "the access log has no
//     $upstream_status/$upstream_addr/$upstream_header_time" and plain
//     nginx's log_format were advised beside its high verdicts; its
//     error lines are in the controller's stream, where the advice named
//     /var/log/nginx/error.log (QA s31 F3).
//   - A Logpush file without OriginResponseStatus and OriginIP is advised
//     those fields, also with a 52x among its lines, whose flags had
//     hidden the advice (QA s31 F5).
func TestAdviceFitsIngressAndLogpush(t *testing.T) {
	// formats.md §1.4's examples, the 503 with a request id of its own.
	ingressAccess := []string{
		`108.162.227.25 - - [08/Mar/2023:16:02:45 +0000] "GET / HTTP/1.1" 504 562 "-" "Mozilla/5.0 (X11; Linux x86_64)" 1100 14.998 [pc-dev-example-web-service-80] [] 192.168.215.1:80, 192.168.215.1:80, 192.168.215.1:80 0, 0, 0 5.000, 5.000, 5.000 504, 504, 504 a7c98d98ac870f64981a997cd2f373a1`,
		`10.0.0.9 - - [08/Mar/2023:16:02:46 +0000] "GET / HTTP/1.1" 503 190 "-" "curl/8.4.0" 76 0.000 [default-web-80] [] - - - - 2f1c0e5d47f23e3a117181ff94479bc6`,
		`10.0.0.9 - - [08/Mar/2023:16:02:47 +0000] "GET /ok HTTP/1.1" 200 612 "-" "curl/8.4.0" 76 0.004 [default-web-80] [] 10.244.2.36:8080 612 0.004 200 cc30e5d47f23e3a117181ff94479bc6f`,
	}
	ingressError := `2023/03/08 16:02:45 [error] 31#31: *813 upstream timed out (110: Operation timed out) while connecting to upstream, client: 108.162.227.25, server: _, request: "GET / HTTP/1.1", upstream: "http://192.168.215.1:80/", host: "pc.example.com"`
	// formats.md §8's example lines without the origin's fields, as a
	// Logpush job that was not given them writes them.
	logpush := []string{
		`{"RayID":"84a1b2c3d4e5f607","EdgeStartTimestamp":1704164645123000000,"EdgeEndTimestamp":1704164664201000000,"ClientIP":"198.51.100.7","ClientRequestHost":"www.example.com","ClientRequestMethod":"GET","ClientRequestURI":"/api/orders?id=1","EdgeResponseStatus":502,"EdgeColoCode":"FRA","CacheCacheStatus":"unknown"}`,
		`{"RayID":"84a1b2c3d4e5f608","EdgeStartTimestamp":1704164646123000000,"EdgeEndTimestamp":1704164646135000000,"ClientIP":"198.51.100.7","ClientRequestHost":"www.example.com","ClientRequestMethod":"GET","ClientRequestURI":"/","EdgeResponseStatus":503,"EdgeColoCode":"FRA"}`,
	}
	logpush521 := `{"RayID":"84a1b2c3d4e5f609","EdgeStartTimestamp":1704164647123000000,"EdgeEndTimestamp":1704164647128000000,"ClientIP":"198.51.100.7","ClientRequestHost":"www.example.com","ClientRequestMethod":"GET","ClientRequestURI":"/c","EdgeResponseStatus":521,"EdgeColoCode":"FRA"}`
	// OriginResponseStatus tells who made the 5xx without OriginIP.
	originStatusOnly := []string{
		`{"RayID":"84a1b2c3d4e5f608","EdgeStartTimestamp":"2024-01-02T03:04:06Z","EdgeResponseStatus":503,"OriginResponseStatus":503,"OriginResponseDurationMs":12,"ClientRequestURI":"/"}`,
		`{"RayID":"84a1b2c3d4e5f609","EdgeStartTimestamp":"2024-01-02T03:04:07Z","EdgeResponseStatus":521,"OriginResponseStatus":0,"ClientRequestURI":"/c"}`,
	}
	const (
		noUpstreamFields = "the access log has no $upstream_status/$upstream_addr/$upstream_header_time"
		nginxErrorLog    = "/var/log/nginx/error.log"
		controllerLog    = "read the controller's log whole"
		logpushFields    = "add OriginResponseStatus, OriginIP, OriginResponseHeaderReceiveDurationMs and EdgeEndTimestamp to the Logpush job's fields"
	)
	for _, tc := range []struct {
		name  string
		lines []string
		want  []string // in the advice
		not   []string // nowhere in it
	}{
		{"ingress access and error lines", append(ingressAccess[:1:1], append([]string{ingressError}, ingressAccess[1:]...)...), nil, []string{noUpstreamFields, "log_format", nginxErrorLog, controllerLog}},
		{"ingress access lines alone", ingressAccess, []string{controllerLog}, []string{noUpstreamFields, "log_format", nginxErrorLog}},
		{"logpush without origin fields", logpush, []string{logpushFields}, []string{"log_format"}},
		{"logpush without origin fields, a 521 among them", append(logpush, logpush521), []string{logpushFields}, []string{"log_format"}},
		{"logpush with OriginResponseStatus, without OriginIP", originStatusOnly, nil, []string{logpushFields, "log_format"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "proxy.log"), []byte(strings.Join(tc.lines, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			var all []string
			for _, a := range reportAdvice(t, dir, "proxy.log") {
				all = append(all, a.Problem, "fix: "+a.Fix)
			}
			text := strings.Join(all, "\n")
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("no %q in the advice:\n%s", w, text)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(text, n) {
					t.Errorf("%q in the advice:\n%s", n, text)
				}
			}
		})
	}
}
