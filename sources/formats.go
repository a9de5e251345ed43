package sources

import (
	"errors"
	"regexp"
	"sort"
	"sync"
	"time"
)

// ErrNoMatch is returned by a parser for a line its format does not describe.
var ErrNoMatch = errors.New("line does not match the format")

// Parser turns lines of one format into records. A parser is used by one
// goroutine at a time; it may keep state (a timestamp cache, a stack trace in
// progress).
type Parser interface {
	// Parse parses one line without its newline. A line that the format does
	// not describe returns a nil record and an error (ErrNoMatch or a more
	// precise one). A nil record with a nil error means the line was taken in
	// but makes no record of its own (a continuation line).
	Parse(line string) (Record, error)
}

// Primer is a Parser that looks ahead at the lines held for detection
// before it parses them. HAProxy's syslog and stderr stamps have no year;
// its request lines have one, and a state line before the first of them
// took the year of the day it was read.
type Primer interface {
	// Prime reads lines, which the parser then parses in order; it keeps
	// only what reading them ahead may tell (a year), no record.
	Prime(lines []string)
}

// PrimedTeller is a Primer that can tell when the lines it was given were
// enough: what reading ahead may tell, it has learned (a year from a
// request line), and later lines would change nothing. The decoder then
// parses the lines it held at once: a live input whose format was known
// before its first line (detected from the file's head) held its first
// appended lines for up to 12 lines or 0.3 s of quiet, so that the first
// request after a lull reached the screen a quarter of a second late.
type PrimedTeller interface {
	Primer
	// Primed says whether Prime has learned all it reads ahead for.
	Primed() bool
}

// ParserOptions carries what the user said about an input.
type ParserOptions struct {
	// LogFormat is an nginx log_format string (from --log-format or the
	// nginx config) for formats compiled from one.
	LogFormat string
	// Escape is the log_format escape mode: "default", "json" or "none".
	Escape string
	// Location is the time zone of timestamps written without one (nginx
	// error log, HAProxy). nil means time.Local.
	Location *time.Location
	// Service labels app lines (--app NAME=FILE).
	Service string
	// RequestIDKey is an extra key to read the request id from in app logs.
	RequestIDKey string
	// RequestIDRegex finds the request id in plain-text app lines; its first
	// submatch (or whole match) is the id.
	RequestIDRegex *regexp.Regexp
}

// Loc returns the time zone to use for zone-less timestamps.
func (o ParserOptions) Loc() *time.Location {
	if o.Location != nil {
		return o.Location
	}
	return time.Local
}

// Format describes one log format: how to recognise it and how to parse it.
// Each format lives in its own file and registers itself from init.
type Format struct {
	Name string
	Role Role
	// Priority breaks detection ties: a more specific format (nginx upstream
	// format) beats a more general one (combined) on the same score.
	Priority int
	// Detect scores how well one sample line fits: 0 not at all, 100 certain.
	Detect func(line string) int
	// Claims reports whether a line is the format's own though Detect
	// scores it 0: a request line HAProxy's syslog tag vouches for, in a
	// custom log-format its parser does not read. Detection scores such a
	// line 0 for every app format too, so that an input of them is one
	// whose format is not recognised, and the report says why: app-text
	// read them by their syslog stamp, an app log of 0 requests, every 5xx
	// lost without a word, also with --format haproxy. nil for the formats
	// that claim nothing they cannot read.
	Claims func(line string) bool
	// New builds a parser for the format.
	New func(opts ParserOptions) (Parser, error)
	// Doc is a one-line description for --help and explain.
	Doc string
	// Family names the proxy whose error log (or error entries) this
	// format's lines belong with: nginx's access formats and its error log
	// are "nginx", Caddy's one stream is "caddy". Such a proxy logs every
	// upstream failure there, so a 5xx with no error line was the
	// upstream's own; "" for proxies without one (Envoy, Traefik, ALB...),
	// whose 5xx an nginx error log says nothing about.
	Family string
	// Stateless says a line parses the same whatever lines came before it:
	// no continuation lines, no time without a zone (whose DST hour needs
	// the lines before), so the lines of a file may be parsed in parallel,
	// by chunks (see readParallel).
	Stateless bool
	// Captured returns the values a request line of the format logs that
	// may hold the request id its parser did not take as one, for lines
	// whose entry has none: HAProxy's captured request headers, whose
	// place says which header each is, and whose shape says nothing of a
	// short id ("hap-2-e503"). The engine takes one as the id only when an
	// app line carries it as its own (classify/capturedid.go). nil for the
	// other formats.
	Captured func(raw string) []string
	// Trailing returns the fields a request line of the format has after
	// the last one its parser reads, for lines whose entry has no id: a
	// custom HAProxy log-format that logs the unique id (%ID) after the
	// request line. Taken as the id as Captured's values are; nil for
	// the formats whose lines end where their parser stops.
	Trailing func(raw string) []string
	// LocalTime says the format's request times carry no zone (HAProxy's
	// %tr): they are read in TZ, and a log written in another zone is
	// off by whole hours.
	LocalTime bool
	// ErrorLogger names, for a request line of the format, the logger
	// its proxy's error entries for that request are written by, as
	// ProxyError.Server names it: Caddy logs a site's access entries as
	// http.log.access.log1 and its errors as http.log.error.log1, so an
	// error log holding another site's errors says nothing of this one's
	// (a site with handle_errors logs them at DEBUG only). "" when the
	// line does not say; nil for the other formats.
	ErrorLogger func(raw string) string
	// Names are the format's own names of the fields the evidence quotes
	// (FieldNames); nil for nginx's, whose names are the defaults.
	Names *FieldNames
	// Wrapper names the container log wrapper ("cri", "docker") the lines
	// come in, which the parser strips first; "" for bare lines. Set by
	// detection (see container.go).
	Wrapper string
}

// FieldNames names a proxy format's attribution fields as its own log
// does, for the evidence lines that quote them: an Envoy reader looks for
// upstream_host and response_flags, a Traefik reader for ServiceAddr and
// OriginStatus, not nginx's upstream_addr and upstream_status. A field
// the format does not log is "" and is left out of the evidence.
type FieldNames struct {
	Addr, Status, HeaderTime string // ProxyEntry.UpstreamAddr, UpstreamStatus, UpstreamHeader (in seconds)
	Flags                    string // ProxyEntry.Flags; "" says "proxy flags"
	// StatusFlags names Flags when they are a status code, the field
	// that holds them (Cloudflare's 52x, its EdgeResponseStatus); ""
	// says Flags.
	StatusFlags string
}

// NginxNames are nginx's names, the default for a format without Names.
var NginxNames = FieldNames{Addr: "upstream_addr", Status: "upstream_status", HeaderTime: "upstream_header_time"}

var (
	registryMu sync.RWMutex
	registry   = map[string]Format{}
)

// Register adds a format. Called from init in each format's file; a
// duplicate name is a programming error and panics.
func Register(f Format) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[f.Name]; dup {
		panic("sources: format registered twice: " + f.Name)
	}
	registry[f.Name] = f
}

// LookupFormat returns the format with the given name.
func LookupFormat(name string) (Format, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	f, ok := registry[name]
	return f, ok
}

// Formats returns every registered format, by role then name.
func Formats() []Format {
	registryMu.RLock()
	defer registryMu.RUnlock()
	out := make([]Format, 0, len(registry))
	for _, f := range registry {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Role != out[j].Role {
			return out[i].Role < out[j].Role
		}
		return out[i].Name < out[j].Name
	})
	return out
}
