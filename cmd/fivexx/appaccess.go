package main

import (
	"net/netip"
	"strings"
	"time"

	"fivexx/sources"
)

// appaccess.go tells an app's own access log from a proxy's when both are
// plain Combined Log Format: gunicorn and morgan 'combined' write what
// nginx's default log_format writes, and detection alone took such a file
// for a second proxy access log. The rules are:
//   - Only positional file inputs with no role or format given are looked
//     at; --app FILE says it outright and is read as app-access.
//   - The file's head must be read as nginx-combined with no upstream
//     field in any line (an app logs none), and an earlier positional
//     input must be a proxy's access log (the app's log comes after it).
//   - Then it is the app's when the two tell of the same requests: at
//     least half of its head's lines, and two or more, have a method, path
//     and status that the proxy's head has within 2 s; or when every
//     client in it is a loopback address while the proxy's head has
//     another (the proxy on the same host is the app's only client).
//   - Otherwise it stays a proxy's access log, as before: two proxies'
//     logs of different requests are two proxies.

// appAccessWindow is how far apart the proxy's and the app's lines of one
// request may be stamped (whole seconds both, and the app's clock).
const appAccessWindow = 2 * time.Second

// clfHead is a positional input's head read as a proxy's access lines.
type clfHead struct {
	spec    int
	format  string
	entries []*sources.ProxyEntry
}

// appAccessByRequests gives the app role to the positional inputs that
// are an app's access log by the rules above.
func appAccessByRequests(specs []sources.Spec) {
	var heads []clfHead
	for i := range specs {
		s := specs[i]
		if s.Role != sources.RoleUnknown || s.Format != "" || !peekable(s) {
			continue
		}
		lines, _ := peekHead(s.Path)
		if h, ok := proxyHead(s, lines); ok {
			h.spec = i
			heads = append(heads, h)
		}
	}
	for j := 1; j < len(heads); j++ {
		app := heads[j]
		if app.format != "nginx-combined" || !noUpstreamFields(app.entries) {
			continue
		}
		for i := 0; i < j; i++ {
			if sameRequests(heads[i].entries, app.entries) || proxyOnlyClient(heads[i].entries, app.entries) {
				specs[app.spec].Role = sources.RoleApp
				break
			}
		}
	}
}

// proxyHead reads lines as the proxy access log detection takes them
// for; false when it takes them for no proxy's access log.
func proxyHead(s sources.Spec, lines []string) (clfHead, bool) {
	det, err := sources.Detect(lines, sources.RoleUnknown)
	if err != nil || det.Format.Role != sources.RoleProxy || det.Wrapper != "" {
		return clfHead{}, false
	}
	p, err := det.Format.New(s.Opts)
	if err != nil {
		return clfHead{}, false
	}
	h := clfHead{format: det.Format.Name}
	for _, l := range lines {
		if rec, err := p.Parse(l); err == nil {
			if e, ok := rec.(*sources.ProxyEntry); ok {
				h.entries = append(h.entries, e)
			}
		}
	}
	return h, len(h.entries) > 0
}

// noUpstreamFields says that no line logs an upstream field.
func noUpstreamFields(entries []*sources.ProxyEntry) bool {
	for _, e := range entries {
		if e.Fields != 0 || e.Upstream != "" || len(e.UpstreamAddr) > 0 {
			return false
		}
	}
	return true
}

// sameRequests says whether half or more of app's lines, two at least,
// have a line in proxy with the same method, path and status within
// appAccessWindow.
func sameRequests(proxy, app []*sources.ProxyEntry) bool {
	at := map[string][]time.Time{}
	for _, e := range proxy {
		k := e.Method + " " + e.Path + " " + itoa3(e.Status)
		at[k] = append(at[k], e.Time)
	}
	matched := 0
	for _, e := range app {
		for _, t := range at[e.Method+" "+e.Path+" "+itoa3(e.Status)] {
			if d := t.Sub(e.Time); d <= appAccessWindow && d >= -appAccessWindow {
				matched++
				break
			}
		}
	}
	return matched >= 2 && 2*matched >= len(app)
}

// proxyOnlyClient says whether every client of app is a loopback address
// while some client of proxy is not.
func proxyOnlyClient(proxy, app []*sources.ProxyEntry) bool {
	for _, e := range app {
		if !loopback(e.Client) {
			return false
		}
	}
	for _, e := range proxy {
		if !loopback(e.Client) {
			return true
		}
	}
	return false
}

// loopback says whether a logged client address is a loopback one
// (127.0.0.1, ::1, Node's ::ffff:127.0.0.1).
func loopback(client string) bool {
	a, err := netip.ParseAddr(strings.Trim(client, "[]"))
	return err == nil && a.Unmap().IsLoopback()
}

// itoa3 writes a status for a map key.
func itoa3(n int) string {
	return string([]byte{byte('0' + n/100%10), byte('0' + n/10%10), byte('0' + n%10)})
}
