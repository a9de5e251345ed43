package sources_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"fivexx/sources"
)

// A UTF-8 byte-order mark before a file's first line is dropped for every
// format, where the decoder takes the first line: the file reads as it
// does without it (the same format, records and unparsed count), and the
// Rereader reads its first line as well. Kept, the first line was
// unparsed for Caddy's access log (a request lost), nginx's error log and
// a text app log; only the JSON app parser dropped it itself. The samples
// are the real proxy logs of testdata (recordings, formats, errorlog-alone)
// and one text and one logfmt app log.
func TestByteOrderMarkIsDroppedForEveryFormat(t *testing.T) {
	files := globAll(t, "../testdata/recordings/*/*.log", "../testdata/formats/*/*.log", "../testdata/errorlog-alone/*.log")
	dir := t.TempDir()
	for name, text := range map[string]string{
		"text.log": "2026-11-22 16:56:39,102 ERROR [req-85c995] boom\n" +
			"2026-11-22 16:56:40,102 INFO [req-85c996] fine\n",
		"logfmt.log": `time=2026-11-22T16:56:39.102Z level=warn msg="shedding load" request_id=85c995599e87dc0df6a5d9744f2fbc67` + "\n" +
			`time=2026-11-22T16:56:40.102Z level=info msg="ok" request_id=85c995599e87dc0df6a5d9744f2fbc68` + "\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	seen := map[string]bool{}
	for i, path := range files {
		lines := strings.SplitAfter(sampleLines(t, path), "\n")
		head := strings.Join(lines[:min(len(lines), 60)], "")
		plain := filepath.Join(dir, "plain"+strings.Repeat("x", i)+".log")
		bom := filepath.Join(dir, "bom"+strings.Repeat("x", i)+".log")
		if err := os.WriteFile(plain, []byte(head), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bom, []byte("\ufeff"+head), 0o644); err != nil {
			t.Fatal(err)
		}
		want, win := readRecords(t, plain, 1, false)
		got, gin := readRecords(t, bom, 1, false)
		name := win.Format().Name
		if name == "" || len(want) == 0 {
			continue // no format found: nothing to lose
		}
		seen[name] = true
		if g := gin.Format().Name; g != name {
			t.Errorf("%s: with a BOM read as %q, without as %q", path, g, name)
			continue
		}
		if w, g := win.Counters().Unparsed, gin.Counters().Unparsed; g != w {
			t.Errorf("%s (%s): %d lines unparsed with a BOM, %d without", path, name, g, w)
		}
		if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(sources.Item{})); diff != "" {
			t.Errorf("%s (%s): records with a BOM differ (-without +with):\n%s", path, name, diff)
		}
		// Read again around the first record, as timelines are.
		at := want[0].Rec.RecordTime()
		if at.IsZero() {
			continue
		}
		rw, err := sources.NewRereader(win).Around(at, 1)
		if err != nil {
			t.Fatal(err)
		}
		rg, err := sources.NewRereader(gin).Around(at, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(rw) != len(rg) || len(rg) == 0 || !rg[0].RecordTime().Equal(rw[0].RecordTime()) {
			t.Errorf("%s (%s): read again around %v: %d records with a BOM, %d without", path, name, at.Format(time.RFC3339Nano), len(rg), len(rw))
		}
	}
	var names []string
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	t.Logf("formats read with a BOM: %v", names)
	for _, f := range []string{"caddy", "nginx-error", "nginx-upstream", "nginx-combined", "nginx-json", "haproxy",
		"envoy", "traefik", "cloudflare", "alb", "ingress-nginx", "app-json", "app-text", "app-logfmt"} {
		if !seen[f] {
			t.Errorf("no sample of %s was read", f)
		}
	}
	var missing []string
	for _, f := range sources.Formats() {
		if !seen[f.Name] {
			missing = append(missing, f.Name)
		}
	}
	t.Logf("formats with no sample here: %v", missing)
}

// globAll is the files every pattern matches, in the patterns' order.
func globAll(t *testing.T, patterns ...string) []string {
	t.Helper()
	var files []string
	for _, pat := range patterns {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	return files
}
