package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"fivexx/classify"
	"fivexx/sources"
)

// nottext.go says why no format fits an input whose bytes are not UTF-8
// text: UTF-16 (a log exported on Windows, PowerShell's > redirect) or
// binary (a compressed file of a kind fivexx does not inflate, a core
// dump). The advice said "format not recognised: force one with --format
// NAME", and no format reads either. The rules are:
//   - Only an input no format fitted, with no line parsed and a line of
//     text.
//   - UTF-16 is a byte-order mark (FF FE, FE FF), or NULs in at least a
//     third of the first bytes, nearly all at odd offsets (little-endian)
//     or at even ones (big-endian).
//   - Binary is a NUL, or more than a tenth of control bytes other than
//     tab, newline, carriage return and escape, or invalid UTF-8 in more
//     than a tenth of the bytes; zstd, bzip2 and xz are named by their
//     magic bytes.

// rawHeadBytes is how much of an input's head is looked at.
const rawHeadBytes = 4 << 10

// notTextAdvice gives each input of sts no format fitted, whose head is
// not text, a problem that says what it is, and an advice how to read it.
func (b *inputBytes) notTextAdvice(sts []classify.InputStatus) []classify.Advice {
	var advice []classify.Advice
	for i, in := range b.ins {
		if i >= len(sts) {
			break
		}
		st := &sts[i]
		if st.Parsed > 0 || st.Lines == st.Blank || st.Format != "" {
			// Lines == Blank: no line of text (none, or blank ones after
			// NULs or a byte-order mark were dropped), which the input's
			// problem tells (report.problem); its head's NULs read as
			// binary.
			continue
		}
		what, fix := b.notText(i, st.Samples)
		if what == "" {
			continue
		}
		st.State = what + ": no log format reads it"
		advice = append(advice, classify.Advice{Problem: in.Spec.Label() + " is " + what + ": no log format reads it", Fix: fix})
	}
	return advice
}

// rawHead is the first rawHeadBytes of a regular file, inflated when it is
// gzip; nil for what cannot be peeked.
func rawHead(spec sources.Spec) []byte {
	if !peekable(spec) {
		return nil
	}
	f, err := os.Open(spec.Path)
	if err != nil {
		return nil
	}
	defer f.Close()
	buf := make([]byte, rawHeadBytes)
	n, _ := io.ReadFull(f, buf)
	buf = buf[:n]
	if n >= 2 && buf[0] == 0x1f && buf[1] == 0x8b {
		zr, err := gzip.NewReader(io.MultiReader(bytes.NewReader(buf), f))
		if err != nil {
			return buf
		}
		out := make([]byte, rawHeadBytes)
		m, _ := io.ReadFull(zr, out)
		return out[:m]
	}
	return buf
}

// notText says what head is when it is not UTF-8 text ("" when it is),
// and how to read it, for the input named path (a shell word).
func notText(head []byte, path string) (what, fix string) {
	if len(head) == 0 {
		return "", ""
	}
	iconv := func(from string) string {
		return fmt.Sprintf("convert it to UTF-8 and read that: iconv -f %s -t UTF-8 %s | fivexx report - (with the other inputs after -)", from, path)
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}):
		return "UTF-16 text (little-endian, byte-order mark FF FE)", iconv("UTF-16")
	case bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return "UTF-16 text (big-endian, byte-order mark FE FF)", iconv("UTF-16")
	}
	var nulEven, nulOdd, control, invalid int
	for i, c := range head {
		switch {
		case c == 0 && i%2 == 0:
			nulEven++
		case c == 0:
			nulOdd++
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != 0x1b, c == 0x7f:
			control++
		}
	}
	for b := head; len(b) > 0; {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 && (len(b) >= utf8.UTFMax || utf8.FullRune(b)) {
			invalid++
		}
		b = b[size:]
	}
	n := len(head)
	nul := nulEven + nulOdd
	switch {
	case 3*nul >= n && nulOdd >= 9*nul/10:
		return "UTF-16 text (little-endian, no byte-order mark)", iconv("UTF-16LE")
	case 3*nul >= n && nulEven >= 9*nul/10:
		return "UTF-16 text (big-endian, no byte-order mark)", iconv("UTF-16BE")
	}
	for _, m := range []struct {
		magic      []byte
		name, tool string
	}{
		{[]byte{0x28, 0xb5, 0x2f, 0xfd}, "zstd", "zstd -dc"},
		{[]byte("BZh"), "bzip2", "bzip2 -dc"},
		{[]byte{0xfd, '7', 'z', 'X', 'Z', 0}, "xz", "xz -dc"},
	} {
		if bytes.HasPrefix(head, m.magic) {
			return "compressed with " + m.name + ", not text", fmt.Sprintf("decompress it and read that: %s %s | fivexx report - (fivexx inflates gzip only)", m.tool, path)
		}
	}
	if nul > 0 || 10*control > n || 10*invalid > n {
		return "not text (binary: NUL or control bytes, or invalid UTF-8, in its first bytes)",
			"give the log file itself; if it is compressed in a format other than gzip, decompress it first and read that through -"
	}
	return "", ""
}

// shellWord writes path as one shell word for a command the advice
// gives: as it is when it holds only characters no shell reads, else in
// single quotes.
func shellWord(path string) string {
	for _, c := range path {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("_./-+:=,@%", c)) {
			return "'" + strings.ReplaceAll(path, "'", `'\''`) + "'"
		}
	}
	return path
}
