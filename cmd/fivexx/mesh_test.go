package main

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMeshSidecarPairsAreOneRequest: in an Istio mesh the caller's
// outbound sidecar and the callee's inbound sidecar both log a request
// (testdata/mesh: Istio's TEXT layout, formats.md §4.1). Given both logs,
// fivexx counted 14 requests for 6 and judged every 5xx twice; the
// outbound's copy of the inbound's 503 UF (no flag, via_upstream) came
// out app_unavailable. The requests:
//
//	…01 200 (one hop each side)
//	…02 503: inbound UF (the app's port refused), outbound passes it on
//	…03 503 URX: three inbound UF attempts
//	…04 200: inbound UF, then 200 on the retry: no 5xx for the caller
//	…05 503 UH: the outbound sidecar had no host, no inbound hop
//	…02 again two seconds later, on another connection: the client
//	     re-sent its id; another request, not merged with the first
func TestMeshSidecarPairsAreOneRequest(t *testing.T) {
	inZone(t, "UTC")
	out, in := filepath.Join("testdata", "mesh", "outbound.log"), filepath.Join("testdata", "mesh", "inbound.log")
	want := meshReport{Requests: 6, Status: map[string]int64{"200": 2, "503": 4},
		Causes: map[string]int64{"upstream_refused": 3, "no_healthy_upstream": 1}}
	for _, order := range [][]string{{out, in}, {in, out}} {
		got := jsonReport(t, order...)
		if got.Requests != want.Requests || !maps.Equal(got.Status, want.Status) || !maps.Equal(got.Causes, want.Causes) {
			t.Errorf("%v: requests %d, status %v, causes %v; want %d, %v, %v", order, got.Requests, got.Status, got.Causes, want.Requests, want.Status, want.Causes)
		}
	}
	evs, _ := reportEvents(t, out, in)
	const mesh = "service mesh: one request (x-request-id a1b2c3d4-0000-4000-8000-00000000000"
	wantEvs := []struct{ id, cause, first string }{
		{"2", "upstream_refused", mesh + "2), 2 sidecar entries: the callee's inbound sidecar logged 503 response_flags UF upstream_host 10.244.0.17:8080, which made the 5xx; the caller's outbound sidecar logged 503 response_flags - upstream_host 10.244.0.17:8080, passing it on: the fields below are the inbound hop's"},
		{"3", "upstream_refused", mesh + "3), 4 sidecar entries: the callee's inbound sidecar logged 503 response_flags UF upstream_host 10.244.0.17:8080, which made the 5xx; other attempts: "},
		{"5", "no_healthy_upstream", "upstream_host -, "},
		{"2", "upstream_refused", mesh + "2), 2 sidecar entries: "},
	}
	if len(evs) != len(wantEvs) {
		t.Fatalf("%d 5xx judged, want %d: %+v", len(evs), len(wantEvs), evs)
	}
	for i, w := range wantEvs {
		ev := evs[i]
		if !strings.HasSuffix(ev.RequestID, w.id) || ev.Cause != w.cause || ev.Confidence != "high" || ev.Upstream == "" ||
			len(ev.Evidence) == 0 || !strings.HasPrefix(ev.Evidence[0], w.first) {
			t.Errorf("%d: %s %s/%s %q, want …%s %s/high %q", i, ev.RequestID, ev.Cause, ev.Confidence, ev.Evidence, w.id, w.cause, w.first)
		}
	}

	// Without the outbound log, each inbound entry is a request of its
	// own, as before; without request ids nothing is merged.
	if got := jsonReport(t, in); got.Requests != 8 {
		t.Errorf("the inbound log alone: %d requests, want its 8 lines", got.Requests)
	}
	dir := t.TempDir()
	for _, f := range []string{out, in} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		noIDs := strings.ReplaceAll(string(b), `"a1b2c3d4-0000-4000-8000-00000000000`, `"-" "`)
		noIDs = strings.NewReplacer(`"-" "1"`, `"-"`, `"-" "2"`, `"-"`, `"-" "3"`, `"-"`, `"-" "4"`, `"-"`, `"-" "5"`, `"-"`).Replace(noIDs)
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), []byte(noIDs), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := jsonReport(t, filepath.Join(dir, "outbound.log"), filepath.Join(dir, "inbound.log")); got.Requests != 14 {
		t.Errorf("without request ids: %d requests, want all 14 lines", got.Requests)
	}
}

// meshReport is the part of report --json the mesh test reads.
type meshReport struct {
	Requests int64            `json:"requests"`
	Status   map[string]int64 `json:"status"`
	Causes   map[string]int64 `json:"causes"`
	Inputs   []struct {
		Unparsed int64 `json:"unparsed"`
	} `json:"inputs"`
}

func jsonReport(t *testing.T, args ...string) meshReport {
	t.Helper()
	code, out, stderr := runCLI(append([]string{"report", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r meshReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	for _, in := range r.Inputs {
		if in.Unparsed != 0 {
			t.Fatalf("unparsed lines: %s", out)
		}
	}
	return r
}
