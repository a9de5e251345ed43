package applog

import "strings"

// shape records which kinds of keys one line has, for detection.
type shape struct {
	keys                 int
	time, msg, level     bool
	known                bool // any key the table knows
	status, request      bool
	upstream, client     bool
	caddy                bool
	log, stream, timeKey bool // Docker json-file wrapper keys
}

// note takes one key of the line.
func (d *shape) note(path []byte, v value) {
	d.keys++
	if spec, ok := lookup(path, ""); ok {
		d.known = true
		switch spec.field {
		case fTime:
			d.time = true
		case fMessage:
			d.msg = true
		case fLevel:
			d.level = true
		case fStatus:
			d.status = true
		}
	}
	p := string(path)
	switch p {
	case "response_code", "downstreamstatus", "originstatus", "elb_status_code":
		d.status = true
	case "request", "uri", "request_uri", "requestpath", "request_method", "requestmethod":
		d.request = true
	case "remote_addr", "remote_ip", "client_ip", "clientaddr", "clienthost", "downstream_remote_address":
		d.client = true
	case "originduration", "serviceurl", "servicename":
		d.upstream = true
	case "logger":
		s := v.str()
		d.caddy = strings.HasPrefix(s, "http.log") || strings.HasPrefix(s, "http.handlers")
	case "log":
		d.log = true
	case "stream":
		d.stream = true
	case "time":
		d.timeKey = true
	}
	if strings.HasPrefix(p, "upstream") {
		d.upstream = true
	}
}

// proxy reports whether the keys are those of a proxy's access log (nginx
// escape=json, Traefik, Envoy) or a Caddy log, not an app's.
func (d *shape) proxy() bool {
	return d.caddy || d.status && d.request && (d.upstream || d.client)
}

// docker reports whether the line is a Docker json-file wrapper; the app's
// line is inside "log".
func (d *shape) docker() bool {
	return d.log && d.stream && d.timeKey && d.keys == 3
}
