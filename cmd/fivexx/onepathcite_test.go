package main

import (
	"bufio"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"testing"
)

// TestOnePathCitesItsOwnAppLines: real HAProxy 2.6.12, httplog without an
// id capture, one path /api/orders?n=N for every request, six at once;
// the app logs the client's request ids, which the proxy does not (QA s30
// s12, testdata/qa30-s12: its first 158 access lines, the app's lines of
// those requests, and the client's record of which id each path had).
// Six of the 20 app starts the 5xx cited were other requests': the 504 of
// n=14 (Ta 1001 ms) took a start 20 ms before its end, not its own at its
// %tr, and the PH-- 502 of n=19 lost its own start to the 503 of n=20
// (a millisecond nearer), which then took its own "finished with 503",
// and cited the start of n=14, written 5 ms before HAProxy got n=19.
// Two are still another's (n=61, n=63: a start each 1 ms from the other
// request's, on a stamp HAProxy writes to the millisecond, a little late:
// n=18's %tr is 48.251, the client sent it at 48.2523).
// Requests the app never finished (garbage, close, reset, slow) must not
// cite a "finished with" either: another request's end.
func TestOnePathCitesItsOwnAppLines(t *testing.T) {
	const dir = "testdata/qa30-s12/"
	idOf := map[string]string{} // path → the request id the client sent
	readJSONLines(t, dir+"truth.jsonl", func(m map[string]any) {
		idOf[m["path"].(string)], _ = m["rid"].(string)
	})
	startsAt := map[string][]string{} // "15:04:05.000" → ids started then
	ended := map[string]bool{}
	readJSONLines(t, dir+"app.log", func(m map[string]any) {
		id, _ := m["request_id"].(string)
		switch m["msg"] {
		case "request started":
			at := m["time"].(string)[11:23]
			startsAt[at] = append(startsAt[at], id)
		case "request finished":
			ended[id] = true
		}
	})
	startRE := regexp.MustCompile(`logged the start at (\d\d:\d\d:\d\d\.\d\d\d)`)
	finishedRE := regexp.MustCompile(`^app: finished with `)
	evs, _ := reportEvents(t, dir+"access.log", dir+"app.log")
	var others, ends []string
	cited := 0
	for _, ev := range evs {
		id := idOf[ev.Path]
		if id == "" {
			t.Fatalf("%s: no request id in truth.jsonl", ev.Path)
		}
		for _, l := range ev.Evidence {
			if m := startRE.FindStringSubmatch(l); m != nil {
				cited++
				if !slices.Contains(startsAt[m[1]], id) {
					others = append(others, ev.Path)
				}
			}
			if finishedRE.MatchString(l) && !ended[id] {
				ends = append(ends, ev.Path)
			}
		}
	}
	want := []string{"/api/orders?n=61", "/api/orders?n=63"}
	if !slices.Equal(others, want) {
		t.Errorf("%d app starts cited; another request's for %q, want only %q", cited, others, want)
	}
	// n=51's own start went to n=61; its window then held the start and
	// "finished with 200" of n=65, which HAProxy answered 200 8 ms after
	// the 502 (proxyanswers.go bounds the nearest 200 by the second's
	// first and last: 25 ms).
	if want := []string{"/api/orders?n=51"}; !slices.Equal(ends, want) {
		t.Errorf("the app never finished %q, but their evidence cites an end; want only %q", ends, want)
	}
}

// readJSONLines calls f with each line of the JSON-lines file at path.
func readJSONLines(t *testing.T, path string, f func(map[string]any)) {
	t.Helper()
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		f(m)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}
