package lab

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// HAProxyConfig describes the HAProxy the lab runs: one frontend, one
// backend with two servers under layer-4 health checks, option httplog.
type HAProxyConfig struct {
	// Listen is 127.0.0.1:PORT; "" picks a free port.
	Listen string
	// Servers are the backend addresses.
	Servers []string
	// Syslog logs with `log stdout local0` (RFC 3164 header with <PRI>)
	// instead of `log stdout format raw local0` (bare httplog lines).
	Syslog bool
	// ConnectTimeout and ServerTimeout are `timeout connect` and `timeout
	// server`; 0 means 1 s.
	ConnectTimeout, ServerTimeout time.Duration
	// CheckInter is the health-check interval (fall 1 rise 1); 0 means 500 ms.
	CheckInter time.Duration
}

func (c HAProxyConfig) withDefaults() HAProxyConfig {
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = time.Second
	}
	if c.ServerTimeout <= 0 {
		c.ServerTimeout = time.Second
	}
	if c.CheckInter <= 0 {
		c.CheckInter = 500 * time.Millisecond
	}
	return c
}

// RenderHAProxy returns the haproxy.cfg for cfg.
func RenderHAProxy(cfg HAProxyConfig) (string, error) {
	if len(cfg.Servers) == 0 {
		return "", fmt.Errorf("haproxy config: no servers")
	}
	cfg = cfg.withDefaults()
	logLine := "log stdout format raw local0"
	if cfg.Syslog {
		logLine = "log stdout local0"
	}
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("# fivexx lab: HAProxy in front of two fault-injecting backends (testdata/lab).")
	w("global")
	w("    %s", logLine)
	w("defaults")
	w("    mode http")
	w("    log global")
	w("    option httplog")
	w("    option dontlognull")
	w("    timeout connect %s", durMS(cfg.ConnectTimeout))
	w("    timeout server %s", durMS(cfg.ServerTimeout))
	w("    timeout client 10s")
	w("    timeout http-request 5s")
	w("    retries 2")
	w("    option redispatch")
	w("frontend fe_http")
	w("    bind %s", cfg.Listen)
	w("    capture request header X-Request-ID len 64")
	w("    default_backend be_app")
	w("backend be_app")
	w("    balance roundrobin")
	for i, s := range cfg.Servers {
		w("    server s%d %s check inter %s fall 1 rise 1", i+1, s, durMS(cfg.CheckInter))
	}
	return b.String(), nil
}

// StartHAProxy writes haproxy.cfg into dir ("" = a new temp dir) and runs
// `haproxy -f dir/haproxy.cfg -db`. Its stdout (the log) is captured to
// dir/access.log, its stderr (alerts, warnings) to dir/stderr.log.
func StartHAProxy(ctx context.Context, dir string, cfg HAProxyConfig) (*Proxy, error) {
	dir, err := newProxyDir(dir, "haproxy")
	if err != nil {
		return nil, err
	}
	if cfg.Listen == "" {
		if cfg.Listen, err = FreePort(); err != nil {
			return nil, err
		}
	}
	conf, err := RenderHAProxy(cfg)
	if err != nil {
		return nil, err
	}
	p := &Proxy{
		Kind:       "haproxy",
		Addr:       cfg.Listen,
		Dir:        dir,
		ConfigPath: filepath.Join(dir, "haproxy.cfg"),
		AccessLog:  filepath.Join(dir, "access.log"),
		// Soft stop: a hard stop can lose the log line of the last stream,
		// which HAProxy writes when the stream is released, just after the
		// client got its response.
		stopSig: syscall.SIGUSR1,
	}
	if err := os.WriteFile(p.ConfigPath, []byte(conf), 0o644); err != nil {
		return nil, fmt.Errorf("start haproxy: %w", err)
	}
	return startProxy(ctx, p, []string{"haproxy", "-f", p.ConfigPath, "-db"}, nil, p.AccessLog)
}
