package sources_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
	_ "fivexx/sources/parsers"
)

// Every format marked Stateless gives the same records in parallel as the
// plain reader, on its real sample lines (testdata/formats, and the nginx
// recordings), repeated to some twenty chunks.
func TestStatelessFormatsReadTheSameInParallel(t *testing.T) {
	var files []string
	for _, pat := range []string{"../testdata/formats/*/*.log", "../testdata/formats/*/*.gz", "../testdata/recordings/nginx-*/access*.log"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	parallel := 0
	for _, path := range files {
		lines := sampleLines(t, path)
		big := filepath.Join(t.TempDir(), "big.log")
		var b bytes.Buffer
		for b.Len() < 2<<20 {
			b.WriteString(lines)
		}
		if err := os.WriteFile(big, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		plain, in := readRecords(t, big, 1)
		if !in.Format().Stateless || in.Role() != sources.RoleProxy {
			continue
		}
		parallel++
		got, _ := readRecords(t, big, 3)
		if len(plain) == 0 {
			t.Fatalf("%s: no records", path)
		}
		if diff := cmp.Diff(plain, got); diff != "" {
			t.Errorf("%s (%s): parallel read differs (-plain +parallel):\n%s", path, in.Format().Name, diff)
		}
	}
	if parallel < 5 {
		t.Errorf("only %d sample files are of a Stateless format", parallel)
	}
}

// sampleLines returns a sample file's text (decompressed), ending in a newline.
func sampleLines(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		data = append(data, '\n')
	}
	return string(data)
}

// readRecords reads path to its end with n parsing goroutines and returns
// its records with their line numbers, and the input.
func readRecords(t *testing.T, path string, n int) ([]sources.Item, *sources.Input) {
	t.Helper()
	defer sources.SetParallelWorkers(n)()
	in := sources.NewInput(0, sources.Spec{Path: path})
	out := make(chan []sources.Item, 4)
	done := make(chan error, 1)
	go func() { done <- sources.ReadBatches(context.Background(), in, out); close(out) }()
	var items []sources.Item
	for b := range out {
		for _, it := range b {
			it.Input = nil // the same input by construction; cmp would walk it
			items = append(items, it)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return items, in
}
