package applog

import (
	"fmt"
	"math/bits"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

// The scanners were tuned for speed (issue #8). These tests hold each tuned
// piece to the plain version it replaced, kept here as the reference.

// refStr is the byte-at-a-time string scanner str replaced: the content,
// whether it has escapes, the index after it, and the error, if any.
func refStr(s string, at int) (string, bool, int, string) {
	w := jsonWalker{s: s, i: at}
	start := w.i + 1
	esc := false
	for i := start; i < len(w.s); {
		c := w.s[i]
		switch {
		case c == '"':
			return w.s[start:i], esc, i + 1, ""
		case c == '\\':
			esc = true
			if i+1 >= len(w.s) {
				w.i = i
				return "", false, w.i, w.fail("unterminated escape").Error()
			}
			switch w.s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(w.s) || !isHex4(w.s[i+2:i+6]) {
					w.i = i
					return "", false, w.i, w.fail("invalid \\u escape").Error()
				}
				i += 6
			default:
				w.i = i
				return "", false, w.i, w.fail("invalid escape").Error()
			}
		case c < 0x20:
			w.i = i
			return "", false, w.i, w.fail("control character in string").Error()
		default:
			i++
		}
	}
	w.i = len(w.s)
	return "", false, w.i, w.fail("unterminated string").Error()
}

// checkStr compares str with refStr on the string opening at s[at].
func checkStr(t *testing.T, s string, at int) {
	t.Helper()
	wantS, wantEsc, wantNext, wantErr := refStr(s, at)
	w := jsonWalker{s: s, i: at}
	gotS, gotEsc, err := w.str()
	gotErr := ""
	if err != nil {
		gotErr = err.Error()
	}
	got := fmt.Sprintf("%q %v %d %q", gotS, gotEsc, w.i, gotErr)
	want := fmt.Sprintf("%q %v %d %q", wantS, wantEsc, wantNext, wantErr)
	if got != want {
		t.Errorf("str(%q at %d) = %s, want %s", s, at, got, want)
	}
}

// TestStrMatchesReference puts each kind of byte str looks for at every
// offset of the first and second eight-byte word, near the end of the line
// and past it.
func TestStrMatchesReference(t *testing.T) {
	specials := []string{`"`, `\`, `\"`, `\n`, `\u00e9`, `\u00`, `\x`, "\x00", "\x1f", "\t", "\x20", "\x7f", "\x80", "\xff", "é", `\\`, `\/`}
	for _, tail := range []string{`"`, `","a":1}`, ``, `\`, `\u12`} {
		for n := 0; n <= 18; n++ {
			for _, sp := range specials {
				body := strings.Repeat("a", n) + sp + "bcdefghijk"[:n%10]
				for _, s := range []string{`"` + body + tail, `{"k":"` + body + tail} {
					checkStr(t, s, strings.IndexByte(s, '"'))
					checkStr(t, s, strings.LastIndexByte(s, '"'))
				}
			}
		}
	}
}

// refJavaException is the javaException that searched the whole line for ": ".
func refJavaException(line string) bool {
	name := line
	if i := strings.Index(line, ": "); i >= 0 {
		name = line[:i]
	}
	if strings.IndexByte(name, '.') < 0 || len(name) > 200 {
		return false
	}
	start := 0
	found := false
	for i := 0; i <= len(name); i++ {
		if i < len(name) {
			c := name[i]
			if isLetter(c) || isDigit(c) || c == '_' {
				continue
			}
			if c != '.' && c != '$' {
				return false
			}
		}
		part := name[start:i]
		if part == "" {
			return false
		}
		if strings.HasSuffix(part, "Exception") || strings.HasSuffix(part, "Error") || strings.HasSuffix(part, "Throwable") {
			found = true
		}
		start = i + 1
	}
	return found
}

func TestJavaExceptionMatchesReference(t *testing.T) {
	long := strings.Repeat("a", 190) + ".BoomException"
	var lines []string
	for _, line := range []string{
		"java.lang.IllegalStateException: boom",
		"java.lang.IllegalStateException",
		"java.lang.IllegalStateException:boom",
		"java.lang.IllegalStateException : boom",
		"org.springframework.web.client.HttpServerErrorException$ServiceUnavailable: 503 Service Unavailable: [no body]",
		"java.lang.OutOfMemoryError: Java heap space",
		"com.x.Y.z(Y.java:10): not one",
		"plain text: with a colon",
		"a..BException: x",
		".BException: x",
		"java.lang.Exception: a: b",
		"java.lang.Exception:",
		"java.lang.Exception: ",
		"Exception: x",
		long, long + ": x", long + "x", long + "x: y", long[:186] + ": x",
		"",
	} {
		lines = append(lines, line)
	}
	for n := 195; n <= 205; n++ { // around the 200-byte limit on the name
		name := strings.Repeat("a", n-len(".BoomException")) + ".BoomException"
		lines = append(lines, name, name+": x", name+":x", name+" x")
	}
	for _, line := range lines {
		if got, want := javaException(line), refJavaException(line); got != want {
			t.Errorf("javaException(%q) = %v, want %v", line, got, want)
		}
	}
}

// refLevelWords is the map levelWord replaced.
var refLevelWords = map[string]string{
	"trace": "debug", "debug": "debug", "dbg": "debug", "verbose": "debug",
	"info": "info", "information": "info", "informational": "info", "notice": "info", "default": "info",
	"warn": "warn", "warning": "warn",
	"error": "error", "err": "error", "eror": "error", "severe": "error",
	"fatal": "fatal", "critical": "fatal", "crit": "fatal", "panic": "fatal", "dpanic": "fatal",
	"emerg": "fatal", "emergency": "fatal", "alert": "fatal",
}

// refLowerInto is the byte-at-a-time lowerInto.
func refLowerInto(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// refNormLevel is normLevel as it was, with strings.IndexAny and the map.
func refNormLevel(s string, strict bool) (string, bool) {
	if s == "" {
		return "", false
	}
	if _, ok := atoiSmall(s); ok {
		return normLevel(s, strict) // the numeric branch is unchanged
	}
	name := s
	if i := strings.IndexAny(s, "+-"); i > 0 {
		name = s[:i]
	}
	var buf [16]byte
	if len(name) <= len(buf) {
		if l, ok := refLevelWords[string(refLowerInto(buf[:0], name))]; ok {
			return l, true
		}
	}
	if strict || len(s) > 32 {
		return "", false
	}
	return strings.ToLower(s), true
}

// refPhaseOf is phaseOf as it was, lower-casing every word up to 16 bytes.
func refPhaseOf(msg string, status int, aboutRequest bool) sources.Phase {
	if status != 0 {
		return sources.PhaseEnd
	}
	start, end := false, false
	prevRequest, prevReceived := false, false
	if len(msg) > 256 {
		msg = msg[:256]
	}
	var buf [16]byte
	for i := 0; i < len(msg); {
		for i < len(msg) && !isLetter(msg[i]) {
			i++
		}
		j := i
		for j < len(msg) && isLetter(msg[j]) {
			j++
		}
		if j == i {
			break
		}
		w := msg[i:j]
		i = j
		if len(w) > len(buf) {
			prevRequest, prevReceived = false, false
			continue
		}
		lw := refLowerInto(buf[:0], w)
		switch string(lw) {
		case "finished", "completed", "done", "handled", "errored":
			end = true
		case "started", "begin", "began", "incoming":
			start = true
		case "received":
			start = start || prevRequest
		case "request", "requests":
			aboutRequest = true
			start = start || prevReceived
		}
		prevRequest = string(lw) == "request"
		prevReceived = string(lw) == "received"
	}
	switch {
	case !aboutRequest:
		return sources.PhaseOther
	case end:
		return sources.PhaseEnd
	case start:
		return sources.PhaseStart
	}
	return sources.PhaseOther
}

// checkWords compares the word helpers with their references on s.
func checkWords(t *testing.T, s string) {
	t.Helper()
	if got, want := string(lowerInto([]byte("x."), s)), string(refLowerInto([]byte("x."), s)); got != want {
		t.Errorf("lowerInto(%q) = %q, want %q", s, got, want)
	}
	lower := string(refLowerInto(nil, s))
	gotL, gotOK := levelWord([]byte(lower))
	wantL, wantOK := refLevelWords[lower]
	if gotL != wantL || gotOK != wantOK {
		t.Errorf("levelWord(%q) = %q, %v, want %q, %v", lower, gotL, gotOK, wantL, wantOK)
	}
	for _, strict := range []bool{false, true} {
		gotL, gotOK := normLevel(s, strict)
		wantL, wantOK := refNormLevel(s, strict)
		if gotL != wantL || gotOK != wantOK {
			t.Errorf("normLevel(%q, %v) = %q, %v, want %q, %v", s, strict, gotL, gotOK, wantL, wantOK)
		}
	}
	for _, about := range []bool{false, true} {
		if got, want := phaseOf(s, 0, about), refPhaseOf(s, 0, about); got != want {
			t.Errorf("phaseOf(%q, 0, %v) = %v, want %v", s, about, got, want)
		}
	}
	if got, want := javaException(s), refJavaException(s); got != want {
		t.Errorf("javaException(%q) = %v, want %v", s, got, want)
	}
}

func TestWordHelpersMatchReference(t *testing.T) {
	words := []string{"", "INFO", "info", "Info+2", "WARN-4", "-WARN+1", "+2", "ERROR-", "Warning", "EMERGENCY",
		"informational", "INFORMATIONAL+1", "DPanic", "crit", "nonsense", "Trace", "x-ray", "A-Z[]@`{",
		strings.Repeat("E", 17), strings.Repeat("e", 33), "ünïcode", "\xff\xfe", "Done", "DONE",
		"Request received", "received request", "request Received then done", "request started",
		"Requests completed", "incoming request", "a request, handled", "HTTP Request Finished",
		"Started App in 3.2 seconds", "migration done", "begin/began/incoming", "completedness request",
		"REQUEST " + strings.Repeat("x", 300) + " done", "request " + strings.Repeat("abcdefghijklmnopq ", 3) + "started"}
	for w := range refLevelWords {
		words = append(words, w, strings.ToUpper(w), w+"+3", strings.ToUpper(w)+"-1")
	}
	for _, w := range words {
		checkWords(t, w)
	}
}

// TestHTTPMethodMatchesReference checks isHTTPMethod against the map it replaced.
func TestHTTPMethodMatchesReference(t *testing.T) {
	ref := map[string]bool{
		"GET": true, "HEAD": true, "POST": true, "PUT": true, "DELETE": true,
		"PATCH": true, "OPTIONS": true, "CONNECT": true, "TRACE": true,
	}
	for _, m := range []string{"GET", "get", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE",
		"PROPFIND", "GETS", "", "\"GET", "G", "Get"} {
		if got := isHTTPMethod(m); got != ref[m] {
			t.Errorf("isHTTPMethod(%q) = %v, want %v", m, got, ref[m])
		}
	}
	// method upper-cases a standard method in any case; an upper-case
	// token stays as it is.
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"get", "GET", true}, {"Post", "POST", true}, {"oPtIoNs", "OPTIONS", true}, {"trace", "TRACE", true},
		{"GET", "GET", true}, {"PROPFIND", "PROPFIND", true},
		{"propfind", "", false}, {"getUser", "", false}, {"/pkg.Service/Call", "", false}, {"", "", false},
		{"connectxxxxxx", "", false},
	} {
		if got, ok := method(tc.in); got != tc.want || ok != tc.ok {
			t.Errorf("method(%q) = %q, %v, want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestParseAllocs checks that a typical line costs one allocation, the
// entry, in every format, a lower-case method included.
func TestParseAllocs(t *testing.T) {
	for _, tc := range []struct{ format, line string }{
		{FormatJSON, `{"time":"2026-11-21T07:39:51.972495724Z","level":"INFO","msg":"request finished","request_id":"66ccc8d68aac2a1171a02581b8fcf3fd","method":"get","path":"/ok?n=1","instance":"127.0.0.1:34599","status":200,"duration_ms":0.066}`},
		{FormatJSON, `{"level":30,"time":1459442001087,"req":{"id":7,"method":"POST","url":"/orders?retry=1","headers":{"x-request-id":"0b6a9f3c2d1e0f9a"}},"res":{"statusCode":503},"responseTime":31,"msg":"request errored"}`},
		{FormatLogfmt, `time=2024-01-02T03:04:05.678Z level=ERROR msg="request failed" request_id=4f7c method=get path=/x status=503 duration=12ms`},
		{FormatText, `2024-01-02 03:04:05,678 ERROR [req-4f7c2c8d] GET /orders -> 503 in 12ms`},
	} {
		p := newTestParser(t, tc.format, testOpts)
		allocs := testing.AllocsPerRun(100, func() {
			if rec, err := p.Parse(tc.line); err != nil || rec == nil {
				t.Fatalf("%s: Parse(%q) = %v, %v", tc.format, tc.line, rec, err)
			}
		})
		if allocs != 1 {
			t.Errorf("%s: Parse(%q) costs %v allocations, want 1", tc.format, tc.line, allocs)
		}
	}
}

// TestByteClasses checks the token scanner's table against the rules it
// encodes, for every byte.
func TestByteClasses(t *testing.T) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		if got, want := isSpace(b), b == ' ' || b == '\t' || b == '\r'; got != want {
			t.Errorf("isSpace(%#x) = %v", b, got)
		}
		if got, want := keyStart(b), isLetter(b) || b == '_' || b == '@'; got != want {
			t.Errorf("keyStart(%#x) = %v", b, got)
		}
		if got, want := keyChar(b), isLetter(b) || isDigit(b) || b == '_' || b == '.' || b == '-'; got != want {
			t.Errorf("keyChar(%#x) = %v", b, got)
		}
	}
}

// TestKeyCacheMatchesLookup checks that a parser's cached lookups give what
// the key table gives, through collisions and evictions: every key, nested
// under each prefix, as headers, unknown and too long to cache, in several
// orders, with and without an extra request id key.
func TestKeyCacheMatchesLookup(t *testing.T) {
	var paths []string
	for k := range keyTable {
		paths = append(paths, k)
		for _, pre := range []string{"req.", "request.", "http.", "ctx.", "res.", "response.", "req.headers.", "http.request.", "other."} {
			paths = append(paths, pre+k)
		}
	}
	for i := range 300 {
		paths = append(paths, fmt.Sprintf("unknown_%d", i), fmt.Sprintf("req.k%d", i))
	}
	paths = append(paths, "", "x-req", "headers.x-req", "req.headers.x-req", "x-req.x",
		strings.Repeat("a", keySlotLen), strings.Repeat("a", keySlotLen+1), "req."+strings.Repeat("m", 40)+".method",
		"request.request.request.request.request.request.id")
	for _, idKey := range []string{"", "x-req"} {
		b := builder{idKey: idKey, keys: newKeyCache()}
		for pass := range 4 {
			for i := range paths {
				// Walk the paths in a different order on each pass.
				p := paths[(i*(2*pass+1))%len(paths)]
				if pass == 3 {
					p = paths[i%17] // a few keys over and over
				}
				got := b.lookup([]byte(p))
				spec, ok := lookup([]byte(p), idKey)
				var want *keySpec
				if ok {
					want = &spec
				}
				if diff := cmp.Diff(want, got, cmp.AllowUnexported(keySpec{})); diff != "" {
					t.Fatalf("idKey %q, pass %d: lookup(%q) differs (-table +cache):\n%s", idKey, pass, p, diff)
				}
			}
		}
	}
}

// TestEntriesFresh checks the entries parsers fill in place: a line that
// failed half way leaves nothing in the next record, and a record returned
// earlier is not touched by later lines.
func TestEntriesFresh(t *testing.T) {
	for _, tc := range []struct {
		name, format  string
		first, failed string
		next          string
		want          sources.AppEntry
	}{
		{
			name: "json", format: FormatJSON,
			first:  `{"time":"2024-01-02T03:04:05Z","level":"error","msg":"first","request_id":"r1","method":"GET","path":"/a","status":503,"duration":0.5,"instance":"i1"}`,
			failed: `{"time":"2024-01-02T03:04:06Z","level":"error","msg":"bad","request_id":"r2","method":"PUT","path":"/b","status":502,"duration":1.5,"instance":"i2",`,
			next:   `{"msg":"next"}`,
			want:   sources.AppEntry{Message: "next", Duration: -1, Service: "api", Raw: `{"msg":"next"}`},
		},
		{
			// Inside a Go trace, key=value pairs alone are not a record.
			name: "logfmt", format: FormatLogfmt,
			first:  `panic: boom`,
			failed: `[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c request_id=r2 status=502 method=PUT path=/b]`,
			next:   `msg=next`,
			want:   sources.AppEntry{Message: "next", Duration: -1, Service: "api", Raw: `msg=next`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestParser(t, tc.format, testOpts)
			rec, err := p.Parse(tc.first)
			if err != nil || rec == nil {
				t.Fatalf("Parse(%q) = %v, %v", tc.first, rec, err)
			}
			first := *rec.(*sources.AppEntry)
			if rec, _ := p.Parse(tc.failed); rec != nil {
				t.Fatalf("Parse(%q) = %+v, want no record", tc.failed, rec)
			}
			first.Raw = rec.RawLine() // a trace line may have been attached
			next, err := p.Parse(tc.next)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&tc.want, next); diff != "" {
				t.Errorf("record after the failed line (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(&first, rec); diff != "" {
				t.Errorf("first record changed (-before +after):\n%s", diff)
			}
		})
	}
}

// FuzzTunedHelpers holds the tuned helpers to their references on any input.
func FuzzTunedHelpers(f *testing.F) {
	for _, l := range testdataLines(f, "json.log") {
		f.Add(l)
	}
	for _, l := range testdataLines(f, "text.log") {
		f.Add(l)
	}
	for _, s := range []string{`"abc"`, `"a\"b"`, `"\u00e9x"`, "\"a\x01\"", `java.lang.RuntimeException: x`, "INFO+2", "request received"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkWords(t, s)
		checkStr(t, `"`+s, 0)
		for i := 0; i <= len(s) && i < 24; i++ {
			if got, want := plainEnd(s, i), refPlainEnd(s, i); got != want {
				t.Fatalf("plainEnd(%q, %d) = %d, want %d", s, i, got, want)
			}
		}
		for i := 0; i < len(s) && i < 8; i++ {
			for n := 0; i+n < len(s) && n < 40; n++ {
				checkPlainQuoted(t, s, i, n)
			}
		}
		for i, n := 0, 0; i < len(s) && n < 8; i++ {
			if s[i] == '"' {
				checkStr(t, s, i)
				n++
			}
		}
	})
}

// refPlainEnd is plainEnd byte by byte.
func refPlainEnd(s string, i int) int {
	for ; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' || c < 0x20 {
			return i
		}
	}
	return len(s)
}

// checkPlainQuoted checks plainQuoted(s, i, n) against refPlainEnd: true
// only for a plain run of n >= 8 bytes closed by a '"', and true for every
// such run of bytes below 0x80 (one with higher bytes may be left to
// plainEnd).
func checkPlainQuoted(t *testing.T, s string, i, n int) {
	t.Helper()
	run := n >= 8 && i+n < len(s) && refPlainEnd(s, i) == i+n && s[i+n] == '"'
	ascii := true
	for j := i; j < i+n && j < len(s); j++ {
		ascii = ascii && s[j] < 0x80
	}
	if got := plainQuoted(s, i, n); got && !run || !got && run && ascii {
		t.Fatalf("plainQuoted(%q, %d, %d) = %v; plainEnd %d", s, i, n, got, refPlainEnd(s, i))
	}
}

// TestPlainQuotedMatchesReference puts each kind of byte plainEnd stops
// at, and the plain bytes next to them, at every offset of runs up to 40
// bytes long closed by a quote, checked for every length from two starts.
func TestPlainQuotedMatchesReference(t *testing.T) {
	bytes := []byte{'"', '\\', 0x00, 0x1f, '\t', ' ', '!', '#', '[', ']', 0x7f, 0x80, 0xa2, 0xdc, 0xff}
	for n := range 41 {
		for at := range n {
			for _, c := range bytes {
				b := []byte(strings.Repeat("a", n) + `"x`)
				b[at] = c
				s := string(b)
				for i := range min(n+1, 2) {
					for m := 0; i+m < len(s); m++ {
						checkPlainQuoted(t, s, i, m)
					}
				}
			}
		}
	}
}

// TestSpecialBytes checks specialBytes's lowest flag for every byte at
// every position of a word, below it the plain bytes next to the special
// ones (and those with the high bit set), above it bytes of each kind.
func TestSpecialBytes(t *testing.T) {
	plain := []byte{' ', '!', '#', '[', ']', 'a', 0x7f, 0x80, 0xa1, 0xa2, 0xdc, 0xdd, 0xfe, 0xff}
	above := []byte{0x00, '"', '\\', 'a', 0x80, 0xff}
	special := func(c byte) bool { return c == '"' || c == '\\' || c < 0x20 }
	for p := range 8 {
		for c := range 256 {
			for _, lo := range plain {
				for _, hi := range above {
					var w [8]byte
					for j := range w {
						switch {
						case j < p:
							w[j] = lo
						case j == p:
							w[j] = byte(c)
						default:
							w[j] = hi
						}
					}
					x := load64(string(w[:]), 0)
					m := specialBytes(x)
					first := 8
					if m != 0 {
						first = bits.TrailingZeros64(m) >> 3
					}
					if m&^0x8080808080808080 != 0 {
						t.Fatalf("specialBytes(%q) = %#x: flags outside the high bits", w, m)
					}
					switch {
					case special(byte(c)) && first != p:
						t.Fatalf("specialBytes(%q): first flag at %d, want %d", w, first, p)
					case !special(byte(c)) && first <= p:
						t.Fatalf("specialBytes(%q): first flag at %d, want none at or below %d", w, first, p)
					}
				}
			}
		}
	}
}

// TestPlainEndMatchesReference puts each kind of byte plainEnd stops at,
// and the plain bytes next to them, at every offset of strings up to 40
// bytes long, scanned from every start.
func TestPlainEndMatchesReference(t *testing.T) {
	bytes := []byte{'"', '\\', 0x00, 0x1f, '\t', ' ', '!', '#', '[', ']', 0x7f, 0x80, 0xa2, 0xdc, 0xff}
	for n := range 41 {
		for at := range n {
			for _, c := range bytes {
				b := []byte(strings.Repeat("a", n))
				b[at] = c
				s := string(b)
				for i := 0; i <= n; i++ {
					if got, want := plainEnd(s, i), refPlainEnd(s, i); got != want {
						t.Fatalf("plainEnd(%q, %d) = %d, want %d", s, i, got, want)
					}
				}
			}
		}
	}
}
