package classify

import "fmt"

// NoStatusLineText says how many answers nginx passed on as HTTP/0.9
// (Snapshot.NoStatusLine), "" when none: the report's text and the UI's
// line say it alike.
//
// nginx's proxy module, given an upstream answer whose first line is no
// valid status line (ngx_http_parse_status_line fails: "HTTP/1.1 OKAY
// fine", TLS bytes from proxy_pass http:// to a TLS port), logs "upstream
// sent no valid HTTP/1.0 header" at error, takes the answer as HTTP/0.9
// and sends the upstream's bytes on as they came, with no status line or
// header of its own; $status is then 009 (ngx_http_log_status: no status
// set, HTTP/0.9) and $upstream_status 200. A client speaking HTTP/1.x gets
// no response it can read (curl: status 000), and nothing counts as a 5xx.
func NoStatusLineText(n int64) string {
	switch {
	case n <= 0:
		return ""
	case n == 1:
		return "1 upstream answer had no valid status line (nginx status 009): nginx passed its bytes on as HTTP/0.9, so the client got no HTTP response, and no 5xx was logged"
	}
	return fmt.Sprintf("%d upstream answers had no valid status line (nginx status 009): nginx passed their bytes on as HTTP/0.9, so the clients got no HTTP response, and no 5xx was logged", n)
}
