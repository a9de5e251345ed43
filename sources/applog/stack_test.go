package applog

import (
	"errors"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

// feed parses lines in order and returns the records made, with the lines
// that gave an error.
func feed(t *testing.T, p sources.Parser, lines []string) (recs []*sources.AppEntry, unparsed []string) {
	t.Helper()
	for _, l := range lines {
		rec, err := p.Parse(l)
		switch {
		case err != nil:
			if rec != nil {
				t.Fatalf("Parse(%q) = %+v with error %v; want a nil record", l, rec, err)
			}
			unparsed = append(unparsed, l)
		case rec != nil:
			recs = append(recs, rec.(*sources.AppEntry))
		}
	}
	return recs, unparsed
}

func TestStackTraces(t *testing.T) {
	goPanic := []string{
		`{"time":"2024-01-02T03:04:05Z","level":"INFO","msg":"request started","request_id":"r1","path":"/pay"}`,
		`panic: runtime error: invalid memory address or nil pointer dereference`,
		`[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]`,
		``,
		`goroutine 18 [running]:`,
		`main.handler({0x6e7f40, 0xc00007e0f0}, 0xc000118000)`,
		"\t/app/main.go:42 +0x1d",
		`net/http.HandlerFunc.ServeHTTP(0x0?, {0x6e7f40?, 0xc00007e0f0?}, 0x0?)`,
		"\t/usr/local/go/src/net/http/server.go:2136 +0x29",
		`created by net/http.(*Server).Serve in goroutine 1`,
		"\t/usr/local/go/src/net/http/server.go:3086 +0x4db",
		`exit status 2`,
		`{"time":"2024-01-02T03:04:07Z","level":"INFO","msg":"listening","addr":":8080"}`,
	}
	python := []string{
		`2024-01-02 03:04:05,678 ERROR [req-1] orders: unhandled error`,
		`Traceback (most recent call last):`,
		`  File "/app/orders.py", line 42, in pay`,
		`    resp = client.post(url, data=body, timeout=3)`,
		`  File "/usr/lib/python3/dist-packages/requests/api.py", line 115, in post`,
		`    return request("post", url, data=data, json=json, **kwargs)`,
		`requests.exceptions.ConnectionError: HTTPConnectionPool(host='payments', port=80): Max retries exceeded`,
		``,
		`During handling of the above exception, another exception occurred:`,
		``,
		`Traceback (most recent call last):`,
		`  File "/app/orders.py", line 44, in pay`,
		`ValueError: payment failed`,
		`2024-01-02 03:04:06,001 INFO [req-2] orders: request started`,
	}
	java := []string{
		`2024-01-02T03:04:05.678Z ERROR 1 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet] : Servlet.service() threw exception request_id=j1`,
		`java.lang.IllegalStateException: boom`,
		"\tat com.example.demo.OrderController.pay(OrderController.java:27) ~[classes/:na]",
		"\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method) ~[na:na]",
		`Caused by: java.net.ConnectException: Connection refused`,
		"\t... 48 common frames omitted",
		`2024-01-02T03:04:06.000Z INFO 1 --- [nio-8080-exec-2] c.e.demo.OrderController : handled request request_id=j2`,
	}
	type want struct {
		level, message, requestID string
		rawLines                  int // lines in Raw
	}
	tests := []struct {
		name   string
		format string
		lines  []string
		want   []want
	}{
		{"go panic in a JSON log", FormatJSON, goPanic, []want{
			{"info", "request started", "r1", 1},
			{"fatal", "panic: runtime error: invalid memory address or nil pointer dereference", "", 11},
			{"info", "listening", "", 1},
		}},
		{"go panic in a logfmt log", FormatLogfmt, []string{
			`time=2024-01-02T03:04:05Z level=INFO msg="request started" request_id=r1`,
			goPanic[1], goPanic[2], goPanic[3], goPanic[4], goPanic[5], goPanic[6],
			`time=2024-01-02T03:04:07Z level=INFO msg=listening addr=:8080`,
		}, []want{
			{"info", "request started", "r1", 1},
			{"fatal", "panic: runtime error: invalid memory address or nil pointer dereference", "", 6},
			{"info", "listening", "", 1},
		}},
		{"python traceback in a text log", FormatText, python, []want{
			{"error", "[req-1] orders: unhandled error", "req-1", 13},
			{"info", "[req-2] orders: request started", "req-2", 1},
		}},
		{"java trace in a text log", FormatText, java, []want{
			{"error", "1 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet] : Servlet.service() threw exception", "j1", 6},
			{"info", "1 --- [nio-8080-exec-2] c.e.demo.OrderController : handled request", "j2", 1},
		}},
		{"java trace in a JSON log", FormatJSON, append([]string{`{"@timestamp":"2024-01-02T03:04:05.678Z","level":"ERROR","message":"boom"}`}, java[1:6]...), []want{
			{"error", "boom", "", 6},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestParser(t, tc.format, testOpts)
			recs, unparsed := feed(t, p, tc.lines)
			if len(unparsed) > 0 {
				t.Errorf("unparsed lines: %q", unparsed)
			}
			var got []want
			for _, r := range recs {
				got = append(got, want{r.Level, r.Message, r.RequestID, strings.Count(r.Raw, "\n") + 1})
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("records mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStackRawIsTheLinesJoined(t *testing.T) {
	p := newTestParser(t, FormatText, testOpts)
	lines := []string{
		`2024-01-02 03:04:05,678 ERROR boom`,
		`Traceback (most recent call last):`,
		`  File "/app/x.py", line 1, in <module>`,
		`ZeroDivisionError: division by zero`,
	}
	rec, err := p.Parse(lines[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines[1:] {
		if r, err := p.Parse(l); r != nil || err != nil {
			t.Fatalf("Parse(%q) = %v, %v; want nil, nil for a continuation", l, r, err)
		}
	}
	if got, want := rec.RawLine(), strings.Join(lines, "\n"); got != want {
		t.Errorf("Raw = %q, want %q", got, want)
	}
}

func TestStackContinuationWithoutRecord(t *testing.T) {
	for _, format := range []string{FormatJSON, FormatLogfmt, FormatText} {
		p := newTestParser(t, format, testOpts)
		for _, l := range []string{"\tat com.x.Y.z(Y.java:10)", "Traceback (most recent call last):", "goroutine 1 [running]:"} {
			rec, err := p.Parse(l)
			if rec != nil || !errors.Is(err, errNoPrevious) {
				t.Errorf("%s: Parse(%q) = %v, %v; want errNoPrevious", format, l, rec, err)
			}
		}
		if rec, err := p.Parse(""); rec != nil || err != nil {
			t.Errorf("%s: blank line = %v, %v; want skipped", format, rec, err)
		}
	}
}

func TestStackBounded(t *testing.T) {
	p := newTestParser(t, FormatJSON, testOpts)
	rec, err := p.Parse(`{"msg":"x"}`)
	if err != nil {
		t.Fatal(err)
	}
	frame := "\tat com.example.Deep.recurse(Deep.java:10)"
	for range 10000 {
		if _, err := p.Parse(frame); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(rec.RawLine()); n > maxTraceBytes || n < maxTraceBytes-len(frame)-1 {
		t.Errorf("len(Raw) = %d, want just under %d", n, maxTraceBytes)
	}
}

func TestTraceLine(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"goroutine 18 [running]:", true},
		{"goroutine 7 [IO wait, 2 minutes]:", true},
		{"goroutine leak detected", false},
		{"java.lang.NullPointerException", true},
		{"java.lang.IllegalStateException: boom", true},
		{"org.springframework.web.client.HttpServerErrorException$ServiceUnavailable: 503 Service Unavailable", true},
		{"Exception in thread \"main\" java.lang.RuntimeException: x", true},
		{"Caused by: java.io.IOException: x", true},
		{"... 5 more", true},
		{"Traceback (most recent call last):", true},
		{"  File \"x.py\", line 1", true},
		{"ValueError: bad", false}, // only inside a trace
		{"main.go:12: listening", false},
		{"request.Error happened", false},
	}
	for _, tc := range tests {
		if _, got := traceLine(tc.line); got != tc.want {
			t.Errorf("traceLine(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

// railsFatal is what Rails writes for an exception in a request, with
// config.log_tags = [:request_id]: ActionDispatch::DebugExceptions logs
// the exception and its backtrace in one logger.fatal call, the tags
// before every line, and PG's message spans lines of its own [built from
// Rails 7.1's log_error and a PG::ConnectionBad message].
var railsFatal = []string{
	`I, [2026-11-22T08:00:01.100123 #12]  INFO -- : [8f3a2c1e-5b7d-4c1a-9e0f-2a3b4c5d6e7f] Started GET "/users/1" for 10.0.0.1 at 2026-11-22 08:00:01 +0000`,
	`I, [2026-11-22T08:00:01.101456 #12]  INFO -- : [8f3a2c1e-5b7d-4c1a-9e0f-2a3b4c5d6e7f] Processing by UsersController#show as HTML`,
	`I, [2026-11-22T08:00:01.123001 #12]  INFO -- : [8f3a2c1e-5b7d-4c1a-9e0f-2a3b4c5d6e7f] Completed 500 Internal Server Error in 22ms (ActiveRecord: 0.0ms | Allocations: 1234)`,
	`F, [2026-11-22T08:00:01.123456 #12] FATAL -- : [8f3a2c1e-5b7d-4c1a-9e0f-2a3b4c5d6e7f]   `,
	`[8f3a2c1e-5b7d-4c1a-9e0f-2a3b4c5d6e7f] ActiveRecord::ConnectionNotEstablished (connection to server at "10.0.0.5", port 5432 failed: Connection refused`,
	"\tIs the server running on that host and accepting TCP/IP connections?",
	`):`,
	`[8f3a2c1e-5b7d-4c1a-9e0f-2a3b4c5d6e7f]   `,
	`[8f3a2c1e-5b7d-4c1a-9e0f-2a3b4c5d6e7f] activerecord (7.1.3) lib/active_record/connection_adapters/postgresql_adapter.rb:58:in 'rescue in new_client'`,
	`[8f3a2c1e-5b7d-4c1a-9e0f-2a3b4c5d6e7f] app/models/user.rb:10:in 'find'`,
	`[8f3a2c1e-5b7d-4c1a-9e0f-2a3b4c5d6e7f] app/controllers/users_controller.rb:5:in 'show'`,
	`I, [2026-11-22T08:00:02.000001 #12]  INFO -- : [0c1d2e3f-4a5b-4c6d-8e9f-a0b1c2d3e4f5] Started GET "/up" for 10.0.0.1 at 2026-11-22 08:00:02 +0000`,
	`[8f3a2c1e-5b7d-4c1a-9e0f-2a3b4c5d6e7f] a line of another request, after its record: not this one's`,
}

// TestRailsTaggedContinuation: the lines of a Rails FATAL message after
// its first carry the request's tags and no header; they were counted
// unparsed (7 of the 13 lines here). They are attached to the FATAL line,
// whose message becomes the exception's, and a tagged line that follows
// another request's record is still no record.
func TestRailsTaggedContinuation(t *testing.T) {
	p := newTestParser(t, FormatText, testOpts)
	recs, unparsed := feed(t, p, railsFatal)
	if want := railsFatal[len(railsFatal)-1:]; !cmp.Equal(unparsed, want) {
		t.Errorf("unparsed %q, want %q", unparsed, want)
	}
	if len(recs) != 5 {
		t.Fatalf("%d records, want 5", len(recs))
	}
	fatal := recs[3]
	want := sources.AppEntry{Time: utc(2026, 11, 22, 8, 0, 1, 123456000), Level: "fatal",
		Message:   `ActiveRecord::ConnectionNotEstablished (connection to server at "10.0.0.5", port 5432 failed: Connection refused`,
		RequestID: "8f3a2c1e-5b7d-4c1a-9e0f-2a3b4c5d6e7f", Duration: -1, Service: "api",
		Raw: strings.Join(railsFatal[3:11], "\n")}
	if diff := cmp.Diff(&want, fatal); diff != "" {
		t.Errorf("FATAL entry (-want +got):\n%s", diff)
	}
	if recs[2].Status != 500 || recs[4].Path != "/up" {
		t.Errorf("records around it: %+v, %+v", recs[2], recs[4])
	}
}

// TestRailsTaggedContinuationInSlots: through ParseAppSlot, each line in
// a slot of its own that is cleared once the parser is done with it (the
// reader reuses its buffer), the FATAL entry's message and Raw are the
// parser's own copies.
func TestRailsTaggedContinuationInSlots(t *testing.T) {
	sp := newTestParser(t, FormatText, testOpts).(sources.AppSlotParser)
	var fatal *sources.AppEntry
	for i, l := range railsFatal[:11] {
		s := new(sources.AppSlot)
		text := s.SetText([]byte(l))
		rec, err := sp.ParseAppSlot(text, s)
		if err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if i == 3 {
			fatal = rec.(*sources.AppEntry)
		}
		if i > 3 { // a continuation's slot goes back, its text is written over
			clear(unsafe.Slice(unsafe.StringData(text), len(text)))
		}
	}
	if !strings.HasPrefix(fatal.Message, "ActiveRecord::ConnectionNotEstablished (") || !strings.HasSuffix(fatal.Raw, "in 'show'") {
		t.Errorf("message %q, Raw %q", fatal.Message, fatal.Raw)
	}
}
