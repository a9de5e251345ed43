package sources_test

import (
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
	_ "fivexx/sources/parsers"
)

var rereadStart = time.Date(2024, 1, 2, 3, 4, 0, 0, time.UTC)

// rereadLine is an nginx combined line of request i, at the given time.
func rereadLine(i int, at time.Time) string {
	return fmt.Sprintf(`10.0.0.1 - - [%s] "GET /r/%d HTTP/1.1" 200 12 "-" "curl/8"`, at.Format("02/Jan/2006:15:04:05 -0700"), i)
}

// writeLog writes lines to a file of dir and returns an input of it.
func writeLog(t *testing.T, name, text string) *sources.Input {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return sources.NewInput(0, sources.Spec{Path: path, Format: "nginx-combined", Opts: sources.ParserOptions{Location: time.UTC}})
}

// requests are the /r/N numbers of recs.
func requests(recs []sources.Record) []int {
	var out []int
	for _, r := range recs {
		var n int
		fmt.Sscanf(r.(*sources.ProxyEntry).Path, "/r/%d", &n)
		out = append(out, n)
	}
	return out
}

func span(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

func TestRereaderAround(t *testing.T) {
	// 3,000 requests, one a second: more than ten marks' strides.
	var b strings.Builder
	for i := range 3000 {
		b.WriteString(rereadLine(i, rereadStart.Add(time.Duration(i)*time.Second)) + "\n")
	}
	// The same with CRLF line ends, a line without a time (a line no
	// format parses) every 7th line, and no newline at the end.
	var crlf strings.Builder
	for i := range 3000 {
		if i%7 == 3 {
			crlf.WriteString("garbage that parses as nothing\r\n")
		}
		crlf.WriteString(rereadLine(i, rereadStart.Add(time.Duration(i)*time.Second)))
		if i < 2999 {
			crlf.WriteString("\r\n")
		}
	}
	at := func(i int) time.Time { return rereadStart.Add(time.Duration(i) * time.Second) }
	for _, c := range []struct {
		name string
		text string
		at   time.Time
		n    int
		want []int
	}{
		{"middle", b.String(), at(1500), 5, span(1495, 1504)},
		{"just after a mark", b.String(), at(257), 60, span(197, 316)},
		{"first line", b.String(), at(0), 3, span(0, 2)},
		{"before the first line", b.String(), at(-100), 3, span(0, 2)},
		{"between two lines", b.String(), at(10).Add(time.Millisecond), 2, span(9, 12)},
		{"last line", b.String(), at(2999), 3, span(2996, 2999)},
		{"after the last line", b.String(), at(5000), 3, span(2997, 2999)},
		{"crlf, unparsed lines, no last newline", crlf.String(), at(2000), 4, span(1996, 2003)},
		{"crlf, at the end", crlf.String(), at(2999), 2, span(2997, 2999)},
		{"empty file", "", at(0), 3, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := writeLog(t, "access.log", c.text)
			r := sources.NewRereader(in)
			if r == nil {
				t.Fatal("a plain file: no Rereader")
			}
			recs, err := r.Around(c.at, c.n)
			if err != nil {
				t.Fatal(err)
			}
			if got := requests(recs); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Fatalf("requests %v, want %v", got, c.want)
			}
			for _, rec := range recs {
				if strings.ContainsAny(rec.RawLine(), "\r\n") {
					t.Fatalf("line %q keeps its line end", rec.RawLine())
				}
			}
		})
	}
}

// Lines out of time order (a proxy that logs a request when it ends, with
// the time it started) are taken by their time: up to n before and n at or
// after, in file order.
func TestRereaderOutOfOrder(t *testing.T) {
	var b strings.Builder
	for i := range 1000 {
		ts := rereadStart.Add(time.Duration(i) * time.Second)
		if i == 600 {
			ts = rereadStart.Add(580 * time.Second) // a slow request, logged late
		}
		b.WriteString(rereadLine(i, ts) + "\n")
	}
	r := sources.NewRereader(writeLog(t, "access.log", b.String()))
	recs, err := r.Around(rereadStart.Add(598*time.Second), 3)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := requests(recs), []int{596, 597, 600, 598, 599, 601}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("requests %v, want %v", got, want)
	}
}

// Only a plain regular file can be read at an offset.
func TestRereaderOnlyForPlainFiles(t *testing.T) {
	dir := t.TempDir()
	gz := filepath.Join(dir, "access.log.gz")
	f, err := os.Create(gz)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	fmt.Fprintln(zw, rereadLine(1, rereadStart))
	zw.Close()
	f.Close()
	plain := writeLog(t, "access.log", rereadLine(1, rereadStart)+"\n")
	for _, c := range []struct {
		name string
		spec sources.Spec
	}{
		{"gzip", sources.Spec{Path: gz}},
		{"stdin", sources.Spec{Path: "-"}},
		{"command", sources.Spec{Path: "cat " + plain.Spec.Path, Command: true}},
		{"directory", sources.Spec{Path: dir}},
		{"missing", sources.Spec{Path: filepath.Join(dir, "nope.log")}},
	} {
		if r := sources.NewRereader(sources.NewInput(0, c.spec)); r != nil {
			t.Errorf("%s: a Rereader", c.name)
		}
	}
	ins := []*sources.Input{plain, sources.NewInput(1, sources.Spec{Path: gz})}
	if rs := sources.Rereaders(ins); rs != nil {
		t.Errorf("Rereaders with a gzip input: %d, want none", len(rs))
	}
	if rs := sources.Rereaders(ins[:1]); len(rs) != 1 || rs[0].Input() != plain {
		t.Errorf("Rereaders of a plain file: %v", rs)
	}
}

// An input whose format was never found gives no lines and no error (none
// of its lines made a record as it was read); a file gone since gives an
// error that names it.
func TestRereaderNoFormatAndGoneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "what.log")
	if err := os.WriteFile(path, []byte("nothing known\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	unknown := sources.NewRereader(sources.NewInput(0, sources.Spec{Path: path}))
	if recs, err := unknown.Around(rereadStart, 5); err != nil || len(recs) != 0 {
		t.Fatalf("no format: %d records, %v", len(recs), err)
	}
	in := writeLog(t, "access.log", rereadLine(1, rereadStart)+"\n")
	r := sources.NewRereader(in)
	if err := os.Remove(in.Spec.Path); err != nil {
		t.Fatal(err)
	}
	_, err := r.Around(rereadStart, 5)
	if err == nil || !strings.Contains(err.Error(), in.Spec.Path) {
		t.Fatalf("file gone: %v, want an error naming %s", err, in.Spec.Path)
	}
}

// A file replaced or cut since its marks were noted has other lines at
// their offsets: said, not read as if it were the same.
func TestRereaderFileReplacedOrCut(t *testing.T) {
	var b strings.Builder
	for i := range 600 {
		b.WriteString(rereadLine(i, rereadStart.Add(time.Duration(i)*time.Second)) + "\n")
	}
	for _, c := range []struct {
		name   string
		change func(path string) error
		ok     bool
	}{
		{"appended to", func(p string) error {
			f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.WriteString(rereadLine(600, rereadStart.Add(600*time.Second)) + "\n")
			return err
		}, true},
		{"cut", func(p string) error { return os.Truncate(p, 100) }, false},
		{"replaced", func(p string) error {
			if err := os.Rename(p, p+".1"); err != nil {
				return err
			}
			return os.WriteFile(p, []byte(b.String()), 0o644)
		}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := writeLog(t, "access.log", b.String())
			r := sources.NewRereader(in)
			if _, err := r.Around(rereadStart.Add(300*time.Second), 3); err != nil {
				t.Fatal(err)
			}
			if err := c.change(in.Spec.Path); err != nil {
				t.Fatal(err)
			}
			recs, err := r.Around(rereadStart.Add(300*time.Second), 3)
			if c.ok {
				if err != nil || fmt.Sprint(requests(recs)) != fmt.Sprint(span(297, 302)) {
					t.Fatalf("%v, %v", requests(recs), err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "replaced or cut since it was read") {
				t.Fatalf("%d records, %v: want the change said", len(recs), err)
			}
		})
	}
}
