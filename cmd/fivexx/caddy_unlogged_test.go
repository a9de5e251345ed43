package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCaddyUnloggedUpstreamIsSaid: a Caddy access log without an upstream
// field (Caddy 2.6 has no log_append) splits one backend into "-" (its
// requests, 5xx or not) and a row of its address for the 5xx whose error
// entry names it (dialedUpstream), 100 % 5xx: in the real Caddy 2.6.2
// recording round-robin 127.0.0.1:33111 and :40875 have 5 and 2 refused
// 502s, "-" the other 319 requests. README's "-" is a request that
// reached no upstream; the advice that the access log names none says
// that "-" is here every request whose upstream is not logged, and that
// an address's row holds only the 5xx its error entries name.
func TestCaddyUnloggedUpstreamIsSaid(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("..", "..", "testdata", "recordings", "caddy")
	var out, errb bytes.Buffer
	args := []string{"report", "--json", filepath.Join(dir, "access.log"), filepath.Join(dir, "error.log"), filepath.Join(dir, "app.log")}
	if code := run(args, nil, &out, &errb); code != 0 {
		t.Fatalf("report exited %d: %s", code, errb.String())
	}
	var rep struct {
		Upstreams []struct {
			Name string `json:"name"`
		} `json:"upstreams"`
		Advice []struct {
			Problem string `json:"problem"`
		} `json:"advice"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range rep.Upstreams {
		names = append(names, u.Name)
	}
	if len(names) < 2 || !slices.Contains(names, "-") {
		t.Fatalf("upstreams %q: want - and the addresses the error entries name", names)
	}
	const said = "the upstreams' - is every request whose upstream is not logged, not those that reached none: an address has a row only for the 5xx whose error entry names it"
	for _, a := range rep.Advice {
		if strings.HasPrefix(a.Problem, "the access log names no upstream") {
			if !strings.Contains(a.Problem, said) {
				t.Errorf("advice %q does not say what - holds", a.Problem)
			}
			return
		}
	}
	t.Errorf("no advice that the access log names no upstream: %+v", rep.Advice)
}
