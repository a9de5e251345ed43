package applog

import (
	"testing"

	"fivexx/sources"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		line string
		want string // the app format that must score highest; "" if all must score at most max
		min  int    // the winner's least score
		max  int    // with want == "": every app format's highest score
	}{
		{name: "fault backend JSON", line: `{"time":"2026-11-21T07:10:35.123456Z","level":"INFO","msg":"request started","request_id":"4f7c","method":"GET","path":"/fault/reset?n=12","instance":"127.0.0.1:9101"}`, want: FormatJSON, min: 90},
		{name: "pino", line: `{"level":30,"time":1757021155796,"msg":"request completed","statusCode":200}`, want: FormatJSON, min: 90},
		{name: "structlog", line: `{"event": "hello", "level": "info", "timestamp": "2024-01-02T03:04:05Z"}`, want: FormatJSON, min: 90},
		{name: "JSON with only a message", line: `{"message":"hi","user":"x"}`, want: FormatJSON, min: 70},
		{name: "slog text", line: `time=2022-11-08T15:28:26.000-05:00 level=INFO msg=hello count=3`, want: FormatLogfmt, min: 85},
		{name: "logrus text with a struct value", line: `time="2015-03-26T01:27:38-04:00" level=fatal msg="The ice breaks!" err=&{0x2082280c0 map[animal:orca size:9009] 2015-03-26 01:27:38.441574009 -0400 EDT panic It's over 9000!} number=100 omg=true`, want: FormatLogfmt, min: 85},
		{name: "Heroku router", line: `2020-04-05T10:00:00+00:00 heroku[router]: at=error code=H13 desc="Connection closed without response" method=POST path="/x" host=app request_id=xxx fwd="xxx" dyno=web.1 connect=0ms service=0ms status=503 bytes=561 protocol=http`, want: FormatLogfmt, min: 85},
		{name: "plain logfmt", line: `a=1 b=2 c=3`, want: FormatLogfmt, min: 75},
		{name: "text with a key=value tail", line: `2026-11-21T07:10:35.123Z INFO request started request_id=4f7c method=GET path=/x?n=1 instance=127.0.0.1:9101`, want: FormatText, min: 40},
		{name: "Python text", line: `2024-01-02 03:04:05,678 ERROR [req-4f7c2c8d] orders: upstream payment service returned 503`, want: FormatText, min: 40},
		{name: "Go log", line: `2024/01/02 03:04:05 listening on :8080`, want: FormatText, min: 30},
		{name: "gunicorn error log", line: `[2024-01-02 03:05:10 +0100] [1] [ERROR] Worker (pid:8) was sent SIGKILL! Perhaps out of memory?`, want: FormatText, min: 40},
		{name: "Ruby Logger", line: `E, [2024-01-02T03:05:09.123456 #1234] ERROR -- : boom`, want: FormatText, min: 40},
		{name: "Rails tagged request end", line: `I, [2024-01-02T03:05:09.135456 #1234]  INFO -- : [6d2f1c3e-8b1a-4c2d-9e0f-1a2b3c4d5e6f] Completed 500 Internal Server Error in 12ms (ActiveRecord: 0.4ms | Allocations: 1042)`, want: FormatText, min: 40},
		{name: "level word only", line: `ERROR: database unavailable`, want: FormatText, min: 15},

		{name: "nginx escape=json access", line: `{"time_local":"02/Jan/2024:03:04:05 +0000","remote_addr":"10.0.0.1","request":"GET /x HTTP/1.1","status":"502","upstream_addr":"127.0.0.1:9101","upstream_status":"502","request_time":"0.001"}`, max: 10},
		{name: "nginx JSON access with time and msg-like keys", line: `{"time":"2024-01-02T03:04:05+00:00","remote_addr":"10.0.0.1","request":"GET /x HTTP/1.1","status":502,"upstream_addr":"127.0.0.1:9101"}`, max: 10},
		{name: "Caddy access", line: `{"level":"info","ts":1646861401.5241024,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"127.0.0.1","method":"GET","uri":"/"},"status":502}`, max: 10},
		{name: "Traefik JSON access", line: `{"ClientAddr":"10.0.0.1:5555","DownstreamStatus":502,"OriginStatus":0,"RequestPath":"/","RouterName":"web@docker","level":"info","msg":"","time":"2024-01-02T03:04:05Z"}`, max: 10},
		{name: "Docker json-file wrapper", line: `{"log":"hello\n","stream":"stdout","time":"2024-01-02T03:04:05.123456789Z"}`, max: 10},
		{name: "nginx error log", line: `2024/01/02 03:04:05 [error] 123#0: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1`, max: 5},
		{name: "HAProxy via syslog", line: `Jan  2 03:04:05 localhost haproxy[1234]: 127.0.0.1:51234 [02/Jan/2024:03:04:05.123] fe be/srv1 0/0/-1/-1/3 503 217 - - SC-- 1/1/0/0/3 0/0 "GET / HTTP/1.1"`, max: 5},
		{name: "nginx combined", line: `127.0.0.1 - - [02/Jan/2024:03:04:05 +0000] "GET / HTTP/1.1" 502 157 "-" "curl/8.0"`, max: 0},
		{name: "nginx upstream format with rt= pairs", line: `10.0.0.1 - - [02/Jan/2024:03:04:05 +0000] "GET / HTTP/1.1" 502 157 "-" "curl/8.0" rt=0.001 uct="0.000" uht="-" urt="0.001"`, max: 25},
		{name: "stack frame", line: "\tat com.x.Y.z(Y.java:10)", max: 0},
		{name: "invalid JSON", line: `{"msg":`, max: 0},
	}
	names := []string{FormatJSON, FormatLogfmt, FormatText}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			scores := map[string]int{}
			for _, n := range names {
				f, ok := sources.LookupFormat(n)
				if !ok {
					t.Fatalf("%s not registered", n)
				}
				scores[n] = f.Detect(tc.line)
			}
			if tc.want == "" {
				for n, s := range scores {
					if s > tc.max {
						t.Errorf("%s scored %d, want at most %d (scores %v)", n, s, tc.max, scores)
					}
				}
				return
			}
			if scores[tc.want] < tc.min {
				t.Errorf("%s scored %d, want at least %d (scores %v)", tc.want, scores[tc.want], tc.min, scores)
			}
			for n, s := range scores {
				if n != tc.want && s >= scores[tc.want] {
					t.Errorf("%s scored %d, not below %s's %d", n, s, tc.want, scores[tc.want])
				}
			}
		})
	}
}

// TestDetectPicksAppFormat runs the shared detector over a sample, as an
// input would, with only app formats in play.
func TestDetectPicksAppFormat(t *testing.T) {
	sample := []string{
		`time=2024-01-02T03:04:05.000Z level=INFO msg="request started" request_id=r1 method=GET path=/x`,
		`time=2024-01-02T03:04:05.010Z level=ERROR msg="db failed" request_id=r1`,
		"\tgoroutine-ish noise that scores zero",
		`time=2024-01-02T03:04:05.020Z level=INFO msg="request finished" request_id=r1 status=503 duration=10ms`,
	}
	d, err := sources.Detect(sample, sources.RoleApp)
	if err != nil {
		t.Fatal(err)
	}
	if d.Format.Name != FormatLogfmt {
		t.Errorf("Detect = %s, want %s", d.Describe(), FormatLogfmt)
	}
}

// TestDetectPicksTextForServerLogs: files of gunicorn's error log and of
// Ruby's Logger (Rails) are read as app-text.
func TestDetectPicksTextForServerLogs(t *testing.T) {
	for name, sample := range map[string][]string{
		"gunicorn": {
			`[2024-01-02 03:05:09 +0000] [1] [INFO] Starting gunicorn 21.2.0`,
			`[2024-01-02 03:05:09 +0000] [8] [INFO] Booting worker with pid: 8`,
			`[2024-01-02 03:05:39 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:8)`,
			`[2024-01-02 03:05:40 +0000] [8] [ERROR] Error handling request /api`,
		},
		"Rails": {
			`I, [2024-01-02T03:05:09.123456 #1234]  INFO -- : [6d2f1c3e-8b1a-4c2d-9e0f-1a2b3c4d5e6f] Started GET "/api" for 10.0.0.1 at 2024-01-02 03:05:09 +0000`,
			`I, [2024-01-02T03:05:09.124000 #1234]  INFO -- : [6d2f1c3e-8b1a-4c2d-9e0f-1a2b3c4d5e6f] Processing by ApiController#index as JSON`,
			`E, [2024-01-02T03:05:09.134000 #1234] ERROR -- : [6d2f1c3e-8b1a-4c2d-9e0f-1a2b3c4d5e6f] boom`,
			`I, [2024-01-02T03:05:09.135456 #1234]  INFO -- : [6d2f1c3e-8b1a-4c2d-9e0f-1a2b3c4d5e6f] Completed 500 Internal Server Error in 12ms (ActiveRecord: 0.4ms | Allocations: 1042)`,
		},
	} {
		d, err := sources.Detect(sample, sources.RoleApp)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d.Format.Name != FormatText {
			t.Errorf("%s: Detect = %s, want %s", name, d.Describe(), FormatText)
		}
	}
}
