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
//     banner and klog lines, the official nginx image's entrypoint lines
//     and nginx's error-log lines about itself (no connection number),
//     HAProxy's stderr lines. A line in that layout may be the proxy's
//     (other programs write the same layout); one that also says what only
//     that proxy says (its startup messages, its loggers, its scopes) marks
//     it as the proxy's.
//   - nginx's error-log lines about itself ("[notice] 1#1: start worker
//     processes") are read by nginx-error as entries, so detection took
//     them for requests' lines: before the first request they are startup
//     lines instead (selfReport). They are ingress-nginx's own lines too:
//     its controller runs nginx, and the two share a stream
//     (sharedLayout). In a stream of nginx's that carries its access
//     lines, those decide, not its error lines (detector.result): docker
//     logs and kubectl logs give its stdout and stderr as one.
//   - The lines before the first request line, when they are all one
//     proxy's and one of them at least marks it, are that proxy's startup
//     lines (detector.startup). Detection then waits for the proxy's
//     requests rather than decide an app format on them: a live quiet
//     period does not decide them, and one request line of that proxy
//     after them is enough. When no request line comes before the input
//     ends, or before the held lines are full, the proxy's format is
//     decided from them: the first of its familyFormats, or the second
//     when the first marked line is in the proxy's other layout (JSON for
//     Envoy and Traefik; for nginx its error log, when no entrypoint line
//     came first: an error log, not a container's stream).
//   - A mark must be something no app writes: lines that are all in one
//     proxy's layout, one of them marked, are held for the proxy's
//     requests, however long it stays quiet. So the marks are whole
//     messages and logger or scope names of the proxy's own, and the
//     layouts are narrow (lower-case levels; Caddy logs no caller).
//   - A marked line after the first request line is the proxy's too, as
//     its startup lines are: Caddy's shutdown lines after its last error
//     entry, its startup lines again after a restart. Detection leaves it
//     out of the lines it weighs from the first request on (detect.go).
//   - Lines are classified only while the format is detected: nothing is
//     added to the per-line path of a decided input. Only a line its parser fails is looked at again: in
//     a format nginx writes, the image's entrypoint lines are startup lines
//     wherever they come (a restarted container), counted as such, not as
//     unparsed (Input.count).

// proxyFamily is a proxy whose startup lines detection knows.
type proxyFamily uint8

const (
	famNone proxyFamily = iota
	famCaddy
	famEnvoy
	famTraefik
	famIngress
	famNginx
	famHAProxy
	proxyFamilies
)

// familyFormats are the formats each proxy's requests come in. The first
// is decided from startup lines in the proxy's main layout, the second
// (if any) from lines in its other one (detector.startupFormat); the rest
// read its requests too (nginx writes whichever log_format it is given).
var familyFormats = [proxyFamilies][]string{
	famCaddy:   {"caddy"},
	famEnvoy:   {"envoy", "envoy-json"},
	famTraefik: {"traefik", "traefik-json"},
	famIngress: {"ingress-nginx"},
	// The official image logs in its "main" layout (combined +
	// X-Forwarded-For), which nginx-combined reads.
	famNginx:   {"nginx-combined", "nginx-error", "nginx-upstream", "nginx-json", "ingress-nginx"},
	famHAProxy: {"haproxy"},
}

// familyReads says whether format name reads proxy fam's requests.
func familyReads(fam proxyFamily, name string) bool {
	if fam == famNone {
		return false
	}
	for _, n := range familyFormats[fam] {
		if n == name {
			return true
		}
	}
	return false
}

// ownLine says whose own line a line that is not a request is: the proxy
// whose layout it has (famNone for none), whether it says what only that
// proxy says (mark), and whether it is in the proxy's other layout (alt:
// JSON, or nginx's error log).
func ownLine(line string) (fam proxyFamily, mark, alt bool) {
	if strings.HasPrefix(line, haproxyMore) {
		return famHAProxy, false, false
	}
	line = strings.TrimSpace(line)
	if strings.HasPrefix(line, "{") {
		fam, mark = ownJSON(line)
		return fam, mark, true
	}
	if msg, ok := nginxSelf(line); ok {
		return famNginx, saysAny(msg, nginxSays), true
	}
	if script, msg, ok := entrypointLine(line); ok {
		return famNginx, entrypointSays(script, msg), false
	}
	if msg, ok := haproxyStderr(line); ok {
		return famHAProxy, saysAny(msg, haproxySays), false
	}
	if haproxyProxyStarted(line) {
		return famHAProxy, false, false
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

// sharedLayout is the other proxy whose own lines a line of fam's in
// layout alt are too: nginx's error lines are ingress-nginx's (its
// controller runs nginx, nginx/ingress.go); famNone for the others.
func sharedLayout(fam proxyFamily, alt bool) proxyFamily {
	if fam == famNginx && alt {
		return famIngress
	}
	return famNone
}

// selfReport says whether a line that a proxy format scores as a
// request's entry is the proxy's line about itself: nginx's error-log
// lines without a connection number.
func selfReport(line string) bool {
	_, ok := nginxSelf(strings.TrimSpace(line))
	return ok
}

// nginxSelf reads an nginx error-log line about nginx itself rather than
// a connection ("2024/01/02 03:04:05 [notice] 1#1: start worker
// processes"; a request's line has "*CONN " after "PID#TID: ", formats.md
// §2.1) and returns its message.
func nginxSelf(line string) (string, bool) {
	const stamp = len("2006/01/02 15:04:05")
	if len(line) < stamp+4 || line[4] != '/' || line[7] != '/' || line[10] != ' ' || line[13] != ':' || line[16] != ':' ||
		!allDigits(line[:4]) || !allDigits(line[5:7]) || !allDigits(line[8:10]) ||
		!allDigits(line[11:13]) || !allDigits(line[14:16]) || !allDigits(line[17:19]) {
		return "", false
	}
	rest, ok := strings.CutPrefix(line[stamp:], " [")
	if !ok {
		return "", false
	}
	level, rest, ok := strings.Cut(rest, "] ")
	if !ok || !nginxLevels[level] {
		return "", false
	}
	ids, msg, ok := strings.Cut(rest, ": ")
	pid, tid, ok2 := strings.Cut(ids, "#")
	if !ok || !ok2 || !allDigits(pid) || !allDigits(tid) {
		return "", false
	}
	if len(msg) > 1 && msg[0] == '*' && msg[1] >= '0' && msg[1] <= '9' {
		return "", false // a connection's
	}
	return msg, true
}

// entrypointLine reads a line of the official nginx image's entrypoint
// (docker-nginx entrypoint/docker-entrypoint.sh: echo "$0: ...", with $0
// "/docker-entrypoint.sh") or of a script it runs from
// /docker-entrypoint.d/ (echo "$ME: ...", ME=$(basename "$0"):
// "10-listen-on-ipv6-by-default.sh: info: ..."), and returns the script
// and the message.
func entrypointLine(line string) (script, msg string, ok bool) {
	script, msg, ok = strings.Cut(line, ": ")
	if !ok {
		return "", "", false
	}
	if script == "docker-entrypoint.sh" || strings.HasSuffix(script, "/docker-entrypoint.sh") {
		return script, msg, true
	}
	base, ok := strings.CutSuffix(script, ".sh")
	if !ok {
		base, ok = strings.CutSuffix(script, ".envsh")
	}
	if !ok || len(base) < 4 || !allDigits(base[:2]) || base[2] != '-' {
		return "", "", false
	}
	for _, c := range base[3:] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return "", "", false
		}
	}
	return script, msg, true
}

// entrypointInner says whether line, inside its container wrapper if it
// has one, is the nginx image's entrypoint line (entrypointLine).
func entrypointInner(line string) bool {
	_, inner, _ := unwrapLine(line)
	_, _, ok := entrypointLine(strings.TrimSpace(inner))
	return ok
}

// entrypointSays says whether an entrypoint line says what only the
// nginx image's entrypoint says: its own messages, or a line of a script
// the image ships.
func entrypointSays(script, msg string) bool {
	if strings.HasSuffix(script, "docker-entrypoint.sh") {
		return saysAny(msg, entrypointMessages)
	}
	return nginxImageScripts[script]
}

// haproxyMore starts the lines after the first of a message HAProxy
// writes on several ("config : missing timeouts for backend 'be_app'."
// and three more, src/cfgparse.c).
const haproxyMore = "   | "

// haproxyStderr reads one of HAProxy's own stderr lines, "[NOTICE]   (1)
// : New worker (8) forked", or before 2.4 "[WARNING] 013/220444 (1) :
// ..." with the day of the year and the time (src/errors.c
// print_message), and returns its message.
func haproxyStderr(line string) (string, bool) {
	rest, ok := strings.CutPrefix(line, "[")
	if !ok {
		return "", false
	}
	label, rest, ok := strings.Cut(rest, "]")
	if !ok || !haproxyLabels[label] {
		return "", false
	}
	rest = strings.TrimLeft(rest, " ")
	if len(rest) > 11 && rest[3] == '/' && rest[10] == ' ' && allDigits(rest[:3]) && allDigits(rest[4:10]) {
		rest = rest[11:]
	}
	pid, msg, ok := strings.Cut(rest, " : ")
	if !ok || len(pid) < 3 || pid[0] != '(' || pid[len(pid)-1] != ')' || !allDigits(pid[1:len(pid)-1]) {
		return "", false
	}
	return msg, true
}

// haproxyProxyStarted reports whether line is "Proxy NAME started.",
// which HAProxy before 2.3 logs for each proxy it starts (src/proxy.c
// start_proxies, send_log), bare with "log stdout format raw". Not a
// mark: an app may say it.
func haproxyProxyStarted(line string) bool {
	name, ok := strings.CutPrefix(line, "Proxy ")
	if !ok {
		return false
	}
	name, ok = strings.CutSuffix(name, " started.")
	return ok && name != "" && !strings.ContainsRune(name, ' ')
}

// ownJSON reads a JSON line: zap's production encoder as Caddy sets it
// ("ts" a number), or logrus's and zerolog's as Traefik's ("time" text).
// Detection asks it of every app JSON line: one without a lower-case
// level it says no to without decoding (ownJSONDecoding is the same
// without that check).
func ownJSON(line string) (proxyFamily, bool) {
	if PlainJSON(line) && !quotesLowerLevel(line) {
		return famNone, false
	}
	return ownJSONDecoding(line)
}

// quotesLowerLevel says whether one of a line's strings is one of
// lowerLevels: where PlainJSON, a line whose "level" decodes to one does.
// The strings of a PlainJSON line that is valid JSON (ownJSON decodes no
// other) are its bytes between the first quote and the second, the third
// and the fourth, and so on (JSONKeys.In). One pass over them, looking up
// only those of a level's length (a Contains per level was 8 k
// instructions a line).
func quotesLowerLevel(line string) bool {
	for i := 0; ; {
		open := strings.IndexByte(line[i:], '"')
		if open < 0 {
			return false
		}
		start := i + open + 1
		n := strings.IndexByte(line[start:], '"')
		if n < 0 {
			return false
		}
		i = start + n + 1
		if n < 64 && lowerLevelLengths&(1<<n) != 0 && lowerLevels[line[start:start+n]] {
			return true
		}
	}
}

// lowerLevelLengths has bit n set when a lower-case level is n bytes long.
var lowerLevelLengths = func() (lengths uint64) {
	for l := range lowerLevels {
		lengths |= 1 << len(l)
	}
	return lengths
}()

// ownJSONDecoding is ownJSON by decoding the line, whatever it holds.
func ownJSONDecoding(line string) (proxyFamily, bool) {
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
// the caller before " > ", and coloured where Traefik writes to stdout
// (StripColour).
func zerologConsole(line string) (string, bool) {
	if strings.IndexByte(line, '\x1b') >= 0 {
		line = StripColour(line)
	}
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

// StripColour leaves out the SGR sequences ("\x1b[90m", "\x1b[0m") that
// zerolog's ConsoleWriter colours its parts with unless told not to
// (Traefik v3 writing to stdout without log.noColor: cmd/traefik/logger.go).
func StripColour(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		j := i + 2
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';') {
			j++
		}
		if j < len(s) && s[j] == 'm' {
			j++
		}
		s = s[j:]
	}
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
	// nginxLevels are the nginx error log's levels.
	nginxLevels = map[string]bool{
		"debug": true, "info": true, "notice": true, "warn": true,
		"error": true, "crit": true, "alert": true, "emerg": true,
	}
	// nginxSays are nginx's messages about itself as it starts (seen from
	// nginx 1.22.1 -g 'daemon off;' at the notice level, which the
	// official image's nginx.conf sets; testdata/startup): src/event/
	// ngx_event.c 'using the "%s" event method', src/os/unix/
	// ngx_posix_init.c ngx_os_status (NGINX_VER, "built by", "OS:",
	// "getrlimit(RLIMIT_NOFILE)"), src/os/unix/ngx_process_cycle.c and
	// ngx_process.c ("start worker processes", "start %s %P").
	nginxSays = []string{
		`using the "`, "nginx/", "built by ", "OS: ", "getrlimit(RLIMIT_NOFILE): ",
		"start worker processes", "start worker process ", "start cache manager process ",
		"start cache loader process ", "signal process started",
	}
	// entrypointMessages are what the official nginx image's entrypoint
	// says itself (docker-nginx entrypoint/docker-entrypoint.sh, echoed
	// after "$0: "), and nginxImageScripts the scripts the image ships in
	// /docker-entrypoint.d/ that say something (entrypoint/*.sh).
	entrypointMessages = []string{
		"/docker-entrypoint.d/ is not empty, will attempt to perform configuration",
		"Looking for shell scripts in /docker-entrypoint.d/",
		"Configuration complete; ready for start up",
		"No files found in /docker-entrypoint.d/, skipping configuration",
	}
	nginxImageScripts = map[string]bool{
		"10-listen-on-ipv6-by-default.sh": true, "20-envsubst-on-templates.sh": true, "30-tune-worker-processes.sh": true,
	}
	// haproxyLabels are the labels of HAProxy's stderr lines
	// (src/errors.c: ha_alert, ha_warning, ha_notice, ha_diag_warning).
	haproxyLabels = map[string]bool{"ALERT": true, "WARNING": true, "NOTICE": true, "DIAG": true}
	// haproxySays are HAProxy's messages as it starts and stops:
	// src/haproxy.c "New worker (%d) forked" (2.2: "New worker #%d (%d)
	// forked") and "Loading success."; src/errors.c "haproxy version is
	// %s" and "path to executable is %s", written before the first
	// warning or alert; the "config : " and "parsing [" warnings of
	// src/cfgparse.c; src/mworker.c "Exiting Master process...",
	// "Current worker ... exited", "All workers exited.".
	haproxySays = []string{
		"New worker (", "New worker #", "Loading success.", "haproxy version is ", "path to executable is ",
		"config : ", "parsing [", "Exiting Master process...", "Current worker ", "All workers exited.",
	}
	// ingressSays are the ingress-nginx controller's words in its klog lines.
	ingressSays = []string{"NGINX", "ingress-nginx", "Ingress controller", "Backend successfully reloaded", "backend reload required"}
)
