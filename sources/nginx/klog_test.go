package nginx

import (
	"errors"
	"testing"
	"time"

	"fivexx/sources"
)

// TestControllerKlogLines: the ingress-nginx controller's klog lines in
// its stream after the first request were unparsed; "does not have any
// active Endpoint" is the controller's word on a Service's 503s.
func TestControllerKlogLines(t *testing.T) {
	const access = `10.0.0.9 - - [31/Dec/2024:23:59:58 +0100] "GET / HTTP/1.1" 200 190 "-" "curl/8.4.0" 76 0.002 [default-web-80] [] 10.244.0.5:80 190 0.002 200 1f1c0e01aa`
	plus1 := time.FixedZone("", 3600)
	tests := []struct {
		name, line string
		want       *sources.ProxyError // nil: unparsed
	}{
		{"no active endpoint", `W1231 23:59:59.123456       7 controller.go:1112] Service "default/web" does not have any active Endpoint.`,
			&sources.ProxyError{Time: time.Date(2024, 12, 31, 23, 59, 59, 123456000, plus1), Level: "warn",
				Message: `Service "default/web" does not have any active Endpoint.`, Reason: sources.ReasonNoLiveUpstreams, Upstream: "default/web"}},
		{"a TCP service's, after new year", `W0101 00:00:01.000000       7 controller.go:1112] Service "ns/tcp" does not have any active Endpoint for TCP port 80`,
			&sources.ProxyError{Time: time.Date(2025, 1, 1, 0, 0, 1, 0, plus1), Level: "warn",
				Message: `Service "ns/tcp" does not have any active Endpoint for TCP port 80`, Reason: sources.ReasonNoLiveUpstreams, Upstream: "ns/tcp"}},
		{"info, structured", `I1231 23:59:59.000001       7 controller.go:190] "Configuration changes detected, backend reload required"`,
			&sources.ProxyError{Time: time.Date(2024, 12, 31, 23, 59, 59, 1000, plus1), Level: "info",
				Message: `"Configuration changes detected, backend reload required"`}},
		{"no file:line", `W1231 23:59:59.123456       7 controller] Service "default/web" does not have any active Endpoint.`, nil},
		{"bad month", `W1331 23:59:59.123456       7 controller.go:1] x`, nil},
		{"an app's line", `W1231 23:59:59.123456 something else`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newFormatParser(t, "ingress-nginx", sources.ParserOptions{})
			if _, err := p.Parse(access); err != nil {
				t.Fatal(err)
			}
			r, err := p.Parse(tt.line)
			if tt.want == nil {
				if r != nil || !errors.Is(err, sources.ErrNoMatch) {
					t.Fatalf("Parse = %+v, %v; want unparsed", r, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := r.(*sources.ProxyError)
			tt.want.Raw = tt.line
			if !got.Time.Equal(tt.want.Time) || got.Time.Format(time.RFC3339) != tt.want.Time.Format(time.RFC3339) {
				t.Errorf("time %v, want %v", got.Time, tt.want.Time)
			}
			got.Time = tt.want.Time
			if *got != *tt.want {
				t.Errorf("got\n%+v\nwant\n%+v", *got, *tt.want)
			}
		})
	}
	t.Run("before any access line", func(t *testing.T) {
		p := newFormatParser(t, "ingress-nginx", sources.ParserOptions{})
		if r, err := p.Parse(tests[0].line); r != nil || err == nil {
			t.Fatalf("Parse = %+v, %v; want unparsed: no year is known", r, err)
		}
	})
	t.Run("only ingress-nginx reads them", func(t *testing.T) {
		p := newFormatParser(t, "nginx-combined", sources.ParserOptions{})
		if _, err := p.Parse(`10.0.0.9 - - [31/Dec/2024:23:59:58 +0100] "GET / HTTP/1.1" 200 190 "-" "curl/8.4.0"`); err != nil {
			t.Fatal(err)
		}
		if r, err := p.Parse(tests[0].line); r != nil || err == nil {
			t.Fatalf("Parse = %+v, %v; want unparsed", r, err)
		}
	})
}
