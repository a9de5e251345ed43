package classify

import (
	"os"
	"path/filepath"
	"slices"
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

// TestTraefikOwnLogReadIsNotAskedFor: with Traefik's own log among the
// inputs, a 5xx of its own that no line of it told was still advised
// "run Traefik with --log.level=DEBUG and give fivexx its log beside the
// access log", and hinted "add Traefik's own log at --log.level=DEBUG"
// (session 34's leftover). Read, the log is named and why it did not tell
// is said: lines of other 5xx (another time span), or none that tells a
// cause at all (not at DEBUG); in a file of its own or in the access
// log's stream.
func TestTraefikOwnLogReadIsNotAskedFor(t *testing.T) {
	const (
		json200 = `{"ClientHost":"10.0.0.9","DownstreamContentSize":185,"DownstreamStatus":200,"Duration":8764859,"OriginContentSize":185,"OriginDuration":8147549,"OriginStatus":200,"RequestMethod":"GET","RequestPath":"/ok","RetryAttempts":0,"RouterName":"api@docker","ServiceName":"api@docker","ServiceURL":"http://172.18.0.5:8080","StartUTC":"2025-01-02T03:04:04.120000000Z","level":"info","msg":"","time":"2025-01-02T03:04:04Z"}`
		json502 = `{"ClientHost":"10.0.0.9","DownstreamContentSize":11,"DownstreamStatus":502,"Duration":1834000,"OriginContentSize":11,"OriginDuration":1702000,"OriginStatus":502,"RequestMethod":"GET","RequestPath":"/api","RetryAttempts":0,"RouterName":"api@docker","ServiceName":"api@docker","ServiceURL":"http://172.18.0.5:8080","StartUTC":"2025-01-02T03:04:05.120000000Z","level":"info","msg":"","time":"2025-01-02T03:04:05Z"}`
		late502 = `{"ClientHost":"10.0.0.9","DownstreamContentSize":11,"DownstreamStatus":502,"Duration":1834000,"OriginContentSize":11,"OriginDuration":1702000,"OriginStatus":502,"RequestMethod":"GET","RequestPath":"/late","RetryAttempts":0,"RouterName":"api@docker","ServiceName":"api@docker","ServiceURL":"http://172.18.0.5:8080","StartUTC":"2025-01-02T03:09:05.120000000Z","level":"info","msg":"","time":"2025-01-02T03:09:05Z"}`
		debug   = `{"level":"debug","error":"dial tcp 172.18.0.5:8080: connect: connection refused","message":"502 Bad Gateway","time":"2025-01-02T03:04:05Z"}`
		info    = `{"level":"info","message":"Configuration loaded from flags.","time":"2025-01-02T03:00:00Z"}`
		clf502  = `10.0.0.9 - - [02/Jan/2025:03:04:05 +0000] "GET /api HTTP/1.1" 502 11 "-" "curl/8" 7 "api@docker" "http://172.18.0.5:8080" 2ms`
		clf200  = `10.0.0.9 - - [02/Jan/2025:03:04:04 +0000] "GET /ok HTTP/1.1" 200 185 "-" "curl/8" 6 "api@docker" "http://172.18.0.5:8080" 8ms`
		infoTxt = `time="2025-01-02T03:00:00Z" level=info msg="Configuration loaded from flags."`
	)
	asked := []string{"give fivexx its log beside", "add Traefik's own log", "fivexx /var/log/traefik/access.log traefik.log"}
	for _, tc := range []struct {
		name  string
		logs  map[string][]string
		where string // names the own log read, in the advice and the hint
		says  string // why it did not tell, in the advice
	}{
		{"own log of other 5xx", map[string][]string{"access.log": {json200, json502, late502}, "traefik.log": {info, debug}},
			"Traefik's own log (", "of the hours the access log covers"},
		{"own log not at DEBUG", map[string][]string{"access.log": {json200, json502}, "traefik.log": {info}},
			"Traefik's own log (", "--log.level=DEBUG"},
		{"own lines in the stream", map[string][]string{"access.log": {info, json200, json502}},
			"Traefik's own log (its lines in ", "--log.level=DEBUG"},
		{"common layout, own log not at DEBUG", map[string][]string{"access.log": {clf200, clf502}, "traefik.log": {infoTxt}},
			"Traefik's own log (", "--log.level=DEBUG"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var untold *Verdict
			for _, x := range judgeFiles(t, tc.logs) {
				if x.Entry.Status == 502 && x.Cause == Unknown {
					untold = x
				}
			}
			if untold == nil {
				t.Fatal("no 502 left unknown")
			}
			if !strings.Contains(untold.Hint, tc.where) {
				t.Errorf("hint %q does not name the own log read (%q)", untold.Hint, tc.where)
			}
			dir := t.TempDir()
			var files []string
			for name, lines := range tc.logs {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				files = append(files, name)
			}
			slices.Sort(files)
			var all []string
			for _, a := range reportAdvice(t, dir, files...) {
				all = append(all, a.Problem, "fix: "+a.Fix)
			}
			text := strings.Join(all, "\n")
			for _, s := range asked {
				if strings.Contains(text, s) || strings.Contains(untold.Hint, s) {
					t.Errorf("asks for the own log read (%q):\nhint: %s\n%s", s, untold.Hint, text)
				}
			}
			if !strings.Contains(text, tc.where) || !strings.Contains(text, tc.says) {
				t.Errorf("the advice does not name %q and say %q:\n%s", tc.where, tc.says, text)
			}
		})
	}
}
