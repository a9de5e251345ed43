package traefik

import (
	"testing"

	"fivexx/sources/parsertest"
)

// TestDetectAgreesWithDecoding checks that detectJSON, which says no to an
// app's JSON line by its keys, scores every testdata line (and variants
// whose keys only encoding/json's case folding or escapes match) as
// detectJSONDecoding, which decodes each, does.
func TestDetectAgreesWithDecoding(t *testing.T) {
	parsertest.DetectAgrees(t, "../..", detectJSON, detectJSONDecoding)
}

// TestDetectSaysNoToAppLinesWithoutDecoding checks that an app's JSON
// line is scored 0 without a decode (which allocates): detection scores
// every sample line with every format.
func TestDetectSaysNoToAppLinesWithoutDecoding(t *testing.T) {
	line := `{"time":"2026-01-02T03:00:00.011964Z","level":"INFO","msg":"request finished","request_id":"aaed0144081729c9b7172e87e44bc00a","method":"GET","path":"/api/users/me","status":200,"duration_ms":10.433}`
	if s := detectJSON(line); s != 0 {
		t.Fatalf("scored %d", s)
	}
	if allocs := testing.AllocsPerRun(10, func() { detectJSON(line) }); allocs != 0 {
		t.Errorf("%v allocations: decoded", allocs)
	}
}
