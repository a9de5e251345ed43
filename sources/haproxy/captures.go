package haproxy

import "strings"

// fixedFields is how many space-separated fields of an httplog line come
// before its capture blocks: client, date, frontend, backend/server,
// timers, status, bytes, the two cookies, termination state, connection
// counts, queue counts (doc/configuration.txt §8.2.3).
const fixedFields = 12

// requestCaptures returns the values of the request capture block of an
// httplog line ("{hap-2-e503|curl/8.4.0}"), or of every capture of a clf
// line, unescaped, in the order the configuration captures them; nil
// when the line has none. It reads what the parser has read already, for
// sources.Format.Captured: the engine takes a value as the request id
// when an app line carries it as its own (classify/capturedid.go).
func requestCaptures(line string) []string {
	s, _ := unwrap(line)
	if vals := httplogCaptures(s); vals != nil {
		return vals
	}
	_, vals, err := (&Parser{}).parseCLFCaptures(line, s)
	if err != nil || len(vals) == 0 {
		return nil
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = unescape(v)
	}
	return out
}

// httplogCaptures returns the values of an httplog payload's request
// capture block, unescaped; nil when it has none.
func httplogCaptures(s string) []string {
	for range fixedFields {
		var ok bool
		if _, s, ok = cutField(s); !ok {
			return nil
		}
	}
	if !strings.HasPrefix(s, "{") {
		return nil
	}
	end := endOfCapture(s)
	if end < 0 {
		return nil
	}
	vals := strings.Split(s[1:end], "|")
	for i, v := range vals {
		vals[i] = unescape(v)
	}
	return vals
}

// trailingFields returns the space-separated fields an httplog line has
// after its quoted request line, which the parser does not read: a custom
// log-format's "%{+Q}r %ID" (unique-id-format) or "option httpslog"'s TLS
// fields; nil when the request line ends the line or has no closing
// quote. For sources.Format.Trailing: the engine takes one as the request
// id when an app line carries it as its own, as it does a captured value
// (classify/capturedid.go).
func trailingFields(line string) []string {
	s, _ := unwrap(line)
	for range fixedFields {
		var ok bool
		if _, s, ok = cutField(s); !ok {
			return nil
		}
	}
	for n := 0; n < 2 && strings.HasPrefix(s, "{"); n++ {
		end := endOfCapture(s)
		if end < 0 {
			return nil
		}
		s = strings.TrimPrefix(s[end+1:], " ")
	}
	if !strings.HasPrefix(s, `"`) {
		return nil
	}
	j := strings.IndexByte(s[1:], '"')
	if j < 0 {
		return nil
	}
	rest := s[j+2:]
	if strings.TrimSpace(rest) == "" {
		return nil
	}
	return strings.Fields(rest)
}
