package sources

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFollowDetectsAfterAnUnrecognisedBanner: a followed file whose first
// line no format reads (an app's start-up banner, written alone) says so,
// then reads the lines after it (reviewer r1 #2: every later line was
// unparsed for the whole session).
func TestFollowDetectsAfterAnUnrecognisedBanner(t *testing.T) {
	p := filepath.Join(t.TempDir(), "app.log")
	r := startFollow(t, Spec{Path: p}, FollowOptions{}, false)
	r.waitState("waiting for file")
	if err := os.WriteFile(p, []byte("Starting api v1.2.3, listening on :8080\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r.waitState(stateUnknownFormat)
	w := newLogWriter(t, p)
	w.write(20)
	r.waitLines(20)
	r.waitState("following")
	if f := r.in.Format().Name; f != "test-proxy" {
		t.Fatalf("format %q", f)
	}
	if c := r.in.Counters(); c.Unparsed != 1 || c.Parsed != 20 {
		t.Fatalf("counters %+v", c)
	}
}

// TestFollowTriesDetectionAgainOnANewFile: an input no format fitted tries
// less and less often, but a rotated file is tried from its first line.
func TestFollowTriesDetectionAgainOnANewFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "app.log")
	r := startFollow(t, Spec{Path: p}, FollowOptions{}, false)
	r.waitState("waiting for file")
	var junk strings.Builder
	for i := range 400 {
		fmt.Fprintf(&junk, "junk line %d\n", i)
	}
	if err := os.WriteFile(p, []byte(junk.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "400 unparsed lines", func() bool { return r.in.Counters().Unparsed == 400 }, r.status)
	rotateRename(t, p)
	r.waitState(StateRotated)
	w := newLogWriter(t, p)
	w.write(20)
	r.waitLines(20)
	if f := r.in.Format().Name; f != "test-proxy" {
		t.Fatalf("format %q", f)
	}
}
