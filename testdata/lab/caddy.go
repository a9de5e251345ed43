package lab

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// CaddyConfig describes the Caddy the lab runs: one server, reverse_proxy to
// two upstreams with passive health checks and a retry window, so that
// "no upstreams available" can happen.
type CaddyConfig struct {
	// Listen is 127.0.0.1:PORT; "" picks a free port.
	Listen string
	// Upstreams are the backend addresses.
	Upstreams []string
	// DialTimeout and ResponseHeaderTimeout bound the transport; 0 means 1 s.
	DialTimeout, ResponseHeaderTimeout time.Duration
	// TryDuration is load_balancing.try_duration (retries); 0 means 500 ms.
	TryDuration time.Duration
	// FailDuration is the passive health check window (max_fails 1); 0 means 5 s.
	FailDuration time.Duration
	// MaxResponseHeaderSize is the transport's header limit; 0 means 16 KiB
	// (Go's default is 10 MB, which would let /bigheader through).
	MaxResponseHeaderSize int
}

func (c CaddyConfig) withDefaults() CaddyConfig {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.DialTimeout, time.Second)
	def(&c.ResponseHeaderTimeout, time.Second)
	def(&c.TryDuration, 500*time.Millisecond)
	def(&c.FailDuration, 5*time.Second)
	if c.MaxResponseHeaderSize <= 0 {
		c.MaxResponseHeaderSize = 16 << 10
	}
	return c
}

// RenderCaddy returns Caddy's JSON config with every path under dir. The
// access log (logger http.log.access) goes to dir/access.log; every other
// logger, including http.log.error, to dir/error.log.
func RenderCaddy(dir string, cfg CaddyConfig) (string, error) {
	if len(cfg.Upstreams) == 0 {
		return "", fmt.Errorf("caddy config: no upstreams")
	}
	cfg = cfg.withDefaults()
	type obj = map[string]any
	ups := []obj{}
	for _, u := range cfg.Upstreams {
		ups = append(ups, obj{"dial": u})
	}
	conf := obj{
		"admin":   obj{"disabled": true},
		"storage": obj{"module": "file_system", "root": filepath.Join(dir, "data")},
		"logging": obj{"logs": obj{
			"default": obj{
				"writer":  obj{"output": "file", "filename": filepath.Join(dir, "error.log")},
				"encoder": obj{"format": "json"},
				"exclude": []string{"http.log.access"},
			},
			"access": obj{
				"writer":  obj{"output": "file", "filename": filepath.Join(dir, "access.log")},
				"encoder": obj{"format": "json"},
				"include": []string{"http.log.access"},
			},
		}},
		"apps": obj{"http": obj{"servers": obj{"lab": obj{
			"listen":          []string{cfg.Listen},
			"automatic_https": obj{"disable": true},
			"logs":            obj{},
			"routes": []obj{{"handle": []obj{{
				"handler":   "reverse_proxy",
				"upstreams": ups,
				"load_balancing": obj{
					"selection_policy": obj{"policy": "round_robin"},
					"try_duration":     cfg.TryDuration.String(),
				},
				"health_checks": obj{"passive": obj{
					"fail_duration": cfg.FailDuration.String(),
					"max_fails":     1,
				}},
				"transport": obj{
					"protocol":                 "http",
					"dial_timeout":             cfg.DialTimeout.String(),
					"response_header_timeout":  cfg.ResponseHeaderTimeout.String(),
					"max_response_header_size": cfg.MaxResponseHeaderSize,
				},
			}}}},
		}}}},
	}
	out, err := json.MarshalIndent(conf, "", "  ")
	if err != nil {
		return "", fmt.Errorf("caddy config: %w", err)
	}
	return string(out) + "\n", nil
}

// StartCaddy writes caddy.json into dir ("" = a new temp dir) and runs
// `caddy run --config dir/caddy.json` with the admin endpoint off and HOME,
// XDG_CONFIG_HOME and XDG_DATA_HOME inside dir.
func StartCaddy(ctx context.Context, dir string, cfg CaddyConfig) (*Proxy, error) {
	dir, err := newProxyDir(dir, "caddy")
	if err != nil {
		return nil, err
	}
	if cfg.Listen == "" {
		if cfg.Listen, err = FreePort(); err != nil {
			return nil, err
		}
	}
	conf, err := RenderCaddy(dir, cfg)
	if err != nil {
		return nil, err
	}
	p := &Proxy{
		Kind:       "caddy",
		Addr:       cfg.Listen,
		Dir:        dir,
		ConfigPath: filepath.Join(dir, "caddy.json"),
		AccessLog:  filepath.Join(dir, "access.log"),
		ErrorLog:   filepath.Join(dir, "error.log"),
		stopSig:    syscall.SIGTERM,
	}
	if err := os.WriteFile(p.ConfigPath, []byte(conf), 0o644); err != nil {
		return nil, fmt.Errorf("start caddy: %w", err)
	}
	env := []string{
		"HOME=" + dir,
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
		"XDG_DATA_HOME=" + filepath.Join(dir, "data"),
	}
	return startProxy(ctx, p, []string{"caddy", "run", "--config", p.ConfigPath}, env, "")
}
