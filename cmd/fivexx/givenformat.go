package main

import (
	"fmt"
	"strings"
	"time"

	"fivexx/classify"
	"fivexx/sources"
	"fivexx/sources/nginx"
)

// givenFormatReads says whether the log_format the user gave
// (--log-format) reads the lines of a file's head as requests: at least
// one, and at least half of its non-blank lines (a container's stream
// holds nginx's error and start-up lines too).
func givenFormatReads(p *nginx.AccessParser, lines []string) bool {
	read, nonBlank := 0, 0
	for _, l := range lines {
		if blankLine(l) {
			continue
		}
		nonBlank++
		if rec, err := p.Parse(l); err == nil && rec != nil {
			read++
		}
	}
	return read > 0 && 2*read >= nonBlank
}

// proxyByGivenFormat makes every file input of no given role whose head
// the --log-format string reads an nginx access log, as --proxy FILE
// would. The "nginx" format has no line detection of its own (it needs the
// string), so detection took a layout starting with [$time_local],
// $time_iso8601 or $msec for an app's (logfmt, plain text) and the
// preference for proxy inputs never applied: 0 requests. A file the
// string does not read (the error log, an app log) keeps its detection.
// Standard input and --cmd cannot be peeked: they keep the preference.
func (f *inputFlags) proxyByGivenFormat(specs []sources.Spec) {
	if f.logFormat == "" {
		return
	}
	format, escape := splitEscape(f.logFormat)
	p, err := nginx.Compile(format, escape)
	if err != nil {
		return // the input that reads it reports the error
	}
	for i := range specs {
		s := &specs[i]
		if s.Role != sources.RoleUnknown || s.Format != "" || !peekable(*s) {
			continue
		}
		if lines, _ := f.heads.head(s.Path); givenFormatReads(p, lines) {
			s.Role = sources.RoleProxy
		}
	}
}

// blankLine says whether l is white space only.
func blankLine(l string) bool {
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case ' ', '\t', '\r':
		default:
			return false
		}
	}
	return true
}

// givenFormatReadNone gives each input that a format given by the user
// read none of (--format, --log-format, an nginx.conf log_format) a
// problem in sts and an advice: it had no problem, no advice and exit
// 0, "0 requests" (--format haproxy on an nginx log, --format app-logfmt
// on a JSON app log: 501 of 501 unparsed). The advice names what the
// input looks like to detection, from its head (or, for standard input
// and --cmd, its unparsed samples).
func (b *inputBytes) givenFormatReadNone(sts []classify.InputStatus) []classify.Advice {
	f := b.flags
	var advice []classify.Advice
	for i, in := range b.ins {
		if i >= len(sts) {
			break
		}
		st := &sts[i]
		if st.Lines == 0 || st.Parsed > 0 || st.Unparsed == 0 {
			continue
		}
		if st.Format == "" && strings.HasPrefix(st.State, "format not recognised") {
			if a, ok := f.givenButUnrecognised(st, in, b.looks(i, st.Samples)); ok {
				advice = append(advice, a)
			}
			continue
		}
		if !strings.HasPrefix(in.Detected(), "forced") {
			continue
		}
		name := in.Format().Name
		flagName, drop := "--format "+name, "drop --format"
		switch {
		case f.logFormat != "" && name == "nginx":
			flagName, drop = "--log-format", "drop --log-format"
		case name == "nginx":
			flagName, drop = "the log_format "+f.confName()+" gives it", "give its log_format with --log-format '…'"
		}
		looks := b.looks(i, st.Samples)
		if looks == name {
			looks = ""
		}
		st.State = fmt.Sprintf("none of its lines read as %s, given with %s", name, flagName)
		fix := drop + " to detect it"
		if looks != "" {
			st.State += "; it looks like " + looks
			fix += " (it looks like " + looks + ")"
		} else {
			fix += ", or see fivexx explain formats for the formats fivexx reads"
		}
		if name == "nginx" {
			fix += ", or give the log_format its access_log uses (nginx -T | grep log_format)"
		}
		if name == "haproxy" && looks == "" {
			fix += "; " + haproxyLayouts
		}
		advice = append(advice, classify.Advice{
			Problem: fmt.Sprintf("%s: 0 of %s read as %s, given with %s: nothing of it is counted", in.Spec.Label(), linesText(st.Lines), name, flagName),
			Fix:     fix,
		})
	}
	return advice
}

// claimedUnread gives each HAProxy input whose head has request lines
// HAProxy claims though it cannot read them (sources.Format.Claims: a
// custom log-format behind its syslog tag) and none it reads as a request
// the layout problem and advice the same lines have alone
// (givenButUnrecognised). Its server state lines ("Server be_app/s1 is
// DOWN", "backend be_app has no server available!") are read, so such an
// input was HAProxy's, "0 requests, 26 unparsed", with no word on why.
// Only a file's head tells: standard input and --cmd have their unparsed
// samples alone, which cannot say that no request was read.
func (b *inputBytes) claimedUnread(sts []classify.InputStatus) []classify.Advice {
	var advice []classify.Advice
	for i, in := range b.ins {
		if i >= len(sts) {
			break
		}
		st := &sts[i]
		f := in.Format()
		if st.Parsed == 0 || st.Unparsed == 0 || f.Name != "haproxy" || f.Claims == nil {
			continue
		}
		h := &b.heads[i]
		if !h.claimsRead {
			h.claimsRead = true
			h.claimed, h.requests = claimedAndRequests(f, b.headLines(i))
		}
		if h.claimed == 0 || h.requests > 0 {
			continue
		}
		st.State = "no request line is in HAProxy's option httplog or httplog clf layout, only its server state lines and messages"
		advice = append(advice, classify.Advice{
			Problem: fmt.Sprintf("%s: none of its request lines is in HAProxy's option httplog or httplog clf layout (%d of its %d lines unparsed; only its server state lines and messages are read): a custom log-format is read only when it keeps httplog's fields", in.Spec.Label(), st.Unparsed, st.Lines),
			Fix:     "log with option httplog, or keep its fields: " + haproxyLayouts,
		})
	}
	return advice
}

// claimedAndRequests counts the lines f claims though it cannot read them
// (sources.Format.Claims), and those it reads as requests.
func claimedAndRequests(f sources.Format, lines []string) (claimed, requests int) {
	p, err := f.New(sources.ParserOptions{Location: time.UTC})
	if err != nil {
		return 0, 0
	}
	for _, l := range lines {
		if f.Claims(l) {
			claimed++
			continue
		}
		if rec, err := p.Parse(l); err == nil {
			if _, ok := rec.(*sources.ProxyEntry); ok {
				requests++
			}
		}
	}
	return claimed, requests
}

// noneOfItsLines says that no line of an input's n is something: "none of
// its 3 lines is", "its one line is not" (it said "none of its 1 lines").
func noneOfItsLines(n int64) string {
	if n == 1 {
		return "its one line is not"
	}
	return fmt.Sprintf("none of its %d lines is", n)
}

// haproxyUnread gives each input no format fits, of no role or format
// given, whose lines look like HAProxy's request lines (looksHAProxy: a
// custom log-format that drops or moves a field) the problem and advice
// the same lines get with --format haproxy. Without the flag its problem
// was "format not recognised: force one with --format NAME" (forced, it
// reads none of them) and the only advice the missing access log's, with
// nginx's paths (QA s30).
func (b *inputBytes) haproxyUnread(sts []classify.InputStatus) []classify.Advice {
	if b.flags.format != "" {
		return nil // givenButUnrecognised tells of it
	}
	var advice []classify.Advice
	for i, in := range b.ins {
		if i >= len(sts) {
			break
		}
		st := &sts[i]
		if st.Format != "" || st.Parsed > 0 || st.Unparsed == 0 || in.Spec.Role != sources.RoleUnknown ||
			!strings.HasPrefix(st.State, "format not recognised") || !b.looksHAProxy(i, st.Samples) {
			continue
		}
		st.State = classify.StateHAProxyUnread
		advice = append(advice, classify.Advice{
			Problem: fmt.Sprintf("%s: its lines look like HAProxy's, but %s in HAProxy's option httplog or httplog clf layout: a custom log-format is read only when it keeps httplog's fields", in.Spec.Label(), noneOfItsLines(st.Lines)),
			Fix:     "log with option httplog, or keep its fields: " + haproxyLayouts,
		})
	}
	return advice
}

// haproxyLayouts says which HAProxy logs fivexx reads (README, Formats).
const haproxyLayouts = "fivexx reads HAProxy's option httplog and option httplog clf layouts, and a log-format that keeps httplog's fields in their order up to %{+Q}r (%CC %CS too; fields after it are passed over): README.md, Formats, \"HAProxy log-format\""

// givenButUnrecognised is the problem and advice of an input no format
// fitted though the user said what it is (--format for its role, or its
// role with --proxy, --proxy-errors, --app): the problem said "format not
// recognised: force one with --format NAME" when it was forced, and the
// only advice was the missing access log's, naming nginx's. looks is the
// format its lines read as to detection of any role: an app's log given
// as a proxy's (a JSON app log as --proxy-errors) was told to force a
// format, which reads none of it. ok is false when the user said nothing
// of it.
func (f *inputFlags) givenButUnrecognised(st *classify.InputStatus, in *sources.Input, looks string) (classify.Advice, bool) {
	label := in.Spec.Label()
	if f.format != "" {
		name := f.format
		if name == "haproxy" {
			st.State = "format not recognised though --format haproxy was given: no line is in HAProxy's option httplog or httplog clf layout"
			return classify.Advice{
				Problem: fmt.Sprintf("%s: %s in HAProxy's option httplog or httplog clf layout, though --format haproxy was given: a custom log-format is read only when it keeps httplog's fields", label, noneOfItsLines(st.Lines)),
				Fix:     "log with option httplog, or keep its fields: " + haproxyLayouts,
			}, true
		}
		st.State = fmt.Sprintf("format not recognised though --format %s was given: no line is in its layout", name)
		return classify.Advice{
			Problem: fmt.Sprintf("%s: %s in the layout of %s, though --format %s was given, nor in another fivexx detects", label, noneOfItsLines(st.Lines), name, name),
			Fix:     "fivexx explain formats lists the formats and their layouts; a custom nginx log_format is read with --log-format '…'",
		}, true
	}
	if in.Spec.Role == sources.RoleUnknown {
		return classify.Advice{}, false
	}
	flagName := map[sources.Role]string{sources.RoleProxy: "--proxy", sources.RoleProxyErrors: "--proxy-errors", sources.RoleApp: "--app"}[in.Spec.Role]
	kind := map[sources.Role]string{sources.RoleProxy: "proxy access log", sources.RoleProxyErrors: "proxy error log", sources.RoleApp: "app log"}[in.Spec.Role]
	st.State = fmt.Sprintf("format not recognised: no %s format fivexx reads fits its lines (given with %s)", kind, flagName)
	fix := "force the format with --format NAME (fivexx explain formats lists them)"
	if lf, ok := sources.LookupFormat(looks); ok && lf.Role == sources.RoleApp && in.Spec.Role != sources.RoleApp {
		fix = "its lines look like " + looks + ": if it is an app's log, give it with --app or by position; else " + fix
	}
	if in.Spec.Role == sources.RoleProxy {
		fix += "; a custom layout: nginx's log_format with --log-format '…'; HAProxy's: " + haproxyLayouts
	}
	return classify.Advice{
		Problem: fmt.Sprintf("%s: given with %s, but no %s format fivexx reads fits its %s", label, flagName, kind, linesText(st.Lines)),
		Fix:     fix,
	}, true
}

// confName is the nginx config the log formats came from.
func (f *inputFlags) confName() string {
	if f.nginxConf != "" {
		return f.nginxConf
	}
	return "/etc/nginx/nginx.conf"
}
