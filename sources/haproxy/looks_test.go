package haproxy

import "testing"

func TestLooksLikeRequest(t *testing.T) {
	tests := []struct {
		name, line string
		want       bool
	}{
		{"httplog", `127.0.0.1:46076 [22/Nov/2026:13:05:52.876] fe2 be_app/s1 0/0/1/0/1 200 74 -- -- ---- 1/1/0/0/0 0/0 "GET /ok HTTP/1.1"`, true},
		{"custom: %CC %CS dropped, an id after the request", `127.0.0.1:46076 [22/Nov/2026:13:05:52.876] fe2 be_app/s1 0/0/1/0/1 200 74 ---- 1/1/0/0/0 0/0 "GET /ok?bg2=1 HTTP/1.1" rid=9ff6c1b0`, true},
		{"custom: the id before the request", `127.0.0.1:37324 [21/Nov/2026:07:39:52.029] fe_http be_app/s1 0/0/0/1/1 200 122 ---- 1/1/0/0/0 0/0 {7f4c8500ad8067d182378ce44fbe6762} "GET /ok?n=1 HTTP/1.1"`, true},
		{"custom behind an rsyslog header", `Nov 21 07:39:52 host haproxy[123]: 127.0.0.1:37324 [21/Nov/2026:07:39:52.029] fe_http be_app/s1 200 "GET / HTTP/1.1"`, true},
		{"clf behind HAProxy's tag", `Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2 - - [06/Feb/2025:12:14:14 +0000] "GET / HTTP/1.1" 200`, true},
		{"date without milliseconds", `10.0.0.1:5000 [22/Nov/2026:13:05:52] fe be/s 200`, true},
		{"nginx $remote_addr:$remote_port [$time_local]", `127.0.0.1:46076 [22/Nov/2026:13:05:52 +0000] "GET / HTTP/1.1" 200 74`, false},
		{"nginx combined", `127.0.0.1 - - [22/Nov/2026:13:05:52 +0000] "GET / HTTP/1.1" 200 74 "-" "curl"`, false},
		{"clf with no tag", `10.0.1.2 - - [06/Feb/2025:12:14:14 +0000] "GET / HTTP/1.1" 200`, false},
		{"app text", `2026-11-22 13:05:52,876 INFO GET /ok 200`, false},
		{"server state line", `[WARNING]  (17) : Server be_app/s1 is DOWN, reason: Layer4 connection problem`, false},
		{"empty", ``, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LooksLikeRequest(tt.line); got != tt.want {
				t.Errorf("LooksLikeRequest(%q) = %v, want %v", tt.line, got, tt.want)
			}
		})
	}
}
