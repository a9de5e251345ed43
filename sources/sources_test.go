package sources

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// testFormat is a tiny format for these tests: "T<unix seconds> <text>".
type testParser struct{ role Role }

func (p testParser) Parse(line string) (Record, error) {
	if !strings.HasPrefix(line, "T") {
		return nil, ErrNoMatch
	}
	sec, rest, _ := strings.Cut(line[1:], " ")
	n, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return nil, ErrNoMatch
	}
	t := time.Unix(n, 0).UTC()
	if p.role == RoleApp {
		return &AppEntry{Time: t, Message: rest, Raw: line}, nil
	}
	return &ProxyEntry{Time: t, Path: rest, Raw: line}, nil
}

func init() {
	Register(Format{Name: "test-proxy", Role: RoleProxy, Priority: 1,
		Detect: func(l string) int {
			if strings.HasPrefix(l, "T") && strings.Contains(l, " GET") {
				return 90
			}
			return 0
		},
		New: func(ParserOptions) (Parser, error) { return testParser{RoleProxy}, nil }})
	Register(Format{Name: "test-app", Role: RoleApp,
		Detect: func(l string) int {
			if strings.HasPrefix(l, "T") {
				return 50
			}
			return 0
		},
		New: func(ParserOptions) (Parser, error) { return testParser{RoleApp}, nil }})
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func readAllItems(t *testing.T, in *Input) []Item {
	t.Helper()
	ch := make(chan Item, 1<<16)
	if err := ReadToEnd(context.Background(), in, ch); err != nil {
		t.Fatal(err)
	}
	close(ch)
	var out []Item
	for it := range ch {
		out = append(out, it)
	}
	return out
}

func TestDetectPicksFormatAndRole(t *testing.T) {
	p := writeFile(t, "a.log", "T1 GET /a\nT2 GET /b\n")
	in := NewInput(0, Spec{Path: p})
	items := readAllItems(t, in)
	if len(items) != 2 || in.Format().Name != "test-proxy" || in.Role() != RoleProxy {
		t.Fatalf("got %d items, format %q role %s", len(items), in.Format().Name, in.Role())
	}
	// A forced role limits detection to that role's formats.
	in = NewInput(0, Spec{Path: p, Role: RoleApp})
	readAllItems(t, in)
	if in.Format().Name != "test-app" {
		t.Fatalf("forced app role detected %q", in.Format().Name)
	}
}

func TestUnknownFormatCountsEveryLine(t *testing.T) {
	p := writeFile(t, "junk.log", "hello\nworld\n")
	in := NewInput(0, Spec{Path: p})
	items := readAllItems(t, in)
	c := in.Counters()
	if len(items) != 0 || c.Lines != 2 || c.Unparsed != 2 || len(c.Samples) != 2 {
		t.Fatalf("items %d, counters %+v", len(items), c)
	}
	if !strings.Contains(in.State(), "format not recognised") {
		t.Fatalf("state %q does not say the format is unknown", in.State())
	}
}

func TestUnparsedLinesAreCountedAndSampled(t *testing.T) {
	p := writeFile(t, "mixed.log", "T1 GET /a\ngarbage\x00\xff\nT2 GET /b\n")
	in := NewInput(0, Spec{Path: p, Format: "test-proxy"})
	items := readAllItems(t, in)
	c := in.Counters()
	if len(items) != 2 || c.Unparsed != 1 || c.Samples[0] != "garbage\x00\xff" {
		t.Fatalf("items %d, counters %+v", len(items), c)
	}
}

func TestLongLinesAreCutNotFatal(t *testing.T) {
	long := "T5 GET /" + strings.Repeat("x", MaxLineBytes+1000)
	p := writeFile(t, "long.log", "T1 GET /a\n"+long+"\nT9 GET /z")
	in := NewInput(0, Spec{Path: p, Format: "test-proxy"})
	items := readAllItems(t, in)
	if len(items) != 3 {
		t.Fatalf("got %d items, want 3 (the long line cut, the last line without newline kept)", len(items))
	}
	if got := len(items[1].Rec.RawLine()); got != MaxLineBytes {
		t.Fatalf("long line kept %d bytes, want %d", got, MaxLineBytes)
	}
	if in.Counters().TooLong != 1 {
		t.Fatalf("too-long lines counted %d, want 1", in.Counters().TooLong)
	}
	if items[2].Rec.RawLine() != "T9 GET /z" {
		t.Fatalf("last line %q", items[2].Rec.RawLine())
	}
}

func TestGzipDetectedByContent(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("T1 GET /a\nT2 GET /b\nT3 GET /c\n"))
	zw.Close()
	p := writeFile(t, "rotated.log.1", buf.String()) // no .gz suffix on purpose
	in := NewInput(0, Spec{Path: p})
	items := readAllItems(t, in)
	if len(items) != 3 || items[2].Rec.(*ProxyEntry).Path != "GET /c" {
		t.Fatalf("gzip input gave %d items", len(items))
	}
	if c := in.Counters(); c.Bytes != int64(buf.Len()) || c.Size != int64(buf.Len()) {
		t.Fatalf("progress bytes %d of %d, want the compressed size %d", c.Bytes, c.Size, buf.Len())
	}
}

func TestMissingFileIsNamed(t *testing.T) {
	err := CheckReadable(Spec{Path: "/nonexistent/access.log"})
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/access.log") || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("error %v does not name the path", err)
	}
}

func TestMergeOrdersAcrossInputs(t *testing.T) {
	a := writeFile(t, "a.log", "T1 GET /1\nT4 GET /4\nT6 GET /6\n")
	b := writeFile(t, "b.log", "T2 x\nT3 y\nT5 z\nT7 w\n")
	ins := []*Input{NewInput(0, Spec{Path: a, Format: "test-proxy"}), NewInput(1, Spec{Path: b, Format: "test-app"})}
	out := make(chan Item, 16)
	errs := Merge(context.Background(), ins, out)
	var secs []int64
	for it := range out {
		secs = append(secs, it.Rec.RecordTime().Unix())
	}
	for _, e := range errs {
		if e != nil {
			t.Fatal(e)
		}
	}
	want := []int64{1, 2, 3, 4, 5, 6, 7}
	if len(secs) != len(want) {
		t.Fatalf("merged %v", secs)
	}
	for i := range want {
		if secs[i] != want[i] {
			t.Fatalf("merged order %v, want %v", secs, want)
		}
	}
}

func TestCommandInputReportsExit(t *testing.T) {
	in := NewInput(0, Spec{Path: "printf 'T1 GET /a\\nT2 GET /b\\n'; echo boom >&2; exit 3", Command: true, Format: "test-proxy"})
	ch := make(chan Item, 8)
	err := ReadToEnd(context.Background(), in, ch)
	close(ch)
	if len(ch) != 2 {
		t.Fatalf("got %d items from the command", len(ch))
	}
	// Worded as a clean exit is ("exited: status 0"), not Go's "exit
	// status 3" (live QA s28 #3).
	if err == nil || in.State() != "exited: status 3: boom" {
		t.Fatalf("err %v, state %q: want exit status and stderr tail", err, in.State())
	}
}

func TestFollowReadsAppendedLinesOnly(t *testing.T) {
	p := writeFile(t, "live.log", "T1 GET /old\n")
	in := NewInput(0, Spec{Path: p, Format: "test-proxy"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := make(chan Item, 16)
	done := make(chan struct{})
	go func() { Follow(ctx, in, ch, FollowOptions{}, false); close(done) }()
	waitFor(t, func() bool { return in.State() == "following" })
	f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("T2 GET /new\nT3 GET /par")
	f.Sync()
	select {
	case it := <-ch:
		if it.Rec.(*ProxyEntry).Path != "GET /new" {
			t.Fatalf("first followed line %q, want the appended one", it.Rec.RawLine())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("appended line not read")
	}
	// The partial line waits for its newline.
	select {
	case it := <-ch:
		t.Fatalf("partial line delivered early: %q", it.Rec.RawLine())
	case <-time.After(300 * time.Millisecond):
	}
	f.WriteString("tial\n")
	f.Close()
	select {
	case it := <-ch:
		if it.Rec.(*ProxyEntry).Path != "GET /partial" {
			t.Fatalf("completed line %q", it.Rec.RawLine())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("completed line not read")
	}
	cancel()
	<-done
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A decoder's lines are the same however its reads cut the stream
// (lineSplitter.feedDecoder hands whole lines to the decoder itself, and
// the rest to feed): "\r\n" endings, a line over MaxLineBytes cut once,
// a last line without its newline, reads of one byte, of half of what
// is asked, or of everything.
func TestDecoderLinesWhateverTheReads(t *testing.T) {
	long := "T5 GET /" + strings.Repeat("x", MaxLineBytes+1000)
	text := "T1 GET /a\r\nT2 GET /b\n" + long + "\r\nT3 GET /c\r\n\r\nT4 GET /d\nT9 GET /z"
	want := []string{"T1 GET /a", "T2 GET /b", long[:MaxLineBytes], "T3 GET /c", "T4 GET /d", "T9 GET /z"}
	for name, r := range map[string]func() io.Reader{
		"whole":    func() io.Reader { return strings.NewReader(text) },
		"one byte": func() io.Reader { return iotest.OneByteReader(strings.NewReader(text)) },
		"halves":   func() io.Reader { return iotest.HalfReader(strings.NewReader(text)) },
	} {
		in := NewInput(0, Spec{Path: "-", Format: "test-proxy"})
		ch := make(chan Item, 64)
		if err := readStdin(context.Background(), in, newDecoder(in, ch), r()); err != nil {
			t.Fatal(err)
		}
		close(ch)
		var got []string
		for it := range ch {
			got = append(got, it.Rec.RawLine())
		}
		if !slices.Equal(got, want) || in.Counters().TooLong != 1 {
			t.Fatalf("%s: %d lines (%d too long), want %d (1)", name, len(got), in.Counters().TooLong, len(want))
		}
	}
}

// TestCheckReadableLetsReadableInputsBe: the check's first read and the
// device's open pass an empty file and /dev/null (the failures are
// cmd/fivexx's TestUnreadableAtStartIsExit2).
func TestCheckReadableLetsReadableInputsBe(t *testing.T) {
	for _, p := range []string{writeFile(t, "empty.log", ""), writeFile(t, "one.log", "T1 GET /a\n"), os.DevNull} {
		if err := CheckReadable(Spec{Path: p}); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}
