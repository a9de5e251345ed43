package classify

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

// nginxCombinedInputs reads the real nginx 1.22 recording
// testdata/recordings/nginx-combined (stock combined access log, no
// $upstream_addr, and its error log) and returns the inputs and their
// records: access lines, then error lines.
func nginxCombinedInputs(t *testing.T) ([]*sources.Input, [][]sources.Record) {
	t.Helper()
	dir := filepath.Join("..", "testdata", "recordings", "nginx-combined")
	var ins []*sources.Input
	var recs [][]sources.Record
	for i, f := range []string{"access.log", "error.log"} {
		in := sources.NewInput(i, sources.Spec{Path: filepath.Join(dir, f), Opts: sources.ParserOptions{Location: time.UTC}})
		in.KeepRecords()
		out := make(chan sources.Item, 64)
		read := make(chan error, 1)
		go func() {
			read <- sources.ReadToEnd(context.Background(), in, out)
			close(out)
		}()
		var rs []sources.Record
		for it := range out {
			rs = append(rs, it.Rec)
		}
		if err := <-read; err != nil {
			t.Fatal(err)
		}
		ins, recs = append(ins, in), append(recs, rs)
	}
	return ins, recs
}

// namedInErrorLog maps each request of the recording's error log
// ("request: \"GET /crash?n=83 HTTP/1.1\"") to the server or upstream{}
// group its last line naming one names ("upstream: \"http://app/…\"" is
// the group app), read from the file's text, not by the parser.
func namedInErrorLog(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "recordings", "nginx-combined", "error.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	re := regexp.MustCompile(`request: "[A-Z]+ (\S+) HTTP/1\.1", upstream: "http://([^/"]+)`)
	named := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			named[m[1]] = m[2]
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return named
}

// nginx's combined log names no upstream; its error log names the server
// of each failure ("upstream: \"http://127.0.0.1:35433/ok?n=59\"") or the
// upstream{} group of "no live upstreams" ("http://app/…"). Every 5xx was
// counted under "-" (QA s35: one row "-", 340 requests, all 162 5xx). A
// 5xx whose error line names one is counted and judged under it, as
// $upstream_addr's last attempt would have; the others (2xx, the app's own
// 5xx, the limiter's 503) stay under "-". nginx writes the error line when
// the attempt fails and the access line when the request ends, each
// stamped to the second: the error line may be read after its access line
// in the same second, or, live, seconds after it, and names it all the same.
func TestNginxCombinedUpstreamFromErrorLines(t *testing.T) {
	named := namedInErrorLog(t)
	if len(named) == 0 {
		t.Fatal("no request named in the error log")
	}
	for _, order := range []string{"error lines first in a second", "access lines first in a second", "live, error lines read 3 s late"} {
		t.Run(order, func(t *testing.T) {
			ins, recs := nginxCombinedInputs(t)
			access, errs := recs[0], recs[1]
			if len(access) != 340 || len(errs) != 132 {
				t.Fatalf("%d access and %d error records, want 340 and 132", len(access), len(errs))
			}
			type arrival struct {
				in  *sources.Input
				rec sources.Record
				at  time.Time
			}
			var arr []arrival
			for _, r := range errs {
				arr = append(arr, arrival{ins[1], r, r.RecordTime()})
			}
			for _, r := range access {
				a := arrival{ins[0], r, r.RecordTime()}
				if order == "access lines first in a second" {
					arr = append([]arrival{a}, arr...)
				} else {
					arr = append(arr, a)
				}
			}
			if order == "live, error lines read 3 s late" {
				for i := range arr {
					if arr[i].in == ins[1] {
						arr[i].at = arr[i].at.Add(3 * time.Second)
					}
				}
			}
			slices.SortStableFunc(arr, func(a, b arrival) int { return a.at.Compare(b.at) })
			var verdicts []*Verdict
			cfg := Config{Inputs: ins, Grace: 5 * time.Second, OnVerdict: func(v *Verdict) { verdicts = append(verdicts, v) }}
			var s *Snapshot
			if order == "live, error lines read 3 s late" {
				wall := arr[0].at.Truncate(time.Second)
				cfg.Live, cfg.Now = true, func() time.Time { return wall }
				eng := NewEngine(cfg)
				end := arr[len(arr)-1].at.Add(30 * time.Second)
				for next := 0; wall.Before(end); wall = wall.Add(100 * time.Millisecond) {
					for ; next < len(arr) && !arr[next].at.After(wall); next++ {
						eng.Add(arr[next].in, arr[next].rec)
					}
					eng.Advance()
				}
				s = eng.Publish(false)
			} else {
				eng := NewEngine(cfg)
				for _, a := range arr {
					eng.Add(a.in, a.rec)
				}
				eng.Flush()
				s = eng.Publish(true)
			}
			if s.Pending != 0 || len(verdicts) != 162 {
				t.Fatalf("%d pending, %d verdicts, want 0 and 162", s.Pending, len(verdicts))
			}
			fivexx := map[string]int64{}
			for _, v := range verdicts {
				want := named[v.Entry.Path]
				fivexx[want]++
				if v.Entry.Upstream != want {
					t.Errorf("%s %d: upstream %q, want %q (cause %s)", v.Entry.Path, v.Entry.Status, v.Entry.Upstream, want, v.Cause)
				}
			}
			// The hint names the server that failed, each when a retry
			// failed alike on two, and the group after a server, as
			// with $upstream_addr "127.0.0.1:34913, app": it said "the
			// upstream", and "app closed the connection" once named.
			wantHint := map[string]string{
				"/ok?n=59":     "nothing is listening on 127.0.0.1:35433 and 127.0.0.1:34913: ",
				"/hangup?n=91": "127.0.0.1:35433 and 127.0.0.1:34913 closed the connection mid-request: ",
				"/crash?n=83":  "127.0.0.1:34913 closed the connection mid-request: ",
			}
			for _, v := range verdicts {
				if w, ok := wantHint[v.Entry.Path]; ok && !strings.HasPrefix(v.Hint, w) {
					t.Errorf("%s: hint %q, want it to begin %q", v.Entry.Path, v.Hint, w)
				}
				if v.Entry.Path == "/crash?n=83" && !strings.Contains(v.Hint, "; then group app had no server left to try") {
					t.Errorf("%s: hint %q, want the group app after the server", v.Entry.Path, v.Hint)
				}
				switch v.Cause {
				case UpstreamRefused, UpstreamReset, UpstreamTimeout, UpstreamBadResponse:
					if !strings.Contains(v.Hint, named[v.Entry.Path]) && !strings.Contains(v.Hint, "127.0.0.1:") || strings.HasPrefix(v.Hint, "the upstream") {
						t.Errorf("%s %s: hint %q names no server", v.Entry.Path, v.Cause, v.Hint)
					}
				}
			}
			if len(fivexx) < 3 {
				t.Fatalf("5xx by the upstream the error log names: %v, want more than 2 names", fivexx)
			}
			var requests int64
			for _, u := range s.Upstreams {
				requests += u.Total.Requests
				var n int64
				for c, k := range u.Total.Status {
					if c >= 500 && c <= 599 {
						n += k
					}
				}
				name := u.Name
				if name == "-" {
					name = ""
				}
				if n != fivexx[name] {
					t.Errorf("row %s: %d 5xx, want %d", u.Name, n, fivexx[name])
				}
				if name != "" && u.Total.Requests != n {
					t.Errorf("row %s: %d requests, want its %d 5xx alone (the combined log names no upstream of the others)", u.Name, u.Total.Requests, n)
				}
			}
			if requests != 340 {
				t.Errorf("%d requests in the rows, want 340", requests)
			}
		})
	}
}
