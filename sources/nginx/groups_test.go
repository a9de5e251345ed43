package nginx

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

// Lines real nginx 1.22.1 wrote for requests that went to a proxied
// error_page (testdata/formats/nginx-errorpage/SOURCES.md): the groups
// after " : " fetched the error page.
const (
	errpageRefused = `127.0.0.1 - - [22/Nov/2026:10:47:58 +0000] "GET /refused?n=2 HTTP/1.1" 502 15 "-" "curl/7.88.1" rt=0.000 uct="-, - : 0.000" uht="-, - : 0.000" urt="0.000, 0.000 : 0.000" ua="127.0.0.1:18804, 127.0.0.1:18805 : 127.0.0.1:18803" us="502, 502 : 502" rid=rid-02 cid=3`
	errpageApp503  = `127.0.0.1 - - [22/Nov/2026:10:47:59 +0000] "GET /unavailable?n=3 HTTP/1.1" 503 15 "-" "curl/7.88.1" rt=0.003 uct="0.002 : 0.000" uht="0.003 : 0.000" urt="0.003 : 0.000" ua="127.0.0.1:18801 : 127.0.0.1:18803" us="503 : 503" rid=rid-03 cid=8`
	errpageAccel   = `127.0.0.1 - - [22/Nov/2026:10:48:02 +0000] "GET /accel?n=11 HTTP/1.1" 502 15 "-" "curl/7.88.1" rt=0.000 uct="0.001 : - : 0.000" uht="0.001 : - : 0.000" urt="0.001 : 0.000 : 0.000" ua="127.0.0.1:18803 : dead : 127.0.0.1:18803" us="200 : 502 : 502" rid=rid-11 cid=34`
	errpageKeep    = `127.0.0.1 - - [22/Nov/2026:10:48:02 +0000] "GET /keep?n=9 HTTP/1.1" 502 15 "-" "curl/7.88.1" rt=0.000 uct="- : 0.000" uht="- : 0.000" urt="0.000 : 0.000" ua="dead : 127.0.0.1:18803" us="502 : 200" rid=rid-09 cid=30`

	errpageIngressRefused = `127.0.0.1 - - [22/Nov/2026:10:47:58 +0000] "GET /refused?n=2 HTTP/1.1" 502 15 "-" "curl/7.88.1" 112 0.000 [default-web-80] [] 127.0.0.1:18804, 127.0.0.1:18805 : 127.0.0.1:18803 0, 0 : 15 0.000, 0.000 : 0.000 502, 502 : 502 rid-02`
	errpageIngressApp500  = `127.0.0.1 - - [22/Nov/2026:10:47:59 +0000] "GET /error?n=4 HTTP/1.1" 500 15 "-" "curl/7.88.1" 110 0.002 [default-web-80] [] 127.0.0.1:18801 : 127.0.0.1:18803 0 : 15 0.002 : 0.000 500 : 500 rid-04`

	errpageJSONRefused = `{"time":"2026-11-22T10:58:54+00:00","remote_addr":"127.0.0.1","request":"GET /refused?n=21 HTTP/1.1","status":502,"request_time":0.001,"upstream_addr":"127.0.0.1:18804, 127.0.0.1:18805 : 127.0.0.1:18803","upstream_status":"502, 502 : 502","upstream_connect_time":"-, - : 0.000","upstream_header_time":"-, - : 0.000","upstream_response_time":"0.000, 0.000 : 0.000","upstream_response_length":"0, 0 : 15","request_id":"rid-21","connection":39,"http_user_agent":"curl/7.88.1"}`
)

// ownAttempts is what the tests compare of an entry: its upstream fields.
type ownAttempts struct {
	Upstream                   string
	Addr, Status, Header, Resp []string
	AddrRaw, StatusRaw         string
	Answered, Bodyless         sources.Tri
	Reason                     sources.Reason
}

func ownAttemptsOf(e *sources.ProxyEntry) ownAttempts {
	return ownAttempts{
		Upstream: e.Upstream, Addr: e.UpstreamAddr, Status: e.UpstreamStatus, Header: e.UpstreamHeader, Resp: e.UpstreamResponse,
		AddrRaw: e.UpstreamAddrRaw, StatusRaw: e.UpstreamStatusRaw,
		Answered: e.UpstreamAnswered, Bodyless: e.UpstreamBodyless, Reason: e.Reason,
	}
}

// TestErrorPageGroupIsNotTheRequests: the request's upstream, answer and
// lists are its own attempts, not the error page's group after " : "
// (session 23 QA F1: the error backend was the upstream of every 5xx, and
// its status "the app's answer").
func TestErrorPageGroupIsNotTheRequests(t *testing.T) {
	const labFormat = `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" rt=$request_time uct="$upstream_connect_time" uht="$upstream_header_time" urt="$upstream_response_time" ua="$upstream_addr" us="$upstream_status" rid=$rid cid=$connection`
	parsers := map[string]sources.Parser{
		"nginx-upstream": newFormatParser(t, "nginx-upstream", sources.ParserOptions{}),
		"log_format":     mustCompileT(t, labFormat, ""),
		"ingress-nginx":  newFormatParser(t, "ingress-nginx", sources.ParserOptions{}),
		"nginx-json":     newFormatParser(t, "nginx-json", sources.ParserOptions{}),
	}
	tests := []struct {
		name, format, line string
		want               ownAttempts
	}{
		{"refused twice, then the error page", "nginx-upstream", errpageRefused, ownAttempts{
			Upstream: "127.0.0.1:18805", Addr: []string{"127.0.0.1:18804", "127.0.0.1:18805"}, Status: []string{"502", "502"},
			Header: []string{"-", "-"}, Resp: []string{"0.000", "0.000"},
			AddrRaw: "127.0.0.1:18804, 127.0.0.1:18805 : 127.0.0.1:18803", StatusRaw: "502, 502 : 502", Answered: sources.No,
		}},
		{"refused twice, log_format", "log_format", errpageRefused, ownAttempts{
			Upstream: "127.0.0.1:18805", Addr: []string{"127.0.0.1:18804", "127.0.0.1:18805"}, Status: []string{"502", "502"},
			Header: []string{"-", "-"}, Resp: []string{"0.000", "0.000"},
			AddrRaw: "127.0.0.1:18804, 127.0.0.1:18805 : 127.0.0.1:18803", StatusRaw: "502, 502 : 502", Answered: sources.No,
		}},
		{"the app's 503, intercepted", "nginx-upstream", errpageApp503, ownAttempts{
			Upstream: "127.0.0.1:18801", Addr: []string{"127.0.0.1:18801"}, Status: []string{"503"},
			Header: []string{"0.003"}, Resp: []string{"0.003"},
			AddrRaw: "127.0.0.1:18801 : 127.0.0.1:18803", StatusRaw: "503 : 503", Answered: sources.Yes,
		}},
		{"X-Accel-Redirect's 200, then a dead group, then its error page", "nginx-upstream", errpageAccel, ownAttempts{
			Upstream: "dead", Addr: []string{"dead"}, Status: []string{"502"}, Header: []string{"-"}, Resp: []string{"0.000"},
			AddrRaw: "127.0.0.1:18803 : dead : 127.0.0.1:18803", StatusRaw: "200 : 502 : 502", Answered: sources.No,
			Reason: sources.ReasonNoLiveUpstreams,
		}},
		{"error_page without =: the page's 200 is not the request's", "nginx-upstream", errpageKeep, ownAttempts{
			Upstream: "dead", Addr: []string{"dead"}, Status: []string{"502"}, Header: []string{"-"}, Resp: []string{"0.000"},
			AddrRaw: "dead : 127.0.0.1:18803", StatusRaw: "502 : 200", Answered: sources.No, Reason: sources.ReasonNoLiveUpstreams,
		}},
		{"ingress-nginx custom-http-errors: refused twice", "ingress-nginx", errpageIngressRefused, ownAttempts{
			Upstream: "127.0.0.1:18805", Addr: []string{"127.0.0.1:18804", "127.0.0.1:18805"}, Status: []string{"502", "502"},
			Resp:    []string{"0.000", "0.000"},
			AddrRaw: "127.0.0.1:18804, 127.0.0.1:18805 : 127.0.0.1:18803", StatusRaw: "502, 502 : 502",
			Bodyless: sources.Yes, // "0, 0", not the error page's 15 bytes
		}},
		{"ingress-nginx: the app's 500, the page's status", "ingress-nginx", errpageIngressApp500, ownAttempts{
			Upstream: "127.0.0.1:18801", Addr: []string{"127.0.0.1:18801"}, Status: []string{"500"}, Resp: []string{"0.002"},
			AddrRaw: "127.0.0.1:18801 : 127.0.0.1:18803", StatusRaw: "500 : 500", Answered: sources.Yes, Bodyless: sources.Yes,
		}},
		{"escape=json", "nginx-json", errpageJSONRefused, ownAttempts{
			Upstream: "127.0.0.1:18805", Addr: []string{"127.0.0.1:18804", "127.0.0.1:18805"}, Status: []string{"502", "502"},
			Header: []string{"-", "-"}, Resp: []string{"0.000", "0.000"},
			AddrRaw: "127.0.0.1:18804, 127.0.0.1:18805 : 127.0.0.1:18803", StatusRaw: "502, 502 : 502",
			Answered: sources.No, Bodyless: sources.Yes,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := parsers[tc.format].Parse(tc.line)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			e := r.(*sources.ProxyEntry)
			if diff := cmp.Diff(tc.want, ownAttemptsOf(e)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if !e.Redirected() {
				t.Error("Redirected() = false")
			}
		})
	}
}

func TestOwnGroup(t *testing.T) {
	tests := []struct {
		status      string
		client      int
		g, from, to int
		grouped     bool
	}{
		{"502, 502", 502, 0, 0, 0, false},
		{"502, 502 : 502", 502, 0, 0, 2, true},
		{"503 : 503", 503, 0, 0, 1, true},
		{"200 : 502 : 502", 502, 1, 1, 2, true}, // X-Accel-Redirect, then the error page
		{"404 : 502, 504", 504, 1, 1, 3, true},  // error_page 404 to a fallback that failed
		{"200 : 200", 500, 1, 1, 2, true},       // none failed: the last group
		{"- : 502", 502, 0, 0, 1, true},         // no status is no answer below 500
		{"502 : 200", 200, 0, 0, 0, false},      // a fallback answered the client: no verdict, left whole
	}
	for _, tc := range tests {
		g, from, to, grouped := ownGroup(tc.status, tc.client)
		if g != tc.g || from != tc.from || to != tc.to || grouped != tc.grouped {
			t.Errorf("ownGroup(%q, %d) = %d, [%d, %d), %v; want %d, [%d, %d), %v",
				tc.status, tc.client, g, from, to, grouped, tc.g, tc.from, tc.to, tc.grouped)
		}
	}
	if got := groupText("0, 0 : 15 : 7", 1); got != "15" {
		t.Errorf("groupText(_, 1) = %q", got)
	}
}
