package classify

import "testing"

// An app's instance rules a time-window join out only when it and the
// upstream are addresses of another host or port. The first two were
// false: a request logger's Host header and an app's bind address (the
// QA round's real nginx run, keys added to its app log) dropped every
// join (app coverage 83% -> 0%).
func TestSameInstance(t *testing.T) {
	tests := []struct {
		inst, upstream string
		want           bool
	}{
		{"shop.example.com", "127.0.0.1:21001", true},
		{"0.0.0.0:21001", "127.0.0.1:21001", true},
		{"[::]:21001", "127.0.0.1:21001", true},
		{"*:21001", "10.0.1.11:21001", true},
		{"0.0.0.0:21002", "127.0.0.1:21001", false},
		{"127.0.0.1:9101", "127.0.0.1:9101", true},
		{"127.0.0.1:9101", "http://127.0.0.1:9101", true},
		{"10.0.1.12:8080", "10.0.1.11:8080", false},
		{"10.0.1.11:8081", "10.0.1.11:8080", false},
		{"10.0.1.11", "10.0.1.11:8080", true},
		{"10.0.1.12", "10.0.1.11:8080", false},
		{"9101", "127.0.0.1:9101", true},
		{":9101", "127.0.0.1:9101", true},
		{":9102", "127.0.0.1:9101", false},
		{"9102", "127.0.0.1:9101", true},
		{"web-1", "127.0.0.1:9101", true},
		{"web-1", "be_app/srv1", true},
		{"srv1", "be_app/srv1", true},
		{"ip-10-0-1-11.ec2.internal", "10.0.1.11:8080", true},
	}
	for _, tt := range tests {
		if got := sameInstance(tt.inst, tt.upstream); got != tt.want {
			t.Errorf("sameInstance(%q, %q) = %v, want %v", tt.inst, tt.upstream, got, tt.want)
		}
	}
}
