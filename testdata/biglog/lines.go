package biglog

import (
	"strconv"
	"time"
)

// This file writes lines byte for byte as nginx 1.22.1 and the app write
// them. Times are UTC; the error log's zone-less times are UTC too.

const (
	accessLayout = "02/Jan/2006:15:04:05 -0700" // $time_local
	errorLayout  = "2006/01/02 15:04:05"        // error log: local time, no zone
	appLayout    = "2006-01-02T15:04:05"        // then .µµµµµµZ
)

// stamp is one second formatted for each log.
type stamp struct {
	sec    int64
	access []byte
	errLog []byte
	app    []byte
}

// stamps caches the formatted seconds lines are being made for: formatting
// a time is the most expensive part of a line.
type stamps struct {
	ring [ringSeconds]stamp
}

func (s *stamps) get(sec int64) *stamp {
	st := &s.ring[sec%ringSeconds]
	if st.sec != sec || st.access == nil {
		t := time.Unix(sec, 0).UTC()
		st.sec = sec
		st.access = t.AppendFormat(st.access[:0], accessLayout)
		st.errLog = t.AppendFormat(st.errLog[:0], errorLayout)
		st.app = t.AppendFormat(st.app[:0], appLayout)
	}
	return st
}

// appendSeconds appends ns as nginx prints $request_time and the upstream
// times: seconds with milliseconds, truncated; a negative ns is "-".
func appendSeconds(b []byte, ns int64) []byte {
	if ns < 0 {
		return append(b, '-')
	}
	ms := ns / 1e6
	b = strconv.AppendInt(b, ms/1000, 10)
	f := ms % 1000
	return append(b, '.', byte('0'+f/100), byte('0'+f/10%10), byte('0'+f%10))
}

// appendHex appends the 32 hex digits of a $request_id.
func appendHex(b []byte, id [2]uint64) []byte {
	const digits = "0123456789abcdef"
	for _, v := range id {
		for shift := 60; shift >= 0; shift -= 4 {
			b = append(b, digits[v>>uint(shift)&0xf])
		}
	}
	return b
}

// appendMicros appends the fraction of an app time: .µµµµµµZ.
func appendMicros(b []byte, ns int64) []byte {
	us := ns % 1e9 / 1e3
	b = append(b, '.')
	for div := int64(100000); div > 0; div /= 10 {
		b = append(b, byte('0'+us/div%10))
	}
	return append(b, 'Z')
}

// appendJSONString appends s as a JSON string; our paths are ASCII.
func appendJSONString(b []byte, s []byte) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// accessLine writes the access line nginx logs when q ends, and returns the
// length of its combined part (everything before " rt=").
func (g *generator) accessLine(q *request, end int64, status, bytes int) (line []byte, cut int) {
	b := append(g.line[:0], q.client.ip...)
	b = append(b, " - - ["...)
	b = append(b, g.stamps.get(end/1e9).access...)
	b = append(b, `] "`...)
	b = append(b, q.ep.method...)
	b = append(b, ' ')
	b = append(b, q.uri...)
	b = append(b, ' ')
	b = append(b, q.proto...)
	b = append(b, `" `...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(bytes), 10)
	b = append(b, ` "`...)
	b = append(b, q.referer...)
	b = append(b, `" "`...)
	b = append(b, q.client.ua...)
	b = append(b, '"')
	cut = len(b)
	b = append(b, " rt="...)
	b = appendSeconds(b, end-q.start)
	tries := g.tries
	field := func(name string, each func(b []byte, a *attempt) []byte) {
		b = append(b, name...)
		b = append(b, `="`...)
		if len(tries) == 0 {
			b = append(b, '-')
		}
		for i := range tries {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = each(b, &tries[i])
		}
		b = append(b, '"')
	}
	field(" uct", func(b []byte, a *attempt) []byte { return appendSeconds(b, a.connect) })
	field(" uht", func(b []byte, a *attempt) []byte { return appendSeconds(b, a.header) })
	field(" urt", func(b []byte, a *attempt) []byte { return appendSeconds(b, a.resp) })
	field(" ua", func(b []byte, a *attempt) []byte { return append(b, servers[a.server].addr...) })
	field(" us", func(b []byte, a *attempt) []byte { return strconv.AppendInt(b, int64(a.status), 10) })
	b = append(b, " rid="...)
	b = appendHex(b, q.id)
	b = append(b, " cid="...)
	b = strconv.AppendInt(b, q.conn, 10)
	g.line = b
	return b, cut
}

// errorLine writes an nginx error-log line about q at t; server is the
// upstream peer, -1 when none was involved.
func (g *generator) errorLine(q *request, t int64, msg string, server int) error {
	b := append(g.line[:0], g.stamps.get(t/1e9).errLog...)
	b = append(b, " [error] "...)
	b = strconv.AppendInt(b, int64(q.pid), 10)
	b = append(b, '#')
	b = strconv.AppendInt(b, int64(q.pid), 10)
	b = append(b, ": *"...)
	b = strconv.AppendInt(b, q.conn, 10)
	b = append(b, ' ')
	if server < 0 && q.ep.pool == poolNone {
		// ngx_http_static_module: open() "/var/www/shop/static/x.js" failed (2: ...)
		b = append(b, `open() "`...)
		b = append(b, staticRoot...)
		b = append(b, q.file()...)
		b = append(b, `" failed (2: No such file or directory)`...)
	} else {
		b = append(b, msg...)
	}
	b = append(b, ", client: "...)
	b = append(b, q.client.ip...)
	b = append(b, ", server: "...)
	b = append(b, q.host...)
	b = append(b, `, request: "`...)
	b = append(b, q.ep.method...)
	b = append(b, ' ')
	b = append(b, q.uri...)
	b = append(b, ' ')
	b = append(b, q.proto...)
	b = append(b, '"')
	if server >= 0 {
		b = append(b, `, upstream: "http://`...)
		b = append(b, servers[server].addr...)
		b = append(b, q.uri...)
		b = append(b, '"')
	}
	b = append(b, `, host: "`...)
	b = append(b, q.host...)
	b = append(b, '"')
	if len(q.referer) > 1 || (len(q.referer) == 1 && q.referer[0] != '-') {
		b = append(b, `, referrer: "`...)
		b = append(b, q.referer...)
		b = append(b, '"')
	}
	g.line = b
	return g.errs.add(t, b, 0)
}

// appLine writes the app's one line about q, handled on server s: the
// request is finished with status after took.
func (g *generator) appLine(q *request, t int64, s, status int, took int64) error {
	level := "INFO"
	switch {
	case status == 503:
		level = "WARN"
	case status >= 500:
		level = "ERROR"
	}
	b := append(g.line[:0], `{"time":"`...)
	b = append(b, g.stamps.get(t/1e9).app...)
	b = appendMicros(b, t)
	b = append(b, `","level":"`...)
	b = append(b, level...)
	b = append(b, `","msg":"request finished","request_id":"`...)
	b = appendHex(b, q.id)
	b = append(b, `","method":"`...)
	b = append(b, q.ep.method...)
	b = append(b, `","path":`...)
	b = appendJSONString(b, q.uri)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, `,"duration_ms":`...)
	b = strconv.AppendFloat(b, float64(took/1e3)/1000, 'f', -1, 64)
	b = append(b, `,"instance":"`...)
	b = append(b, servers[s].addr...)
	b = append(b, `"}`...)
	g.line = b
	return g.app.add(t, b, 0)
}
