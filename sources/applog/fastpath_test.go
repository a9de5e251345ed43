package applog

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// The third round on the JSON parser (issue #8) added fast paths to
// topObject for the values nearly every line repeats or shares the shape
// of: a stamp in the second of the one before (clock.sameSecondUTC), a
// duration read in one pass (durationAt), levels, messages, methods and
// statuses remembered with what set made of them (valueMemo), request ids
// and instances taken as they are (takeText); and a fraction read a word
// at a time (leadingDigits, eightDigits). The fourth read statuses and
// methods without the memo (statusAt, methodAt), and paths as they are
// (takePath). These tests
// hold them to the reference parser and to the helpers they stand in for.

// fastBase is a slog line whose every member takes a fast path from its
// second reading on.
const fastBase = `{"time":"2024-01-02T03:04:05.123456Z","level":"INFO","msg":"request finished","request_id":"969d84764b426a8766d4323de5184b86","method":"GET","path":"/a?b=1","status":200,"duration_ms":8.415,"instance":"10.0.0.1:80"}`

// TestFastPathsTaken checks that fastBase, read a second time, has its
// members remembered for the fast paths, so that the table below tests them.
func TestFastPathsTaken(t *testing.T) {
	p := newTestParser(t, FormatJSON, testOpts).(*jsonParser)
	for range 2 {
		if _, err := p.Parse(fastBase); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, ok := p.clock.sameSecondUTC(fastBase, len(`{"time":"`)); !ok {
		t.Errorf("sameSecondUTC does not take the stamp of the line before")
	}
	want := map[field]fastKind{fTime: fastStamp, fLevel: fastMemo, fMessage: fastMemo, fMethod: fastMethod, fStatus: fastStatus,
		fDuration: fastDuration, fRequestID: fastText, fInstance: fastText, fPath: fastPath}
	got := map[field]fastKind{}
	for k := range maxMemberKeys {
		mk := &p.b.keys.members.at[k][0]
		if mk.n == 0 || !mk.ok {
			continue
		}
		got[mk.spec.field] = mk.fast
		if mk.fast == fastMemo && !mk.memo.on {
			t.Errorf("field %d: no value remembered", mk.spec.field)
		}
	}
	for f, fast := range want {
		if got[f] != fast {
			t.Errorf("field %d: fast path %d, want %d", f, got[f], fast)
		}
	}
}

// TestFastPathsMatchReference parses, with one parser, lines that take
// each fast path and lines that leave it: stamps in other seconds, hours
// and zones, with other fractions, escapes or bytes after the 'Z';
// levels, messages, methods and statuses that repeat, change, have
// escapes, another type, outcomes set rejects or that are not constants,
// values about the sizes a memo holds and at the line's end; durations of
// every shape numberEnd and decimal tell apart; duplicate keys and keys
// of other ranks for the same field; broken lines. Each line is parsed
// twice in a row and compared with the reference, after the lines before.
func TestFastPathsMatchReference(t *testing.T) {
	rep := func(old, new string) string { return strings.Replace(fastBase, old, new, 1) }
	lines := []string{fastBase, fastBase}
	// Stamps.
	for _, stamp := range []string{
		`05.9Z`, `05Z`, `05.1Z`, `05.1234567Z`, `05.12345678Z`, `05.123456789Z`, `05.1234567891234Z`,
		`05.123456z`, `05.123456+00:00`, `05.123456`, `05.123456Z `, `05.123456Zx`, `05.123456Z\"`,
		`05.\u0031Z`, `05,123Z`, `05.Z`, `05.12x3Z`, `06.5Z`, `59.5Z`, `60Z`, `05.123456-05:00`,
	} {
		lines = append(lines, rep(`05.123456Z`, stamp), fastBase)
	}
	for _, stamp := range []string{
		`2024-01-02T03:05:05.1Z`, `2024-01-02T04:04:05.1Z`, `2024-01-03T03:04:05.1Z`, `2023-12-31T23:59:59.999Z`,
		`2024-01-02 03:04:05.5Z`, `2024-01-02t03:04:05.5Z`, `2024-01-02T03:04:05.5Z`, `2024-01-02T03:04:05.5Z`,
		`1704164645`, `2024-01-02T03:04:05`, ``, `x`,
	} {
		lines = append(lines, rep(`2024-01-02T03:04:05.123456Z`, stamp), rep(`2024-01-02T03:04:05.123456Z`, stamp))
	}
	lines = append(lines,
		rep(`"time":"2024-01-02T03:04:05.123456Z"`, `"time":1704164645.5`),
		rep(`"time":"2024-01-02T03:04:05.123456Z"`, `"time":null`),
		rep(`"time":"2024-01-02T03:04:05.123456Z"`, `"ts":"2024-01-02T03:04:05.123456Z"`),
		rep(`"time":"2024-01-02T03:04:05.123456Z"`, `"t":"2024-01-02T03:04:05.1Z","time":"2024-01-02T03:04:05.2Z"`),
		rep(`"level"`, `"timestamp":"2024-01-02T03:04:05.3Z","level"`),
		`{"time":"2024-01-02T03:04:05.123456Z"}`,
		`{"time":"2024-01-02T03:04:05.123456Z`,
		`{"time":"2024-01-02T03:04:05.123456Z"`,
		`{"time":"2024-01-02T03:04:05.123456`,
		`{"time":"2024-01-02T03:04:05.12`,
		`{"time":"2024-01-02T03:04:05`,
		fastBase,
	)
	// Levels, messages, methods and statuses.
	for _, r := range [][2]string{
		{`"INFO"`, `"INFO"`}, {`"INFO"`, `"info"`}, {`"INFO"`, `"Info+2"`}, {`"INFO"`, `"trace2"`}, {`"INFO"`, `"LOUD"`},
		{`"INFO"`, `""`}, {`"INFO"`, `"IN\u0046O"`}, {`"INFO"`, `30`}, {`"INFO"`, `"30"`}, {`"INFO"`, `null`},
		{`"INFO"`, `{"x":1}`}, {`"INFO"`, `["INFO"]`}, {`"INFO"`, `"informational"`}, {`"INFO"`, `"warning-level-x"`},
		{`"INFO"`, `"informational-lvl"`}, {`"INFO"`, `"informational-levelxyz"`}, {`"INFO"`, `"informational-levelxyzw"`},
		{`"INFO"`, `"INFO`}, {`"INFO"`, `"INFO\"`}, {`"INFO"`, "\"INFO\x01\""},
		{`"request finished"`, `"request finished"`}, {`"request finished"`, `""`}, {`"request finished"`, `"request finishe"`},
		{`"request finished"`, `"request finished!"`}, {`"request finished"`, `"request finished at noon"`},
		{`"request finished"`, `"request finished a"`}, {`"request finished"`, `"request \"finished\""`},
		{`"request finished"`, `"request finished`}, {`"request finished"`, `7`}, {`"request finished"`, `false`},
		{`"GET"`, `"GET"`}, {`"GET"`, `"get"`}, {`"GET"`, `"PROPFIND"`}, {`"GET"`, `"propfind"`}, {`"GET"`, `"G3T"`},
		{`"GET"`, `""`}, {`"GET"`, `"GET "`}, {`"GET"`, `"OPTIONS"`}, {`"GET"`, `"\u0047ET"`},
		{`200`, `200`}, {`200`, `503`}, {`200`, `2000`}, {`200`, `20`}, {`200`, `"200"`}, {`200`, `200.0`}, {`200`, `2e2`},
		{`200`, `-200`}, {`200`, `0200`}, {`200`, `200x`}, {`200`, `0`}, {`200`, `600`}, {`200`, `"503 Service Unavailable"`},
		{`200`, `null`}, {`200`, `2`}, {`200`, `200 `},
		{`"GET"`, `"POST"`}, {`"GET"`, `"PUT"`}, {`"GET"`, `"HEAD"`}, {`"GET"`, `"PATCH"`}, {`"GET"`, `"DELETE"`},
		{`"GET"`, `"CONNECT"`}, {`"GET"`, `"TRACE"`}, {`"GET"`, `"GETS"`}, {`"GET"`, `"POSTS"`}, {`"GET"`, `"HEADS"`},
		{`"GET"`, `"PATCHY"`}, {`"GET"`, `"DELETED"`}, {`"GET"`, `"OPTIONSY"`}, {`"GET"`, `"OPTION"`}, {`"GET"`, `"PUT"`},
		{`"GET"`, `"GE"`}, {`"GET"`, `"Get"`}, {`"GET"`, `7`}, {`"GET"`, `null`}, {`"GET"`, `["GET"]`},
		{`200`, `100`}, {`200`, `599`}, {`200`, `099`}, {`200`, `699`}, {`200`, `503.5`}, {`200`, `503e0`}, {`200`, `5031`},
		{`200`, `50`}, {`200`, `5x3`}, {`200`, `503 `}, {`200`, `"503"`},
	} {
		lines = append(lines, rep(r[0], r[1]), rep(r[0], r[1]), fastBase)
	}
	// Request ids, instances and paths.
	for _, r := range [][2]string{
		{`"969d84764b426a8766d4323de5184b86"`, `""`}, {`"969d84764b426a8766d4323de5184b86"`, `"-"`},
		{`"969d84764b426a8766d4323de5184b86"`, `"x"`}, {`"969d84764b426a8766d4323de5184b86"`, `"null"`},
		{`"969d84764b426a8766d4323de5184b86"`, `"<nil>"`}, {`"969d84764b426a8766d4323de5184b86"`, `" r-1"`},
		{`"969d84764b426a8766d4323de5184b86"`, `"r-1 "`}, {`"969d84764b426a8766d4323de5184b86"`, `" r-1"`},
		{`"969d84764b426a8766d4323de5184b86"`, "\"r-1\u00a0\""}, {`"969d84764b426a8766d4323de5184b86"`, "\"r-1\x7f\""},
		{`"969d84764b426a8766d4323de5184b86"`, `"r"1"`}, {`"969d84764b426a8766d4323de5184b86"`, `"ab"`},
		{`"969d84764b426a8766d4323de5184b86"`, `17`}, {`"969d84764b426a8766d4323de5184b86"`, `null`},
		{`"request_id":"969d84764b426a8766d4323de5184b86"`, `"trace_id":"t-1","request_id":"r-2"`},
		{`"request_id":"969d84764b426a8766d4323de5184b86"`, `"request_id":"r-1","x-request-id":"r-2"`},
		{`"request_id":"969d84764b426a8766d4323de5184b86"`, `"request_id":"-","trace_id":"t-1"`},
		{`"request_id":"969d84764b426a8766d4323de5184b86"`, `"x-req":"k-1","request_id":"r-1"`},
		{`"10.0.0.1:80"`, `""`}, {`"10.0.0.1:80"`, `"-"`}, {`"10.0.0.1:80"`, `" h "`}, {`"10.0.0.1:80"`, `"null"`},
		{`"10.0.0.1:80"`, `"h"`}, {`"10.0.0.1:80"`, `"web-1"`}, {`"10.0.0.1:80"`, `8080`},
		{`"instance":"10.0.0.1:80"`, `"host":"h1","instance":"i1"`}, {`"instance":"10.0.0.1:80"`, `"instance":"i1","pod":"p1"`},
		{`"/a?b=1"`, `"http://x/y?z"`}, {`"/a?b=1"`, `"https://h?q"`}, {`"/a?b=1"`, `"https://h"`}, {`"/a?b=1"`, `"h/x"`},
		{`"/a?b=1"`, `"hello"`}, {`"/a?b=1"`, `""`}, {`"/a?b=1"`, `"-"`}, {`"/a?b=1"`, `"/"`},
		{`"/a?b=1"`, `"//x"`}, {`"/a?b=1"`, `"/a b "`}, {`"/a?b=1"`, `"/\u00e9"`}, {`"/a?b=1"`, `"/a\"b"`},
		{`"/a?b=1"`, `" /a"`}, {`"/a?b=1"`, `"null"`}, {`"/a?b=1"`, `7`}, {`"/a?b=1"`, `null`},
		{`"path":"/a?b=1"`, `"url.path":"/a","url.query":"b=1"`}, {`"path":"/a?b=1"`, `"url.query":"b=1","url.path":"/a"`},
		{`"path":"/a?b=1"`, `"url.path":"/a?c","url.query":"b=1"`}, {`"path":"/a?b=1"`, `"path":"/a","request_uri":"/b"`},
		{`"path":"/a?b=1"`, `"request_uri":"/b","path":"/a"`}, {`"path":"/a?b=1"`, `"route":"/r/:id","path":"/a"`},
		{`"path":"/a?b=1"`, `"url.path":"/u","path":"/a","url.query":"q"`},
	} {
		lines = append(lines, rep(r[0], r[1]), rep(r[0], r[1]), fastBase)
	}
	// Durations.
	for _, d := range []string{
		`8.415`, `8`, `0`, `0.5`, `00.5`, `01`, `8.`, `8.e3`, `8e3`, `8E3`, `8.4e-1`, `-8.4`, `-0`, `.5`,
		`123456789012345`, `1234567890123456`, `12345678901234.5`, `1234567890123.45`, `1.23456789012345`,
		`0.000000000000001`, `0.0000000000000001`, `"8.415"`, `"12ms"`, `null`, `8.415x`, `8.4.1`, `8,5`,
		`18446744073709551616`, `99999999999999999999.5`,
	} {
		lines = append(lines, rep(`8.415`, d), rep(`8.415`, d), fastBase)
	}
	for _, key := range []string{`duration`, `latency`, `elapsed_ms`, `duration_s`, `duration_us`, `duration_ns`, `service`, `took`} {
		for _, d := range []string{`1500000`, `1.5`, `250`, `"1.5s"`} {
			lines = append(lines, rep(`"duration_ms":8.415`, `"`+key+`":`+d), rep(`"duration_ms":8.415`, `"`+key+`":`+d))
		}
	}
	// Ranks and duplicates.
	lines = append(lines,
		rep(`"duration_ms":8.415`, `"latency_ms":9,"duration_ms":8.415`),
		rep(`"duration_ms":8.415`, `"duration_ms":8.415,"latency_ms":9`),
		rep(`"duration_ms":8.415`, `"duration_ms":8.415,"duration_ms":9.5`),
		rep(`"duration_ms":8.415`, `"duration_ms":"x","duration_ms":9.5`),
		rep(`"level":"INFO"`, `"level":"INFO","level":"ERROR"`),
		rep(`"level":"INFO"`, `"level":"bogus-word","level":"ERROR"`),
		rep(`"level":"INFO"`, `"at":"info","level":"WARN"`),
		rep(`"level":"INFO"`, `"level":"","at":"error"`),
		rep(`"msg":"request finished"`, `"message":"m","msg":"request finished"`),
		rep(`"msg":"request finished"`, `"msg":"","message":"m"`),
		rep(`"method":"GET"`, `"http_method":"PUT","method":"GET"`),
		rep(`"method":"GET"`, `"method":"getUser","http_method":"PUT"`),
		rep(`"status":200`, `"status":200,"status":503`),
		rep(`"status":200`, `"status":0,"http_status":503`),
		rep(`"status":200`, `"http_status":503,"status":200`),
		fastBase, fastBase,
	)
	// Values at the end of the line, where fewer than a memo's bytes follow.
	for _, tail := range []string{
		`,"status":200}`, `,"status":200`, `,"status":2}`, `,"level":"INFO"}`, `,"msg":"request finished"}`,
		`,"msg":"request finished!"}`, `,"method":"GET"}`, `,"method":"OPTIONS"}`, `,"method":"OPTIONS"`,
		`,"method":"POST"`, `,"method":"GET"`, `,"status":503`, `,"status":503}`, `,"status":50}`, `,"duration_ms":8.415}`, `,"duration_ms":8.415`,
		`,"duration_ms":8}`, `,"duration_ms":8.`, `,"time":"2024-01-02T03:04:05.123456Z"}`, `,"time":"2024-01-02T03:04:05Z"}`,
	} {
		line := strings.TrimSuffix(fastBase, `}`) + tail
		lines = append(lines, line, line, fastBase)
		short := `{"a":1` + tail
		lines = append(lines, short, short)
	}
	for cut := 1; cut < len(fastBase); cut++ {
		lines = append(lines, fastBase[:cut], fastBase)
	}
	for _, opts := range referenceOpts(t) {
		p := newTestParser(t, FormatJSON, opts)
		for range 2 {
			for _, line := range lines {
				checkJSONLine(t, p, opts, line)
				checkJSONLine(t, p, opts, line)
			}
		}
	}
}

// TestDurationAtMatchesNumberEndAndSeconds holds durationAt to what the
// path it stands in for gives: numberEnd's end, and seconds of the text.
func TestDurationAtMatchesNumberEndAndSeconds(t *testing.T) {
	nums := []string{"0", "1", "8.415", "0.102", "250", "999999", "1000000", "1e3", "1.5E-3", "-1", "-0.5", "00",
		"01", "0.", "1.", ".5", "123456789012345", "1234567890123456", "12345678901234.5", "1234567890123.45",
		"0.000000000000001", "0.0000000000000001", "000000000000001.5", "9007199254740993", "900719925474099.3",
		"18446744073709551616", "1.2.3", "", "x", "-", "0x10"}
	x := uint64(7)
	for range 20000 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		d := strconv.FormatUint(x%uint64(math.Pow10(int((x>>59)%18)+1)), 10)
		if p := int(x>>40) % (len(d) + 1); p > 0 && p < len(d) {
			d = d[:p] + "." + d[p:]
		}
		nums = append(nums, d)
	}
	for _, num := range nums {
		for _, tail := range []string{"", ",", "}", "e5", "E", ".", "x", " ", "5",
			`,"instance":"10.0.0.1:80"}`, `e3,"instance":"10.0.0.1:80"}`, `.,"instance":"10.0.0.1:80"}`,
			`.5e1,"instance":"1"}`, `E+2,"instance":"10.0.0.1:80"}`, `1234567890123456789`} {
			s := `:` + num + tail
			for u := unitAuto; u < unitText; u++ {
				got, gotEnd, ok := durationAt(s, 1, u)
				if !ok {
					continue
				}
				end, endOK := numberEnd(s, 1)
				want, wantOK := seconds(value{text: s[1:end]}, u)
				if !endOK || end != gotEnd || !wantOK || math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("durationAt(%q, 1, %d) = %v, %d; numberEnd %d, %v; seconds %v, %v", s, u, got, gotEnd, end, endOK, want, wantOK)
				}
			}
		}
	}
	for _, num := range []string{"8.415", "8", "0", "0.5", "123456789012345", "1.23456789012345"} {
		if _, _, ok := durationAt(num+",", 0, unitMS); !ok {
			t.Errorf("durationAt(%q) not taken", num+",")
		}
	}
}

// TestLeadingDigits compares leadingDigits with a byte loop, for every
// byte value at every position after digits, and eightDigits with
// strconv on the digits before it.
func TestLeadingDigits(t *testing.T) {
	for pos := range 8 {
		for c := range 256 {
			for _, fill := range []byte{'0', '5', '9'} {
				var w [8]byte
				for i := range w {
					w[i] = fill + byte(i)%3
				}
				w[pos] = byte(c)
				x := load64(string(w[:]), 0)
				want := 0
				for want < 8 && isDigit(w[want]) {
					want++
				}
				if got := leadingDigits(x); got != want {
					t.Fatalf("leadingDigits(%q) = %d, want %d", w[:], got, want)
				}
				if want == 0 {
					continue
				}
				n, _ := strconv.ParseUint(string(w[:want]), 10, 64)
				if got := eightDigits(x << (64 - 8*want)); got != n {
					t.Fatalf("eightDigits of %q = %d, want %d", w[:want], got, n)
				}
			}
		}
	}
}

// TestFractionLongTails is TestFractionMatchesReference with enough of a
// line after the fraction for it to be read a word at a time.
func TestFractionLongTails(t *testing.T) {
	for _, sep := range []string{".", ",", "x"} {
		for n := range 21 {
			for _, d := range []string{"0", "1", "9", "5", "8"} {
				digits := strings.Repeat(d, n)
				if n > 2 {
					digits = digits[:n-2] + "07"
				}
				for _, tail := range []string{`Z","level":"INFO"}`, `+02:00"}        `, "/\x00\xff:;        ", "a123456789"} {
					s := "12:00:00" + sep + digits + tail
					gotNS, gotI := fraction(s, 8)
					wantNS, wantI := refFraction(s, 8)
					if gotNS != wantNS || gotI != wantI {
						t.Fatalf("fraction(%q, 8) = %d, %d, reference %d, %d", s, gotNS, gotI, wantNS, wantI)
					}
				}
			}
		}
	}
}

// TestStatusAtAndMethodAt checks that statusAt and methodAt take the
// values they are for, and holds them to what they stand in for.
func TestStatusAtAndMethodAt(t *testing.T) {
	for _, s := range []string{`100,"x":1}`, `200,"x":1}`, `503}`, `599,`} {
		if n, ok := statusAt(s+"    ", 0); !ok || n != status(s[:3]) {
			t.Errorf("statusAt(%q) = %d, %v", s, n, ok)
		}
	}
	for _, m := range []string{"GET", "PUT", "POST", "HEAD", "PATCH", "DELETE", "OPTIONS"} {
		s := m + `","path":"/"}`
		if got, j, ok := methodAt(s, 0); !ok || got != m || j != len(m)+1 {
			t.Errorf("methodAt(%q) = %q, %d, %v", s, got, j, ok)
		}
	}
	for _, s := range []string{`099,`, `600,`, `20,"`, `200 ,"x"`, `200.5,"`, `2000,"`, `-200,"`, `200`, `20`,
		`GET"`, `GET "x":1}`, `get","x":1}`, `POSTS","x"}`, `OPTIONS","x"}`[:8], `CONNECT","x":1}`, `TRACE","x":1}`} {
		checkStatusAtAndMethodAt(t, s)
	}
}

// checkStatusAtAndMethodAt holds statusAt to numberEnd and status, and
// methodAt to plainEnd and method, on s.
func checkStatusAtAndMethodAt(t *testing.T, s string) {
	t.Helper()
	if n, ok := statusAt(s, 0); ok {
		end, endOK := numberEnd(s, 0)
		if !endOK || end != 3 || status(s[:end]) != n || s[3] != ',' && s[3] != '}' {
			t.Fatalf("statusAt(%q) = %d; numberEnd %d, %v", s, n, end, endOK)
		}
	}
	if m, j, ok := methodAt(s, 0); ok {
		end := plainEnd(s, 0)
		want, wantOK := method(s[:end])
		if end != j-1 || s[end] != '"' || !wantOK || want != m {
			t.Fatalf("methodAt(%q) = %q, %d; plainEnd %d, method %q, %v", s, m, j, end, want, wantOK)
		}
	}
}

// FuzzFastHelpers holds durationAt to numberEnd and seconds, fraction to
// refFraction, and statusAt and methodAt to what they stand in for, on
// any bytes.
func FuzzFastHelpers(f *testing.F) {
	for _, s := range []string{"8.415,", "0", "01", "1.5e3", "123456789012345.5", ".123456Z\"", ",12345678Z", "1.",
		`503,"duration_ms":1}`, `OPTIONS","path":"/"}`, `DELETE","x"`, `PATCH"}    `} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkStatusAtAndMethodAt(t, s)
		for u := unitAuto; u < unitText; u++ {
			if got, gotEnd, ok := durationAt(s, 0, u); ok {
				end, endOK := numberEnd(s, 0)
				want, wantOK := seconds(value{text: s[:end]}, u)
				if !endOK || end != gotEnd || !wantOK || math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("durationAt(%q, 0, %d) = %v, %d; numberEnd %d, %v; seconds %v, %v", s, u, got, gotEnd, end, endOK, want, wantOK)
				}
			}
		}
		gotNS, gotI := fraction(s, 0)
		wantNS, wantI := refFraction(s, 0)
		if gotNS != wantNS || gotI != wantI {
			t.Fatalf("fraction(%q, 0) = %d, %d, reference %d, %d", s, gotNS, gotI, wantNS, wantI)
		}
	})
}

// TestMemberKeysGoCold checks that lines of one shape keep a parser's
// member openings in use, and lines whose keys are all new make it parse
// key by key for a while (memberKeys.endLine).
func TestMemberKeysGoCold(t *testing.T) {
	p := newTestParser(t, FormatJSON, testOpts).(*jsonParser)
	p.tmpl.cold = math.MaxInt // every line to the walker, whose member keys are tested
	m := &p.b.keys.members
	for range 2 * coldAfter {
		if _, err := p.Parse(fastBase); err != nil {
			t.Fatal(err)
		}
	}
	if m.bad != 0 || m.cold != 0 {
		t.Fatalf("after lines of one shape: bad %d, cold %d, want 0, 0", m.bad, m.cold)
	}
	for n := range coldAfter {
		line := strings.NewReplacer("K", strconv.Itoa(n)).Replace(`{"aK":1,"bK":"x","cK":2}`)
		if _, err := p.Parse(line); err != nil {
			t.Fatal(err)
		}
	}
	if m.cold != coldLines {
		t.Fatalf("after %d lines of new keys: cold %d, want %d", coldAfter, m.cold, coldLines)
	}
}
