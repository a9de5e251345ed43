package sources

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// How a format is detected from an input's first lines. The rules are:
//   - Every registered format scores every sample line (Format.Detect); the
//     format with the best mean score wins, ties broken by Priority.
//   - A proxy's own stream often opens with lines that are not requests:
//     Caddy's and Traefik's startup lines, istio-agent's before Envoy's
//     access lines, ingress-nginx's banner and klog lines, the nginx
//     image's entrypoint lines and nginx's notices (which nginx-error reads
//     as entries: before the first request they are no request line, see
//     startup.go), HAProxy's stderr lines. App formats read
//     those well, and with enough of them an app format won. So the lines
//     before the first one a proxy format reads as a request (a score of
//     requestScore or more) are left out, and a proxy format that wins on
//     the lines from there on wins, but only on evidence (proxyWins): at
//     least minRequests request lines, a quarter or more of the lines from
//     the first on; or, when the lines left out are that proxy's own
//     startup lines (startup.go), one request line of its; or, when the
//     input has ended (nothing follows the sample), request lines only from
//     the first on, minSwitchRequests of them at least. An app log with a
//     stray line that looks like a request keeps its format, even when that
//     line is the last of the sample (live mode, the sample of a longer
//     file, or the last line of a short one).
//   - A proxy's own line that only it writes (a mark, startup.go) after
//     the first request line is left out of the lines from there on, as
//     its startup lines are before it: Caddy's shutdown lines after its
//     last error entry, or its startup lines after a restart, say whose
//     the stream is, not that an app wrote it.
//   - A line a proxy format claims though it cannot read it (Format.Claims:
//     a HAProxy request line in a custom log-format, behind HAProxy's
//     syslog tag) scores 0 for every app format: an input of them is one
//     no format fits, not an app log of 0 requests. Nor does the format
//     that claims it win when it read no line of the sample as a request
//     (or a request's error, a server state line): its other messages
//     ("Proxy fe stopped") say whose the log is, not that it is read.
//   - Lines that are all one proxy's startup lines, with no request line
//     among them, decide that proxy's format when nothing more will come
//     (the input ended); until then they decide nothing (the decoder holds
//     them: startupOnly).
//   - One request line is no evidence while more lines may follow
//     (loneRequest): the decoder holds it for the next lines, until the
//     input ends or, live, stays quiet for loneTicks.
//   - A decision is settled when the winner read at least minRequests lines
//     as requests (for an app format: when the sample is detectLines long,
//     or the role was given as app; a request line near the end of such a
//     sample asks for firstDetectLines lines after it, up to
//     maxDetectLines, so that a proxy's first requests after long startup
//     lines are weighed on more than one). Short of that the decoder holds more
//     lines (report), or decides for now and watches the next lines for
//     requests (live mode, where lines may stop coming for a long time).
//   - Container runtime wrappers (CRI, Docker json-file) are stripped first
//     when most lines carry one: the inner lines are scored, and the format
//     found is wrapped so that its parser strips them too (see container.go).

const (
	// detectLines is how many non-empty lines settle detection, and
	// maxDetectLines the most it looks at (see detector.result).
	detectLines    = 256
	maxDetectLines = detectLines + firstDetectLines
	// firstDetectLines is how many non-empty lines the decoder holds before
	// it first tries to decide.
	firstDetectLines = 12
	// detectBytes bounds the bytes held for detection, whatever the lines.
	detectBytes = 256 << 10
	// requestScore is the score from which a proxy format's line is a
	// request (or a request's error entry), not the proxy's chatter.
	requestScore = 80
	// minRequests is how many request lines settle a proxy format, and
	// the least for a proxy to win after lines it left out as startup lines.
	minRequests = 3
	// minSwitchRequests is the least request lines that turn a watched app
	// format into a proxy's (decoder.recheck): one is a stray line.
	minSwitchRequests = 2
)

// Detection is the result of detecting a format from sample lines.
type Detection struct {
	Format Format
	// Score is the mean per-line score of the winner, 0..100, over the
	// lines it was decided on.
	Score int
	// Tied names other formats that scored the same; the winner was picked by priority.
	Tied []string
	// Skipped is how many lines before the first request line were left
	// out of the decision: the proxy's own startup lines.
	Skipped int
	// Wrapper is the container wrapper stripped from the lines ("cri",
	// "docker"), or "".
	Wrapper string
	// Lines is how many non-empty lines the sample had.
	Lines int
	// Startup is how many startup lines of the proxy the format was
	// decided from, with no request line among them (0: decided on
	// request lines, or an app format).
	Startup int
	// settled says that more lines would not change the decision.
	settled bool
}

// ErrUnknownFormat is returned when no registered format fits the sample.
var ErrUnknownFormat = fmt.Errorf("no known log format fits these lines")

// Detect picks the format that best fits the sample lines. When role is not
// RoleUnknown, only formats of that role (or formats that write several
// record kinds, such as Caddy's combined log) are considered.
func Detect(lines []string, role Role) (Detection, error) {
	return DetectSample(lines, role).Detection()
}

// detector scores sample lines as they come, so that the decoder can ask
// after every held line whether it knows enough, without scoring the lines
// again. It keeps per-format sums rather than the scores themselves.
type detector struct {
	role  Role
	cands []Format
	lines int // non-empty lines scored
	// all sums each format's scores over every line; from and requests
	// (scores, request lines) over the lines from the first request line
	// on, at index first (-1 until one comes), but for the proxies' own
	// marked lines among them (ownLater of them).
	all, from, requests []int
	first, ownLater     int
	// claims counts each format's lines it claims though it cannot
	// read them (Format.Claims).
	claims []int
	// access sums the scores of the lines from the first request line on
	// that no error-log format reads as an entry (accessLines of them).
	access       []int
	accessLines  int
	requestLines int // lines some proxy format reads as requests
	// ended: the input ended, no line follows the sample (or the sample
	// is all there is: Detect, Resolve).
	ended   bool
	wrapped [wrapperKinds]int
	row     []int // the current line's scores
	// own and marks count, per proxy, the lines before the first request
	// line in its layout, and those only it writes (startup.go); ownAlt:
	// its first marked line was in its other layout (JSON, nginx's error
	// log). startups: the role may be a proxy's, so its startup lines are
	// looked for.
	own, marks [proxyFamilies]int
	ownAlt     [proxyFamilies]bool
	startups   bool
	// added counts every line add was given, blank ones too, and
	// firstAdded is added before the first request line (-1 until one
	// comes): where the held lines' startup lines end (startupLead).
	added, firstAdded int
}

func newDetector(role Role) *detector {
	cands := detectFormats(role)
	return &detector{
		role: role, cands: cands, first: -1, firstAdded: -1, startups: role != RoleApp,
		all: make([]int, len(cands)), from: make([]int, len(cands)), requests: make([]int, len(cands)),
		access: make([]int, len(cands)), claims: make([]int, len(cands)),
	}
}

// detectFormats returns the formats detection considers for role.
func detectFormats(role Role) []Format {
	var out []Format
	for _, f := range Formats() {
		if role != RoleUnknown && f.Role != role && !proxyRoles(role, f.Role) {
			continue
		}
		if f.Detect != nil {
			out = append(out, f)
		}
	}
	return out
}

// proxyRoles says whether an input given role r may still be read in a
// format of role f: a proxy's access and error logs may be given one for
// the other's role, or share a stream. nginx's error log given as --proxy
// was read as ingress-nginx, the access format that reads nginx's error
// lines of its stream, where by position it read as nginx-error.
func proxyRoles(r, f Role) bool {
	return (r == RoleProxy || r == RoleProxyErrors) && (f == RoleProxy || f == RoleProxyErrors)
}

// add scores one line. Blank lines and partial container records (the
// start of a line cut into several) are not scored.
func (d *detector) add(line string) {
	d.added++
	if strings.TrimSpace(line) == "" {
		return
	}
	kind, inner, partial := unwrapLine(line)
	d.wrapped[kind]++
	if partial || strings.TrimSpace(inner) == "" {
		return
	}
	if len(d.row) < len(d.cands) {
		d.row = make([]int, len(d.cands))
	}
	request := false
	claimed := d.claim(inner)
	for i, f := range d.cands {
		s := f.Detect(inner)
		if claimed && f.Role == RoleApp {
			s = 0
		}
		d.row[i] = s
		d.all[i] += s
		if s >= requestScore && f.Role != RoleApp {
			request = true
		}
	}
	if request && d.first < 0 && d.startups && selfReport(inner) {
		request = false // nginx's notices as it starts (startup.go)
	}
	if !request && d.first >= 0 && d.startups {
		if fam, mark, _ := ownLine(inner); fam != famNone && mark {
			d.ownLater++ // a proxy's own line, not an app's
			d.lines++
			return
		}
	}
	if request {
		d.requestLines++
		if d.first < 0 {
			d.first = d.lines
			d.firstAdded = d.added - 1
		}
	} else if d.first < 0 && d.startups {
		if fam, mark, alt := ownLine(inner); fam != famNone {
			d.own[fam]++
			if shared := sharedLayout(fam, alt); shared != famNone {
				d.own[shared]++
			}
			if mark {
				if d.marks[fam] == 0 {
					d.ownAlt[fam] = alt
				}
				d.marks[fam]++
			}
		}
	}
	if d.first >= 0 {
		entry := false // an error log's entry
		for i, s := range d.row[:len(d.cands)] {
			d.from[i] += s
			if s >= requestScore {
				d.requests[i]++
				entry = entry || d.cands[i].Role == RoleProxyErrors
			}
		}
		if !entry {
			d.accessLines++
			for i, s := range d.row[:len(d.cands)] {
				d.access[i] += s
			}
		}
	}
	d.lines++
}

// claim says whether a candidate proxy format claims line as its own
// though it cannot read it (Format.Claims), and counts it to the first
// that does: no app format may read it.
func (d *detector) claim(line string) bool {
	for i, f := range d.cands {
		if f.Claims != nil && f.Role != RoleApp && f.Claims(line) {
			d.claims[i]++
			return true
		}
	}
	return false
}

// nonEmpty is how many lines add has seen that were not blank.
func (d *detector) nonEmpty() int {
	n := 0
	for _, c := range d.wrapped {
		n += c
	}
	return n
}

// result decides on the lines added so far.
func (d *detector) result() (Detection, error) {
	if d.lines == 0 {
		return Detection{}, fmt.Errorf("%w: no lines to detect a format from", ErrUnknownFormat)
	}
	det, ok := d.pick(d.all, d.lines, RoleUnknown)
	switch {
	case d.first > 0:
		alt, altOK := d.pick(d.from, d.fromLines(), RoleUnknown)
		if altOK && alt.Format.Role == RoleProxyErrors && d.role != RoleProxyErrors && d.startup() == famNginx {
			// nginx's stream with its access lines has its error lines
			// too (stdout and stderr as one): the access lines decide,
			// unless the user said it is an error log.
			if acc, accOK := d.pick(d.access, d.accessLines, RoleProxy); accOK {
				alt = acc
			}
		}
		if altOK && alt.Format.Role != RoleApp && d.proxyWins(alt.Format.Name) {
			det, ok = alt, true
			det.Skipped = d.first
		}
	case d.first < 0:
		if own, ownOK := d.startupFormat(); ownOK {
			det, ok = own, true
		}
	}
	if ok && d.claimsOf(det.Format.Name) > 0 && d.requestsOf(det.Format.Name) == 0 {
		// Its own messages ("Proxy fe stopped") won, its request lines
		// are in a layout it does not read: no format fits, as when
		// they come without a wrapper that names the proxy.
		ok = false
	}
	if !ok {
		return Detection{Lines: d.lines}, ErrUnknownFormat
	}
	det.Lines = d.lines
	if w := d.wrapper(); w != wrapNone {
		det.Wrapper = w.String()
		det.Format = wrapFormat(det.Format, w)
	}
	switch {
	case d.lines >= detectLines:
		// A request line among the last few asks for a few more lines.
		det.settled = d.first < 0 || d.lines-d.first >= firstDetectLines || d.lines >= maxDetectLines
	case det.Format.Role == RoleApp:
		det.settled = d.role == RoleApp // no proxy format could win
	default:
		// Enough request lines, and enough lines from the first on that
		// an app's own lines after a stray one would have won.
		det.settled = d.requestsOf(det.Format.Name) >= minRequests && d.lines-max(d.first, 0) >= firstDetectLines
	}
	return det, nil
}

// proxyWins says whether proxy format name, the best on the lines from
// the first request line on, wins over the lines before it (see the rules
// above).
func (d *detector) proxyWins(name string) bool {
	switch r := d.requestsOf(name); {
	case d.proxyEvidence(name, minRequests):
		return true
	case familyReads(d.startup(), name):
		return d.proxyEvidence(name, 1) // after its own startup lines
	default:
		return d.ended && r == d.fromLines() && r >= minSwitchRequests
	}
}

// startup returns the proxy whose own lines all the lines before the
// first request line are (all the lines, while none is one), one of them
// at least marking it; famNone when they are not (startup.go).
func (d *detector) startup() proxyFamily {
	n := d.first
	if n < 0 {
		n = d.lines
	}
	if n == 0 {
		return famNone
	}
	for fam := famNone + 1; fam < proxyFamilies; fam++ {
		if d.own[fam] == n && d.marks[fam] > 0 {
			return fam
		}
	}
	return famNone
}

// startupLead is how many of the lines added, from the first, are the
// startup lines of the proxy whose format name is (startup): those before
// the first request line, or all when none came; 0 when they are not its.
func (d *detector) startupLead(name string) int {
	if !familyReads(d.startup(), name) {
		return 0
	}
	if d.firstAdded >= 0 {
		return d.firstAdded
	}
	return d.added
}

// startupOnly says whether the lines so far are a proxy's startup lines,
// with no request line yet: they decide nothing while more may come.
func (d *detector) startupOnly() bool {
	return d.first < 0 && d.startup() != famNone
}

// loneRequest says whether the last line is the first request line: one
// request line, alone or after lines left out, is no evidence yet.
func (d *detector) loneRequest() bool {
	return d.first >= 0 && d.lines-d.first == 1
}

// startupFormat is the detection of the proxy whose startup lines the
// lines are (startupOnly), among the candidates: its first format, or
// its second when its first marked line was in its other layout.
func (d *detector) startupFormat() (Detection, bool) {
	fam := d.startup()
	if fam == famNone {
		return Detection{}, false
	}
	names := familyFormats[fam]
	name := names[0]
	if d.ownAlt[fam] && len(names) > 1 {
		name = names[1]
	}
	for i, f := range d.cands {
		if f.Name == name {
			return Detection{Format: f, Score: d.all[i] / d.lines, Startup: d.lines}, true
		}
	}
	return Detection{}, false
}

// proxyEvidence says whether proxy format name read at least least lines
// as requests, and at least a quarter of the lines from the first request
// line on: real evidence, not a stray line or two among an app's.
func (d *detector) proxyEvidence(name string, least int) bool {
	r := d.requestsOf(name)
	return r >= least && 4*r >= d.fromLines()
}

// fromLines is how many lines from the first request line on were
// scored: not the proxies' own marked lines among them (0 before it).
func (d *detector) fromLines() int {
	if d.first < 0 {
		return 0
	}
	return d.lines - d.first - d.ownLater
}

// allRequests says whether every line scored so far is a request line of
// some proxy format (the decoder waits for more before deciding on them).
func (d *detector) allRequests() bool {
	return d.first == 0 && d.lines > 0 && d.lines == d.requestLines
}

// claimsOf is how many lines format name claimed (Format.Claims).
func (d *detector) claimsOf(name string) int {
	for i, f := range d.cands {
		if f.Name == name {
			return d.claims[i]
		}
	}
	return 0
}

// requestsOf is how many lines format name read as requests.
func (d *detector) requestsOf(name string) int {
	for i, f := range d.cands {
		if f.Name == name {
			return d.requests[i]
		}
	}
	return 0
}

// pick returns the format with the best mean of sums over n lines, of
// role only unless that is RoleUnknown.
func (d *detector) pick(sums []int, n int, role Role) (Detection, bool) {
	if n <= 0 {
		return Detection{}, false
	}
	type cand struct {
		f     Format
		score int
	}
	var cands []cand
	for i, f := range d.cands {
		if s := sums[i] / n; s > 0 && (role == RoleUnknown || f.Role == role) {
			cands = append(cands, cand{f, s})
		}
	}
	if len(cands) == 0 {
		return Detection{}, false
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		return cands[i].f.Priority > cands[j].f.Priority
	})
	det := Detection{Format: cands[0].f, Score: cands[0].score}
	for _, c := range cands[1:] {
		if c.score == det.Score {
			det.Tied = append(det.Tied, c.f.Name)
		}
	}
	return det, true
}

// wrapper is the container wrapper most lines carry, if any.
func (d *detector) wrapper() wrapperKind {
	n := d.nonEmpty()
	for k := wrapperKind(1); k < wrapperKinds; k++ {
		if 2*d.wrapped[k] > n {
			return k
		}
	}
	return wrapNone
}

// resolve is Resolve on the lines added so far.
func (d *detector) resolve(spec Spec) (Format, string, Detection, error) {
	det, err := d.result()
	return resolveDetection(spec, det, err, d.wrapper())
}

// resolveDetection applies spec's preference for the role detected (or
// given) to a detection, err its error, w the wrapper its lines carry.
func resolveDetection(spec Spec, det Detection, err error, w wrapperKind) (Format, string, Detection, error) {
	role := spec.Role
	if err == nil && role == RoleUnknown {
		role = det.Format.Role
	}
	if name := spec.Prefer[role]; name != "" {
		f, ok := LookupFormat(name)
		if !ok {
			return Format{}, "", det, fmt.Errorf("unknown format %q", name)
		}
		how := "forced " + name + " for " + role.String() + " inputs"
		if w != wrapNone {
			f = wrapFormat(f, w)
			how += ", " + w.describe()
		}
		det.settled = true // the user chose it
		return f, how, det, nil
	}
	if err != nil {
		return Format{}, "", det, err
	}
	return det.Format, det.Describe(), det, nil
}

// Resolve detects the format of sample lines for a spec and applies the
// spec's preference for the detected role.
func Resolve(spec Spec, lines []string) (Format, string, error) {
	return DetectSample(lines, spec.Role).Resolve(spec)
}

// Sample is the detection of a sample's lines, kept to be asked again.
// Detecting scores every line with every format (the JSON ones decode
// it): about 10 M instructions for a 32 KB head of JSON lines. The checks
// that read an input's head before it is read (cmd/fivexx/heads.go) ask
// one Sample instead of detecting the same head each.
type Sample struct {
	det     Detection
	err     error
	wrapper wrapperKind
}

// DetectSample detects the format of sample lines, all there is of the
// input, considering the formats of role as Detect does.
func DetectSample(lines []string, role Role) Sample {
	d := newDetector(role)
	d.ended = true
	for _, l := range lines {
		d.add(l)
	}
	det, err := d.result()
	return Sample{det: det, err: err, wrapper: d.wrapper()}
}

// Detection is what Detect says of the sample's lines.
func (s Sample) Detection() (Detection, error) { return s.det, s.err }

// Resolve is what Resolve says of the sample's lines for spec, a spec of
// the role the sample was detected for.
func (s Sample) Resolve(spec Spec) (Format, string, error) {
	f, how, _, err := resolveDetection(spec, s.det, s.err, s.wrapper)
	return f, how, err
}

// Describe says how a detection came out, for messages: the winner, its
// confidence, the startup lines left out, the container wrapper, and any
// ties with how to force the format.
func (d Detection) Describe() string {
	s := fmt.Sprintf("detected %s (%d%%)", d.Format.Name, d.Score)
	if d.Startup > 0 {
		s = fmt.Sprintf("detected %s from %d of its startup lines, no request line yet", d.Format.Name, d.Startup)
	}
	if d.Skipped > 0 {
		s += " after " + counted(int64(d.Skipped), "startup line")
	}
	if d.Wrapper != "" {
		s += ", " + wrapperNamed(d.Wrapper).describe()
	}
	if len(d.Tied) > 0 {
		s += fmt.Sprintf("; tied with %s — force one with --format NAME", strings.Join(d.Tied, ", "))
	}
	return s
}

// proxyFormats are the formats whose request lines the decoder watches
// for after an app format was decided on too few lines.
var proxyFormats = sync.OnceValue(func() []Format {
	var out []Format
	for _, f := range detectFormats(RoleUnknown) {
		if f.Role != RoleApp {
			out = append(out, f)
		}
	}
	return out
})

// requestLine reports whether some proxy format reads line as a request.
func requestLine(line string) bool {
	if strings.TrimSpace(line) == "" {
		return false
	}
	_, inner, partial := unwrapLine(line)
	if partial {
		return false
	}
	for _, f := range proxyFormats() {
		if f.Detect(inner) >= requestScore {
			return true
		}
	}
	return false
}
