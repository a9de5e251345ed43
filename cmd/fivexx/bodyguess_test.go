package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// nginx's 5xx of a body too small to be its own page are app_error or
// app_unavailable low (session 36), read from the body, not from a
// request id: with legacy's 5xx so judged (its lines carry no id) the
// advice said "request ids joined to the app log told who made each of
// its 4 5xx"; two of them are still a guess.
func TestBodyGuessIsNoIDJoinInTheAdvice(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("testdata", "applog", "two-apps")
	var out, errb bytes.Buffer
	if code := run([]string{"report", "--json", filepath.Join(dir, "access-rid.log"), filepath.Join(dir, "api.log"), filepath.Join(dir, "legacy.log")}, nil, &out, &errb); code != 0 {
		t.Fatalf("report exited %d: %s", code, errb.String())
	}
	var rep struct {
		Advice []struct{ Problem string }
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	const want = "whether nginx or the app made 2 of its 4 5xx is only a time-window guess"
	for _, a := range rep.Advice {
		if strings.Contains(a.Problem, "$upstream_status") {
			if !strings.Contains(a.Problem, want) {
				t.Errorf("advice %q, want %q", a.Problem, want)
			}
			return
		}
	}
	t.Errorf("no advice on the missing upstream fields: %+v", rep.Advice)
}
