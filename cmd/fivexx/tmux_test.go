package main

// End-to-end tests of the real binary in a real terminal: tmux runs it,
// send-keys types, capture-pane reads the screen. Each test starts its own
// tmux server on its own socket and kills it when done.

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fivexx/sources/demo"
)

// tmuxServer is one tmux server on a socket of its own, running one
// session of 120×40 cells.
type tmuxServer struct {
	t      *testing.T
	socket string
	path   string // the socket's file, which kill-server leaves behind
}

// startTmux starts a tmux server running command in a 120×40 session.
// Panes stay after their command exits (remain-on-exit), so the exit and
// the screen it leaves can be checked.
func startTmux(t *testing.T, command string) *tmuxServer {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is not installed (apt-get install -y tmux): the end-to-end test needs it")
	}
	conf := filepath.Join(t.TempDir(), "tmux.conf")
	// remain-on-exit is set before the pane exists, so a quick exit is kept too.
	if err := os.WriteFile(conf, []byte("set -g remain-on-exit on\nset -g status off\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &tmuxServer{t: t, socket: fmt.Sprintf("fivexx-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())}
	t.Cleanup(func() {
		// Only the server on this test's socket.
		_ = exec.Command("tmux", "-L", s.socket, "kill-server").Run()
		if s.path != "" {
			_ = os.Remove(s.path) // else every run left one in /tmp/tmux-UID
		}
	})
	cmd := exec.Command("tmux", "-L", s.socket, "-f", conf, "new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40", command)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}
	if p := s.display("#{socket_path}"); strings.HasSuffix(p, "/"+s.socket) {
		s.path = p
	}
	return s
}

// run runs a tmux command against this server and returns its output.
func (s *tmuxServer) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// screen is the pane's text as shown.
func (s *tmuxServer) screen() string { return s.run("capture-pane", "-p", "-t", "e2e") }

// history is the pane's text with its scrollback: once the pane is dead,
// tmux's "Pane is dead" line may scroll the shell's last line off the screen.
func (s *tmuxServer) history() string { return s.run("capture-pane", "-p", "-S", "-", "-t", "e2e") }

// display formats a tmux variable of the pane.
func (s *tmuxServer) display(format string) string {
	return strings.TrimSpace(s.run("display-message", "-p", "-t", "e2e", format))
}

// keys types keys into the pane.
func (s *tmuxServer) keys(keys ...string) {
	s.run(append([]string{"send-keys", "-t", "e2e"}, keys...)...)
}

// waitScreen polls the screen until cond holds and returns it with the
// time it took; after d it fails the test with the last screen.
func (s *tmuxServer) waitScreen(d time.Duration, what string, cond func(screen string) bool) (string, time.Duration) {
	s.t.Helper()
	start := time.Now()
	for {
		sc := s.screen()
		if cond(sc) {
			return sc, time.Since(start)
		}
		if time.Since(start) > d {
			s.t.Fatalf("%s: not within %v; the screen:\n%s", what, d, sc)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitExit waits until the program has exited, as the wrapper from
// wrapCommand reports in statusFile, and the pane's shell has ended; it
// returns the program's exit status. (tmux's #{pane_dead_status} is not
// used: tmux 3.3 may mark the pane dead before it has reaped the shell, and
// then leave the status empty.)
func (s *tmuxServer) waitExit(d time.Duration, statusFile string) string {
	s.t.Helper()
	deadline := time.Now().Add(d)
	for {
		b, err := os.ReadFile(statusFile)
		status := strings.TrimSpace(string(b))
		if err == nil && status != "" && s.display("#{pane_dead}") == "1" {
			return status
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the program did not exit within %v (status file %q); the screen:\n%s", d, status, s.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// wrapCommand runs args under sh, which then prints EXIT=<status> on the
// terminal the program leaves behind and writes the status to statusFile.
func wrapCommand(statusFile string, args ...string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = shQuote(a)
	}
	script := strings.Join(quoted, " ") + `; s=$?; echo EXIT=$s; echo $s > ` + shQuote(statusFile)
	return "sh -c " + shQuote(script)
}

// buildFivexx builds the binary from the module root into dir.
func buildFivexx(t *testing.T, dir string) string {
	t.Helper()
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(gomod)) == "" {
		t.Fatalf("go env GOMOD: %v %s", err, gomod)
	}
	bin := filepath.Join(dir, "fivexx")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/fivexx")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// appendLines appends lines to the file at path in one write, as a logger
// would.
func appendLines(t *testing.T, path string, lines ...string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(strings.Join(lines, "\n") + "\n"); err != nil {
		t.Fatal(err)
	}
}

// shQuote quotes s for sh.
func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// e2eRequest is one proxied request of the end-to-end test, written as
// nginx 1.22.1 and the app log it (the upstreaminfo format of
// sources/nginx/testdata/upstream.log, the error-log line nginx writes for
// a refused connect, the app's JSON lines).
type e2eRequest struct {
	at        time.Time
	path, ua  string
	status    int
	upstream  string
	requestID string
	conn      int
}

func (r e2eRequest) access() string {
	uct, uht := `"0.000"`, `"0.001"`
	if r.status == 502 {
		uct, uht = `"-"`, `"-"`
	}
	return fmt.Sprintf(`127.0.0.1 - - [%s] "GET %s HTTP/1.1" %d 157 "-" "%s" rt=0.001 uct=%s uht=%s urt="0.001" ua="%s" us="%d" rid=%s cid=%d`,
		r.at.Format("02/Jan/2006:15:04:05 -0700"), r.path, r.status, r.ua, uct, uht, r.upstream, r.status, r.requestID, r.conn)
}

func (r e2eRequest) errorLine() string {
	return fmt.Sprintf(`%s [error] 5807#5807: *%d connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: lab.local, request: "GET %s HTTP/1.1", upstream: "http://%s%s", host: "127.0.0.1:43329"`,
		r.at.Format("2006/01/02 15:04:05"), r.conn, r.path, r.upstream, r.path)
}

func (r e2eRequest) appLines() []string {
	t := r.at.Add(-time.Millisecond).Format("2006-01-02T15:04:05.000000Z")
	return []string{
		fmt.Sprintf(`{"time":"%s","level":"INFO","msg":"request started","request_id":"%s","method":"GET","path":"%s"}`, t, r.requestID, r.path),
		fmt.Sprintf(`{"time":"%s","level":"INFO","msg":"request finished","request_id":"%s","method":"GET","path":"%s","status":%d,"duration_ms":0.9}`, t, r.requestID, r.path, r.status),
	}
}

func TestTmux(t *testing.T) {
	bin := buildFivexx(t, t.TempDir())
	t.Run("live", func(t *testing.T) {
		t.Parallel()
		testTmuxLive(t, bin)
	})
	t.Run("demo training", func(t *testing.T) {
		t.Parallel()
		testTmuxTraining(t, bin)
	})
	t.Run("replay read error", func(t *testing.T) {
		t.Parallel()
		testTmuxReplayReadError(t, bin)
	})
	t.Run("signals", func(t *testing.T) {
		t.Parallel()
		testTmuxSignals(t, bin)
	})
	t.Run("ctrl+c key", func(t *testing.T) {
		t.Parallel()
		testTmuxCtrlCKey(t, bin)
	})
	t.Run("failed inputs", func(t *testing.T) {
		t.Parallel()
		testTmuxFailedInputs(t, bin)
	})
	t.Run("suspend", func(t *testing.T) {
		t.Parallel()
		testTmuxSuspend(t, bin)
	})
	t.Run("report with the terminal as stdin", func(t *testing.T) {
		t.Parallel()
		testTmuxReportTerminalStdin(t, bin)
	})
}

// testTmuxReportTerminalStdin runs report - in a terminal: it read the
// keyboard to its end, waiting silently for lines typed until ctrl+d. It
// is a usage error, as for live and replay.
func testTmuxReportTerminalStdin(t *testing.T, bin string) {
	status := filepath.Join(t.TempDir(), "status")
	tm := startTmux(t, wrapCommand(status, bin, "report", "-"))
	if code := tm.waitExit(3*time.Second, status); code != "2" {
		t.Errorf("exit status %q, want 2", code)
	}
	want := "fivexx: error: standard input is a terminal: pipe a log into it, e.g. zcat access.log.gz | fivexx report -"
	if sc := tm.history(); !strings.Contains(sc, want) {
		t.Errorf("the screen lacks %q:\n%s", want, sc)
	}
}

// testTmuxFailedInputs starts live on a file that is not there and a
// command that fails (a directory is refused before the UI starts:
// TestLiveRefusesADirectory): the UI shows each whole reason under
// its input (the state column cut them to "exited: exit stat…"), and after
// q each is printed on stderr, one line per input, with exit status 0.
func testTmuxFailedInputs(t *testing.T, bin string) {
	dir := t.TempDir()
	access, missing := filepath.Join(dir, "access.log"), filepath.Join(dir, "missing.log")
	if err := os.WriteFile(access, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := `echo "error: You must be logged in to the server (Unauthorized)" >&2; exit 1`
	status := filepath.Join(dir, "status")
	// A command that runs fine until q is stopped, not failed.
	tm := startTmux(t, wrapCommand(status, bin, access, missing, "--cmd", cmd, "--cmd", "sleep 100"))
	tm.waitScreen(10*time.Second, "the command's whole exit reason under its input", func(s string) bool {
		return strings.Contains(s, "↳ exited: status 1: error: You must be logged in to the server (Unauthorized)")
	})
	tm.keys("q")
	if code := tm.waitExit(5*time.Second, status); code != "0" {
		t.Errorf("exit status %q, want 0", code)
	}
	out := tm.run("capture-pane", "-p", "-J", "-S", "-", "-t", "e2e")
	for _, want := range []string{
		"fivexx: warning: " + missing + ": waiting for file",
		"fivexx: warning: cmd: " + cmd + ": exited: status 1: error: You must be logged in to the server (Unauthorized)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("after q, stderr lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "sleep 100:") {
		t.Errorf("a command that ran until q is reported:\n%s", out)
	}
	if strings.Contains(out, "warning: "+access) {
		t.Errorf("a file that is followed fine is reported:\n%s", out)
	}
}

// testTmuxSignals sends SIGTERM, SIGINT, SIGHUP and SIGQUIT to the live
// UI, several times each: every time it exits at once with the terminal
// restored (the alternate screen left, the cursor shown, the tty's modes
// as before), with 128 plus the signal's number as shells and scripts
// expect (it exited 0, as if quit: QA s23). (With Bubble Tea's own signal
// handler beside fivexx's, a third of them hung for ever on the alternate
// screen.) SIGQUIT went to Go's handler: a goroutine dump over the UI, exit
// 2, the terminal raw on the alternate screen with the cursor hidden (QA
// s24 TUI #4); the dump now comes after the terminal is restored.
func testTmuxSignals(t *testing.T, bin string) {
	dir := t.TempDir()
	access := filepath.Join(dir, "access.log")
	if err := os.WriteFile(access, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 4; round++ {
		for _, sig := range []struct {
			name, want string
		}{{"TERM", "143"}, {"INT", "130"}, {"HUP", "129"}, {"QUIT", "131"}} {
			status := filepath.Join(dir, fmt.Sprintf("status-%s-%d", sig.name, round))
			modes := filepath.Join(dir, fmt.Sprintf("stty-%s-%d", sig.name, round))
			// The tty's modes before and after, on two lines; the pane
			// stays alive after (tmux shows no cursor in a dead pane).
			tm := startTmux(t, "stty -g > "+shQuote(modes)+"; "+wrapCommand(status, bin, access)+"; stty -g >> "+shQuote(modes)+"; sleep 60")
			tm.waitScreen(10*time.Second, "the live UI", func(s string) bool { return strings.Contains(s, "access.log") })
			// The pane's shell runs the wrapper's, which runs fivexx.
			pid := childPID(t, childPID(t, tm.display("#{pane_pid}")))
			if out, err := exec.Command("kill", "-"+sig.name, pid).CombinedOutput(); err != nil {
				t.Fatalf("kill -%s %s: %v: %s", sig.name, pid, err, out)
			}
			// Once the modes after are written, the program has exited.
			var m []string
			for deadline := time.Now().Add(5 * time.Second); len(m) < 2; time.Sleep(20 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("SIG%s: the program did not exit within 5s; the screen:\n%s", sig.name, tm.screen())
				}
				b, _ := os.ReadFile(modes)
				m = strings.Fields(string(b))
			}
			if m[0] != m[1] {
				t.Errorf("SIG%s: the tty's modes before and after: %q", sig.name, m)
			}
			if b, _ := os.ReadFile(status); strings.TrimSpace(string(b)) != sig.want {
				t.Errorf("SIG%s: exit status %q, want %s", sig.name, strings.TrimSpace(string(b)), sig.want)
			}
			if alt := tm.display("#{alternate_on}"); alt != "0" {
				t.Errorf("SIG%s: the terminal is left on the alternate screen", sig.name)
			}
			if cur := tm.display("#{cursor_flag}"); cur != "1" {
				t.Errorf("SIG%s: the cursor is left hidden", sig.name)
			}
			h := tm.history()
			if dumped := strings.Contains(h, "fivexx: SIGQUIT: the goroutines when it came") && strings.Contains(h, "goroutine 1 ["); dumped != (sig.name == "QUIT") {
				t.Errorf("SIG%s: goroutine dump written %v:\n%s", sig.name, dumped, h)
			}
			if strings.Contains(h, "PC=") {
				t.Errorf("SIG%s: Go's own SIGQUIT dump:\n%s", sig.name, h)
			}
		}
	}
}

// testTmuxCtrlCKey quits live with the ctrl+c key, which the raw terminal
// sends as a key, not as SIGINT: the exit status is SIGINT's, 130, on the
// overview and in the filter, where it was 0 as for q (QA s38 L4: a
// script's `fivexx … && next` went on). q stays 0.
func testTmuxCtrlCKey(t *testing.T, bin string) {
	dir := t.TempDir()
	access := filepath.Join(dir, "access.log")
	if err := os.WriteFile(access, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct {
		filter string // typed in the filter first
		key    string
		want   string
	}{{"", "C-c", "130"}, {"zq", "C-c", "130"}, {"", "q", "0"}} {
		status := filepath.Join(dir, fmt.Sprintf("status-%d", i))
		tm := startTmux(t, wrapCommand(status, bin, access))
		tm.waitScreen(10*time.Second, "the live UI", func(s string) bool { return strings.Contains(s, "access.log") })
		if tc.filter != "" {
			tm.keys("/", tc.filter)
			tm.waitScreen(5*time.Second, "the filter", func(s string) bool { return strings.Contains(s, "/"+tc.filter) })
		}
		tm.keys(tc.key)
		if code := tm.waitExit(5*time.Second, status); code != tc.want {
			t.Errorf("filter %q, key %s: exit status %q, want %s", tc.filter, tc.key, code, tc.want)
		}
		if alt := tm.display("#{alternate_on}"); alt != "0" {
			t.Errorf("filter %q, key %s: the terminal is left on the alternate screen", tc.filter, tc.key)
		}
	}
}

// childPID returns the pid of the only child of process parent (the
// wrapper's shell runs fivexx).
func childPID(t *testing.T, parent string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, _ := os.ReadFile("/proc/" + parent + "/task/" + parent + "/children")
		if f := strings.Fields(string(b)); len(f) == 1 {
			return f[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("process %s has no single child: %q", parent, b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// testTmuxReplayReadError replays a gzip file cut short: the lines before
// the cut play, the inputs pane says what the report's problem says, and
// after q the error is printed and is the exit status, as report's is.
func testTmuxReplayReadError(t *testing.T, bin string) {
	dir := t.TempDir()
	data, err := os.ReadFile("../../sources/nginx/testdata/upstream.log")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	for i := 0; i < 50; i++ {
		zw.Write(data)
	}
	zw.Close()
	cut := filepath.Join(dir, "access.log.gz")
	if err := os.WriteFile(cut, gz.Bytes()[:gz.Len()/2], 0o644); err != nil {
		t.Fatal(err)
	}
	status := filepath.Join(dir, "status")
	tm := startTmux(t, wrapCommand(status, bin, "replay", "--speed", "max", cut))
	tm.waitScreen(15*time.Second, "the read error in the inputs pane", func(s string) bool {
		return strings.Contains(s, "↳ truncated: gzip ended early (unexpected EOF) after ")
	})
	tm.keys("q")
	if code := tm.waitExit(3*time.Second, status); code != "1" {
		t.Errorf("exit status %q, want 1", code)
	}
	if sc := tm.history(); !strings.Contains(sc, "fivexx: error: cannot read input "+cut+": unexpected EOF") {
		t.Errorf("after q no error names the file:\n%s", sc)
	}
}

// testTmuxLive follows three growing logs: counts and an upstream row show
// within a second of the lines, a hostile line leaves the screen and the
// pane title alone, and q exits 0 with the terminal restored.
func testTmuxLive(t *testing.T, bin string) {
	dir := t.TempDir()
	access, errorLog, app := filepath.Join(dir, "access.log"), filepath.Join(dir, "error.log"), filepath.Join(dir, "app.log")
	const upstream = "10.9.8.7:8080"
	conn := 100
	req := func(at time.Time, path, ua string, status int) e2eRequest {
		conn++
		return e2eRequest{at: at, path: path, ua: ua, status: status, upstream: upstream,
			requestID: fmt.Sprintf("%032x", conn), conn: conn}
	}
	// Existing content: the formats are detected from it, then following
	// starts at the end.
	old := req(time.Now().UTC().Add(-time.Minute), "/ok", "curl/7.88.1", 200)
	appendLines(t, access, old.access())
	appendLines(t, errorLog, old.at.Format("2006/01/02 15:04:05")+` [notice] 5803#5803: using the "epoll" event method`)
	appendLines(t, app, old.appLines()...)

	status := filepath.Join(dir, "status")
	tm := startTmux(t, wrapCommand(status, bin, "--proxy", access, "--proxy-errors", errorLog, "--app", app))
	header := regexp.MustCompile(`(?m)^fivexx live .*window`)
	// lipgloss asks the terminal for its background first: allow for it.
	tm.waitScreen(15*time.Second, "first frame", header.MatchString)

	now := time.Now().UTC()
	var proxy, errs, apps []string
	for i := range 5 {
		r := req(now, fmt.Sprintf("/api/cart/%d", i), "curl/7.88.1", 200)
		proxy, apps = append(proxy, r.access()), append(apps, r.appLines()...)
	}
	for i := range 3 {
		r := req(now, fmt.Sprintf("/api/orders/%d", i), "curl/7.88.1", 502)
		proxy, errs = append(proxy, r.access()), append(errs, r.errorLine())
	}
	appendLines(t, app, apps...)
	appendLines(t, errorLog, errs...)
	appendLines(t, access, proxy...)
	// The row: upstream, req/s, then 500 0, 502 3, 503 0, 504 0.
	row := regexp.MustCompile(`(?m)^› ` + regexp.QuoteMeta(upstream) + `\s+\S+\s+0\s+3\s+0\s+0\s`)
	sc, took := tm.waitScreen(time.Second, "the upstream row with its 502 count", row.MatchString)
	t.Logf("upstream row after %v", took)
	if !regexp.MustCompile(`502\s+\S+/s\s+\S+%`).MatchString(sc) {
		t.Errorf("rates pane lacks the 502 row:\n%s", sc)
	}
	// The verdicts wait for late error and app lines until their windows
	// have closed: 3 to 4 s after a whole-second stamp (classify/applag.go).
	sc, took = tm.waitScreen(6*time.Second, "the causes", func(s string) bool {
		return regexp.MustCompile(`Causes of 3 5xx`).MatchString(s) && regexp.MustCompile(`upstream_refused\s+3\s+100%`).MatchString(s)
	})
	t.Logf("causes after %v", took)

	// A hostile line: a title change and a screen clear in the path and
	// the user agent.
	const evil = "\x1b]0;owned\x07\x1b[2J"
	bad := req(time.Now().UTC(), "/x"+evil+"y", "Mozilla/5.0"+evil, 502)
	appendLines(t, errorLog, bad.errorLine())
	appendLines(t, access, bad.access())
	tm.waitScreen(6*time.Second, "the hostile 502 counted", regexp.MustCompile(`Causes of 4 5xx`).MatchString)
	// Its path is on the drill-down, escaped into plain text; the frame
	// that draws the drill-down draws the path, so the title is checked then.
	tm.keys("Enter")
	sc, _ = tm.waitScreen(3*time.Second, "the drill-down", func(s string) bool {
		return strings.Contains(s, "▸ upstream "+upstream) && strings.Contains(s, "recent 5xx")
	})
	if title := tm.display("#{pane_title}"); title == "owned" {
		t.Fatalf("a log line set the pane title to %q; the screen:\n%s", title, sc)
	}
	if !strings.Contains(sc, `/x\x1b]0;owned\x07\x1b[2Jy`) {
		t.Errorf("the drill-down does not show the hostile path escaped:\n%s", sc)
	}
	// The newest 5xx is on top: its request shows the raw line, user agent included.
	tm.keys("Enter")
	sc, _ = tm.waitScreen(3*time.Second, "the hostile request", func(s string) bool {
		return strings.Contains(s, `▸ request 502 GET /x\x1b]0;owned\x07\x1b[2Jy`) && strings.Contains(s, "Proxy access line")
	})
	if title := tm.display("#{pane_title}"); title == "owned" {
		t.Errorf("a log line set the pane title to %q", title)
	}
	if !header.MatchString(sc) {
		t.Errorf("the header is gone after the hostile line:\n%s", sc)
	}
	// One key at a time: two ESC bytes in one read are not two keys.
	tm.keys("Escape")
	tm.waitScreen(3*time.Second, "back on the drill-down", func(s string) bool {
		return strings.Contains(s, "▸ upstream "+upstream)
	})
	tm.keys("Escape")
	tm.waitScreen(3*time.Second, "back on the overview", func(s string) bool {
		return header.MatchString(s) && strings.Contains(s, "Upstreams by 5xx")
	})

	tm.keys("q")
	if code := tm.waitExit(3*time.Second, status); code != "0" {
		t.Errorf("exit status %q, want 0", code)
	}
	sc = tm.history()
	if !strings.Contains(sc, "EXIT=0") {
		t.Errorf("the shell did not report EXIT=0:\n%s", sc)
	}
	if header.MatchString(sc) || strings.Contains(sc, "Upstreams") {
		t.Errorf("the UI is still on the screen after exit (alternate screen not left):\n%s", sc)
	}
	if alt := tm.display("#{alternate_on}"); alt != "0" {
		t.Errorf("alternate screen still on after exit: %q", alt)
	}
	if title := tm.display("#{pane_title}"); title == "owned" {
		t.Errorf("pane title %q after exit", title)
	}
}

// testTmuxTraining plays the deploy-crash scenario in training mode: the
// narration shows, no cause name does until r, then the answer does.
func testTmuxTraining(t *testing.T, bin string) {
	status := filepath.Join(t.TempDir(), "status")
	tm := startTmux(t, wrapCommand(status, bin, "demo", "--train", "--scenario", "deploy-crash", "--speed", "10"))
	tm.waitScreen(15*time.Second, "first frame", func(s string) bool {
		return strings.Contains(s, "fivexx demo · training") && strings.Contains(s, "Training · what is happening")
	})
	// The deploy breaks servers from about 16 s of log time on: 1.6 s at 10×.
	sc, _ := tm.waitScreen(10*time.Second, "hidden causes of the deploy's 502s", func(s string) bool {
		return strings.Contains(s, "? hidden · r reveals them") && strings.Contains(s, "a rolling deploy of api v2.14.0 starts")
	})
	for _, secret := range []string{"upstream_refused", "deploy-crash", "crashes at start-up"} {
		if strings.Contains(sc, secret) {
			t.Errorf("%q on the screen before reveal:\n%s", secret, sc)
		}
	}
	tm.keys("r")
	tm.waitScreen(3*time.Second, "the revealed answer", func(s string) bool {
		return strings.Contains(s, "Training deploy-crash") && strings.Contains(s, "v2.14.0 exits at start-up") &&
			strings.Contains(s, "upstream_refused")
	})
	tm.keys("q")
	if code := tm.waitExit(3*time.Second, status); code != "0" {
		t.Errorf("exit status %q, want 0", code)
	}
	if sc := tm.history(); !strings.Contains(sc, "EXIT=0") || strings.Contains(sc, "Training") {
		t.Errorf("after q the screen is not the shell's:\n%s", sc)
	}
}

// TestTmuxTitleCheckHasTeeth makes sure the pane-title check above could
// fail: the same bytes written raw do set the title.
func TestTmuxTitleCheckHasTeeth(t *testing.T) {
	tm := startTmux(t, `printf '\033]0;owned\007'; sleep 30`)
	deadline := time.Now().Add(5 * time.Second)
	for tm.display("#{pane_title}") != "owned" {
		if time.Now().After(deadline) {
			t.Fatalf("raw OSC 0 did not set the pane title: %q", tm.display("#{pane_title}"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestDemoNarration checks the narration the demo hands training mode: the
// scenario playing at a log time and its beats so far in the current pass.
// (It lives here with the other training-mode test of this package.)
func TestDemoNarration(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	all := demo.Scenarios()
	texts := func(s demo.Scenario, n int) []string {
		var out []string
		for _, b := range s.Narration[:n] {
			out = append(out, b.Text)
		}
		return out
	}
	tests := []struct {
		name     string
		at       time.Time
		scenario demo.Scenario
		lines    []string
		first    time.Time // time of the first beat, when there is one
	}{
		{"no line read yet", time.Time{}, all[0], nil, time.Time{}},
		{"the first beat, at its time", start, all[0], texts(all[0], 1), start},
		{"the second scenario, two beats in", start.Add(demo.Period + all[1].Narration[1].At + time.Second), all[1], texts(all[1], 2), start.Add(demo.Period)},
		{"just before its third beat", start.Add(demo.Period + all[1].Narration[2].At - time.Nanosecond), all[1], texts(all[1], 2), start.Add(demo.Period)},
		{"the loop starts over", start.Add(time.Duration(len(all))*demo.Period + time.Second), all[0], texts(all[0], 1),
			start.Add(time.Duration(len(all)) * demo.Period)},
	}
	src := demoSource{narrator: &narrator{gen: demo.Loop(1, start, 0)}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := src.Narration(tt.at)
			if n.Scenario != tt.scenario.Name || n.Summary != tt.scenario.Summary || n.Explanation != tt.scenario.Explanation {
				t.Errorf("scenario %q (%q), want %q", n.Scenario, n.Summary, tt.scenario.Name)
			}
			var got []string
			for _, l := range n.Lines {
				got = append(got, l.Text)
			}
			if strings.Join(got, "\n") != strings.Join(tt.lines, "\n") {
				t.Errorf("lines %q, want %q", got, tt.lines)
			}
			if len(n.Lines) > 0 && !n.Lines[0].Time.Equal(tt.first) {
				t.Errorf("first beat at %v, want %v", n.Lines[0].Time, tt.first)
			}
			// Each first beat is at its pass's start, which training mode
			// names when the 5xx on the screen are an earlier scenario's.
			if !tt.first.IsZero() && !n.Began.Equal(tt.first) {
				t.Errorf("pass began at %v, want %v", n.Began, tt.first)
			}
		})
	}
	// The UI asks from its command goroutines while the demo plays.
	done := make(chan struct{})
	for i := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for j := range 200 {
				src.Narration(start.Add(time.Duration(i*200+j) * time.Second))
			}
		}()
	}
	for range 4 {
		<-done
	}
}
