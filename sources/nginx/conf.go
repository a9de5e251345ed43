package nginx

// conf.go reads log_format and access_log directives out of an nginx
// config, so a user can point fivexx at nginx.conf instead of copying the
// format string.
//
// The rules:
//   - Tokens are split as nginx's config reader does: words, '...' and
//     "..." strings, ';' '{' '}', and '#' comments at the start of a token.
//   - log_format strings are kept as written (backslash escapes not yet
//     applied) because Compile applies them, exactly once.
//   - include globs are resolved relative to the main config's directory,
//     in sorted order; an include that matches nothing is skipped (a copied
//     config keeps its formats readable without the files it includes).
//   - access_log with no format uses the predefined combined format;
//     "access_log off" and syslog: targets are ignored. An access_log that
//     names an undefined format is an error, as it is for nginx.
//   - *_by_lua_block bodies are Lua, not config: they are skipped.
//   - The *_read_timeout directives are read for how long a 504 may have
//     waited (Conf.ReadTimeout); a value nginx would refuse is an error.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// LogFormatSpec is the log_format an access log is written with.
type LogFormatSpec struct {
	Name   string // log_format name ("combined" for the default)
	Format string // the format string as written in the config, pieces joined
	Escape string // "default", "json" or "none"
}

// maxIncludeDepth stops include loops.
const maxIncludeDepth = 16

// LogFormatsFromConf reads the nginx config at path (following include) and
// returns the log format of every access_log file, keyed by the path as
// written in the access_log directive.
func LogFormatsFromConf(path string) (map[string]LogFormatSpec, error) {
	c, err := ReadConf(path)
	return c.LogFormats, err
}

// Conf is what fivexx reads out of an nginx config.
type Conf struct {
	// LogFormats is the log format of every access_log file, keyed by
	// the path as written in the access_log directive.
	LogFormats map[string]LogFormatSpec
	// ReadTimeout is the longest proxy_read_timeout (or fastcgi_, uwsgi_,
	// scgi_, grpc_read_timeout) the config sets anywhere, 0 when it sets
	// none: how long nginx may wait for an upstream's answer before its
	// 504 (conftimeout.go).
	ReadTimeout time.Duration
	// NeverDown names the upstream{} groups whose every server has
	// max_fails=0: nginx marks none of them down, so its "no live
	// upstreams" there says that each server was tried for the request,
	// not that the servers were down.
	NeverDown map[string]bool
}

// ReadConf reads the nginx config at path, following include.
func ReadConf(path string) (Conf, error) {
	r := &confReader{
		dir:     filepath.Dir(path),
		formats: map[string]LogFormatSpec{"combined": {Name: "combined", Format: CombinedFormat, Escape: "default"}},
	}
	if err := r.readFile(path, 0); err != nil {
		return Conf{}, err
	}
	out := make(map[string]LogFormatSpec, len(r.logs))
	for _, l := range r.logs {
		if _, dup := out[l.path]; dup {
			continue // the first access_log for a file wins
		}
		spec, ok := r.formats[l.format]
		if !ok {
			return Conf{}, fmt.Errorf("%s:%d: access_log %s uses undefined log_format %q", l.file, l.line, l.path, l.format)
		}
		out[l.path] = spec
	}
	var neverDown map[string]bool
	for name, g := range r.groups {
		if g.servers > 0 && g.neverDown == g.servers {
			if neverDown == nil {
				neverDown = map[string]bool{}
			}
			neverDown[name] = true
		}
	}
	return Conf{LogFormats: out, ReadTimeout: r.readTimeout, NeverDown: neverDown}, nil
}

// upstreamGroup counts an upstream{} block's servers, and those with
// max_fails=0.
type upstreamGroup struct{ servers, neverDown int }

type accessLog struct {
	path, format string
	file         string
	line         int
}

type confReader struct {
	dir         string
	formats     map[string]LogFormatSpec
	logs        []accessLog
	readTimeout time.Duration // the longest *_read_timeout
	// blocks are the names of the blocks the reader is in, outermost
	// first: an upstream{}'s group name, "" for any other block.
	blocks []string
	groups map[string]*upstreamGroup
}

func (r *confReader) readFile(path string, depth int) error {
	if depth > maxIncludeDepth {
		return fmt.Errorf("%s: includes nested more than %d deep", path, maxIncludeDepth)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read nginx config: %w", err)
	}
	lx := &confLexer{src: string(data), line: 1}
	var args []confToken
	for {
		tok, err := lx.next()
		if err != nil {
			return fmt.Errorf("%s:%d: %w", path, lx.line, err)
		}
		switch {
		case tok.eof:
			if len(args) > 0 {
				return fmt.Errorf("%s:%d: unexpected end of file, expecting \";\" or \"}\"", path, lx.line)
			}
			return nil
		case !tok.quoted && tok.text == ";":
			if err := r.directive(path, args, depth); err != nil {
				return err
			}
			args = args[:0]
		case !tok.quoted && tok.text == "{":
			if len(args) > 0 && strings.HasSuffix(args[0].text, "_by_lua_block") {
				if err := lx.skipLuaBlock(); err != nil {
					return fmt.Errorf("%s:%d: %w", path, lx.line, err)
				}
				args = args[:0]
				continue // its closing brace is skipped too
			}
			name := ""
			if len(args) == 2 && !args[0].quoted && args[0].text == "upstream" {
				name = configUnescape(args[1].text)
			}
			r.blocks = append(r.blocks, name)
			args = args[:0]
		case !tok.quoted && tok.text == "}":
			if n := len(r.blocks); n > 0 {
				r.blocks = r.blocks[:n-1]
			}
			args = args[:0]
		default:
			args = append(args, tok)
		}
	}
}

func (r *confReader) directive(file string, args []confToken, depth int) error {
	if len(args) == 0 {
		return nil
	}
	switch args[0].text {
	case "include":
		for _, a := range args[1:] {
			if err := r.include(configUnescape(a.text), depth); err != nil {
				return err
			}
		}
	case "log_format":
		if len(args) < 3 {
			return fmt.Errorf("%s:%d: log_format needs a name and a format", file, args[0].line)
		}
		spec := LogFormatSpec{Name: configUnescape(args[1].text), Escape: "default"}
		rest := args[2:]
		if !rest[0].quoted && strings.HasPrefix(rest[0].text, "escape=") {
			spec.Escape = strings.TrimPrefix(rest[0].text, "escape=")
			rest = rest[1:]
		}
		var b strings.Builder
		for _, a := range rest {
			b.WriteString(a.text)
		}
		spec.Format = b.String()
		r.formats[spec.Name] = spec
	case "proxy_read_timeout", "fastcgi_read_timeout", "uwsgi_read_timeout", "scgi_read_timeout", "grpc_read_timeout":
		if len(args) != 2 {
			return fmt.Errorf("%s:%d: %s needs one time", file, args[0].line, args[0].text)
		}
		d, err := parseConfTime(configUnescape(args[1].text))
		if err != nil {
			return fmt.Errorf("%s:%d: %s: %w", file, args[0].line, args[0].text, err)
		}
		r.readTimeout = max(r.readTimeout, d)
	case "server":
		if n := len(r.blocks); n > 0 && r.blocks[n-1] != "" && len(args) >= 2 {
			r.upstreamServer(r.blocks[n-1], args[2:])
		}
	case "access_log":
		if len(args) < 2 {
			return nil
		}
		p := configUnescape(args[1].text)
		if p == "off" || strings.HasPrefix(p, "syslog:") {
			return nil
		}
		format := "combined"
		if len(args) > 2 {
			format = configUnescape(args[2].text)
		}
		r.logs = append(r.logs, accessLog{path: p, format: format, file: file, line: args[0].line})
	}
	return nil
}

// upstreamServer notes a server of upstream group name, with its
// parameters: max_fails=0 disables nginx's marking it down (1 is the
// default).
func (r *confReader) upstreamServer(name string, params []confToken) {
	if r.groups == nil {
		r.groups = map[string]*upstreamGroup{}
	}
	g := r.groups[name]
	if g == nil {
		g = &upstreamGroup{}
		r.groups[name] = g
	}
	g.servers++
	for _, p := range params {
		if configUnescape(p.text) == "max_fails=0" {
			g.neverDown++
			return
		}
	}
}

func (r *confReader) include(pattern string, depth int) error {
	if !filepath.IsAbs(pattern) {
		pattern = filepath.Join(r.dir, pattern)
	}
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return fmt.Errorf("include %s: %w", pattern, err)
	}
	sort.Strings(matches)
	for _, m := range matches {
		if fi, err := os.Stat(m); err != nil || fi.IsDir() {
			continue
		}
		if err := r.readFile(m, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// confToken is one token of an nginx config.
type confToken struct {
	text   string // quotes removed, backslash escapes kept
	quoted bool
	line   int
	eof    bool
}

// confLexer splits an nginx config into tokens.
type confLexer struct {
	src  string
	pos  int
	line int
}

func (lx *confLexer) next() (confToken, error) {
	if !lx.skipBlank() {
		return confToken{eof: true, line: lx.line}, nil
	}
	start, line := lx.pos, lx.line
	c := lx.src[lx.pos]
	switch c {
	case ';', '{', '}':
		lx.pos++
		return confToken{text: string(c), line: line}, nil
	case '"', '\'':
		for i := lx.pos + 1; i < len(lx.src); i++ {
			switch lx.src[i] {
			case '\\':
				i++
			case '\n':
				lx.line++
			case c:
				lx.pos = i + 1
				return confToken{text: lx.src[start+1 : i], quoted: true, line: line}, nil
			}
		}
		return confToken{}, errors.New("unexpected end of file in a quoted string")
	}
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case c == '\\' && lx.pos+1 < len(lx.src):
			lx.pos += 2
			continue
		case c == '$' && lx.pos+1 < len(lx.src) && lx.src[lx.pos+1] == '{':
			// ${name} inside a word: the braces are not blocks.
			if end := strings.IndexByte(lx.src[lx.pos:], '}'); end >= 0 {
				lx.pos += end + 1
				continue
			}
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '{' || c == '}':
			return confToken{text: lx.src[start:lx.pos], line: line}, nil
		}
		lx.pos++
	}
	return confToken{text: lx.src[start:lx.pos], line: line}, nil
}

// skipBlank skips blanks and comments; it reports whether a token follows.
func (lx *confLexer) skipBlank() bool {
	for lx.pos < len(lx.src) {
		switch lx.src[lx.pos] {
		case '\n':
			lx.line++
			lx.pos++
		case ' ', '\t', '\r':
			lx.pos++
		case '#':
			for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' {
				lx.pos++
			}
		default:
			return true
		}
	}
	return false
}

// skipLuaBlock skips a Lua body after its opening brace, up to the matching
// closing brace, minding Lua strings, long brackets and -- comments.
func (lx *confLexer) skipLuaBlock() error {
	depth := 1
	s := lx.src
	for i := lx.pos; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\n':
			lx.line++
		case c == '"' || c == '\'':
			for i++; i < len(s) && s[i] != c; i++ {
				if s[i] == '\\' {
					i++
				} else if s[i] == '\n' {
					lx.line++
				}
			}
		case c == '[' && i+1 < len(s) && (s[i+1] == '[' || s[i+1] == '='):
			if end := longBracketEnd(s, i); end > 0 {
				lx.line += strings.Count(s[i:end], "\n")
				i = end - 1
			}
		case c == '-' && strings.HasPrefix(s[i:], "--"):
			if end := longBracketEnd(s, i+2); end > 0 && s[i+2] == '[' {
				lx.line += strings.Count(s[i:end], "\n")
				i = end - 1
				continue
			}
			for i < len(s) && s[i] != '\n' {
				i++
			}
			i--
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				lx.pos = i + 1
				return nil
			}
		}
	}
	return errors.New("unexpected end of file in a *_by_lua_block")
}

// longBracketEnd returns the index after the Lua long bracket [==[...]==]
// opened at i, or 0 when i opens none.
func longBracketEnd(s string, i int) int {
	if i >= len(s) || s[i] != '[' {
		return 0
	}
	j := i + 1
	for j < len(s) && s[j] == '=' {
		j++
	}
	if j >= len(s) || s[j] != '[' {
		return 0
	}
	closer := "]" + strings.Repeat("=", j-i-1) + "]"
	if k := strings.Index(s[j+1:], closer); k >= 0 {
		return j + 1 + k + len(closer)
	}
	return 0
}
