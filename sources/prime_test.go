package sources_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
	"fivexx/sources/parsertest"
)

// errorAndEntryTimes returns the time of the first proxy error line and of
// the first request line among items.
func errorAndEntryTimes(t *testing.T, items []sources.Item) (errAt, entryAt time.Time) {
	t.Helper()
	for _, it := range items {
		switch r := it.Rec.(type) {
		case *sources.ProxyError:
			// Not the controller's klog line, a record too now, dated
			// by the access line after it.
			if errAt.IsZero() && r.Raw != ingressStream[0] {
				errAt = r.Time
			}
		case *sources.ProxyEntry:
			if entryAt.IsZero() {
				entryAt = r.Time
			}
		}
	}
	if errAt.IsZero() || entryAt.IsZero() {
		t.Fatalf("no error line or no request line among %d records", len(items))
	}
	return errAt, entryAt
}

// ingressRequests are ingress-nginx access lines (formats.md §1.4).
var ingressRequests = []string{
	`10.0.0.1 - - [08/Mar/2023:16:02:30 +0000] "GET /some/end/point HTTP/1.1" 502 157 "-" "PostmanRuntime/7.26.3" 1570 0.005 [default-my-service-80] [] 10.244.2.36:80 0 0.004 502 cc30e5d47f23e3a117181ff94479bc6f`,
	`108.162.227.25 - - [08/Mar/2023:16:02:45 +0000] "GET / HTTP/1.1" 504 562 "-" "Mozilla/5.0 (X11; Linux x86_64)" 1100 5.000 [pc-dev-example-web-service-80] [] 192.168.215.1:80 0 5.000 504 a7c98d98ac870f64981a997cd2f373a1`,
}

// The ingress-nginx controller's stream (kubectl logs): a klog line, then
// nginx's error line before its request's access line, in UTC.
var ingressStream = []string{
	`W0308 16:02:01.000000       7 controller.go:1112] Service "default/web" does not have any active Endpoint.`,
	`2023/03/08 16:02:30 [error] 31#31: *569 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, server: _, request: "GET /some/end/point HTTP/1.1", upstream: "http://10.244.2.36:80/some/end/point", host: "example.com"`,
	`10.0.0.1 - - [08/Mar/2023:16:02:30 +0000] "GET /some/end/point HTTP/1.1" 502 157 "-" "PostmanRuntime/7.26.3" 1570 0.005 [default-my-service-80] [] 10.244.2.36:80 0 0.004 502 cc30e5d47f23e3a117181ff94479bc6f`,
}

// TestFirstLinesArePrimedWhenTheFormatIsKnownFirst: a parser that reads
// the first lines ahead (Primer: ingress-nginx reads its error lines at
// the access lines' offset, HAProxy dates its year-less stamps from its
// first request line) was given them only when the format was detected
// from those lines. A format given (Spec.Format) or detected from a
// file's head (live) parsed its first lines unprimed: the controller's
// first error line, read in Europe/Berlin, was an hour off its request,
// and an HAProxy state line took the year it was read in.
func TestFirstLinesArePrimedWhenTheFormatIsKnownFirst(t *testing.T) {
	t.Run("ingress-nginx given", func(t *testing.T) {
		if !parsertest.InZone(t, "Europe/Berlin") {
			return
		}
		items := readGiven(t, "ingress-nginx", ingressStream)
		if errAt, entryAt := errorAndEntryTimes(t, items); !errAt.Equal(entryAt) {
			t.Fatalf("error line at %v, its request at %v", errAt.UTC(), entryAt.UTC())
		}
	})
	t.Run("ingress-nginx detected from the head, live", func(t *testing.T) {
		if !parsertest.InZone(t, "Europe/Berlin") {
			return
		}
		l := headLive(t, "controller.log", append(append([]string(nil), ingressRequests...), ingressRequests...))
		l.lines(ingressStream...)
		l.quiet()
		if errAt, entryAt := errorAndEntryTimes(t, l.items()); !errAt.Equal(entryAt) {
			t.Fatalf("format %s: error line at %v, its request at %v", l.in.Format().Name, errAt.UTC(), entryAt.UTC())
		}
	})
	t.Run("haproxy given", func(t *testing.T) {
		lines := []string{
			`Jan  2 03:04:06 lb1 haproxy[14389]: backend be_app has no server available!`,
			`Jan  2 03:04:07 lb1 haproxy[14389]: 10.0.0.9:51234 [02/Jan/2024:03:04:07.120] fe_http be_app/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 "GET /api HTTP/1.1"`,
		}
		items := readGiven(t, "haproxy", lines)
		if errAt, entryAt := errorAndEntryTimes(t, items); errAt.Year() != entryAt.Year() {
			t.Fatalf("state line in %d, the request after it in %d", errAt.Year(), entryAt.Year())
		}
	})
}

// readGiven reads lines, written to a file, to their end with the format
// given up front (Spec.Format), and returns the items sent.
func readGiven(t *testing.T, format string, lines []string) []sources.Item {
	t.Helper()
	p := filepath.Join(t.TempDir(), format+".log")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	in := sources.NewInput(0, sources.Spec{Path: p, Format: format})
	out := make(chan sources.Item, 64)
	if err := sources.ReadToEnd(context.Background(), in, out); err != nil {
		t.Fatal(err)
	}
	close(out)
	var items []sources.Item
	for it := range out {
		items = append(items, it)
	}
	return items
}

// TestPrimedLinesAreNotHeld: a parser that reads ahead and has learned
// what it reads ahead for (PrimedTeller) gets the lines held so far at
// once; the first request after a lull used to wait for 12 lines or three
// quiet flushes (0.3 s live) before it was parsed.
func TestPrimedLinesAreNotHeld(t *testing.T) {
	t.Run("nginx: an access line first", func(t *testing.T) {
		l := headLive(t, "access.log", append(append([]string(nil), ingressRequests...), ingressRequests...))
		l.lines(ingressRequests[0])
		if got := len(l.items()); got != 1 {
			t.Fatalf("%d records before any flush, want the access line's", got)
		}
	})
	t.Run("nginx: an error line waits for its access line", func(t *testing.T) {
		if !parsertest.InZone(t, "Europe/Berlin") {
			return
		}
		l := headLive(t, "controller.log", append(append([]string(nil), ingressRequests...), ingressRequests...))
		l.lines(ingressStream[:2]...)
		if got := len(l.items()); got != 0 {
			t.Fatalf("%d records before an access line dated the error line, want 0", got)
		}
		l.lines(ingressStream[2])
		items := l.items()
		if len(items) != 3 {
			t.Fatalf("%d records once the access line came, want the klog, error and access lines", len(items))
		}
		if errAt, entryAt := errorAndEntryTimes(t, items); !errAt.Equal(entryAt) {
			t.Fatalf("error line at %v, its request at %v", errAt.UTC(), entryAt.UTC())
		}
	})
	t.Run("nginx in docker's JSON lines: an access line first", func(t *testing.T) {
		wrap := func(line string) string {
			return `{"log":` + strconv.Quote(line+"\n") + `,"stream":"stdout","time":"2023-03-08T16:02:30.000000000Z"}`
		}
		var head []string
		for range 2 {
			for _, r := range ingressRequests {
				head = append(head, wrap(r))
			}
		}
		l := headLive(t, "container.log", head)
		if w := l.in.Format().Wrapper; w == "" {
			t.Fatalf("format %s detected without its wrapper", l.in.Format().Name)
		}
		l.lines(wrap(ingressRequests[1]))
		if got := len(l.items()); got != 1 {
			t.Fatalf("%d records before any flush, want the access line's", got)
		}
	})
	t.Run("haproxy: a state line waits for a request line", func(t *testing.T) {
		req := `Jan  2 03:04:07 lb1 haproxy[14389]: 10.0.0.9:51234 [02/Jan/2024:03:04:07.120] fe_http be_app/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 "GET /api HTTP/1.1"`
		l := headLive(t, "haproxy.log", []string{req, req, req, req})
		l.lines(`Jan  2 03:04:08 lb1 haproxy[14389]: backend be_app has no server available!`)
		if got := len(l.items()); got != 0 {
			t.Fatalf("%d records before a request line dated the state line, want 0", got)
		}
		l.lines(strings.Replace(req, "03:04:07", "03:04:09", 2))
		items := l.items()
		if len(items) != 2 {
			t.Fatalf("%d records once the request line came, want 2", len(items))
		}
		if errAt, entryAt := errorAndEntryTimes(t, items); errAt.Year() != entryAt.Year() {
			t.Fatalf("state line in %d, the request after it in %d", errAt.Year(), entryAt.Year())
		}
	})
}

// headLive writes head to a file named name, detects its format from the
// head as live mode does, and returns a decoder for the lines after it.
func headLive(t *testing.T, name string, head []string) *live {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(strings.Join(head, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	in := sources.NewInput(0, sources.Spec{Path: p})
	out := make(chan sources.Item, 64)
	d, err := sources.NewHeadDecoder(in, out)
	if err != nil {
		t.Fatal(err)
	}
	if in.Format().Name == "" {
		t.Fatal("no format detected from the head")
	}
	return &live{t: t, in: in, d: d, out: out}
}
