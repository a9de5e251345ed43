package classify

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"fivexx/sources"
	"fivexx/sources/demo"
	_ "fivexx/sources/parsers"
)

// The rule of keptentry.go, checked: nothing but the engine's own verdicts
// keeps a string of a reused 5xx entry. A report-style engine is fed real
// nginx lines through recycled slots, with hundreds of upstream names (a
// third longer than the reader's name cache takes, so their bytes lie in
// the line) and a burst that raises alerts at the end. Each entry freed for
// reuse is poisoned (its line copy overwritten with 'X', its strings and
// lists set to "POISON"). Then no string the engine holds outside its
// pending and recent 5xx (rate keys, per-upstream stats, the trim's counts,
// caches, the correlator's maps: found by walking the engine, so a new map
// is covered too) may be poisoned or lie in a buffer any freed entry used,
// and no string of Publish(true)'s snapshot may be poisoned (nor, outside
// its recent verdicts, lie in such a buffer). A snapshot's verdicts are
// never reused: one taken halfway reads the same at the end.
//
// Without the strings.Clone of Upstream in ProxyEntry.DetachReusing the
// report's output is unchanged, but this test fails.
//
// The same for a replay's engine of plain files (timelines made when
// asked, evidence made when asked), fed as Player.RunMerged feeds it at
// full speed, publishing a snapshot every 3,000 records as a replay does
// every 100 ms: the verdicts of every snapshot still read the same at the
// end (entry, cause, own lines, Explain, and the timeline made when
// opened), though the entries of the verdicts no snapshot showed were
// reused.
func TestFreedEntriesLeaveNoStringBehind(t *testing.T) {
	t.Run("report", func(t *testing.T) { checkFreedEntries(t, false) })
	t.Run("replay", func(t *testing.T) { checkFreedEntries(t, true) })
}

// shownVerdict is what a snapshot showed of a verdict, copied.
type shownVerdict struct {
	v        *Verdict
	entry    sources.ProxyEntry
	cause    Cause
	source   string
	evidence string
	timeline string
	loaded   bool // timeline is the one made when opened (Later.Load)
}

func showVerdict(v *Verdict, load bool) shownVerdict {
	ev, hint := v.Explain()
	sv := shownVerdict{v: v, entry: deepCopyEntry(*v.Entry), cause: v.Cause, source: strings.Clone(v.Source),
		evidence: strings.Join(ev, "\n") + "\n" + hint}
	tl := v.Timeline
	if load && v.Later != nil {
		sv.loaded = true
		var err error
		if tl, err = v.Later.Load(); err != nil {
			sv.timeline = err.Error()
		}
	}
	for _, l := range tl.Lines() {
		sv.timeline += fmt.Sprintf("%s %s %v %v %s\n", l.Time.Format(time.RFC3339Nano), l.Source, l.Role, l.Matched, l.Raw)
	}
	return sv
}

func checkFreedEntries(t *testing.T, replay bool) {
	dir := t.TempDir()
	start := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	sc, ok := demo.Lookup("deploy-crash")
	if !ok {
		t.Fatal("no scenario deploy-crash")
	}
	paths, err := demo.WriteFiles(filepath.Join(dir, "demo"), sc, 1, start, 4*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	access := filepath.Join(dir, "many.access.log")
	if err := os.WriteFile(access, manyUpstreamsLog(start, 10*time.Minute), 0o644); err != nil {
		t.Fatal(err)
	}
	paths = append(paths, access)

	// Every buffer a freed entry used, kept alive so that no other memory
	// takes its addresses.
	var bufs [][]byte
	seenBuf := map[*byte]bool{}
	freed, longFreed := 0, 0
	onFreeKept = func(k *keptEntry) {
		freed++
		if len(k.entry.Upstream) > 128 {
			longFreed++
		}
		if b := k.text[:cap(k.text)]; len(b) > 0 && !seenBuf[&b[0]] {
			seenBuf[&b[0]] = true
			bufs = append(bufs, b)
		}
		for i := range k.text {
			k.text[i] = 'X'
		}
		poisonStrings(reflect.ValueOf(&k.entry).Elem())
		for i := range k.room {
			k.room[i] = "POISON"
		}
		if k.later != nil {
			clear(k.later.ins[:])
			k.later.tl = LaterTimeline{}
		}
	}
	t.Cleanup(func() { onFreeKept = nil })

	var ins []*sources.Input
	for i, p := range paths {
		ins = append(ins, sources.NewInput(i, sources.Spec{Path: p, Opts: sources.ParserOptions{Location: time.UTC}}))
	}
	cfg := Config{Terse: true, MaxRecent: 16, Inputs: ins}
	if replay {
		cfg = Config{Timeline: true, Rereaders: sources.Rereaders(ins), ExplainLater: true, Grace: 5 * time.Second,
			MaxRecent: 16, Inputs: ins}
		if cfg.Rereaders == nil {
			t.Fatal("plain files cannot be read again")
		}
	}
	eng := NewEngine(cfg)
	if !eng.reuse {
		t.Fatal("the engine does not reuse entries")
	}
	var half *Snapshot
	var shown []shownVerdict
	fed := 0
	errs := sources.MergeEach(context.Background(), ins, func(it sources.Item) {
		if !replay {
			eng.Feed(it)
			if fed++; fed == 20_000 {
				half = eng.Publish(true)
				for _, v := range half.Recent {
					shown = append(shown, showVerdict(v, false))
				}
			}
			return
		}
		eng.AddLent(&it)
		if fed++; fed%256 == 0 {
			eng.Advance()
		}
		if fed%3000 == 0 {
			s := eng.Publish(false)
			if half == nil && fed >= 20_000 {
				half = s
			}
			for i, v := range s.Recent {
				// Every verdict's own lines and evidence; the
				// timeline read again for a few.
				shown = append(shown, showVerdict(v, i%16 == 0))
			}
		}
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	eng.Flush()
	snap := eng.Publish(true)

	// The test tests something: entries were freed and reused many times,
	// long names among them, and the maps hold many names (the alerts on
	// long names are checked last: poisoned keys lose them).
	if freed < 5000 || len(bufs) > freed/4 || longFreed < 1000 || len(shown) < 16 {
		t.Fatalf("%d entries freed (%d with a long upstream name) into %d buffers: too few, or too little reuse", freed, longFreed, len(bufs))
	}
	if n := len(eng.rates.secs); n < 300 {
		t.Fatalf("%d alert-rate keys, want hundreds", n)
	}
	if n := len(eng.stats.upstreams); n < 300 {
		t.Fatalf("%d upstreams in the stats, want hundreds", n)
	}
	if half == nil || len(half.Recent) == 0 || len(snap.Recent) == 0 {
		t.Fatalf("no recent verdicts halfway, or %d at the end", len(snap.Recent))
	}

	ranges := bufferRanges(bufs)
	var bad []string
	nbad := 0
	report := func(what string) func(path []string, s string) {
		return func(path []string, s string) {
			if !poisoned(s) && !ranges.holds(s) {
				return
			}
			if nbad++; len(bad) >= 20 {
				return
			}
			switch {
			case poisoned(s):
				bad = append(bad, fmt.Sprintf("%s %s is poisoned: %.40q", what, strings.Join(path, ""), s))
			case ranges.holds(s):
				bad = append(bad, fmt.Sprintf("%s %s lies in a reused entry's buffer: %.40q", what, strings.Join(path, ""), s))
			}
		}
	}
	w := newStringWalk(report("engine"))
	w.walk(reflect.ValueOf(eng))
	if w.strings < 1000 {
		t.Fatalf("the walk of the engine read only %d strings", w.strings)
	}

	// The snapshots: poisoned nowhere; in a reused buffer nowhere but in
	// their own verdicts (never reused since the snapshot showed them).
	for _, s := range []*Snapshot{snap, half} {
		recent := s.Recent
		s.Recent = nil
		newStringWalk(report("snapshot")).walk(reflect.ValueOf(s))
		s.Recent = recent
		newStringWalk(func(path []string, str string) {
			if !poisoned(str) {
				return
			}
			if nbad++; len(bad) < 20 {
				bad = append(bad, fmt.Sprintf("snapshot Recent%s is poisoned: %.40q", strings.Join(path, ""), str))
			}
		}).walk(reflect.ValueOf(s.Recent))
	}
	for i, was := range shown {
		now := showVerdict(was.v, was.loaded)
		if !reflect.DeepEqual(now, was) {
			nbad++
			bad = append(bad, fmt.Sprintf("a snapshot's verdict (%d of %d shown) changed: %.60q, was %.60q", i, len(shown), now.entry.Raw, was.entry.Raw))
			break
		}
	}
	t.Logf("%d entries freed (%d with a long upstream name) into %d buffers; %d alert-rate keys, %d upstreams, %d alerts; %d engine strings read; %d verdicts shown", freed, longFreed, len(bufs), len(eng.rates.secs), len(eng.stats.upstreams), len(snap.Alerts), w.strings, len(shown))
	if len(bad) > 0 {
		t.Errorf("%d strings of freed 5xx entries kept past their verdicts (%d freed entries, %d buffers), the first %d:\n%s", nbad, freed, len(bufs), len(bad), strings.Join(bad, "\n"))
	}
	longAlerts := 0
	for _, a := range snap.Alerts {
		if len(a.Upstream) > 128 {
			longAlerts++
		}
	}
	if longAlerts == 0 {
		t.Errorf("no alert on a long upstream name among %d alerts", len(snap.Alerts))
	}
}

// manyUpstreamsLog is an nginx access log (demo.NginxLogFormat) from start
// over d: 5xx and 200s on 360 upstreams, 120 of them with names of over 128
// bytes, then in the last 30 s a burst of 502 on three long-named upstreams
// not seen before (alerts).
func manyUpstreamsLog(start time.Time, d time.Duration) []byte {
	var b strings.Builder
	pad := strings.Repeat("abcdefghij", 14)
	name := func(i int) string {
		switch i % 3 {
		case 0:
			return fmt.Sprintf("svc-%03d-%s.internal:8080", i, pad)
		case 1:
			return fmt.Sprintf("10.%d.%d.7:8080", i/200, i%200)
		default:
			return fmt.Sprintf("pool-%03d.example:80%02d", i, i%100)
		}
	}
	line := func(at time.Time, n, status int, up, us string) {
		uht := "0.004"
		if status >= 500 {
			uht = "-"
		}
		fmt.Fprintf(&b, `10.1.%d.%d - - [%s] "GET /api/v%d/items/%d?q=%d HTTP/1.1" %d 157 "-" "curl/8.1" rt=0.010 uct="0.000" uht="%s" urt="0.010" ua="%s" us="%s" rid=%032x cid=%d`+"\n",
			n%200, n%250, at.Format("02/Jan/2006:15:04:05 -0700"), n%7, n, n%13, status, uht, up, us, uint64(n)*2654435761+1, n)
	}
	burstFrom := d - 30*time.Second
	step := 10 * time.Millisecond
	n := 0
	for at := time.Duration(0); at < d; at += step {
		n++
		t := start.Add(at)
		switch {
		case at >= burstFrom && n%4 == 0:
			up := fmt.Sprintf("burst-%d-%s.internal:8080", n%3, pad)
			line(t, n, 502, up, "502")
		case n%2 == 0:
			status := []int{502, 503, 504}[n/7%3]
			line(t, n, status, name(n/2%360), fmt.Sprint(status))
		default:
			line(t, n, 200, name(n%360), "200")
		}
	}
	return []byte(b.String())
}

// poisonStrings sets every string of the struct v, and of its lists, to
// "POISON".
func poisonStrings(v reflect.Value) {
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case f.Kind() == reflect.String && f.CanSet():
			f.SetString("POISON")
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String && f.CanSet():
			for j := range f.Len() {
				f.Index(j).SetString("POISON")
			}
		}
	}
}

// deepCopyEntry is e with its strings and lists copied.
func deepCopyEntry(e sources.ProxyEntry) sources.ProxyEntry {
	v := reflect.ValueOf(&e).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case f.Kind() == reflect.String && f.CanSet():
			f.SetString(strings.Clone(f.String()))
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String && !f.IsNil():
			l := make([]string, f.Len())
			for j := range l {
				l[j] = strings.Clone(f.Index(j).String())
			}
			f.Set(reflect.ValueOf(l))
		}
	}
	return e
}

// poisoned reports whether s reads what onFreeKept wrote.
func poisoned(s string) bool {
	return strings.Contains(s, "POISON") || (len(s) > 0 && strings.Trim(s, "X") == "")
}

// memRanges are buffers' address ranges, sorted by start.
type memRanges []struct{ from, to uintptr }

func bufferRanges(bufs [][]byte) memRanges {
	var r memRanges
	for _, b := range bufs {
		p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
		r = append(r, struct{ from, to uintptr }{p, p + uintptr(cap(b))})
	}
	slices.SortFunc(r, func(a, b struct{ from, to uintptr }) int { return cmp.Compare(a.from, b.from) })
	return r
}

// holds reports whether s's bytes lie in one of the ranges.
func (r memRanges) holds(s string) bool {
	if len(s) == 0 {
		return false
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	i, _ := slices.BinarySearchFunc(r, p, func(x struct{ from, to uintptr }, p uintptr) int {
		switch {
		case x.to <= p:
			return -1
		case x.from > p:
			return 1
		}
		return 0
	})
	return i < len(r) && r[i].from <= p && p < r[i].to
}

// stringWalk calls check with every string reachable from a value, and the
// path to it, but for what an engine holds its 5xx by (its pending and
// recent verdicts, their entries, the free ones), its inputs, its config
// and the snapshot it published last (checked on its own).
type stringWalk struct {
	check   func(path []string, s string)
	seen    map[walkKey]bool
	refs    map[reflect.Type]bool
	path    []string
	strings int
}

type walkKey struct {
	p uintptr
	t reflect.Type
}

var (
	engineType = reflect.TypeFor[Engine]()
	// notWalked are the Engine fields that hold the 5xx the rule lets keep
	// their strings, or hold no engine state.
	notWalked = map[string]bool{"cfg": true, "pending": true, "ahead": true, "recent": true,
		"recentMem": true, "keeping": true, "freeKept": true, "latest": true, "published": true}
	skippedTypes = map[reflect.Type]bool{reflect.TypeFor[sources.Input](): true, reflect.TypeFor[Config](): true}
)

func newStringWalk(check func(path []string, s string)) *stringWalk {
	return &stringWalk{check: check, seen: map[walkKey]bool{}, refs: map[reflect.Type]bool{}}
}

// hasRefs reports whether a value of t may lead to a string.
func (w *stringWalk) hasRefs(t reflect.Type) bool {
	if r, ok := w.refs[t]; ok {
		return r
	}
	w.refs[t] = true // a recursive type refers to itself through a pointer
	r := false
	switch t.Kind() {
	case reflect.String, reflect.Interface, reflect.Map:
		r = true
	case reflect.Pointer, reflect.Slice, reflect.Array:
		r = w.hasRefs(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			r = r || w.hasRefs(t.Field(i).Type)
		}
	}
	w.refs[t] = r
	return r
}

func (w *stringWalk) walk(v reflect.Value) {
	if !v.IsValid() || !w.hasRefs(v.Type()) || skippedTypes[v.Type()] {
		return
	}
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); s != "" {
			w.strings++
			w.check(w.path, s)
		}
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		k := walkKey{v.Pointer(), v.Type()}
		if w.seen[k] {
			return
		}
		w.seen[k] = true
		w.walk(v.Elem())
	case reflect.Interface:
		if !v.IsNil() {
			w.walk(v.Elem())
		}
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			if t == engineType && notWalked[t.Field(i).Name] {
				continue
			}
			w.path = append(w.path, "."+t.Field(i).Name)
			w.walk(v.Field(i))
			w.path = w.path[:len(w.path)-1]
		}
	case reflect.Slice, reflect.Array:
		w.path = append(w.path, "[]")
		for i := range v.Len() {
			w.walk(v.Index(i))
		}
		w.path = w.path[:len(w.path)-1]
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			w.path = append(w.path, "{key}")
			w.walk(it.Key())
			w.path[len(w.path)-1] = "{value}"
			w.walk(it.Value())
			w.path = w.path[:len(w.path)-1]
		}
	}
}
