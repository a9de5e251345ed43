package haproxy

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

func TestParseState(t *testing.T) {
	const downRefused = `Server be_down/srv1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`
	tests := []struct {
		name string
		line string
		want *sources.ProxyError
	}{
		{
			name: "server down, raw stdout [real]",
			line: downRefused,
			want: &sources.ProxyError{
				Message: downRefused, Reason: sources.ReasonRefused,
				Action: "server down", Upstream: "be_down/srv1",
			},
		},
		{
			name: "server down, rfc3164 syslog [real]",
			line: `<129>Nov 21 07:14:37 localhost haproxy[10752]: ` + downRefused,
			want: &sources.ProxyError{
				Time: nov21(7, 14, 37, 0), Level: "alert",
				Message: downRefused, Reason: sources.ReasonRefused,
				Action: "server down", Upstream: "be_down/srv1",
			},
		},
		{
			name: "server down, rfc5424 syslog [real]",
			line: `<129>1 2026-11-21T07:14:37.337440+00:00 - haproxy 10752 - - ` + downRefused,
			want: &sources.ProxyError{
				Time: time.Date(2026, time.November, 21, 7, 14, 37, 337440000, time.UTC), Level: "alert",
				Message: downRefused, Reason: sources.ReasonRefused,
				Action: "server down", Upstream: "be_down/srv1",
			},
		},
		{
			name: "server down, stderr 2.6 [real]",
			line: `[WARNING]  (10752) : ` + downRefused,
			want: &sources.ProxyError{
				Level: "warning", Message: downRefused, Reason: sources.ReasonRefused,
				Action: "server down", Upstream: "be_down/srv1",
			},
		},
		{
			name: "server down on check timeout, stderr before 2.4 [built]",
			line: `[WARNING] 324/142802 (17) : Server be_app/srv1 is DOWN, reason: Layer4 timeout, check duration: 2001ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
			want: &sources.ProxyError{
				Time: nov21(14, 28, 2, 0), Level: "warning",
				Message: `Server be_app/srv1 is DOWN, reason: Layer4 timeout, check duration: 2001ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
				Reason:  sources.ReasonConnectTimeout, Action: "server down", Upstream: "be_app/srv1",
			},
		},
		{
			name: "server down on invalid check response [real]",
			line: `Server be_l7rsp/srv1 is DOWN, reason: Layer7 invalid response, check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
			want: &sources.ProxyError{
				Message: `Server be_l7rsp/srv1 is DOWN, reason: Layer7 invalid response, check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
				Reason:  sources.ReasonBadResponse, Action: "server down", Upstream: "be_l7rsp/srv1",
			},
		},
		{
			name: "server down on check read timeout [real]",
			line: `Server be_l7tout/srv1 is DOWN, reason: Layer7 timeout, check duration: 500ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
			want: &sources.ProxyError{
				Message: `Server be_l7tout/srv1 is DOWN, reason: Layer7 timeout, check duration: 500ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
				Reason:  sources.ReasonReadTimeout, Action: "server down", Upstream: "be_l7tout/srv1",
			},
		},
		{
			name: "server up [real]",
			line: `<133>Nov 21 07:14:13 localhost haproxy[9294]: Server be_flap/srv1 is UP, reason: Layer7 check passed, code: 200, check duration: 1ms. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`,
			want: &sources.ProxyError{
				Time: nov21(7, 14, 13, 0), Level: "notice",
				Message: `Server be_flap/srv1 is UP, reason: Layer7 check passed, code: 200, check duration: 1ms. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`,
				Action:  "server up", Upstream: "be_flap/srv1",
			},
		},
		{
			name: "backend has no server, raw [real]",
			line: `backend be_down has no server available!`,
			want: &sources.ProxyError{
				Message: `backend be_down has no server available!`,
				Reason:  sources.ReasonNoLiveUpstreams, Action: "backend down", Upstream: "be_down",
			},
		},
		{
			name: "backend has no server, stderr quotes the name [real]",
			line: `[ALERT]    (10345) : backend 'be_l7sts' has no server available!`,
			want: &sources.ProxyError{
				Level: "alert", Message: `backend 'be_l7sts' has no server available!`,
				Reason: sources.ReasonNoLiveUpstreams, Action: "backend down", Upstream: "be_l7sts",
			},
		},
		{
			name: "journald wraps the stderr form [real, blog]",
			line: `Feb 19 04:11:57 debian11 haproxy[4436]: [ALERT] 049/041157 (4436) : backend 'web_server02' has no server available!`,
			want: &sources.ProxyError{
				Time: time.Date(2026, time.February, 19, 4, 11, 57, 0, time.UTC), Level: "alert",
				Message: `backend 'web_server02' has no server available!`,
				Reason:  sources.ReasonNoLiveUpstreams, Action: "backend down", Upstream: "web_server02",
			},
		},
		{
			name: "failed health check [real]",
			line: `Health check for server be_l7sts/srv1 failed, reason: Layer7 wrong status, code: 503, info: "Service Unavailable", check duration: 2ms, status: 0/1 DOWN.`,
			want: &sources.ProxyError{
				Message: `Health check for server be_l7sts/srv1 failed, reason: Layer7 wrong status, code: 503, info: "Service Unavailable", check duration: 2ms, status: 0/1 DOWN.`,
				Action:  "health check", Upstream: "be_l7sts/srv1",
			},
		},
		{
			name: "maintenance after a DNS failure [built]",
			line: `Server be_app/srv1 is going DOWN for maintenance (DNS timeout status). 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
			want: &sources.ProxyError{
				Message: `Server be_app/srv1 is going DOWN for maintenance (DNS timeout status). 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
				Reason:  sources.ReasonDNS, Action: "server maintenance", Upstream: "be_app/srv1",
			},
		},
		{
			name: "backup server drain [built]",
			line: `Backup Server be_app/srv9 enters drain state. 0 active and 1 backup servers online.`,
			want: &sources.ProxyError{
				Message: `Backup Server be_app/srv9 enters drain state. 0 active and 1 backup servers online.`,
				Action:  "server state", Upstream: "be_app/srv9",
			},
		},
		{
			name: "other stderr message [real]",
			line: `[NOTICE]   (8404) : haproxy version is 2.6.12-1+deb12u4`,
			want: &sources.ProxyError{Level: "notice", Message: `haproxy version is 2.6.12-1+deb12u4`},
		},
		{
			name: "continuation of a stderr message [real]",
			line: `   | with such a configuration. To fix this, please ensure that all following`,
			want: &sources.ProxyError{Message: `with such a configuration. To fix this, please ensure that all following`},
		},
		{
			name: "proxy started, stderr of 2.2 with no prefix [real]",
			line: `Proxy dockerbackend started.`,
			want: &sources.ProxyError{Message: `Proxy dockerbackend started.`},
		},
		{
			name: "proxy stopped with no prefix [built from proxy.c]",
			line: `Proxy fe_http stopped (cumulated conns: FE: 12, BE: 0).`,
			want: &sources.ProxyError{Message: `Proxy fe_http stopped (cumulated conns: FE: 12, BE: 0).`},
		},
		{
			name: "other syslog message from haproxy [built]",
			line: `<133>Nov 21 07:14:13 localhost haproxy[9294]: Proxy fe_http started.`,
			want: &sources.ProxyError{Time: nov21(7, 14, 13, 0), Level: "notice", Message: `Proxy fe_http started.`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want.Raw = tt.line
			got, err := newTestParser().Parse(tt.line)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(sources.Record(tt.want), got); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// With "option log-health-checks" the reason is on the check line and the
// DOWN line that follows has none: the parser carries it over, until UP.
func TestDownTakesReasonFromCheck(t *testing.T) {
	p := newTestParser()
	lines := []struct {
		line string
		want sources.Reason
	}{
		{`Health check for server be_a/s1 failed, reason: Layer4 timeout, check duration: 1001ms, status: 0/2 DOWN.`, sources.ReasonConnectTimeout},
		{`Server be_a/s1 is DOWN. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`, sources.ReasonConnectTimeout},
		{`Server be_b/s1 is DOWN. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`, sources.ReasonNone},
		{`Server be_a/s1 is UP, reason: Layer4 check passed, check duration: 0ms. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`, sources.ReasonNone},
		{`Server be_a/s1 is DOWN. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`, sources.ReasonNone},
	}
	for i, l := range lines {
		rec, err := p.Parse(l.line)
		if err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if got := rec.(*sources.ProxyError).Reason; got != l.want {
			t.Errorf("line %d: reason %q, want %q", i, got, l.want)
		}
	}
}

// Syslog stamps have no year: it comes from the last request line, so a
// December stamp read after a January request belongs to the year before.
func TestStampYearFromLastRequest(t *testing.T) {
	p := newTestParser()
	if _, err := p.Parse(`10.0.0.9:51234 [01/Jan/2024:00:00:01.000] fe be/s1 0/0/0/1/1 200 10 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`); err != nil {
		t.Fatal(err)
	}
	rec, err := p.Parse(`<129>Dec 31 23:59:58 lb haproxy[1]: Server be/s1 is DOWN, reason: Layer4 timeout, check duration: 2001ms.`)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2023, time.December, 31, 23, 59, 58, 0, time.UTC)
	if got := rec.RecordTime(); !got.Equal(want) {
		t.Errorf("time = %v, want %v", got, want)
	}
}

// TestPrimeDatesStateLinesBeforeTheFirstRequest: a syslog stamp has no
// year. A state line before the log's first request line took the year of
// the day it was read (a reviewer's 2024 log read in 2026); the request
// lines held for detection date it now.
func TestPrimeDatesStateLinesBeforeTheFirstRequest(t *testing.T) {
	lines := []string{
		`Jan  2 03:04:06 lb1 haproxy[14389]: backend be_app has no server available!`,
		`Jan  2 03:04:07 lb1 haproxy[14389]: 10.0.0.9:51234 [02/Jan/2024:03:04:07.120] fe_http be_app/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 "GET /api HTTP/1.1"`,
	}
	p := NewParser(sources.ParserOptions{Location: time.UTC})
	p.now = func() time.Time { return time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC) }
	p.Prime(lines)
	rec, err := p.Parse(lines[0])
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2024, 1, 2, 3, 4, 6, 0, time.UTC)
	if got := rec.RecordTime(); !got.Equal(want) {
		t.Fatalf("state line at %v, want %v", got, want)
	}
	// With nothing to read ahead, the year is still the day's.
	q := NewParser(sources.ParserOptions{Location: time.UTC})
	q.now = p.now
	q.Prime(lines[:1])
	if rec, _ := q.Parse(lines[0]); rec.RecordTime().Year() != 2026 {
		t.Fatalf("no request line ahead: %v", rec.RecordTime())
	}
}

// The continuation and start/stop lines read in an HAProxy stream do not
// score for HAProxy on their own: "   | " is how compilers draw source
// lines, and "Proxy x started." is plain English.
func TestDetectLeavesBareMessagesOut(t *testing.T) {
	for _, line := range []string{
		`   | with such a configuration. To fix this, please ensure that all following`,
		`Proxy dockerbackend started.`,
	} {
		if got := detect(line); got != 0 {
			t.Errorf("detect(%q) = %d, want 0", line, got)
		}
		if _, err := newTestParser().Parse(line); err != nil {
			t.Errorf("Parse(%q): %v; want a message", line, err)
		}
	}
	if got := detect(`[NOTICE]   (1) : New worker (3) forked`); got == 0 {
		t.Errorf("detect(stderr notice) = 0; HAProxy's own stderr lines still score")
	}
}
