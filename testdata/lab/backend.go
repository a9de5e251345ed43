// Package lab records ground-truth logs from real proxies (nginx, HAProxy,
// Caddy) in front of a fault-injecting backend, and offers the same pieces
// (backend, proxies, client) to live end-to-end tests.
//
// The rules are: only 127.0.0.1 is used; every process the lab starts is kept
// by PID and stopped by PID; every loop and wait is bounded.
package lab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is what the backend does for a request, chosen by the path prefix.
type Fault string

// The faults, each served under the path "/" + name.
const (
	FaultOK          Fault = "ok"          // 200
	FaultUnavailable Fault = "unavailable" // logs "database unavailable", 503 with Retry-After
	FaultError       Fault = "error"       // logs an error, 500
	FaultSlow        Fault = "slow"        // sleeps past the proxy read timeout, then 200
	FaultHangup      Fault = "hangup"      // closes the connection without a response (FIN)
	FaultReset       Fault = "reset"       // closes with SO_LINGER 0 (RST)
	FaultBadHeader   Fault = "badheader"   // writes a malformed response header
	FaultBigHeader   Fault = "bigheader"   // 200 with a header larger than proxy buffers
	FaultCrash       Fault = "crash"       // the process dies mid-request
	FaultLimited     Fault = "limited"     // 200 from the app; the proxy rate-limits this path
)

// Faults lists every fault the backend serves.
var Faults = []Fault{
	FaultOK, FaultUnavailable, FaultError, FaultSlow, FaultHangup, FaultReset,
	FaultBadHeader, FaultBigHeader, FaultCrash, FaultLimited,
}

// The app's error messages; tests and the README quote them.
const (
	MsgUnavailable = "database unavailable: connection refused to 10.0.0.5:5432"
	MsgError       = "orders handler failed: runtime error: invalid memory address or nil pointer dereference"
	MsgStarted     = "request started"
	MsgFinished    = "request finished"
)

// BadHeaderResponse is what FaultBadHeader writes: a header line without a colon.
const BadHeaderResponse = "HTTP/1.1 200 OK\r\nBad Header Line\r\n\r\n"

// Defaults of BackendOptions.
const (
	DefaultSlowDelay     = 2 * time.Second
	DefaultBigHeaderSize = 64 << 10
)

// FaultOf returns the fault a request path selects: the first path segment
// ("/reset?n=3" is FaultReset). Unknown paths are FaultOK.
func FaultOf(path string) Fault {
	p := strings.TrimPrefix(path, "/")
	if i := strings.IndexAny(p, "/?"); i >= 0 {
		p = p[:i]
	}
	for _, f := range Faults {
		if string(f) == p {
			return f
		}
	}
	return FaultOK
}

// BackendOptions configures a backend's behaviour and log.
type BackendOptions struct {
	// Addr is the listen address; "" means 127.0.0.1:0 (a free port).
	Addr string
	// AppLog receives the app log, one Write per line. nil discards it.
	AppLog io.Writer
	// Text selects the plain-text log variant instead of JSON lines.
	Text bool
	// SlowDelay is how long FaultSlow sleeps (default 2 s, twice the lab's
	// proxy read timeout).
	SlowDelay time.Duration
	// BigHeaderSize is the size of FaultBigHeader's header value (default 64 KiB).
	BigHeaderSize int
}

func (o BackendOptions) withDefaults() BackendOptions {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if o.AppLog == nil {
		o.AppLog = io.Discard
	}
	if o.SlowDelay <= 0 {
		o.SlowDelay = DefaultSlowDelay
	}
	if o.BigHeaderSize <= 0 {
		o.BigHeaderSize = DefaultBigHeaderSize
	}
	return o
}

// Handler is the fault-injecting HTTP handler. Crash is called for
// FaultCrash after the "request started" line is written; it must not
// return normally (the process backend kills itself, the in-process backend
// drops every connection and panics with http.ErrAbortHandler).
type Handler struct {
	opts     BackendOptions
	instance string
	crash    func(w http.ResponseWriter)
	log      *appLogger
}

// NewHandler returns a handler that logs as instance (its listen address).
func NewHandler(instance string, opts BackendOptions, crash func(w http.ResponseWriter)) *Handler {
	opts = opts.withDefaults()
	return &Handler{
		opts:     opts,
		instance: instance,
		crash:    crash,
		log:      &appLogger{w: opts.AppLog, text: opts.Text},
	}
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	req := reqInfo{
		id:       r.Header.Get("X-Request-ID"),
		method:   r.Method,
		path:     r.URL.RequestURI(),
		instance: h.instance,
	}
	h.log.line("INFO", MsgStarted, req, -1, 0)
	fault := FaultOf(r.URL.Path)
	// ?on=ADDR limits a fault to one instance, so a proxy that retries on
	// the other instance gets a good answer there.
	if on := r.URL.Query().Get("on"); on != "" && on != h.instance {
		fault = FaultOK
	}
	sw := &statusWriter{ResponseWriter: w}
	switch fault {
	case FaultUnavailable:
		h.log.line("ERROR", MsgUnavailable, req, -1, 0)
		sw.Header().Set("Retry-After", "5")
		http.Error(sw, "service unavailable", http.StatusServiceUnavailable)
	case FaultError:
		h.log.line("ERROR", MsgError, req, -1, 0)
		http.Error(sw, "internal server error", http.StatusInternalServerError)
	case FaultSlow:
		// Ignore the request context on purpose: the app keeps working after
		// the proxy gave up, as real apps do, and logs its late 200.
		time.Sleep(h.opts.SlowDelay)
		writeOK(sw)
	case FaultHangup:
		hijackClose(w, false, "")
		return
	case FaultReset:
		hijackClose(w, true, "")
		return
	case FaultBadHeader:
		hijackClose(w, false, BadHeaderResponse)
		return
	case FaultBigHeader:
		sw.Header().Set("X-Big", strings.Repeat("a", h.opts.BigHeaderSize))
		writeOK(sw)
	case FaultCrash:
		h.crash(w)
		return
	default:
		writeOK(sw)
	}
	h.log.line("INFO", MsgFinished, req, sw.code(), time.Since(start))
}

func writeOK(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "ok\n")
}

// hijackClose takes the raw connection, optionally writes raw bytes, and
// closes it; with rst it sets SO_LINGER 0 first so the kernel sends RST.
func hijackClose(w http.ResponseWriter, rst bool, raw string) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if raw != "" {
		_, _ = io.WriteString(conn, raw)
	}
	if tc, ok := conn.(*net.TCPConn); ok && rst {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// statusWriter remembers the status the handler sent.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

type reqInfo struct {
	id, method, path, instance string
}

// appLogger writes one line per Write, so several processes can append to one
// file opened with O_APPEND without interleaving.
type appLogger struct {
	mu   sync.Mutex
	w    io.Writer
	text bool
}

// line logs msg; status < 0 leaves out status and duration.
func (l *appLogger) line(level, msg string, r reqInfo, status int, d time.Duration) {
	now := time.Now().UTC()
	ms := strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 3, 64)
	var b strings.Builder
	if l.text {
		b.WriteString(now.Format("2006-01-02T15:04:05.000Z07:00"))
		b.WriteString(" " + level + " " + msg)
		if r.id != "" {
			b.WriteString(" request_id=" + r.id)
		}
		b.WriteString(" method=" + r.method + " path=" + r.path + " instance=" + r.instance)
		if status >= 0 {
			b.WriteString(" status=" + strconv.Itoa(status) + " duration_ms=" + ms)
		}
	} else {
		b.WriteString(`{"time":` + jsonString(now.Format(time.RFC3339Nano)))
		b.WriteString(`,"level":` + jsonString(level) + `,"msg":` + jsonString(msg))
		if r.id != "" {
			b.WriteString(`,"request_id":` + jsonString(r.id))
		}
		b.WriteString(`,"method":` + jsonString(r.method) + `,"path":` + jsonString(r.path))
		b.WriteString(`,"instance":` + jsonString(r.instance))
		if status >= 0 {
			b.WriteString(`,"status":` + strconv.Itoa(status) + `,"duration_ms":` + ms)
		}
		b.WriteString("}")
	}
	b.WriteString("\n")
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = io.WriteString(l.w, b.String())
}

// jsonString quotes s as log/slog's JSONHandler does: no HTML escaping, so a
// query's "&" stays "&".
func jsonString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// Backend is an in-process fault-injecting backend. Its crash fault cannot
// kill the test process, so it emulates a death: the listener and every
// connection are closed, the crashing request's connection without a
// response, and the backend stays down until Restart. Use BackendProcess for
// a real process death.
type Backend struct {
	opts BackendOptions
	addr string

	// turning orders Kill and Restart: a Restart while a crash's Kill is
	// still closing must wait for it, not see the backend up and return.
	turning sync.Mutex
	mu      sync.Mutex
	srv     *http.Server
	done    chan struct{} // closed when the current server's Serve returns
	up      bool
}

// NewBackend starts an in-process backend on opts.Addr.
func NewBackend(opts BackendOptions) (*Backend, error) {
	opts = opts.withDefaults()
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("backend listen on %s: %w", opts.Addr, err)
	}
	b := &Backend{opts: opts, addr: ln.Addr().String()}
	b.serve(ln)
	return b, nil
}

// TB is the part of testing.TB the lab needs; a *testing.T satisfies it.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// StartBackend starts an in-process backend for a test and stops it when the
// test ends.
func StartBackend(t TB, opts BackendOptions) *Backend {
	t.Helper()
	b, err := NewBackend(opts)
	if err != nil {
		t.Fatalf("start backend: %v", err)
	}
	t.Cleanup(func() { _ = b.Stop() })
	return b
}

// Addr returns the backend's listen address (host:port); it stays the same
// across Kill and Restart.
func (b *Backend) Addr() string { return b.addr }

// URL returns "http://" + Addr().
func (b *Backend) URL() string { return "http://" + b.addr }

func (b *Backend) serve(ln net.Listener) {
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, ErrorLog: discardLogger()}
	srv.Handler = NewHandler(b.addr, b.opts, func(w http.ResponseWriter) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
		go func() { _ = b.Kill() }()
		panic(http.ErrAbortHandler)
	})
	done := make(chan struct{})
	b.mu.Lock()
	b.srv, b.done, b.up = srv, done, true
	b.mu.Unlock()
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
}

// Kill drops the listener and every open connection at once, as a dead
// process would. A killed backend refuses connections until Restart.
func (b *Backend) Kill() error {
	b.turning.Lock()
	defer b.turning.Unlock()
	b.mu.Lock()
	srv, done, up := b.srv, b.done, b.up
	b.mu.Unlock()
	if !up {
		return nil
	}
	err := srv.Close()
	<-done
	// Down only once the listener is closed: a caller that waits for
	// !Up and then dials must be refused (it was not, now and then,
	// when up went false before the close).
	b.mu.Lock()
	b.up = false
	b.mu.Unlock()
	return err
}

// Restart listens again on the same address after Kill or a crash.
func (b *Backend) Restart() error {
	b.turning.Lock()
	defer b.turning.Unlock()
	b.mu.Lock()
	up := b.up
	b.mu.Unlock()
	if up {
		return nil
	}
	ln, err := listenRetry(b.addr)
	if err != nil {
		return err
	}
	b.serve(ln)
	return nil
}

// Up reports whether the backend is listening.
func (b *Backend) Up() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.up
}

// Stop shuts the backend down (like Kill; a stopped backend may be restarted).
func (b *Backend) Stop() error { return b.Kill() }

// listenRetry listens on addr, retrying briefly: the port may still be held
// for a moment by the listener that was just closed.
func listenRetry(addr string) (net.Listener, error) {
	var err error
	for i := 0; i < 50; i++ {
		var ln net.Listener
		ln, err = net.Listen("tcp", addr)
		if err == nil {
			return ln, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil, fmt.Errorf("backend listen on %s: %w", addr, err)
}

// WaitListening waits until something accepts TCP connections on addr.
func WaitListening(ctx context.Context, addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			_ = c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nothing listening on %s after %v: %w", addr, timeout, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// FreePort returns a 127.0.0.1 address with a port that was free a moment ago.
func FreePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	return addr, nil
}

// discardLogger silences net/http's own server log; the app log is ours.
func discardLogger() *log.Logger { return log.New(io.Discard, "", 0) }

var errNotSupported = errors.New("not supported")
