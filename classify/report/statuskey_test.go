package report

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStatusKeysAreThreeDigits: JSON status keys are three digits (the
// report contract). A response never sent is "000", whether the proxy
// logs it as 0 (Envoy) or -1 (HAProxy, which gave "-1"), one count.
func TestStatusKeysAreThreeDigits(t *testing.T) {
	got := statusMap(map[int]int64{-1: 2, 0: 3, 9: 1, 200: 5, 503: 4})
	want := map[string]int64{"000": 5, "009": 1, "200": 5, "503": 4}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statusMap mismatch (-want +got):\n%s", diff)
	}
}
