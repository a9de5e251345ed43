package sources

import (
	"encoding/json"
	"strings"
	"time"
)

// Logs read from a node's /var/log/containers/*.log come wrapped by the
// container runtime (formats.md, General pitfalls):
//
//	CRI:    2024-01-02T03:04:05.123456789Z stdout F <line>
//	Docker: {"log":"<line>\n","stream":"stdout","time":"2024-01-02T03:04:05.1Z"}
//
// Read as they are, a proxy's lines were an app log's. Detection strips
// the wrapper before it scores a line (unwrapLine), and when most lines
// carry one, the format found for the inner lines is wrapped (wrapFormat):
// its parser strips the wrapper and parses the line inside. A line the
// runtime cut into pieces (CRI tag P, a Docker "log" without its newline)
// is joined again before it is parsed; the pieces count as lines of the
// input that make no record of their own, as a stack trace's lines do.
// (kubectl logs strips the wrapper itself.)

// wrapperKind is a container log wrapper.
type wrapperKind uint8

const (
	wrapNone wrapperKind = iota
	wrapCRI
	wrapDocker
	wrapperKinds
)

func (k wrapperKind) String() string {
	switch k {
	case wrapCRI:
		return "cri"
	case wrapDocker:
		return "docker"
	}
	return ""
}

// describe says it for Detected: "in CRI container lines".
func (k wrapperKind) describe() string {
	switch k {
	case wrapCRI:
		return "in CRI container lines"
	case wrapDocker:
		return "in Docker json-file lines"
	}
	return ""
}

func wrapperNamed(s string) wrapperKind {
	for k := wrapperKind(1); k < wrapperKinds; k++ {
		if k.String() == s {
			return k
		}
	}
	return wrapNone
}

// unwrapLine returns the wrapper a line carries, the line inside it (the
// line itself when it carries none) and whether that is only the start of
// a line the runtime cut (CRI "P", Docker without the newline).
func unwrapLine(line string) (kind wrapperKind, inner string, partial bool) {
	if inner, _, partial, ok := unwrapCRI(line); ok {
		return wrapCRI, inner, partial
	}
	if inner, _, partial, ok := unwrapDocker(line); ok {
		return wrapDocker, inner, partial
	}
	return wrapNone, line, false
}

// unwrapCRI reads "TIME STREAM TAG LINE" (the CRI logging format, as
// containerd and CRI-O write it): TIME is RFC 3339 with nanoseconds,
// STREAM stdout or stderr, TAG "F" (full) or "P" (partial), maybe with
// more tags after a ':'.
func unwrapCRI(line string) (inner, stream string, partial, ok bool) {
	// The cheap test first: a digit, and a 'T' where RFC 3339 has it.
	if len(line) < 20 || line[0] < '0' || line[0] > '9' || line[4] != '-' || line[10] != 'T' {
		return "", "", false, false
	}
	ts, rest, ok1 := strings.Cut(line, " ")
	stream, rest, ok2 := strings.Cut(rest, " ")
	tag, inner, ok3 := strings.Cut(rest, " ")
	if !ok3 && ok2 && rest != "" {
		// "TIME STREAM F" with an empty line and no space after the tag.
		tag, inner, ok3 = rest, "", true
	}
	if !ok1 || !ok2 || !ok3 || (stream != "stdout" && stream != "stderr") {
		return "", "", false, false
	}
	if t, _, _ := strings.Cut(tag, ":"); t == "P" {
		partial = true
	} else if t != "F" {
		return "", "", false, false
	}
	if _, err := time.Parse(time.RFC3339Nano, ts); err != nil {
		return "", "", false, false
	}
	return inner, stream, partial, true
}

// dockerLine is one line of Docker's json-file log driver.
type dockerLine struct {
	Log    *string `json:"log"`
	Stream string  `json:"stream"`
	Time   string  `json:"time"`
}

// unwrapDocker reads {"log":"LINE\n","stream":"stdout","time":"..."}. A
// line longer than Docker's buffer (16 KiB) is written as several records,
// all but the last without the newline.
func unwrapDocker(line string) (inner, stream string, partial, ok bool) {
	if len(line) < 2 || line[0] != '{' || !strings.HasPrefix(line, `{"log":`) {
		return "", "", false, false
	}
	var d dockerLine
	if err := json.Unmarshal([]byte(line), &d); err != nil || d.Log == nil || d.Stream == "" || d.Time == "" {
		return "", "", false, false
	}
	inner = *d.Log
	if s, cut := strings.CutSuffix(inner, "\n"); cut {
		inner = strings.TrimSuffix(s, "\r")
	} else {
		partial = true
	}
	return inner, d.Stream, partial, true
}

// wrapFormat returns f for lines in wrapper k: its parser strips the
// wrapper first. Joining cut lines needs the lines before, so the wrapped
// format is not Stateless.
func wrapFormat(f Format, k wrapperKind) Format {
	if k == wrapNone || f.Wrapper != "" {
		return f
	}
	newInner := f.New
	f.Wrapper = k.String()
	f.Stateless = false
	f.New = func(opts ParserOptions) (Parser, error) {
		p, err := newInner(opts)
		if err != nil {
			return nil, err
		}
		return &unwrapParser{kind: k, p: p}, nil
	}
	return f
}

// unwrapParser strips a container wrapper and parses the line inside with
// p. A line without the wrapper is parsed as it is.
type unwrapParser struct {
	kind wrapperKind
	p    Parser
	// partial holds the pieces of a cut line so far, per stream (stdout
	// and stderr interleave).
	partial [2]strings.Builder
}

// Prime implements Primer for a parser that does, on the lines inside.
func (u *unwrapParser) Prime(lines []string) {
	pr, ok := u.p.(Primer)
	if !ok {
		return
	}
	inner := make([]string, 0, len(lines))
	for _, l := range lines {
		if _, in, partial := unwrapLine(l); !partial {
			inner = append(inner, in)
		}
	}
	pr.Prime(inner)
}

// Primed implements PrimedTeller: a parser inside that does not read
// ahead needs nothing, one that does says.
func (u *unwrapParser) Primed() bool {
	switch p := u.p.(type) {
	case PrimedTeller:
		return p.Primed()
	case Primer:
		return false
	}
	return true
}

// Parse implements Parser.
func (u *unwrapParser) Parse(line string) (Record, error) {
	var inner, stream string
	var partial, ok bool
	switch u.kind {
	case wrapCRI:
		inner, stream, partial, ok = unwrapCRI(line)
	case wrapDocker:
		inner, stream, partial, ok = unwrapDocker(line)
	}
	if !ok {
		return u.p.Parse(line)
	}
	b := &u.partial[0]
	if stream == "stderr" {
		b = &u.partial[1]
	}
	if partial {
		// Cut as a too-long line is: the rest is dropped.
		if room := MaxLineBytes - b.Len(); room > 0 {
			b.WriteString(cut(inner, room))
		}
		return nil, nil
	}
	if b.Len() > 0 {
		if room := MaxLineBytes - b.Len(); room > 0 {
			b.WriteString(cut(inner, room))
		}
		inner = b.String()
		b.Reset()
	}
	return u.p.Parse(inner)
}
