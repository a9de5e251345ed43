package nginx

// Reference implementations of what the fast code replaced, kept to compare
// the new code with on real lines and fuzzed input.

import (
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

// referenceParseSeconds is parseSeconds as strconv alone does it.
func referenceParseSeconds(s string) float64 {
	if s == "" || s == "-" {
		return -1
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 {
		return -1
	}
	return f
}

func TestParseSecondsMatchesParseFloat(t *testing.T) {
	check := func(s string) {
		t.Helper()
		got, want := parseSeconds(s), referenceParseSeconds(s)
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("parseSeconds(%q) = %v (%#x), want %v (%#x)", s, got, math.Float64bits(got), want, math.Float64bits(want))
		}
	}
	// Every %d.%03d nginx writes below 100 s, and a sample above.
	for ms := 0; ms < 100_000; ms++ {
		check(strconv.Itoa(ms/1000) + "." + leftPad3(ms%1000))
	}
	for ms := int64(100_000); ms < 1e15; ms = ms*7 + 13 {
		check(strconv.FormatInt(ms/1000, 10) + "." + leftPad3(int(ms%1000)))
	}
	for _, s := range []string{
		"", "-", "0", "5", "0.5", "1.25", "12.3456", "007.100", ".5", "5.", "1e3", "-0.000", "-1.000", "+1.000",
		"0x1p-2", "1_000", "inf", "NaN", "1.2.3", "999999999999999", "9999999999999999", "99999999.9999999",
		"0.000000000000001", "0.0000000000000001", "123456789012.345", " 1.000", "1.000 ",
	} {
		check(s)
	}
}

func leftPad3(n int) string {
	s := strconv.Itoa(n)
	return strings.Repeat("0", 3-len(s)) + s
}

func FuzzParseSeconds(f *testing.F) {
	for _, s := range []string{"0.017", "-", "", "1.5", "12345678901234.5", "1e3", "-0.000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := parseSeconds(s), referenceParseSeconds(s)
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("parseSeconds(%q) = %v, want %v", s, got, want)
		}
	})
}

// referenceNextPair and referenceApplyPairs are the key=value reader as it
// was before applyPairs read each token in one pass: a token at a time,
// keys normalized by normKey.
func referenceNextPair(s string) (key, val, rest string, ok bool) {
	s = strings.TrimLeft(s, " ")
	if s == "" {
		return "", "", "", false
	}
	if s[0] == '"' {
		if end := strings.IndexByte(s[1:], '"'); end >= 0 {
			return "", "", s[end+2:], false
		}
		return "", "", "", false
	}
	k := 0
	for k < len(s) && (isVarByte(s[k]) || s[k] == '-' || s[k] == '.') {
		k++
	}
	if k == 0 || k == len(s) || s[k] != '=' {
		end := strings.IndexByte(s, ' ')
		if end < 0 {
			return "", "", "", false
		}
		return "", "", s[end:], false
	}
	key, s = s[:k], s[k+1:]
	if s != "" && s[0] == '"' {
		end := strings.IndexByte(s[1:], '"')
		if end < 0 {
			return key, s[1:], "", true
		}
		return key, s[1 : end+1], s[end+2:], true
	}
	end := strings.IndexByte(s, ' ')
	if end < 0 {
		return key, s, "", true
	}
	return key, s[:end], s[end:], true
}

func referenceApplyPairs(e *sources.ProxyEntry, lists *listArena, tail string) (known int) {
	for tail != "" {
		var key, val string
		var ok bool
		key, val, tail, ok = referenceNextPair(tail)
		if ok && applyPair(e, lists, normKey(key), val) {
			known++
		}
	}
	return known
}

// comparePairs runs applyPairs and the reference over tail.
func comparePairs(t *testing.T, tail string) {
	t.Helper()
	got, gotLists := newEntryWithLists()
	want, wantLists := newEntryWithLists()
	gotKnown := applyPairs(got, &gotLists, tail)
	wantKnown := referenceApplyPairs(want, &wantLists, tail)
	if gotKnown != wantKnown {
		t.Fatalf("applyPairs(%q) = %d known keys, want %d", tail, gotKnown, wantKnown)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("applyPairs(%q) (-want +got):\n%s", tail, cmp.Diff(want, got))
	}
}

func TestApplyPairsMatchesReference(t *testing.T) {
	lines := append(realNginxLines(t), demoAccessLines(t)...)
	lines = append(lines,
		` rt=0.001 UCT="0.000" Upstream-Addr="a:1, b:2" upstream.status="502, 200" x y= =z "q" "cut`,
		` rid="unterminated`, ` us=`, ` us="`, `  `, ` ua`, `rid=a\x22b cid=-`)
	for _, line := range lines {
		comparePairs(t, line)
		if i := strings.Index(line, `" rt=`); i >= 0 {
			comparePairs(t, line[i+1:])
		}
	}
}

func FuzzApplyPairs(f *testing.F) {
	for _, line := range testdataLines(f, "upstream.log") {
		f.Add(line[strings.Index(line, `" rt=`)+1:])
	}
	f.Add(` rt=0.001 UCT="0.000" Upstream-Addr="a:1, b:2" x y= =z "q" "cut`)
	f.Fuzz(comparePairs)
}

// referenceStringEnd is stringEnd as a byte loop.
func referenceStringEnd(s string, i int) (int, error) {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j, nil
		}
	}
	return 0, errors.New("string not closed")
}

// referenceIsJSONNumber is isJSONNumber with strconv alone.
func referenceIsJSONNumber(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' {
		s = s[1:]
	}
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// compareJSONScan checks stringEnd at every quote of s, and isJSONNumber
// on s.
func compareJSONScan(t *testing.T, s string) {
	t.Helper()
	for i := 0; i < len(s); i++ {
		if s[i] != '"' {
			continue
		}
		got, gotErr := stringEnd(s, i)
		want, wantErr := referenceStringEnd(s, i)
		if got != want || (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Fatalf("stringEnd(%q, %d) = %d, %v, want %d, %v", s, i, got, gotErr, want, wantErr)
		}
	}
	if got, want := isJSONNumber(s), referenceIsJSONNumber(s); got != want {
		t.Fatalf("isJSONNumber(%q) = %v, want %v", s, got, want)
	}
}

func TestJSONScanMatchesReference(t *testing.T) {
	lines := append(realNginxLines(t),
		`"a\\"b"`, `"a\\\"b"`, `"\\\\"`, `"\"`, `"`, `""`, `"\u0022"x"`,
		"0", "-0", "1.5", "1e5", "0x1p-2", "1e400", "1e-400", "00.5", "1.", "-", "-.5", "12345678901234567890")
	for _, line := range lines {
		compareJSONScan(t, line)
	}
}

func FuzzJSONScan(f *testing.F) {
	for _, line := range testdataLines(f, "json.log") {
		f.Add(line)
	}
	f.Add(`{"a\\":"b\"c\\\"d"}`)
	f.Add("0x1p-2")
	f.Fuzz(compareJSONScan)
}
