package sources

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

func gzipped(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

// A .gz file is read as gzip -d reads it: every member in turn, zero
// padding after the last taken as the end, anything else after it an error.
func TestGzipMembersAndPadding(t *testing.T) {
	one, two := "T1 GET /a\nT2 GET /b\n", "T3 GET /c\n"
	cat := func(parts ...[]byte) string { return string(bytes.Join(parts, nil)) }
	zeros := make([]byte, 10240) // tar pads to 10 KiB records
	for _, tc := range []struct {
		name    string
		file    string
		lines   int
		errText string
	}{
		{"one member", cat(gzipped(one)), 2, ""},
		{"two members (cat a.gz b.gz)", cat(gzipped(one), gzipped(two)), 3, ""},
		{"zero padding", cat(gzipped(one), zeros), 2, ""},
		{"two members then padding", cat(gzipped(one), gzipped(two), zeros), 3, ""},
		{"garbage after the padding", cat(gzipped(one), zeros, []byte("junk")), 2, "after the zero padding"},
		{"garbage after a member", cat(gzipped(one), []byte("junk")), 2, "x.log.gz"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := NewInput(0, Spec{Path: writeFile(t, "x.log.gz", tc.file), Format: "test-proxy"})
			out := make(chan Item, 16)
			err := ReadToEnd(t.Context(), in, out)
			close(out)
			n := 0
			for range out {
				n++
			}
			if n != tc.lines {
				t.Errorf("read %d lines, want %d", n, tc.lines)
			}
			if tc.errText == "" && err != nil || tc.errText != "" && (err == nil || !strings.Contains(err.Error(), tc.errText)) {
				t.Errorf("error %v, want %q", err, tc.errText)
			}
		})
	}
}
