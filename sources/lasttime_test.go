package sources

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// LastTime reads the time of a file's last line that has one from its
// end (a replay's --from alone ends there), past blank lines, CRLF
// endings, a last line without a newline and lines that do not parse,
// with the merge's shift; it cannot tell for gzip data, standard input, a
// command, or a format not known yet.
func TestLastTimeReadsTheFilesEnd(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	long := strings.Repeat("T5 GET /pad\n", lastTimeBytes/12+10) // more than is read
	for _, tc := range []struct {
		name, text string
		want       int64 // unix seconds; 0: not known
	}{
		{"newline at the end", "T1 GET /a\nT2 GET /b\nT3 GET /c\n", 3},
		{"no newline at the end", "T1 GET /a\nT2 GET /b\nT3 GET /c", 3},
		{"CRLF, blank and unparsed lines last", "T1 GET /a\r\nT7 GET /b\r\ngarbage\r\n\r\n\n", 7},
		{"one line", "T9 GET /a", 9},
		{"more than is read, a time in the last line", long + "T8 GET /z\n", 8},
		{"more than is read, no time in what is read", "T1 GET /a\n" + strings.Repeat("garbage line\n", lastTimeBytes/13+10), 0},
		{"no line with a time", "garbage\n\n", 0},
		{"empty", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := NewInput(0, Spec{Path: write(strings.ReplaceAll(tc.name, " ", "-"), tc.text), Format: "test-proxy"})
			got, ok := LastTime(in)
			if ok != (tc.want != 0) || (ok && got.Unix() != tc.want) {
				t.Errorf("LastTime = %v, %v; want %d", got, ok, tc.want)
			}
		})
	}

	app := NewInput(0, Spec{Path: write("app", "T100 GET /a\n"), Format: "test-proxy"})
	app.SetMergeShift(30 * time.Second)
	if got, ok := LastTime(app); !ok || got.Unix() != 70 {
		t.Errorf("with a merge shift of 30 s: %v, %v; want 70", got, ok)
	}

	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write([]byte("T1 GET /a\n"))
	w.Close()
	for name, in := range map[string]*Input{
		"gzip":           NewInput(0, Spec{Path: write("gz", z.String()), Format: "test-proxy"}),
		"stdin":          NewInput(0, Spec{Path: "-", Format: "test-proxy"}),
		"command":        NewInput(0, Spec{Path: "echo T1 GET /a", Command: true, Format: "test-proxy"}),
		"format unknown": NewInput(0, Spec{Path: write("unknown", "T1 GET /a\n")}),
	} {
		if got, ok := LastTime(in); ok {
			t.Errorf("%s: %v, known; want not known", name, got)
		}
	}
}
