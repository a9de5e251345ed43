package lab

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestMain lets the test binary act as a backend process, so
// TestBackendProcessCrash can watch a real process die and come back.
func TestMain(m *testing.M) {
	if os.Getenv("FIVEXX_LAB_BACKEND") == "1" {
		os.Exit(BackendMain(os.Args[1:], os.Stderr))
	}
	os.Exit(m.Run())
}

// syncBuffer is an app log sink safe for the handler goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Split(strings.TrimSuffix(s.b.String(), "\n"), "\n")
}

// appLine is the JSON app line, decoded for comparison.
type appLine struct {
	Level     string `json:"level"`
	Msg       string `json:"msg"`
	RequestID string `json:"request_id"`
	Method    string `json:"method"`
	Path      string `json:"path"`
	Instance  string `json:"instance"`
	Status    int    `json:"status"`
}

func decodeApp(t *testing.T, lines []string) []appLine {
	t.Helper()
	var out []appLine
	for _, l := range lines {
		var a appLine
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatalf("app line is not JSON: %q: %v", l, err)
		}
		out = append(out, a)
	}
	return out
}

// rawExchange sends a GET over a fresh TCP connection and returns every byte
// the backend sent and the error that ended the read.
func rawExchange(t *testing.T, addr, target, id string) (string, error) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	req := "GET " + target + " HTTP/1.1\r\nHost: lab\r\nX-Request-ID: " + id + "\r\nConnection: close\r\n\r\n"
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatalf("write request: %v", err)
	}
	got, err := io.ReadAll(c)
	return string(got), err
}

func TestBackendWire(t *testing.T) {
	tests := []struct {
		name       string
		target     string
		wantStatus int    // 0: no HTTP response at all
		wantRaw    string // exact bytes, when set
		wantReset  bool   // the read ends with ECONNRESET
		wantApp    []appLine
	}{
		{
			name: "ok", target: "/ok?n=1", wantStatus: 200,
			wantApp: []appLine{
				{Level: "INFO", Msg: MsgStarted, Path: "/ok?n=1"},
				{Level: "INFO", Msg: MsgFinished, Path: "/ok?n=1", Status: 200},
			},
		},
		{
			name: "unavailable", target: "/unavailable?n=2", wantStatus: 503,
			wantApp: []appLine{
				{Level: "INFO", Msg: MsgStarted, Path: "/unavailable?n=2"},
				{Level: "ERROR", Msg: MsgUnavailable, Path: "/unavailable?n=2"},
				{Level: "INFO", Msg: MsgFinished, Path: "/unavailable?n=2", Status: 503},
			},
		},
		{
			name: "error", target: "/error?n=3", wantStatus: 500,
			wantApp: []appLine{
				{Level: "INFO", Msg: MsgStarted, Path: "/error?n=3"},
				{Level: "ERROR", Msg: MsgError, Path: "/error?n=3"},
				{Level: "INFO", Msg: MsgFinished, Path: "/error?n=3", Status: 500},
			},
		},
		{
			name: "slow answers late", target: "/slow?n=4", wantStatus: 200,
			wantApp: []appLine{
				{Level: "INFO", Msg: MsgStarted, Path: "/slow?n=4"},
				{Level: "INFO", Msg: MsgFinished, Path: "/slow?n=4", Status: 200},
			},
		},
		{
			name: "hangup closes without a byte", target: "/hangup?n=5", wantRaw: "",
			wantApp: []appLine{{Level: "INFO", Msg: MsgStarted, Path: "/hangup?n=5"}},
		},
		{
			name: "reset sends RST", target: "/reset?n=6", wantReset: true,
			wantApp: []appLine{{Level: "INFO", Msg: MsgStarted, Path: "/reset?n=6"}},
		},
		{
			name: "badheader is malformed", target: "/badheader?n=7", wantRaw: BadHeaderResponse,
			wantApp: []appLine{{Level: "INFO", Msg: MsgStarted, Path: "/badheader?n=7"}},
		},
		{
			name: "bigheader is 200 with a huge header", target: "/bigheader?n=8", wantStatus: 200,
			wantApp: []appLine{
				{Level: "INFO", Msg: MsgStarted, Path: "/bigheader?n=8"},
				{Level: "INFO", Msg: MsgFinished, Path: "/bigheader?n=8", Status: 200},
			},
		},
		{
			name: "limited is 200 from the app", target: "/limited?n=9", wantStatus: 200,
			wantApp: []appLine{
				{Level: "INFO", Msg: MsgStarted, Path: "/limited?n=9"},
				{Level: "INFO", Msg: MsgFinished, Path: "/limited?n=9", Status: 200},
			},
		},
		{
			name: "on= another instance disarms the fault", target: "/reset?n=10&on=127.0.0.1:1", wantStatus: 200,
			wantApp: []appLine{
				{Level: "INFO", Msg: MsgStarted, Path: "/reset?n=10&on=127.0.0.1:1"},
				{Level: "INFO", Msg: MsgFinished, Path: "/reset?n=10&on=127.0.0.1:1", Status: 200},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log syncBuffer
			b := StartBackend(t, BackendOptions{AppLog: &log, SlowDelay: 50 * time.Millisecond, BigHeaderSize: 20000})
			id := NewRequestID()
			start := time.Now()
			raw, err := rawExchange(t, b.Addr(), tt.target, id)
			switch {
			case tt.wantReset:
				if !errors.Is(err, syscall.ECONNRESET) {
					t.Fatalf("read error = %v (got %q), want ECONNRESET", err, raw)
				}
			case err != nil:
				t.Fatalf("read: %v", err)
			}
			if tt.wantStatus == 0 && !tt.wantReset && raw != tt.wantRaw {
				t.Fatalf("raw response = %q, want %q", raw, tt.wantRaw)
			}
			if tt.wantStatus != 0 {
				resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(raw)), nil)
				if err != nil {
					t.Fatalf("parse response %q: %v", raw, err)
				}
				if resp.StatusCode != tt.wantStatus {
					t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
				}
				if tt.wantStatus == 503 && resp.Header.Get("Retry-After") != "5" {
					t.Errorf("Retry-After = %q, want 5", resp.Header.Get("Retry-After"))
				}
				if strings.HasPrefix(tt.target, "/bigheader") && len(resp.Header.Get("X-Big")) != 20000 {
					t.Errorf("X-Big is %d bytes, want 20000", len(resp.Header.Get("X-Big")))
				}
				if strings.HasPrefix(tt.target, "/slow") && time.Since(start) < 50*time.Millisecond {
					t.Errorf("slow answered after %v, want >= 50ms", time.Since(start))
				}
			}
			for i := range tt.wantApp {
				tt.wantApp[i].RequestID, tt.wantApp[i].Method, tt.wantApp[i].Instance = id, "GET", b.Addr()
			}
			if diff := cmp.Diff(tt.wantApp, decodeApp(t, log.lines())); diff != "" {
				t.Errorf("app log (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBackendGoClientErrors checks the faults as Go's HTTP client (and so
// Caddy's transport) sees them.
func TestBackendGoClientErrors(t *testing.T) {
	b := StartBackend(t, BackendOptions{BigHeaderSize: 64 << 10})
	client := &http.Client{Transport: &http.Transport{MaxResponseHeaderBytes: 16 << 10, DisableKeepAlives: true}}
	tests := []struct {
		path    string
		wantErr string
	}{
		{"/hangup", "EOF"},
		{"/reset", "connection reset by peer"},
		{"/badheader", "malformed MIME header"},
		{"/bigheader", "server response headers exceeded 16384 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := client.Get(b.URL() + tt.path)
			if err == nil {
				resp.Body.Close()
				t.Fatalf("got status %d, want error containing %q", resp.StatusCode, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestBackendCrashInProcess(t *testing.T) {
	var log syncBuffer
	b := StartBackend(t, BackendOptions{AppLog: &log})
	raw, err := rawExchange(t, b.Addr(), "/crash?n=1", "c1")
	if err != nil && !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("read: %v", err)
	}
	if raw != "" {
		t.Fatalf("crash sent %q, want nothing", raw)
	}
	deadline := time.Now().Add(2 * time.Second)
	for b.Up() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if c, err := net.DialTimeout("tcp", b.Addr(), time.Second); err == nil {
		c.Close()
		t.Fatalf("crashed backend still accepts connections")
	}
	if err := b.Restart(); err != nil {
		t.Fatalf("restart: %v", err)
	}
	resp, err := http.Get(b.URL() + "/ok?n=2")
	if err != nil {
		t.Fatalf("after restart: %v", err)
	}
	resp.Body.Close()
	got := decodeApp(t, log.lines())
	want := []string{MsgStarted + " /crash?n=1", MsgStarted + " /ok?n=2", MsgFinished + " /ok?n=2"}
	var have []string
	for _, a := range got {
		have = append(have, a.Msg+" "+a.Path)
	}
	if diff := cmp.Diff(want, have); diff != "" {
		t.Errorf("app log (-want +got):\n%s", diff)
	}
}

// TestBackendProcessCrash runs the test binary as a backend process: /crash
// must kill the process (no "finished" line) and the supervisor must bring
// it back on the same port.
func TestBackendProcessCrash(t *testing.T) {
	t.Setenv("FIVEXX_LAB_BACKEND", "1")
	addr, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(t.TempDir(), "app.log")
	p, err := StartBackendProcess(context.Background(), []string{os.Args[0]}, ProcessOptions{
		Addr: addr, AppLog: logPath, AutoRestart: 200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	pid := p.PID()
	raw, err := rawExchange(t, addr, "/crash?n=1", "c1")
	if raw != "" {
		t.Fatalf("crash sent %q (err %v), want nothing", raw, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for (p.PID() == pid || !p.Up()) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if err := p.WaitUp(context.Background(), 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if p.PID() == pid || p.Crashes() != 1 {
		t.Fatalf("pid %d -> %d, crashes %d: want a new process after one crash", pid, p.PID(), p.Crashes())
	}
	resp, err := http.Get("http://" + addr + "/ok?n=2")
	if err != nil {
		t.Fatalf("after restart: %v", err)
	}
	resp.Body.Close()
	if err := p.Kill(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond) // longer than AutoRestart: Kill must not restart
	if p.Up() {
		t.Fatalf("killed backend came back by itself")
	}
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	var have []string
	for _, a := range decodeApp(t, strings.Split(strings.TrimSpace(string(b)), "\n")) {
		have = append(have, a.Msg+" "+a.Path)
	}
	want := []string{MsgStarted + " /crash?n=1", MsgStarted + " /ok?n=2", MsgFinished + " /ok?n=2"}
	if diff := cmp.Diff(want, have); diff != "" {
		t.Errorf("app log (-want +got):\n%s", diff)
	}
}

func TestBackendTextLog(t *testing.T) {
	var log syncBuffer
	b := StartBackend(t, BackendOptions{AppLog: &log, Text: true})
	resp, err := http.Get(b.URL() + "/unavailable?n=3")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ts := `\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`
	inst := regexp.QuoteMeta(b.Addr())
	want := []*regexp.Regexp{
		regexp.MustCompile(`^` + ts + ` INFO request started method=GET path=/unavailable\?n=3 instance=` + inst + `$`),
		regexp.MustCompile(`^` + ts + ` ERROR ` + regexp.QuoteMeta(MsgUnavailable) + ` method=GET path=/unavailable\?n=3 instance=` + inst + `$`),
		regexp.MustCompile(`^` + ts + ` INFO request finished method=GET path=/unavailable\?n=3 instance=` + inst + ` status=503 duration_ms=\d+\.\d{3}$`),
	}
	lines := log.lines()
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), strings.Join(lines, "\n"))
	}
	for i, re := range want {
		if !re.MatchString(lines[i]) {
			t.Errorf("line %d = %q, want match of %s", i, lines[i], re)
		}
	}
}

func TestFaultOf(t *testing.T) {
	tests := []struct {
		path string
		want Fault
	}{
		{"/ok", FaultOK},
		{"/reset?n=3", FaultReset},
		{"/crash/x", FaultCrash},
		{"/limited?n=1&on=127.0.0.1:9", FaultLimited},
		{"/", FaultOK},
		{"/okay", FaultOK},
		{"/resetting", FaultOK},
	}
	for _, tt := range tests {
		if got := FaultOf(tt.path); got != tt.want {
			t.Errorf("FaultOf(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}
