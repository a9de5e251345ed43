package caddy

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"fivexx/sources"
)

// Caddy's console encoder writes
//
//	2021/12/31 23:59:59.000<TAB>ERROR<TAB>http.log.error<TAB>dial tcp ...<TAB>{"request": {...}, "status": 502}
//
// with the level in ANSI colour even into files, no logger column for
// unnamed loggers, and no JSON tail when the entry has no fields. The time
// is the local wall clock, read in ParserOptions.Loc().

var consoleLayouts = [...]string{"2006/01/02 15:04:05.000", time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700"}

// parseConsole fills e from a console line and returns its time.
func (p *Parser) parseConsole(line string, e *entry) (time.Time, error) {
	head, tail, hasTail := strings.Cut(line, "\t{")
	parts := strings.Split(head, "\t")
	if len(parts) < 3 || len(parts) > 4 {
		return time.Time{}, sources.NoMatch("caddy", "not json and not console form")
	}
	var t time.Time
	var err error
	for _, layout := range consoleLayouts {
		if t, err = time.ParseInLocation(layout, parts[0], p.loc); err == nil {
			if layout != time.RFC3339Nano { // it trims trailing zeros: its digits say less
				e.precision = sources.FractionIn(parts[0])
			}
			break
		}
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("caddy: console time %q: %w", parts[0], sources.ErrNoMatch)
	}
	level := strings.ToLower(stripANSI(parts[1]))
	switch level {
	case "debug", "info", "warn", "error", "dpanic", "panic", "fatal":
	default:
		return time.Time{}, fmt.Errorf("caddy: console level %q: %w", parts[1], sources.ErrNoMatch)
	}
	if hasTail {
		if err := json.Unmarshal([]byte("{"+tail), e); err != nil && !isTypeError(err) {
			return time.Time{}, fmt.Errorf("caddy: console fields: %v: %w", err, sources.ErrNoMatch)
		}
	}
	msg := parts[len(parts)-1]
	e.Level, e.msg, e.Logger = level, msg, ""
	if len(parts) == 4 {
		e.Logger = parts[2]
	}
	return t, nil
}

// consoleLogger returns the logger column of a console line, "" when none.
func consoleLogger(line string) string {
	head, _, _ := strings.Cut(line, "\t{")
	parts := strings.Split(head, "\t")
	if len(parts) == 4 {
		return parts[2]
	}
	return ""
}

// stripANSI removes CSI sequences ("\x1b[31m").
func stripANSI(s string) string {
	if strings.IndexByte(s, 0x1b) < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
