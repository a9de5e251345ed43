package main

// The bare tokenizer is issue 8's practical ceiling: "a bare hand
// tokenizer that only counts status per upstream", against which fivexx
// is asked to be within about 2×. Its absolute lines/s say as much about
// the host as about fivexx, so benchcmp runs it on the same files in the
// same run, alternated run by run with the fivexx row it is compared to,
// and prints the ratio.
//
// It does the least any tool must do to answer "which upstream failed how
// often": large reads (no mmap), split lines, and in the access log the
// client status and each upstream address with its own status; in the
// error and app logs it only counts lines. With GOMAXPROCS=N it reads each
// file as N byte ranges, one goroutine each, and merges the counts. Its
// counts are checked against the generator's truth like every tool's: a
// tokenizer that miscounts is not a ceiling.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"fivexx/testdata/biglog"
)

// bareBlock is the size of one read: large enough that the system calls
// cost nothing next to the tokenizing.
const bareBlock = 1 << 20

// bareReport is what the bare tokenizer prints, as JSON.
type bareReport struct {
	// Lines per file, by base name.
	Lines map[string]int64 `json:"lines"`
	// Status counts the access log's lines by the status sent to the client.
	Status map[string]int64 `json:"status"`
	// Upstreams counts attempts by upstream address ($upstream_addr) and
	// the status that upstream returned ($upstream_status).
	Upstreams map[string]map[string]int64 `json:"upstreams"`
	// Static counts access lines no upstream answered (ua="-"), Retried
	// those that name more than one upstream.
	Static  int64 `json:"static"`
	Retried int64 `json:"retried"`
}

// bareTally is one goroutine's counts over its byte range of one file.
type bareTally struct {
	lines           int64
	status          [1000]int64
	static, retried int64
	index           map[string]int // upstream address -> position in upstreams
	upstreams       []upstreamTally
}

// upstreamTally counts one upstream's attempts by the status it returned;
// status 0 is an attempt whose status was not three digits.
type upstreamTally struct {
	addr   string
	status [1000]int64
}

var (
	uaField = []byte(` ua="`)
	usField = []byte(`" us="`)
)

// accessLine counts one upstream-rich access line (see biglog's
// accessLine): the status after the request line, then the lists in
// ua="addr, addr" us="status, status", paired in order.
func (t *bareTally) accessLine(line []byte) {
	t.lines++
	status, end := statusAt(line)
	t.status[status]++
	if end == 0 {
		return
	}
	// The lists are near the end, before rid= and cid=: they are found
	// from there, back to front, which reads a third of the bytes that a
	// search from the status through the referer and user agent would.
	// No value holds a quote: nginx escapes them (\x22).
	rest := line[end:]
	q := bytes.LastIndexByte(rest, '"')
	if q < 0 {
		return
	}
	rest = rest[:q]
	q = bytes.LastIndexByte(rest, '"')
	if q < len(usField)-1 || !bytes.Equal(rest[q-len(usField)+1:q+1], usField) {
		return
	}
	statuses := rest[q+1:]
	rest = rest[:q-len(usField)+1]
	q = bytes.LastIndexByte(rest, '"')
	if q < len(uaField)-1 || !bytes.Equal(rest[q-len(uaField)+1:q+1], uaField) {
		return
	}
	addrs := rest[q+1:]
	if len(addrs) == 1 && addrs[0] == '-' {
		t.static++
		return
	}
	n := 0
	for len(addrs) > 0 {
		addr := addrs
		if c := bytes.IndexByte(addrs, ','); c >= 0 {
			addr, addrs = addrs[:c], bytes.TrimPrefix(addrs[c+1:], []byte(" "))
		} else {
			addrs = nil
		}
		st := statuses
		if c := bytes.IndexByte(statuses, ','); c >= 0 {
			st, statuses = statuses[:c], bytes.TrimPrefix(statuses[c+1:], []byte(" "))
		} else {
			statuses = nil
		}
		t.upstream(addr).status[threeDigits(st)]++
		n++
	}
	if n > 1 {
		t.retried++
	}
}

// upstream returns addr's tally; the map lookup with string(addr) does not
// allocate, only a new address is copied.
func (t *bareTally) upstream(addr []byte) *upstreamTally {
	i, ok := t.index[string(addr)]
	if !ok {
		if t.index == nil {
			t.index = map[string]int{}
		}
		i = len(t.upstreams)
		t.index[string(addr)] = i
		t.upstreams = append(t.upstreams, upstreamTally{addr: string(addr)})
	}
	return &t.upstreams[i]
}

// threeDigits returns b as a status, 0 when it is not three digits.
func threeDigits(b []byte) int {
	if len(b) != 3 {
		return 0
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// tallyRange counts the lines that start in [start, end) of f: a line
// that begins before start belongs to the range before, one that begins
// before end is read to its newline even past end. buf is the read buffer;
// a line longer than it grows it, and the grown buffer is returned.
func tallyRange(f *os.File, start, end int64, access bool, buf []byte, t *bareTally) ([]byte, error) {
	base := start // file offset of buf[0]
	skip := start > 0
	if skip {
		// Read from the byte before start: when it is a newline, the line
		// at start is this range's first.
		base = start - 1
	}
	held := 0 // bytes in buf not yet counted
	for {
		if held == len(buf) {
			buf = append(buf, make([]byte, len(buf))...)
		}
		m, err := f.ReadAt(buf[held:], base+int64(held))
		held += m
		eof := err == io.EOF
		if err != nil && !eof {
			return buf, err
		}
		data := buf[:held]
		p := 0
		if skip {
			i := bytes.IndexByte(data, '\n')
			if i < 0 {
				if eof {
					return buf, nil
				}
				base += int64(held)
				held = 0
				continue
			}
			p, skip = i+1, false
		}
		for base+int64(p) < end {
			i := bytes.IndexByte(data[p:], '\n')
			if i < 0 {
				break
			}
			if access {
				t.accessLine(data[p : p+i])
			} else {
				t.lines++
			}
			p += i + 1
		}
		if base+int64(p) >= end {
			return buf, nil
		}
		if eof {
			if p < held { // the last line has no newline
				if access {
					t.accessLine(data[p:held])
				} else {
					t.lines++
				}
			}
			return buf, nil
		}
		held = copy(buf, data[p:held])
		base += int64(p)
	}
}

// bare runs the bare tokenizer on paths, the first an upstream-rich access
// log, the others only counted, with workers goroutines (benchcmp -bare
// starts GOMAXPROCS), and writes a bareReport.
func bare(paths []string, workers int, w io.Writer) error {
	sizes := make([]int64, len(paths))
	for i, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		sizes[i] = fi.Size()
	}
	// tallies[worker][file]: every goroutine takes its share of every
	// file, so each does the same work.
	tallies := make([][]bareTally, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for k := range workers {
		tallies[k] = make([]bareTally, len(paths))
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, bareBlock)
			for i, p := range paths {
				f, err := os.Open(p)
				if err != nil {
					errs[k] = err
					return
				}
				start, end := sizes[i]*int64(k)/int64(workers), sizes[i]*int64(k+1)/int64(workers)
				buf, err = tallyRange(f, start, end, i == 0, buf, &tallies[k][i])
				f.Close()
				if err != nil {
					errs[k] = fmt.Errorf("read %s: %w", p, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return json.NewEncoder(w).Encode(mergeTallies(paths, tallies))
}

// mergeTallies adds up the goroutines' counts.
func mergeTallies(paths []string, tallies [][]bareTally) bareReport {
	r := bareReport{Lines: map[string]int64{}, Status: map[string]int64{}, Upstreams: map[string]map[string]int64{}}
	for _, perFile := range tallies {
		for i, t := range perFile {
			r.Lines[filepath.Base(paths[i])] += t.lines
			r.Static += t.static
			r.Retried += t.retried
			for code, n := range t.status {
				if n > 0 {
					r.Status[strconv.Itoa(code)] += n
				}
			}
			for _, u := range t.upstreams {
				m := r.Upstreams[u.addr]
				if m == nil {
					m = map[string]int64{}
					r.Upstreams[u.addr] = m
				}
				for code, n := range u.status {
					if n > 0 {
						m[strconv.Itoa(code)] += n
					}
				}
			}
		}
	}
	return r
}

// verifyBare checks the bare tokenizer's counts against set's truth: lines
// per file, access lines by status, the lines without an upstream and with
// more than one, and that every attempt's status was read.
func verifyBare(set logSet, files []string) func(io.Reader) error {
	st := set.stats
	wantLines := map[string]int64{biglog.AccessFile: st.AccessLines, biglog.ErrorFile: st.ErrorLines, biglog.AppFile: st.AppLines}
	return func(out io.Reader) error {
		var r bareReport
		if err := json.NewDecoder(out).Decode(&r); err != nil {
			return fmt.Errorf("read its JSON: %w", err)
		}
		want := map[string]int64{}
		for _, f := range files {
			want[f] = wantLines[f]
		}
		if err := diffCounts("lines per file", want, r.Lines); err != nil {
			return err
		}
		if err := diffCounts("status totals", set.wantStatus(), r.Status); err != nil {
			return err
		}
		if r.Static != st.Static || r.Retried != st.Retried {
			return fmt.Errorf("%d lines without an upstream and %d retried, want %d and %d", r.Static, r.Retried, st.Static, st.Retried)
		}
		// Every request an upstream answered names one at least, a
		// retried one two at least.
		var attempts int64
		var unread []string
		for addr, m := range r.Upstreams {
			for code, n := range m {
				attempts += n
				if code == "0" {
					unread = append(unread, fmt.Sprintf("%s: %d", addr, n))
				}
			}
		}
		if len(unread) > 0 {
			return fmt.Errorf("attempts without a status: %s", strings.Join(unread, ", "))
		}
		if least := st.AccessLines - st.Static + st.Retried; attempts < least {
			return fmt.Errorf("%d upstream attempts, want at least %d", attempts, least)
		}
		return nil
	}
}

// bareTools are the bare tokenizer's rows: on the three files fivexx's
// reference row reads and on access.log alone, each on all cores and on
// one, paired with the fivexx row of the same input and cores.
func bareTools(self string, set logSet) []tool {
	st := set.stats
	three := []string{biglog.AccessFile, biglog.ErrorFile, biglog.AppFile}
	mk := func(files []string, lines int64, oneCore bool) tool {
		t := tool{
			name:   "bare tokenizer (status per upstream; lines)",
			input:  strings.Join(files, " + "),
			lines:  lines,
			access: st.AccessLines,
			verify: verifyBare(set, files),
			bare:   true,
		}
		for _, f := range files {
			t.inputs = append(t.inputs, set.path(f))
		}
		t.argv = []string{self, "-bare", strings.Join(t.inputs, ",")}
		t.pair = ceilingKey{input: t.input, oneCore: oneCore}
		if oneCore {
			t.name = "bare tokenizer, one core (GOMAXPROCS=1)"
			t.env = []string{"GOMAXPROCS=1"}
		}
		return t
	}
	return []tool{
		mk(three, st.TotalLines(), false),
		mk(three, st.TotalLines(), true),
		mk([]string{biglog.AccessFile}, st.AccessLines, false),
		mk([]string{biglog.AccessFile}, st.AccessLines, true),
	}
}

// ceilingKey names a fivexx row and the bare tokenizer row it is compared
// to: the same input on all cores or on one.
type ceilingKey struct {
	input   string
	oneCore bool
}

// printCeiling prints fivexx's wall and CPU time over the bare tokenizer's,
// pair by pair, for issue 8's "within about 2×".
func printCeiling(w io.Writer, results []result) {
	var keys []ceilingKey
	fivexx, ceiling := map[ceilingKey]*result{}, map[ceilingKey]*result{}
	for i := range results {
		r := &results[i]
		if r.pair == (ceilingKey{}) {
			continue
		}
		if r.bare {
			ceiling[r.pair] = r
			keys = append(keys, r.pair)
		} else {
			fivexx[r.pair] = r
		}
	}
	if len(keys) == 0 {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "#### fivexx ÷ bare tokenizer")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "The bare tokenizer is issue 8's practical ceiling (target: fivexx within about 2×), measured here on the same files, "+
		"its runs alternated with fivexx's: %d MB reads, lines split, in access.log the client status and each upstream address "+
		"with its status counted, in the other files lines counted; on N cores each file read as N byte ranges, one goroutine each. "+
		"Its counts were checked against the truth (lines per file, status totals, requests with no upstream and retried).\n\n", bareBlock>>20)
	fmt.Fprintln(w, "| input | cores | fivexx wall s | bare wall s | fivexx ÷ bare, wall | fivexx CPU s | bare CPU s | fivexx ÷ bare, CPU |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|")
	for _, k := range keys {
		cores := fmt.Sprint(runtime.GOMAXPROCS(0))
		if k.oneCore {
			cores = "1"
		}
		f, b := fivexx[k], ceiling[k]
		switch {
		case f == nil:
			fmt.Fprintf(w, "| %s | %s | — | — | no fivexx row | — | — | — |\n", k.input, cores)
		case f.err != nil || b.err != nil:
			why := "fivexx failed"
			if b.err != nil {
				why = "bare tokenizer failed"
			}
			fmt.Fprintf(w, "| %s | %s | — | — | %s | — | — | — |\n", k.input, cores, why)
		default:
			fw, bw, fc, bc := f.wall().Seconds(), b.wall().Seconds(), f.cpu().Seconds(), b.cpu().Seconds()
			fmt.Fprintf(w, "| %s | %s | %.2f | %.2f | %s | %.2f | %.2f | %s |\n", k.input, cores, fw, bw, quotient(fw, bw), fc, bc, quotient(fc, bc))
		}
	}
}

// quotient says a/b as "2.3×", "—" when b is zero.
func quotient(a, b float64) string {
	if b <= 0 {
		return "—"
	}
	return twoDigits(a/b) + "×"
}
