package applog

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

func TestLogfmtParse(t *testing.T) {
	minus4 := time.FixedZone("", -4*3600)
	cases := []parserCase{
		{
			name: "slog docs TextHandler",
			line: `time=2022-11-08T15:28:26.000-05:00 level=INFO msg=hello count=3`,
			want: sources.AppEntry{Time: utc(2022, 11, 8, 20, 28, 26, 0), Level: "info", Message: "hello", Duration: -1, Service: "api"},
		},
		{
			name: "logrus README debug: started, but not a request",
			line: `time="2015-03-26T01:27:38-04:00" level=debug msg="Started observing beach" animal=walrus number=8`,
			want: sources.AppEntry{Time: time.Date(2015, 3, 26, 1, 27, 38, 0, minus4), Level: "debug", Message: "Started observing beach",
				Duration: -1, Phase: sources.PhaseOther, Service: "api"},
		},
		{
			name: "logrus README warning",
			line: `time="2015-03-26T01:27:38-04:00" level=warning msg="The group's number increased tremendously!" number=122 omg=true`,
			want: sources.AppEntry{Time: time.Date(2015, 3, 26, 1, 27, 38, 0, minus4), Level: "warn",
				Message: "The group's number increased tremendously!", Duration: -1, Service: "api"},
		},
		{
			name: "logrus README fatal with an unquoted struct value",
			line: `time="2015-03-26T01:27:38-04:00" level=fatal msg="The ice breaks!" err=&{0x2082280c0 map[animal:orca size:9009] 2015-03-26 01:27:38.441574009 -0400 EDT panic It's over 9000!} number=100 omg=true`,
			want: sources.AppEntry{Time: time.Date(2015, 3, 26, 1, 27, 38, 0, minus4), Level: "fatal", Message: "The ice breaks!",
				Duration: -1, Service: "api"},
		},
		{
			name: "go-kit log (Loki distributor)",
			line: `ts=2024-05-02T12:17:22.115385619Z caller=http.go:194 level=debug traceID=7836a12bb7f1964e orgID=75 msg="POST /ingest?aggregationType=sum&from=1714652227107641016&name=checkoutservice%7B__session_id__%3D294b9729f5a7de95%2Cnamespace%3Dotel-demo%7D&sampleRate=100&spyName=gospy&units=samples&until=1714652242109516917 (200) 1.562143ms"`,
			want: sources.AppEntry{Time: utc(2024, 5, 2, 12, 17, 22, 115385619), Level: "debug",
				Message:   "POST /ingest?aggregationType=sum&from=1714652227107641016&name=checkoutservice%7B__session_id__%3D294b9729f5a7de95%2Cnamespace%3Dotel-demo%7D&sampleRate=100&spyName=gospy&units=samples&until=1714652242109516917 (200) 1.562143ms",
				RequestID: "7836a12bb7f1964e", Duration: -1, Service: "api"},
		},
		{
			name: "go-kit log with escaped quotes and a URL",
			line: `ts=2024-05-07T11:59:32.025687537Z level=error caller=http_client.go:56 app=hgrun hgrun_version=0.1.453-59-gf3f63162a msg="request failed" error="Get \"http://127.0.0.1:3000/api/health\": dial tcp 127.0.0.1:3000: connect: connection refused" method=GET url=http://127.0.0.1:3000/api/health`,
			want: sources.AppEntry{Time: utc(2024, 5, 7, 11, 59, 32, 25687537), Level: "error", Message: `request failed: Get "http://127.0.0.1:3000/api/health": dial tcp 127.0.0.1:3000: connect: connection refused`,
				Method: "GET", Path: "/api/health", Duration: -1, Service: "api"},
		},
		{
			name: "Heroku router H13 (formats.md)",
			line: `2020-04-05T10:00:00+00:00 heroku[router]: at=error code=H13 desc="Connection closed without response" method=POST path="/x" host=app request_id=xxx fwd="xxx" dyno=web.1 connect=0ms service=0ms status=503 bytes=561 protocol=http`,
			want: sources.AppEntry{Time: utc(2020, 4, 5, 10, 0, 0, 0), Level: "error", Message: "Connection closed without response",
				RequestID: "xxx", Method: "POST", Path: "/x", Status: 503, Duration: 0, Phase: sources.PhaseEnd, Service: "api", Instance: "web.1"},
		},
		{
			name: "Heroku router H12 without syslog header",
			line: `at=error code=H12 desc="Request timeout" method=GET path="/" host=myapp.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="204.204.204.204" dyno=web.1 connect=0ms service=30000ms status=503 bytes=0`,
			want: sources.AppEntry{Level: "error", Message: "Request timeout", RequestID: "8601b555-6a83-4c12-8269-97c8e32cdb22",
				Method: "GET", Path: "/", Status: 503, Duration: 30, Phase: sources.PhaseEnd, Service: "api", Instance: "web.1"},
		},
		{
			name: "Heroku router info",
			line: `2020-04-05T10:00:01.123456+00:00 heroku[router]: at=info method=GET path="/health?full=1" host=app.herokuapp.com request_id=abc-1 fwd="10.1.2.3" dyno=web.2 connect=1ms service=12ms status=200 bytes=100 protocol=https`,
			want: sources.AppEntry{Time: utc(2020, 4, 5, 10, 0, 1, 123456000), Level: "info", RequestID: "abc-1",
				Method: "GET", Path: "/health?full=1", Status: 200, Duration: 0.012, Phase: sources.PhaseEnd, Service: "api", Instance: "web.2"},
		},
		{
			name: "slog group keys are dotted",
			line: `time=2024-01-02T03:04:05.000Z level=WARN msg="request finished" req.method=DELETE req.path=/items/7 res.status=504 duration=2.5s request_id=r-1`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "warn", Message: "request finished", RequestID: "r-1",
				Method: "DELETE", Path: "/items/7", Status: 504, Duration: 2.5, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			name: "log15 short keys, epoch ts",
			line: `t=1704164645.25 lvl=eror msg="db down" rid=9f path=/x`,
			want: sources.AppEntry{Time: time.Unix(1704164645, 250000000), Level: "error", Message: "db down", RequestID: "9f",
				Path: "/x", Duration: -1, Service: "api"},
		},
		{
			name: "unterminated quote takes the rest",
			line: `level=info msg="cut off here`,
			want: sources.AppEntry{Level: "info", Message: "cut off here", Duration: -1, Service: "api"},
		},
		{
			name: "two unknown pairs are still logfmt",
			line: `a=1 b=2`,
			want: sources.AppEntry{Duration: -1, Service: "api"},
		},
		{name: "words only", line: `hello there world`, wantErr: true},
		{name: "one unknown pair", line: `x=1 and words`, wantErr: true},
	}
	runCases(t, FormatLogfmt, testOpts, cases)
}

// TestLogfmtFromSlog parses lines written by Go's own log/slog TextHandler.
func TestLogfmtFromSlog(t *testing.T) {
	var buf bytes.Buffer
	stamp := time.Date(2026, 11, 21, 7, 10, 35, 123456789, time.UTC)
	h := slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})
	write := func(level slog.Level, msg string, args ...any) {
		r := slog.NewRecord(stamp, level, msg, 0)
		r.Add(args...)
		if err := h.Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	write(slog.LevelInfo, "request started", "request_id", "4f7c", "method", "GET", "path", "/fault/reset?n=12", "instance", "127.0.0.1:9101")
	write(slog.LevelInfo, "request finished", "request_id", "4f7c", "status", 503, "duration", 1200*time.Microsecond)
	write(slog.LevelError, "say \"hi\"\n", slog.Group("http", "method", "POST", "status_code", 500))

	// TextHandler writes milliseconds (time.RFC3339 with .000).
	ms := stamp.Truncate(time.Millisecond)
	want := []sources.AppEntry{
		{Time: ms, Level: "info", Message: "request started", RequestID: "4f7c", Method: "GET", Path: "/fault/reset?n=12",
			Duration: -1, Phase: sources.PhaseStart, Service: "api", Instance: "127.0.0.1:9101"},
		{Time: ms, Level: "info", Message: "request finished", RequestID: "4f7c", Status: 503, Duration: 0.0012,
			Phase: sources.PhaseEnd, Service: "api"},
		{Time: ms, Level: "error", Message: "say \"hi\"\n", Method: "POST", Status: 500, Duration: -1,
			Phase: sources.PhaseEnd, Service: "api"},
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("slog wrote %d lines, want %d:\n%s", len(lines), len(want), buf.String())
	}
	for _, format := range []string{FormatLogfmt, FormatText} {
		p := newTestParser(t, format, testOpts)
		for i, line := range lines {
			rec, err := p.Parse(line)
			if err != nil {
				t.Fatalf("%s: Parse(%s): %v", format, line, err)
			}
			w := want[i]
			w.Raw = line
			if diff := cmp.Diff(&w, rec); diff != "" {
				t.Errorf("%s: line %s mismatch (-want +got):\n%s", format, line, diff)
			}
		}
	}
}

func TestNextToken(t *testing.T) {
	line := `k=v q="a \"b\" c" url=http://h/x?a=b&c=d bare [x] e= "quoted words"`
	type tok struct{ Key, Val, Bare string }
	var got []tok
	for i := 0; ; {
		tk, next, ok := nextToken(line, i)
		if !ok {
			break
		}
		if tk.key != "" {
			got = append(got, tok{Key: tk.key, Val: tk.val.str()})
		} else {
			got = append(got, tok{Bare: line[tk.start:tk.end]})
		}
		i = next
	}
	want := []tok{
		{Key: "k", Val: "v"}, {Key: "q", Val: `a "b" c`}, {Key: "url", Val: "http://h/x?a=b&c=d"},
		{Bare: "bare"}, {Bare: "[x]"}, {Key: "e", Val: ""}, {Bare: `"quoted`}, {Bare: `words"`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tokens mismatch (-want +got):\n%s", diff)
	}
}
