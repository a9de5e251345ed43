package parsers

import (
	"regexp"
	"strings"
	"testing"

	"fivexx/sources"
)

// TestGivenRoleContradictions: which samples contradict the app role and
// the proxy error log role when given so (sources/givenrole.go), and as
// what. Every proxy's access log contradicts --app but plain combined
// (an app's own access log, gunicorn's, is that), and --proxy-errors but
// where the proxy's one stream holds error entries too (HAProxy's state
// lines, Caddy's default logger); app logs contradict nothing.
func TestGivenRoleContradictions(t *testing.T) {
	const (
		none   = ""
		access = "proxy"
		errs   = "proxy-errors"
	)
	want := map[string][2]string{ // as --app, as --proxy-errors
		"../nginx/testdata/combined.log":                      {none, access},
		"../nginx/testdata/main.log":                          {none, access},
		"../nginx/testdata/upstream.log":                      {access, access},
		"../nginx/testdata/json.log":                          {access, access},
		"../nginx/testdata/ingress.log":                       {access, access},
		"../nginx/testdata/error.log":                         {errs, none},
		"../../testdata/formats/ingress-nginx/access.log":     {access, access},
		"../haproxy/testdata/raw.log":                         {access, none},
		"../haproxy/testdata/rfc3164.log":                     {access, none},
		"../haproxy/testdata/rfc5424.log":                     {access, none},
		"../haproxy/testdata/clf.log":                         {access, none},
		"../haproxy/testdata/stderr.log":                      {errs, none},
		"../caddy/testdata/access.log":                        {access, none},
		"../caddy/testdata/default.log":                       {errs, none},
		"../../testdata/errorlog-alone/caddy-errors.log":      {errs, none},
		"../../testdata/formats/envoy/access.log":             {access, access},
		"../../testdata/formats/envoy/json.log":               {access, access},
		"../../testdata/formats/alb/access.log":               {access, access},
		"../../testdata/formats/traefik/common.log":           {access, access},
		"../../testdata/formats/traefik/json.log":             {access, access},
		"../../testdata/formats/cloudflare/http_requests.log": {access, access},
		"../applog/testdata/json.log":                         {none, none},
		"../applog/testdata/logfmt.log":                       {none, none},
		"../applog/testdata/text.log":                         {none, none},
		"../applog/testdata/access.log":                       {none, none},
		"../../testdata/recordings/nginx-upstream/access.log": {access, access},
		"../../testdata/recordings/nginx-combined/access.log": {none, access},
		"../../testdata/recordings/nginx-json/access.log":     {access, access},
		"../../testdata/recordings/nginx-upstream/error.log":  {errs, none},
		"../../testdata/recordings/nginx-upstream/app.log":    {none, none},
		"../../testdata/recordings/nginx-combined/app.log":    {none, none},
		"../../testdata/recordings/haproxy/access.log":        {access, none},
		"../../testdata/recordings/caddy/access.log":          {access, none},
	}
	for file, w := range want {
		t.Run(file, func(t *testing.T) {
			lines := head(t, file, 400)
			sample := sources.DetectSample(lines, sources.RoleUnknown)
			for i, role := range []sources.Role{sources.RoleApp, sources.RoleProxyErrors} {
				got := none
				if c, bad := sources.ContradictsRole(sources.Spec{Role: role}, lines, sample); bad {
					got = c.As.String()
				}
				if got != w[i] {
					t.Errorf("given as %v: contradicted as %q, want %q", role, got, w[i])
				}
				// A format forced for the role says the user knows.
				forced := sources.Spec{Role: role, Prefer: map[sources.Role]string{role: "app-text"}}
				if _, bad := sources.ContradictsRole(forced, lines, sample); bad {
					t.Errorf("given as %v with --format for it: contradicted", role)
				}
			}
		})
	}
}

// TestGivenRoleFixNamesAFormatThatReads: the fix of a log refused as
// --app names an app format only when that format reads its lines (half
// of them at least, as app entries), and else says that none does. It
// named app-text for HAProxy's access log and Caddy's JSON error entries,
// and --format app-text then read none of them: "349 unparsed … it looks
// like haproxy" (QA s30).
func TestGivenRoleFixNamesAFormatThatReads(t *testing.T) {
	files := []string{
		"../nginx/testdata/upstream.log",
		"../nginx/testdata/json.log",
		"../nginx/testdata/error.log",
		"../haproxy/testdata/raw.log",
		"../haproxy/testdata/rfc3164.log",
		"../haproxy/testdata/stderr.log",
		"../caddy/testdata/access.log",
		"../caddy/testdata/default.log",
		"../../testdata/errorlog-alone/caddy-errors.log",
		"../../testdata/recordings/haproxy/access.log",
		"../../testdata/recordings/haproxy/stderr.log",
		"../../testdata/recordings/caddy/access.log",
		"../../testdata/recordings/caddy/error.log",
		"../../testdata/recordings/nginx-upstream/error.log",
	}
	named := regexp.MustCompile(`\(an app that logs so: add --format ([a-z-]+)\)$`)
	const none = " (no app format fivexx reads fits its lines)"
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			lines := head(t, file, 400)
			c, bad := sources.ContradictsRole(sources.Spec{Role: sources.RoleApp}, lines, sources.DetectSample(lines, sources.RoleUnknown))
			if !bad {
				t.Fatalf("not contradicted as --app")
			}
			fix := c.Fix()
			read := appEntriesRead(t, lines)
			if m := named.FindStringSubmatch(fix); m != nil {
				if n, all := read[m[1]], nonBlank(lines); 2*n < all {
					t.Errorf("fix %q: %s reads %d of its %d lines", fix, m[1], n, all)
				}
				return
			}
			if !strings.HasSuffix(fix, none) {
				t.Fatalf("fix %q names no app format and does not say none fits", fix)
			}
			for f, n := range read {
				if all := nonBlank(lines); 2*n >= all {
					t.Errorf("fix %q: but %s reads %d of its %d lines", fix, f, n, all)
				}
			}
		})
	}
}

// appEntriesRead counts, for each app format, the lines it reads as app
// entries.
func appEntriesRead(t *testing.T, lines []string) map[string]int {
	t.Helper()
	read := map[string]int{}
	for _, f := range sources.Formats() {
		if f.Role != sources.RoleApp {
			continue
		}
		p, err := f.New(sources.ParserOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if pr, ok := p.(sources.Primer); ok {
			pr.Prime(lines)
		}
		for _, l := range lines {
			if rec, err := p.Parse(l); err == nil {
				if _, ok := rec.(*sources.AppEntry); ok {
					read[f.Name]++
				}
			}
		}
	}
	return read
}

func nonBlank(lines []string) int {
	n := 0
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	return n
}
