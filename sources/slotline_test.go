package sources_test

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"fivexx/sources"
	_ "fivexx/sources/parsers"
)

// decodeLines decodes text as the input of path would read it
// (DecodeLines): with proxyLines and appLines, or with the reference.
func decodeLines(t *testing.T, path, text string, borrow, reference bool) ([][]sources.Item, *sources.Input, int64) {
	t.Helper()
	in := sources.NewInput(0, sources.Spec{Path: path})
	if borrow {
		in.ReleasesInOrder()
	}
	batches, made, err := sources.DecodeLines(in, text, reference)
	if err != nil {
		t.Fatal(err)
	}
	return batches, in, made
}

// agree compares what proxyLines and appLines made of text with what the
// reference made: the same batches of the same records, line numbers and
// slots, borrowed alike, and the same counts. It returns how many records
// went into proxy and app slots.
func agree(t *testing.T, path, text string, borrow bool) (proxy, app int) {
	t.Helper()
	got, gotIn, gotMade := decodeLines(t, path, text, borrow, false)
	want, wantIn, wantMade := decodeLines(t, path, text, borrow, true)
	if len(got) != len(want) {
		t.Fatalf("%s (borrow %v): %d batches, the reference %d", path, borrow, len(got), len(want))
	}
	for i := range got {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("%s (borrow %v): batch %d holds %d records, the reference's %d", path, borrow, i, len(got[i]), len(want[i]))
		}
		for j, g := range got[i] {
			w := want[i][j]
			gp, ga, gl := sources.SlotOf(g)
			wp, wa, wl := sources.SlotOf(w)
			if g.LineNo != w.LineNo || gp != wp || ga != wa || (gl == nil) != (wl == nil) || !reflect.DeepEqual(g.Rec, w.Rec) || ownUpstream(g.Rec) != ownUpstream(w.Rec) {
				t.Fatalf("%s (borrow %v): batch %d record %d: line %d (proxy slot %v, app slot %v, borrowed %v)\n%+v\nthe reference: line %d (%v, %v, %v)\n%+v",
					path, borrow, i, j, g.LineNo, gp, ga, gl != nil, g.Rec, w.LineNo, wp, wa, wl != nil, w.Rec)
			}
			if set, ref := sources.MergeKeyOf(g); set != ref {
				t.Fatalf("%s (borrow %v): batch %d record %d: merge key %d, the record's %d\n%+v", path, borrow, i, j, set, ref, g.Rec)
			}
			if gp {
				proxy++
			}
			if ga {
				app++
			}
		}
	}
	if g, w := gotIn.Counters(), wantIn.Counters(); gotMade != wantMade || !reflect.DeepEqual(g, w) {
		t.Fatalf("%s (borrow %v): %d borrowed, counters %+v\nthe reference: %d, %+v", path, borrow, gotMade, g, wantMade, w)
	}
	return proxy, app
}

// ownUpstream says whether a proxy entry's upstream name lies outside
// its line (the reader's shared copy, nameCache).
func ownUpstream(rec sources.Record) bool {
	e, ok := rec.(*sources.ProxyEntry)
	if !ok || e.Upstream == "" {
		return false
	}
	return !inside(e.Upstream, e.Raw)
}

// inside says whether s's bytes lie within t's.
func inside(s, t string) bool {
	p, lo := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(t)))
	return p >= lo && p+uintptr(len(s)) <= lo+uintptr(len(t))
}

// proxyLines and appLines parse every line of the recordings and format
// samples as the splitter's one line at a time and lineBytes do
// (parseSlotGuarded, prepare, send or holdInBatch), with the text
// borrowed from the block and copied.
func TestSlotLinesAgree(t *testing.T) {
	files := globAll(t, "../testdata/recordings/*/*.log", "../testdata/formats/*/*.log", "../testdata/formats/*/*.gz", "../testdata/errorlog-alone/*.log")
	var proxy, app int
	for _, path := range files {
		text := sampleLines(t, path)
		for _, borrow := range []bool{false, true} {
			p, a := agree(t, path, text, borrow)
			proxy, app = proxy+p, app+a
		}
	}
	// And lines the splitter changes, among ordinary ones: "\r\n",
	// NUL bytes first, empty, longer than MaxLineBytes, and a last line
	// without its newline.
	for _, path := range []string{"../testdata/recordings/nginx-upstream/access.log", "../testdata/recordings/nginx-upstream/app.log"} {
		lines := strings.SplitAfter(sampleLines(t, path), "\n")[:60]
		var b strings.Builder
		for i, l := range lines {
			switch i % 6 {
			case 1:
				l = strings.TrimSuffix(l, "\n") + "\r\n"
			case 2:
				l = "\x00\x00" + l
			case 3:
				l = "\n" + l
			}
			b.WriteString(l)
		}
		b.WriteString(strings.Repeat("x", sources.MaxLineBytes+10) + "\n")
		b.WriteString(lines[0] + strings.TrimSuffix(lines[1], "\n"))
		for _, borrow := range []bool{false, true} {
			p, a := agree(t, path, b.String(), borrow)
			proxy, app = proxy+p, app+a
		}
	}
	if proxy < 1000 || app < 1000 {
		t.Fatalf("only %d records in proxy slots and %d in app slots: the test reads too little", proxy, app)
	}
}

// The same on fuzzed text after the first lines of a recording: its
// format is settled, and the fuzzed lines go into its slots; a last line
// without its newline is flushed as the end of a read does.
func FuzzSlotLinesAgree(f *testing.F) {
	heads := map[string]string{}
	for _, path := range []string{"../testdata/recordings/nginx-upstream/access.log", "../testdata/recordings/nginx-upstream/app.log"} {
		data, err := readFileLines(path, 40)
		if err != nil {
			f.Fatal(err)
		}
		heads[path] = data
		lines := strings.SplitAfter(data, "\n")
		f.Add(lines[35] + lines[36])
	}
	f.Add("\n\n  \n\x00\x00x\r\n")
	f.Add("{\"time\":\"2026-11-21T07:39:51Z\",\"request_id\":\"Root=1-a-b;x\"}\n\tat foo\n")
	f.Fuzz(func(t *testing.T, data string) {
		for path, head := range heads {
			for _, borrow := range []bool{false, true} {
				agree(t, path, head+data, borrow)
			}
		}
	})
}

// readFileLines returns the first n lines of path.
func readFileLines(path string, n int) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	lines := strings.SplitAfter(string(data), "\n")
	if len(lines) < n {
		return "", fmt.Errorf("%s: %d lines, want %d", path, len(lines), n)
	}
	return strings.Join(lines[:n], ""), nil
}
