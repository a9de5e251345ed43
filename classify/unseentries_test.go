package classify

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// A refusal the proxy logged of its last try, after tries it logs
// nothing of, is no better than medium without the app's log: the real
// crashes of the HAProxy and Caddy recordings (the app logged each
// request's start and no end, then the retry was refused) were
// upstream_refused high from the access and error logs, whose lines are
// those of the plain refusals beside them (QA s35). With the app's log
// the crash is upstream_reset and the refusal high again.
func TestRefusedAfterUnseenTriesIsNotHigh(t *testing.T) {
	type want struct {
		cause Cause
		conf  Confidence
	}
	for _, tc := range []struct {
		rec   string
		files []string
		want  map[string]want // by the path's n
	}{
		{"haproxy", []string{"access.log"}, map[string]want{"150": {UpstreamRefused, Medium}, "59": {UpstreamRefused, Medium}}},
		{"haproxy", []string{"access.log", "stderr.log"}, map[string]want{"150": {UpstreamRefused, Medium}, "59": {UpstreamRefused, Medium}}},
		{"haproxy", []string{"access.log", "stderr.log", "app.log"}, map[string]want{"150": {UpstreamReset, High}, "59": {UpstreamRefused, High}}},
		{"caddy", []string{"access.log", "error.log"}, map[string]want{"83": {UpstreamRefused, Medium}, "150": {UpstreamRefused, Medium}, "72": {UpstreamRefused, Medium}}},
		{"caddy", []string{"access.log", "error.log", "app.log"}, map[string]want{"83": {UpstreamReset, High}, "150": {UpstreamReset, High}, "72": {UpstreamRefused, High}}},
	} {
		t.Run(tc.rec+"/"+strings.Join(tc.files, "+"), func(t *testing.T) {
			s := publishedFrom(t, true, filepath.Join("..", "testdata", "recordings", tc.rec), tc.files...)
			seen := 0
			for _, v := range s.Recent {
				u, err := url.Parse(v.Entry.Path)
				if err != nil {
					continue
				}
				w, ok := tc.want[u.Query().Get("n")]
				if !ok {
					continue
				}
				seen++
				if v.Cause != w.cause || v.Confidence != w.conf {
					t.Errorf("%s: %s %s, want %s %s\n%s", v.Entry.Path, v.Cause, v.Confidence, w.cause, w.conf, strings.Join(v.Evidence, "\n"))
				}
			}
			if seen != len(tc.want) {
				t.Errorf("%d of the %d 5xx looked for judged", seen, len(tc.want))
			}
		})
	}
}
