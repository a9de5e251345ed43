package classify

import (
	"strings"
	"testing"

	"fivexx/sources"
)

// The timeout hint of a retried request named its last server alone
// ("127.0.0.1:36769 did not answer in time" for $upstream_status
// "504, 504", the nginx-upstream recording's /slow?n=123), where the
// refused and reset hints name each server that failed so (QA s34 H1). It
// names every server that timed out: by its error line, or, with none
// about it, by nginx's 504 without a response header.
func TestTimeoutHintNamesEachServerThatTimedOut(t *testing.T) {
	readLine := func(addr string) *sources.ProxyError {
		return &sources.ProxyError{Reason: sources.ReasonReadTimeout, UpstreamAddr: addr,
			Message: "upstream timed out (110: Connection timed out) while reading response header from upstream"}
	}
	connectLine := func(addr string) *sources.ProxyError {
		return &sources.ProxyError{Reason: sources.ReasonConnectTimeout, UpstreamAddr: addr,
			Message: "upstream timed out (110: Connection timed out) while connecting to upstream"}
	}
	logged := sources.FieldUpstreamAddr | sources.FieldUpstreamStatus
	for _, c := range []struct {
		name             string
		addr, status     string // $upstream_addr, $upstream_status ("" when not logged)
		connect, header  string // $upstream_connect_time, $upstream_header_time
		upstream, detail string
		errs             []*sources.ProxyError
		want             string // the hint's beginning
	}{
		{name: "504, 504 without an error log", addr: "127.0.0.1:34599, 127.0.0.1:36769", status: "504, 504",
			connect: "0.001, 0.000", header: "-, -", upstream: "127.0.0.1:36769",
			want: "127.0.0.1:34599 and 127.0.0.1:36769 did not answer in time: "},
		{name: "504, 504, 504 on three servers, header time not logged", addr: "10.0.0.1:80, 10.0.0.2:80, 10.0.0.3:80", status: "504, 504, 504",
			upstream: "10.0.0.3:80", want: "10.0.0.1:80, 10.0.0.2:80 and 10.0.0.3:80 did not answer in time: "},
		{name: "one server tried three times (ingress-nginx)", addr: "192.168.215.1:80, 192.168.215.1:80, 192.168.215.1:80", status: "504, 504, 504",
			connect: "0, 0, 0", header: "-, -, -", upstream: "192.168.215.1:80", want: "192.168.215.1:80 did not answer in time: "},
		{name: "first attempt refused", addr: "127.0.0.1:34599, 127.0.0.1:36769", status: "502, 504",
			connect: "-, 0.000", header: "-, -", upstream: "127.0.0.1:36769", want: "127.0.0.1:36769 did not answer in time: "},
		{name: "first attempt's own 504, its header came", addr: "127.0.0.1:34599, 127.0.0.1:36769", status: "504, 504",
			connect: "0.000, 0.000", header: "0.100, -", upstream: "127.0.0.1:36769", want: "127.0.0.1:36769 did not answer in time: "},
		{name: "first attempt's 504 in connecting, a read timeout's hint", addr: "127.0.0.1:34599, 127.0.0.1:36769", status: "504, 504",
			connect: "-, 0.000", header: "-, -", upstream: "127.0.0.1:36769", want: "127.0.0.1:36769 did not answer in time: "},
		{name: "both 504 in connecting", addr: "127.0.0.1:34599, 127.0.0.1:36769", status: "504, 504",
			connect: "-, -", header: "-, -", upstream: "127.0.0.1:36769", detail: "connect",
			want: "connecting to 127.0.0.1:34599 and 127.0.0.1:36769 timed out: "},
		{name: "error lines: each timed out", addr: "127.0.0.1:34599, 127.0.0.1:36769", status: "504, 504",
			upstream: "127.0.0.1:36769", errs: []*sources.ProxyError{readLine("127.0.0.1:34599"), readLine("127.0.0.1:36769")},
			want: "127.0.0.1:34599 and 127.0.0.1:36769 did not answer in time: "},
		{name: "error lines: the first timed out in connecting", addr: "127.0.0.1:34599, 127.0.0.1:36769", status: "504, 504",
			upstream: "127.0.0.1:36769", errs: []*sources.ProxyError{connectLine("127.0.0.1:34599"), readLine("127.0.0.1:36769")},
			want: "127.0.0.1:36769 did not answer in time: "},
		{name: "combined: the error lines name both", upstream: "127.0.0.1:34913",
			errs: []*sources.ProxyError{readLine("127.0.0.1:35433"), readLine("127.0.0.1:34913")},
			want: "127.0.0.1:35433 and 127.0.0.1:34913 did not answer in time: "},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := &sources.ProxyEntry{Status: 504, Upstream: c.upstream, UpstreamAddr: fieldList(c.addr),
				UpstreamStatus: fieldList(c.status), UpstreamConnect: fieldList(c.connect), UpstreamHeader: fieldList(c.header)}
			if c.addr != "" {
				e.Fields = logged
			}
			v := &Verdict{Cause: UpstreamTimeout, Detail: c.detail, Entry: e}
			ev := evidence{kind: "nginx", family: "nginx", e: e, errs: c.errs, errorLog: len(c.errs) > 0}
			if got := hint(v, ev); !strings.HasPrefix(got, c.want) {
				t.Errorf("hint %q, want it to begin %q", got, c.want)
			}
		})
	}
}

// fieldList splits an nginx list variable as logged ("504, 504"); nil for "".
func fieldList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ", ")
}
