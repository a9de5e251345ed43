package report

import (
	"fivexx/sources"
	"fivexx/sources/textsafe"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"fivexx/classify"
)

// WriteText writes the readable summary: inputs, status counts, causes with
// hints, the upstream table, unparsed lines with samples and the advice.
// Log-derived text is passed through clean so a hostile line cannot drive
// the terminal the report is read on.
func WriteText(w io.Writer, s *classify.Snapshot) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "fivexx report — %s", counted(s.Total.Requests, "request", "requests"))
	if !s.First.IsZero() {
		to := s.Last.Format("15:04:05")
		if y, m, d := s.Last.Date(); s.First.Year() != y || s.First.Month() != m || s.First.Day() != d {
			to = s.Last.Format("2006-01-02 15:04:05")
		}
		// The end's offset when it is not the start's: across a change
		// of daylight saving time "from 2025-10-26 02:58:30 +0200 to
		// 02:01:29" read as time running backwards (QA s36 L1).
		_, fromOff := s.First.Zone()
		if _, toOff := s.Last.Zone(); toOff != fromOff {
			to += s.Last.Format(" -0700")
		}
		fmt.Fprintf(b, " from %s to %s", s.First.Format("2006-01-02 15:04:05 -0700"), to)
	}
	if sk := s.AppSkew.String(); sk != "" {
		b.WriteString(" · " + sk)
	}
	if n, ok := nothingParsed(s); ok {
		// Said first: "no access log: no status is known" further down
		// was all a binary file or a --log-format matching no line got
		// beside its problem (QA s35 L7). --json tells it by its inputs'
		// parsed, all 0, and requests 0.
		fmt.Fprintf(b, "\n\nNo line of any input could be parsed (%s unparsed): nothing was judged; each input's problem says why", counted(n, "line", "lines"))
	}
	b.WriteString("\n\nInputs\n")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	for _, in := range s.Inputs {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%d unparsed", clean(shown(in)), in.Role, orNone(in.Format), counted(in.Lines, "line", "lines"), in.Unparsed)
		// The lines neither parsed nor unparsed, as --json counts them:
		// "3 lines  0 unparsed" of a file of blank lines left them untold.
		if in.Blank > 0 {
			fmt.Fprintf(tw, ", %d blank", in.Blank)
		}
		if in.Continued > 0 {
			fmt.Fprintf(tw, ", %d continuation", in.Continued)
		}
		if in.Startup > 0 {
			fmt.Fprintf(tw, "\t%s skipped", counted(in.Startup, "start-up line", "start-up lines"))
		}
		if in.Repeated > 0 {
			// Not in lines: read in the input they begin (samelog.go).
			fmt.Fprintf(tw, "\t+ %s read in %s", counted(in.Repeated, "line", "lines"), clean(in.RepeatedIn))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	for _, in := range s.Inputs {
		if p := problem(in); p != "" {
			fmt.Fprintf(b, "  %s: %s\n", clean(shown(in)), clean(p))
		}
	}

	b.WriteString("\nStatus\n")
	var codes []int
	var fivexx int64
	for c, n := range s.Total.Status {
		if c >= 500 || c == 429 {
			codes = append(codes, c)
		}
		if c >= 500 && c <= 599 {
			fivexx += n
		}
	}
	sort.Ints(codes)
	switch {
	case len(codes) == 0 && noAccessLog(s):
		// An error log alone: it names failures, not the statuses
		// they made; "no 5xx or 429" beside them misled.
		statuses := classify.StatusesText(s.ErrorStatuses)
		if statuses == "" {
			b.WriteString("  no access log: no status is known\n")
		} else {
			// Caddy's error entries name the status they made.
			b.WriteString("  no access log: only the statuses the error log names are known\n")
		}
		if f := classify.FailuresText(s.ErrorFailures); f != "" {
			b.WriteString("  the error log tells of " + f + "\n")
		}
		if statuses != "" {
			b.WriteString("  their statuses: " + statuses + "\n")
		}
	case len(codes) == 0 && s.Total.Requests == 0:
		// An access log's role without an access line (Caddy's own
		// lines alone, every line unparsed, an empty file): "no 5xx or
		// 429" said of 0 requests was no finding (QA s35 M3).
		b.WriteString("  no request was read: no status is known\n")
	case len(codes) == 0:
		b.WriteString("  no 5xx or 429\n")
	}
	for _, c := range codes {
		fmt.Fprintf(b, "  %d  %6d  %5.1f%%\n", c, s.Total.Status[c], pct(s.Total.Status[c], s.Total.Requests))
	}

	if fivexx > 0 {
		b.WriteString("\nCauses of the 5xx\n")
		for _, c := range classify.AllCauses {
			n := s.Total.Causes[c]
			if n == 0 {
				continue
			}
			fmt.Fprintf(b, "  %-22s %6d  %5.1f%%  %s\n", c, n, pct(n, fivexx), causeSummary(s, c))
		}
	}

	if len(s.Upstreams) > 0 {
		b.WriteString("\nUpstreams\n")
		tw = tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
		cols := upstreamCodes(s.Upstreams)
		b2 := &strings.Builder{}
		for _, c := range cols {
			fmt.Fprintf(b2, "\t%d", c)
		}
		// The failed attempts' column only when a request was retried
		// (classify.UpstreamStats.FailedAttempts).
		attempts := slices.ContainsFunc(s.Upstreams, func(u classify.UpstreamStats) bool { return u.FailedAttempts > 0 })
		if attempts {
			b2.WriteString("\tfailed attempts")
		}
		fmt.Fprintf(tw, "  upstream\trequests%s\t5xx %%\tp50 ms\tp99 ms\tapp coverage\tdominant cause\t\n", b2)
		for _, u := range s.Upstreams {
			var f int64
			for c, n := range u.Total.Status {
				if c >= 500 && c <= 599 {
					f += n
				}
			}
			cov := "—"
			if c := u.AppCoverage(); c >= 0 {
				cov = classify.ShareText(c)
			}
			b2.Reset()
			for _, c := range cols {
				fmt.Fprintf(b2, "\t%d", u.Total.Status[c])
			}
			if attempts {
				fmt.Fprintf(b2, "\t%d", u.FailedAttempts)
			}
			fmt.Fprintf(tw, "  %s\t%d%s\t%.1f\t%s\t%s\t%s\t%s\t\n", clean(u.Name), u.Total.Requests, b2,
				pct(f, u.Total.Requests), msText(u.P50), msText(u.P99), cov, orNone(string(u.DominantCause)))
		}
		tw.Flush()
		for _, u := range s.Upstreams {
			if u.Names > 0 {
				// (other)'s upstreams: past the 500 rows, a name with a
				// 5xx takes the row of one without (classify stats.go).
				more := ""
				if u.NamesMore {
					more = " or more"
				}
				fmt.Fprintf(b, "  %s: %d%s %s past the 500 rows, %d 5xx\n", clean(u.Name), u.Names, more,
					plural(u.Names, "upstream", "upstreams"), u.Total.Fivexx())
			}
		}
	}

	for _, in := range s.Inputs {
		if in.Unparsed == 0 && in.TooLong == 0 {
			continue
		}
		fmt.Fprintf(b, "\nUnparsed lines in %s: %d", clean(shown(in)), in.Unparsed)
		if in.TooLong > 0 {
			fmt.Fprintf(b, " (%d %s to 1 MiB)", in.TooLong, plural(in.TooLong, "line over 1 MiB was cut", "lines over 1 MiB were cut"))
		}
		b.WriteString("\n")
		for _, l := range in.Samples {
			fmt.Fprintf(b, "  | %s\n", clean(l))
		}
	}

	if n := s.CutAfterHeaders; n > 0 {
		fmt.Fprintf(b, "\n%d %s %s: %s got the upstream's status, not a 5xx, and part of the body\n", n,
			plural(n, "response was cut after its headers", "responses were cut after their headers"),
			"(the upstream reset, closed or timed out while sending the body)", plural(n, "the client", "the clients"))
	}
	if t := classify.NoStatusLineText(s.NoStatusLine); t != "" {
		fmt.Fprintf(b, "\n%s\n", t)
	}
	if len(s.Advice) > 0 {
		b.WriteString("\nWhat the inputs cannot tell\n")
		for _, a := range s.Advice {
			// Advice quotes file names and --app names, which can hold
			// escape sequences as well as any log line can.
			fmt.Fprintf(b, "  - %s\n    fix: %s\n", clean(a.Problem), clean(a.Fix))
		}
	}
	if sum := s.Dropped.Summary(); sum != "" {
		fmt.Fprintf(b, "\nBounded memory: %s\n", sum)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// nothingParsed reports whether the inputs held lines and not one of
// them was read as a record (every line unparsed: a binary file, a
// --log-format that matches none), and how many lines were unparsed.
func nothingParsed(s *classify.Snapshot) (unparsed int64, ok bool) {
	for _, in := range s.Inputs {
		if in.Parsed > 0 || in.Startup > 0 || in.Continued > 0 {
			return 0, false
		}
		unparsed += in.Unparsed
	}
	return unparsed, unparsed > 0
}

// noAccessLog reports whether no proxy access log was read: no request
// counted and no input of that role.
func noAccessLog(s *classify.Snapshot) bool {
	if s.Total.Requests > 0 {
		return false
	}
	for _, in := range s.Inputs {
		if in.Role == sources.RoleProxy {
			return false
		}
	}
	return true
}

// upstreamCodes are the status columns of the upstream table: 502, 503
// and 504 always (the proxy's own), and every other 5xx an upstream has
// (500 above all: with fixed columns an upstream's 500s were in its 5xx %
// and in no column).
func upstreamCodes(ups []classify.UpstreamStats) []int {
	seen := map[int]bool{502: true, 503: true, 504: true}
	for _, u := range ups {
		for c, n := range u.Total.Status {
			if c >= 500 && c <= 599 && n > 0 {
				seen[c] = true
			}
		}
	}
	codes := make([]int, 0, len(seen))
	for c := range seen {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	return codes
}

// causeSummary is c's line in the Causes table: Summary, but unknown's
// asks only for what the inputs lack: the upstream fields and request ids
// when the advice found the access logs without them (Snapshot.Lacks),
// the error log when no error-log line was read and the advice asks for
// one (Cloudflare's, Envoy's, Traefik's have none that tells), Traefik's
// own log as the advice asks for it. The 285 refused 502s an
// access log out of time order left unknown were told to add the error
// log that was given (QA s37), and with it, to add the upstream fields
// and request ids its access log had (ua, us, rid). With nothing lacking
// it says why they stayed unknown, as far as the report knows.
func causeSummary(s *classify.Snapshot, c classify.Cause) string {
	if c != classify.Unknown {
		return c.Summary()
	}
	var add []string
	if s.Lacks.UpstreamFields {
		add = append(add, "upstream fields")
	}
	if s.Lacks.RequestIDs {
		add = append(add, "request ids")
	}
	errorLog := false
	for _, in := range s.Inputs {
		if in.Role == sources.RoleProxyErrors && in.Parsed > 0 {
			errorLog = true
		}
	}
	if !errorLog && !s.Lacks.ErrorLogUnasked {
		add = append(add, "the error log")
	}
	run := ""
	if own := s.Lacks.TraefikOwnLog; strings.HasPrefix(own, "run ") {
		// Its own log was given, not at DEBUG: to be run so, as the
		// advice says, not added (s38 review L5).
		run = own
	} else if own != "" {
		// Traefik has no error log: its own log, at DEBUG, tells its own
		// 502/504/500, as the advice says; the line asked for the
		// access log's fields alone, or nothing (textfix leftover).
		add = append(add, own)
	}
	switch {
	case len(add) > 0 && run != "":
		return "not enough evidence: add " + strings.Join(add, ", ") + "; " + run
	case run != "":
		return "not enough evidence: " + run
	case len(add) > 0:
		return "not enough evidence: add " + strings.Join(add, ", ")
	case s.Dropped.Behind > 0:
		return fmt.Sprintf("not enough evidence: %d 5xx were judged without the lines of their time (below)", s.Dropped.Behind)
	}
	// Not "no line told": an error line can tell that the proxy failed
	// itself, or that no upstream is configured, and no cause fits.
	return "not enough evidence for a cause: --events shows what each one's lines told"
}

func pct(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) * 100 / float64(of)
}

func msText(v float64) string {
	if v < 0 {
		return "-"
	}
	if v < 10 {
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.0f", v)
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// clean makes log-derived text safe for a terminal (textsafe.Escape): a
// hostile line cannot drive the terminal the report is read on.
func clean(s string) string { return textsafe.Escape(s) }

// WriteInputNotes writes a line for each input that had unparsed lines or
// a problem, for --events, whose standard output holds only the 5xx: a
// script reading it would otherwise not learn that a log went unread.
func WriteInputNotes(w io.Writer, s *classify.Snapshot) error {
	b := &strings.Builder{}
	for _, in := range s.Inputs {
		p := problem(in)
		if in.Unparsed == 0 && p == "" || IsOwnOutputState(in.State) {
			// fivexx's own output was noted when it was found, before
			// any input was read.
			continue
		}
		if in.Lines == 0 || in.Unparsed == 0 {
			fmt.Fprintf(b, "fivexx: note: %s: %s\n", clean(shown(in)), clean(p))
			continue
		}
		fmt.Fprintf(b, "fivexx: note: %s: %d of %s unparsed", clean(shown(in)), in.Unparsed, counted(in.Lines, "line", "lines"))
		if p != "" {
			fmt.Fprintf(b, " (%s)", clean(p))
		}
		b.WriteByte('\n')
	}
	// Said in the advice of a report; --events has none.
	if sum := s.Dropped.BehindSummary(); sum != "" {
		fmt.Fprintf(b, "fivexx: note: %s\n", sum)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// shown is an input as the report names it: its path, NAME=path for an
// app log given a service NAME (--app NAME=FILE).
func shown(in classify.InputStatus) string {
	return classify.LabelOf(in.Path, in.Service)
}

// plural picks one or many by n.
func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// counted is n and its noun, one or many by n: "1 request", "2 requests"
// ("fivexx report — 1 requests" of a one-line log).
func counted(n int64, one, many string) string {
	return fmt.Sprintf("%d %s", n, plural(n, one, many))
}
