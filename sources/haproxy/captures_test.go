package haproxy

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRequestCaptures(t *testing.T) {
	tests := []struct {
		name, line string
		want       []string
	}{
		{"one capture [real]", `127.0.0.1:36628 [22/Nov/2026:05:50:26.576] fe be_app/s1 0/0/0/0/0 503 49 - - ---- 1/1/0/0/0 0/0 {hap-2-e503} "GET /e503 HTTP/1.1"`, []string{"hap-2-e503"}},
		{"rfc3164 syslog [real]", `<134>Nov 21 07:14:38 localhost haproxy[10752]: 127.0.0.1:38248 [21/Nov/2026:07:14:38.316] fe_http be_app/srv1 0/0/0/1/1 200 107 - - ---- 1/1/0/0/0 0/0 {4bf92f3577b34da6a3ce929d0e0e4736} "GET /ok HTTP/1.1"`, []string{"4bf92f3577b34da6a3ce929d0e0e4736"}},
		{"header not sent [real]", `127.0.0.1:42492 [21/Nov/2026:07:12:58.198] fe_http be_hangup/srv1 0/0/0/-1/0 502 209 - - SH-- 1/1/0/0/0 0/0 {} "GET /hangup HTTP/1.1"`, []string{""}},
		// Request and response blocks: only the request's, '|' escaped.
		{"two captures and a response block", `10.0.0.9:51234 [02/Jan/2024:03:04:07.120] fe be/s1 0/0/0/5/5 503 217 - - ---- 1/1/0/0/0 0/0 {Mozilla/5.0 (X11#7C Linux)|req-42} {text/html} "GET /api HTTP/1.1"`, []string{"Mozilla/5.0 (X11| Linux)", "req-42"}},
		{"clf: every capture [real]", `127.0.0.1 - - [22/Nov/2026:05:54:11 +0000] "GET /e503 HTTP/1.1" 503 49 "" "" 60778 926 "fe3" "be_app" "s1" 0 0 0 2 2 ---- 1 1 0 0 0 0 0 "" "" "127.0.0.1:39202" "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c04" `, []string{"127.0.0.1:39202", "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c04"}},
		{"clf: none", `10.0.0.9 - - [02/Jan/2024:03:04:07 +0000] "GET /api HTTP/1.1" 503 217 "" "" 51234 120 "fe_http" "be_app" "<NOSRV>" 0 -1 -1 -1 0 SC-- 1 1 0 0 +0 0 0 "" ""`, nil},
		{"no capture", `127.0.0.1:42466 [21/Nov/2026:07:12:57.172] fe_http be_app/srv1 0/0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 "GET /ok HTTP/1.1"`, nil},
		{"a state line", `backend be_app has no server available!`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, requestCaptures(tt.line)); diff != "" {
				t.Errorf("requestCaptures (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTrailingFields(t *testing.T) {
	tests := []struct {
		name, line string
		want       []string
	}{
		// log-format httplog plus " %ID" (unique-id-format), HAProxy 2.6.12.
		{"unique id after the request line [real]", `127.0.0.1:56210 [22/Nov/2026:09:59:51.741] fe be_app/s1 0/0/0/1/1 500 144 - - ---- 1/1/0/0/0 0/0 "GET /e500 HTTP/1.1" 7F000001DB9248596B02AF070003`, []string{"7F000001DB9248596B02AF070003"}},
		{"after a capture block", `127.0.0.1:36628 [22/Nov/2026:05:50:26.576] fe be_app/s1 0/0/0/0/0 503 49 - - ---- 1/1/0/0/0 0/0 {curl/7.88.1} "GET /e503 HTTP/1.1" hap-2-e503`, []string{"hap-2-e503"}},
		{"httpslog's tls fields", `10.0.0.9:51234 [02/Jan/2024:03:04:07.120] fe~ be/s1 0/0/0/5/5 503 217 - - ---- 1/1/0/0/0 0/0 "GET /api HTTP/1.1" 0/0000000000000000/0/0/0 example.com/TLSv1.3/TLS_AES_256_GCM_SHA384`, []string{"0/0000000000000000/0/0/0", "example.com/TLSv1.3/TLS_AES_256_GCM_SHA384"}},
		{"syslog", `<134>Nov 21 07:14:38 localhost haproxy[10752]: 127.0.0.1:38248 [21/Nov/2026:07:14:38.316] fe_http be_app/srv1 0/0/0/1/1 503 107 - - ---- 1/1/0/0/0 0/0 "GET /ok HTTP/1.1" abc-1`, []string{"abc-1"}},
		{"the request line ends the line [real]", `127.0.0.1:42466 [21/Nov/2026:07:12:57.172] fe_http be_app/srv1 0/0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 "GET /ok HTTP/1.1"`, nil},
		{"cut before its closing quote", `10.0.0.9:51234 [02/Jan/2024:03:04:05.120] fe_http be_app/srv1 0/0/0/-1/1000 504 198 - - sH-- 1/1/0/0/0 0/0 "GET /search?q=aaa`, nil},
		{"a state line", `backend be_app has no server available!`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, trailingFields(tt.line)); diff != "" {
				t.Errorf("trailingFields (-want +got):\n%s", diff)
			}
		})
	}
}
