package sources_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fivexx/sources"
)

// lineCounts are the counters that tell what became of each line.
type lineCounts struct {
	Lines, Parsed, Unparsed, Startup, Blank, Continued, NULs int64
	BOM                                                      bool
}

func countsOf(c sources.Counters) lineCounts {
	return lineCounts{c.Lines, c.Parsed, c.Unparsed, c.Startup, c.Blank, c.Continued, c.NULs, c.BOM}
}

// blankLines counts the lines of text as the reader cuts them and the
// blank ones among them: a line ends at "\n" (a last one without it is a
// line too, unless it is NUL bytes alone), its leading NUL bytes dropped,
// and the first line's byte-order mark and the NULs after it.
func blankLines(text string) (lines, blank int64) {
	parts := strings.Split(text, "\n")
	if last := strings.TrimLeft(parts[len(parts)-1], "\x00"); last == "" {
		parts = parts[:len(parts)-1]
	}
	for i, l := range parts {
		l = strings.TrimLeft(l, "\x00")
		if i == 0 {
			l = strings.TrimLeft(strings.TrimPrefix(l, "\ufeff"), "\x00")
		}
		lines++
		if strings.TrimSpace(l) == "" {
			blank++
		}
	}
	return lines, blank
}

// Every line an input's reader counts is counted once more as parsed,
// unparsed, startup, blank or continued, so that lines is their sum, by
// every reader (plain, chunks parsed in parallel, gzip inflated in order
// or by sources/inflate), which all count alike. Blank lines and lines of
// NUL bytes alone were counted as lines and nowhere else: "lines" 340,
// "parsed" 330, "unparsed" 0 in --json. The inputs are real logs (an
// nginx access log; app logs with Go, Java and Python stack traces,
// whose lines continue the record before them) with blank, white-space,
// NUL and CRLF lines added and a byte-order mark in front, a log no format
// reads with blank lines among its lines, and blank lines alone.
func TestEveryLineIsCountedOnce(t *testing.T) {
	dir := t.TempDir()
	odd := func(sample string, every int) string {
		var b strings.Builder
		b.WriteString("\ufeff")
		for i, l := range strings.SplitAfter(sample, "\n") {
			b.WriteString(l)
			switch i % every {
			case 1:
				b.WriteString("\n")
			case 2:
				b.WriteString(" \t \r\n")
			case 3:
				b.WriteString("\x00\x00\x00\n")
			case 4:
				b.WriteString("\x00\x00 \r\n")
			}
		}
		return b.String()
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	gz := func(name, text string) string {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(text))
		zw.Close()
		return write(name, b.String())
	}
	type read struct {
		name    string
		path    string
		workers int
		inflate bool // the .gz by sources/inflate
	}
	type input struct {
		name          string
		text          string
		spec          sources.Spec
		wantContinued bool // it has stack traces
	}
	access := sampleLines(t, "../testdata/recordings/nginx-upstream/access.log")
	var big strings.Builder
	for big.Len() < 2<<20 { // some thirty chunks to parse in parallel
		big.WriteString(access)
	}
	cases := []input{
		{"nginx access log", odd(big.String(), 7) + "\x00\x00", sources.Spec{}, false},
		{"no format", strings.Repeat("no format reads this line\n\n \nnor this one\n", 300), sources.Spec{}, false},
		{"blank lines alone", "\ufeff\n \n\x00\x00\n\r\n", sources.Spec{}, false},
		{"a byte-order mark and NULs", "\ufeff\x00\x00\x00\x00", sources.Spec{}, false},
	}
	for _, name := range []string{"json.log", "text.log", "logfmt.log"} {
		text := odd(sampleLines(t, filepath.Join("applog/testdata", name)), 5)
		cases = append(cases, input{"app " + name, text, sources.Spec{Role: sources.RoleApp}, name != "logfmt.log"})
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			name := strings.Repeat("x", i)
			reads := []read{
				{"plain", write(name+".log", tc.text), 1, false},
				{"plain, in parallel", write(name+".log", tc.text), 3, false},
				{"gzip", gz(name+".log.gz", tc.text), 1, false},
				{"gzip, in parallel", gz(name+".log.gz", tc.text), 3, false},
				{"gzip by inflate, in parallel", gz(name+".log.gz", tc.text), 3, true},
			}
			lines, blank := blankLines(tc.text)
			var first lineCounts
			for k, r := range reads {
				restore := func() {}
				if r.inflate {
					restore = sources.SetParallelGzipMin(0)
				}
				spec := tc.spec
				spec.Path = r.path
				_, in, _ := readInput(t, sources.NewInput(0, spec), r.workers, true)
				restore()
				c := countsOf(in.Counters())
				if sum := c.Parsed + c.Unparsed + c.Startup + c.Blank + c.Continued; sum != c.Lines {
					t.Errorf("%s: lines %d, but parsed + unparsed + startup + blank + continued = %d: %+v", r.name, c.Lines, sum, c)
				}
				if c.Lines != lines || c.Blank != blank {
					t.Errorf("%s: %d lines, %d blank; want %d and %d", r.name, c.Lines, c.Blank, lines, blank)
				}
				if tc.wantContinued != (c.Continued > 0) {
					t.Errorf("%s: %d lines continued, want some: %v", r.name, c.Continued, tc.wantContinued)
				}
				if !c.BOM && strings.HasPrefix(tc.text, "\ufeff") {
					t.Errorf("%s: the byte-order mark is not noted", r.name)
				}
				if k == 0 {
					first = c
				} else if c != first {
					t.Errorf("%s counts %+v, the plain read %+v", r.name, c, first)
				}
			}
		})
	}
}
