package applog

import (
	"errors"
	"strings"

	"fivexx/sources"
)

// Stack traces span several lines after the line that logged the error:
//
//	Go:     panic: …, goroutine 7 [running]:, main.handler(…), \t/src/main.go:12 +0x1d
//	Java:   java.lang.IllegalStateException: …, \tat com.x.Y.z(Y.java:10), Caused by: …, \t... 5 more
//	Python: Traceback (most recent call last):, "  File "…", line 3, in f", ValueError: …
//
// Those lines are attached to the entry before them: Parse returns (nil, nil)
// and appends "\n"+line to that entry's Raw. The entry was already returned
// to the caller, which holds it by pointer and sees Raw grow; a caller that
// hands entries to another goroutine must let that goroutine read Raw only
// once the parser has moved past the entry (its next record or end of input).
//
// The rules are:
//   - An indented line, or one shaped like a trace line on its own (goroutine
//     header, Traceback header, Caused by:, "... N more", a Java exception
//     class), is a continuation whatever came before.
//   - Once a trace has begun, any line that is not a record of the format
//     (Go's unindented function lines, Python's closing "ValueError: …") is
//     a continuation, until the next record.
//   - A Go "panic: " or "fatal error: " line is a record of its own (level
//     fatal): it is the best evidence a crash leaves. It has no time of its
//     own and takes the time of the entry before it.
//   - A continuation with no entry before it is an error; blank lines are
//     skipped (attached only inside a trace).

// maxTraceBytes bounds an entry's Raw: a runaway trace stops growing it, its
// lines are still taken in.
const maxTraceBytes = 64 << 10

// errNoPrevious is returned for a continuation line with nothing to attach to.
var errNoPrevious = errors.New("stack trace line with no log line before it")

// traceKind is the kind of stack trace in progress.
type traceKind uint8

const (
	traceNone traceKind = iota
	traceGo
	traceJava
	tracePython
	traceOther // indented lines with no telling header
)

// stack attaches continuation lines to the last entry of one parser.
type stack struct {
	prev *sources.AppEntry
	kind traceKind
	buf  strings.Builder // prev.Raw with the lines attached so far
	// tags is the Rails tagged-logging prefix of prev's message ("[id] "),
	// which every line of a multi-line message repeats (rubyTags); "" if none.
	tags string
	// tagMessage: prev's message is its tags alone (Rails' FATAL line of
	// an exception), and the first tagged line after it says what failed.
	tagMessage bool
}

// record notes a new entry: continuations go to it from now on.
func (s *stack) record(e *sources.AppEntry) {
	s.prev = e
	s.kind = traceNone
	s.tags, s.tagMessage = "", false
	// A builder never written to is as good as new: skip the pointer writes.
	if s.buf.Cap() > 0 {
		s.buf = strings.Builder{} // strings taken from the old buffer stay valid
	}
}

// attach appends a continuation line to the previous entry.
func (s *stack) attach(line string, kind traceKind) error {
	if s.prev == nil {
		return errNoPrevious
	}
	if kind != traceNone && kind != traceOther || s.kind == traceNone {
		s.kind = kind
	}
	if s.buf.Len() == 0 {
		s.buf.WriteString(s.prev.Raw)
	}
	if s.buf.Len()+1+len(line) > maxTraceBytes {
		return nil
	}
	s.buf.WriteByte('\n')
	s.buf.WriteString(line)
	s.prev.Raw = s.buf.String()
	return nil
}

// blank handles an empty or all-space line: skipped, attached inside a trace.
func (s *stack) blank(line string) {
	if s.prev != nil && s.kind != traceNone {
		_ = s.attach(line, traceNone)
	}
}

// tagged attaches a line of a Rails multi-line message: one that starts
// with the tags of the entry before ("[8f3a…] ActiveRecord::… (…):",
// "[8f3a…]   app/models/user.rb:10:in 'find'"), as ActionDispatch's
// DebugExceptions writes an exception and its backtrace in one logger
// call, the tags before every line. The lines after it that are no
// record (an exception message's own lines) are attached too, as a
// trace's. The first tagged line with text becomes the message of an
// entry that had none but its tags. false: not such a line.
func (s *stack) tagged(line string) bool {
	if s.tags == "" || s.prev == nil || !strings.HasPrefix(line, s.tags) {
		return false
	}
	_ = s.attach(line, traceOther)
	if s.tagMessage {
		if text := strings.TrimSpace(line[len(s.tags):]); text != "" && strings.HasSuffix(s.prev.Raw, line) {
			// From Raw, the parser's own copy: line lies in the reader's
			// buffer, which it reuses.
			raw := s.prev.Raw
			s.prev.Message = strings.TrimSpace(raw[len(raw)-len(line)+len(s.tags):])
			s.tagMessage = false
		}
	}
	return true
}

// rubyTags returns the tags that open the message of a Ruby Logger line
// (Rails' tagged logging: "I, [… #12]  INFO -- : [8f3a…] [api] Started …"),
// with the space after them, and whether the message is nothing else; ""
// when the line has no Ruby header or no tags.
func rubyTags(line string) (string, bool) {
	if len(line) < 4 || line[1] != ',' || line[2] != ' ' || line[3] != '[' {
		return "", false
	}
	i := strings.Index(line, " -- ")
	if i < 0 {
		return "", false
	}
	j := strings.Index(line[i+4:], ": ")
	if j < 0 {
		return "", false
	}
	start := i + 4 + j + 2
	k := start
	for k < len(line) && line[k] == '[' {
		end := strings.IndexByte(line[k:], ']')
		if end <= 1 || k+end+1 >= len(line) || line[k+end+1] != ' ' {
			break
		}
		k += end + 2
	}
	if k == start {
		return "", false
	}
	return line[start:k], strings.TrimSpace(line[k:]) == ""
}

// inTrace reports whether a stack trace is in progress.
func (s *stack) inTrace() bool { return s.kind != traceNone }

// panicEntry makes the record for a Go "panic: " or "fatal error: " line, or
// returns nil when the line is not one.
func (s *stack) panicEntry(line, service string) *sources.AppEntry {
	if !strings.HasPrefix(line, "panic: ") && !strings.HasPrefix(line, "fatal error: ") {
		return nil
	}
	e := &sources.AppEntry{Level: "fatal", Message: line, Duration: -1, Service: service, Raw: line}
	if s.prev != nil {
		e.Time = s.prev.Time
	}
	s.record(e)
	s.kind = traceGo
	return e
}

// javaNameByte reports whether c may be in a qualified Java class name.
func javaNameByte(c byte) bool {
	return isLetter(c) || isDigit(c) || c == '_' || c == '.' || c == '$'
}

// isBlank reports whether a line has only spaces and tabs.
func isBlank(line string) bool {
	for i := 0; i < len(line); i++ {
		if line[i] != ' ' && line[i] != '\t' && line[i] != '\r' {
			return false
		}
	}
	return true
}

// traceLine reports whether a line is, by its own shape, part of a stack
// trace, and which kind.
func traceLine(line string) (traceKind, bool) {
	switch {
	case line == "":
		return traceNone, false
	case line[0] == ' ' || line[0] == '\t':
		return traceOther, true
	case strings.HasPrefix(line, "goroutine ") && goroutineHeader(line):
		return traceGo, true
	case strings.HasPrefix(line, "Traceback (most recent call last):"),
		strings.HasPrefix(line, "During handling of the above exception"),
		strings.HasPrefix(line, "The above exception was the direct cause"):
		return tracePython, true
	case strings.HasPrefix(line, "Caused by: "),
		strings.HasPrefix(line, "Suppressed: "),
		strings.HasPrefix(line, "Exception in thread \""),
		strings.HasPrefix(line, "... ") && strings.HasSuffix(line, " more"),
		javaException(line):
		return traceJava, true
	}
	return traceNone, false
}

// goroutineHeader matches "goroutine 7 [running]:".
func goroutineHeader(line string) bool {
	rest := line[len("goroutine "):]
	i := 0
	for i < len(rest) && isDigit(rest[i]) {
		i++
	}
	return i > 0 && strings.HasPrefix(rest[i:], " [") && strings.HasSuffix(rest, "]:")
}

// javaException matches a qualified exception class opening a Java trace,
// "java.lang.IllegalStateException: boom" or
// "org.springframework.web.client.HttpServerErrorException$ServiceUnavailable: 503 …".
func javaException(line string) bool {
	// The name runs to the first ": " (or the end) and has only name bytes,
	// so it is the run of name bytes at the start, followed by ": " or the
	// end: this reads no further than the name.
	k := 0
	for k < len(line) && k <= 200 && javaNameByte(line[k]) {
		k++
	}
	if k > 200 || k < len(line) && !strings.HasPrefix(line[k:], ": ") {
		return false
	}
	name := line[:k]
	if strings.IndexByte(name, '.') < 0 {
		return false
	}
	start := 0
	found := false
	for i := 0; i <= len(name); i++ {
		if i < len(name) {
			c := name[i]
			if isLetter(c) || isDigit(c) || c == '_' {
				continue
			}
			if c != '.' && c != '$' {
				return false
			}
		}
		part := name[start:i]
		if part == "" {
			return false
		}
		if strings.HasSuffix(part, "Exception") || strings.HasSuffix(part, "Error") || strings.HasSuffix(part, "Throwable") {
			found = true
		}
		start = i + 1
	}
	return found
}
