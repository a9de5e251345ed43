package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// writeFiles writes each file's lines into a new directory and returns
// their paths in the order given.
func writeFiles(t *testing.T, files ...[2]string) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for _, f := range files {
		p := filepath.Join(dir, f[0])
		if err := os.WriteFile(p, []byte(f[1]), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// TestTraefikCLFQuotesServiceURL: the evidence quotes the CLF's ServiceURL
// as logged, scheme and all (QA F7: "ServiceURL 172.18.0.9:8080" for
// "http://172.18.0.9:8080"); the upstream stays its host:port.
func TestTraefikCLFQuotesServiceURL(t *testing.T) {
	inZone(t, "UTC")
	evs, _ := reportEvents(t, writeFiles(t, [2]string{"access.log", lines(
		`10.0.0.9 - - [02/Jan/2024:03:04:05 +0000] "GET /api HTTP/1.1" 502 11 "-" "curl/8.4.0" 42 "api@docker" "http://172.18.0.9:8080" 3ms`,
	)})...)
	want := "ServiceURL http://172.18.0.9:8080: no response header arrived"
	if len(evs) != 1 || evs[0].Upstream != "172.18.0.9:8080" || !slices.Contains(evs[0].Evidence, want) {
		t.Fatalf("%+v, want upstream 172.18.0.9:8080 and evidence %q", evs, want)
	}
}
