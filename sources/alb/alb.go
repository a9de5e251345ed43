// Package alb parses AWS Application Load Balancer access logs. ALB writes
// them as gzip objects to S3; the input layer un-gzips by content, so a
// downloaded .log.gz is read as is.
//
// The layout (formats.md §5.1): space-separated fields, some quoted, new
// fields appended at the end:
//
//	type time elb client:port target:port request_processing_time
//	target_processing_time response_processing_time elb_status_code
//	target_status_code received_bytes sent_bytes "request" "user_agent"
//	ssl_cipher ssl_protocol target_group_arn "trace_id" "domain_name"
//	"chosen_cert_arn" matched_rule_priority request_creation_time
//	"actions_executed" "redirect_url" "error_reason" "target:port_list"
//	"target_status_code_list" "classification" "classification_reason"
//	conn_trace_id …
//
// The rules (formats.md §5.2–5.3, AWS's troubleshooting page):
//   - A line needs the fields up to the request; later ones may be missing
//     (older logs) and extra ones are ignored (newer logs).
//   - target_status_code is "-" unless a connection was made and the target
//     answered: a number means UpstreamAnswered Yes, "-" No.
//   - target:port "-" means the request was not dispatched to an instance
//     or IP target (Lambda targets log "-" too, with a status when they
//     answered).
//   - error_reason (Lambda*, Auth*, WAF*, weighted target groups) names the
//     failure when it is set. A Lambda function that threw or was
//     throttled (its own concurrency limit, not the load balancer's) sent
//     no response header, but the fault is the function's: ReasonAppFailed
//     (formats.md §5.3: app_error; a malformed result is a bad response).
//     EC2/IP target failures leave it "-" and are read from the times:
//     502 with -1 -1 -1 is a failed connect (likely: AWS also logs -1
//     when the target closed early), 502 with request and target times
//     ≥ 0 and response time -1 is a reset, 503 with target "-"
//     is "no registered targets" (ALB fails open when all targets are
//     unhealthy, so 503 never means "all unhealthy"), 504 is a connect
//     timeout when about 10 s passed (ALB's fixed connect timeout) and the
//     idle timeout otherwise; 460 is the client closing, 463 too many
//     X-Forwarded-For addresses, 561 an identity provider error, 403 with
//     "waf" in the actions a WAF block.
//   - time is when the response was sent (the end of the request);
//     request_creation_time is when the request arrived, so their difference
//     is the request duration.
//   - trace_id is the X-Amzn-Trace-Id the target receives; its Root= value
//     is the request id.
package alb

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fivexx/sources"
)

func init() {
	sources.Register(sources.Format{
		Name:     "alb",
		Names:    &sources.FieldNames{Addr: "target", Status: "target_status_code", HeaderTime: "target_processing_time", Flags: "error_reason"},
		Role:     sources.RoleProxy,
		Priority: 10,
		// No state between lines: parsed in parallel by chunks.
		Stateless: true,
		Detect:    detect,
		New:       func(sources.ParserOptions) (sources.Parser, error) { return NewParser(), nil },
		Doc:       "AWS Application Load Balancer access log (plain or as the .log.gz objects ALB writes to S3)",
	})
}

// connectTimeout is ALB's fixed timeout for connecting to a target.
const connectTimeout = 10 * time.Second

// The field positions of an ALB access log entry.
const (
	fType = iota
	fTime
	fELB
	fClient
	fTarget
	fRequestProcessing
	fTargetProcessing
	fResponseProcessing
	fELBStatus
	fTargetStatus
	fReceivedBytes
	fSentBytes
	fRequest
	fUserAgent
	fSSLCipher
	fSSLProtocol
	fTargetGroup
	fTraceID
	fDomain
	fCertARN
	fRulePriority
	fCreationTime
	fActions
	fRedirectURL
	fErrorReason
	fTargetList
	fTargetStatusList
	fClassification
	fClassificationReason
	fConnTraceID
	nFields
)

// minFields is how many fields a line needs: through the request.
const minFields = fRequest + 1

// Parser parses ALB access log entries. It keeps only scratch space.
type Parser struct {
	f [nFields]string
}

// NewParser returns a parser for ALB access logs.
func NewParser() *Parser { return &Parser{} }

func errLine(what string) error {
	return sources.NoMatch("alb", what)
}

// Parse implements sources.Parser.
func (p *Parser) Parse(line string) (sources.Record, error) {
	e, err := p.parse(line)
	if err != nil {
		return nil, err
	}
	return e, nil
}

func (p *Parser) parse(line string) (*sources.ProxyEntry, error) {
	n, what := split(line, &p.f)
	if what != "" {
		return nil, errLine(what)
	}
	if n < minFields {
		return nil, errLine("too few fields")
	}
	f := &p.f
	for i := n; i < nFields; i++ {
		f[i] = "-"
	}
	switch f[fType] {
	case "http", "https", "h2", "grpcs", "ws", "wss":
	default:
		return nil, errLine("unknown type " + strconv.Quote(cutText(f[fType])))
	}
	t, err := time.Parse(time.RFC3339Nano, f[fTime])
	if err != nil {
		return nil, errLine("bad time")
	}
	if !strings.HasPrefix(f[fELB], "app/") && strings.IndexByte(f[fELB], '/') < 0 {
		return nil, errLine("bad elb")
	}
	var times [3]float64
	for i, k := range [...]int{fRequestProcessing, fTargetProcessing, fResponseProcessing} {
		v, ok := seconds(f[k])
		if !ok {
			return nil, errLine("bad processing time")
		}
		times[i] = v
	}
	elbStatus, ok := status(f[fELBStatus])
	if !ok {
		return nil, errLine("bad elb_status_code")
	}
	targetStatus, ok := status(f[fTargetStatus])
	if !ok {
		return nil, errLine("bad target_status_code")
	}
	if !isCount(f[fReceivedBytes]) || !isCount(f[fSentBytes]) {
		return nil, errLine("bad byte counts")
	}

	e := &sources.ProxyEntry{
		Time:        t,
		Status:      elbStatus,
		BodyBytes:   -1,
		RequestTime: -1,
		Raw:         line,
	}
	e.Client, e.ClientPort = splitHostPort(f[fClient])
	e.Method, e.Path, e.Proto, e.Host = splitRequest(f[fRequest])
	e.UserAgent = dash(f[fUserAgent])
	e.RequestID = traceRoot(f[fTraceID])
	if created, err := time.Parse(time.RFC3339Nano, f[fCreationTime]); err == nil && !t.Before(created) {
		e.RequestTime = t.Sub(created).Seconds()
	}

	target := f[fTarget]
	e.UpstreamAddr = []string{target}
	e.UpstreamStatus = []string{f[fTargetStatus]}
	e.UpstreamStatusRaw = f[fTargetStatus]
	e.Upstream = target
	if target == "-" {
		e.Upstream = targetGroupName(f[fTargetGroup])
	}
	e.Fields = sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime
	if e.RequestTime >= 0 {
		e.Fields |= sources.FieldRequestTime
	}
	if e.RequestID != "" {
		e.Fields |= sources.FieldRequestID
	}

	c := evidence{
		status:       elbStatus,
		targetStatus: targetStatus,
		target:       target,
		times:        times,
		total:        e.RequestTime,
		errorReason:  dash(f[fErrorReason]),
		actions:      dash(f[fActions]),
	}
	j := judge(c)
	e.Reason, e.UpstreamContacted, e.UpstreamAnswered, e.Detail = j.reason, j.contacted, j.answered, j.detail
	// target_processing_time runs until the target starts its response,
	// or until it drops the connection (a header time only when the
	// target answered: UpstreamAnswered says which). The evidence quotes
	// it under its own name, so it is kept as logged: a reset 502's
	// "0.052" was shown as "-" (QA s23 F7), and -1 is ALB's own "did not
	// happen".
	e.UpstreamHeader = []string{f[fTargetProcessing]}
	if c.errorReason != "" {
		e.Flags = c.errorReason
		e.Fields |= sources.FieldFlags
	}
	return e, nil
}

// evidence is what one entry says about the target.
type evidence struct {
	status, targetStatus int // targetStatus 0: "-"
	target               string
	times                [3]float64 // request, target, response processing; -1 when not reached
	total                float64    // time - request_creation_time; -1 when unknown
	errorReason          string
	actions              string
}

// verdict is what the parser concludes, in ProxyEntry terms.
type verdict struct {
	reason    sources.Reason
	contacted sources.Tri
	answered  sources.Tri
	detail    string
}

// judge applies the rules in the package comment.
func judge(c evidence) verdict {
	var v verdict
	switch {
	case c.target != "-":
		v.contacted = sources.Yes
	case c.targetStatus != 0:
		v.contacted = sources.Yes // a Lambda target answered
	case strings.HasPrefix(c.errorReason, "Lambda"):
		v.contacted = sources.Yes // the function was invoked or tried
	default:
		v.contacted = sources.No
	}
	if c.targetStatus != 0 {
		v.answered = sources.Yes
		if c.status != c.targetStatus {
			v.detail = fmt.Sprintf("the target answered %d, the load balancer sent %d", c.targetStatus, c.status)
		}
		return v
	}
	v.answered = sources.No

	if c.errorReason != "" {
		// A Lambda target that threw or was throttled sent no response
		// header either: the load balancer made the status, and the
		// reason (ReasonAppFailed) says that the fault is the function's.
		v.reason, v.detail = errorReason(c.errorReason)
		if !strings.HasPrefix(c.errorReason, "Lambda") {
			v.contacted = sources.No
		}
		return v
	}
	if c.target == "-" && lastAction(c.actions) == "fixed-response" {
		// A listener rule answered with its configured response (a
		// maintenance page, a blocked path): the load balancer said no on
		// purpose, as HAProxy's LR-- (formats.md §3.2, §5.1).
		v.reason = sources.ReasonProxyRejected
		v.detail = fmt.Sprintf("a fixed-response rule answered %d: the load balancer's configured answer, no target was asked", c.status)
		return v
	}
	req, tgt, resp := c.times[0], c.times[1], c.times[2]
	switch c.status {
	case 502:
		switch {
		case req < 0 && tgt < 0 && resp < 0:
			v.reason = sources.ReasonRefused
			v.detail = "likely a failed connect: the target refused it (RST or ICMP unreachable) or the TLS handshake failed; AWS also logs -1 -1 -1 when the target closed the connection early"
		case req >= 0 && tgt >= 0 && resp < 0:
			v.reason = sources.ReasonReset
			v.detail = "the target closed the connection with the request outstanding (keep-alive timeout shorter than the load balancer's idle timeout, or a crash)"
		case req >= 0 && tgt >= 0 && resp >= 0:
			v.reason = sources.ReasonBadResponse
			v.detail = "likely a malformed response: the target sent something the load balancer could not use"
		}
	case 503:
		if c.target == "-" {
			v.reason = sources.ReasonNoLiveUpstreams
			v.detail = "no registered targets in the target group (when all targets are unhealthy ALB still routes to them)"
		}
	case 504:
		elapsed := c.total
		if elapsed < 0 {
			elapsed = req
		}
		d := time.Duration(elapsed * float64(time.Second))
		// A target time of 0 or more says the request was dispatched to
		// the target: connected, whatever the time ("no connection …"
		// beside target_processing_time 10.002 was QA s27's kind of
		// contradiction).
		if tgt < 0 && d >= connectTimeout-500*time.Millisecond && d < connectTimeout+time.Second {
			v.reason = sources.ReasonConnectTimeout
			v.detail = fmt.Sprintf("no connection to the target within ALB's 10 s connect timeout (%.3f s elapsed)", elapsed)
		} else {
			v.reason = sources.ReasonReadTimeout
			if elapsed >= 0 {
				v.detail = fmt.Sprintf("the target sent no response before the idle timeout (%.3f s elapsed)", elapsed)
			} else {
				v.detail = "the target sent no response before the idle timeout"
			}
		}
	case 460:
		v.reason = sources.ReasonClientAbort
		v.detail = "the client closed the connection before the idle timeout"
	case 463:
		v.reason = sources.ReasonProxyRejected
		v.detail = "more than 30 addresses in X-Forwarded-For"
	case 561:
		v.reason = sources.ReasonProxyRejected
		v.detail = "the identity provider returned an error during authentication"
	case 403:
		if lastAction(c.actions) == "waf" || strings.Contains(c.actions, "waf-failed") {
			v.reason = sources.ReasonProxyRejected
			v.detail = "blocked by AWS WAF"
		}
	}
	if v.reason == sources.ReasonNone && c.target == "-" && c.status >= 500 {
		v.detail = "not dispatched to a target"
	}
	return v
}

// errorReason maps error_reason codes (formats.md §5.2; their meanings are
// AWS's, from the error reason code table of the access log page that
// formats.md cites, with the CloudWatch metric each counts in:
// LambdaUserError or LambdaInternalError). formats.md §5.3 makes a 502
// with a Lambda code upstream_bad_response or app_error per code; the
// codes that are neither say so:
//   - The function's result: LambdaInvalidResponse (malformed or missing
//     fields) and LambdaResponseTooLarge (over 1 MB) are a bad response.
//   - The function's own failure, the load balancer made the status
//     (ReasonAppFailed, app_error): LambdaUnhandled (it threw),
//     LambdaThrottling (its concurrency, not the load balancer's limit),
//     and the function's own setup that kept it from starting, all
//     LambdaUserError: its runtime (LambdaInvalidRuntimeException), its
//     package (LambdaInvalidZipFileException), its VPC access
//     (LambdaInvalidSecurityGroupIDException, LambdaInvalidSubnetIDException,
//     LambdaENILimitReachedException, LambdaSubnetIPAddressLimitReachedException,
//     and EC2 denying, throttling or failing its network interface:
//     LambdaEC2AccessDeniedException, LambdaEC2ThrottledException,
//     LambdaEC2UnexpectedException), its KMS key for its environment
//     (LambdaKMS…Exception). None is "nothing is listening" (they were
//     upstream_refused).
//   - The load balancer's configuration, as Envoy's NC (ReasonConfig:
//     unknown, config): LambdaAccessDenied (it may not invoke the
//     function) and LambdaResourceNotFound (the registered function is
//     not there).
//   - The client's request, which Lambda cannot take (ReasonProxyRejected):
//     LambdaRequestTooLarge (a body over 1 MB), LambdaBadRequest (headers
//     or body not all UTF-8).
//   - Connecting to Lambda timed out (LambdaConnectionTimeout): a connect
//     timeout.
//   - AWS's own internal errors, LambdaInternalError, neither the
//     function's nor the configuration's, and no cause of fivexx's:
//     LambdaServiceException (Lambda's) and LambdaUnhandledException (the
//     load balancer's: it was app_error, "the function threw") give no
//     reason, and the classifier says unknown.
//
// A code not in the list gives no reason either, and its detail says the
// code is not known: unknown, not a guess (an unknown Lambda code was
// upstream_refused).
func errorReason(code string) (sources.Reason, string) {
	switch code {
	case "LambdaInvalidResponse":
		return sources.ReasonBadResponse, "the Lambda function's response was malformed or missing required fields"
	case "LambdaResponseTooLarge":
		return sources.ReasonBadResponse, "the Lambda function's response was over 1 MB"
	case "LambdaUnhandled":
		return sources.ReasonAppFailed, "the Lambda function threw an unhandled exception"
	case "LambdaThrottling":
		// The function's concurrency limit, not the load balancer's:
		// formats.md §5.3 makes a 502 with a Lambda code the function's
		// (app_error) unless its response was at fault.
		return sources.ReasonAppFailed, "Lambda throttled the invocation: the function's concurrency (its reserved concurrency or the account's limit) was used up"
	case "LambdaInvalidRuntimeException":
		return sources.ReasonAppFailed, "the Lambda function could not start: its runtime version is not supported"
	case "LambdaInvalidZipFileException":
		return sources.ReasonAppFailed, "the Lambda function could not start: Lambda could not unzip its deployment package"
	case "LambdaInvalidSecurityGroupIDException":
		return sources.ReasonAppFailed, "the Lambda function could not start: a security group ID in its VPC configuration is not valid"
	case "LambdaInvalidSubnetIDException":
		return sources.ReasonAppFailed, "the Lambda function could not start: a subnet ID in its VPC configuration is not valid"
	case "LambdaENILimitReachedException":
		return sources.ReasonAppFailed, "the Lambda function could not start: Lambda could not create a network interface in its VPC, the network interface limit was reached"
	case "LambdaSubnetIPAddressLimitReachedException":
		return sources.ReasonAppFailed, "the Lambda function could not start: a subnet of its VPC configuration has no free IP address"
	case "LambdaEC2AccessDeniedException":
		return sources.ReasonAppFailed, "the Lambda function could not start: EC2 denied Lambda access while it set up the function's VPC network interface"
	case "LambdaEC2ThrottledException":
		return sources.ReasonAppFailed, "the Lambda function could not start: EC2 throttled Lambda while it set up the function's VPC network interface"
	case "LambdaEC2UnexpectedException":
		return sources.ReasonAppFailed, "the Lambda function could not start: EC2 had an unexpected error while Lambda set up the function's VPC network interface"
	case "LambdaKMSAccessDeniedException":
		return sources.ReasonAppFailed, "the Lambda function could not start: access to the KMS key of its environment variables was denied"
	case "LambdaKMSDisabledException":
		return sources.ReasonAppFailed, "the Lambda function could not start: the KMS key of its environment variables is disabled"
	case "LambdaKMSInvalidStateException":
		return sources.ReasonAppFailed, "the Lambda function could not start: the KMS key of its environment variables is in a state that is not valid"
	case "LambdaKMSNotFoundException":
		return sources.ReasonAppFailed, "the Lambda function could not start: the KMS key of its environment variables was not found"
	case "LambdaAccessDenied":
		return sources.ReasonConfig, "the load balancer has no permission to invoke the Lambda function (configuration)"
	case "LambdaResourceNotFound":
		return sources.ReasonConfig, "the Lambda function registered in the target group was not found (configuration)"
	case "LambdaConnectionTimeout":
		return sources.ReasonConnectTimeout, "connecting to Lambda timed out"
	case "LambdaRequestTooLarge":
		return sources.ReasonProxyRejected, "the request is too large for Lambda"
	case "LambdaBadRequest":
		return sources.ReasonProxyRejected, "the request's headers or body were not all UTF-8, which Lambda cannot take"
	case "LambdaServiceException":
		return sources.ReasonNone, "Lambda had an internal error (AWS's side, counted as LambdaInternalError): neither the function's code nor the configuration"
	case "LambdaUnhandledException":
		return sources.ReasonNone, "the load balancer had an unhandled exception of its own invoking the function (AWS's side, counted as LambdaInternalError): not the function's"
	}
	switch {
	case strings.HasPrefix(code, "Auth"):
		return sources.ReasonProxyRejected, "the authenticate action failed"
	case strings.HasPrefix(code, "WAF"):
		return sources.ReasonProxyRejected, "the load balancer could not reach AWS WAF"
	case code == "AWSALBTGCookieInvalid" || code == "WeightedTargetGroupsUnhandledException":
		return sources.ReasonProxyRejected, "weighted target group routing failed"
	}
	return sources.ReasonNone, "not a code fivexx knows (AWS's list of error reason codes, formats.md §5.2): the cause is not guessed"
}

// split splits a line into fields: space-separated, '"'-quoted fields may
// hold spaces. It fills at most len(f) fields and returns how many there
// were; what is "" when the line splits, else why it does not: an
// unterminated quote before the request field, or a request, user agent
// or redirect URL whose end cannot be told (quotedEnd).
func split(s string, f *[nFields]string) (n int, what string) {
	for s != "" && n < len(f) {
		if s[0] == '"' {
			var end int
			switch n {
			case fRequest:
				end, what = requestEnd(s)
			case fUserAgent:
				end, what = quotedEnd(s, "user agent", userAgentFits, false, `ssl_cipher ssl_protocol target_group_arn "trace_id"`)
			case fRedirectURL:
				if strings.HasPrefix(s, `"-" `) {
					// No redirect (nearly every line): a "-" holds no
					// quote, and what follows is the later fields' own.
					end = 2
					break
				}
				end, what = quotedEnd(s, "redirect_url", redirectURLFits, true, `"error_reason" and the fields ALB writes after it`)
			default:
				end = closingQuote(s, 1)
			}
			if what != "" {
				return n, what
			}
			if end < 0 {
				if n <= fRequest {
					return n, "too few fields"
				}
				f[n] = s[1:]
				return n + 1, ""
			}
			f[n] = s[1:end]
			s = s[end+1:]
		} else {
			i := strings.IndexByte(s, ' ')
			if i < 0 {
				i = len(s)
			}
			f[n] = s[:i]
			s = s[i:]
		}
		n++
		if s != "" {
			if s[0] != ' ' {
				return n, "too few fields"
			}
			s = s[1:]
		}
	}
	return n, ""
}

// closingQuote returns the index of the '"' that ends the quoted field at
// the start of s, searching from from: the first one followed by a space
// or the end that no backslash escapes. A user agent holding `\"quoted\" x`
// ended at `\"` and every later field shifted by one: the trace id read as
// the target group's ARN, the request creation time was lost (QA s27).
func closingQuote(s string, from int) int {
	for from < len(s) {
		j := strings.IndexByte(s[from:], '"')
		if j < 0 {
			return -1
		}
		i := from + j
		if (i+1 == len(s) || s[i+1] == ' ') && !escaped(s, i) {
			return i
		}
		from = i + 1
	}
	return -1
}

// quotedEnd returns the index of the '"' that ends the quoted field at
// the start of s (the user agent or the redirect URL; the request's is
// requestEnd), or why it cannot tell.
//
// ALB escapes a '"' in those fields, but a line copied through another
// tool may hold it raw (`"Mozilla "quoted" x"`, `"GET /a" b HTTP/1.1"`,
// a redirect to `https://h/a" b`): its first `" ` ended the field early,
// and every field after it moved one place on (the trace id, the request
// creation time, the error reason). The field and the fields after it
// have a known shape (fits), which the field cut at a '"' inside it does
// not have: the field ends at the one '"' where it fits. A field with a
// single closing quote takes that one. Several places that each fit (a
// field that holds that shape itself), or none of several, cannot be
// told apart: the line is not read rather than read wrong. preferPlain
// takes, among several places that fit, the one where the field holds no
// `" "` (a quote, a space and a quote: what the end of one quoted field
// and the start of the next look like), when there is one: for the
// redirect URL, whose later fields older logs lack, so that a line
// without a raw quote in it fits at every `" "` (see redirectURLFits).
// At most one place is so: every later one holds that `" "`.
func quotedEnd(s, field string, fits func(s string, end int) bool, preferPlain bool, follows string) (int, string) {
	first := closingQuote(s, 1)
	if first < 0 || first+1 == len(s) {
		return first, ""
	}
	end, n, others := first, 0, false
	plain, nPlain := -1, 0
	for i := first; i >= 0; i = closingQuote(s, i+1) {
		if i != first {
			others = true
		}
		if fits(s, i) {
			if n == 0 {
				end = i
			}
			n++
			if !strings.Contains(s[1:i], `" "`) {
				plain = i
				nPlain++
			}
		}
	}
	switch {
	case n == 1 || !others:
		return end, ""
	case n > 1 && preferPlain && nPlain == 1:
		return plain, ""
	case n > 1:
		return -1, `a '"' inside the ` + field + `, and more than one place where it may end`
	}
	return -1, `a '"' inside the ` + field + `, and no ` + follows + ` after any place where it may end`
}

// userAgentFits reports whether the user agent quoted at the start of s
// may end at s[end]: ssl_cipher ssl_protocol target_group_arn "trace_id"
// follow.
func userAgentFits(s string, end int) bool {
	return afterUserAgent(s[end+1:])
}

// requestEnd returns the index of the '"' that ends the quoted request
// at the start of s, or why it cannot tell (quotedEnd says why a raw '"'
// needs it). The request ends with its protocol (HTTP/1.1, or "-" where
// ALB could not read it), which a '"' inside its URL is not preceded by
// (`"GET /a" b HTTP/1.1"`): it ends at the one closing quote so preceded.
// Where several are (`"GET /a HTTP/1.1" "b HTTP/1.1"`), it ends at the
// one the quoted user agent follows with ssl_cipher ssl_protocol
// target_group_arn "trace_id" after it, and the line is not read when
// that is several or none. A request without the protocol's shape (none
// ALB writes) ends at its first closing quote, as before.
func requestEnd(s string) (int, string) {
	first := closingQuote(s, 1)
	if first < 0 || first+1 == len(s) {
		return first, ""
	}
	shaped, firstShaped := 0, -1
	for i := first; i >= 0; i = closingQuote(s, i+1) {
		if endsWithProtocol(s[1:i]) {
			if shaped++; shaped == 1 {
				firstShaped = i
			}
		}
	}
	switch shaped {
	case 0:
		return first, ""
	case 1:
		// What follows is the user agent's to judge (userAgentEnd).
		return firstShaped, ""
	}
	fits, end := 0, -1
	for i := firstShaped; i >= 0; i = closingQuote(s, i+1) {
		if endsWithProtocol(s[1:i]) && userAgentFollows(s[i+1:]) {
			if fits++; fits == 1 {
				end = i
			}
		}
	}
	switch {
	case fits == 1:
		return end, ""
	case fits > 1:
		return -1, `a '"' inside the request, and more than one place where it may end`
	}
	return -1, `a '"' inside the request, and no "user_agent" ssl_cipher ssl_protocol target_group_arn "trace_id" after any place where it may end`
}

// endsWithProtocol reports whether a request ends as ALB writes one: a
// space and its protocol (HTTP/1.1, HTTP/2.0) or "-".
func endsWithProtocol(req string) bool {
	sp := strings.LastIndexByte(req, ' ')
	return sp >= 0 && (req[sp+1:] == "-" || strings.HasPrefix(req[sp+1:], "HTTP/"))
}

// userAgentFollows reports whether s (from the space after a request's
// closing quote) starts with a quoted user agent that ssl_cipher
// ssl_protocol target_group_arn "trace_id" follow.
func userAgentFollows(s string) bool {
	ua, ok := strings.CutPrefix(s, " ")
	if !ok || ua == "" || ua[0] != '"' {
		return false
	}
	for i := closingQuote(ua, 1); i >= 0; i = closingQuote(ua, i+1) {
		if userAgentFits(ua, i) {
			return true
		}
	}
	return false
}

// redirectURLFits reports whether the redirect URL quoted at the start of
// s may end at s[end]: it is "-" or an http or https URL, and the fields
// after it are ALB's, in the groups AWS added them in: "error_reason";
// then "target:port_list" "target_status_code_list" (quoted or not, as
// older logs write them); then "classification" "classification_reason";
// then conn_trace_id and whatever later fields follow. A line without a
// raw quote in the URL fits there and, when the line ends before
// conn_trace_id, also where the URL would hold the next group of fields
// ("https://h/" "-" "-" "-": the URL `https://h/" "-" "-` with the error
// reason alone). quotedEnd takes the place where the URL holds no `" "`
// then: a URL holding a quote, a space and a quote is the rare reading.
func redirectURLFits(s string, end int) bool {
	url := s[1:end]
	if url != "-" && !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") {
		return false
	}
	rest := s[end+1:]
	v, quoted, rest, ok := tailField(rest)
	if !ok || !quoted || !isCode(v) {
		return false
	}
	if rest == "" {
		return true
	}
	if v, _, rest, ok = tailField(rest); !ok || !isTargetList(v) {
		return false
	}
	if v, _, rest, ok = tailField(rest); !ok || !isStatusList(v) {
		return false
	}
	if rest == "" {
		return true
	}
	if v, quoted, rest, ok = tailField(rest); !ok || !quoted || (v != "-" && v != "Acceptable" && v != "Ambiguous" && v != "Severe") {
		return false
	}
	if v, quoted, rest, ok = tailField(rest); !ok || !quoted || !isCode(v) {
		return false
	}
	if rest == "" {
		return true
	}
	v, quoted, _, ok = tailField(rest)
	return ok && !quoted && (v == "-" || strings.HasPrefix(v, "TID_"))
}

// tailField splits the field at the start of s, after its separating
// space: quoted (holding no '"') or not; ok is false when s holds none.
func tailField(s string) (v string, quoted bool, rest string, ok bool) {
	s, ok = strings.CutPrefix(s, " ")
	if !ok || s == "" {
		return "", false, "", false
	}
	if s[0] == '"' {
		q := strings.IndexByte(s[1:], '"')
		if q < 0 {
			return "", false, "", false
		}
		v, rest = s[1:1+q], s[2+q:]
		quoted = true
	} else {
		v, rest, _ = strings.Cut(s, " ")
		if len(v) < len(s) {
			rest = s[len(v):]
		}
	}
	if rest != "" && rest[0] != ' ' {
		return "", false, "", false
	}
	return v, quoted, rest, true
}

// isCode reports whether s is "-" or a code (LambdaInvalidResponse,
// AuthInvalidCookie, a classification reason).
func isCode(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// isTargetList reports whether s is "-" or a space-separated list of
// target addresses (10.0.1.20:8080, [2001:db8::1]:80; redacted ones
// hold '*').
func isTargetList(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':' || c == '[' || c == ']' || c == ' ' || c == '*' || c == '-') {
			return false
		}
	}
	return true
}

// isStatusList reports whether s is "-" or a space-separated list of
// status codes.
func isStatusList(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c == ' ' || c == '-') {
			return false
		}
	}
	return true
}

// afterUserAgent reports whether s (from the space after a user agent's
// closing quote) starts with ssl_cipher ssl_protocol target_group_arn and
// the trace id's opening quote, as ALB writes them: "-" or a cipher name,
// "-" or a protocol name, "-" or an ARN.
func afterUserAgent(s string) bool {
	var tok [3]string
	for i := range tok {
		if s == "" || s[0] != ' ' {
			return false
		}
		s = s[1:]
		j := strings.IndexByte(s, ' ')
		if j < 0 {
			j = len(s)
		}
		tok[i], s = s[:j], s[j:]
	}
	if !isName(tok[0]) || !isName(tok[1]) || (tok[2] != "-" && !strings.HasPrefix(tok[2], "arn:")) {
		return false
	}
	return s == "" || strings.HasPrefix(s, ` "`)
}

// isName reports whether s is "-" or a cipher or protocol name
// (ECDHE-RSA-AES128-GCM-SHA256, TLSv1.2, TLS_AES_128_GCM_SHA256).
func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// escaped says whether s[i] follows an odd run of backslashes.
func escaped(s string, i int) bool {
	n := 0
	for j := i - 1; j > 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// seconds parses a processing time: seconds with ms precision, or -1.
func seconds(s string) (float64, bool) {
	if s == "-1" {
		return -1, true
	}
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 {
		return 0, false
	}
	return v, true
}

// status parses a status code; "-" is 0.
func status(s string) (int, bool) {
	if s == "-" {
		return 0, true
	}
	if len(s) != 3 || !isCount(s) {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, true
}

// isCount reports whether s is a non-empty run of digits.
func isCount(s string) bool {
	if s == "" || len(s) > 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// splitRequest splits "METHOD scheme://host:port/uri PROTO" into method,
// path (with query), protocol and host. ALB logs "- http://host:80- -" for
// a request it could not parse.
func splitRequest(r string) (method, path, proto, host string) {
	i := strings.IndexByte(r, ' ')
	if i < 0 {
		return "", dash(r), "", ""
	}
	method, r = dash(r[:i]), r[i+1:]
	if j := strings.LastIndexByte(r, ' '); j >= 0 {
		r, proto = r[:j], dash(r[j+1:])
	}
	url := r
	if k := strings.Index(url, "://"); k >= 0 {
		url = url[k+3:]
		slash := strings.IndexByte(url, '/')
		if slash < 0 {
			host, url = url, "/"
		} else {
			host, url = url[:slash], url[slash:]
		}
		if h, p := splitHostPort(host); p != "" {
			host = h
		}
		host = strings.TrimSuffix(host, "-")
	}
	return method, url, proto, host
}

// splitHostPort splits "ip:port" or "[v6]:port"; "-" gives "".
func splitHostPort(s string) (host, port string) {
	if s == "-" {
		return "", ""
	}
	i := strings.LastIndexByte(s, ':')
	if i <= 0 || !isCount(s[i+1:]) {
		return s, ""
	}
	host, port = s[:i], s[i+1:]
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	return host, port
}

// traceRoot returns the Root= value of an X-Amzn-Trace-Id, or the whole
// value when it has none.
func traceRoot(v string) string {
	v = dash(v)
	for _, part := range strings.Split(v, ";") {
		if r, ok := strings.CutPrefix(part, "Root="); ok {
			return r
		}
	}
	return v
}

// targetGroupName returns NAME from
// arn:aws:elasticloadbalancing:…:targetgroup/NAME/ID.
func targetGroupName(arn string) string {
	i := strings.Index(arn, "targetgroup/")
	if i < 0 {
		return ""
	}
	name := arn[i+len("targetgroup/"):]
	if j := strings.IndexByte(name, '/'); j >= 0 {
		name = name[:j]
	}
	return name
}

// lastAction returns the last of the comma-separated actions.
func lastAction(actions string) string {
	if i := strings.LastIndexByte(actions, ','); i >= 0 {
		return actions[i+1:]
	}
	return actions
}

// dash turns ALB's "-" (no value) into "".
func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

func cutText(s string) string {
	if len(s) > 20 {
		return s[:20] + "…"
	}
	return s
}

// detect scores a line: 100 for an ALB access log entry.
func detect(line string) int {
	var p Parser
	if _, err := p.parse(line); err != nil {
		return 0
	}
	return 100
}
