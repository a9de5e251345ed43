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

// An instance that is no address of the 5xx's upstream rules a
// time-window join out only when it names another upstream the logs
// named: an app behind nginx on 127.0.0.1:8080 that logs the Host header
// (host=127.0.0.1:8080), nginx's own address, was never joined.
func TestInstanceFits(t *testing.T) {
	c := newCorrelator(Config{}.withDefaults())
	c.ups.stats = newStats()
	for _, u := range []string{"127.0.0.1:9101", "127.0.0.1:9102", "10.0.1.11:8080", "be_app/srv1"} {
		c.ups.stats.upstream(u)
	}
	c.ups.noteErrorLine("10.0.1.12:8080") // only an error line named it
	tests := []struct {
		inst, upstream string
		want           bool
	}{
		{"127.0.0.1:8080", "127.0.0.1:9101", true}, // the proxy's own address
		{"127.0.0.1:9102", "127.0.0.1:9101", false},
		{"http://127.0.0.1:9102/", "127.0.0.1:9101", false},
		{"0.0.0.0:9102", "127.0.0.1:9101", false},
		{"0.0.0.0:21002", "127.0.0.1:9101", true}, // no upstream's port
		{"10.0.1.12:8080", "10.0.1.11:8080", false},
		{"10.0.1.12", "10.0.1.11:8080", false},
		{"10.0.1.13", "10.0.1.11:8080", true},
		{"10.0.1.11:8080", "127.0.0.1:9101", false},
		{"9102", "127.0.0.1:9101", true}, // a bare port names none
		{"shop.example.com:443", "127.0.0.1:9101", true},
		{"", "127.0.0.1:9101", true},
		{"127.0.0.1:9102", "", true},
		{"127.0.0.1:9101", "127.0.0.1:9101", true},
	}
	for _, tt := range tests {
		if got := c.instanceFits(tt.inst, tt.upstream); got != tt.want {
			t.Errorf("instanceFits(%q, %q) = %v, want %v", tt.inst, tt.upstream, got, tt.want)
		}
	}
	// A new upstream is seen at once, though the answer was cached.
	if !c.instanceFits("127.0.0.1:9103", "127.0.0.1:9101") {
		t.Error("127.0.0.1:9103 ruled out before any log named it")
	}
	c.ups.stats.upstream("127.0.0.1:9103")
	if c.instanceFits("127.0.0.1:9103", "127.0.0.1:9101") {
		t.Error("127.0.0.1:9103 not ruled out once the access log named it")
	}
}
