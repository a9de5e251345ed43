package classify

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorLogAdviceIsEachProxys: the advice that a proxy's error log is
// missing is decided for each proxy whose access log is read, whatever
// their order. Real nginx's and HAProxy's access logs read together were
// told "no proxy error log" when nginx's came last and nothing when
// HAProxy's did; nginx's and Caddy's got Caddy's advice alone or nginx's
// alone (QA s35 M1). Beside another proxy's, the advice names its file.
func TestErrorLogAdviceIsEachProxys(t *testing.T) {
	dir := filepath.Join("..", "testdata", "recordings")
	nginx := filepath.Join("nginx-upstream", "access.log")
	const (
		noNginx = "no proxy error log for nginx's access log "
		noCaddy = "no Caddy error entries for "
	)
	for _, tc := range []struct {
		name  string
		files []string
		want  []string // problems that begin so, each once
		not   []string // no problem begins so
	}{
		{"nginx then HAProxy", []string{nginx, "haproxy/access.log"}, []string{noNginx + filepath.Join(dir, nginx)}, []string{noCaddy}},
		{"HAProxy then nginx", []string{"haproxy/access.log", nginx}, []string{noNginx + filepath.Join(dir, nginx)}, []string{noCaddy}},
		{"nginx then Caddy", []string{nginx, "caddy/access.log"}, []string{noNginx, noCaddy + filepath.Join(dir, "caddy", "access.log")}, nil},
		{"Caddy then nginx", []string{"caddy/access.log", nginx}, []string{noNginx, noCaddy}, nil},
		// Caddy's error entries are no nginx error log.
		{"nginx, Caddy and Caddy's errors", []string{nginx, "caddy/access.log", "caddy/error.log"}, []string{noNginx}, []string{noCaddy}},
		{"nginx and its error log, then HAProxy", []string{nginx, "nginx-upstream/error.log", "haproxy/access.log"}, nil, []string{"no proxy error log", noCaddy}},
		// One proxy's access log alone: said as before, no file named.
		{"nginx alone", []string{nginx}, []string{"no proxy error log: "}, []string{noNginx}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkProblems(t, reportAdvice(t, dir, tc.files...), tc.want, tc.not)
		})
	}
}

// TestCaddyOwnLogIsNamedBesideOtherProxies: Caddy's own log (its one
// "aborting with incomplete response" entry, no error entry of a failed
// request) beside its access log and nginx's and HAProxy's logs: the
// advice names it, not "Caddy's log is Caddy's log", and is about
// Caddy's access log alone.
func TestCaddyOwnLogIsNamedBesideOtherProxies(t *testing.T) {
	dir := filepath.Join("..", "cmd", "fivexx", "testdata", "cutafterheaders")
	want := filepath.Join(dir, "caddy-error.log") + " is Caddy's log (its own lines are there) but holds no error entry of any request for " + filepath.Join(dir, "caddy-access.log") + ": "
	var all []string
	n := 0
	for _, a := range reportAdvice(t, dir, "caddy-access.log", "caddy-error.log", "haproxy.log", "nginx-access.log", "nginx-error.log") {
		all = append(all, a.Problem)
		if strings.HasPrefix(a.Problem, want) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d problems begin with %q, want 1:\n%s", n, want, strings.Join(all, "\n"))
	}
}

// checkProblems checks that, of advice's problems, exactly one begins
// with each of want and none with any of not.
func checkProblems(t *testing.T, advice []Advice, want, not []string) {
	t.Helper()
	var all []string
	for _, a := range advice {
		all = append(all, a.Problem)
	}
	text := strings.Join(all, "\n")
	for _, w := range want {
		n := 0
		for _, p := range all {
			if strings.HasPrefix(p, w) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d problems begin with %q, want 1:\n%s", n, w, text)
		}
	}
	for _, w := range not {
		for _, p := range all {
			if strings.HasPrefix(p, w) {
				t.Errorf("a problem begins with %q:\n%s", w, text)
			}
		}
	}
}
