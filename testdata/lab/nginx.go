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

// Log formats the lab's nginx recordings use.
const (
	// NginxUpstreamFormat is combined plus upstream fields, the request id
	// ($rid: the client's X-Request-ID, else $request_id) and $connection.
	NginxUpstreamFormat = `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent ` +
		`"$http_referer" "$http_user_agent" rt=$request_time uct="$upstream_connect_time" ` +
		`uht="$upstream_header_time" urt="$upstream_response_time" ua="$upstream_addr" ` +
		`us="$upstream_status" rid=$rid cid=$connection`
	// NginxJSONFormat is an escape=json format with the same fields.
	NginxJSONFormat = `{"time":"$time_iso8601","remote_addr":"$remote_addr","request":"$request",` +
		`"status":$status,"body_bytes_sent":$body_bytes_sent,"request_time":$request_time,` +
		`"upstream_addr":"$upstream_addr","upstream_status":"$upstream_status",` +
		`"upstream_connect_time":"$upstream_connect_time","upstream_header_time":"$upstream_header_time",` +
		`"upstream_response_time":"$upstream_response_time","request_id":"$rid","connection":$connection,` +
		`"http_user_agent":"$http_user_agent"}`
)

// NginxConfig describes the nginx the lab runs: one server in front of an
// upstream group, with short timeouts and a rate-limited /limited location.
type NginxConfig struct {
	// Listen is 127.0.0.1:PORT; "" picks a free port.
	Listen string
	// Upstreams are the backend addresses (two, so "no live upstreams" can happen).
	Upstreams []string
	// LogFormat is the log_format string; "" uses the predefined combined.
	LogFormat string
	// Escape is the log_format escape= mode ("" for default, "json").
	Escape string
	// ForwardRequestID sends $rid as X-Request-ID to the app; when false the
	// header is removed, so the app never sees an id (the time-window case).
	ForwardRequestID bool
	// ErrorLogLevel is the error_log level; "" means error (nginx's default).
	ErrorLogLevel string
	// ConnectTimeout and ReadTimeout are proxy_connect_timeout and
	// proxy_read_timeout (and send); 0 means 1 s.
	ConnectTimeout, ReadTimeout time.Duration
	// MaxFails and FailTimeout are set on every server; 0 means 1 and 5 s.
	MaxFails    int
	FailTimeout time.Duration
	// LimitRate is the limit_req_zone rate for /limited (burst 0); "" means 2r/s.
	LimitRate string
	// NoRetry sets proxy_next_upstream off, so a failed attempt is the
	// client's answer instead of being retried on the other server.
	NoRetry bool
	// NoFailAccounting sets max_fails=0: servers are never marked down.
	NoFailAccounting bool
}

func (c NginxConfig) withDefaults() NginxConfig {
	if c.ErrorLogLevel == "" {
		c.ErrorLogLevel = "error"
	}
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = time.Second
	}
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = time.Second
	}
	if c.MaxFails <= 0 {
		c.MaxFails = 1
	}
	if c.FailTimeout <= 0 {
		c.FailTimeout = 5 * time.Second
	}
	if c.LimitRate == "" {
		c.LimitRate = "2r/s"
	}
	return c
}

// RenderNginx returns the nginx.conf for cfg with every path under dir.
func RenderNginx(dir string, cfg NginxConfig) (string, error) {
	cfg = cfg.withDefaults()
	if len(cfg.Upstreams) == 0 {
		return "", fmt.Errorf("nginx config: no upstreams")
	}
	if strings.Contains(cfg.LogFormat, "'") {
		return "", fmt.Errorf("nginx config: log format must not contain a single quote")
	}
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("# fivexx lab: nginx in front of two fault-injecting backends (testdata/lab).")
	if os.Geteuid() == 0 {
		// Workers reopen the logs themselves on SIGUSR1; as nobody they could
		// not reach a private temp dir (t.TempDir is 0700).
		w("user root root;")
	}
	w("worker_processes 1;")
	w("pid %s;", filepath.Join(dir, "nginx.pid"))
	w("error_log %s %s;", filepath.Join(dir, "error.log"), cfg.ErrorLogLevel)
	w("events { worker_connections 512; }")
	w("http {")
	for _, t := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		w("    %s_temp_path %s;", t, filepath.Join(dir, "tmp", t))
	}
	w("    default_type text/plain;")
	w("    # The client sends its own X-Request-ID; use it, else nginx's own $request_id.")
	w("    map $http_x_request_id $rid {")
	w(`        ""      $request_id;`)
	w("        default $http_x_request_id;")
	w("    }")
	format := "combined"
	if cfg.LogFormat != "" {
		format = "lab"
		esc := ""
		if cfg.Escape != "" {
			esc = " escape=" + cfg.Escape
		}
		w("    log_format lab%s '%s';", esc, cfg.LogFormat)
	}
	w("    access_log %s %s;", filepath.Join(dir, "access.log"), format)
	w("    limit_req_zone $binary_remote_addr zone=lab_limit:1m rate=%s;", cfg.LimitRate)
	w("    upstream app {")
	maxFails := cfg.MaxFails
	if cfg.NoFailAccounting {
		maxFails = 0
	}
	for _, u := range cfg.Upstreams {
		w("        server %s max_fails=%d fail_timeout=%ds;", u, maxFails, int(cfg.FailTimeout.Seconds()))
	}
	w("    }")
	w("    server {")
	w("        listen %s;", cfg.Listen)
	w("        proxy_connect_timeout %s;", durMS(cfg.ConnectTimeout))
	w("        proxy_read_timeout %s;", durMS(cfg.ReadTimeout))
	w("        proxy_send_timeout %s;", durMS(cfg.ReadTimeout))
	if cfg.NoRetry {
		w("        proxy_next_upstream off;")
	}
	if cfg.ForwardRequestID {
		w("        proxy_set_header X-Request-ID $rid;")
	} else {
		w(`        proxy_set_header X-Request-ID "";`)
	}
	w("        location / {")
	w("            proxy_pass http://app;")
	w("        }")
	w("        location /limited {")
	w("            limit_req zone=lab_limit;")
	w("            proxy_pass http://app;")
	w("        }")
	w("    }")
	w("}")
	return b.String(), nil
}

// StartNginx writes nginx.conf into dir ("" = a new temp dir) and runs
// `nginx -p dir -c dir/nginx.conf -e dir/error.log -g 'daemon off;'` in the
// foreground. Access log: dir/access.log; error log: dir/error.log.
func StartNginx(ctx context.Context, dir string, cfg NginxConfig) (*Proxy, error) {
	dir, err := newProxyDir(dir, "nginx")
	if err != nil {
		return nil, err
	}
	if cfg.Listen == "" {
		if cfg.Listen, err = FreePort(); err != nil {
			return nil, err
		}
	}
	conf, err := RenderNginx(dir, cfg)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o755); err != nil {
		return nil, fmt.Errorf("start nginx: %w", err)
	}
	p := &Proxy{
		Kind:       "nginx",
		Addr:       cfg.Listen,
		Dir:        dir,
		ConfigPath: filepath.Join(dir, "nginx.conf"),
		AccessLog:  filepath.Join(dir, "access.log"),
		ErrorLog:   filepath.Join(dir, "error.log"),
		stopSig:    syscall.SIGTERM,
	}
	if err := os.WriteFile(p.ConfigPath, []byte(conf), 0o644); err != nil {
		return nil, fmt.Errorf("start nginx: %w", err)
	}
	argv := []string{"nginx", "-p", dir + "/", "-c", p.ConfigPath, "-e", p.ErrorLog, "-g", "daemon off;"}
	return startProxy(ctx, p, argv, nil, "")
}
