package sources

import (
	"fmt"
	"strings"
)

// givenrole.go tells when the role given to an input (--app,
// --proxy-errors) is one its lines plainly contradict. Detection looks
// only at the formats of a given role, so nginx's error log given as
// --app was read as app-text and its lines became app evidence (wrong
// verdicts), and an access log given as --proxy-errors was read as the
// access log all the same while the advice said "no proxy access log".
// The rules are:
//   - Only the app and proxy error log roles are checked: a proxy access
//     log given names what detection would take anyway, or a layout
//     fivexx cannot tell.
//   - The lines are detected as a positional input's are, and read with
//     the format found. They contradict the app role when that is a
//     proxy's format that reads roleShare or more of them as the proxy's
//     error entries or access entries, and one at least is an error
//     entry or names the upstream: an app's own access log (gunicorn's,
//     morgan's) is plain combined with no upstream field, and --app is
//     how it is given. They contradict the error log role when
//     roleShare or more are access entries and none is an error entry:
//     Caddy's and HAProxy's one stream holds both, and may be given so.
//   - An app log may look like anything text, so lines an app format
//     reads contradict nothing: a JSON app log given as --proxy-errors
//     is told as an input no format fits.
//   - A format forced for the role (--format, or the nginx config's
//     log_format) says the user knows what the lines are (OpenResty's
//     app logs through nginx's error log): not checked.
//
// cmd/fivexx checks a file's head at start (a usage error); the decoder
// checks the first lines of an input whose head could not be (standard
// input, a file empty at start) when it decides its format.

// roleShare is the share of the non-blank lines, in tenths, that must
// read as another role's records for a contradiction.
const roleShare = 9

// RoleContradiction is what an input's lines read as when they
// contradict the role it was given.
type RoleContradiction struct {
	// Given is the role given (RoleApp or RoleProxyErrors); As is the
	// one the lines read as (RoleProxy or RoleProxyErrors).
	Given, As Role
	// Format is the format that reads them.
	Format string
	// AppFormat is the app format that reads most of them, for the fix
	// of an app that does log so ("" when none reads half of them).
	AppFormat string
}

// GivenFlag is the flag that gives role r.
func GivenFlag(r Role) string {
	switch r {
	case RoleProxy:
		return "--proxy"
	case RoleProxyErrors:
		return "--proxy-errors"
	case RoleApp:
		return "--app"
	}
	return ""
}

// Reads says what the lines read as, against the role given: "its lines
// read as a proxy's error log (nginx-error), not an app's".
func (c RoleContradiction) Reads() string {
	switch {
	case c.Given == RoleApp && c.As == RoleProxyErrors:
		return fmt.Sprintf("its lines read as a proxy's error log (%s), not an app's", c.Format)
	case c.Given == RoleApp:
		return fmt.Sprintf("its lines read as a proxy's access log (%s, naming the upstream), not an app's", c.Format)
	}
	return fmt.Sprintf("its lines read as a proxy's access log (%s), not its error log", c.Format)
}

// Fix says how to give the input: "give it by position or with
// --proxy-errors (an app that logs so: add --format app-text)".
func (c RoleContradiction) Fix() string {
	fix := "give it by position or with " + GivenFlag(c.As)
	switch {
	case c.Given != RoleApp:
	case c.AppFormat != "":
		// The app format that reads the lines: app-access was named
		// for JSON lines too, and it reads none of them (QA s27).
		fix += " (an app that logs so: add --format " + c.AppFormat + ")"
	default:
		// app-text was named when none read them, and it read none of
		// HAProxy's access lines or Caddy's JSON error entries (QA s30).
		fix += " (no app format fivexx reads fits its lines)"
	}
	return fix
}

// Error is the state of an input whose lines the decoder does not read
// for the contradiction.
func (c RoleContradiction) Error() string {
	return "given with " + GivenFlag(c.Given) + ", but " + c.Reads() + ": " + c.Fix()
}

// CheckedRole says whether ContradictsRole checks spec: its role is the
// app's or the error log's, given with no format for it.
func CheckedRole(spec Spec) bool {
	return (spec.Role == RoleApp || spec.Role == RoleProxyErrors) && spec.Format == "" && spec.Prefer[spec.Role] == "" && !spec.RoleChecked
}

// ContradictsRole says whether lines, sample their detection for
// RoleUnknown, contradict the role spec gives, by the rules above.
func ContradictsRole(spec Spec, lines []string, sample Sample) (RoleContradiction, bool) {
	if spec.Role != RoleApp && spec.Role != RoleProxyErrors || spec.Format != "" || spec.Prefer[spec.Role] != "" {
		return RoleContradiction{}, false
	}
	det, err := sample.Detection()
	if err != nil || det.Format.Role == RoleApp {
		return RoleContradiction{}, false
	}
	h, ok := readRecords(spec, lines, det.Format)
	if !ok {
		return RoleContradiction{}, false
	}
	c := RoleContradiction{Given: spec.Role, As: RoleProxy, Format: det.Format.Name}
	switch spec.Role {
	case RoleApp:
		if h.errors == 0 && h.upstream == 0 || !h.most(h.errors+h.entries) {
			return RoleContradiction{}, false
		}
		if h.errors >= h.entries {
			c.As = RoleProxyErrors
		}
		// An error log's lines an app writes are its text lines:
		// app-text is named when it reads as many as any.
		prefer := ""
		if c.As == RoleProxyErrors {
			prefer = "app-text"
		}
		c.AppFormat = bestAppFormat(spec, lines, prefer)
		return c, true
	default:
		// Caddy's and HAProxy's one stream holds error entries too, and
		// its head may hold none yet (a Caddy stream's first error entry
		// at line 59 was refused, QA s27): given as the error log, it is
		// read as given.
		return c, h.errors == 0 && h.most(h.entries) && !oneStream(det.Format.Name)
	}
}

// oneStream says whether format names a proxy whose one stream holds
// access and error entries alike: Caddy's default logger, HAProxy's log.
func oneStream(format string) bool {
	return format == "caddy" || strings.HasPrefix(format, "haproxy")
}

// recordsRead is what a proxy format reads lines as.
type recordsRead struct {
	lines    int // non-blank lines
	entries  int // access entries
	upstream int // access entries that log an upstream field
	errors   int // error entries
}

// most says whether n is roleShare tenths or more of the lines.
func (h recordsRead) most(n int) bool { return n > 0 && 10*n >= roleShare*h.lines }

// readRecords reads the non-blank lines with format f.
func readRecords(spec Spec, lines []string, f Format) (recordsRead, bool) {
	p, err := f.New(spec.Opts)
	if err != nil {
		return recordsRead{}, false
	}
	if pr, ok := p.(Primer); ok {
		pr.Prime(lines)
	}
	var h recordsRead
	for _, l := range lines {
		if blank(l) {
			continue
		}
		h.lines++
		rec, err := p.Parse(l)
		if err != nil {
			continue
		}
		switch r := rec.(type) {
		case *ProxyEntry:
			h.entries++
			// An app logs no upstream; a request id and its own request
			// time it may: the format's fields said "upstream" of an
			// app's JSON line with "request_time" that nginx-json reads,
			// and --app refused it (QA s27). So the line must name one.
			// Caddy's access entries name none (its error entries do),
			// but carry its logger's name ("http.log.access"), which no
			// app writes.
			if len(r.UpstreamAddr) > 0 || len(r.UpstreamStatus) > 0 || r.Upstream != "" && r.Upstream != "-" || f.Name == "caddy" {
				h.upstream++
			}
		case *ProxyError:
			h.errors++
		}
	}
	return h, h.lines > 0
}

// bestAppFormat is the app format that reads the most of lines (prefer
// when it reads as many as another), "" when none reads half of the
// non-blank ones: the fix that names it must read the lines when followed.
func bestAppFormat(spec Spec, lines []string, prefer string) string {
	best, most, nonBlank := "", 0, 0
	for _, l := range lines {
		if !blank(l) {
			nonBlank++
		}
	}
	for _, f := range Formats() {
		if f.Role != RoleApp {
			continue
		}
		p, err := f.New(spec.Opts)
		if err != nil {
			continue
		}
		if pr, ok := p.(Primer); ok {
			pr.Prime(lines)
		}
		n := 0
		for _, l := range lines {
			if blank(l) {
				continue
			}
			if rec, err := p.Parse(l); err == nil {
				if _, app := rec.(*AppEntry); app {
					n++
				}
			}
		}
		if n > most || n == most && n > 0 && f.Name == prefer {
			best, most = f.Name, n
		}
	}
	if 2*most < nonBlank {
		return ""
	}
	return best
}
