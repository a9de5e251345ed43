package lab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Recording is one directory under testdata/recordings: a proxy, its
// config and the app log variant.
type Recording struct {
	// Name is the output directory name.
	Name string
	// Kind is the proxy: "nginx", "haproxy" or "caddy".
	Kind string
	// Doc says what is special about this recording.
	Doc string
	// Nginx, HAProxy and Caddy are config templates; listen and backend
	// addresses are filled in at run time.
	Nginx   NginxConfig
	HAProxy HAProxyConfig
	Caddy   CaddyConfig
	// TextAppLog selects the plain-text app log variant.
	TextAppLog bool
	// Settle is how long to wait for the proxy to forget failures.
	Settle time.Duration
}

// Recordings returns every recording the lab makes.
func Recordings() []Recording {
	const nginxSettle = 6300 * time.Millisecond // fail_timeout=5s is checked in whole seconds
	return []Recording{
		{
			Name: "nginx-upstream", Kind: "nginx", Settle: nginxSettle,
			Doc: "upstream-aware log_format with $rid and $connection; X-Request-ID forwarded; error_log at warn",
			Nginx: NginxConfig{
				LogFormat: NginxUpstreamFormat, ForwardRequestID: true, ErrorLogLevel: "warn",
			},
		},
		{
			Name: "nginx-combined", Kind: "nginx", Settle: nginxSettle, TextAppLog: true,
			Doc:   "stock combined format, X-Request-ID removed before the app, plain-text app log (the time-window case)",
			Nginx: NginxConfig{ForwardRequestID: false},
		},
		{
			Name: "nginx-json", Kind: "nginx", Settle: nginxSettle,
			Doc: "escape=json log_format with upstream fields and request id",
			Nginx: NginxConfig{
				LogFormat: NginxJSONFormat, Escape: "json", ForwardRequestID: true,
			},
		},
		{
			Name: "haproxy", Kind: "haproxy", Settle: 1500 * time.Millisecond,
			Doc:     "option httplog via `log stdout format raw local0` (no syslog header), X-Request-ID captured",
			HAProxy: HAProxyConfig{},
		},
		{
			Name: "haproxy-syslog", Kind: "haproxy", Settle: 1500 * time.Millisecond,
			Doc:     "option httplog via `log stdout local0`: each line carries <PRI> and an RFC 3164 header",
			HAProxy: HAProxyConfig{Syslog: true},
		},
		{
			Name: "caddy", Kind: "caddy", Settle: 5300 * time.Millisecond,
			Doc:   "JSON access log (http.log.access) in access.log; http.log.error and every other logger in error.log",
			Caddy: CaddyConfig{},
		},
	}
}

// RecordOptions configures Record.
type RecordOptions struct {
	// Out is the output directory (testdata/recordings).
	Out string
	// Only limits the run to these recording names; empty records all.
	Only []string
	// Seed drives the mixed incident.
	Seed int64
	// BackendCommand runs a backend process (BackendMain), e.g.
	// {os.Args[0], "backend"}.
	BackendCommand []string
	// Progress receives progress lines; nil is silent.
	Progress io.Writer
}

// MissingProgramError says a proxy program is not on PATH.
type MissingProgramError struct{ Program string }

// Error implements error.
func (e *MissingProgramError) Error() string {
	return fmt.Sprintf("%s not found on PATH (install the Debian package %s)", e.Program, e.Program)
}

// Record makes the selected recordings, concurrently (each has its own
// proxy, backends and ports), and writes each directory only when its run
// succeeded.
func Record(ctx context.Context, opts RecordOptions) error {
	recs, err := selectRecordings(opts.Only)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if _, err := exec.LookPath(r.Kind); err != nil {
			return &MissingProgramError{Program: r.Kind}
		}
	}
	if len(opts.BackendCommand) == 0 {
		return errors.New("record: no backend command")
	}
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	logf := func(name string) func(string, ...any) {
		return func(format string, args ...any) {
			if opts.Progress == nil {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(opts.Progress, "%-15s %s\n", name, fmt.Sprintf(format, args...))
		}
	}
	for _, r := range recs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := recordOne(ctx, r, opts, logf(r.Name)); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", r.Name, err))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func selectRecordings(only []string) ([]Recording, error) {
	all := Recordings()
	if len(only) == 0 {
		return all, nil
	}
	var out []Recording
	for _, name := range only {
		found := false
		for _, r := range all {
			if r.Name == name {
				out = append(out, r)
				found = true
			}
		}
		if !found {
			var names []string
			for _, r := range all {
				names = append(names, r.Name)
			}
			return nil, fmt.Errorf("unknown recording %q (have %s)", name, strings.Join(names, ", "))
		}
	}
	return out, nil
}

func recordOne(ctx context.Context, r Recording, opts RecordOptions, logf func(string, ...any)) (err error) {
	tmp, err := os.MkdirTemp("", "fivexx-lab-"+r.Name+"-")
	if err != nil {
		return fmt.Errorf("make temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	appLog := filepath.Join(tmp, "app.log")

	var backends []*BackendProcess
	defer func() {
		for _, b := range backends {
			if e := b.Stop(); e != nil && err == nil {
				err = e
			}
		}
	}()
	var addrs []string
	for i := 0; i < 2; i++ {
		addr, err := FreePort()
		if err != nil {
			return err
		}
		b, err := StartBackendProcess(ctx, opts.BackendCommand, ProcessOptions{
			Addr: addr, AppLog: appLog, Text: r.TextAppLog, AutoRestart: time.Second,
		})
		if err != nil {
			return err
		}
		backends = append(backends, b)
		addrs = append(addrs, addr)
	}

	proxyDir := filepath.Join(tmp, r.Kind)
	var proxy *Proxy
	switch r.Kind {
	case "nginx":
		cfg := r.Nginx
		cfg.Upstreams = addrs
		proxy, err = StartNginx(ctx, proxyDir, cfg)
	case "haproxy":
		cfg := r.HAProxy
		cfg.Servers = addrs
		proxy, err = StartHAProxy(ctx, proxyDir, cfg)
	case "caddy":
		cfg := r.Caddy
		cfg.Upstreams = addrs
		proxy, err = StartCaddy(ctx, proxyDir, cfg)
	default:
		err = fmt.Errorf("unknown proxy %q", r.Kind)
	}
	if err != nil {
		return err
	}
	proxyStopped := false
	defer func() {
		if !proxyStopped {
			_ = proxy.Stop()
		}
	}()
	logf("%s pid %d on %s, backends %s", r.Kind, proxy.PID(), proxy.Addr, strings.Join(addrs, ", "))

	client := NewClient(proxy.URL(), DefaultRequestTimeout)
	defer client.CloseIdle()
	stage := &Stage{
		Client: client, Settle: r.Settle, RateLimited: r.Kind == "nginx", Seed: opts.Seed, Logf: logf,
	}
	for _, b := range backends {
		stage.Backends = append(stage.Backends, b)
	}
	var ran []string
	for _, sc := range Scenarios() {
		if sc.NginxOnly && r.Kind != "nginx" {
			continue
		}
		start, before := time.Now(), len(client.Results())
		if err := sc.Run(ctx, stage); err != nil {
			return fmt.Errorf("scenario %s: %w", sc.Name, err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		ran = append(ran, sc.Name)
		logf("%-15s %5.1fs %3d requests: %s", sc.Name, time.Since(start).Seconds(),
			len(client.Results())-before, statusSummary(client.Results()[before:]))
	}
	client.CloseIdle()
	// Stop the proxy first so every log line is on disk before it is read.
	proxyStopped = true
	if err := proxy.Stop(); err != nil {
		return err
	}
	version, err := ProxyVersion(r.Kind)
	if err != nil {
		return err
	}
	return writeRecording(r, opts, proxy, appLog, client.Results(), ran, addrs, version, logf)
}

func statusSummary(rs []Result) string {
	counts := map[int]int{}
	for _, r := range rs {
		counts[r.Status]++
	}
	var keys []int
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d×%d", counts[k], k))
	}
	return strings.Join(parts, " ")
}

// Meta is meta.json: what was recorded, with what and how.
type Meta struct {
	Name         string            `json:"name"`
	Proxy        string            `json:"proxy"`
	Version      string            `json:"version"`
	Doc          string            `json:"doc"`
	Recorded     string            `json:"recorded"`
	TimeZone     string            `json:"time_zone"`
	Seed         int64             `json:"seed"`
	Config       string            `json:"config"`
	LogFormat    string            `json:"log_format,omitempty"`
	LogEscape    string            `json:"log_format_escape,omitempty"`
	Files        map[string]string `json:"files"`
	AppLogFormat string            `json:"app_log_format"`
	ProxyAddr    string            `json:"proxy_addr"`
	Backends     []string          `json:"backends"`
	Settings     map[string]string `json:"settings"`
	Scenarios    []string          `json:"scenarios"`
	Requests     int               `json:"requests"`
	Statuses     map[string]int    `json:"statuses"`
	Causes       map[string]int    `json:"expected_causes"`
}

func writeRecording(r Recording, opts RecordOptions, proxy *Proxy, appLog string, results []Result,
	ran, backends []string, version string, logf func(string, ...any)) error {
	ev, err := ReadEvidence(r.Kind, proxy.AccessLog, proxy.ErrorLog, appLog)
	if err != nil {
		return err
	}
	truth := make([]Truth, 0, len(results))
	statuses, causes := map[string]int{}, map[string]int{}
	for _, res := range results {
		t := ev.Decide(res)
		truth = append(truth, t)
		statuses[fmt.Sprint(t.Status)]++
		if t.ExpectedCause != "" {
			causes[string(t.ExpectedCause)]++
		}
	}

	dir := filepath.Join(opts.Out, r.Name)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	confName := "proxy.conf"
	if r.Kind == "caddy" {
		confName = "caddy.json"
	}
	files := map[string]string{
		"access.log":  accessDoc(r),
		"app.log":     "both backend instances append to this one file (O_APPEND, one write per line)",
		"truth.jsonl": "one line per client request: what it got and the expected cause (testdata/lab/README.md)",
		confName:      "the exact config the proxy ran with",
	}
	copies := map[string]string{proxy.AccessLog: "access.log", appLog: "app.log", proxy.ConfigPath: confName}
	switch r.Kind {
	case "nginx":
		copies[proxy.ErrorLog] = "error.log"
		files["error.log"] = "nginx error_log at level " + r.Nginx.withDefaults().ErrorLogLevel
	case "caddy":
		copies[proxy.ErrorLog] = "error.log"
		files["error.log"] = "every logger except http.log.access: http.log.error entries, startup and shutdown"
	case "haproxy":
		copies[proxy.StderrLog] = "stderr.log"
		files["stderr.log"] = "haproxy's stderr: [WARNING]/[ALERT] lines (server DOWN/UP)"
	}
	for src, name := range copies {
		if err := copyFile(src, filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	tf, err := os.Create(filepath.Join(dir, "truth.jsonl"))
	if err != nil {
		return err
	}
	if err := WriteTruth(tf, truth); err != nil {
		_ = tf.Close()
		return err
	}
	if err := tf.Close(); err != nil {
		return err
	}

	zone, offset := time.Now().Zone()
	meta := Meta{
		Name: r.Name, Proxy: r.Kind, Version: version, Doc: r.Doc,
		Recorded: time.Now().UTC().Format(time.RFC3339),
		TimeZone: fmt.Sprintf("%s (UTC%+03d:%02d)", zone, offset/3600, offset%3600/60),
		Seed:     opts.Seed, Config: confName, Files: files,
		AppLogFormat: "json", ProxyAddr: proxy.Addr, Backends: backends,
		Settings: settingsOf(r), Scenarios: ran, Requests: len(truth),
		Statuses: statuses, Causes: causes,
	}
	if r.TextAppLog {
		meta.AppLogFormat = "text"
	}
	if r.Kind == "nginx" {
		meta.LogFormat, meta.LogEscape = r.Nginx.LogFormat, r.Nginx.Escape
		if meta.LogFormat == "" {
			meta.LogFormat = "combined"
		}
	}
	mb, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "meta.json"), append(mb, '\n'), 0o644); err != nil {
		return err
	}
	logf("wrote %s: %d requests, causes %v", dir, len(truth), causes)
	return nil
}

func accessDoc(r Recording) string {
	switch r.Kind {
	case "haproxy":
		return "haproxy's stdout: option httplog lines plus its own server state messages"
	case "caddy":
		return "Caddy JSON access log (logger http.log.access)"
	}
	return "nginx access_log"
}

func settingsOf(r Recording) map[string]string {
	switch r.Kind {
	case "nginx":
		c := r.Nginx.withDefaults()
		return map[string]string{
			"proxy_connect_timeout": durMS(c.ConnectTimeout),
			"proxy_read_timeout":    durMS(c.ReadTimeout),
			"server":                fmt.Sprintf("max_fails=%d fail_timeout=%ds", c.MaxFails, int(c.FailTimeout.Seconds())),
			"proxy_next_upstream":   "default (error timeout)",
			"limit_req":             "/limited: rate=" + c.LimitRate + " burst=0 (status 503)",
			"request_id":            "$rid = client X-Request-ID, else $request_id; forwarded: " + fmt.Sprint(c.ForwardRequestID),
		}
	case "haproxy":
		c := r.HAProxy.withDefaults()
		logLine := "stdout format raw local0"
		if c.Syslog {
			logLine = "stdout local0 (RFC 3164 header with <PRI>)"
		}
		return map[string]string{
			"timeout connect": durMS(c.ConnectTimeout), "timeout server": durMS(c.ServerTimeout),
			"retries": "2", "option redispatch": "on (redispatch on the last retry)",
			"health check": "layer 4, inter " + durMS(c.CheckInter) + " fall 1 rise 1",
			"log":          logLine,
			"request_id":   "client X-Request-ID forwarded as is; capture request header X-Request-ID len 64",
		}
	case "caddy":
		c := r.Caddy.withDefaults()
		return map[string]string{
			"dial_timeout": c.DialTimeout.String(), "response_header_timeout": c.ResponseHeaderTimeout.String(),
			"try_duration":             c.TryDuration.String() + " (GET retried on the other upstream)",
			"passive health":           "fail_duration " + c.FailDuration.String() + ", max_fails 1",
			"max_response_header_size": fmt.Sprint(c.MaxResponseHeaderSize),
			"request_id":               "client X-Request-ID forwarded as is; logged in request.headers",
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("copy %s: %w", src, err)
	}
	return os.WriteFile(dst, b, 0o644)
}
