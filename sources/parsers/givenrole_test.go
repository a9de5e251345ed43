package parsers

import (
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
