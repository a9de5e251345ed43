package haproxy

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

// The clf lines are HAProxy 2.6.12's with "option httplog clf", "capture
// request header Host len 32" and "capture request header X-Request-ID
// len 64", log stdout format raw (testdata/clf.log, the QA round's
// haproxy-clf).
func TestParseCLF(t *testing.T) {
	nov22 := func(h, m, s, ms int) time.Time {
		return time.Date(2026, time.November, 22, h, m, s, ms*int(time.Millisecond), time.UTC)
	}
	tests := []struct {
		name string
		line string
		want *sources.ProxyEntry
	}{
		{
			name: "the app's 503 [real]",
			line: `127.0.0.1 - - [22/Nov/2026:05:54:11 +0000] "GET /e503 HTTP/1.1" 503 49 "" "" 60778 926 "fe3" "be_app" "s1" 0 0 0 2 2 ---- 1 1 0 0 0 0 0 "" "" "127.0.0.1:39202" "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c04" `,
			want: &sources.ProxyEntry{
				Time: nov22(5, 54, 11, 928), Client: "127.0.0.1", ClientPort: "60778",
				Method: "GET", Path: "/e503", Proto: "HTTP/1.1", Status: 503, BodyBytes: 49, RequestTime: 0.002,
				RequestID: "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c04", Upstream: "be_app/s1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.002"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
				Flags: "----", ZoneFromLine: true, Fields: logged | sources.FieldRequestID,
			},
		},
		{
			name: "server timeout [real]",
			line: `127.0.0.1 - - [22/Nov/2026:05:54:12 +0000] "GET /hang HTTP/1.1" 504 198 "" "" 60808 050 "fe3" "be_app" "s1" 0 0 0 -1 1001 sH-- 1 1 0 0 0 0 0 "" "" "127.0.0.1:39202" "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c04" `,
			want: &sources.ProxyEntry{
				Time: nov22(5, 54, 13, 51), Client: "127.0.0.1", ClientPort: "60808",
				Method: "GET", Path: "/hang", Proto: "HTTP/1.1", Status: 504, BodyBytes: 198, RequestTime: 1.001,
				RequestID: "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c04", Upstream: "be_app/s1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"-"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.No,
				Reason: sources.ReasonReadTimeout, Flags: "sH--", ZoneFromLine: true,
				Detail: "sH--: server did not send the response headers in time (timeout server)",
				Fields: logged | sources.FieldRequestID,
			},
		},
		{
			// No capture: the id is left out; a redispatch, as httplog's "+".
			name: "no server, no capture [built]",
			line: `10.0.0.9 - - [02/Jan/2024:03:04:07 +0000] "GET /api HTTP/1.1" 503 217 "" "" 51234 120 "fe_http" "be_app" "<NOSRV>" 0 -1 -1 -1 0 SC-- 1 1 0 0 +0 0 0 "" ""`,
			want: &sources.ProxyEntry{
				Time: time.Date(2024, time.January, 2, 3, 4, 7, 120*int(time.Millisecond), time.UTC), Client: "10.0.0.9", ClientPort: "51234",
				Method: "GET", Path: "/api", Proto: "HTTP/1.1", Status: 503, BodyBytes: 217, RequestTime: 0,
				Upstream:        "be_app/<NOSRV>",
				UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"},
				UpstreamContacted: sources.No, UpstreamAnswered: sources.Unknown,
				Reason: sources.ReasonNoLiveUpstreams, Flags: "SC--", ZoneFromLine: true,
				Detail: "SC--: no server available in the backend (<NOSRV>)",
				Fields: logged,
			},
		},
		{
			// A log-format after clf's without %{+Q}o: its names are
			// bare words, with a backend, server, timers and
			// termination state no app logs (it was read as an app's
			// access log, 0 requests, its 503 lost).
			name: "clf with its names unquoted, no syslog header [qa]",
			line: `10.0.1.2 - - [06/Feb/2025:12:14:15 +0000] "GET /r?n=2 HTTP/1.1" 503 217 "" "" 33318 100 http-in be_app srv1 0 0 -1 -1 1001 SC-- 1 1 1 1 3 0 0 "" "" "" ""`,
			want: &sources.ProxyEntry{
				Time: time.Date(2025, time.February, 6, 12, 14, 16, 101e6, time.UTC), Client: "10.0.1.2", ClientPort: "33318",
				Method: "GET", Path: "/r?n=2", Proto: "HTTP/1.1", Status: 503, BodyBytes: 217, RequestTime: 1.001,
				Upstream: "be_app/srv1", UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.No, Reason: sources.ReasonRefused, Flags: "SC--", ZoneFromLine: true,
				Detail: "SC--: server refused or reset the connection at connect, Tc=-1; retried 3",
				Fields: logged,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := newTestParser().Parse(tt.line)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Raw = tt.line
			tt.want.TimePrecision = sources.FractionDigits(3) // %ms
			if diff := cmp.Diff(tt.want, rec); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
			if got := detect(tt.line); got != 100 {
				t.Errorf("detect = %d, want 100", got)
			}
		})
	}
}

// TestCLFNotOtherLines: lines in CLF's first fields that are not
// HAProxy's are not read as its.
func TestCLFNotOtherLines(t *testing.T) {
	for _, line := range []string{
		`10.1.2.3 - - [02/Jan/2024:03:04:05 +0000] "GET /api HTTP/1.1" 502 157 "-" "curl/8.4.0"`,
		`10.0.0.9 - - [02/Jan/2024:03:04:06 +0000] "GET /api HTTP/1.1" 503 20 "-" "curl/8.4.0" 43 "api@docker" "-" 0ms`,
		`127.0.0.1 - - [22/Nov/2026:05:54:11 +0000] "GET /e503 HTTP/1.1" 503 49 "" "" 60778 926 "fe3" "be_app" "s1" 0 0 0 2`,
		// A name with what HAProxy does not allow in one.
		`10.0.1.2 - - [06/Feb/2025:12:14:15 +0000] "GET /r?n=2 HTTP/1.1" 503 217 "" "" 33318 100 http-in {be_app} srv1 0 0 -1 -1 1001 SC-- 1 1 1 1 3 0 0 "" "" "" ""`,
	} {
		if rec, err := newTestParser().Parse(line); err == nil {
			t.Errorf("Parse(%q) = %#v", line, rec)
		}
	}
}
