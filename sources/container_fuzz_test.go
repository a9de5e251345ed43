package sources

import (
	"strings"
	"testing"
)

// FuzzUnwrapParser: the container-wrapper parser never panics, returns no
// record with an error, and parses what is inside a full line: its
// record's Raw is the inner line (CRI "F" with nothing pending), or the
// line itself when it carries no wrapper.
func FuzzUnwrapParser(f *testing.F) {
	for _, s := range []string{
		"2024-01-02T03:04:05.123456789Z stdout F T1 GET /a",
		"2024-01-02T03:04:05.123456789Z stderr P T2 GE",
		"2024-01-02T03:04:05.123456789Z stdout F",
		"2024-01-02T03:04:05Z stdout F:x T3 GET /c",
		`{"log":"T4 GET /d\n","stream":"stdout","time":"2024-01-02T03:04:05.1Z"}`,
		`{"log":"T5 GE","stream":"stderr","time":"2024-01-02T03:04:05.1Z"}`,
		`{"log":null,"stream":"stdout","time":"x"}`,
		"T6 GET /plain",
		"2024-01-02T03:04:05.123456789Z stdin F T7",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		for _, k := range []wrapperKind{wrapCRI, wrapDocker} {
			u := &unwrapParser{kind: k, p: testParser{RoleProxy}}
			rec, err := u.Parse(line)
			if err != nil && rec != nil {
				t.Fatalf("%s: error %v with a record", k, err)
			}
			kind, inner, partial := unwrapLine(line)
			switch {
			case rec == nil:
			case kind == wrapNone:
				if rec.RawLine() != line {
					t.Fatalf("%s: Raw %q of an unwrapped line %q", k, rec.RawLine(), line)
				}
			case kind == k && !partial && k == wrapCRI:
				if rec.RawLine() != inner || !strings.HasSuffix(line, inner) {
					t.Fatalf("cri: Raw %q, inner %q of %q", rec.RawLine(), inner, line)
				}
			}
		}
	})
}
