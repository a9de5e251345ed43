package sources_test

import (
	"testing"

	"fivexx/sources"
)

// TestRoleSettled: an input's role is settled once it is its for good
// (the engine then holds no app or error line for an access log that
// cannot come, classify/nojoin.go): given, or detected and not watched;
// an app format decided on a few lines is watched and may yet turn into
// a proxy's, so it is not settled until the watch ends.
func TestRoleSettled(t *testing.T) {
	t.Run("detected on 300 lines", func(t *testing.T) {
		in, _ := readFile(t, nTimes(300, appJSONLine))
		if !in.RoleSettled() || in.Role() != sources.RoleApp {
			t.Fatalf("format %s (%s), settled %v", in.Format().Name, in.Detected(), in.RoleSettled())
		}
	})
	t.Run("not read yet", func(t *testing.T) {
		if in := sources.NewInput(0, sources.Spec{Path: "x.log"}); in.RoleSettled() {
			t.Fatal("settled before a line was read")
		}
	})
	t.Run("role given", func(t *testing.T) {
		if in := sources.NewInput(0, sources.Spec{Path: "x.log", Role: sources.RoleApp}); !in.RoleSettled() {
			t.Fatal("a given role is not settled")
		}
	})
	t.Run("format given", func(t *testing.T) {
		in := sources.NewInput(0, sources.Spec{Path: "x.log", Format: "app-json"})
		sources.NewDecoder(in, make(chan sources.Item, 1))
		if !in.RoleSettled() {
			t.Fatal("a given format is not settled")
		}
	})
	t.Run("watched, turns into a proxy's", func(t *testing.T) {
		l := newLive(t)
		l.lines(nTimes(14, "2024-01-02T03:04:01.123456Z\tinfo\tWorkload SDS socket not found. Starting Istio SDS Server")...)
		l.quiet()
		if l.in.Role() != sources.RoleApp || l.in.RoleSettled() {
			t.Fatalf("startup lines alone: format %s, settled %v; want an app format, watched", l.in.Format().Name, l.in.RoleSettled())
		}
		l.lines(istioRequests...)
		l.lines(istioRequests...)
		l.quiet()
		if l.in.Role() != sources.RoleProxy || !l.in.RoleSettled() {
			t.Fatalf("after requests: format %s (%s), settled %v", l.in.Format().Name, l.in.Detected(), l.in.RoleSettled())
		}
	})
	t.Run("watched, stays the app's", func(t *testing.T) {
		l := newLive(t)
		l.lines(nTimes(5, appJSONLine)...)
		l.quiet()
		if l.in.Role() != sources.RoleApp || l.in.RoleSettled() {
			t.Fatalf("5 lines: format %s, settled %v; want an app format, watched", l.in.Format().Name, l.in.RoleSettled())
		}
		l.lines(nTimes(sources.DetectLines, appJSONLine)...)
		if l.in.Role() != sources.RoleApp || !l.in.RoleSettled() {
			t.Fatalf("after the watch: format %s, settled %v", l.in.Format().Name, l.in.RoleSettled())
		}
	})
	t.Run("followed from its head", func(t *testing.T) {
		if l := newLiveFromHead(t, nTimes(300, appJSONLine)); !l.in.RoleSettled() {
			t.Fatalf("format %s (%s) settled on its head, not settled", l.in.Format().Name, l.in.Detected())
		}
		l := newLiveFromHead(t, nTimes(5, appJSONLine))
		if l.in.Role() != sources.RoleApp || l.in.RoleSettled() {
			t.Fatalf("head of 5 lines: format %s, settled %v; want an app format, watched", l.in.Format().Name, l.in.RoleSettled())
		}
	})
}
