package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A Traefik access log without what the upstream answered (the common
// layout; a JSON one without OriginStatus) was told its 5xx were a guess
// "(no error-log line, nor an app line joined by request id, tells)", and
// "the error log told who made each" of those its own log told: Traefik
// has no error log; its causes are in its own log's DEBUG lines (in the
// access log's stream or a file beside it). The advice now says so in
// Traefik's words, as Caddy's and Cloudflare's do in theirs (s34).
func TestTraefikGuessIsSaidInItsWords(t *testing.T) {
	inZone(t, "UTC")
	const (
		ok      = `111.111.133.18 - - [27/Sep/2018:18:25:09 +0000] "GET / HTTP/1.1" 200 1022 "-" "curl/8" 1 "frontend" "http://192.168.10.10:8080" 2ms` + "\n"
		own502  = `time="2018-09-27T18:25:10Z" level=debug msg="'502 Bad Gateway' caused by: dial tcp 192.168.10.10:8080: connect: connection refused"` + "\n"
		bad502  = `111.111.133.18 - - [27/Sep/2018:18:25:10 +0000] "GET /a HTTP/1.1" 502 11 "-" "curl/8" 2 "frontend" "http://192.168.10.10:8080" 2ms` + "\n"
		bad500  = `111.111.133.18 - - [27/Sep/2018:18:25:11 +0000] "GET /b HTTP/1.1" 500 21 "-" "curl/8" 3 "frontend" "http://192.168.10.10:8080" 5ms` + "\n"
		json502 = `{"ClientHost":"10.0.0.9","DownstreamContentSize":11,"DownstreamStatus":502,"Duration":1834000,"RequestMethod":"GET","RequestPath":"/api","RetryAttempts":0,"RouterName":"api@docker","ServiceName":"api@docker","ServiceURL":"http://172.18.0.5:8080","StartUTC":"2025-01-02T03:04:05.120000000Z","level":"info","msg":"","time":"2025-01-02T03:04:05Z"}` + "\n"
		missing = "the access log does not say what the upstream answered: "
		guess   = " is only a time-window guess (no line of Traefik's own DEBUG log, nor an app line joined by request id, tells)"
	)
	dir := t.TempDir()
	for _, tc := range []struct {
		name, lines, want string
	}{
		{"common, alone", ok + bad502 + bad500, missing + "whether Traefik or the app made each of its 2 5xx" + guess},
		{"common, its own DEBUG line told one", ok + own502 + bad502 + bad500, missing + "whether Traefik or the app made 1 of its 2 5xx" + guess},
		{"common, its own DEBUG line told each", ok + own502 + bad502, missing + "Traefik's own log told who made each of its 1 5xx, but the access log says neither what the upstream answered nor which one served it"},
		{"JSON without OriginStatus", json502, missing + "whether Traefik or the app made each of its 1 5xx" + guess},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".log")
			mustDo(t, os.WriteFile(path, []byte(tc.lines), 0o644))
			if got := adviceStarting(t, missing, path); got != tc.want {
				t.Errorf("advice %q,\nwant %q", got, tc.want)
			}
			advice, _ := adviceAndCauses(t, path)
			for _, a := range advice {
				if strings.Contains(a.Problem, "error-log") || strings.Contains(a.Problem, "error log") {
					t.Errorf("an error log said of Traefik's: %q", a.Problem)
				}
			}
		})
	}
}
