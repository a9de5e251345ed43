// Package parsers registers every log format fivexx knows. Import it for
// its side effect; adding a format is one file in its package plus, for a
// new package, one line here.
package parsers

import (
	_ "fivexx/sources/applog"  // app logs: JSON, logfmt, plain text
	_ "fivexx/sources/caddy"   // Caddy JSON access and error entries
	_ "fivexx/sources/haproxy" // HAProxy option httplog and state lines
	_ "fivexx/sources/nginx"   // nginx access (combined, log_format, JSON), ingress-nginx, error log

	_ "fivexx/sources/alb"        // AWS ALB access logs, plain or gzip
	_ "fivexx/sources/cloudflare" // Cloudflare Logpush http_requests
	_ "fivexx/sources/envoy"      // Envoy / Istio access logs: text and JSON
	_ "fivexx/sources/traefik"    // Traefik access logs: common and JSON
)
