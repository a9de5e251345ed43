package classify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Traefik's own 502 in its JSON access log (OriginStatus 502, its
// 11-byte "Bad Gateway") is unknown: only Traefik's own log, at DEBUG,
// says why. Nothing asked for it: the hint said "not enough evidence:
// add the app log" and the advice asked for the DEBUG log of the common
// layout only, whose hint asked for the "ServiceURL" it logs already
// (QA s34 M2). With the DEBUG line read, the 502 is told and neither asks.
func TestTraefikOwn5xxAsksForItsDebugLog(t *testing.T) {
	const (
		json502   = `{"ClientHost":"10.0.0.9","DownstreamContentSize":11,"DownstreamStatus":502,"Duration":1834000,"OriginContentSize":11,"OriginDuration":1702000,"OriginStatus":502,"RequestMethod":"GET","RequestPath":"/api","RetryAttempts":0,"RouterName":"api@docker","ServiceName":"api@docker","ServiceURL":"http://172.18.0.5:8080","StartUTC":"2025-01-02T03:04:05.120000000Z","level":"info","msg":"","time":"2025-01-02T03:04:05Z"}`
		json200   = `{"ClientHost":"10.0.0.9","DownstreamContentSize":185,"DownstreamStatus":200,"Duration":8764859,"OriginContentSize":185,"OriginDuration":8147549,"OriginStatus":200,"RequestMethod":"GET","RequestPath":"/ok","RetryAttempts":0,"RouterName":"api@docker","ServiceName":"api@docker","ServiceURL":"http://172.18.0.5:8080","StartUTC":"2025-01-02T03:04:04.120000000Z","level":"info","msg":"","time":"2025-01-02T03:04:04Z"}`
		debug     = `{"level":"debug","error":"dial tcp 172.18.0.5:8080: connect: connection refused","message":"502 Bad Gateway","time":"2025-01-02T03:04:05Z"}`
		clf502    = `10.0.0.9 - - [02/Jan/2025:03:04:05 +0000] "GET /api HTTP/1.1" 502 11 "-" "curl/8" 7 "api@docker" "http://172.18.0.5:8080" 2ms`
		clf200    = `10.0.0.9 - - [02/Jan/2025:03:04:04 +0000] "GET /ok HTTP/1.1" 200 185 "-" "curl/8" 6 "api@docker" "http://172.18.0.5:8080" 8ms`
		debugLog  = "--log.level=DEBUG"
		debugFix  = "run Traefik with --log.level=DEBUG"
		clfFields = "--accesslog.format=json"
	)
	for _, tc := range []struct {
		name     string
		lines    []string
		hintWant string // in the 502's hint; "" none asks for the DEBUG log
		advice   string // in the advice; "" no DEBUG fix
	}{
		{"json", []string{json200, json502}, debugLog, debugFix},
		{"json with its debug line", []string{json200, debug, json502}, "", ""},
		{"common", []string{clf200, clf502}, debugLog, clfFields},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v *Verdict
			for _, x := range judgeFiles(t, map[string][]string{"traefik.log": tc.lines}) {
				if x.Entry.Status == 502 {
					v = x
				}
			}
			if v == nil {
				t.Fatal("no verdict for the 502")
			}
			if tc.hintWant != "" && !strings.Contains(v.Hint, tc.hintWant) {
				t.Errorf("hint %q does not ask for %q", v.Hint, tc.hintWant)
			}
			if tc.hintWant == "" && strings.Contains(v.Hint, debugLog) {
				t.Errorf("hint %q asks for the DEBUG log, read (%s)", v.Hint, v.Cause)
			}
			if strings.Contains(v.Hint, "ServiceURL") {
				t.Errorf("hint %q asks for the ServiceURL, which both layouts log", v.Hint)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "traefik.log"), []byte(strings.Join(tc.lines, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			var all []string
			for _, a := range reportAdvice(t, dir, "traefik.log") {
				all = append(all, a.Problem, "fix: "+a.Fix)
			}
			text := strings.Join(all, "\n")
			if tc.advice != "" && !strings.Contains(text, tc.advice) {
				t.Errorf("no %q in the advice:\n%s", tc.advice, text)
			}
			if tc.advice == "" && strings.Contains(text, debugLog) {
				t.Errorf("the advice asks for the DEBUG log, read:\n%s", text)
			}
		})
	}
}
