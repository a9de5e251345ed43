package sources

import (
	"encoding/json"
	"strings"
)

// A proxy's own stream opens with the lines the proxy writes at startup,
// before its first request (detect.go). App formats read them well: on
// those lines alone a proxy was an app log, and a live input that went
// quiet after them was decided as one. Some of those lines only the proxy
// writes, and they say whose the stream is before any request comes. The
// rules are:
//   - Each proxy below writes its own lines in a layout: Caddy zap's JSON
//     or console lines, istio-agent's tab-separated lines and Envoy's
//     bracketed ones, Traefik's logrus or zerolog lines, ingress-nginx's
//     banner and klog lines. A line in that layout may be the proxy's
//     (other programs write the same layout); one that also says what only
//     that proxy says (its startup messages, its loggers, its scopes) marks
//     it as the proxy's.
//   - The lines before the first request line, when they are all one
//     proxy's and one of them at least marks it, are that proxy's startup
//     lines (detector.startup). Detection then waits for the proxy's
//     requests rather than decide an app format on them: a live quiet
//     period does not decide them, and one request line of that proxy
//     after them is enough. When no request line comes before the input
//     ends, or before the held lines are full, the proxy's format is
//     decided from them (of Envoy's and Traefik's two, the JSON one when
//     the first marked line is JSON).
//   - A mark must be something no app writes: lines that are all in one
//     proxy's layout, one of them marked, are held for the proxy's
//     requests, however long it stays quiet. So the marks are whole
//     messages and logger or scope names of the proxy's own, and the
//     layouts are narrow (lower-case levels; Caddy logs no caller).
//   - Lines are classified only while the format is detected, and only up
//     to the first request line: nothing is added to the per-line path of
//     a decided input.

// proxyFamily is a proxy whose startup lines detection knows.
type proxyFamily uint8

const (
	famNone proxyFamily = iota
	famCaddy
	famEnvoy
	famTraefik
	famIngress
	proxyFamilies
)

// familyFormats are the formats each proxy's requests come in; the first
// is decided from startup lines written as text, the second (if any) from
// JSON ones.
var familyFormats = [proxyFamilies][]string{
	famCaddy:   {"caddy"},
	famEnvoy:   {"envoy", "envoy-json"},
	famTraefik: {"traefik", "traefik-json"},
	famIngress: {"ingress-nginx"},
}

// familyOf returns the proxy whose requests format name reads.
func familyOf(name string) proxyFamily {
	for fam, names := range familyFormats {
		for _, n := range names {
			if n == name {
				return proxyFamily(fam)
			}
		}
	}
	return famNone
}

// ownLine says whose own line a line that is not a request is: the proxy
// whose layout it has (famNone for none), whether it says what only that
// proxy says (mark), and whether it is JSON.
func ownLine(line string) (fam proxyFamily, mark, isJSON bool) {
	line = strings.TrimSpace(line)
	if strings.HasPrefix(line, "{") {
		fam, mark = ownJSON(line)
		return fam, mark, true
	}
	switch {
	case isKlog(line):
		_, msg, _ := strings.Cut(line, "] ")
		return famIngress, mentionsAny(msg, ingressSays), false
	case isBannerLine(line):
		return famIngress, line == "NGINX Ingress controller" ||
			strings.Contains(line, "github.com/kubernetes/ingress-nginx"), false
	}
	if fam, mark := ownTabbed(line); fam != famNone {
		return fam, mark, false
	}
	if msg, ok := logrusText(line); ok {
		return famTraefik, saysAny(msg, traefikSays), false
	}
	if isEnvoyOwn(line) {
		return famEnvoy, strings.Contains(line, "] [source/") || strings.Contains(line, "] [external/envoy/"), false
	}
	if msg, ok := zerologConsole(line); ok {
		return famTraefik, saysAny(msg, traefikSays) || strings.Contains(line, "github.com/traefik/traefik"), false
	}
	return famNone, false, false
}

// ownJSON reads a JSON line: zap's production encoder as Caddy sets it
// ("ts" a number), or logrus's and zerolog's as Traefik's ("time" text).
func ownJSON(line string) (proxyFamily, bool) {
	var j struct {
		Level   string          `json:"level"`
		TS      json.RawMessage `json:"ts"`
		Time    json.RawMessage `json:"time"`
		Logger  string          `json:"logger"`
		Caller  *string         `json:"caller"`
		Msg     *string         `json:"msg"`
		Message *string         `json:"message"`
	}
	// Lower-case levels only: Go's slog writes "INFO".
	if json.Unmarshal([]byte(line), &j) != nil || !lowerLevels[j.Level] {
		return famNone, false
	}
	switch {
	case len(j.TS) > 0 && j.TS[0] >= '0' && j.TS[0] <= '9' && j.Msg != nil && j.Caller == nil:
		// Caddy logs no caller; zap's production config does.
		return famCaddy, caddyLogger(j.Logger) || saysAny(*j.Msg, caddySays)
	case len(j.Time) > 0 && j.Time[0] == '"' && (j.Msg != nil || j.Message != nil):
		msg := j.Message
		if msg == nil {
			msg = j.Msg
		}
		return famTraefik, saysAny(*msg, traefikSays)
	}
	return famNone, false
}

// ownTabbed reads the tab-separated lines of istio-agent
// ("2024-01-02T03:04:01.123456Z\tinfo\tads\tADS: ...") and of Caddy's
// console encoder ("2024/01/02 03:04:05.123\tINFO\tadmin\tadmin endpoint
// started\t{...}").
func ownTabbed(line string) (proxyFamily, bool) {
	parts := strings.SplitN(line, "\t", 5)
	if len(parts) < 3 {
		return famNone, false
	}
	stamp, level := parts[0], parts[1]
	switch {
	case len(stamp) == len("2024-01-02T03:04:01.123456Z") && stamp[4] == '-' && stamp[10] == 'T' && stamp[19] == '.' &&
		strings.HasSuffix(stamp, "Z") && lowerLevels[level]:
		scope, msg := "", parts[2]
		if len(parts) > 3 {
			scope = parts[2]
		}
		if s, _, _ := strings.Cut(scope, " "); istioScopes[s] {
			return famEnvoy, true
		}
		return famEnvoy, saysAny(msg, istioSays)
	case len(stamp) == 23 && stamp[4] == '/' && stamp[10] == ' ' && stamp[19] == '.' && caddyLevels[level]:
		logger, msg := "", parts[2]
		if len(parts) > 3 && !strings.HasPrefix(parts[3], "{") {
			logger, msg = parts[2], parts[3]
		}
		return famCaddy, caddyLogger(logger) || saysAny(msg, caddySays)
	}
	return famNone, false
}

// isKlog reports whether line has klog's header:
// "I0308 16:01:10.000000       7 main.go:205] ".
func isKlog(line string) bool {
	if len(line) < 24 || !strings.ContainsRune("IWEF", rune(line[0])) || !allDigits(line[1:5]) ||
		line[5] != ' ' || line[8] != ':' || line[14] != '.' {
		return false
	}
	head, _, ok := strings.Cut(line, "] ")
	if !ok {
		return false
	}
	f := strings.Fields(head[21:])
	return len(f) == 2 && allDigits(f[0]) && strings.Contains(f[1], ".go:")
}

// isBannerLine reports whether line is one of the lines of the banner the
// ingress-nginx controller prints first.
func isBannerLine(line string) bool {
	if len(line) >= 20 && strings.Trim(line, "-") == "" {
		return true
	}
	if line == "NGINX Ingress controller" {
		return true
	}
	key, _, ok := strings.Cut(line, ":")
	return ok && (key == "Release" || key == "Build" || key == "Repository" || key == "nginx version")
}

// isEnvoyOwn reports whether line has the layout of Envoy's own log:
// "[2024-01-02 03:04:05.123][1][info][main] [source/server/server.cc:404] ...".
func isEnvoyOwn(line string) bool {
	return len(line) > 26 && line[0] == '[' && line[5] == '-' && line[11] == ' ' && line[24] == ']' && line[25] == '['
}

// logrusText reads a logrus text line (Traefik v2's default):
// `time="2024-01-02T03:03:51Z" level=info msg="Configuration loaded from flags."`.
func logrusText(line string) (string, bool) {
	rest, ok := strings.CutPrefix(line, `time="`)
	if !ok {
		return "", false
	}
	_, rest, ok = strings.Cut(rest, `" level=`)
	if !ok {
		return "", false
	}
	level, rest, ok := strings.Cut(rest, ` msg="`)
	if !ok || !lowerLevels[level] {
		return "", false
	}
	return rest, true
}

// zerologConsole reads a zerolog console line (Traefik v3's default):
// "2024-04-29T10:49:20Z INF Traefik version 3.0.0 built on ...", maybe with
// the caller before " > ".
func zerologConsole(line string) (string, bool) {
	stamp, rest, ok := strings.Cut(line, " ")
	if !ok || len(stamp) < 20 || stamp[4] != '-' || stamp[10] != 'T' {
		return "", false
	}
	level, msg, ok := strings.Cut(rest, " ")
	if !ok || !zerologLevels[level] {
		return "", false
	}
	if _, after, ok := strings.Cut(msg, " > "); ok {
		msg = after
	}
	return msg, true
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// mentionsAny reports whether msg has one of words in it.
func mentionsAny(msg string, words []string) bool {
	for _, w := range words {
		if strings.Contains(msg, w) {
			return true
		}
	}
	return false
}

// saysAny reports whether msg starts with one of says.
func saysAny(msg string, says []string) bool {
	for _, s := range says {
		if strings.HasPrefix(msg, s) {
			return true
		}
	}
	return false
}

// caddyLogger reports whether a logger name is one only Caddy uses.
func caddyLogger(name string) bool {
	for _, p := range [...]string{"admin.api", "tls.cache.maintenance", "tls.obtain", "tls.issuance", "pki.ca", "http.auto_https", "http.handlers.reverse_proxy"} {
		if name == p || strings.HasPrefix(name, p+".") {
			return true
		}
	}
	return false
}

var (
	caddyLevels = map[string]bool{"DEBUG": true, "INFO": true, "WARN": true, "ERROR": true}
	lowerLevels = map[string]bool{
		"trace": true, "debug": true, "info": true, "warn": true, "warning": true,
		"error": true, "fatal": true, "panic": true,
	}
	// caddySays are the messages of Caddy's own start and stop: a mark
	// must be one no other program writes, as lines that are all one
	// proxy's, one of them marked, are held for its requests.
	caddySays = []string{
		"using provided configuration", "using adjacent Caddyfile", "serving initial configuration",
		"autosaved config (load with --resume flag)", "Caddyfile input is not formatted",
		"redirected default logger", "admin endpoint started", "admin endpoint disabled",
		"started background certificate maintenance", "stopped background certificate maintenance",
		"cleaning storage unit", "finished cleaning storage units",
		"automatic HTTPS is completely disabled for server", "server is listening only on the HTTP port",
		"enabling automatic HTTP->HTTPS redirects", "shutting down apps, then terminating",
		"exiting; byeee!!", "shutdown complete",
	}
	// istioScopes are istio-agent's log scopes (and Envoy's lines it
	// passes on, "envoy config").
	istioScopes = map[string]bool{"ads": true, "xdsproxy": true, "sds": true, "citadelclient": true, "envoy": true}
	// istioSays are messages of pilot-agent's start without a scope.
	istioSays = []string{
		"FLAG: --", "Proxy role", "Pilot SAN", "Envoy command:", "Envoy proxy is ready",
		"Starting proxy agent", "Apply proxy config from env", "Effective config:",
		"Opening status port", "Workload is using file mounted certificates", "CA Endpoint",
		"Using CA", "Readiness succeeded", "Agent draining", "Istio Agent",
	}
	zerologLevels = map[string]bool{"TRC": true, "DBG": true, "INF": true, "WRN": true, "ERR": true, "FTL": true, "PNC": true}
	// traefikSays are messages of Traefik's start (v2 and v3).
	traefikSays = []string{
		"Traefik version ", "Configuration loaded from flags.", "Configuration loaded from file: ",
		"Configuration loaded from environment variables.", "Starting provider aggregator",
		"Starting provider *", "Stats collection is disabled.", "Stats collection is enabled.",
		"Help us improve Traefik", "Provider connection established with docker",
		"No default certificate, fallback to the internal generated certificate",
		"Skipping same configuration for provider",
	}
	// ingressSays are the ingress-nginx controller's words in its klog lines.
	ingressSays = []string{"NGINX", "ingress-nginx", "Ingress controller", "Backend successfully reloaded", "backend reload required"}
)
