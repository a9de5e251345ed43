package classify

import (
	"strconv"
	"strings"

	"fivexx/sources"
	"fivexx/sources/cloudflare"
)

// Each proxy has its own knobs: a hint that names nginx's (error_page,
// max_fails, proxy_buffer_size) to someone reading an ALB or Envoy log
// points at settings they do not have. The words below are chosen by
// the proxy that wrote the entry (evidence.kind, from proxyKind).

// rewriteText says the proxy sent another status than its upstream.
func rewriteText(kind string, upstream, sent int) string {
	u, s := strconv.Itoa(upstream), strconv.Itoa(sent)
	switch kind {
	case "nginx":
		return "the proxy turned the upstream's " + u + " into " + s + " (error_page with proxy_intercept_errors)"
	case "traefik":
		return "OriginStatus " + u + ", DownstreamStatus " + s + ": Traefik sent another status than the service's (an errors middleware)"
	}
	return "the upstream answered " + u + ", the proxy sent " + s
}

// rewrittenHint is the hint for a 5xx the proxy made over an upstream's
// answer below 500: the app was fine.
func rewrittenHint(kind, up string, upstream, sent int) string {
	u, s := strconv.Itoa(upstream), strconv.Itoa(sent)
	switch kind {
	case "nginx":
		return up + " answered " + u + "; nginx sent " + s + " itself: see the location's error_page and proxy_intercept_errors, and what handles the error page"
	case "cloudflare":
		return "the origin answered " + u + "; Cloudflare sent " + s + ": a Worker, a rule (Custom Errors, Transform, Snippets) or Cloudflare itself made it, not the app"
	case "traefik":
		return up + " answered " + u + " (OriginStatus); Traefik sent " + s + " (DownstreamStatus) itself: see the router's errors middleware and the service that serves its pages"
	case "alb":
		return "the target answered " + u + "; the load balancer sent " + s + ": the response broke after its status line (closed early, invalid body or headers), or a Lambda's result was invalid"
	}
	return up + " answered " + u + "; the proxy sent " + s + " itself: see its error handling and response rules"
}

// badResponseHint names where each proxy sets the limits an invalid or
// oversized response header crosses.
func badResponseHint(kind, up string) string {
	switch kind {
	case "nginx":
		return up + " sent a response the proxy could not use: invalid or oversized headers (raise proxy_buffer_size?), HTTP/2 or TLS spoken on a plain port"
	case "alb":
		return up + " sent a response the load balancer could not use: invalid or oversized headers, a malformed Lambda result (statusCode, headers, body as a string), or TLS/HTTP version mismatch with the target group's protocol"
	case "haproxy":
		return up + " sent a response HAProxy could not use: invalid or oversized headers (tune.bufsize), HTTP/2 or TLS spoken on a plain port"
	case "envoy":
		return up + " sent a response Envoy could not use: invalid headers or a protocol mismatch (HTTP/1.1 or HTTP/2 in the cluster's protocol options, TLS on a plain port)"
	case "caddy":
		return up + " sent a response Caddy could not use: malformed or oversized headers (transport http max_response_header), HTTP/2 or TLS spoken on a plain port"
	}
	return up + " sent a response the proxy could not use: invalid or oversized headers, HTTP/2 or TLS spoken on a plain port"
}

// noHealthyHint says where each proxy marks servers down.
func noHealthyHint(kind string) string {
	switch kind {
	case "nginx":
		return "every server of the group was marked down: see the first failures before this (max_fails/fail_timeout, health checks), and whether any server is registered"
	case "haproxy":
		return "every server of the backend was down: see the health-check state lines before this (check, inter, fall/rise), and whether any server is enabled"
	case "envoy":
		return "the cluster had no healthy host: see the first failures before this (outlier detection ejections, active health checks), and whether the cluster has endpoints"
	case "alb":
		return "the target group had no healthy target: see the target health checks and whether any target is registered"
	case "traefik":
		return "the service had no healthy server: see the first failures before this (healthCheck), and whether the service has servers (labels, endpoints)"
	case "caddy":
		return "no upstream was available: see the first failures before this (health_uri, fail_duration, max_fails), and whether any upstream is configured"
	}
	return "the proxy had no healthy server: see the first failures before this (health checks), and whether any server is registered"
}

// ownAnswerExample names the directive with which the proxy answers on
// its own, as " (…)", or "".
func ownAnswerExample(kind string) string {
	switch kind {
	case "nginx":
		return " (a return, or an error_page without a proxied location)"
	case "caddy":
		return " (a respond or error directive)"
	}
	return ""
}

// ownErrorLine reports whether x is an error line the proxy wrote for an
// answer it made on purpose: Caddy's error directive (`error "nope"
// 503`), the only Caddy error entry its parser gives ReasonProxyRejected
// (err_trace caddyhttp.StaticError). Its text is the directive's own
// ("nope", or none): "error log: nope" said nothing of what answered, and
// the 503 was unknown low.
func ownErrorLine(kind string, x *sources.ProxyError) bool {
	return kind == "caddy" && x != nil && x.Reason == sources.ReasonProxyRejected
}

// proxyWroteText says why a response's headers are the proxy's own
// (sources.ProxyEntry.ProxyWrote), with its body and time as logged.
func proxyWroteText(kind string, e *sources.ProxyEntry) string {
	s := "resp_headers: none of an upstream's headers"
	switch {
	case kind != "caddy":
	case e.BodyBytes > 0:
		s = "resp_headers: the Content-Type Caddy's respond sets for its body and none of an upstream's headers (Date, Content-Length)"
	default:
		s = "resp_headers: an empty Content-Type (Caddy's respond without a body) and none of an upstream's headers (Date, Content-Length)"
	}
	if e.BodyBytes >= 0 {
		s += "; " + strconv.FormatInt(e.BodyBytes, 10) + " bytes"
		if e.RequestTime >= 0 {
			s += " in " + strconv.FormatFloat(e.RequestTime*1000, 'f', 3, 64) + " ms"
		}
	}
	return s + ": the proxy wrote this response itself"
}

// quietErrorLogText says that the error log was read, from before the
// 5xx, and names no request at all: no proof either way, and the likely
// reason, in the proxy's own words.
func quietErrorLogText(kind string) string {
	switch kind {
	case "nginx":
		return "error log: read from before this 5xx, no line for it nor for any request: it may not be this server's error_log (error_log set per server or location)"
	case "caddy":
		return "Caddy's log: read from before this 5xx, no error entry for it nor for any request: a respond or error directive logs none, and with handle_errors Caddy logs the errors it handles at DEBUG only"
	}
	return "error log: read from before this 5xx, no line for it nor for any request"
}

// quietSiteText says that the error log holds other sites' request
// errors and none of this site's logger (Caddy's only: ErrorLogger).
func quietSiteText(logger string) string {
	return "Caddy's log: read from before this 5xx, error entries of other sites but none from " + logger + " (this site's): with handle_errors, Caddy logs the errors it handles at DEBUG only"
}

// ownPageHint is the hint for a 5xx the proxy answered itself with no
// error-log line, beside an app that logged the requests around it: the
// answers that log nothing there, in the proxy's words.
func ownPageHint(kind string) string {
	switch kind {
	case "nginx":
		return "nginx most likely answered on its own without logging an error: a maintenance page (return 503), an error_page, a deny, or limit_req with limit_req_log_level below the error_log level; check the location that serves this path"
	case "caddy":
		return "Caddy most likely answered on its own: a respond or error directive (a maintenance page) logs no error entry; check the route that serves this path"
	case "haproxy":
		return "HAProxy most likely answered on its own: an http-request return or deny rule, or an errorfile; check the rules that match this path"
	}
	return "the proxy most likely answered on its own (a maintenance page, a configured answer) without logging an error: check the route that serves this path"
}

// flagsHint is the hint for the proxy's own answer that its flags name,
// in the proxy's words; "" when they name none this knows. HAProxy's
// termination state (doc/configuration.txt §8.5): sQ a queue timeout, PR a
// blocked request, PT the tarpit.
func flagsHint(kind string, e *sources.ProxyEntry) string {
	if kind == "alb" {
		return albAuthHint(e.Flags)
	}
	if kind != "haproxy" || len(e.Flags) < 2 {
		return ""
	}
	backend, _, _ := strings.Cut(e.Upstream, "/")
	if backend == "" {
		backend = "the backend"
	}
	switch e.Flags[:2] {
	case "sQ":
		return "the request waited in " + backend + "'s queue longer than timeout queue and never reached a server: every server was at its maxconn; check the backend's concurrency: the servers' maxconn against the load, the app's workers and response times, and timeout queue"
	case "PR":
		return "HAProxy blocked the request: an http-request deny rule, or an invalid request; check the rules that match this path and who is sending it"
	case "PT":
		return "HAProxy tarpitted the request (http-request tarpit): check the rule that matched and who is sending the traffic"
	}
	return ""
}

// lambdaHint is the hint for an ALB entry whose error_reason names its
// Lambda target's failure, in Lambda's words; "" for any other entry. The
// causes' own hints speak of processes, ports and the proxy's limiters
// (LambdaThrottling's 502 was "the proxy's request-rate limiter answered
// (limit_req, rate limit)", QA s27), and a function has none of them. The
// codes and what they mean are AWS's (sources/alb errorReason).
func lambdaHint(kind string, e *sources.ProxyEntry) string {
	if kind != "alb" || !strings.HasPrefix(e.Flags, "Lambda") {
		return ""
	}
	fn := "the Lambda function"
	if e.Upstream != "" {
		fn += " of target group " + e.Upstream
	}
	code := e.Flags
	vpc := "; see its VPC configuration (subnets, security groups) and its execution role's permissions for network interfaces (ec2:CreateNetworkInterface), or remove its VPC access if it needs none"
	kms := "; see the KMS key set for its environment variables and its execution role's kms:Decrypt permission"
	switch code {
	case "LambdaThrottling":
		return fn + " was throttled: its concurrency was used up, the function's reserved concurrency or the account's limit in the Region that all its functions share; see its Throttles and ConcurrentExecutions metrics, then raise the reserved concurrency or ask for a higher quota"
	case "LambdaUnhandled":
		return fn + " threw an unhandled exception: see its errors and stack traces in its CloudWatch log group (/aws/lambda/<function name>)"
	case "LambdaInvalidResponse":
		return fn + " returned a result the load balancer could not use: a malformed one (statusCode, headers, body as a string, isBase64Encoded) or one missing required fields"
	case "LambdaResponseTooLarge":
		return fn + " returned a result over 1 MB, the most a Lambda target may send: return less, or serve large bodies from S3"
	case "LambdaRequestTooLarge":
		return "the request body was over the 1 MB a Lambda target takes: the client's request, not " + fn
	case "LambdaBadRequest":
		return "the request's headers or body were not all UTF-8, which Lambda cannot take (a binary body sent with a text or JSON content type): the client's request, not " + fn + "; see which client sends it"
	case "LambdaConnectionTimeout":
		return "connecting to Lambda timed out, invoking " + fn + ": see the function's Invocations metric and the AWS Health Dashboard for Lambda in the Region"
	case "LambdaAccessDenied":
		return "the load balancer may not invoke " + fn + ": its resource-based policy must allow elasticloadbalancing.amazonaws.com lambda:InvokeFunction for this target group (aws lambda get-policy); the configuration, not the function's code"
	case "LambdaResourceNotFound":
		return fn + " was not found: deleted, renamed, or a version or alias that is gone; register the function again in the target group (aws elbv2 describe-target-health)"
	case "LambdaInvalidRuntimeException":
		return fn + " could not start: its runtime version is not supported; deploy it on a supported runtime"
	case "LambdaInvalidZipFileException":
		return fn + " could not start: Lambda could not unzip its deployment package; deploy it again with a valid .zip"
	case "LambdaInvalidSecurityGroupIDException":
		return fn + " could not start: a security group ID in its VPC configuration is not valid (deleted?)" + vpc
	case "LambdaInvalidSubnetIDException":
		return fn + " could not start: a subnet ID in its VPC configuration is not valid (deleted?)" + vpc
	case "LambdaENILimitReachedException":
		return fn + " could not start: Lambda could not create a network interface in its VPC, the account's network interface quota was reached" + vpc
	case "LambdaSubnetIPAddressLimitReachedException":
		return fn + " could not start: a subnet of its VPC configuration has no free IP address; add subnets with free addresses or free some" + vpc
	case "LambdaEC2AccessDeniedException":
		return fn + " could not start: EC2 denied Lambda while it set up the function's network interface" + vpc
	case "LambdaEC2ThrottledException":
		return fn + " could not start: EC2 throttled Lambda while it set up the function's network interface (many functions scaling in the VPC at once)" + vpc
	case "LambdaEC2UnexpectedException":
		return fn + " could not start: EC2 had an unexpected error while Lambda set up the function's network interface; if it goes on, see the AWS Health Dashboard" + vpc
	case "LambdaKMSAccessDeniedException":
		return fn + " could not start: it was denied the KMS key that decrypts its environment variables" + kms
	case "LambdaKMSDisabledException":
		return fn + " could not start: the KMS key that decrypts its environment variables is disabled" + kms
	case "LambdaKMSInvalidStateException":
		return fn + " could not start: the KMS key that decrypts its environment variables is in a state that is not valid (pending deletion?)" + kms
	case "LambdaKMSNotFoundException":
		return fn + " could not start: the KMS key that decrypts its environment variables was not found" + kms
	case "LambdaServiceException":
		return "Lambda had an internal error invoking " + fn + " (LambdaServiceException, counted as LambdaInternalError): AWS's side, not the function's code; see the AWS Health Dashboard for Lambda in the Region, and AWS Support if it goes on"
	case "LambdaUnhandledException":
		return "the load balancer had an unhandled exception of its own invoking " + fn + " (LambdaUnhandledException, counted as LambdaInternalError): AWS's side, not the function's code; see the AWS Health Dashboard, and AWS Support if it goes on"
	}
	return "error_reason " + code + " is not a code fivexx knows: look it up in AWS's error reason codes of the access log page, and see " + fn + "'s CloudWatch log group (/aws/lambda/<function name>)"
}

// ownAnswerHint is the hint for the proxy's own answer (limiter, queue,
// rule) when no detail says which.
func ownAnswerHint(kind string) string {
	switch kind {
	case "nginx":
		return "nginx answered on its own: a limiter (limit_req, limit_conn), a deny rule, a return or error_page, or ingress-nginx's balancer for a service with no endpoints; the evidence says which: check that rule and who is sending the traffic"
	case "caddy":
		return "Caddy answered on its own: a respond or error directive, a rate limit module, or a matcher that sends this path there (the evidence says which): check that route and who is sending the traffic"
	case "haproxy":
		return "HAProxy answered on its own: a deny or return rule, a tarpit, a full queue (maxconn, timeout queue) or a stick-table limit (the flags say which): check that rule and who is sending the traffic"
	case "envoy":
		return "Envoy answered on its own: a rate limit, a circuit breaker (max_connections, max_pending_requests, max_requests), an overload action or a direct_response route (the flags say which): check that setting and who is sending the traffic"
	case "alb":
		return "the load balancer answered on its own: a fixed-response rule, an authentication action or a WAF rule (the evidence says which): check the listener rules and who is sending the traffic"
	case "traefik":
		return "Traefik answered on its own: a rateLimit, inFlightReq or ipAllowList middleware, or a circuitBreaker (the evidence says which): check that middleware and who is sending the traffic"
	case "cloudflare":
		return "Cloudflare answered on its own: a rate limiting or WAF rule, or another security feature (the evidence says which): check Security Events and who is sending the traffic"
	}
	return "the proxy answered on its own: a limiter, a full queue, a circuit breaker, a deny rule or a configured answer (the evidence says which): check that rule and who is sending the traffic"
}

// missingUpstreamFields names what the access log needs to tell the
// upstream's answer from the proxy's, or "" when it has it or the format
// says it otherwise (HAProxy's and Envoy's flags and timers, ALB's
// target fields).
func missingUpstreamFields(kind string, f sources.FieldSet) string {
	switch kind {
	case "haproxy", "envoy", "alb":
		return ""
	case "caddy":
		if f.Has(sources.FieldUpstreamAddr) {
			return ""
		}
		// log_append came with Caddy 2.7 (the report's advice says so):
		// 2.6.2 has none, and the hint sent its reader to it bare (QA
		// s37 L4).
		return "the upstream in the access log (on Caddy ≥ 2.7, log_append upstream {http.reverse_proxy.upstream.hostport})"
	case "traefik":
		if f.Has(sources.FieldUpstreamStatus) {
			return ""
		}
		// Its common layout logs the ServiceURL already (QA s34 M2).
		return "Traefik's JSON access log (OriginStatus)"
	case "cloudflare":
		if f.Has(sources.FieldUpstreamStatus) {
			return ""
		}
		return "OriginResponseStatus and OriginIP in the Logpush fields"
	}
	if f.Has(sources.FieldUpstreamStatus) {
		return ""
	}
	return "upstream fields in the access log"
}

// maybeOwnAnswer says how the proxy may have answered a 5xx itself when
// nothing more can be added.
func maybeOwnAnswer(kind string) string {
	switch kind {
	case "nginx":
		return "the proxy may have answered itself (return, error_page, internal error)"
	case "caddy":
		return "Caddy may have answered itself (respond, error, handle_errors)"
	case "haproxy":
		return "HAProxy may have answered itself (return, deny, errorfile)"
	case "envoy":
		return "Envoy may have answered itself (direct_response, local reply)"
	case "alb":
		return "the load balancer may have answered itself (fixed-response)"
	case "traefik":
		return "Traefik may have answered itself (a middleware, errors pages)"
	case "cloudflare":
		return "Cloudflare may have answered itself (a Worker, a rule)"
	}
	return "the proxy may have answered itself"
}

// fieldNames returns the names the evidence gives the upstream fields
// and flags of an entry of a format with names (sources.Format.Names;
// nil: nginx's): an ALB reader looks for target_processing_time, an
// Envoy reader for upstream_host and response_flags, not nginx's
// upstream_header_time and a "proxy flags" of fivexx's own.
func fieldNames(names *sources.FieldNames) sources.FieldNames {
	n := sources.NginxNames
	if names != nil {
		n = *names
	}
	if n.Flags == "" {
		n.Flags = "proxy flags"
	}
	return n
}

// flagsName is the name the evidence gives an entry's flags: the field
// that holds them when they are a status (Cloudflare's 52x is its
// EdgeResponseStatus, not "proxy flags 520"), else the format's flags.
func flagsName(n sources.FieldNames, flags string) string {
	if n.StatusFlags != "" && len(flags) == 3 && isDigits(flags) {
		return n.StatusFlags
	}
	return n.Flags
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// upstreamFieldsLine quotes the upstream fields of e under the names of
// its format, leaving out those the format does not log (Envoy's and
// Caddy's logs have no upstream status: "upstream_status -" beside them
// read as a field that was empty).
func upstreamFieldsLine(e *sources.ProxyEntry, names sources.FieldNames) string {
	line := names.Addr + " " + orDash(strings.Join(e.UpstreamAddr, ", "))
	if names.Addr == "" {
		line = ""
	}
	if names.Status != "" {
		status := e.UpstreamStatusRaw
		if e.Redirected() {
			status = strings.Join(e.UpstreamStatus, ", ") // the own group's, as the other lists
		}
		line = joinField(line, names.Status+" "+orDash(status))
	}
	if names.HeaderTime != "" && len(e.UpstreamHeader) > 0 {
		line = joinField(line, names.HeaderTime+" "+strings.Join(e.UpstreamHeader, ", "))
	}
	return line
}

// redirectLine quotes the upstream fields of an entry whose lists hold
// groups (nginx's " : " after an internal redirect) as logged, and says
// which group is the request's own: the attempts after it fetched the
// error page (ingress-nginx's custom-http-errors, an error_page that
// proxies), not the request's answer.
func redirectLine(e *sources.ProxyEntry, names sources.FieldNames) string {
	line := ""
	if names.Addr != "" && e.UpstreamAddrRaw != "" {
		line = names.Addr + " " + e.UpstreamAddrRaw
	}
	if names.Status != "" {
		line = joinField(line, names.Status+" "+e.UpstreamStatusRaw)
	}
	own := strings.Join(e.UpstreamAddr, ", ")
	if own == "" {
		own = strings.Join(e.UpstreamStatus, ", ")
	}
	return line + ` as logged: " : " starts the attempts of an internal redirect (error_page, X-Accel-Redirect); the request's own are ` + own
}

// joinField appends field to line with ", ".
func joinField(line, field string) string {
	if line == "" {
		return field
	}
	return line + ", " + field
}

// tlsSettings names where the proxy sets up TLS to its upstream.
func tlsSettings(kind string) string {
	switch kind {
	case "nginx":
		return "proxy_ssl settings"
	case "caddy":
		return "the transport's tls settings"
	case "haproxy":
		return "the server line's ssl/verify/sni settings"
	case "envoy":
		return "the cluster's transport_socket (UpstreamTlsContext)"
	case "alb":
		return "the target group's HTTPS settings"
	case "traefik":
		return "the serversTransport's TLS settings"
	case "cloudflare":
		return "the zone's SSL/TLS mode (Full strict needs a valid origin certificate)"
	}
	return "the proxy's TLS settings for the upstream"
}

// ownFailureLine is the error line that says why the proxy answered a
// 5xx itself, no upstream contacted: the last one with a message and no
// upstream reason (nginx's "rewrite or internal redirection cycle",
// "open() … failed (28: No space left on device)"); nil when none.
func ownFailureLine(errs []*sources.ProxyError) *sources.ProxyError {
	for i := len(errs) - 1; i >= 0; i-- {
		if x := errs[i]; x.Reason == sources.ReasonNone && x.Message != "" {
			return x
		}
	}
	return nil
}

// ownFailureHint is the hint for a 5xx the proxy answered itself, no
// upstream contacted, whose error line x says why: that reason, in the
// proxy's words. The app never had the request: asking for its log (the
// hint said "not enough evidence: add the app log", QA s34 M1) sent the
// reader where nothing can tell.
func ownFailureHint(kind string, status int, x *sources.ProxyError) string {
	who := "the proxy"
	switch kind {
	case "nginx":
		who = "nginx"
	case "caddy":
		who = "Caddy"
	}
	said := who + " answered " + itoa(status) + " itself, no upstream contacted: its error line says \"" + cutText(x.Message, 100) + "\""
	m := strings.ToLower(x.Message)
	switch {
	case kind == "nginx" && (strings.Contains(m, "internal redirection cycle") || strings.Contains(m, "subrequests cycle")):
		return said + ": a try_files, rewrite or error_page leads back into itself (try_files … /index.html with no index.html under root, an error_page whose page fails too); check those of the location that serves this path and that their last target exists"
	case strings.Contains(m, "no space left on device"):
		return said + ": the disk it writes to is full; df -h and df -i where it buffers and caches (client_body_temp_path, proxy_temp_path, proxy_cache_path)"
	case strings.Contains(m, "too many open files"):
		limit := "the service's limit (LimitNOFILE, ulimit -n)"
		if kind == "nginx" {
			limit = "worker_rlimit_nofile and " + limit
		}
		return said + ": it ran out of file descriptors; raise " + limit + ", and see what holds them"
	case strings.Contains(m, "cannot allocate memory") || strings.Contains(m, "could not allocate"):
		return said + ": it ran out of memory; see the host's memory and the proxy's buffers"
	case strings.Contains(m, "permission denied"):
		return said + ": its user may not open a file it needs; compare the mode and owner of the path it names, and of the directories on the way, with the user it runs as; SELinux or AppArmor can deny it too (ausearch -m avc)"
	case kind == "nginx" && strings.Contains(m, "auth request unexpected status"):
		return said + ": the auth_request service answered a status nginx does not take (only 2xx, 401, 403): see that service, not the app"
	case kind == "nginx" && strings.Contains(m, "lua"):
		return said + ": a Lua error in the proxy's own code (OpenResty, ingress-nginx): see the Lua code or annotation that runs for this path"
	}
	return said + ": start from that line; the app never had the request, its log cannot tell"
}

// traefikDebugLog names the one place the cause of Traefik's own 5xx is
// told: its own log, at DEBUG (formats.md §7.2, §7.3).
const traefikDebugLog = "Traefik's own log at --log.level=DEBUG (the only place the cause of its own 502/504/500 is told)"

// traefikOwn reports whether a Traefik access entry's 5xx is, by its
// body, Traefik's own 502, 504 or 500 (sources/traefik origin.go), not
// the service's.
func traefikOwn(e *sources.ProxyEntry) bool {
	return strings.Contains(e.Detail, "Traefik's own ")
}

// albAuthHint is the hint for an ALB authenticate action that failed
// talking to the IdP, by its error_reason (AWS's error reason codes):
// "check the listener rules and who is sending the traffic" was said of
// AuthTokenEpRequestTimeout, where the load balancer could not reach the
// IdP's token endpoint (QA s34 M3). "" for any other code.
func albAuthHint(code string) string {
	ep := ""
	switch {
	case strings.HasPrefix(code, "AuthTokenEp"):
		ep = "token endpoint"
	case strings.HasPrefix(code, "AuthUserinfoEp"):
		ep = "user info endpoint"
	default:
		return ""
	}
	reach := "the load balancer must reach it over IPv4: its security groups' outbound rules and the VPC's network ACLs must allow HTTPS to the IdP, and an internal load balancer needs a NAT gateway to reach a public IdP; check the endpoint's URL in the listener's authenticate action"
	switch {
	case strings.HasSuffix(code, "RequestTimeout"):
		return "the authenticate action could not talk to the IdP's " + ep + " (" + code + "): no connection, or no answer within 5 s; " + reach
	case strings.HasSuffix(code, "RequestFailed"):
		return "the IdP's " + ep + " answered the authenticate action with an error (" + code + "): see the IdP's log for it, and the client ID, client secret and endpoint URLs of the listener's authenticate action"
	}
	return ""
}

// readTimeoutSetting names the setting of each proxy that a request
// whose upstream did not answer in time ran into: "the proxy's read
// timeout" was said of every proxy (QA s34 M3).
func readTimeoutSetting(kind, format string) string {
	switch {
	case format == "ingress-nginx":
		return "the proxy-read-timeout annotation (nginx's proxy_read_timeout, 60 s by default)"
	case kind == "nginx":
		return "nginx's proxy_read_timeout (60 s by default; fastcgi_read_timeout for FastCGI)"
	case kind == "haproxy":
		return "HAProxy's timeout server"
	case kind == "envoy":
		return "Envoy's route timeout (15 s by default) and per_try_timeout"
	case kind == "alb":
		return "the load balancer's idle timeout (60 s by default)"
	case kind == "caddy":
		return "Caddy's reverse_proxy transport timeouts (response_header_timeout, read_timeout)"
	case kind == "traefik":
		return "Traefik's serversTransport forwardingTimeouts (responseHeaderTimeout)"
	case kind == "cloudflare":
		return "Cloudflare's Proxy Read Timeout (" + cloudflare.ProxyReadTimeoutText + " by default; Enterprise zones can raise it)"
	}
	return "the proxy's read timeout"
}

// refusedHint is the hint for a connect refused, in the words of the
// proxies whose upstream is no host and port, or whose refusal has its
// own commonest cause; "" for the others. Cloudflare's 521 is most
// often the origin's firewall dropping Cloudflare's addresses and its
// 523 a wrong origin address, where "is the process up (ss -ltnp)?"
// was said; HAProxy names a server of a backend (be_app/s1), not an
// address anything listens on (QA s34 M3).
func refusedHint(kind string, status int, up string) string {
	switch {
	case kind == "cloudflare" && status == 521:
		return "Cloudflare could not connect to the origin " + up + " (521): most often the origin's firewall, or a security plugin, blocks Cloudflare's IP ranges (allow those of cloudflare.com/ips); else the web server there is down or not listening on the port Cloudflare connects to (80 or 443)"
	case kind == "cloudflare" && status == 523:
		return "Cloudflare found no route to the origin " + up + " (523): a wrong origin address in the zone's DNS record (A, AAAA or CNAME), or the origin's network unreachable; check that the record points at the origin"
	case kind == "haproxy" && strings.Contains(up, "/") && !namesSocket(up):
		backend, server, _ := strings.Cut(up, "/")
		return "nothing is listening at the address of server " + server + " of backend " + backend + ": see its address in the haproxy config (server " + server + " <address>) or on the stats page, then is the process there up (ss -ltnp on its host)? crashed, OOM-killed (dmesg), restarting, or a wrong port on the server line?"
	}
	return ""
}

// statusCannotTell is the evidence line for a status whose proxy folds
// two causes into it with no logged field to tell them apart, and the
// confidence the status then supports; "" for any other. Cloudflare's
// 520 is a reset or a response it could not use (headers over 128 KB,
// broken HTTP/2), its 530 an origin name that does not resolve (1016)
// or a tunnel that is down (1033), the 1xxx code only on its error page
// (formats.md §8.2): both were high, with a crash's or a DNS hint (QA s36
// M3).
func statusCannotTell(kind string, status int) (string, Confidence) {
	switch {
	case kind == "cloudflare" && status == 520:
		return "no Logpush field tells a reset or empty answer (upstream_reset) from a response Cloudflare could not use (upstream_bad_response)", Medium
	case kind == "cloudflare" && status == 530:
		return "no Logpush field carries the 1xxx code: 1016 is upstream_refused (the origin's name), 1033 no_healthy_upstream (its tunnel down)", Low
	}
	return "", ""
}

// cannotTellHint is the hint for a status statusCannotTell knows, which
// names each cause it may be; "" for any other.
func cannotTellHint(kind string, status int, up string) string {
	switch {
	case kind == "cloudflare" && status == 520:
		return "Cloudflare got no usable response from the origin " + up + " (520): either it closed or reset the connection (a crash or OOM kill: dmesg, container restarts; a firewall resetting Cloudflare's IPs) or it answered with something Cloudflare could not use (response headers over 128 KB, often cookies; an invalid header; broken HTTP/2 to the origin); the origin's log at that time (its Cf-Ray) tells which"
	case kind == "cloudflare" && status == 530:
		return "Cloudflare could not resolve or reach the origin (530); the 1xxx code on its error page says which (open the URL to see it): 1016, the origin's name in the zone's DNS record does not resolve (a CNAME to a missing name); 1033, the zone's Cloudflare Tunnel is down (is cloudflared running and connected?)"
	}
	return ""
}

// envoyNoServiceTimeText follows an Envoy entry's upstream fields when
// its service time is "-" and its response_code_details say the upstream
// answered (via_upstream): the time comes from the
// x-envoy-upstream-service-time header of the response, which was not
// there. "-: the upstream sent a response header" read as a
// contradiction (QA s36 L4).
const envoyNoServiceTimeText = ": no service time: the response lacked the x-envoy-upstream-service-time header Envoy's router adds (suppress_envoy_headers, or a filter removed it); response_code_details says the upstream sent a response header"

// allDash reports whether list holds values and each is "-".
func allDash(list []string) bool {
	for _, v := range list {
		if v != "-" {
			return false
		}
	}
	return len(list) > 0
}

// rewriteFailed reports whether e is HAProxy's 500 with PH: its own
// http-response rule failed to rewrite the server's response headers
// (formats.md §3.2, "PH-- 502 (500 if header rewrite failed)"); a PH
// with 502 is a response it rejected.
func rewriteFailed(kind string, e *sources.ProxyEntry) bool {
	return kind == "haproxy" && e.Status == 500 && strings.HasPrefix(e.Flags, "PH")
}

// rewriteFailedHint is the hint for HAProxy's failed response rewrite.
func rewriteFailedHint(up string) string {
	if up == "" {
		up = "the server"
	}
	return "HAProxy answered 500 itself: an http-response rule (set-header, add-header, replace-header …) failed to rewrite the response of " + up + ", most often for want of room in the buffer (tune.maxrewrite) beside large response headers; see the rules that apply to this path and the size of the server's headers"
}
