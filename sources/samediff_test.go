package sources

import (
	"reflect"

	"github.com/google/go-cmp/cmp"
)

// sameOrDiff is cmp.Diff(x, y, opts...) but returns "" at once when x and
// y are deeply equal (reflect.DeepEqual), which cmp would then find too:
// cmp walks every field of every record and diffs every slice even when
// they are the same, half the CPU time of the parallel-read tests (and
// slower still under the race detector). The diff is made only when they
// differ.
func sameOrDiff(x, y any, opts ...cmp.Option) string {
	if reflect.DeepEqual(x, y) {
		return ""
	}
	return cmp.Diff(x, y, opts...)
}
