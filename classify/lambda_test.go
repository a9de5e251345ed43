package classify

import (
	"slices"
	"strings"
	"testing"

	"fivexx/sources"
	"fivexx/sources/alb"
)

// TestLambdaTargetFailures judges ALB entries whose error_reason names
// their Lambda target's failure (QA s27 #2, #3). LambdaThrottling is the
// function's concurrency limit, not the load balancer's limiter: it was
// proxy_rejected with nginx's "limit_req" hint. LambdaUnhandled's
// evidence said "target_processing_time -1: the upstream sent a response
// header", and its hint "the app answered 500 itself": the function
// threw, the load balancer answered. formats.md §5.3: a 502 with a
// Lambda code is upstream_bad_response or app_error per code.
func TestLambdaTargetFailures(t *testing.T) {
	const (
		head = `http 2024-01-02T03:05:15.100000Z app/web/50dc6c495c0c9188 203.0.113.9:51011 - 0.000 `
		tail = ` - 34 366 "GET http://api.example.com:80/l HTTP/1.1" "curl/8.4.0" - - arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-65937a41-0123456789abcdef01230011" "-" "-" 0 2024-01-02T03:05:15.100000Z "forward" "-" "`
	)
	format, ok := sources.LookupFormat("alb")
	if !ok {
		t.Fatal("no alb format")
	}
	tests := []struct {
		times, status, reason string
		cause                 Cause
		conf                  Confidence
		hint                  string // a prefix
	}{
		{"-1 -1", "502", "LambdaThrottling", AppError, High,
			"the Lambda function of target group web was throttled: its concurrency was used up, the function's reserved concurrency or the account's limit"},
		{"-1 -1", "500", "LambdaUnhandled", AppError, High,
			"the Lambda function of target group web threw an unhandled exception"},
		{"0.230 0.000", "502", "LambdaUnhandled", AppError, High,
			"the Lambda function of target group web threw an unhandled exception"},
		{"0.001 0.000", "502", "LambdaInvalidResponse", UpstreamBadResponse, High,
			"the Lambda function of target group web returned a result the load balancer could not use"},
		{"0.001 0.000", "502", "LambdaResponseTooLarge", UpstreamBadResponse, High,
			"the Lambda function of target group web returned a result over 1 MB"},
		// The function's own setup kept it from starting (AWS counts them
		// LambdaUserError): app_error in its words, not upstream_refused's
		// "nothing is listening".
		{"-1 -1", "502", "LambdaEC2ThrottledException", AppError, High,
			"the Lambda function of target group web could not start: EC2 throttled Lambda while it set up the function's network interface"},
		{"-1 -1", "502", "LambdaEC2AccessDeniedException", AppError, High,
			"the Lambda function of target group web could not start: EC2 denied Lambda"},
		{"-1 -1", "502", "LambdaEC2UnexpectedException", AppError, High,
			"the Lambda function of target group web could not start: EC2 had an unexpected error"},
		{"-1 -1", "502", "LambdaENILimitReachedException", AppError, High,
			"the Lambda function of target group web could not start: Lambda could not create a network interface in its VPC"},
		{"-1 -1", "502", "LambdaSubnetIPAddressLimitReachedException", AppError, High,
			"the Lambda function of target group web could not start: a subnet of its VPC configuration has no free IP address"},
		{"-1 -1", "502", "LambdaInvalidSecurityGroupIDException", AppError, High,
			"the Lambda function of target group web could not start: a security group ID in its VPC configuration is not valid"},
		{"-1 -1", "502", "LambdaInvalidSubnetIDException", AppError, High,
			"the Lambda function of target group web could not start: a subnet ID in its VPC configuration is not valid"},
		{"-1 -1", "502", "LambdaInvalidRuntimeException", AppError, High,
			"the Lambda function of target group web could not start: its runtime version is not supported"},
		{"-1 -1", "502", "LambdaInvalidZipFileException", AppError, High,
			"the Lambda function of target group web could not start: Lambda could not unzip its deployment package"},
		{"-1 -1", "502", "LambdaKMSAccessDeniedException", AppError, High,
			"the Lambda function of target group web could not start: it was denied the KMS key that decrypts its environment variables"},
		{"-1 -1", "502", "LambdaKMSDisabledException", AppError, High,
			"the Lambda function of target group web could not start: the KMS key that decrypts its environment variables is disabled"},
		{"-1 -1", "502", "LambdaKMSInvalidStateException", AppError, High,
			"the Lambda function of target group web could not start: the KMS key that decrypts its environment variables is in a state that is not valid"},
		{"-1 -1", "502", "LambdaKMSNotFoundException", AppError, High,
			"the Lambda function of target group web could not start: the KMS key that decrypts its environment variables was not found"},
		// The load balancer's configuration, as Envoy's NC: unknown, config.
		{"-1 -1", "502", "LambdaAccessDenied", Unknown, Low,
			"the load balancer may not invoke the Lambda function of target group web: its resource-based policy must allow elasticloadbalancing.amazonaws.com lambda:InvokeFunction"},
		{"-1 -1", "502", "LambdaResourceNotFound", Unknown, Low,
			"the Lambda function of target group web was not found"},
		// AWS's own internal errors (LambdaInternalError): no cause of
		// fivexx's; LambdaUnhandledException is the load balancer's, not
		// the function's (it was app_error, "threw an unhandled exception").
		{"-1 -1", "502", "LambdaServiceException", Unknown, Low,
			"Lambda had an internal error invoking the Lambda function of target group web (LambdaServiceException, counted as LambdaInternalError)"},
		{"-1 -1", "502", "LambdaUnhandledException", Unknown, Low,
			"the load balancer had an unhandled exception of its own invoking the Lambda function of target group web"},
		// The client's request.
		{"-1 -1", "502", "LambdaBadRequest", ProxyRejected, High,
			"the request's headers or body were not all UTF-8, which Lambda cannot take"},
		// A code fivexx does not know: said so, not guessed (it was
		// upstream_refused, "could not be invoked").
		{"-1 -1", "502", "LambdaSomethingNew", Unknown, Low,
			"error_reason LambdaSomethingNew is not a code fivexx knows"},
		{"-1 -1", "504", "LambdaConnectionTimeout", UpstreamTimeout, High,
			"connecting to Lambda timed out, invoking the Lambda function of target group web"},
		{"-1 -1", "413", "LambdaRequestTooLarge", ProxyRejected, High,
			"the request body was over the 1 MB a Lambda target takes"},
	}
	for _, tt := range tests {
		t.Run(tt.reason+" "+tt.status, func(t *testing.T) {
			line := head + tt.times + " " + tt.status + tail + tt.reason + `" "-" "-" "-" "-" TID_abc11`
			rec, err := alb.NewParser().Parse(line)
			if err != nil {
				t.Fatal(err)
			}
			e := rec.(*sources.ProxyEntry)
			// An app log with no line for it: an unknown code was
			// guessed "never reached the app", upstream_refused.
			v := judge(evidence{e: e, kind: "alb", format: "alb", names: format.Names, appLog: true})
			if v.Cause != tt.cause || v.Confidence != tt.conf {
				t.Errorf("%s %s, want %s %s; evidence %q", v.Cause, v.Confidence, tt.cause, tt.conf, v.Evidence)
			}
			if !strings.HasPrefix(v.Hint, tt.hint) {
				t.Errorf("hint %q, want %q…", v.Hint, tt.hint)
			}
			for _, w := range []string{"limit_req", "the proxy", "the app answered", "ss -ltnp", "firewall", "fixed-response"} {
				if strings.Contains(v.Hint, w) {
					t.Errorf("hint %q speaks of %q", v.Hint, w)
				}
			}
			if reason := "error_reason " + tt.reason + ": "; !slices.ContainsFunc(v.Evidence, func(l string) bool { return strings.HasPrefix(l, reason) }) {
				t.Errorf("evidence %q lacks a line %q…", v.Evidence, reason)
			}
			// No target answered: the fields line must not say a
			// response header came, least of all beside a -1.
			fields := "target -, target_status_code -, target_processing_time " + strings.Fields(tt.times)[0] + ": no response header arrived"
			if !slices.Contains(v.Evidence, fields) {
				t.Errorf("evidence %q lacks %q", v.Evidence, fields)
			}
		})
	}
}

// TestLambdaHintOnlyForALBLambda: the Lambda words are kept for ALB
// entries whose error_reason is a Lambda code.
func TestLambdaHintOnlyForALBLambda(t *testing.T) {
	for _, c := range []struct {
		kind, flags string
	}{
		{"alb", ""},
		{"alb", "AuthInvalidCookie"},
		{"alb", "WAFConnectionError"},
		{"envoy", "LambdaThrottling"},
		{"haproxy", "sQ--"},
	} {
		if h := lambdaHint(c.kind, &sources.ProxyEntry{Flags: c.flags, Upstream: "web"}); h != "" {
			t.Errorf("lambdaHint(%s, %q) = %q, want none", c.kind, c.flags, h)
		}
	}
}
