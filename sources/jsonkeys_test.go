package sources_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"unicode"

	"fivexx/sources"
	"fivexx/sources/parsertest"
)

func TestMayHoldJSONKey(t *testing.T) {
	for _, tt := range []struct {
		line, key string
		want      bool
	}{
		{`{"time":"2026-01-02T03:00:00Z","level":"INFO","msg":"ok"}`, "ts", false},
		{`{"ts":1.5,"level":"info","msg":"ok"}`, "ts", true},
		{`{"TS":1.5}`, "ts", true},               // encoding/json ignores case
		{`{"Ts" : 1.5}`, "ts", true},             // space before the colon
		{`{"t\u0073":1.5}`, "ts", true},          // an escape
		{"{\"t\u017f\":1.5}", "ts", true},        // ſ folds to s
		{"{\"\u212aey\":1}", "key", true},        // the Kelvin sign folds to k
		{`{"msg":"ts"}`, "ts", true},             // a value may be a key's text: may
		{`{"request":{"ts":1}}`, "ts", true},     // nested: may
		{`{"tss":1,"xts":2,"t":3}`, "ts", false}, // other keys around it
		{`{"response_code_details":"x"}`, "response_code", false},
		{`{"a":"b"`, "b", true}, // a quote at the end
		{`{"a":"b`, "b", false},
		{``, "ts", false},
	} {
		if got := sources.MayHoldJSONKey(tt.line, tt.key); got != tt.want {
			t.Errorf("MayHoldJSONKey(%s, %q) = %v, want %v", tt.line, tt.key, got, tt.want)
		}
	}
}

// TestOnlyTwoRunesFoldToASCIILetters checks what MayHoldJSONKey assumes
// of the runes encoding/json folds when it matches keys (bytes.EqualFold):
// of the non-ASCII runes only ſ and the Kelvin sign fold to ASCII.
func TestOnlyTwoRunesFoldToASCIILetters(t *testing.T) {
	var found []rune
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < 0x80 {
				found = append(found, r)
				break
			}
		}
	}
	if want := []rune{'\u017f', '\u212a'}; !reflect.DeepEqual(found, want) {
		t.Errorf("non-ASCII runes that fold to ASCII: %q, want %q", found, want)
	}
}

// FuzzMayHoldJSONKey checks MayHoldJSONKey against encoding/json itself:
// when decoding a line sets a field tagged key, the line may hold it.
func FuzzMayHoldJSONKey(f *testing.F) {
	for i, line := range parsertest.TestdataLines(f, "..") {
		// One line in 20: the rest are alike, and every seed is decoded
		// 9 times in each plain go test run.
		if i%20 == 0 && len(line) > 0 && line[0] == '{' {
			f.Add(line)
			for _, v := range parsertest.JSONKeyVariants(line) {
				f.Add(v)
			}
		}
	}
	keys := []string{"ts", "level", "msg", "start_time", "response_code", "DownstreamStatus", "RayID", "EdgeResponseStatus", "error"}
	types := make([]reflect.Type, len(keys))
	for i, k := range keys {
		types[i] = reflect.StructOf([]reflect.StructField{{
			Name: "F", Type: reflect.TypeFor[json.RawMessage](), Tag: reflect.StructTag(`json:"` + k + `"`),
		}})
	}
	f.Fuzz(func(t *testing.T, line string) {
		for i, k := range keys {
			v := reflect.New(types[i])
			if json.Unmarshal([]byte(line), v.Interface()) != nil || v.Elem().Field(0).Len() == 0 {
				continue
			}
			if !sources.MayHoldJSONKey(line, k) {
				t.Errorf("decoding set %q, MayHoldJSONKey says no: %s", k, line)
			}
		}
	})
}

// ownJSONScore is what ownJSON says as one number, for DetectAgrees.
func ownJSONScore(own func(string) (sources.ProxyFamilyForTest, bool)) func(string) int {
	return func(line string) int {
		fam, mark := own(line)
		n := 2 * int(fam)
		if mark {
			n++
		}
		return n
	}
}

// TestOwnJSONAgreesWithDecoding checks that ownJSON, which says no to a
// line with no lower-case level without decoding it, says what decoding
// every line says on every testdata line and its variants.
func TestOwnJSONAgreesWithDecoding(t *testing.T) {
	parsertest.DetectAgrees(t, "..", ownJSONScore(sources.OwnJSON), ownJSONScore(sources.OwnJSONDecoding))
}

// TestOwnJSONSaysNoToAppLinesWithoutDecoding checks that an app's JSON
// line (slog's upper-case levels) is no proxy's own without a decode:
// detection asks it of every app JSON line.
func TestOwnJSONSaysNoToAppLinesWithoutDecoding(t *testing.T) {
	line := `{"time":"2026-01-02T03:00:00.011964Z","level":"INFO","msg":"request finished","request_id":"aaed0144081729c9b7172e87e44bc00a","status":200}`
	if fam, _ := sources.OwnJSON(line); fam != 0 {
		t.Fatalf("family %d", fam)
	}
	if allocs := testing.AllocsPerRun(10, func() { sources.OwnJSON(line) }); allocs != 0 {
		t.Errorf("%v allocations: decoded", allocs)
	}
}

// TestOwnJSONReadsEveryLowerLevel checks ownJSON's check for a quoted
// lower-case level with each level zap, logrus and zerolog write.
func TestOwnJSONReadsEveryLowerLevel(t *testing.T) {
	for level := range sources.LowerLevels {
		for _, line := range []string{
			`{"level":"` + level + `","ts":1700000000.5,"logger":"admin","msg":"admin endpoint started"}`,
			`{"time":"2024-01-02T03:04:05Z","msg":"x","level":"` + level + `"}`,
		} {
			fam, mark := sources.OwnJSON(line)
			if fam == 0 {
				t.Errorf("no proxy's own line: %s", line)
			}
			if wantFam, wantMark := sources.OwnJSONDecoding(line); fam != wantFam || mark != wantMark {
				t.Errorf("%d %v, by decoding %d %v: %s", fam, mark, wantFam, wantMark, line)
			}
		}
	}
}

func TestJSONKeysIn(t *testing.T) {
	keys := sources.JSONKeys{"level", "time", "error", "ts"}
	for _, tt := range []struct {
		line string
		want []string // the keys held
	}{
		{`{"time":"2026-01-02T03:00:00Z","level":"ERROR","msg":"x"}`, []string{"level", "time", "error"}}, // "ERROR" may be a key's
		{`{"Time":"2026-01-02T03:00:00Z","LEVEL":"info"}`, []string{"level", "time"}},
		{`{"time":"a\"b"}`, []string{"level", "time", "error", "ts"}}, // an escape: any key
		{`{"msg":"ok"}`, nil},
	} {
		held := keys.In(tt.line)
		for _, k := range keys {
			if got, want := held.Has(k), slices.Contains(tt.want, k); got != want {
				t.Errorf("%s: Has(%q) = %v, want %v", tt.line, k, got, want)
			}
		}
	}
}
