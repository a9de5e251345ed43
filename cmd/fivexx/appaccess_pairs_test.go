package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

// TestAppAccessTestsNearPairsOnly: of 200 rotated combined logs (each can
// be an app's: no upstream field), an hour apart each, only the pairs
// with a request in common within 2 s are tested by appOfPair, and every
// log stays a proxy's; every pair was tested (19,900 for 200 logs; 1,000
// logs took 10.6 s, QA s37 qa5). Two logs of the same requests still are
// tested and one is the app's.
func TestAppAccessTestsNearPairsOnly(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)
	write := func(name string, at time.Time, client string) string {
		var b strings.Builder
		for l := range 20 {
			fmt.Fprintf(&b, "%s - - [%s] \"GET /p?n=%d HTTP/1.1\" 200 3 \"-\" \"gen/1\"\n",
				client, at.Add(time.Duration(l)*time.Second).Format("02/Jan/2006:15:04:05 -0700"), l%5)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	calls := 0
	pairTest = func(a, b clfHead) int { calls++; return appOfPair(a, b) }
	t.Cleanup(func() { pairTest = appOfPair })
	var specs []sources.Spec
	for k := range 200 {
		specs = append(specs, sources.Spec{Path: write(fmt.Sprintf("access.log.%d", k), t0.Add(time.Duration(k)*time.Hour), "10.0.0.9")})
	}
	appAccessByRequests(specs, &headCache{})
	for k, s := range specs {
		if s.Role != sources.RoleUnknown {
			t.Errorf("access.log.%d: role %v, want none (a proxy's)", k, s.Role)
		}
	}
	if calls > 0 {
		t.Errorf("appOfPair tested %d pairs of 200 logs with no request in common, want 0", calls)
	}
	// The app's log of the first log's requests, a second later, from
	// the proxy on 127.0.0.1: it and that log are tested, and it is the app's.
	specs = append(specs, sources.Spec{Path: write("app.log", t0.Add(time.Second), "127.0.0.1")})
	calls = 0
	appAccessByRequests(specs, &headCache{})
	if got := specs[len(specs)-1].Role; got != sources.RoleApp {
		t.Errorf("app.log: role %v, want app", got)
	}
	if calls == 0 || calls > 2 {
		t.Errorf("appOfPair tested %d pairs, want 1 or 2 (app.log and access.log.0)", calls)
	}
}
