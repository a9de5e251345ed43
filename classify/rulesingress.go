package classify

import (
	"strings"

	"fivexx/sources"
)

// ingress-nginx answers 503 with every upstream field "-" for two reasons
// (formats.md §1.4, §1.6): its Lua balancer, for a Service without ready
// endpoints, and its limiters, whose limit-req-status-code and
// limit-conn-status-code are 503 by default. sources/nginx reads such a
// line as the Service's lack of endpoints (derive); the controller's
// "limiting requests" error line, when read, says it was the limiter
// (errorLineOverrules). Without that line, a Service that answered other
// requests through an endpoint around the 503 had endpoints: 40 requests
// of [default-web-80] answered by 10.244.2.36:8080 in the same seconds
// as 20 such 503s, each called "service default-web-80 has no active
// endpoints" (QA s31 F2). The rules are:
//   - The Services of such 503s are watched (serviceAnswers.note): from
//     the first one on, an access line that reached an upstream and
//     names the Service as a whole token ([default-web-80] in the default
//     format, "default-web-80" in a JSON one) counts as the Service's
//     answer in its second.
//   - A 503 of a watched Service with an answer in its own second, the
//     one before or the one after, is no Service without endpoints: it is
//     judged as a 503 no upstream was contacted for, the limiter's
//     (rules.go), and the evidence says what the Service answered.
//   - The controller's "Service … does not have any active Endpoint"
//     still backs the reading of no endpoints (high), as does no answer
//     around the 503.
//   - Lines before the first such 503 of a Service are not looked at: a
//     line costs nothing while no Service is watched. The verdict waits
//     seconds after the 503, so the answers after it are counted.

// serviceAnswers is what the access lines say of the watched Services.
type serviceAnswers struct {
	watched map[string]*serviceSeen // by $proxy_upstream_name
	lastSec int64                   // the newest second noted, for expiry
}

// serviceSeen is one watched Service: the seconds it answered in, the
// last serviceSeconds of them, with their counts.
type serviceSeen struct {
	lastNoEndpoint int64 // the second of its newest 503 read as no endpoints
	secs           [serviceSeconds]int64
	counts         [serviceSeconds]int32
	n              int    // seconds held (at most serviceSeconds)
	next           int    // the slot the next new second takes
	addr           string // the last endpoint that answered
}

const (
	// serviceSeconds is how many seconds of a Service's answers are
	// kept: a verdict waits at most about a minute after its 503.
	serviceSeconds = 128
	// maxWatched bounds the Services watched at once; one whose last
	// such 503 is older than watchFor is let go first.
	maxWatched = 256
	watchFor   = 180 // seconds
)

// noEndpointsSuffix ends the detail sources/nginx gives an ingress-nginx
// 503 whose every upstream field is "-" ("service NS-NAME-PORT has no
// active endpoints (every upstream field is -)").
const noEndpointsSuffix = " has no active endpoints (every upstream field is -)"

// ingressNoEndpoints reports whether e is ingress-nginx's 503 that
// sources/nginx read as its Service's lack of endpoints from its upstream
// fields alone.
func ingressNoEndpoints(e *sources.ProxyEntry) bool {
	return e.Status == 503 && e.Reason == sources.ReasonNoLiveUpstreams && e.UpstreamContacted == sources.No &&
		e.Flags == "" && strings.HasPrefix(e.Detail, "service ") && strings.HasSuffix(e.Detail, noEndpointsSuffix)
}

// observe notes p: cheap while no Service is watched and p is no 503.
func (s *serviceAnswers) observe(p *sources.ProxyEntry) {
	if len(s.watched) > 0 || p.Status == 503 {
		s.note(p)
	}
}

// note watches the Service of a 503 read as no endpoints, and counts an
// answer of a watched Service.
func (s *serviceAnswers) note(p *sources.ProxyEntry) {
	sec := p.Time.Unix()
	if sec > s.lastSec {
		s.lastSec = sec
	}
	if ingressNoEndpoints(p) {
		w := s.watched[p.Upstream]
		if w == nil {
			if !s.room() {
				return
			}
			if s.watched == nil {
				s.watched = map[string]*serviceSeen{}
			}
			w = &serviceSeen{}
			s.watched[strings.Clone(p.Upstream)] = w
		}
		if sec > w.lastNoEndpoint {
			w.lastNoEndpoint = sec
		}
		return
	}
	if p.UpstreamContacted != sources.Yes || len(s.watched) == 0 {
		return
	}
	for name, w := range s.watched {
		if namesToken(p.Raw, name) {
			w.add(sec, p.Upstream)
		}
	}
}

// room makes room for one more watched Service: it lets go of those
// whose last 503 is older than watchFor, and reports whether one fits.
func (s *serviceAnswers) room() bool {
	if len(s.watched) < maxWatched {
		return true
	}
	for name, w := range s.watched {
		if s.lastSec-w.lastNoEndpoint > watchFor {
			delete(s.watched, name)
		}
	}
	return len(s.watched) < maxWatched
}

// add counts an answer in second sec by addr.
func (w *serviceSeen) add(sec int64, addr string) {
	if addr != w.addr && addr != "" {
		w.addr = strings.Clone(addr)
	}
	if w.n > 0 {
		last := (w.next + serviceSeconds - 1) % serviceSeconds
		if w.secs[last] == sec {
			w.counts[last]++
			return
		}
	}
	w.secs[w.next], w.counts[w.next] = sec, 1
	w.next = (w.next + 1) % serviceSeconds
	if w.n < serviceSeconds {
		w.n++
	}
}

// around returns how many answers e's Service gave in e's second, the one
// before and the one after, and the endpoint that answered last; 0 when e
// is no 503 read as no endpoints.
func (s *serviceAnswers) around(e *sources.ProxyEntry) (n int, addr string) {
	if !ingressNoEndpoints(e) {
		return 0, ""
	}
	w := s.watched[e.Upstream]
	if w == nil {
		return 0, ""
	}
	sec := e.Time.Unix()
	for i := 0; i < w.n; i++ {
		if d := w.secs[i] - sec; d >= -1 && d <= 1 {
			n += int(w.counts[i])
		}
	}
	return n, w.addr
}

// namesToken reports whether raw holds name as a whole token: between
// brackets or quotes, as ingress-nginx's [$proxy_upstream_name] and a
// JSON value write it.
func namesToken(raw, name string) bool {
	for from := 0; ; {
		i := strings.Index(raw[from:], name)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(name)
		if i > 0 && end < len(raw) {
			before, after := raw[i-1], raw[end]
			if (before == '[' && after == ']') || (before == '"' && after == '"') {
				return true
			}
		}
		from = i + 1
	}
}

// serviceAnsweredText says that e's Service answered n requests around
// it, through addr: it had endpoints.
func serviceAnsweredText(e *sources.ProxyEntry, n int, addr string) string {
	req := "requests"
	if n == 1 {
		req = "request"
	}
	via := ""
	if addr != "" {
		via = " through " + addr
	}
	return "service " + e.Upstream + " answered " + itoa(n) + " " + req + via + " within a second of it: it had endpoints, so this 503, which reached none, is most likely its limiter's (ingress-nginx's limit-req-status-code and limit-conn-status-code are 503 by default)"
}

// ingressLimiterHint is the hint of such a 503 judged the limiter's.
const ingressLimiterHint = "ingress-nginx's limiters answer 503 by default: see the Ingress's nginx.ingress.kubernetes.io/limit-rps, limit-rpm and limit-connections annotations and who sends the traffic; the controller's log says which (limiting requests, limiting connections)"

// serviceAnswered reports whether ev's entry is ingress-nginx's 503 read
// as its Service's lack of endpoints, while the Service answered other
// requests around it and no controller line says it had no endpoints.
func serviceAnswered(ev evidence) bool {
	return ev.serviceAnswers > 0 && ingressNoEndpoints(ev.e) && !stateSays(ev.state, ev.e.Reason)
}
