package nginx

import (
	"errors"
	"testing"
	"time"

	"fivexx/sources"
)

// TestIngressControllerStream: the controller's output as kubectl logs
// shows it (a reviewer's sample, formats.md §1.4 and §2.3): access lines,
// nginx's error lines and klog lines in one stream. The error lines were
// unparsed, and with them refused and timeout were lost.
func TestIngressControllerStream(t *testing.T) {
	tests := []struct {
		name     string
		line     string
		wantKind string // "entry", "error" or "" for unparsed
		reason   sources.Reason
		path     string
		time     time.Time
	}{
		{
			name:     "error line: refused",
			line:     `2023/03/08 16:02:30 [error] 31#31: *569 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, server: _, request: "GET /some/end/point HTTP/1.1", upstream: "http://10.244.2.36:80/some/end/point", host: "example.com"`,
			wantKind: "error", reason: sources.ReasonRefused, path: "/some/end/point",
			time: time.Date(2023, 3, 8, 16, 2, 30, 0, time.UTC),
		},
		{
			name:     "access line",
			line:     `10.0.0.1 - - [08/Mar/2023:16:02:30 +0000] "GET /some/end/point HTTP/1.1" 502 157 "-" "PostmanRuntime/7.26.3" 1570 0.005 [default-my-service-80] [] 10.244.2.36:80 0 0.004 502 cc30e5d47f23e3a117181ff94479bc6f`,
			wantKind: "entry", path: "/some/end/point",
			time: time.Date(2023, 3, 8, 16, 2, 30, 0, time.UTC),
		},
		{
			name:     "error line: connect timeout (musl wording)",
			line:     `2023/03/08 16:02:45 [error] 31#31: *570 upstream timed out (110: Operation timed out) while connecting to upstream, client: 108.162.227.25, server: dev-aws.example.com, request: "GET / HTTP/1.1", upstream: "http://192.168.215.1:80/", host: "dev-aws.example.com"`,
			wantKind: "error", reason: sources.ReasonConnectTimeout, path: "/",
			time: time.Date(2023, 3, 8, 16, 2, 45, 0, time.UTC),
		},
		{name: "klog line, after an access line", line: `W0308 16:02:01.000000       7 controller.go:1112] Service "default/web" does not have any active Endpoint.`,
			wantKind: "error", reason: sources.ReasonNoLiveUpstreams, time: time.Date(2023, 3, 8, 16, 2, 1, 0, time.UTC)},
		{name: "banner", line: `NGINX Ingress controller`},
	}
	p := newFormatParser(t, "ingress-nginx", sources.ParserOptions{Location: time.UTC})
	sp := newFormatParser(t, "ingress-nginx", sources.ParserOptions{Location: time.UTC}).(sources.SlotParser)
	slot := new(sources.ProxySlot)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, how := range []string{"Parse", "ParseSlot"} {
				var rec sources.Record
				var err error
				if how == "Parse" {
					rec, err = p.Parse(tt.line)
				} else {
					slot.Entry = sources.ProxyEntry{}
					rec, err = sp.ParseSlot(slot.SetText([]byte(tt.line)), slot)
				}
				switch r := rec.(type) {
				case *sources.ProxyEntry:
					if tt.wantKind != "entry" || r.Path != tt.path || !r.Time.Equal(tt.time) {
						t.Fatalf("%s: entry %s at %v, want %s %s at %v", how, r.Path, r.Time, tt.wantKind, tt.path, tt.time)
					}
				case *sources.ProxyError:
					if tt.wantKind != "error" || r.Reason != tt.reason || r.Path != tt.path || !r.Time.Equal(tt.time) || r.Raw != tt.line {
						t.Fatalf("%s: error %s %s at %v, want %s %s %s at %v", how, r.Reason, r.Path, r.Time, tt.wantKind, tt.reason, tt.path, tt.time)
					}
				case nil:
					if tt.wantKind != "" || !errors.Is(err, sources.ErrNoMatch) {
						t.Fatalf("%s: no record (%v), want %s", how, err, tt.wantKind)
					}
				}
			}
		})
	}
	// The error record owns its text: the slot's text is written again.
	slot.Entry = sources.ProxyEntry{}
	rec, _ := sp.ParseSlot(slot.SetText([]byte(tests[0].line)), slot)
	slot.SetText([]byte(tests[3].line))
	if rec.RawLine() != tests[0].line {
		t.Fatalf("error record's Raw changed with the slot: %q", rec.RawLine())
	}
}

// TestIngressScoresErrorLinesBelowTheErrorLog: a stream of both kinds is ingress-nginx's;
// an error log alone stays nginx-error's.
func TestIngressScoresErrorLinesBelowTheErrorLog(t *testing.T) {
	line := `2023/03/08 16:02:30 [error] 31#31: *569 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, server: _, request: "GET / HTTP/1.1", upstream: "http://10.244.2.36:80/", host: "example.com"`
	ing, _ := sources.LookupFormat("ingress-nginx")
	errf, _ := sources.LookupFormat("nginx-error")
	if a, b := ing.Detect(line), errf.Detect(line); a == 0 || a >= b {
		t.Fatalf("error line: ingress-nginx %d, nginx-error %d", a, b)
	}
}
