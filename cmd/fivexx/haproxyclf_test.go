package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestHAProxyCLF: "option httplog clf" (HAProxy 2.6.12, recorded; the QA
// round's haproxy-clf) was no known format, and --format haproxy read
// none of its lines.
func TestHAProxyCLF(t *testing.T) {
	clf, err := os.ReadFile(filepath.Join("..", "..", "sources", "haproxy", "testdata", "clf.log"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "hap3.out")
	if err := os.WriteFile(path, clf, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{path}, {"--format", "haproxy", path}} {
		code, out, stderr := runCLI(append([]string{"report", "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		var rep struct {
			Inputs []struct {
				Format          string
				Lines, Unparsed int
			}
			Causes map[string]int
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.Inputs) != 1 || rep.Inputs[0].Format != "haproxy" || rep.Inputs[0].Lines != 4 || rep.Inputs[0].Unparsed != 0 {
			t.Errorf("%v: inputs %+v; want haproxy, 4 lines, none unparsed", args, rep.Inputs)
		}
	}
	evs, _ := reportEvents(t, path)
	want := map[string][2]string{
		"/e503":  {"app_unavailable", "high"},
		"/reset": {"upstream_reset", "high"},
		"/hang":  {"upstream_timeout", "high"},
	}
	if len(evs) != len(want) {
		t.Fatalf("%d events, want %d: %+v", len(evs), len(want), evs)
	}
	for _, ev := range evs {
		if w := want[ev.Path]; ev.Cause != w[0] || ev.Confidence != w[1] {
			t.Errorf("%s: %s %s, want %s %s; evidence %q", ev.Path, ev.Cause, ev.Confidence, w[0], w[1], ev.Evidence)
		}
	}
}
