package classify

import (
	"path/filepath"
	"testing"
)

// TestNoFieldsAdviceIsEachProxys: the advice that an access log lacks the
// fields that tell who made a 5xx is decided for each proxy whose access
// log is read, by its own fields, whatever their order. Real nginx's
// combined log (no $upstream_status: 162 5xx, who made each a guess)
// beside HAProxy's (whose flags tell) got no word, as HAProxy's flags
// counted for both; beside nginx's upstream log, whose fields it reads
// as nginx's too, likewise. Beside another proxy's, the advice names its
// file and counts its own 5xx.
func TestNoFieldsAdviceIsEachProxys(t *testing.T) {
	dir := filepath.Join("..", "testdata", "recordings")
	combined := filepath.Join("nginx-combined", "access.log")
	const (
		noFields = "the access log has no $upstream_status/$upstream_addr/$upstream_header_time: "
		caddyNo  = "the access log names no upstream"
	)
	named := "the access log (" + filepath.Join(dir, combined) + ") has no $upstream_status/$upstream_addr/$upstream_header_time: whether nginx or the app made each of its 162 5xx is only a time-window guess"
	for _, tc := range []struct {
		name  string
		files []string
		want  []string // problems that begin so, each once
		not   []string // no problem begins so
	}{
		{"nginx combined then HAProxy", []string{combined, "haproxy/access.log"}, []string{named}, []string{noFields}},
		{"HAProxy then nginx combined", []string{"haproxy/access.log", combined}, []string{named}, []string{noFields}},
		{"nginx combined then Caddy", []string{combined, "caddy/access.log"}, []string{named, "the access log (" + filepath.Join(dir, "caddy", "access.log") + ") names no upstream: whether Caddy or the app made each of its 131 5xx"}, []string{noFields}},
		// HAProxy's and nginx's upstream log: both tell.
		{"nginx upstream and HAProxy", []string{"nginx-upstream/access.log", "haproxy/access.log"}, nil, []string{noFields, "the access log ("}},
		// One proxy's access log alone: said as before, no file named.
		{"nginx combined alone", []string{combined}, []string{noFields + "whether nginx or the app made each of its 162 5xx"}, []string{"the access log ("}},
		{"Caddy alone", []string{"caddy/access.log"}, []string{caddyNo + ": "}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkProblems(t, reportAdvice(t, dir, tc.files...), tc.want, tc.not)
		})
	}
}
