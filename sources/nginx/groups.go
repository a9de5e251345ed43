package nginx

import (
	"strings"

	"fivexx/sources"
)

// The request's own upstream attempts among nginx's " : " groups.
//
// The rules are:
//   - nginx separates the attempts of one upstream group with ", " (retries)
//     and starts a new group with " : " after an internal redirect: an
//     error_page to a location that proxies (ingress-nginx's
//     custom-http-errors, proxy_intercept_errors), an X-Accel-Redirect
//     (formats.md §1.3). Every $upstream_* list has the same groups.
//   - The request's own group is the first whose last status is not a
//     number below 500: the one whose failure or 5xx nginx redirected to
//     the error page (a 200 before it is an X-Accel-Redirect answer, a 404
//     one an error_page to a fallback). With none, the last group.
//   - The error page's group is no evidence of the request's cause: real
//     nginx 1.22.1 logged a refused request behind `error_page 502 =
//     @errors` as ua="A, B : E" us="502, 502 : 502" uht="-, - : 0.000"
//     (testdata/formats/nginx-errorpage): E answered, A and B refused.
//   - Only $upstream_status tells the groups apart; a format without it
//     keeps every element, as before. So does a request answered below 500
//     (an error_page fallback that served a 200): it gets no verdict, and
//     its last group, the one that answered, keeps labelling it.

// groupSep is nginx's separator between the groups of an internal redirect.
const groupSep = " : "

// ownGroup returns the index of the request's own group in an upstream
// status list of a request answered client, the element range [from, to)
// it covers in the flattened lists, and whether the lists are cut to it:
// the list has more than one group and client is a 5xx.
func ownGroup(status string, client int) (g, from, to int, grouped bool) {
	if client < 500 || !strings.Contains(status, groupSep) {
		return 0, 0, 0, false
	}
	start, idx, group, groupFrom := 0, 0, 0, 0
	for {
		sep, next := nextSeparator(status, start)
		if sep >= 0 && status[sep] == ',' {
			start, idx = next, idx+1
			continue
		}
		// status[start:sep] is the last element of group group.
		last := status[start:]
		if sep >= 0 {
			last = status[start:sep]
		}
		if !answeredBelow500(last) || sep < 0 {
			return group, groupFrom, idx + 1, true
		}
		start, idx, group, groupFrom = next, idx+1, group+1, idx+1
	}
}

// answeredBelow500 reports whether an upstream status element is a status
// below 500 (a 200 that carried an X-Accel-Redirect, a 404 that went to an
// error page), not a 5xx or "-".
func answeredBelow500(s string) bool {
	n := atoiSmall(s)
	return n >= 100 && n < 500
}

// groupText returns group g of an upstream list value ("0, 0 : 15", 0:
// "0, 0"); v itself when it has no " : ".
func groupText(v string, g int) string {
	for ; g > 0; g-- {
		i := strings.Index(v, groupSep)
		if i < 0 {
			return v
		}
		v = v[i+len(groupSep):]
	}
	if i := strings.Index(v, groupSep); i >= 0 {
		return v[:i]
	}
	return v
}

// ownGroupText returns the request's own group of an upstream list value
// (an $upstream_response_length), by the groups of the status list.
func ownGroupText(v, status string, client int) string {
	if strings.IndexByte(v, ':') < 0 {
		return v
	}
	g, _, _, grouped := ownGroup(status, client)
	if !grouped {
		return v
	}
	return groupText(v, g)
}

// keepOwnGroup cuts the entry's upstream lists to the request's own group
// when the status list has several, and keeps the address list as logged
// in UpstreamAddrRaw for the evidence. It returns the group's index (0
// without groups).
func keepOwnGroup(e *sources.ProxyEntry) int {
	g, from, to, grouped := ownGroup(e.UpstreamStatusRaw, e.Status)
	if !grouped {
		e.UpstreamAddrRaw = ""
		return 0
	}
	n := len(e.UpstreamStatus)
	for _, l := range [...]*[]string{&e.UpstreamAddr, &e.UpstreamStatus, &e.UpstreamConnect, &e.UpstreamHeader, &e.UpstreamResponse} {
		if len(*l) == n && to <= n {
			*l = (*l)[from:to:to]
		}
	}
	return g
}

// rawAddrList returns v, an $upstream_addr value, when it holds groups
// (keepOwnGroup then keeps it), else "".
func rawAddrList(v string, elems int) string {
	if elems > 1 && strings.Contains(v, groupSep) {
		return v
	}
	return ""
}
