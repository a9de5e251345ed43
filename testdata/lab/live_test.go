package lab

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/classify"
)

// TestLiveProxies runs each real proxy in front of two in-process backends
// and checks the truth the lab derives from what they logged.
func TestLiveProxies(t *testing.T) {
	tests := []struct {
		kind  string
		start func(ctx context.Context, dir string, upstreams []string) (*Proxy, error)
	}{
		{"nginx", func(ctx context.Context, dir string, ups []string) (*Proxy, error) {
			return StartNginx(ctx, dir, NginxConfig{Upstreams: ups, LogFormat: NginxUpstreamFormat, ForwardRequestID: true})
		}},
		{"haproxy", func(ctx context.Context, dir string, ups []string) (*Proxy, error) {
			return StartHAProxy(ctx, dir, HAProxyConfig{Servers: ups})
		}},
		{"caddy", func(ctx context.Context, dir string, ups []string) (*Proxy, error) {
			return StartCaddy(ctx, dir, CaddyConfig{Upstreams: ups})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dir := t.TempDir()
			appLog, err := os.Create(filepath.Join(dir, "app.log"))
			if err != nil {
				t.Fatal(err)
			}
			defer appLog.Close()
			b1 := StartBackend(t, BackendOptions{AppLog: appLog})
			b2 := StartBackend(t, BackendOptions{AppLog: appLog})
			p, err := tt.start(ctx, filepath.Join(dir, tt.kind), []string{b1.Addr(), b2.Addr()})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Stop()

			c := NewClient(p.URL(), 0)
			c.Get(ctx, "live", "/ok")
			c.Get(ctx, "live", "/unavailable")
			c.Get(ctx, "live", "/reset")
			c.CloseIdle()
			if err := p.Stop(); err != nil {
				t.Fatal(err)
			}
			ev, err := ReadEvidence(p.Kind, p.AccessLog, p.ErrorLog, appLog.Name())
			if err != nil {
				t.Fatal(err)
			}
			type row struct {
				Path   string
				Status int
				Cause  classify.Cause
			}
			var got []row
			for _, r := range c.Results() {
				tr := ev.Decide(r)
				got = append(got, row{tr.Path, tr.Status, tr.ExpectedCause})
			}
			want := []row{
				{"/ok?n=1", 200, ""},
				{"/unavailable?n=2", 503, classify.AppUnavailable},
				{"/reset?n=3", 502, classify.UpstreamReset},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("truth (-want +got):\n%s", diff)
			}
			access, err := os.ReadFile(p.AccessLog)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range c.Results() {
				if !strings.Contains(string(access), r.RequestID) {
					t.Errorf("access log has no request id %s for %s", r.RequestID, r.Path)
				}
			}
		})
	}
}

// TestNginxReopen checks that Reopen makes nginx write to a fresh file after
// the old one was moved away, as logrotate does.
func TestNginxReopen(t *testing.T) {
	ctx := context.Background()
	b := StartBackend(t, BackendOptions{})
	p, err := StartNginx(ctx, filepath.Join(t.TempDir(), "nginx"), NginxConfig{Upstreams: []string{b.Addr()}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	c := NewClient(p.URL(), 0)
	c.Get(ctx, "reopen", "/ok")
	if err := os.Rename(p.AccessLog, p.AccessLog+".1"); err != nil {
		t.Fatal(err)
	}
	if err := p.Reopen(); err != nil {
		t.Fatal(err)
	}
	// The workers reopen a moment after the master: send until a line
	// lands in the new file.
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := c.Get(ctx, "reopen", "/ok")
		cur, _ := os.ReadFile(p.AccessLog)
		if strings.Contains(string(cur), r.Path+" ") {
			break
		}
		if time.Now().After(deadline) {
			el, _ := os.ReadFile(p.ErrorLog)
			t.Fatalf("nginx did not reopen %s; error log:\n%s", p.AccessLog, el)
		}
		time.Sleep(20 * time.Millisecond)
	}
	old, _ := os.ReadFile(p.AccessLog + ".1")
	if !strings.HasPrefix(string(old), `127.0.0.1 - - [`) || !strings.Contains(string(old), `"GET /ok?n=1 HTTP/1.1" 200 3`) {
		t.Fatalf("rotated file lost the first request:\n%s", old)
	}
}
