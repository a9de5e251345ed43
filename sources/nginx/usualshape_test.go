package nginx

import (
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The shapes (usualshape.go) must give what the pair reader gives: these
// tests parse lines whose tails are at every edge of the two shapes with
// nginx-upstream as built and on the reference path, and check that the
// shapes take the tails they are for, so that the comparison is not
// vacuous.

// shapeHead is a combined line the shape tails follow.
const shapeHead = `127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 502 3 "-" "curl/7.88.1"`

// shapeTails are tails at the edges of the two shapes, each with whether
// readUsualShape takes it.
var shapeTails = []struct {
	tail  string
	shape bool
}{
	{usualTail, true},
	{` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=969d84764b426a8766d4323de5184b86 cid=21377`, true},
	{` rt=9.999 uct="0.000" uht="9.876" urt="9.877" ua="10.0.1.11:8080" us="200" rid=969d84764b426a8766d4323de5184b86 cid=1`, true},
	// Times of another length or not digits, in each place.
	{` rt=10.010 uct="0.000" uht="0.008" urt="0.008" ua="10.0.1.11:8080" us="200" rid=969d84764b426a8766d4323de5184b86 cid=21377`, false},
	{` rt=0.01 uct="0.000" uht="0.008" urt="0.008" ua="10.0.1.11:8080" us="200" rid=969d84764b426a8766d4323de5184b86 cid=21377`, false},
	{` rt=0.01x uct="0.000" uht="0.008" urt="0.008" ua="10.0.1.11:8080" us="200" rid=969d84764b426a8766d4323de5184b86 cid=21377`, false},
	{` rt=0:010 uct="0.000" uht="0.008" urt="0.008" ua="10.0.1.11:8080" us="200" rid=969d84764b426a8766d4323de5184b86 cid=21377`, false},
	{` rt=-.010 uct="-" uht="-" urt="-" ua="-" us="-" rid=969d84764b426a8766d4323de5184b86 cid=21377`, false},
	{` rt=0.010 uct="0.0:0" uht="0.008" urt="0.008" ua="10.0.1.11:8080" us="200" rid=969d84764b426a8766d4323de5184b86 cid=21377`, false},
	{` rt=0.010 uct="0.0 0" uht="0.008" urt="0.008" ua="10.0.1.11:8080" us="200" rid=969d84764b426a8766d4323de5184b86 cid=21377`, false},
	{` rt=0.010 uct="0.000" uht="0.0/8" urt="0.008" ua="10.0.1.11:8080" us="200" rid=969d84764b426a8766d4323de5184b86 cid=21377`, false},
	{` rt=0.010 uct="0.000" uht="-" urt="0.008" ua="10.0.1.11:8080" us="502" rid=969d84764b426a8766d4323de5184b86 cid=21377`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.00" ua="10.0.1.11:8080" us="200" rid=969d84764b426a8766d4323de5184b86 cid=21377`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008"  ua="10.0.1.11:8080" us="200" rid=969d84764b426a8766d4323de5184b86 cid=21377`, false},
	{` rt=0.000 uct="-" uht="-" urt="-" ua="x" us="-" rid=969d84764b426a8766d4323de5184b86 cid=21377`, false},
	{` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="--" rid=969d84764b426a8766d4323de5184b86 cid=21377`, false},
	{` rt=0.000 uct="-" uht="0.000" urt="-" ua="-" us="-" rid=969d84764b426a8766d4323de5184b86 cid=21377`, false},
	// Addresses of every length the two words hold, and past them; with a
	// space (two attempts), empty, "-", a group name, unix sockets, ports
	// after a first ':', a last ':' that is the first byte, no port.
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua=":1" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="-" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="1234567" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="12345678" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:345678" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua=":2345678" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:3456789" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="backend" us="502" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="backend:x" us="502" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="unix:" us="502" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="unix:/a" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="unix:/run/app.so" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="[::1]:80" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="10.0.1.11:8080" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="10.0.10.111:8080" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="10.0.10.11:80808" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="1234567890123:5" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="123456789012345" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:23456789012345" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:123456789" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua=":123456789" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1, b:2" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1 : b:2" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1 " us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`, false},
	// The status: three digits, or not.
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="20" rid=969d84764b426a8766d4323de5184b86 cid=7`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="2000" rid=969d84764b426a8766d4323de5184b86 cid=7`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="-" rid=969d84764b426a8766d4323de5184b86 cid=7`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="2x0" rid=969d84764b426a8766d4323de5184b86 cid=7`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200"  rid=969d84764b426a8766d4323de5184b86 cid=7`, false},
	// Request ids: 31 and 33 bytes, "-", a space, a backslash, a quote
	// (first and later), upper case, another key before cid.
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=969d84764b426a8766d4323de5184b8 cid=7`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=969d84764b426a8766d4323de5184b861 cid=7`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=- cid=7`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=969d84764b426a87 6d4323de5184b86 cid=7`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=969d84764b426a8\x4123de5184b86a cid=7`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid="69d84764b426a8766d4323de5184b86 cid=7`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=969d84764b426a8"66d4323de5184b86 cid=7`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=969D84764B426A8766D4323DE5184B86 cid=7`, false},
	{` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=969d84764b426a8766d4323de5184b86 cxd=7`, false},
	{` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=969d84764b426a8766d4323de5184b86 x=1 cid=7`, false},
	// Connections of 0 to 8 bytes, "-", with a quote or a space, tokens
	// after them.
	{` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=969d84764b426a8766d4323de5184b86 cid=`, false},
	{` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=969d84764b426a8766d4323de5184b86 cid=-`, true},
	{` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=969d84764b426a8766d4323de5184b86 cid=1234567`, true},
	{` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=969d84764b426a8766d4323de5184b86 cid=12345678`, false},
	{` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=969d84764b426a8766d4323de5184b86 cid="1"`, false},
	{` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=969d84764b426a8766d4323de5184b86 cid=1"`, true},
	{` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=969d84764b426a8766d4323de5184b86 cid=1 x`, false},
	{` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=969d84764b426a8766d4323de5184b86 cid=1 `, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7 us="502"`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7 rid=x`, false},
	// Cut short.
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="10.0.1.11:8080" us="200" rid=969d84764b426a8766d4323de5184b86`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="10.0.1.11:8080`, false},
	{` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=`, false},
}

// TestUsualShapeMatchesReference parses a combined line followed by each
// shape tail, and the same with bytes of the tail changed one at a time
// (so that each byte of each shape is tried), as built and on the
// reference path.
func TestUsualShapeMatchesReference(t *testing.T) {
	got, want := newUpstreamParser(), newUpstreamParser()
	generalOnly(want.base)
	for _, c := range shapeTails {
		if _, ok := readUsualShape(c.tail); ok != c.shape {
			t.Errorf("readUsualShape(%q) = %v, want %v", c.tail, ok, c.shape)
		}
		compareUpstream(t, got, want, shapeHead+c.tail)
		for i := 1; i < len(c.tail); i++ {
			for _, b := range []byte{'0', '9', ' ', '"', '-', '.', ':', '\\', 'x', '/'} {
				if c.tail[i] != b {
					compareUpstream(t, got, want, shapeHead+c.tail[:i]+string(b)+c.tail[i+1:])
				}
			}
		}
	}
}

// TestUsualShapeTakesGeneratedLines: the shapes take nearly all of the
// lines fivexx is timed on (the others: times of 10 s and more, retries,
// failed attempts).
func TestUsualShapeTakesGeneratedLines(t *testing.T) {
	lines := biglogLines(t)
	taken := 0
	for _, line := range lines {
		if _, ok := readUsualShape(line[strings.Index(line, `" rt=`)+1:]); ok {
			taken++
		}
	}
	if taken < len(lines)*9/10 {
		t.Errorf("the shapes took %d of %d generated lines, want at least 90 %%", taken, len(lines))
	}
}

// compareUpstream parses line with got (as built) and want (on the
// reference path), reports any difference, and says whether it parsed.
func compareUpstream(t *testing.T, got, want *UpstreamParser, line string) bool {
	t.Helper()
	ge, gk, gerr := got.parse(line, nil)
	we, wk, werr := referenceUpstreamParse(want, line)
	if (gerr == nil) != (werr == nil) {
		t.Fatalf("parse(%q) error = %v, reference %v", line, gerr, werr)
	}
	if gerr != nil {
		return false
	}
	if gk != wk {
		t.Fatalf("parse(%q) = %d known keys, reference %d", line, gk, wk)
	}
	// reflect.DeepEqual first, as cmp.Diff is slow over many lines.
	if !reflect.DeepEqual(ge, we) {
		if diff := cmp.Diff(we, ge); diff != "" {
			t.Fatalf("parse(%q) (-reference +got):\n%s", line, diff)
		}
	}
	if got.Fields() != want.Fields() {
		t.Fatalf("after %q: Fields() = %v, reference %v", line, got.Fields(), want.Fields())
	}
	return true
}

// FuzzUsualShape compares nginx-upstream as built with the reference path
// on a combined line followed by any tail.
func FuzzUsualShape(f *testing.F) {
	for _, c := range shapeTails {
		f.Add(c.tail)
	}
	got, want := newUpstreamParser(), newUpstreamParser()
	generalOnly(want.base)
	f.Fuzz(func(t *testing.T, tail string) {
		compareUpstream(t, got, want, shapeHead+tail)
	})
}
