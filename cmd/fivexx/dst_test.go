package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin, where the system has no zoneinfo

	"fivexx/classify"
	"fivexx/sources"
)

// dstScenario is a night of traffic through Berlin's autumn change
// (2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:00-03:00 happens
// twice), written as nginx writes it: the access log's $time_local carries
// its offset (+0200, then +0100), the error log is local time without a
// zone, read in Europe/Berlin. The app logs write UTC ISO times, epoch
// milliseconds and epoch seconds.
type dstScenario struct {
	dir                            string
	access, errors, api, worker, b string // file paths
	// want is the instant of every line written, by raw line.
	want map[string]time.Time
	// refused are the 502s refused by the upstream, by connection serial,
	// with their instants; appErrors the 500s the app logged with the
	// request id (api log), windowErrors those it logged without one
	// (billing log), by connection serial.
	refused, appErrors, windowErrors map[string]time.Time
	requests                         int
}

// The change: 01:00 UTC, when Berlin's clock goes from 03:00 CEST back to 02:00 CET.
var berlinChange = time.Date(2026, time.October, 25, 1, 0, 0, 0, time.UTC)

func writeDSTScenario(t *testing.T, berlin *time.Location) *dstScenario {
	t.Helper()
	s := &dstScenario{
		dir:     t.TempDir(),
		want:    map[string]time.Time{},
		refused: map[string]time.Time{}, appErrors: map[string]time.Time{}, windowErrors: map[string]time.Time{},
	}
	var access, errs, api, worker, billing strings.Builder
	line := func(b *strings.Builder, at time.Time, l string) {
		b.WriteString(l + "\n")
		s.want[l] = at
	}
	// 01:58 CEST to 03:02 CET, a request every 20 s: the repeated hour is
	// 180 requests long, so every 502 of the second pass has the same wall
	// time as one of the first.
	start := berlinChange.Add(-62 * time.Minute)
	for i := 0; ; i++ {
		at := start.Add(time.Duration(i) * 20 * time.Second)
		if at.After(berlinChange.Add(62 * time.Minute)) {
			break
		}
		s.requests++
		local := at.In(berlin).Format("02/Jan/2006:15:04:05 -0700")
		cid := strconv.Itoa(21000 + i)
		rid := fmt.Sprintf("%032x", 0x5eed0000+i)
		switch {
		case i%9 == 4: // upstream refused the connection
			line(&access, at, `10.0.4.17 - - [`+local+`] "POST /api/cart/items HTTP/1.1" 502 157 "-" "Go-http-client/1.1" rt=0.000 uct="-" uht="-" urt="0.000" ua="10.0.1.11:8080" us="502" rid=`+rid+` cid=`+cid)
			line(&errs, at, at.In(berlin).Format("2006/01/02 15:04:05")+` [error] 7#7: *`+cid+` connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.4.17, server: shop.example.com, request: "POST /api/cart/items HTTP/1.1", upstream: "http://10.0.1.11:8080/api/cart/items", host: "shop.example.com"`)
			s.refused[cid] = at
		case i%11 == 6: // the app failed and logged it with the request id (UTC ISO)
			line(&access, at, `192.0.2.41 - - [`+local+`] "GET /api/users/me HTTP/2.0" 500 91 "-" "ShopApp/4.12.0" rt=0.021 uct="0.001" uht="0.020" urt="0.020" ua="10.0.1.12:8080" us="500" rid=`+rid+` cid=`+cid)
			for _, l := range []struct {
				at   time.Time
				body string
			}{
				{at.Add(-20 * time.Millisecond), `"level":"INFO","msg":"request started","request_id":"` + rid + `","method":"GET","path":"/api/users/me","instance":"10.0.1.12:8080"`},
				{at.Add(-1 * time.Millisecond), `"level":"ERROR","msg":"request finished","request_id":"` + rid + `","method":"GET","path":"/api/users/me","status":500,"duration_ms":19.2,"instance":"10.0.1.12:8080"`},
			} {
				line(&api, l.at, `{"time":"`+l.at.UTC().Format("2006-01-02T15:04:05.000000Z")+`",`+l.body+`}`)
			}
			s.appErrors[cid] = at
		case i%13 == 8: // the billing app failed and logged it without an id (epoch seconds)
			line(&access, at, `192.0.2.77 - - [`+local+`] "POST /api/billing/charge HTTP/1.1" 500 64 "-" "ShopApp/4.12.0" rt=0.034 uct="0.001" uht="0.033" urt="0.033" ua="10.0.1.13:8080" us="500" rid=- cid=`+cid)
			lat := at.Add(-2 * time.Millisecond)
			ts := strconv.FormatInt(lat.Unix(), 10) + "." + fmt.Sprintf("%03d", lat.Nanosecond()/1e6)
			line(&billing, lat, `{"level":"error","ts":`+ts+`,"msg":"charge failed","method":"POST","path":"/api/billing/charge","status":500,"instance":"10.0.1.13:8080"}`)
			s.windowErrors[cid] = at
		default: // ok; the worker logs with epoch milliseconds
			path := "/api/products/" + strconv.Itoa(20000+i)
			line(&access, at, `10.0.4.17 - - [`+local+`] "GET `+path+` HTTP/1.1" 200 502 "-" "Go-http-client/1.1" rt=0.005 uct="0.000" uht="0.004" urt="0.004" ua="10.0.1.14:8080" us="200" rid=`+rid+` cid=`+cid)
			lat := at.Add(-3 * time.Millisecond)
			line(&worker, lat, `{"ts":`+strconv.FormatInt(lat.UnixMilli(), 10)+`,"level":"info","msg":"request finished","request_id":"`+rid+`","method":"GET","path":"`+path+`","status":200,"instance":"10.0.1.14:8080"}`)
		}
	}
	write := func(name string, b *strings.Builder) string {
		p := filepath.Join(s.dir, name)
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	s.access, s.errors = write("access.log", &access), write("error.log", &errs)
	s.api, s.worker, s.b = write("api.log", &api), write("worker.log", &worker), write("billing.log", &billing)
	return s
}

// inputs builds the inputs as the report command does, with the error log
// read in Europe/Berlin (the CLI has no zone flag: the spec's options carry it).
func (s *dstScenario) inputs(t *testing.T, berlin *time.Location) []*sources.Input {
	t.Helper()
	inf := inputFlags{
		proxy:       multi{s.access},
		proxyErrors: multi{s.errors},
		app:         multi{"api=" + s.api, "worker=" + s.worker, "billing=" + s.b},
	}
	specs, err := inf.specs(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for i := range specs {
		specs[i].Opts.Location = berlin
	}
	ins, err := newInputs(specs, true)
	if err != nil {
		t.Fatal(err)
	}
	return ins
}

// firstPass says whether a time in Berlin's repeated hour is its first
// pass (CEST), for the counts.
func firstPass(at time.Time) bool { return at.Before(berlinChange) }

func inRepeatedHour(at time.Time) bool {
	return !at.Before(berlinChange.Add(-time.Hour)) && at.Before(berlinChange.Add(time.Hour))
}

// TestDSTLineTimes reads the scenario through the real inputs and merge
// and checks every line's instant: access lines by their offsets, error
// lines by Berlin's clock through both passes of the repeated hour, app
// lines by their UTC ISO times, epoch milliseconds and epoch seconds.
func TestDSTLineTimes(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	s := writeDSTScenario(t, berlin)
	ins := s.inputs(t, berlin)
	items := make(chan sources.Item, 256)
	errc := make(chan []error, 1)
	go func() { errc <- sources.Merge(context.Background(), ins, items) }()
	seen := map[string]bool{}
	byKind := map[string]int{}
	var lastErr time.Time
	for it := range items {
		raw := it.Rec.RawLine()
		want, ok := s.want[raw]
		if !ok {
			t.Errorf("%s: a line not written: %q", it.Input.Spec.Label(), raw)
			continue
		}
		seen[raw] = true
		if got := it.Rec.RecordTime(); !got.Equal(want) {
			t.Errorf("%s: %q\n  at %v, want %v", filepath.Base(it.Input.Spec.Path), raw, got.UTC(), want)
		}
		kind := fmt.Sprintf("%s %T", filepath.Base(it.Input.Spec.Path), it.Rec)
		byKind[kind]++
		if e, ok := it.Rec.(*sources.ProxyError); ok {
			if e.Time.Before(lastErr) {
				t.Errorf("error line %q at %v goes back from %v", raw, e.Time.UTC(), lastErr)
			}
			lastErr = e.Time
		}
	}
	for i, err := range <-errc {
		if err != nil {
			t.Fatalf("input %d: %v", i, err)
		}
	}
	if len(seen) != len(s.want) {
		t.Errorf("read %d distinct lines, wrote %d", len(seen), len(s.want))
	}
	for kind, want := range map[string]int{
		"access.log *sources.ProxyEntry": s.requests,
		"error.log *sources.ProxyError":  len(s.refused),
		"api.log *sources.AppEntry":      2 * len(s.appErrors),
		"billing.log *sources.AppEntry":  len(s.windowErrors),
		"worker.log *sources.AppEntry":   s.requests - len(s.refused) - len(s.appErrors) - len(s.windowErrors),
	} {
		if byKind[kind] != want {
			t.Errorf("%s: %d records, want %d", kind, byKind[kind], want)
		}
	}
}

// TestDSTReport runs the scenario through the report path (readAll) and
// checks that every 502 in both passes of the repeated hour is joined to
// its own connect() refused line and classified upstream_refused, and that
// the app's 500s are joined to their app lines, by request id and by time.
func TestDSTReport(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	s := writeDSTScenario(t, berlin)
	ins := s.inputs(t, berlin)
	var mu sync.Mutex
	verdicts := map[string]*classify.Verdict{}
	cfg := classify.Config{Inputs: ins, Grace: 5 * time.Second, OnVerdict: func(v *classify.Verdict) {
		mu.Lock()
		defer mu.Unlock()
		if verdicts[v.Entry.Conn] != nil {
			t.Errorf("two verdicts for connection %s", v.Entry.Conn)
		}
		verdicts[v.Entry.Conn] = v
	}}
	snap, err := readAll(context.Background(), ins, cfg)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()

	passes := map[bool]int{} // first pass → refused 502s in the repeated hour
	for cid, at := range s.refused {
		v := verdicts[cid]
		if v == nil {
			t.Errorf("502 at %v (*%s): no verdict", at, cid)
			continue
		}
		if inRepeatedHour(at) {
			passes[firstPass(at)]++
		}
		if v.Cause != classify.UpstreamRefused || len(v.ErrorLines) != 1 {
			t.Errorf("502 at %v (%s): cause %s with %d error lines, want upstream_refused with its one error line",
				at.In(berlin).Format(time.RFC3339), cid, v.Cause, len(v.ErrorLines))
			continue
		}
		if e := v.ErrorLines[0]; e.Conn != cid || !e.Time.Equal(at) {
			t.Errorf("502 at %v (*%s) joined to error line *%s at %v", at, cid, e.Conn, e.Time.UTC())
		}
	}
	if passes[true] < 10 || passes[false] < 10 {
		t.Errorf("refused 502s in the repeated hour: %d in its first pass, %d in its second; the scenario should have both", passes[true], passes[false])
	}
	for cid, at := range s.appErrors {
		v := verdicts[cid]
		if v == nil || v.Cause != classify.AppError || v.MatchedBy != "request_id" || len(v.AppLines) != 2 {
			t.Errorf("500 at %v (%s): verdict %+v, want app_error with its 2 app lines by request id", at, cid, v)
			continue
		}
		if got, want := v.AppLines[1].Time, at.Add(-time.Millisecond); !got.Equal(want) {
			t.Errorf("500 at %v: app line at %v, want %v", at, got.UTC(), want)
		}
	}
	for cid, at := range s.windowErrors {
		v := verdicts[cid]
		if v == nil || v.Cause != classify.AppError || v.MatchedBy != "time_window" || len(v.AppLines) != 1 {
			t.Errorf("billing 500 at %v (%s): verdict %+v, want app_error with its app line by time", at, cid, v)
			continue
		}
		if got, want := v.AppLines[0].Time, at.Add(-2*time.Millisecond); !got.Equal(want) {
			t.Errorf("billing 500 at %v: app line at %v, want %v", at, got.UTC(), want)
		}
	}

	n500 := int64(len(s.appErrors) + len(s.windowErrors))
	if got := snap.Total.Requests; got != int64(s.requests) {
		t.Errorf("requests = %d, want %d", got, s.requests)
	}
	for status, want := range map[int]int64{502: int64(len(s.refused)), 500: n500} {
		if got := snap.Total.Status[status]; got != want {
			t.Errorf("status %d: %d, want %d", status, got, want)
		}
	}
	for cause, want := range map[classify.Cause]int64{classify.UpstreamRefused: int64(len(s.refused)), classify.AppError: n500} {
		if got := snap.Total.Causes[cause]; got != want {
			t.Errorf("cause %s: %d, want %d", cause, got, want)
		}
	}
	if len(verdicts) != len(s.refused)+int(n500) {
		t.Errorf("%d verdicts, want one per 5xx (%d)", len(verdicts), len(s.refused)+int(n500))
	}
}
