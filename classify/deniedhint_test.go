package classify

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

// judgeFiles writes each log of logs (name → lines) into a temp dir, reads
// them as a report does (formats detected, records merged by time) and
// returns the verdicts.
func judgeFiles(t *testing.T, logs map[string][]string) []*Verdict {
	t.Helper()
	dir := t.TempDir()
	names := make([]string, 0, len(logs))
	for name := range logs {
		names = append(names, name)
	}
	slices.Sort(names)
	type item struct {
		in  *sources.Input
		rec sources.Record
	}
	var ins []*sources.Input
	var all []item
	for i, name := range names {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(strings.Join(logs[name], "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		in := sources.NewInput(i, sources.Spec{Path: path, Opts: sources.ParserOptions{Location: time.UTC}})
		out := make(chan sources.Item, 64)
		if err := sources.ReadToEnd(context.Background(), in, out); err != nil {
			t.Fatal(err)
		}
		close(out)
		for it := range out {
			all = append(all, item{in, it.Rec})
		}
		ins = append(ins, in)
	}
	slices.SortStableFunc(all, func(a, b item) int { return a.rec.RecordTime().Compare(b.rec.RecordTime()) })
	var got []*Verdict
	eng := NewEngine(Config{Inputs: ins, Grace: 5 * time.Second, OnVerdict: func(v *Verdict) { got = append(got, v) }})
	for _, it := range all {
		eng.Add(it.in, it.rec)
	}
	eng.Flush()
	return got
}

// A connect the proxy was denied (EACCES) is read as upstream_refused, as
// formats.md §2.2 and §6.2 say, but its hint led with "nothing is
// listening on unix//run/app.sock", the socket's permissions one guess
// among five at the end: the process was up, its socket's mode was wrong.
// On TCP (SELinux's httpd_can_network_connect off) it sent the reader to
// ss -ltnp for a listener that was there. Caddy's "dial tcp …: connect:
// permission denied" was no reason at all.
func TestDeniedConnectHint(t *testing.T) {
	const (
		caddyErr    = `{"level":"error","ts":1754633393.458146,"logger":"http.log.error","msg":"%s","request":{"remote_ip":"203.0.113.7","remote_port":"52069","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/api//info","headers":{"Connection":["keep-alive"]}},"duration":0.000669913,"status":502,"err_id":"c0wkic63c","err_trace":"reverseproxy.statusError (reverseproxy.go:1269)"}`
		caddyAccess = `{"level":"error","ts":1754633393.4583,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"203.0.113.7","remote_port":"52069","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/api//info","headers":{}},"bytes_read":0,"user_id":"","duration":0.000702,"size":0,"status":502,"resp_headers":{"Server":["Caddy"]}}`
		nginxErr    = `2020/05/07 03:15:12 [crit] 6#6: *1 connect() to %s failed (13: Permission denied) while connecting to upstream, client: 172.21.0.1, server: , request: "GET / HTTP/1.1", upstream: "http://%s", host: "0.0.0.0:9000"`
		nginxAccess = `172.21.0.1 - - [07/May/2020:03:15:12 +0000] "GET / HTTP/1.1" 502 157 "-" "Mozilla/5.0 (X11; Fedora; Linux x86_64; rv:60.0) Gecko/20100101 Firefox/60.0"`
	)
	caddy := func(msg string) map[string][]string {
		return map[string][]string{"caddy.log": {strings.Replace(caddyErr, "%s", msg, 1), caddyAccess}}
	}
	// nginx names a socket upstream "http://unix:/run/app.sock:/" (the
	// request's URI after the path's colon).
	nginx := func(up, url string) map[string][]string {
		return map[string][]string{"access.log": {nginxAccess}, "error.log": {strings.Replace(strings.Replace(nginxErr, "%s", up, 1), "%s", url, 1)}}
	}
	for _, tc := range []struct {
		name string
		logs map[string][]string
		want string
	}{
		{"caddy, unix socket", caddy("dial unix /run/app.sock: connect: permission denied"),
			"permission denied connecting to unix//run/app.sock: the proxy's user may not write to the socket file; compare its mode and owner (ls -l /run/app.sock)"},
		{"caddy, tcp", caddy("dial tcp 127.0.0.1:8080: connect: permission denied"),
			"permission denied connecting to 127.0.0.1:8080: the proxy's host does not let it open the connection, nothing refused it; SELinux (getsebool httpd_can_network_connect"},
		{"nginx, unix socket", nginx("unix:/run/app.sock", "unix:/run/app.sock:/"),
			"permission denied connecting to unix:/run/app.sock: the proxy's user may not write to the socket file; compare its mode and owner (ls -l /run/app.sock)"},
		{"nginx, tcp", nginx("127.0.0.1:8080", "127.0.0.1:8080/"),
			"permission denied connecting to 127.0.0.1:8080: the proxy's host does not let it open the connection, nothing refused it; SELinux (getsebool httpd_can_network_connect"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vs := judgeFiles(t, tc.logs)
			if len(vs) != 1 {
				t.Fatalf("%d verdicts, want 1", len(vs))
			}
			v := vs[0]
			if v.Cause != UpstreamRefused || v.Confidence != High {
				t.Errorf("%s %s, want upstream_refused high; evidence %q", v.Cause, v.Confidence, v.Evidence)
			}
			if !strings.HasPrefix(v.Hint, tc.want) {
				t.Errorf("hint\n  %q\nwant it to start\n  %q", v.Hint, tc.want)
			}
			if strings.Contains(v.Hint, "nothing is listening") {
				t.Errorf("hint %q says nothing is listening", v.Hint)
			}
		})
	}
}

// A refused connect keeps its hint: nothing is listening.
func TestRefusedConnectHintUnchanged(t *testing.T) {
	vs := judgeFiles(t, map[string][]string{"caddy.log": {
		`{"level":"error","ts":1754633393.458146,"logger":"http.log.error","msg":"dial unix /run/app.sock: connect: no such file or directory","request":{"remote_ip":"203.0.113.7","remote_port":"52069","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/api//info","headers":{"Connection":["keep-alive"]}},"duration":0.000669913,"status":502,"err_id":"c0wkic63c","err_trace":"reverseproxy.statusError (reverseproxy.go:1269)"}`,
		`{"level":"error","ts":1754633393.4583,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"203.0.113.7","remote_port":"52069","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/api//info","headers":{}},"bytes_read":0,"user_id":"","duration":0.000702,"size":0,"status":502,"resp_headers":{"Server":["Caddy"]}}`,
	}})
	if len(vs) != 1 || vs[0].Cause != UpstreamRefused || !strings.HasPrefix(vs[0].Hint, "nothing is listening on unix//run/app.sock") {
		t.Fatalf("verdicts %v, want one upstream_refused whose hint starts \"nothing is listening on unix//run/app.sock\"", vs)
	}
}
