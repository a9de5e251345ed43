package caddy

import (
	"testing"

	"fivexx/sources/parsertest"
)

// TestDetectAgreesWithDecoding checks that detect, which says no to an
// app's JSON line by its keys, scores every testdata line (and variants
// whose keys only encoding/json's case folding or escapes match) as
// detectDecoding, which decodes each, does.
func TestDetectAgreesWithDecoding(t *testing.T) {
	parsertest.DetectAgrees(t, "../..", detect, detectDecoding)
}

// TestDetectSaysNoToAppLinesWithoutDecoding checks that an app's JSON
// line is scored 0 without a decode (which allocates): detection scores
// every sample line with every format.
func TestDetectSaysNoToAppLinesWithoutDecoding(t *testing.T) {
	parsertest.DetectSaysNoWithoutDecoding(t, detect)
}
