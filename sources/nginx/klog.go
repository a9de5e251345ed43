package nginx

// klog.go reads the ingress-nginx controller's own lines in its stream,
// which klog writes (formats.md §1.4):
//
//	W1122 08:12:03.123456       7 controller.go:1112] Service "default/web" does not have any active Endpoint.
//
// The rules:
//   - Only the ingress-nginx format reads them (readsControllerLines): no
//     other nginx writes klog. Before the first request they are start-up
//     lines (sources/startup.go); after it they were counted as unparsed.
//   - Each is a sources.ProxyError without a request. "Service "NS/NAME"
//     does not have any active Endpoint" is the controller's word that the
//     Service has no ready endpoint: ReasonNoLiveUpstreams with Upstream
//     "NS/NAME", a state line the 503s of that Service in its minute are
//     judged with (classify: stateFor). The others carry no reason.
//   - klog's stamp has neither year nor zone: it is read in the offset and
//     the year of the access line before it, as nginx's error lines are
//     (stream.go), the year being the one that puts it nearest that line
//     (a line of 31 Dec after one of 1 Jan is the year before). Before any
//     access line (none held for detection either) no year is known: the
//     line stays unparsed.

import (
	"strings"
	"time"

	"fivexx/sources"
)

// klogLevels maps klog's severity letter to a level.
var klogLevels = [...]string{'I': "info", 'W': "warn", 'E': "error", 'F': "fatal"}

// klogHeader splits "Lmmdd hh:mm:ss.uuuuuu PID file:line] msg" into the
// stamp's parts and the message.
func klogHeader(line string) (level string, month, day, hh, mm, ss, us int, msg string, ok bool) {
	// "W1122 08:12:03.123456" is 21 bytes; then spaces, a thread id, a
	// space, file:line and "] ".
	if len(line) < 24 || int(line[0]) >= len(klogLevels) || klogLevels[line[0]] == "" ||
		line[5] != ' ' || line[8] != ':' || line[11] != ':' || line[14] != '.' {
		return "", 0, 0, 0, 0, 0, 0, "", false
	}
	num := func(s string) int {
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return -1
			}
			n = n*10 + int(s[i]-'0')
		}
		return n
	}
	month, day, hh, mm, ss, us = num(line[1:3]), num(line[3:5]), num(line[6:8]), num(line[9:11]), num(line[12:14]), num(line[15:21])
	if month < 1 || month > 12 || day < 1 || day > 31 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60 || us < 0 {
		return "", 0, 0, 0, 0, 0, 0, "", false
	}
	head, msg, found := strings.Cut(line[21:], "] ")
	if !found {
		return "", 0, 0, 0, 0, 0, 0, "", false
	}
	f := strings.Fields(head)
	if len(f) != 2 || num(f[0]) < 0 || !strings.Contains(f[1], ".go:") {
		return "", 0, 0, 0, 0, 0, 0, "", false
	}
	return klogLevels[line[0]], month, day, hh, mm, ss, us, msg, true
}

// klogLine reads a klog line of the controller, or says it is none.
func (l *errorLines) klogLine(line string, owned bool) (*sources.ProxyError, bool) {
	level, month, day, hh, mm, ss, us, msg, ok := klogHeader(line)
	if !ok || l.last.IsZero() {
		return nil, false
	}
	loc := l.location
	if loc == nil {
		_, off := l.last.Zone()
		loc = time.FixedZone("", off)
	}
	var t time.Time
	for y := l.last.Year() - 1; y <= l.last.Year()+1; y++ {
		c := time.Date(y, time.Month(month), day, hh, mm, ss, us*1000, loc)
		if c.Month() != time.Month(month) {
			continue // 29 Feb of another year
		}
		if t.IsZero() || absDuration(c.Sub(l.last)) < absDuration(t.Sub(l.last)) {
			t = c
		}
	}
	if t.IsZero() {
		return nil, false
	}
	if !owned {
		line = strings.Clone(line)
		msg = line[len(line)-len(msg):]
	}
	e := &sources.ProxyError{Time: t, Level: level, Message: msg, Raw: line}
	if svc, ok := noActiveEndpoint(msg); ok {
		e.Reason = sources.ReasonNoLiveUpstreams
		e.Upstream = svc
	}
	return e, true
}

// noActiveEndpoint reads `Service "NS/NAME" does not have any active
// Endpoint.` (ingress-nginx internal/ingress/controller/controller.go;
// "… Endpoint for TCP port 80" for the TCP and UDP services), returning
// NS/NAME.
func noActiveEndpoint(msg string) (string, bool) {
	rest, ok := strings.CutPrefix(msg, `Service "`)
	if !ok {
		return "", false
	}
	svc, rest, ok := strings.Cut(rest, `"`)
	if !ok || svc == "" || !strings.HasPrefix(rest, " does not have any active Endpoint") {
		return "", false
	}
	return svc, true
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
