package tui

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/table"
	"github.com/charmbracelet/x/ansi"

	"fivexx/classify"
)

// The columns of the upstream table, in order.
const (
	colMark = iota
	colName
	colReqs
	col500
	col502
	col503
	col504
	colOther
	colRetry
	colShare
	colP99
	colCause
	colApp
	colCount
)

// upstreamColumns sizes the table for w cells: numbers get fixed widths,
// name and cause share the rest. Every column is followed by one space.
// other says the window holds 5xx of a status the window does not count
// on its own (classify.Counts.OtherFivexx: 501, 505, Cloudflare's
// 520-530): then the oth column counts them; without them it is left out
// (width 0) and the table is as it was.
//
// The 500 column (an upstream whose 5xx were all 500s read "0 0 0 100%")
// took 5 cells from name and cause; below 80 cells the app column gives 3
// of them back ("app": its shares are "100%", "9.5%"). The oth column
// takes 5 more (7 at 120): an upstream of 530s read "0 0 0 0 100%", no
// column showing what its 5xx were (QA s31, a Cloudflare replay).
//
// Where name and cause do not fit even without them (below 45 cells
// and the name's, 51 to 61 without oth and retry), the narrow layout.
// Below 59 cells (64 with oth) the table did not fit: it was 59 cells
// wide whatever the screen, the columns past its edge cut off, and the
// name had 6 cells at 40 and 50 columns, "…12:8…", which named neither the
// address nor the port (QA s29). There p99, cause and app are left out
// (width 0: the table skips them) and the name takes the room; when that
// is under 11 cells (below 46 columns, 51 with oth), req/s is left out too: 11 cells at
// 40 hold "…1.12:8080"; and when it still is (oth, below 45 columns), oth
// is left out as well: the 5xx% and the rates pane's oth row still count
// those 5xx.
//
// The retry column (retryTitle) counts the attempts that went to the
// upstream and that the proxy retried elsewhere (classify.UpstreamStats.
// WindowFailedAttempts); as oth, it is there only when some row has such
// attempts (retried), and goes first when the table is narrow. A server
// that refused every first attempt, the retries answering, read "req/s 0
// … 0%" through a whole outage (QA s34 H1).
//
// need is the cells the names need to be told apart (namesNeed). The
// name column gets at least that many, or minName, and the cause column
// causeMin: where the columns leave them fewer, retry, p99 and app are
// left out, in that order, before the narrow layout leaves out the
// cause. At 60 columns the name had 7 cells and the cause 6: 10.0.0.4,
// 10.0.1.4 and 10.0.3.4 all read "…4:8080", every cause "upstr…" or
// "app_e…" (QA s36 M4); now p99 goes and they read "10.0.0.4…",
// "…1.4:8080" and "reset", "app_error".
//
// other is the oth column's title (otherLabel), "" without such 5xx.
func upstreamColumns(w int, other string, retried bool, need int) []table.Column {
	num := [colCount]int{colMark: 1, colReqs: 5, col500: 4, col502: 4, col503: 4, col504: 4, colOther: 4, colRetry: 5, colShare: 5, colP99: 5, colApp: 7}
	appTitle := "app log"
	switch {
	case w >= 120:
		num = [colCount]int{colMark: 1, colReqs: 7, col500: 6, col502: 6, col503: 6, col504: 6, colOther: 6, colRetry: 6, colShare: 6, colP99: 7, colApp: 8}
	case w < 80:
		num[colApp], appTitle = 4, "app"
	}
	if other == "" {
		num[colOther] = 0
	}
	if !retried {
		num[colRetry] = 0
	}
	nameW := min(max(need, minName), maxNeed)
	flex := func() int { // the cells left to name and cause
		fixed := 0
		for i, n := range num {
			if n > 0 || i == colName || i == colCause {
				fixed += n + 1 // the column and the space after it
			}
		}
		return w - fixed
	}
	for _, col := range []int{colRetry, colP99, colApp} {
		if flex() >= nameW+causeMin {
			break
		}
		num[col] = 0
	}
	widths := num
	if flex := flex(); flex >= nameW+causeMin {
		causeW := min(max(min(22, flex/2), causeMin), flex-nameW)
		widths[colName], widths[colCause] = min(flex-causeW, 48), causeW
	} else {
		widths[colP99], widths[colApp], widths[colRetry] = 0, 0, 0
		shown := func() int { // the cells of the columns shown but the name's
			n := 1 // the name's space
			for _, cw := range widths {
				if cw > 0 {
					n += cw + 1
				}
			}
			return n
		}
		if w-shown() < 11 {
			widths[colReqs] = 0
		}
		if w-shown() < 11 {
			widths[colOther] = 0
		}
		widths[colName] = max(w-shown(), 6)
	}
	titles := [colCount]string{"", "upstream", "req/s", "500", "502", "503", "504", other, retryTitle, "5xx%", "p99", "cause", appTitle}
	cols := make([]table.Column, colCount)
	for i := range cols {
		t := titles[i]
		if rightAligned(i) {
			t = padLeft(t, widths[i])
		}
		cols[i] = table.Column{Title: clip(t, widths[i]), Width: widths[i]}
	}
	return cols
}

// minName and causeMin are the fewest cells the name and the cause
// column get beside each other (upstreamColumns): a cause reads in 9
// ("app_error", "refused", "no_healt…"; causeCell).
// maxNeed is the most cells a name needs (namesNeed): past it no column
// is left out for it.
const (
	minName  = 6
	causeMin = 9
	maxNeed  = 16
)

// otherTitle names the 5xx of a status the window does not count on its
// own, in the table and the rates pane, when they may be of several
// statuses (otherLabel; ? help says which).
const otherTitle = "oth"

// retryTitle is the title of the upstream table's column of failed
// attempts (upstreamColumns).
const retryTitle = "retry"

// hasRetried reports whether an upstream of s's window has failed
// attempts that the proxy retried elsewhere.
func hasRetried(s *classify.Snapshot) bool {
	return s != nil && slices.ContainsFunc(s.Upstreams, func(u classify.UpstreamStats) bool { return u.WindowFailedAttempts > 0 })
}

// hasOtherFivexx reports whether the window of s holds such 5xx.
func hasOtherFivexx(s *classify.Snapshot) bool {
	return s != nil && s.Windowed.OtherFivexx > 0
}

// otherCodes are the statuses of the 5xx that the window does not count
// on its own (all but 500, 502, 503 and 504), among all the requests
// read, lowest first: the window's others are of these. The window
// counts them together (classify.Counts.OtherFivexx); the totals count
// each status.
func otherCodes(s *classify.Snapshot) []int {
	if s == nil {
		return nil
	}
	var codes []int
	for code, n := range s.Total.Status {
		if n > 0 && code >= 500 && code <= 599 && code != 500 && code != 502 && code != 503 && code != 504 {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	return codes
}

// otherLabel names the window's other 5xx in the table's column and the
// rates pane's row: their status when all that was read had one other
// (an upstream of 530s reads "530", not "oth", which named no code),
// otherTitle when they may be of several (? help lists them), "" when
// the window has none.
func otherLabel(s *classify.Snapshot) string {
	if !hasOtherFivexx(s) {
		return ""
	}
	if codes := otherCodes(s); len(codes) == 1 {
		return strconv.Itoa(codes[0])
	}
	return otherTitle
}

// otherCodesText lists otherCodes with their counts in all that was
// read: "501 ×1, 520 ×3".
func otherCodesText(s *classify.Snapshot) string {
	var parts []string
	for _, code := range otherCodes(s) {
		parts = append(parts, strconv.Itoa(code)+" ×"+CountText(s.Total.Status[code]))
	}
	return strings.Join(parts, ", ")
}

// rowName is u's name in the table: "(other)" says how many upstreams it
// counts, as the report's JSON and text do (classify.UpstreamStats.Names):
// "(other: 4500)", "(other: 10k+)" past the 10,000 counted. It said
// "(other)" alone, 4,500 upstreams or one (otherfix, session 37).
func rowName(u classify.UpstreamStats) string {
	if u.Names <= 0 {
		return u.Name
	}
	more := ""
	if u.NamesMore {
		more = "+"
	}
	return strings.TrimSuffix(u.Name, ")") + ": " + CountText(u.Names) + more + ")"
}

// rightAligned reports whether column i holds numbers.
func rightAligned(i int) bool {
	return i != colMark && i != colName && i != colCause
}

// upstreamRow is the table row of u for the columns cols; hide keeps the
// cause out (training mode); cut says how a long name is cut (nameCuts).
func upstreamRow(mark string, u classify.UpstreamStats, cols []table.Column, hide bool, cut nameCut) table.Row {
	w := u.Windowed
	cause := none
	switch {
	case u.RecentCause != "":
		// What fails it now: the window's most frequent cause lagged
		// minutes behind a cause that changed (QA s38 L1).
		cause = causeName(u.RecentCause, hide)
	case u.DominantCause != "":
		cause = causeName(u.DominantCause, hide)
		if u.CauseEarlier {
			cause = earlierMark + cause
		}
	}
	app := none
	if c := u.WindowAppCoverage(); c >= 0 && !u.WindowReachedNoApp() {
		app = fmtShare(c)
	}
	cells := [colCount]string{
		colMark:  mark,
		colName:  rowName(u),
		colReqs:  fmtRate(u.ReqPerSec),
		col500:   CountText(w.Status[500]),
		col502:   CountText(w.Status[502]),
		col503:   CountText(w.Status[503]),
		col504:   CountText(w.Status[504]),
		colOther: CountText(w.OtherFivexx),
		colRetry: CountText(u.WindowFailedAttempts),
		colShare: fmtShare(share(w.Fivexx(), w.Requests)),
		colP99:   fmtMillis(u.P99),
		colCause: cause,
		colApp:   app,
	}
	row := make(table.Row, colCount)
	for i, c := range cells {
		cw := 1
		if i < len(cols) {
			cw = cols[i].Width
		}
		switch i {
		case colName:
			c = clipName(c, cw, cut)
		case colCause:
			c = causeCell(c, cw)
		default:
			c = clip(c, cw)
		}
		if rightAligned(i) {
			c = padLeft(c, cw)
		}
		row[i] = c
	}
	return row
}

// causeCell cuts the cause name c to w cells. Where the column cannot
// tell the upstream_ causes apart as they are ("upstream_re…" for refused
// and reset), their "upstream_" is left out: "refused", "reset".
func causeCell(c string, w int) string {
	mark := ""
	if rest, ok := strings.CutPrefix(c, earlierMark); ok {
		mark, c = earlierMark, rest
	}
	if w < causesApart()+len(mark) && strings.HasPrefix(c, upstreamPrefix) {
		c = strings.TrimPrefix(c, upstreamPrefix)
	}
	return clip(mark+c, w)
}

// earlierMark starts the cause of an upstream with no 5xx in the last 20
// to 30 s (UpstreamStats.CauseEarlier): the window's most frequent cause,
// of 5xx that have stopped.
const earlierMark = "was "

const upstreamPrefix = "upstream_"

// causesApart is the fewest cells in which every cause, cut, reads
// differently (13: "upstream_ref…", "upstream_res…"). Worked out on the
// first call, not at package init: clip's "…" builds runeCells' table
// (about 90 M instructions), which every fivexx run paid at start,
// reports included (callgrind, the 200 k three-file report: +7 %).
var causesApart = sync.OnceValue(func() int {
	for w := 1; ; w++ {
		seen := map[string]bool{}
		for _, c := range classify.AllCauses {
			seen[clip(string(c), w)] = true
		}
		if len(seen) == len(classify.AllCauses) {
			return w
		}
	}
})

// namesNeed is the fewest cells that show, for each of names, what tells
// it from the others (nameCuts): its whole width, or its start to the
// character cuts[name] keeps there and "…", or "…" and its end from the
// one kept there. A name that needs more than maxNeed is cut around the
// character that tells it from the closest name ("…zz1kq…", clipPart)
// and needs none.
func namesNeed(names []string, cuts map[string]nameCut) int {
	need := 0
	for _, n := range names {
		s := tableName(n)
		total := ansi.StringWidth(s)
		c, ok := cuts[n]
		if !ok || total <= 2 {
			need = max(need, min(total, 2))
			continue
		}
		head, tail := c.ends()
		head, tail = min(head, len(s)-1), min(tail, len(s)-1)
		_, size := utf8.DecodeRuneInString(s[head:])
		if n := min(total, ansi.StringWidth(s[:head+size])+1, total-ansi.StringWidth(s[:tail])+1); n <= maxNeed {
			need = max(need, n)
		}
	}
	return need
}

// nameCut says how a name too long for its column is cut: keep is the
// byte offset, in the sanitized name, of the character that tells it from
// the name closest to it, which the cut must show; tail says that the
// closest name shares its start, so its end is what to keep. other is
// the character a cut on the other side must show: a name can share its
// start with one name and its end with another, 10.0.0.3:8080 with
// 10.0.0.2:8080 and 10.0.1.3:8080, and a cut that keeps its end must keep
// the "0" of "0.3" as well as the "3" ("…0.3:8080"): keeping the "3"
// alone, 10.0.0.3, 10.0.1.3 and 10.0.3.3 all read "…3:8080" (QA s36 M4).
type nameCut struct {
	keep  int
	tail  bool
	other int
}

// cutKeeping is the nameCut whose cut at the end shows head and whose
// cut at the start shows tail, the latter preferred for preferTail.
func cutKeeping(head, tail int, preferTail bool) nameCut {
	if preferTail {
		return nameCut{keep: tail, tail: true, other: head}
	}
	return nameCut{keep: head, other: tail}
}

// ends are the characters a cut at the end ("10.0.0.3…", head) and a cut
// at the start ("…0.3:8080", tail) must show.
func (c nameCut) ends() (head, tail int) {
	if c.tail {
		return c.other, c.keep
	}
	return c.keep, c.other
}

// nameCuts returns how to cut each of names (nameCut). A name that shares
// a longer start than end with another is told apart by its end, the
// others by their start: at 60 columns the name column is 8 cells, and
// 10.0.1.12:8080 beside 10.0.1.13:8080 read "10.0.1.…" on every row, now
// "…12:8080"; api-7f9c.prod.svc.cluster.local keeps its start. Below 60
// columns (6 cells) the end kept was only the shared ":8080" ("…:8080" on
// every row): now the cut keeps the character that differs (clipName).
func nameCuts(names []string) map[string]nameCut {
	if len(names) < 2 {
		return nil
	}
	safe := make([]string, len(names))
	for i, n := range names {
		safe[i] = tableName(n)
	}
	prefix := longestShared(safe, func(s string) string { return s })
	suffix := longestShared(safe, reverse)
	out := make(map[string]nameCut, len(names))
	for i, n := range names {
		s := safe[i]
		if s == "" {
			continue
		}
		// A name that shares as much of its start as of its end with
		// others (10.0.0.3:8080 beside 10.0.0.2:8080 and 10.0.1.3:8080)
		// keeps its end: "…0.3:8080", with its port, not "10.0.0.3:…".
		tail := prefix[s] > suffix[s] || prefix[s] == suffix[s] && prefix[s] > 0
		out[n] = cutKeeping(runeAt(s, prefix[s]), runeAt(s, len(s)-suffix[s]-1), tail)
	}
	return out
}

// runeAt is the offset of the character of s that byte i falls in, i
// clamped into s.
func runeAt(s string, i int) int {
	i = max(min(i, len(s)-1), 0)
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// longestShared maps each name to the longest prefix of key(name) it
// shares with the key of another name: after sorting, that other is a
// neighbour.
func longestShared(names []string, key func(string) string) map[string]int {
	type kn struct{ k, name string }
	ks := make([]kn, len(names))
	for i, n := range names {
		ks[i] = kn{key(n), n}
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].k < ks[j].k })
	out := make(map[string]int, len(names))
	for i := range ks {
		best := 0
		if i > 0 {
			best = commonPrefix(ks[i].k, ks[i-1].k)
		}
		if i+1 < len(ks) {
			best = max(best, commonPrefix(ks[i].k, ks[i+1].k))
		}
		out[ks[i].name] = max(out[ks[i].name], best)
	}
	return out
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// reverse reverses s byte by byte: only the lengths of shared ends matter.
func reverse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := len(s) - 1; i >= 0; i-- {
		b.WriteByte(s[i])
	}
	return b.String()
}

// clipName sanitizes name (tableName) and cuts it to at most w cells so
// that the character at c.keep shows: its start ("api-7f9…") or, for
// c.tail, its end ("…12:8080") when that holds it, else the other end,
// else a stretch from the start of the part (after . : - / _ @) that holds
// it, cut on both sides ("…12:8…"). A name is log text: it is sanitized
// before it is measured and cut, and c.keep is an offset in the sanitized
// name.
func clipName(name string, w int, c nameCut) string {
	if w <= 0 {
		return ""
	}
	s := tableName(name)
	total := ansi.StringWidth(s)
	if total <= w {
		return s
	}
	if cut, ok := clipAddress(s, w, c); ok {
		return cut
	}
	return clipPart(s, w, total, c)
}

// clipAddress cuts the sanitized s, which is wider than w, so that the
// host:port it starts with reads as one (hostPort): a name that is the
// address keeps its port whole, and the host is cut as clipPart cuts it
// ("…1.12:8080", "api-7f9c4.pr…:8080"); a name that goes on after its
// address (log text: "10.0.0.9:80\x1b]0;title\x07") keeps the address
// whole, and its rest is cut so: "10.0.0.9:80…]0;title\x07". Cut as any
// name, a hostile name's shared address went first ("…]0;title\x07"),
// and at 6 cells "…12:8…" named no port (QA s29). ok is false when s
// starts with no address or w leaves the part cut too few cells
// (minAddressPart, minHostPart).
func clipAddress(s string, w int, c nameCut) (cut string, ok bool) {
	hostEnd, addrEnd := hostPort(s)
	if addrEnd == 0 {
		return "", false
	}
	// The part to cut, what is kept whole before or after it, and where
	// the character to show falls in the part.
	part, keep := s[:hostEnd], nameCut{keep: hostEnd - 1, tail: true, other: hostEnd - 1}
	before, after := "", s[hostEnd:addrEnd]
	if addrEnd < len(s) {
		part, keep = s[addrEnd:], nameCut{}
		before, after = s[:addrEnd], ""
	}
	from := len(before)
	switch {
	case c.keep >= from && c.keep < from+len(part):
		// A character outside the part is shown whole before or after
		// it: any cut of the part keeps it.
		head, tail := c.ends()
		head, tail = head-from, tail-from
		if head < 0 || head >= len(part) {
			head = 0
		}
		if tail < 0 || tail >= len(part) {
			tail = len(part) - 1
		}
		keep = cutKeeping(head, tail, c.tail)
	case c.tail && after == "" && c.keep < from:
		// The end from the address on tells the name apart: its rest's
		// end, not its start ("10.0.0.9:80…[5A" beside "…[6A", not
		// "10.0.0.9:80\x1…").
		keep = nameCut{keep: len(part) - 1, tail: true, other: len(part) - 1}
	}
	room := w - ansi.StringWidth(before) - ansi.StringWidth(after)
	if room < minAddressPart || (after != "" && room < minHostPart) {
		return "", false
	}
	cut = clipPart(part, room, ansi.StringWidth(part), keep)
	if after != "" {
		cut = strings.Replace(cut, "….", "…", 1) // "…1.12:8080", not "….1.12:8080"
	}
	return before + cut + after, true
}

// minAddressPart and minHostPart are the fewest cells clipAddress leaves
// the part it cuts (else clipPart cuts the whole name): after an address,
// "…" and 3 characters, which tell the rows apart ("10.0.0.9:80…[0m");
// a host before its port 6, as in fewer a host name reads better without
// its port: "api-7f…" rather than "a…:8080".
const (
	minAddressPart = 4
	minHostPart    = 6
)

// hostPort finds the host:port s starts with: a host name, an IPv4
// address or an IPv6 one in brackets, ":" and 1 to 5 digits. hostEnd is
// the offset of the ":", addrEnd the offset after the port; both 0 when s
// starts with none.
func hostPort(s string) (hostEnd, addrEnd int) {
	i := 0
	if strings.HasPrefix(s, "[") {
		i = strings.IndexByte(s, ']') + 1
	} else {
		for i < len(s) && (s[i] == '.' || s[i] == '-' || s[i] == '_' ||
			s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z') {
			i++
		}
	}
	if i <= 0 || i >= len(s) || s[i] != ':' {
		return 0, 0
	}
	j := i + 1
	for j < len(s) && j-i <= 5 && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i+1 {
		return 0, 0
	}
	return i, j
}

// clipPart cuts the sanitized s, total cells wide and wider than w, so that
// the character at c.keep shows (clipName). No cut falls inside an escape
// the sanitizer wrote (escapeSpan).
func clipPart(s string, w, total int, c nameCut) string {
	if w < 3 || c.keep >= len(s) {
		return cutSide(s, w, total, c.tail, -1)
	}
	head, tail := c.ends()
	head, tail = min(head, len(s)-1), min(tail, len(s)-1)
	_, size := utf8.DecodeRuneInString(s[head:])
	inStart := ansi.StringWidth(s[:head+size]) <= w-1 // a cut at the end shows head
	inEnd := total-ansi.StringWidth(s[:tail]) <= w-1  // a cut at the start shows tail
	switch {
	case inEnd && (c.tail || !inStart):
		cut := cutSide(s, w, total, true, tail)
		if rest, ok := strings.CutPrefix(cut, "…."); ok && len(s)-len(rest) <= tail {
			return "…" + rest // "…0.3:8080", not "….0.3:8080"
		}
		return cut
	case inStart:
		return cutSide(s, w, total, false, head)
	}
	// Neither end holds both: a stretch around the character that tells
	// it from the closest name.
	_, size = utf8.DecodeRuneInString(s[c.keep:])
	keepTo := ansi.StringWidth(s[:c.keep+size])
	inner := w - 2
	start := partStart(s, c.keep)
	part := dropCells(s[start:], keepTo-ansi.StringWidth(s[:start])-inner)
	from := len(s) - len(part)
	return middle(s, from, from+len(ansi.Truncate(part, inner, "")), inner, c.keep)
}

// cutSide cuts the sanitized s, total cells wide, to w cells: at its end
// ("api-7f9…") or, for keepEnd, at its start ("…12:8080"). A cut inside
// a shown escape moves to its edge, dropping it ("…[5A", not "…1b[5A"),
// unless it holds the character at keep (-1: none), which then shows
// with the escape whole between two "…" ("…\x1c…"), or, where w has no
// room for it whole, cut as before: a part of it tells the rows apart,
// none would not.
func cutSide(s string, w, total int, keepEnd bool, keep int) string {
	switch {
	case w == 1:
		return "…"
	case keepEnd:
		tail := dropCells(s, total-w+1)
		from := len(s) - len(tail)
		if a, b := escapeSpan(s, from); a < from {
			switch {
			case keep < a || keep >= b:
				tail = s[b:]
			case b-a <= w-2:
				return middle(s, a, b, w-2, keep)
			}
		}
		return "…" + tail
	}
	to := len(ansi.Truncate(s, w-1, ""))
	if a, b := escapeSpan(s, to); a < to {
		switch {
		case keep < a || keep >= b:
			to = a
		case b-a <= w-2:
			return middle(s, a, b, w-2, keep)
		}
	}
	return s[:to] + "…"
}

// middle is s[from:to] between two "…", its ends moved out of the shown
// escapes they fall in: to the edge that drops the escape, or, for the
// one holding the character at keep, that keeps it whole where inner
// cells hold it, the other end then giving way.
func middle(s string, from, to, inner, keep int) string {
	holds := func(a, b int) bool { return keep >= a && keep < b }
	if a, b := escapeSpan(s, from); a < from {
		switch {
		case !holds(a, b):
			from = min(b, to)
		case ansi.StringWidth(s[a:b]) <= inner:
			from, to = a, max(to, b)
			for ansi.StringWidth(s[from:to]) > inner {
				_, size := utf8.DecodeLastRuneInString(s[:to])
				to -= size
			}
		}
	}
	if a, b := escapeSpan(s, to); a < to {
		switch {
		case !holds(a, b):
			to = max(a, from)
		case ansi.StringWidth(s[a:b]) <= inner:
			to = b
			from = max(from, to-len(dropCells(s[:to], ansi.StringWidth(s[:to])-inner)))
			if a2, b2 := escapeSpan(s, from); a2 < from {
				from = min(b2, to)
			}
		}
	}
	return "…" + s[from:to] + "…"
}

// escapeSpan is the shown escape (textsafe.Escape, tableName: \x1b,
// \u202e, \n, \r) that byte offset i of s falls strictly inside, as its
// start and end offsets; (i, i) when none. A cut there showed "…1b[5A"
// of a name holding ESC[5A: neither the escape nor the text.
func escapeSpan(s string, i int) (start, end int) {
	for a := i - 1; a >= 0 && a >= i-5; a-- {
		if s[a] != '\\' || a+1 >= len(s) {
			continue
		}
		n := 0
		switch s[a+1] {
		case 'n', 'r':
			n = 2
		case 'x':
			n = 4
		case 'u':
			n = 6
		}
		if n == 0 || a+n > len(s) || a+n <= i {
			continue
		}
		if n > 2 && !isHex(s[a+2:a+n]) {
			continue
		}
		return a, a + n
	}
	return i, i
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// dropCells drops at least n cells from the start of the sanitized s, rune
// by rune: ansi.TruncateLeft keeps a wide character it would cut in two
// ("ホスト:80" in 5 cells was "…ト:80", 6 cells). A zero-width rune (a
// combining mark) goes with the one before it.
func dropCells(s string, n int) string {
	for s != "" {
		_, size := utf8.DecodeRuneInString(s)
		cw := ansi.StringWidth(s[:size])
		if n <= 0 && cw > 0 {
			break
		}
		n -= cw
		s = s[size:]
	}
	return s
}

// partStart is the offset in s where the part holding offset i starts:
// after the last separator before it.
func partStart(s string, i int) int {
	for ; i > 0; i-- {
		if strings.IndexByte(".:-/_@", s[i-1]) >= 0 {
			return i
		}
	}
	return 0
}

// tableName is the name as the table shows it: sanitized, and with every
// grapheme cluster that the two ways of measuring (cells.go) make of
// different widths written as its first code point followed by the escapes
// of the others: "👍🏽" is "👍\u1f3fd", "हि" is "ह\u093f". The table pads its
// cells by grapheme width (lipgloss), so a name holding "👍🏽" made its row
// 2 cells wider per emoji in tmux: the row wrapped, the screen scrolled,
// the table lost its header (QA s24 TUI #1). Escaped, the name is as wide
// in every terminal and the columns stay aligned; the drill-down and the
// detail show the name as it is.
func tableName(name string) string {
	s := Sanitize(name)
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	changed := false
	for _, u := range units(s) {
		if u.g == u.points {
			b.WriteString(u.text)
			continue
		}
		changed = true
		for i, r := range u.text {
			if rs := string(r); i == 0 && ansi.StringWidth(rs) == runeCells(r) && runeCells(r) > 0 {
				b.WriteString(rs)
				continue
			}
			fmt.Fprintf(&b, `\u%04x`, r) // as textsafe writes a hidden rune
		}
	}
	if !changed {
		return s
	}
	return b.String()
}
