package nginx

// Reference implementations of what the fast code replaced, kept to compare
// the new code with on real lines and fuzzed input.

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
	"fivexx/sources/parsertest"
	"fivexx/testdata/biglog"
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
// was before tokens were read in one pass each, by a learned layout and
// shortKey, and before the pairs were read ahead of the entry: a token at a
// time, keys normalized by normKey and applied by referenceApplyPair.
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
		if ok && referenceApplyPair(e, lists, normKey(key), val) {
			known++
		}
	}
	return known
}

// referenceApplyPair is how a normalized key set the entry before the keys
// were classified while read; it reports whether the key is known.
func referenceApplyPair(e *sources.ProxyEntry, lists *listArena, key, val string) bool {
	switch key {
	case "rt", "request_time":
		e.RequestTime = parseSeconds(val)
		e.Fields |= sources.FieldRequestTime
	case "uct", "upstream_connect_time":
		e.UpstreamConnect = lists.split(val)
		e.Fields |= sources.FieldUpstreamConnectTime
	case "uht", "upstream_header_time":
		e.UpstreamHeader = lists.split(val)
		e.Fields |= sources.FieldUpstreamHeaderTime
	case "urt", "upstream_response_time":
		e.UpstreamResponse = lists.split(val)
		e.Fields |= sources.FieldUpstreamResponseTime
	case "ua", "upstream_addr", "upstream":
		e.UpstreamAddr = lists.split(val)
		e.UpstreamAddrRaw = rawAddrList(val, len(e.UpstreamAddr))
		e.Fields |= sources.FieldUpstreamAddr
	case "us", "upstream_status":
		e.UpstreamStatus = lists.split(val)
		e.UpstreamStatusRaw = val
		e.Fields |= sources.FieldUpstreamStatus
	case "rid", "request_id", "req_id", "reqid":
		e.RequestID = referenceDecodeHex(dash(val))
		e.Fields |= sources.FieldRequestID
	case "cid", "conn", "connection":
		e.Conn = dash(val)
		e.Fields |= sources.FieldConn
	default:
		return false
	}
	return true
}

// readPairs does to an entry what UpstreamParser.parse does with a tail,
// with tpl as the parser's layout (nil for none); it returns how many
// known keys there were.
func readPairs(e *sources.ProxyEntry, lists *listArena, tail string, tpl *pairTemplate) int {
	var pairs upstreamPairs
	pairs.read(tail, tpl)
	pairs.listElems()
	pairs.apply(e, lists)
	return pairs.known
}

// comparePairs reads tail with the reference and with read: without a
// layout, with tpl as it comes, and with tpl once it has learned tail.
func comparePairs(t *testing.T, tail string, tpl *pairTemplate) {
	t.Helper()
	want, wantLists := newEntryWithLists()
	wantKnown := referenceApplyPairs(want, &wantLists, tail)
	for i, layout := range []*pairTemplate{nil, tpl, tpl} {
		got, gotLists := newEntryWithLists()
		if gotKnown := readPairs(got, &gotLists, tail, layout); gotKnown != wantKnown {
			t.Fatalf("read(%q) #%d = %d known keys, want %d", tail, i, gotKnown, wantKnown)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("read(%q) #%d (-want +got):\n%s", tail, i, cmp.Diff(want, got))
		}
	}
	compareFinish(t, tail)
}

// compareFinish checks that finishOneAttempt, when it applies to the
// pairs of tail, makes of them what apply and derive do; it reports
// whether it applied.
func compareFinish(t *testing.T, tail string) bool {
	t.Helper()
	var pairs upstreamPairs
	pairs.read(tail, nil)
	if pairs.fields != usualFields || !pairs.oneAttempt() {
		return false
	}
	want, wantLists := newEntryWithLists()
	pairs.apply(want, &wantLists)
	derive(want, "", false)
	got, gotLists := newEntryWithLists()
	var p UpstreamParser
	p.finishOneAttempt(got, &pairs, &gotLists)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("finishOneAttempt(%q) (-want +got):\n%s", tail, cmp.Diff(want, got))
	}
	if p.seen != want.Fields {
		t.Fatalf("finishOneAttempt(%q) saw fields %v, want %v", tail, p.seen, want.Fields)
	}
	return true
}

// TestFinishOneAttempt holds finishOneAttempt to apply and derive on
// tails of one attempt: the generated ones, and the usual one with its
// address, status, header time and request id varied.
func TestFinishOneAttempt(t *testing.T) {
	var tails []string
	for _, line := range biglogLines(t)[:20_000] {
		tails = append(tails, line[strings.Index(line, `" rt=`)+1:])
	}
	for _, addr := range []string{"10.0.1.11:8080", "-", "backend", "unix:/run/app.sock", "unix:", "[::1]:80", ":80", "a:", "a:1x", "-:1"} {
		for _, status := range []string{"200", "-", "502", "x"} {
			for _, header := range []string{"0.008", "-", "x", "12", "1.", "0.0080"} {
				for _, id := range []string{"969d84764b426a8766d4323de5184b86", "-", `a\x41b`} {
					tails = append(tails, ` rt=0.010 uct="0.000" uht="`+header+`" urt="0.008" ua="`+addr+`" us="`+status+`" rid=`+id+` cid=7`)
				}
			}
		}
	}
	// The five "-" of a request no upstream served, and later tokens that
	// name an upstream after all (a later key of a field wins).
	const noUpstream = ` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=969d84764b426a8766d4323de5184b86 cid=7`
	tails = append(tails, noUpstream, noUpstream+` ua="10.0.1.11:8080"`, noUpstream+` us="200"`, noUpstream+` uht="0.008"`,
		noUpstream+` ua="backend" us="502"`, noUpstream+` x=1`)
	applied := 0
	for _, tail := range tails {
		if compareFinish(t, tail) {
			applied++
		}
	}
	if applied < len(tails)/2 {
		t.Fatalf("finishOneAttempt applied to %d of %d tails", applied, len(tails))
	}
}

// pairEdgeTails are tails at the edges of the pair reader and its layout:
// odd keys and spacing, cut values, leads of 8 bytes and longer, values
// shorter than a word at the end of the line, bytes above 0x7f.
var pairEdgeTails = []string{
	` rt=0.001 UCT="0.000" Upstream-Addr="a:1, b:2" upstream.status="502, 200" x y= =z "q" "cut`,
	` rid="unterminated`, ` us=`, ` us="`, `  `, ` ua`, `rid=a\x22b cid=-`,
	` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="10.0.1.11:8080" us="200" rid=969d84764b426a8766d4323de5184b86 cid=21377`,
	` rt=0.010  uct="0.000"uht="0.008" urt=0.008 ua="10.0.1.11:8080, 10.0.1.12:8080 : b" us="502, 200" rid=- cid=2`,
	` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="10.0.1.11:8080" us="200" rid="969d8476 4b42" cid="7"`,
	` reqid="ab" req_id="cd" request_id=ef conn=1 connection="2" upstream="u:1" upstream_addr="v:2"`,
	` upstream_connect_time="0.001" upstream_header_time="-" upstream_response_time="0.002, 0.003" upstream_status="504" request_time=1.5`,
	` rt=1 rt=2 us="1" us="2, 3" x="y" rid=\x41\x4 cid=`, ` rt=0.0`, ` rt=`, ` rt="0.010`, ` us="2`, ` us="200`,
	` ua="\xff\xfe:1" us="\x80" rt=\xff.5 uct="\"" uht="\ " urt=" "`,
	" rt=\x00\xff us=\"\x00\"", ` ua="a:1,  b:2" us=" 200" uct=", " uht=" : " urt="-, "`,
}

// usualTail is a tail in classify.UpstreamLogFormat's layout, which
// readUsual reads.
const usualTail = ` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="10.0.1.11:8080" us="200" rid=969d84764b426a8766d4323de5184b86 cid=21377`

// usualTails are tails at the edges of readUsual, each with whether it
// takes them (the others go to the template and the byte-by-byte reader,
// from a zero kv). comparePairs requires what read makes of every one to
// be what the reference reader makes of it.
var usualTails = []struct {
	tail  string
	usual bool
}{
	{usualTail, true},
	// Values of every length readUsual reads differently: within a word,
	// two words, longer; empty; "-"; lists; the last value shorter than a
	// word, a word, longer, empty.
	{` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=- cid=1`, true},
	// Around the one compare of the five "-" tokens: one "-" that is not,
	// the tail ending in them, no space after them, tokens between.
	{` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="--" rid=- cid=1`, true},
	{` rt=0.000 uct="-" uht="-" urt="-" ua="x" us="-" rid=- cid=1`, true},
	{` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-"`, false},
	{` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-"rid=- cid=1`, false},
	{` rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" x=1 rid=- cid=1`, false},
	{` rt=12345.678 uct="0.000, 0.001" uht="-, 0.035" urt="0.000, 0.035" ua="10.0.1.12:8080, 10.0.1.13:8080" us="502, 200" rid=455fa8811d3c15494ce9d74f654b8677 cid=25934`, true},
	{` rt=0.001 uct="" uht="" urt="" ua="" us="" rid= cid=`, true},
	{` rt=0.001 uct="0.0001234" uht="0.00012345678901234" urt="1" ua="a:1" us="2" rid=x cid=12345678`, true},
	{` rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="12345678" us="200" rid=x cid=123456789012345`, true},
	{` rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="1234567890123456" us="200" rid=x cid=7`, true},
	{` rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="upstream_group_with_a_long_name" us="502" rid=x cid=7`, true},
	{` rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="unix:/run/app.sock : 10.0.0.2:80" us="502 : 200" rid=x cid=7`, true},
	{` rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="a:1" us="200" rid=ab\x22cd cid=7`, true},
	{` rt=a"b uct="0.000" uht="0.000" urt="0.000" ua="a:1" us="200" rid=x cid=c"d`, true},
	// Request ids of 32 bytes, read as four words when they hold no space
	// or backslash: with an escape in each word, a quote, 31 and 33 bytes, a
	// space at 32 before another key, and another id after cid.
	{` rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="a:1" us="200" rid=\x41\x42d84764b426a8766d4323de5184b cid=7`, true},
	{` rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="a:1" us="200" rid=969d84764b426a8766d4323de518\x41 cid=7`, true},
	{` rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="a:1" us="200" rid=969d8476\x414b426a8766d4323de51 cid=7`, true},
	{` rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="a:1" us="200" rid=969d84764b426a87"6d4323de5184b86 cid=7`, true},
	{` rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="a:1" us="200" rid=969d84764b426a8766d4323de5184b8 cid=7`, true},
	{` rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="a:1" us="200" rid=969d84764b426a8766d4323de5184b861 cid=7`, true},
	{` rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="a:1" us="200" rid=969d84764b426a8766d4323de5184b86 cid=`, true},
	{` rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="a:1" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7 rid=\x41b`, true},
	{` rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="a:1" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7 rid=-`, true},
	{` rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="a:1" us="200" rid=969d84764b426a8766d4 23de5184b86 cid=7`, false},
	{` rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="a:1" us="200" rid=969d84764b426a8766d4323de5184b86 x=1 cid=7`, false},
	{` rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="a:1" us="200" rid=969d84764b426a8766d4323de5184b86  cid=7`, false},
	// Tokens after cid: the byte-by-byte reader's.
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=x cid=1 x=2`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=x cid=1 `, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=x cid=12345678 x`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=x cid=1 us="502" rt=1.5 "xff" host=a`, true},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=x cid=1  ua="b:2, c:3" rid="y z`, true},
	// What readUsual leaves to the others: a quoted bare value, a value
	// cut short, other spacing, another token in between, another order,
	// keys of other names.
	{` rt="0.010" uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=x cid=1`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid="x" cid=1`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=x cid="1"`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=x`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="20`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="10.0.1.11:8080`, false},
	{` rt=0.010 uct="0.000"  uht="0.008" urt="0.008" ua="a:1" us="200" rid=x cid=1`, false},
	{` rt=0.010 uct="0.000"uht="0.008" urt="0.008" ua="a:1" us="200" rid=x cid=1`, false},
	{` rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" x="y" us="200" rid=x cid=1`, false},
	{` rt=0.010 uct="0.000" urt="0.008" uht="0.008" ua="a:1" us="200" rid=x cid=1`, false},
	{` request_time=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=x cid=1`, false},
	{` rt=0.010 uct=0.000 uht="0.008" urt="0.008" ua="a:1" us="200" rid=x cid=1`, false},
	{` rt=0.010`, false}, {` rt=0.010 uct="0.000"`, false}, {``, false}, {`rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="a:1" us="200" rid=x cid=1`, false},
}

// TestReadUsual checks which tails readUsual takes, and that read makes of
// each what the reference reader does: with no layout learned, and after
// the template learned one from a tail readUsual left to it.
func TestReadUsual(t *testing.T) {
	for _, c := range usualTails {
		var kv upstreamPairs
		if _, got := kv.readUsual(c.tail); got != c.usual {
			t.Errorf("readUsual(%q) = %v, want %v", c.tail, got, c.usual)
		}
		if !c.usual && kv != (upstreamPairs{}) {
			t.Errorf("readUsual(%q) left %+v, want a zero kv", c.tail, kv)
		}
		var tpl pairTemplate
		comparePairs(t, c.tail, &tpl)
		// The template learns from tails readUsual does not take.
		comparePairs(t, strings.Replace(c.tail, " rt=", " rt=1 rt=", 1), &tpl)
		comparePairs(t, c.tail, &tpl)
	}
	// The generated lines all take it.
	for _, line := range biglogLines(t)[:2000] {
		var kv upstreamPairs
		if tail := line[strings.Index(line, `" rt=`)+1:]; !isUsual(&kv, tail) {
			t.Fatalf("readUsual(%q) did not take it all", tail)
		}
	}
}

// isUsual reports whether readUsual takes all of tail.
func isUsual(kv *upstreamPairs, tail string) bool {
	rest, ok := kv.readUsual(tail)
	return ok && rest == ""
}

func TestApplyPairsMatchesReference(t *testing.T) {
	lines := append(realNginxLines(t), demoAccessLines(t)...)
	lines = append(lines, biglogLines(t)[:20_000]...)
	lines = append(lines, pairEdgeTails...)
	for _, c := range usualTails {
		lines = append(lines, c.tail)
	}
	// One layout for all, as a parser keeps it from line to line.
	var tpl pairTemplate
	for _, line := range lines {
		comparePairs(t, line, &tpl)
		if i := strings.Index(line, `" rt=`); i >= 0 {
			comparePairs(t, line[i+1:], &tpl)
		}
	}
}

func FuzzApplyPairs(f *testing.F) {
	for _, line := range testdataLines(f, "upstream.log") {
		f.Add(line[strings.Index(line, `" rt=`)+1:])
	}
	for _, tail := range pairEdgeTails {
		f.Add(tail)
	}
	for _, c := range usualTails {
		f.Add(c.tail)
	}
	usual := pairEdgeTails[3]
	f.Fuzz(func(t *testing.T, tail string) {
		// The usual layout tried on tail, tail's layout on the usual line.
		var tpl pairTemplate
		comparePairs(t, usual, &tpl)
		comparePairs(t, tail, &tpl)
		comparePairs(t, usual, &tpl)
	})
}

// referenceDecodeHex is decodeHex as a byte loop.
func referenceDecodeHex(v string) string {
	if i := strings.IndexByte(v, '\\'); i < 0 || strings.Index(v[i:], `\x`) < 0 {
		return v
	}
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+3 < len(v) && v[i+1] == 'x' {
			if hi, ok := unhex(v[i+2]); ok {
				if lo, ok := unhex(v[i+3]); ok {
					b.WriteByte(hi<<4 | lo)
					i += 3
					continue
				}
			}
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// referenceParseInt is parseInt with strconv.
func referenceParseInt(s string) (int64, bool) {
	if s == "" || len(s) > 18 || !isDigits(s) {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// referenceSplitRequest is splitRequest finding the method's end with
// IndexByte and checking it after.
func referenceSplitRequest(r string) (method, path, proto string) {
	sp := strings.IndexByte(r, ' ')
	if sp <= 0 || !isMethod(r[:sp]) {
		return "", "", ""
	}
	method, rest := r[:sp], r[sp+1:]
	if j := strings.LastIndexByte(rest, ' '); j >= 0 && strings.HasPrefix(rest[j+1:], "HTTP/") {
		return method, rest[:j], rest[j+1:]
	}
	return method, rest, ""
}

// referencePeerAddrs is peerAddrs address by address, in order.
// referenceSplitList is splitList as it was, a scan of every byte.
func referenceSplitList(v string) []string {
	if v == "" {
		return nil
	}
	var out []string
	start := 0
	for i := 0; i+1 < len(v); {
		switch {
		case v[i] == ',' && v[i+1] == ' ':
			out = append(out, v[start:i])
			i += 2
			start = i
		case v[i] == ' ' && i+2 < len(v) && v[i+1] == ':' && v[i+2] == ' ':
			out = append(out, v[start:i])
			i += 3
			start = i
		default:
			i++
		}
	}
	return append(out, v[start:])
}

func referencePeerAddrs(addrs []string) (anyPeer, lastPeer bool) {
	for _, a := range addrs {
		if referenceIsPeerAddr(a) {
			anyPeer = true
			break
		}
	}
	return anyPeer, len(addrs) > 0 && referenceIsPeerAddr(addrs[len(addrs)-1])
}

// referenceIsPeerAddr is isPeerAddr finding the port's ':' with
// LastIndexByte.
func referenceIsPeerAddr(a string) bool {
	if strings.HasPrefix(a, "unix:") {
		return len(a) > 5
	}
	i := strings.LastIndexByte(a, ':')
	return i > 0 && i+1 < len(a) && isDigits(a[i+1:])
}

// compareDecoders checks decodeHex, the user agent cache, parseInt,
// splitRequest, peerAddrs (on s as an upstream list), isPeerAddr,
// isSeconds and sameTime on s.
func compareDecoders(t *testing.T, s string) {
	t.Helper()
	want := referenceDecodeHex(s)
	if got := decodeHex(s); got != want {
		t.Fatalf("decodeHex(%q) = %q, want %q", s, got, want)
	}
	// Twice: a miss, then a hit (unless a collision took the slot).
	for range 2 {
		if got := testAgents.decodeHex(s); got != want {
			t.Fatalf("agentCache.decodeHex(%q) = %q, want %q", s, got, want)
		}
	}
	gm, gp, gv := splitRequest(s)
	wm, wp, wv := referenceSplitRequest(s)
	if gm != wm || gp != wp || gv != wv {
		t.Fatalf("splitRequest(%q) = %q, %q, %q, want %q, %q, %q", s, gm, gp, gv, wm, wp, wv)
	}
	addrs := splitList(s)
	if want := referenceSplitList(s); !slices.Equal(addrs, want) || countList(s) != len(want) {
		t.Fatalf("splitList(%q) = %q (countList %d), want %q", s, addrs, countList(s), want)
	}
	ga, gl := peerAddrs(addrs)
	wa, wl := referencePeerAddrs(addrs)
	if ga != wa || gl != wl {
		t.Fatalf("peerAddrs(%q) = %v, %v, want %v, %v", addrs, ga, gl, wa, wl)
	}
	if got, want := isPeerAddr(s), referenceIsPeerAddr(s); got != want {
		t.Fatalf("isPeerAddr(%q) = %v, want %v", s, got, want)
	}
	if got, want := isSeconds(s), s != "" && shapeDecimal.prefixLen(s) == len(s); got != want {
		t.Fatalf("isSeconds(%q) = %v, want %v", s, got, want)
	}
	// sameTime against the time cache's value and its own prefixes and
	// changes, as lines meet it.
	for _, b := range []string{testTime, s, s + "x", strings.ToUpper(s)} {
		if got, want := sameTime(s, b), s == b; got != want {
			t.Fatalf("sameTime(%q, %q) = %v, want %v", s, b, got, want)
		}
	}
	gotN, gotOK := parseInt(s)
	wantN, wantOK := referenceParseInt(s)
	if gotN != wantN || gotOK != wantOK {
		t.Fatalf("parseInt(%q) = %d, %v, want %d, %v", s, gotN, gotOK, wantN, wantOK)
	}
}

// testTime is a $time_local value, for sameTime.
const testTime = "21/Nov/2026:07:12:46 +0000"

// testAgents is one user agent cache for every compareDecoders call, so
// that values meet in its slots as they do in a parser's.
var testAgents agentCache

func TestDecodersMatchReference(t *testing.T) {
	values := []string{"GET / HTTP/1.1", "GET /a b HTTP/1.1", "GET  / HTTP/1.1", "GET /", "GET", "GET ", " GET / HTTP/1.1",
		"get / HTTP/1.1", "M-SEARCH * HTTP/1.1", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG / HTTP/1.1", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEF / HTTP/1.1",
		"\x16\x03\x01", "-", "GET /x HTTP/", "GET /x HTTPS/1.1", "10.0.0.1:80, 10.0.0.2:80 : backend", "backend", "unix:", "unix:/s", "a:1, -", "-, a:1",
		"PRI * HTTP/2.0", "GET\t/ HTTP/1.1", "", "-", "0", "007", "123456789012345678", "1234567890123456789", "99999999999999999999", "1a", " 1", "+1", "-1",
		`\x`, `\x4`, `\x41`, `\x4g`, `\\x41`, `\x\x41`, `\xZZ\x41\`, `a\x41b\x42c`, `\x41\x42\x43`, `\\`, `x\`, `\xe2\x80\x8b\x`,
		`Tienda\xC3\xB1/2.3.1 CFNetwork/1410.0.3 Darwin/22.6.0`,
		"10.0.1.11:8080", ":8080", "a:", "a:b1", "[::1]:80", "[::1]", "unix:", "a:1:2", "1.2.3.4:-1", "0.000", "1.5", "12.", ".5", "0.0001",
		"GET / HTTP/1 1", "GET /a HTTP/1.1 HTTP/1.1", "GET  HTTP/1.1", "GET HTTP/1.1", "GET /x HTTP/1.1 ", "GET /x xHTTP/1.1", "GETS / HTTP/1.1",
		// Around splitRequest's word compare of " HTTP/x.y": a space in
		// each of the last three bytes, a rest of exactly nine bytes, other
		// methods.
		"GET /x HTTP/ .1", "GET /x HTTP/1 1", "GET /x HTTP/1. ", "GET /x HTTP/   ", "GET  HTTP/1.1", "GET HTTP/1.1x", "GET /x\x20HTTP/1.1",
		"POST /api HTTP/2.0", "OPTIONS * HTTP/1.1", "GETX / HTTP/1.1", "GET /x HTTp/1.1", "GET /x  HTTP/1.1",
		// Around its case of other methods in the first word: seven and
		// eight capitals, bytes next to 'A' and 'Z' and with the high bit
		// set, no target, the method's space the line's last before the
		// protocol.
		"ABCDEFG / HTTP/1.1", "ABCDEFGH / HTTP/1.1", "P@ST / HTTP/1.1", "PO[T / HTTP/1.1", "PO\xc1T / HTTP/1.1", "P\xd3ST / HTTP/1.1",
		"A / HTTP/1.1", "A HTTP/1.1", "AB HTTP/1.1", "POST  HTTP/1.1", "POST HTTP/1.1", "POST\tHTTP/1.1 HTTP/1.1", "Post / HTTP/1.1",
		"M-SEARCH / HTTP/1.1", "A_B / HTTP/1.1", "POST /x HTTP/1. ", "DELETE /x HTTP/1.1",
		// Lists around nextSeparator's hops: separators at and across word
		// ends, at the end, doubled, overlapping, spaces that separate
		// nothing.
		"10.0.1.12:8080, 10.0.1.13:8080 : 10.0.1.14:8080", "1234567, 8", "12345678, 9", "123456, 78 : 9", "a, ", "a,", "a : ", "a :",
		", a", " : a", "a, , b", "a,  b", "a : : b", "a :  : b", "a , b", "a, : b", "a ,b", " ", "  ", ",", ", ", "a b c d e f g h i, j",
		"0.000, 0.001, 0.002, 0.003 : 0.004", "502, 502, 502, 502, 504 : 200", "unix:/run/a.sock : 10.0.0.2:80",
		"200", "20x", "2000", "-00", testTime, "21/Nov/2026:07:12:46 +0100", "22/Nov/2026:07:12:46 +0000", testTime[:25] + "1"}
	for _, line := range append(realNginxLines(t), biglogLines(t)[:20_000]...) {
		values = append(values, line)
		for _, field := range strings.Split(line, " ") {
			values = append(values, strings.Trim(field, `"`))
		}
	}
	for _, v := range values {
		compareDecoders(t, v)
	}
}

func FuzzDecoders(f *testing.F) {
	for _, s := range []string{"", "12", `\x41`, `a\x4\x41\xZZ\`, `\\x41`, "123456789012345678", "GET /x HTTP/1.1", "a:1, b : -",
		"10.0.1.11:8080", "0.010", "200", testTime, "POST /x HTTP/1 1"} {
		f.Add(s)
	}
	f.Fuzz(compareDecoders)
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

// referenceUpstreamParse is UpstreamParser.parse as it was before the
// pairs were read first, with a layout, and the combined fields set
// without fill's loop: p must be a newUpstreamParser whose base has its
// fast paths off (generalOnly), so that the general matcher and the loop
// run, and the pairs are read by referenceApplyPairs.
func referenceUpstreamParse(p *UpstreamParser, line string) (*sources.ProxyEntry, int, error) {
	if !p.base.match(line) {
		return nil, 0, sources.ErrNoMatch
	}
	tail := p.base.vals[len(p.base.vals)-1]
	if tail != "" && tail[0] != ' ' {
		return nil, 0, sources.ErrNoMatch
	}
	e, _, lists := p.base.assign(line)
	known := referenceApplyPairs(e, &lists, tail)
	if referenceCutBeforeUpstream(tail, e) {
		return nil, 0, sources.ErrNoMatch
	}
	derive(e, "", false)
	p.seen |= e.Fields
	return e, known, nil
}

// referenceCutBeforeUpstream is cutBeforeUpstream on the entry the
// reference reader made: no upstream status set, and the tail ends in a
// quoted value or in a known key (or its start) with no '='.
func referenceCutBeforeUpstream(tail string, e *sources.ProxyEntry) bool {
	if e.Fields&sources.FieldUpstreamStatus != 0 {
		return false
	}
	if strings.Count(tail, `"`)%2 == 1 {
		return true
	}
	f := strings.Split(tail, " ")
	last := f[len(f)-1]
	if last == "" {
		return false
	}
	if strings.Contains(last, "=") {
		return false
	}
	for _, k := range []string{"rt", "ua", "us", "uct", "uht", "urt", "rid", "cid", "conn", "reqid", "req_id", "upstream", "request_id", "connection", "request_time", "upstream_addr", "upstream_status", "upstream_header_time", "upstream_connect_time", "upstream_response_time"} {
		if strings.HasPrefix(k, normKey(last)) {
			return true
		}
	}
	return false
}

// TestUpstreamMatchesReferencePath parses every nginx line the repository
// holds, every line of this package's testdata, the demo's lines and
// testdata/biglog's with nginx-upstream as built and on the reference
// path, one parser each for all lines as fivexx keeps them, and requires
// the same records.
func TestUpstreamMatchesReferencePath(t *testing.T) {
	lines := append(realNginxLines(t), parsertest.Lines(t, "testdata/*.log")...)
	lines = append(lines, demoAccessLines(t)...)
	lines = append(lines, fastPathEdgeLines...)
	lines = append(lines, biglogLines(t)...)
	const combined = `127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 502 3 "-" "curl/7.88.1"`
	for _, tail := range pairEdgeTails {
		lines = append(lines, combined+tail)
	}
	for _, c := range usualTails {
		lines = append(lines, combined+c.tail)
	}
	got := newUpstreamParser()
	want := newUpstreamParser()
	generalOnly(want.base)
	parsed := 0
	for _, line := range lines {
		if compareUpstream(t, got, want, line) {
			parsed++
		}
	}
	if parsed < biglogLineCount {
		t.Fatalf("only %d of %d lines parsed", parsed, len(lines))
	}
}

// referenceBaseReason is baseReason looking for every phrase in turn.
func referenceBaseReason(msg, action string) sources.Reason {
	has := func(s string) bool { return strings.Contains(msg, s) }
	upstream := strings.Contains(action, "upstream") || strings.HasPrefix(msg, "connect() to ") || has("upstream")
	clientSide := strings.Contains(action, "client")
	// "connect() failed" on Linux; "kevent() reported that connect()
	// failed" on the BSDs and macOS.
	isConnect := strings.HasPrefix(msg, "connect()") || has("that connect() failed")
	errno := errnoOf(msg)
	switch {
	case has("no live upstreams"):
		return sources.ReasonNoLiveUpstreams
	case has("limiting requests"):
		if has("dry run") { // dry run only logs; the request goes through
			return sources.ReasonNone
		}
		return sources.ReasonRateLimited
	case has("limiting connections"):
		if has("dry run") {
			return sources.ReasonNone
		}
		return sources.ReasonConnLimited
	case has("client prematurely closed") || has("client closed prematurely"):
		return sources.ReasonClientAbort
	case has("could not be resolved") || has("no resolver defined") || action == "resolving":
		return sources.ReasonDNS
	case upstream && (has("SSL_do_handshake() failed") || has("certificate verify") ||
		has("SSL certificate does not match") || has("peer closed connection in SSL handshake")):
		return sources.ReasonTLS
	case has("upstream timed out"):
		if strings.Contains(action, "connecting") {
			return sources.ReasonConnectTimeout
		}
		return sources.ReasonReadTimeout
	case upstream && isConnect && errno == errETIMEDOUT:
		return sources.ReasonConnectTimeout
	case upstream && isConnect && (errno == errECONNREFUSED || errno == errENETUNREACH || errno == errEHOSTUNREACH ||
		errno == errENOENT || errno == errEACCES || errno == errEAGAIN):
		return sources.ReasonRefused
	case upstream && errno == errECONNREFUSED:
		return sources.ReasonRefused // recv() of a refused non-blocking connect
	case strings.HasPrefix(msg, "upstream sent ") || has(" upstream sent "):
		// Every "upstream sent …" message is nginx refusing what came
		// back: an invalid, too big or duplicate header, a bad chunk or
		// status, more data than Content-Length, an unexpected FastCGI
		// record or protocol version.
		return sources.ReasonBadResponse
	case has("upstream prematurely closed"):
		return sources.ReasonReset
	case upstream && (errno == errECONNRESET || errno == errEPIPE):
		return sources.ReasonReset
	case clientSide && (errno == errECONNRESET || errno == errEPIPE):
		return sources.ReasonClientAbort
	}
	return sources.ReasonNone
}

// referenceNextContextKey is nextContextKey as one search per key: it returns where ", KEY: " for a key after index k starts in
// v, or len(v).
func referenceNextContextKey(v string, k int) int {
	end := len(v)
	for _, sep := range contextSepStrings[k+1:] {
		if i := strings.Index(v[:end], sep); i >= 0 {
			end = i
		}
	}
	return end
}

// contextSepStrings are contextKeys as they follow a value: ", client: ".
var contextSepStrings = func() (seps [len(contextKeys)]string) {
	for i, k := range contextKeys {
		seps[i] = ", " + k
	}
	return seps
}()

// referenceIsStamp is isStamp byte by byte.
func referenceIsStamp(s string) bool {
	for i := range len(stampLayout) {
		if c := stampLayout[i]; c == '0' && (s[i] < '0' || s[i] > '9') || c != '0' && s[i] != c {
			return false
		}
	}
	return true
}

// referenceMessageAction is messageAction by LastIndex and Index.
func referenceMessageAction(msg string, ownContext bool) string {
	i := strings.LastIndex(msg, " while ")
	if i < 0 {
		return ""
	}
	action := msg[i+len(" while "):]
	if ownContext {
		if j := strings.Index(action, ", "); j >= 0 {
			action = action[:j]
		}
	}
	return action
}

// referenceUpstreamPeer is upstreamPeer finding the scheme's end by
// Index alone.
func referenceUpstreamPeer(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		return peerOf(u[i+3:])
	}
	return peerOf(u)
}

// referenceSplitHeader is splitHeader finding the level by its ']' and
// the PID and TID by byte loops.
func referenceSplitHeader(line string) (errorHeader, bool) {
	const stampLen = len("2006/01/02 15:04:05")
	if len(line) < stampLen+4 {
		return errorHeader{}, false
	}
	s := line[:stampLen]
	if !referenceIsStamp(s) {
		return errorHeader{}, false
	}
	r := line[stampLen:]
	if !strings.HasPrefix(r, " [") {
		return errorHeader{}, false
	}
	end := strings.IndexByte(r, ']')
	if end < 0 {
		return errorHeader{}, false
	}
	level := r[2:end]
	if !isErrorLevel(level) {
		return errorHeader{}, false
	}
	r = r[end+1:]
	if len(r) < 2 || r[0] != ' ' {
		return errorHeader{}, false
	}
	i := 1
	for i < len(r) && r[i] >= '0' && r[i] <= '9' {
		i++
	}
	if i == 1 || i >= len(r) || r[i] != '#' {
		return errorHeader{}, false
	}
	j := i + 1
	for j < len(r) && r[j] >= '0' && r[j] <= '9' {
		j++
	}
	if j == i+1 || !strings.HasPrefix(r[j:], ":") {
		return errorHeader{}, false
	}
	rest := strings.TrimPrefix(r[j+1:], " ")
	return errorHeader{stamp: s, level: level, rest: rest}, true
}

// compareSplitHeader checks splitHeader against referenceSplitHeader on
// line, and on its header with the level, PID and TID changed.
func compareSplitHeader(t *testing.T, line string) {
	t.Helper()
	check := func(l string) {
		got, gotOK := splitHeader(l)
		want, wantOK := referenceSplitHeader(l)
		if got != want || gotOK != wantOK {
			t.Fatalf("splitHeader(%q) = %+v, %v; reference %+v, %v", l, got, gotOK, want, wantOK)
		}
	}
	check(line)
	if len(line) < len(stampLayout) {
		return
	}
	stamp, r := line[:len(stampLayout)], line[len(stampLayout):]
	if i := strings.Index(r, ": "); i >= 0 {
		r = r[i:]
	}
	for _, head := range []string{
		" [error] 1#1", " [error] 12345678#123456789", " [error] 123456789#12345678", " [warn] 7#7", " [error]  1#1",
		" [error] #1", " [error] 1#", " [error] 1", " [error]1#1", " [errors] 1#1", " [error] 1#1x", " [notice] 99999999#7",
		" [emerg] 1#1", " [error]", " [error] ", " [error] 123456789", " [error] 1234567#",
	} {
		check(stamp + head + r)
		check(stamp + head)
	}
}

// referenceErrorParse is ErrorParser.Parse as it was before its context
// was read by contextSeps and its action kept by the reason cache: each
// search a strings one, the context read by parseErrorContext, the
// reason looked for anew. The time comes from p.
func referenceErrorParse(p *ErrorParser, line string) (*sources.ProxyError, error) {
	h, ok := referenceSplitHeader(line)
	if !ok {
		return nil, sources.ErrNoMatch
	}
	e := &sources.ProxyError{Level: h.level, Time: p.stampTime(h.stamp), Raw: line}
	rest := h.rest
	if len(rest) > 1 && rest[0] == '*' {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i > 1 {
			e.Conn = rest[1:i]
			rest = strings.TrimPrefix(rest[i:], " ")
		}
	}
	msg, ctx := rest, ""
	if i := strings.Index(rest, ", client: "); i >= 0 {
		msg, ctx = rest[:i], rest[i+2:]
	}
	e.Message = msg
	e.Action = referenceMessageAction(msg, ctx == "")
	if ctx != "" {
		parseErrorContext(e, ctx)
	}
	if e.Request != "" {
		e.Method, e.Path, _ = referenceSplitRequest(e.Request)
	}
	e.UpstreamAddr = referenceUpstreamPeer(e.Upstream)
	e.Reason = referenceBaseReason(msg, e.Action)
	if strings.HasPrefix(e.Action, "reading upstream") {
		switch e.Reason {
		case sources.ReasonReset, sources.ReasonReadTimeout, sources.ReasonConnectTimeout,
			sources.ReasonBadResponse, sources.ReasonRefused:
			e.Reason = sources.ReasonAfterHeaders
		}
	}
	return e, nil
}

// The parsers compareErrorParse runs, kept from line to line as a
// reader keeps its parser: the reason cache and the last stamp carry
// over.
var (
	testErrorParser      = &ErrorParser{clock: sources.NewLocalClock(time.UTC)}
	referenceErrorParser = &ErrorParser{clock: sources.NewLocalClock(time.UTC)}
)

// compareErrorParse checks that ErrorParser.Parse reads line as
// referenceErrorParse does: the same record field for field, or the
// same error.
func compareErrorParse(t *testing.T, line string) {
	t.Helper()
	compareSplitHeader(t, line)
	want, werr := referenceErrorParse(referenceErrorParser, line)
	r, gerr := testErrorParser.Parse(line)
	if !errors.Is(gerr, werr) || (werr == nil) != (gerr == nil) {
		t.Fatalf("Parse(%q) error = %v, reference %v", line, gerr, werr)
	}
	if werr != nil {
		return
	}
	got := r.(*sources.ProxyError)
	if !got.Time.Equal(want.Time) {
		t.Fatalf("Parse(%q).Time = %v, reference %v", line, got.Time, want.Time)
	}
	g, w := *got, *want
	g.Time, w.Time = time.Time{}, time.Time{}
	if g != w {
		t.Fatalf("Parse(%q) differs from the reference (-reference +got):\n%s", line, cmp.Diff(w, g))
	}
}

// testReasons is the reason cache compareErrorLine checks, kept from line
// to line as a parser keeps it.
var testReasons reasonCache

// compareErrorLine checks baseReason and nextContextKey against their
// references on an error line's message, action and context.
func compareErrorLine(t *testing.T, line string) {
	t.Helper()
	if len(line) >= len(stampLayout) {
		// The line's start as a stamp, and with each byte changed.
		stamp := []byte(line[:len(stampLayout)])
		for i := -1; i < len(stamp); i++ {
			for _, c := range []byte{'0', '9', '/', ':', ' ', '.', 0x80, byte(i)} {
				b := slices.Clone(stamp)
				if i >= 0 {
					b[i] = c
				}
				if got, want := isStamp(string(b)), referenceIsStamp(string(b)); got != want {
					t.Fatalf("isStamp(%q) = %v, want %v", b, got, want)
				}
			}
		}
	}
	msg, ctx := line, ""
	if h, ok := splitHeader(line); ok {
		msg = h.rest
		for _, b := range []string{h.stamp, "2026/01/02 03:00:00", h.stamp[:18] + "x", "x" + h.stamp[1:], h.stamp + " ", ""} {
			if got, want := sameStamp(h.stamp, b), h.stamp == b; got != want {
				t.Fatalf("sameStamp(%q, %q) = %v, want %v", h.stamp, b, got, want)
			}
		}
	}
	if i := strings.Index(msg, ", client: "); i >= 0 {
		msg, ctx = msg[:i], msg[i+2:]
	}
	action := ""
	if i := strings.LastIndex(msg, " while "); i >= 0 {
		action = msg[i+len(" while "):]
	}
	for _, a := range []string{action, "", "resolving", "connecting to upstream", "reading upstream", "sending to client"} {
		if got, want := baseReason(msg, a), referenceBaseReason(msg, a); got != want {
			t.Fatalf("baseReason(%q, %q) = %q, want %q", msg, a, got, want)
		}
		// The message with that action, through the cache twice: a
		// miss, then a hit (unless a collision took the slot).
		m := msg
		if a != action {
			m = msg + " while " + a
		}
		for _, ownContext := range []bool{false, true} {
			wantAction := referenceMessageAction(m, ownContext)
			want := errorReason(m, wantAction)
			for range 2 {
				if gotAction, got := testReasons.read(m, ownContext); gotAction != wantAction || got != want {
					t.Fatalf("reasonCache.read(%q, %v) = %q, %q; want %q, %q", m, ownContext, gotAction, got, wantAction, want)
				}
			}
		}
	}
	for _, v := range []string{msg, line} {
		if got, want := lastWhile(v), strings.LastIndex(v, " while "); got != want {
			t.Fatalf("lastWhile(%q) = %d, want %d", v, got, want)
		}
	}
	for _, v := range []string{line, ctx, msg} {
		if got, want := clientContext(v), strings.Index(v, ", client: "); got != want {
			t.Fatalf("clientContext(%q) = %d, want %d", v, got, want)
		}
	}
	// hasKey where the context's keys may start: the context, and after
	// each ", " and '"' of the line.
	for i := 0; i <= len(line); i++ {
		if i > 0 && line[i-1] != ' ' && line[i-1] != '"' {
			continue
		}
		for k, key := range contextKeys {
			if got, want := hasKey(line[i:], k), strings.HasPrefix(line[i:], key); got != want {
				t.Fatalf("hasKey(%q, %q) = %v, want %v", line[i:], key, got, want)
			}
		}
	}
	for _, v := range []string{ctx, line, msg} {
		for k := range contextKeys {
			if got, want := nextContextKey(v, k), referenceNextContextKey(v, k); got != want {
				t.Fatalf("nextContextKey(%q, %d) = %d, want %d", v, k, got, want)
			}
		}
	}
}

// TestErrorLinesMatchReference compares baseReason and nextContextKey
// with their references, and Parse with referenceErrorParse, on recorded
// and generated error lines.
func TestErrorLinesMatchReference(t *testing.T) {
	lines := append(testdataLines(t, "error.log"), parsertest.BiglogLines(t, biglogLineCount, biglog.ErrorFile)...)
	lines = append(lines, realNginxLines(t)...)
	lines = append(lines, errorContextEdgeLines...)
	for _, line := range lines {
		compareErrorLine(t, line)
		compareErrorParse(t, line)
	}
	// Every nginx error log of the repository's recordings and tests.
	n := 0
	for _, pattern := range []string{
		"../../testdata/*/*.log",
		"../../cmd/fivexx/testdata/*/*error*.log",
		"../../cmd/fivexx/testdata/*/*/*error*.log",
		"../../classify/testdata/*/error.log",
		"../../classify/testdata/*/*/error.log",
	} {
		for _, line := range parsertest.Lines(t, pattern) {
			if _, ok := splitHeader(line); ok {
				n++
			}
			compareErrorParse(t, line)
		}
	}
	if n < 500 {
		t.Errorf("only %d error-log lines in the repository's logs", n)
	}
}

// errorContextEdgeLines are error lines whose context tests
// parseContextBySeps' rules: fake keys and quotes inside the request
// line, keys out of order, empty and cut values, quotes at the end.
var errorContextEdgeLines = func() []string {
	const head = `2026/11/21 07:12:46 [error] 1#1: *2 connect() failed (111: Connection refused) while connecting to upstream, `
	var lines []string
	for _, ctx := range []string{
		`client: 10.0.0.1, server: x, request: "GET /a HTTP/1.1", upstream: "http://10.0.0.2:80/a", host: "x", referrer: "http://r/"`,
		`client: 10.0.0.1, server: x, request: "GET /a", host: "b HTTP/1.1", upstream: "http://10.0.0.2:80/a", host: "x"`,
		`client: 10.0.0.1, server: x, request: "GET /a", referrer: "b HTTP/1.1", upstream: "http://10.0.0.2:80/a", host: "x"`,
		`client: 10.0.0.1, server: x, request: "GET /a, upstream: b HTTP/1.1", upstream: "http://u/", host: "x"`,
		`client: 10.0.0.1, server: x, request: "GET /a", upstream: "b HTTP/1.1", upstream: "http://u/", host: "x"`,
		`client: 10.0.0.1, server: x, request: "GET /a", host: "b HTTP/1.1", host: "x"`,
		`client: 10.0.0.1, server: x, request: "GET /a HTTP/1.1"`,
		`client: 10.0.0.1, server: x, request: "GET /a HTTP/1.1`,
		`client: 10.0.0.1, server: x, request: "`,
		`client: 10.0.0.1, server: x, request: ""`,
		`client: 10.0.0.1, server: x, request: "", host: ""`,
		`client: 10.0.0.1, server: x, request: ", host: "`,
		`client: 10.0.0.1, server: x, request: "", host: "`,
		`client: 10.0.0.1, server: , request: "GET / HTTP/1.1", host: "h"`,
		`client: , server: , request: , host: `,
		`client: 10.0.0.1, server: x, host: "h", request: "GET / HTTP/1.1"`,
		`client: 10.0.0.1, client: 10.0.0.3, server: x`,
		`client: 10.0.0.1, server: x, subrequest: "/sub", upstream: "http://u/", host: "h"`,
		`client: 10.0.0.1, server: x, request: "GET / HTTP/1.1", subrequest: "/sub", upstream: "http://u/", host: "h"`,
		`client: 10.0.0.1, server: x", upstream: "http://u/", host: "h"`,
		`client: 10.0.0.1", server: x, upstream: "http://u/"`,
		`client: 10.0.0.1, server: x, request: "GET /" HTTP/1.1", upstream: "http://u/", host: "h"`,
		`client: 10.0.0.1, server: x, request: "GET /"", upstream: "http://u/", host: "h""`,
		`client: 10.0.0.1, server: x, upstream: "http://u/, host: "h", referrer: "r"`,
		`client: 10.0.0.1, server: x, upstream: "http://u/", host: "h, referrer: "r"`,
		`client: 10.0.0.1, server: x, upstream: "http://u/", host: h", referrer: "r"`,
		`client: 10.0.0.1, server: x,, upstream: "u", host: "h"`,
		`client: 10.0.0.1, server: x, upstream: "u", host: "h", referrer: "r", host: "x"`,
		`client: 10.0.0.1, server: x, request: "GET /` + strings.Repeat(`, host: "`, 20) + ` HTTP/1.1", host: "h"`,
		`client: 10.0.0.1, server: x, request: "GET /` + strings.Repeat(`", upstream: "`, 20) + ` HTTP/1.1", host: "h"`,
		`client: 10.0.0.1, server: x, request: "GET / HTTP/1.1", upstream: "https://[::1]:8443/a", host: "h"`,
		`client: 10.0.0.1, server: x, request: "GET / HTTP/1.1", upstream: "fastcgi://unix:/run/php.sock:", host: "h"`,
		`client: 10.0.0.1, server: x, request: "GET / HTTP/1.1", upstream: "http://", host: "h"`,
		`client: 10.0.0.1, server: x, request: "GET / HTTP/1.1", upstream: "http://backend", host: "h"`,
		`client: 10.0.0.1, server: x, request: "GET / HTTP/1.1", upstream: "grpc://http://x/", host: "h"`,
	} {
		lines = append(lines, head+ctx)
		// Cut short, as a line cut at 2048 bytes may be, anywhere.
		for i := len(ctx) - 1; i > 0; i -= 3 {
			lines = append(lines, head+ctx[:i])
		}
	}
	return append(lines,
		// Connection numbers of a word's digits and more.
		`2026/11/21 07:12:46 [error] 1#1: *12345678 x, client: 1.2.3.4`,
		`2026/11/21 07:12:46 [error] 1#1: *123456789012 x, client: 1.2.3.4`,
		`2026/11/21 07:12:46 [error] 1#1: *1234567x, client: 1.2.3.4`,
		`2026/11/21 07:12:46 [error] 1#1: *x1234567890`,
		`2026/11/21 07:12:46 [error] 1#1: *12345678`,
		`2026/11/21 07:12:46 [error] 1#1: *1234567`,
		// Stamps of another shape after a line of the same second: no
		// line.
		`2026/11/21 07:12:46 [error] 1#1: *2 x`,
		`2026/11/21 07:12:4x [error] 1#1: *2 x`,
		`xx26/11/21 07:12:46 [error] 1#1: *2 x`,
		`2026-11-21 07:12:46 [error] 1#1: *2 x`,
		`2026/11/21 07:12:46 [error] 1#1: *2 x`,
		`2026/11/21 07:12:46 [error]`,
		`2026/11/21 07:12:46`,
		// No request, and the action's own context.
		`2026/11/21 07:12:46 [error] 1#1: *2 upstream-server.local could not be resolved (3: Host not found) while resolving, resolver: 127.0.0.1:53`,
		`2026/11/21 07:12:46 [error] 1#1: *2 recv() failed (104: Connection reset by peer) while reading upstream, client: 1.2.3.4, server: s`,
		`2026/11/21 07:12:46 [error] 1#1: *2 x while y while z, a, client: 1.2.3.4`,
		`2026/11/21 07:12:46 [error] 1#1: *2 x while y, a, b`,
		`2026/11/21 07:12:46 [error] 1#1: *2 while `,
		`2026/11/21 07:12:46 [error] 1#1: *2  while reading upstream`,
	)
}()
