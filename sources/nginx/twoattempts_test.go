package nginx

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

// compareFinishTwo checks that finish, for the pairs of tail, makes what
// apply and derive do, and so does finishTwoAttempts when the pairs are
// two attempts' (listElems says so); it reports whether they were.
func compareFinishTwo(t *testing.T, tail string, client int) bool {
	t.Helper()
	var pairs upstreamPairs
	pairs.read(tail, nil)
	want, wantLists := newEntryForLists(pairs.listElems())
	want.Status = client
	pairs.apply(want, &wantLists)
	derive(want, "", false)

	two := false
	for i, finish := range []func(*UpstreamParser, *sourcesEntry, *upstreamPairs, *listArena) *sourcesEntry{
		(*UpstreamParser).finish, (*UpstreamParser).finishTwoAttempts,
	} {
		pairs = upstreamPairs{}
		pairs.read(tail, nil)
		got, gotLists := newEntryForLists(pairs.listElems())
		if i == 1 && !two {
			return false // finishTwoAttempts is not for them
		}
		two = pairs.fields == usualFields && pairs.double
		got.Status = client
		var p UpstreamParser
		finish(&p, got, &pairs, &gotLists)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("finish(%q) (-apply and derive +got):\n%s", tail, cmp.Diff(want, got))
		}
		if p.seen != want.Fields {
			t.Fatalf("finish(%q) saw fields %v, want %v", tail, p.seen, want.Fields)
		}
	}
	return two
}

// sourcesEntry is sources.ProxyEntry, for compareFinishTwo's list of
// finishers.
type sourcesEntry = sources.ProxyEntry

// TestFinishTwoAttempts holds finishTwoAttempts to apply and derive on
// tails of two attempts: the generated ones, and a usual one with each
// list's elements varied (empty, "-", group names, unix sockets, odd
// times), with client statuses below and above 500.
func TestFinishTwoAttempts(t *testing.T) {
	var tails []string
	for _, line := range biglogLines(t) {
		if tail := line[strings.Index(line, `" rt=`)+1:]; strings.Contains(tail, `us="`) && strings.Contains(tail, `, `) {
			tails = append(tails, tail)
		}
	}
	generated := len(tails)
	for _, addr := range []string{"10.0.1.12:8080, 10.0.1.13:8080", "-, -", "backend, 10.0.1.13:8080", "10.0.1.12:8080, backend",
		"unix:/run/a.sock, unix:", ", ", "a:1, ", ", b:2", "[::1]:80, :80", "a:1x, -:1", "10.0.1.12:8080, 10.0.1.13:80800000"} {
		for _, status := range []string{"502, 200", "-, -", "502, x", "502, ", ", 200"} {
			for _, header := range []string{"-, 0.035", "0.001, -", "-, x", "-, 12", "-, 1.", "-, "} {
				for _, id := range []string{"455fa8811d3c15494ce9d74f654b8677", "-", `a\x41b`} {
					tails = append(tails, ` rt=0.036 uct="0.000, 0.001" uht="`+header+`" urt="0.000, 0.035" ua="`+addr+`" us="`+status+`" rid=`+id+` cid=7`)
				}
			}
		}
	}
	// Lists that are not two attempts each: finish's other ways.
	tails = append(tails,
		` rt=0.036 uct="0.000, 0.001" uht="-, 0.035" urt="0.000, 0.035" ua="a:1, b:2 : c:3" us="502, 502 : 200" rid=- cid=7`,
		` rt=0.036 uct="0.000,  0.001" uht="-, 0.035" urt="0.000, 0.035" ua="a:1, b:2" us="502, 200" rid=- cid=7`,
		` rt=0.036 uct="0.000 ,0.001" uht="-, 0.035" urt="0.000, 0.035" ua="a:1, b:2" us="502, 200" rid=- cid=7`,
		` rt=0.036 uct="0.000, 0.001, 0.002" uht="-, -, 0.035" urt="0.000, 0.000, 0.035" ua="a:1, b:2, c:3" us="502, 502, 200" rid=- cid=7`,
		` rt=0.036 uct="0.000" uht="-, 0.035" urt="0.000, 0.035" ua="a:1, b:2" us="502, 200" rid=- cid=7`,
		` rt=0.036 uct="0.000, 0.001" uht="-, 0.035" urt="0.000, 0.035" ua="a:1, b:2" us="502, 200" rid=- cid=7 x=1`,
		` rt=0.036 uct="0.000, 0.001" uht="-, 0.035" urt="0.000, 0.035" ua="a:1, b:2" us="502, 200"`,
		` rt=0.036 uct="0.000, 0.001" uht="-, 0.035" urt="0.000, 0.035" ua="upstream_group_with_a_long_name, b:2" us="502, 200" rid=- cid=7`,
	)
	took := 0
	for _, tail := range tails {
		for _, client := range []int{200, 502, 504} {
			if compareFinishTwo(t, tail, client) {
				took++
			}
		}
	}
	if generated < 100 || took < 3*generated {
		t.Fatalf("finishTwoAttempts took %d of %d tails (×3 statuses), %d of them generated; want every generated one", took, 3*len(tails), generated)
	}
}

// referenceCommaSpace is commaSpace by its definition: one space, after a
// comma, in a value of at most 32 bytes.
func referenceCommaSpace(v string) int {
	if len(v) > 32 || strings.Count(v, " ") != 1 {
		return -1
	}
	if i := strings.IndexByte(v, ' '); i > 0 && v[i-1] == ',' {
		return i - 1
	}
	return -1
}

// TestCommaSpace checks commaSpace against its definition on values of
// every length to 40 made of the bytes that matter, spaces and commas
// everywhere.
func TestCommaSpace(t *testing.T) {
	for _, v := range []string{"", " ", ",", ", ", "a, b", "0.000, 0.001", "-, -", "502, 200", "-, 0.000",
		"10.0.1.12:8080, 10.0.1.13:8080", "10.0.1.12:8080, 10.0.1.13:80800", "10.0.1.12:8080, 10.0.1.13:808000",
		"a:1, b:2 : c:3", "a , b", "a,  b", "a, b, c", "1234567, 1234567", "12345678, 12345678"} {
		if got, want := commaSpace(v), referenceCommaSpace(v); got != want {
			t.Errorf("commaSpace(%q) = %d, want %d", v, got, want)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte{' ', ',', '0', ':', '-', 0xa0, 0x20 | 0x80}
	buf := make([]byte, 40)
	for range 200_000 {
		n := rng.IntN(41)
		for i := range n {
			buf[i] = alphabet[rng.IntN(len(alphabet))]
		}
		v := string(buf[:n])
		if got, want := commaSpace(v), referenceCommaSpace(v); got != want {
			t.Fatalf("commaSpace(%q) = %d, want %d", v, got, want)
		}
	}
}
