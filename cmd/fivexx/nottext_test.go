package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"
)

// TestNotTextSaysWhatItIs is the QA case of a UTF-16 log (iconv -t
// UTF-16 of the lab's nginx recording) and of binary input: the problem
// said "format not recognised: force one with --format NAME", which no
// format could answer. Now it says what the bytes are and how to read
// them.
func TestNotTextSaysWhatItIs(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", "nginx-upstream", "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	units := utf16.Encode([]rune(string(text)))
	le, be := new(bytes.Buffer), new(bytes.Buffer)
	le.Write([]byte{0xff, 0xfe})
	binary.Write(le, binary.LittleEndian, units)
	binary.Write(be, binary.BigEndian, units) // no byte-order mark
	exe, err := os.ReadFile(os.Args[0])       // this test binary: ELF, NULs
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name, problem, fix string
		data               []byte
	}{
		{"utf16 le.log", "UTF-16 text (little-endian, byte-order mark FF FE): no log format reads it",
			"convert it to UTF-8 and read that: iconv -f UTF-16 -t UTF-8 '" + filepath.Join(dir, "utf16 le.log") + "' | fivexx report - (with the other inputs after -)", le.Bytes()},
		{"be.log", "UTF-16 text (big-endian, no byte-order mark): no log format reads it",
			"convert it to UTF-8 and read that: iconv -f UTF-16BE -t UTF-8 " + filepath.Join(dir, "be.log") + " | fivexx report - (with the other inputs after -)", be.Bytes()},
		{"core", "not text (binary: NUL or control bytes, or invalid UTF-8, in its first bytes): no log format reads it",
			"give the log file itself; if it is compressed in a format other than gzip, decompress it first and read that through -", exe[:64<<10]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name)
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			m := reportJSON(t, path)
			if p := m["inputs"].([]any)[0].(map[string]any)["problem"]; p != tc.problem {
				t.Errorf("problem %q, want %q", p, tc.problem)
			}
			advice := m["advice"].([]any)
			if len(advice) == 0 || advice[0].(map[string]any)["fix"] != tc.fix {
				t.Errorf("advice %v, want first the fix %q", advice, tc.fix)
			}
		})
	}
	// Text no format fits keeps its problem.
	path := filepath.Join(dir, "notes.txt")
	writeLines(t, path, "Einkaufsliste: Äpfel, Birnen, Brot", "à faire : réparer le vélo", "買い物: 牛乳")
	m := reportJSON(t, path)
	if p := m["inputs"].([]any)[0].(map[string]any)["problem"]; p != "format not recognised: force one with --format NAME" {
		t.Errorf("UTF-8 text: problem %q", p)
	}
}

func TestNotTextMagic(t *testing.T) {
	what, fix := notText(append([]byte{0x28, 0xb5, 0x2f, 0xfd}, bytes.Repeat([]byte{0x11, 0x80}, 100)...), "access.log.zst")
	if what != "compressed with zstd, not text" || fix != "decompress it and read that: zstd -dc access.log.zst | fivexx report - (fivexx inflates gzip only)" {
		t.Errorf("zstd: %q, %q", what, fix)
	}
}
