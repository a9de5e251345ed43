package alb

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

// Lines marked [real] are AWS's documentation examples (each joined onto
// one line) and entries published in issue threads and parsers' test data;
// [built] lines use the documented layout with chosen values. Sources are in
// testdata/formats/alb/SOURCES.md.

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		line string
		want *sources.ProxyEntry
	}{
		{
			name: "HTTP entry [real, AWS docs]",
			line: `http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2018, 7, 2, 22, 23, 0, 186641000, time.UTC),
				Client:            "192.168.131.39",
				ClientPort:        "2817",
				Method:            "GET",
				Path:              "/",
				Proto:             "HTTP/1.1",
				Host:              "www.example.com",
				UserAgent:         "curl/7.46.0",
				Status:            200,
				BodyBytes:         -1,
				RequestTime:       11.822641,
				RequestID:         "1-58337262-36d228ad5d99923122bbe354",
				UpstreamAddr:      []string{"10.0.0.1:80"},
				UpstreamStatus:    []string{"200"},
				UpstreamHeader:    []string{"0.001"},
				UpstreamStatusRaw: "200",
				Upstream:          "10.0.0.1:80",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "HTTPS entry, authenticate,forward [real, AWS docs]",
			line: `https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 "GET https://www.example.com:443/ HTTP/1.1" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337281-1d84f3d73c47ec4e58577259" "www.example.com" "arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012" 1 2018-07-02T22:22:48.364000Z "authenticate,forward" "-" "-"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2018, 7, 2, 22, 23, 0, 186641000, time.UTC),
				Client:            "192.168.131.39",
				ClientPort:        "2817",
				Method:            "GET",
				Path:              "/",
				Proto:             "HTTP/1.1",
				Host:              "www.example.com",
				UserAgent:         "curl/7.46.0",
				Status:            200,
				BodyBytes:         -1,
				RequestTime:       11.822641,
				RequestID:         "1-58337281-1d84f3d73c47ec4e58577259",
				UpstreamAddr:      []string{"10.0.0.1:80"},
				UpstreamStatus:    []string{"200"},
				UpstreamHeader:    []string{"0.048"},
				UpstreamStatusRaw: "200",
				Upstream:          "10.0.0.1:80",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "HTTP/2 entry, redirect [real, AWS docs]",
			line: `h2 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 10.0.1.252:48160 10.0.0.66:9000 0.000 0.002 0.000 200 200 5 257 "GET https://10.0.2.105:773/ HTTP/2.0" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337327-72bd00b0343d75b906739c42" "-" "-" 1 2018-07-02T22:22:48.364000Z "redirect" "https://example.com:80/" "-"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2018, 7, 2, 22, 23, 0, 186641000, time.UTC),
				Client:            "10.0.1.252",
				ClientPort:        "48160",
				Method:            "GET",
				Path:              "/",
				Proto:             "HTTP/2.0",
				Host:              "10.0.2.105",
				UserAgent:         "curl/7.46.0",
				Status:            200,
				BodyBytes:         -1,
				RequestTime:       11.822641,
				RequestID:         "1-58337327-72bd00b0343d75b906739c42",
				UpstreamAddr:      []string{"10.0.0.66:9000"},
				UpstreamStatus:    []string{"200"},
				UpstreamHeader:    []string{"0.002"},
				UpstreamStatusRaw: "200",
				Upstream:          "10.0.0.66:9000",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "WebSockets entry [real, AWS docs]",
			line: `ws 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 10.0.0.140:40914 10.0.1.192:8010 0.001 0.003 0.000 101 101 218 587 "GET http://10.0.0.30:80/ HTTP/1.1" "-" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337364-23a8c76965a2ef7629b185e3" "-" "-" 1 2018-07-02T22:22:48.364000Z "forward" "-" "-"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2018, 7, 2, 22, 23, 0, 186641000, time.UTC),
				Client:            "10.0.0.140",
				ClientPort:        "40914",
				Method:            "GET",
				Path:              "/",
				Proto:             "HTTP/1.1",
				Host:              "10.0.0.30",
				Status:            101,
				BodyBytes:         -1,
				RequestTime:       11.822641,
				RequestID:         "1-58337364-23a8c76965a2ef7629b185e3",
				UpstreamAddr:      []string{"10.0.1.192:8010"},
				UpstreamStatus:    []string{"101"},
				UpstreamHeader:    []string{"0.003"},
				UpstreamStatusRaw: "101",
				Upstream:          "10.0.1.192:8010",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "Lambda target that answered: target \"-\" with a status [real, AWS docs]",
			line: `http 2018-11-30T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 - 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337364-23a8c76965a2ef7629b185e3" "-" "-" 0 2018-11-30T22:22:48.364000Z "forward" "-" "-"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2018, 11, 30, 22, 23, 0, 186641000, time.UTC),
				Client:            "192.168.131.39",
				ClientPort:        "2817",
				Method:            "GET",
				Path:              "/",
				Proto:             "HTTP/1.1",
				Host:              "www.example.com",
				UserAgent:         "curl/7.46.0",
				Status:            200,
				BodyBytes:         -1,
				RequestTime:       11.822641,
				RequestID:         "1-58337364-23a8c76965a2ef7629b185e3",
				UpstreamAddr:      []string{"-"},
				UpstreamStatus:    []string{"200"},
				UpstreamHeader:    []string{"0.001"},
				UpstreamStatusRaw: "200",
				Upstream:          "my-targets",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "Lambda target failed: LambdaInvalidResponse [real, AWS docs]",
			line: `http 2018-11-30T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 - 0.000 0.001 0.000 502 - 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337364-23a8c76965a2ef7629b185e3" "-" "-" 0 2018-11-30T22:22:48.364000Z "forward" "-" "LambdaInvalidResponse"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2018, 11, 30, 22, 23, 0, 186641000, time.UTC),
				Client:            "192.168.131.39",
				ClientPort:        "2817",
				Method:            "GET",
				Path:              "/",
				Proto:             "HTTP/1.1",
				Host:              "www.example.com",
				UserAgent:         "curl/7.46.0",
				Status:            502,
				BodyBytes:         -1,
				RequestTime:       11.822641,
				RequestID:         "1-58337364-23a8c76965a2ef7629b185e3",
				UpstreamAddr:      []string{"-"},
				UpstreamStatus:    []string{"-"},
				UpstreamHeader:    []string{"0.001"},
				UpstreamStatusRaw: "-",
				Upstream:          "my-targets",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonBadResponse,
				Flags:             "LambdaInvalidResponse",
				Detail:            "the Lambda function's response was malformed or missing required fields",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags,
			},
		},
		{
			name: "460: the client closed early [real, filebeat test data]",
			line: `http 2019-10-11T15:01:12.376735Z app/filebeat-aws-elb-test/c86a326e7dc14222 81.2.69.193:56398 10.0.0.192:80 -1 -1 -1 460 - 125 0 "GET http://filebeat-aws-elb-test-12030537.eu-central-1.elb.amazonaws.com:80/ HTTP/1.1" "curl/7.58.0" - - arn:aws:elasticloadbalancing:eu-central-1:627959692251:targetgroup/test-lb-instances/8f04c4fe71f5f794 "Root=1-5da09932-2c342a443bfb96249aa50ed7" "-" "-" 0 2019-10-11T15:01:06.657000Z "forward" "-" "-"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2019, 10, 11, 15, 1, 12, 376735000, time.UTC),
				Client:            "81.2.69.193",
				ClientPort:        "56398",
				Method:            "GET",
				Path:              "/",
				Proto:             "HTTP/1.1",
				Host:              "filebeat-aws-elb-test-12030537.eu-central-1.elb.amazonaws.com",
				UserAgent:         "curl/7.58.0",
				Status:            460,
				BodyBytes:         -1,
				RequestTime:       5.719735,
				RequestID:         "1-5da09932-2c342a443bfb96249aa50ed7",
				UpstreamAddr:      []string{"10.0.0.192:80"},
				UpstreamStatus:    []string{"-"},
				UpstreamHeader:    []string{"-1"},
				UpstreamStatusRaw: "-",
				Upstream:          "10.0.0.192:80",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonClientAbort,
				Detail:            "the client closed the connection before the idle timeout",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "503 with target \"-\": no registered targets, 25 fields [real, Loki test data]",
			line: `http 2020-06-05T07:27:53.050517Z app/test/71e8c05ca6c6aed2 172.31.46.45:55956 - -1 -1 -1 503 - 120 353 "GET http://internal-test-1309439803.us-east-1.elb.amazonaws.com:80/test HTTP/1.1" "curl/7.58.0" - - arn:aws:elasticloadbalancing:us-east-1:042533238291:targetgroup/test2/5d656dfb418fc377 "Root=1-5ed9f3f9-38a5d3c63d696c3c9a19a95e" "-" "-" 0 2020-06-05T07:27:53.050000Z "forward" "-" "-" "-" "-"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2020, 6, 5, 7, 27, 53, 50517000, time.UTC),
				Client:            "172.31.46.45",
				ClientPort:        "55956",
				Method:            "GET",
				Path:              "/test",
				Proto:             "HTTP/1.1",
				Host:              "internal-test-1309439803.us-east-1.elb.amazonaws.com",
				UserAgent:         "curl/7.58.0",
				Status:            503,
				BodyBytes:         -1,
				RequestTime:       0.000517,
				RequestID:         "1-5ed9f3f9-38a5d3c63d696c3c9a19a95e",
				UpstreamAddr:      []string{"-"},
				UpstreamStatus:    []string{"-"},
				UpstreamHeader:    []string{"-1"},
				UpstreamStatusRaw: "-",
				Upstream:          "test2",
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonNoLiveUpstreams,
				Detail:            "no registered targets in the target group (when all targets are unhealthy ALB still routes to them)",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "504 after 10 s with -1 -1 -1: connect timeout to a draining target [real, issue thread]",
			line: `h2 2023-01-07T09:22:52.872365Z app/k8s-apidev-95472999b0/xxxxxxxxxx 202.102.17.226:24502 10.0.2.61:1325 -1 -1 -1 504 - 49 202 "GET https://example-api.cn:443/prefix-jiameng-api/ HTTP/2.0" "curl/7.79.1" ECDHE-RSA-XXXX-GCM-SHA256 TLSv1.2 arn:aws-cn:elasticloadbalancing:cn-northwest-1:xxxxxxx:targetgroup/k8s-dev-jiamenga-edb70a94b9/081fxxxxxxxx "Root=1-63b939e2-312611fa7a64f07e63d24099" "exxample-api.cn" "arn:aws-cn:acm:cn-northwest-1:xxxxxxx:certificate/e38c0d37-5c2f-4988-81c0-xxxxxxxx" 1 2023-01-07T09:22:42.870000Z "forward" "-" "-" "10.0.2.61:1325" "-" "-" "-"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2023, 1, 7, 9, 22, 52, 872365000, time.UTC),
				Client:            "202.102.17.226",
				ClientPort:        "24502",
				Method:            "GET",
				Path:              "/prefix-jiameng-api/",
				Proto:             "HTTP/2.0",
				Host:              "example-api.cn",
				UserAgent:         "curl/7.79.1",
				Status:            504,
				BodyBytes:         -1,
				RequestTime:       10.002365,
				RequestID:         "1-63b939e2-312611fa7a64f07e63d24099",
				UpstreamAddr:      []string{"10.0.2.61:1325"},
				UpstreamStatus:    []string{"-"},
				UpstreamHeader:    []string{"-1"},
				UpstreamStatusRaw: "-",
				Upstream:          "10.0.2.61:1325",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonConnectTimeout,
				Detail:            "no connection to the target within ALB's 10 s connect timeout (10.002 s elapsed)",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "200 waf,forward with conn_trace_id [real, redacted by source]",
			line: `http 2024-05-28T13:34:14.804475Z app/**/7bba4eaafdb3bbc6 18.180.78.**:42088 172.31.11.**:80 0.006 0.000 0.000 200 200 115 124 "GET http://alb-**.ap-northeast-1.elb.amazonaws.com:80/ HTTP/1.1" "curl/8.5.0" - - arn:aws:elasticloadbalancing:ap-northeast-1:**:targetgroup/**/f8e61ed9c1a9**** "Root=1-6655dd56-7bd889385aff85131b10****" "-" "-" 0 2024-05-28T13:34:14.797000Z "waf,forward" "-" "-" "172.31.11.**:80" "200" "-" "-" TID_dc57cebed65b444ebc8177bb698fe166`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 5, 28, 13, 34, 14, 804475000, time.UTC),
				Client:            "18.180.78.**",
				ClientPort:        "42088",
				Method:            "GET",
				Path:              "/",
				Proto:             "HTTP/1.1",
				Host:              "alb-**.ap-northeast-1.elb.amazonaws.com",
				UserAgent:         "curl/8.5.0",
				Status:            200,
				BodyBytes:         -1,
				RequestTime:       0.007475,
				RequestID:         "1-6655dd56-7bd889385aff85131b10****",
				UpstreamAddr:      []string{"172.31.11.**:80"},
				UpstreamStatus:    []string{"200"},
				UpstreamHeader:    []string{"0.000"},
				UpstreamStatusRaw: "200",
				Upstream:          "172.31.11.**:80",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "503 with target \"-\", 30 fields [real, falco plugin test data]",
			line: `http 2025-07-14T19:20:19.723971Z app/falco-plugin-test/2a734d996bad0aea 134.122.93.131:36872 - -1 -1 -1 503 - 141 337 "GET http://35.79.85.199:80/.env HTTP/1.1" "Mozilla/5.0; Keydrop.io/1.0(onlyscans.com/about);" - - arn:aws:elasticloadbalancing:ap-northeast-1:1234567890123:targetgroup/falco-plugin-elb-target/d13385018c2fab37 "Root=1-68755873-3a09c648672bada5548dc5d0" "-" "-" 0 2025-07-14T19:20:19.723000Z "forward" "-" "-" "-" "-" "-" "-" TID_2d650523100657438a47a1b30bdb606d`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2025, 7, 14, 19, 20, 19, 723971000, time.UTC),
				Client:            "134.122.93.131",
				ClientPort:        "36872",
				Method:            "GET",
				Path:              "/.env",
				Proto:             "HTTP/1.1",
				Host:              "35.79.85.199",
				UserAgent:         "Mozilla/5.0; Keydrop.io/1.0(onlyscans.com/about);",
				Status:            503,
				BodyBytes:         -1,
				RequestTime:       0.000971,
				RequestID:         "1-68755873-3a09c648672bada5548dc5d0",
				UpstreamAddr:      []string{"-"},
				UpstreamStatus:    []string{"-"},
				UpstreamHeader:    []string{"-1"},
				UpstreamStatusRaw: "-",
				Upstream:          "falco-plugin-elb-target",
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonNoLiveUpstreams,
				Detail:            "no registered targets in the target group (when all targets are unhealthy ALB still routes to them)",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "502 with 0.000 0.000 -1: keep-alive reset [real times and status, Korean blog; placeholders filled with the AWS docs' values]",
			line: `https 2020-10-20T05:44:56.555810Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.000 -1 502 - 723 679 "GET https://www.example.com:443/orders HTTP/1.1" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/86.0.4240.75 Safari/537.36" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-5f8e7a28-0a1b2c3d4e5f60718293a4b5" "www.example.com" "arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012" 1 2020-10-20T05:44:56.555000Z "forward" "-" "-" "10.0.0.1:80" "-" "-" "-"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2020, 10, 20, 5, 44, 56, 555810000, time.UTC),
				Client:            "192.168.131.39",
				ClientPort:        "2817",
				Method:            "GET",
				Path:              "/orders",
				Proto:             "HTTP/1.1",
				Host:              "www.example.com",
				UserAgent:         "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/86.0.4240.75 Safari/537.36",
				Status:            502,
				BodyBytes:         -1,
				RequestTime:       0.00081,
				RequestID:         "1-5f8e7a28-0a1b2c3d4e5f60718293a4b5",
				UpstreamAddr:      []string{"10.0.0.1:80"},
				UpstreamStatus:    []string{"-"},
				UpstreamHeader:    []string{"0.000"},
				UpstreamStatusRaw: "-",
				Upstream:          "10.0.0.1:80",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonReset,
				Detail:            "the target closed the connection with the request outstanding (keep-alive timeout shorter than the load balancer's idle timeout, or a crash)",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "502 with -1 -1 -1: failed connect, Self= and Root= trace id [built, docs layout]",
			line: `https 2024-01-02T03:04:05.123456Z app/web/50dc6c495c0c9188 203.0.113.9:51000 10.0.1.20:8080 -1 -1 -1 502 - 212 278 "GET https://api.example.com:443/checkout HTTP/1.1" "curl/8.4.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Self=1-65937a41-aaaaaaaaaaaaaaaaaaaaaaaa;Root=1-65937a41-0123456789abcdef01234560" "api.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" 1 2024-01-02T03:04:05.122000Z "forward" "-" "-" "10.0.1.20:8080" "-" "-" "-" TID_0123456789abcdef0123456789abcdef`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 1, 2, 3, 4, 5, 123456000, time.UTC),
				Client:            "203.0.113.9",
				ClientPort:        "51000",
				Method:            "GET",
				Path:              "/checkout",
				Proto:             "HTTP/1.1",
				Host:              "api.example.com",
				UserAgent:         "curl/8.4.0",
				Status:            502,
				BodyBytes:         -1,
				RequestTime:       0.001456,
				RequestID:         "1-65937a41-0123456789abcdef01234560",
				UpstreamAddr:      []string{"10.0.1.20:8080"},
				UpstreamStatus:    []string{"-"},
				UpstreamHeader:    []string{"-1"},
				UpstreamStatusRaw: "-",
				Upstream:          "10.0.1.20:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonRefused,
				Detail:            "likely a failed connect: the target refused it (RST or ICMP unreachable) or the TLS handshake failed; AWS also logs -1 -1 -1 when the target closed the connection early",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "504 after 60 s: idle timeout [built, formats.md §5.4]",
			line: `https 2024-01-02T03:05:05.123456Z app/web/50dc6c495c0c9188 203.0.113.9:51000 10.0.1.20:8080 0.001 -1 -1 504 - 212 278 "GET https://api.example.com:443/report HTTP/1.1" "curl/8.4.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-65937a41-0123456789abcdef01234567" "api.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" 1 2024-01-02T03:04:05.120000Z "forward" "-" "-" "10.0.1.20:8080" "-" "-" "-" TID_0123456789abcdef0123456789abcdef`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 1, 2, 3, 5, 5, 123456000, time.UTC),
				Client:            "203.0.113.9",
				ClientPort:        "51000",
				Method:            "GET",
				Path:              "/report",
				Proto:             "HTTP/1.1",
				Host:              "api.example.com",
				UserAgent:         "curl/8.4.0",
				Status:            504,
				BodyBytes:         -1,
				RequestTime:       60.003456,
				RequestID:         "1-65937a41-0123456789abcdef01234567",
				UpstreamAddr:      []string{"10.0.1.20:8080"},
				UpstreamStatus:    []string{"-"},
				UpstreamHeader:    []string{"-1"},
				UpstreamStatusRaw: "-",
				Upstream:          "10.0.1.20:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonReadTimeout,
				Detail:            "the target sent no response before the idle timeout (60.003 s elapsed)",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "503 from the target [built, docs layout]",
			line: `https 2024-01-02T03:06:05.020000Z app/web/50dc6c495c0c9188 203.0.113.9:51002 10.0.1.21:8080 0.000 0.012 0.000 503 503 212 310 "GET https://api.example.com:443/search HTTP/1.1" "curl/8.4.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-65937a41-0123456789abcdef01234568" "api.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" 1 2024-01-02T03:06:05.008000Z "forward" "-" "-" "10.0.1.21:8080" "503" "-" "-" TID_0123456789abcdef0123456789abcdef`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 1, 2, 3, 6, 5, 20000000, time.UTC),
				Client:            "203.0.113.9",
				ClientPort:        "51002",
				Method:            "GET",
				Path:              "/search",
				Proto:             "HTTP/1.1",
				Host:              "api.example.com",
				UserAgent:         "curl/8.4.0",
				Status:            503,
				BodyBytes:         -1,
				RequestTime:       0.012,
				RequestID:         "1-65937a41-0123456789abcdef01234568",
				UpstreamAddr:      []string{"10.0.1.21:8080"},
				UpstreamStatus:    []string{"503"},
				UpstreamHeader:    []string{"0.012"},
				UpstreamStatusRaw: "503",
				Upstream:          "10.0.1.21:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "500 from the target [built, docs layout]",
			line: `https 2024-01-02T03:07:05.050000Z app/web/50dc6c495c0c9188 203.0.113.9:51004 10.0.1.21:8080 0.000 0.045 0.000 500 500 212 310 "POST https://api.example.com:443/orders HTTP/1.1" "curl/8.4.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-65937a41-0123456789abcdef01234569" "api.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" 1 2024-01-02T03:07:05.005000Z "forward" "-" "-" "10.0.1.21:8080" "500" "-" "-" TID_0123456789abcdef0123456789abcdef`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 1, 2, 3, 7, 5, 50000000, time.UTC),
				Client:            "203.0.113.9",
				ClientPort:        "51004",
				Method:            "POST",
				Path:              "/orders",
				Proto:             "HTTP/1.1",
				Host:              "api.example.com",
				UserAgent:         "curl/8.4.0",
				Status:            500,
				BodyBytes:         -1,
				RequestTime:       0.045,
				RequestID:         "1-65937a41-0123456789abcdef01234569",
				UpstreamAddr:      []string{"10.0.1.21:8080"},
				UpstreamStatus:    []string{"500"},
				UpstreamHeader:    []string{"0.045"},
				UpstreamStatusRaw: "500",
				Upstream:          "10.0.1.21:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "403 blocked by WAF [built, docs layout]",
			line: `https 2024-01-02T03:08:05.010000Z app/web/50dc6c495c0c9188 198.51.100.20:40000 - 0.002 -1 -1 403 - 190 560 "GET https://api.example.com:443/wp-login.php HTTP/1.1" "sqlmap/1.7" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 - "Root=1-65937a41-0123456789abcdef0123456a" "api.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" 1 2024-01-02T03:08:05.008000Z "waf" "-" "-" "-" "-" "-" "-" TID_0123456789abcdef0123456789abcdef`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 1, 2, 3, 8, 5, 10000000, time.UTC),
				Client:            "198.51.100.20",
				ClientPort:        "40000",
				Method:            "GET",
				Path:              "/wp-login.php",
				Proto:             "HTTP/1.1",
				Host:              "api.example.com",
				UserAgent:         "sqlmap/1.7",
				Status:            403,
				BodyBytes:         -1,
				RequestTime:       0.002,
				RequestID:         "1-65937a41-0123456789abcdef0123456a",
				UpstreamAddr:      []string{"-"},
				UpstreamStatus:    []string{"-"},
				UpstreamHeader:    []string{"-1"},
				UpstreamStatusRaw: "-",
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonProxyRejected,
				Detail:            "blocked by AWS WAF",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "502 LambdaUnhandled: the function threw [built, docs layout]",
			line: `https 2024-01-02T03:09:05.020000Z app/web/50dc6c495c0c9188 203.0.113.9:51006 - 0.000 0.230 0.000 502 - 212 278 "GET https://api.example.com:443/lambda HTTP/1.1" "curl/8.4.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/fn/73e2d6bc24d8a067 "Root=1-65937a41-0123456789abcdef0123456b" "api.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" 2 2024-01-02T03:09:04.790000Z "forward" "-" "LambdaUnhandled" "-" "-" "-" "-" TID_0123456789abcdef0123456789abcdef`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 1, 2, 3, 9, 5, 20000000, time.UTC),
				Client:            "203.0.113.9",
				ClientPort:        "51006",
				Method:            "GET",
				Path:              "/lambda",
				Proto:             "HTTP/1.1",
				Host:              "api.example.com",
				UserAgent:         "curl/8.4.0",
				Status:            502,
				BodyBytes:         -1,
				RequestTime:       0.23,
				RequestID:         "1-65937a41-0123456789abcdef0123456b",
				UpstreamAddr:      []string{"-"},
				UpstreamStatus:    []string{"-"},
				UpstreamHeader:    []string{"0.230"},
				UpstreamStatusRaw: "-",
				Upstream:          "fn",
				UpstreamContacted: sources.Yes,
				// The function threw: no response header came, and the
				// reason says whose fault it is (QA s27 #3: "the upstream
				// sent a response header" beside target_processing_time -1).
				UpstreamAnswered: sources.No,
				Reason:           sources.ReasonAppFailed,
				Flags:            "LambdaUnhandled",
				Detail:           "the Lambda function threw an unhandled exception",
				Fields:           sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags,
			},
		},
		{
			// The function's concurrency limit, not the load balancer's
			// limiter (QA s27 #2: it was ReasonRateLimited, proxy_rejected).
			name: "502 LambdaThrottling: the function's concurrency was used up [built, docs layout]",
			line: `https 2024-01-02T03:12:05.020000Z app/web/50dc6c495c0c9188 203.0.113.9:51012 - 0.000 -1 -1 502 - 212 278 "GET https://api.example.com:443/lambda HTTP/1.1" "curl/8.4.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/fn/73e2d6bc24d8a067 "Root=1-65937a41-0123456789abcdef0123456e" "api.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" 2 2024-01-02T03:12:05.019000Z "forward" "-" "LambdaThrottling" "-" "-" "-" "-" TID_0123456789abcdef0123456789abcdef`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 1, 2, 3, 12, 5, 20000000, time.UTC),
				Client:            "203.0.113.9",
				ClientPort:        "51012",
				Method:            "GET",
				Path:              "/lambda",
				Proto:             "HTTP/1.1",
				Host:              "api.example.com",
				UserAgent:         "curl/8.4.0",
				Status:            502,
				BodyBytes:         -1,
				RequestTime:       0.001,
				RequestID:         "1-65937a41-0123456789abcdef0123456e",
				UpstreamAddr:      []string{"-"},
				UpstreamStatus:    []string{"-"},
				UpstreamHeader:    []string{"-1"},
				UpstreamStatusRaw: "-",
				Upstream:          "fn",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonAppFailed,
				Flags:             "LambdaThrottling",
				Detail:            "Lambda throttled the invocation: the function's concurrency (its reserved concurrency or the account's limit) was used up",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags,
			},
		},
		{
			// EC2 throttled the setup of the function's VPC network
			// interfaces: the function could not start, its own setup
			// (LambdaUserError), and no limiter of the load balancer's
			// answered.
			name: "502 LambdaEC2ThrottledException [built, docs layout]",
			line: `https 2024-01-02T03:12:06.020000Z app/web/50dc6c495c0c9188 203.0.113.9:51014 - 0.000 -1 -1 502 - 212 278 "GET https://api.example.com:443/lambda HTTP/1.1" "curl/8.4.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/fn/73e2d6bc24d8a067 "Root=1-65937a41-0123456789abcdef0123456f" "api.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" 2 2024-01-02T03:12:06.019000Z "forward" "-" "LambdaEC2ThrottledException" "-" "-" "-" "-" TID_0123456789abcdef0123456789abcdef`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 1, 2, 3, 12, 6, 20000000, time.UTC),
				Client:            "203.0.113.9",
				ClientPort:        "51014",
				Method:            "GET",
				Path:              "/lambda",
				Proto:             "HTTP/1.1",
				Host:              "api.example.com",
				UserAgent:         "curl/8.4.0",
				Status:            502,
				BodyBytes:         -1,
				RequestTime:       0.001,
				RequestID:         "1-65937a41-0123456789abcdef0123456f",
				UpstreamAddr:      []string{"-"},
				UpstreamStatus:    []string{"-"},
				UpstreamHeader:    []string{"-1"},
				UpstreamStatusRaw: "-",
				Upstream:          "fn",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonAppFailed,
				Flags:             "LambdaEC2ThrottledException",
				Detail:            "the Lambda function could not start: EC2 throttled Lambda while it set up the function's VPC network interface",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags,
			},
		},
		{
			name: "500 AuthTokenEpRequestTimeout [built, docs layout]",
			line: `https 2024-01-02T03:10:05.020000Z app/web/50dc6c495c0c9188 203.0.113.9:51008 - 0.000 -1 -1 500 - 212 278 "GET https://api.example.com:443/account HTTP/1.1" "curl/8.4.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 - "Root=1-65937a41-0123456789abcdef0123456c" "api.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" 3 2024-01-02T03:10:04.020000Z "authenticate" "-" "AuthTokenEpRequestTimeout" "-" "-" "-" "-" TID_0123456789abcdef0123456789abcdef`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 1, 2, 3, 10, 5, 20000000, time.UTC),
				Client:            "203.0.113.9",
				ClientPort:        "51008",
				Method:            "GET",
				Path:              "/account",
				Proto:             "HTTP/1.1",
				Host:              "api.example.com",
				UserAgent:         "curl/8.4.0",
				Status:            500,
				BodyBytes:         -1,
				RequestTime:       1,
				RequestID:         "1-65937a41-0123456789abcdef0123456c",
				UpstreamAddr:      []string{"-"},
				UpstreamStatus:    []string{"-"},
				UpstreamHeader:    []string{"-1"},
				UpstreamStatusRaw: "-",
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonProxyRejected,
				Flags:             "AuthTokenEpRequestTimeout",
				Detail:            "the authenticate action failed",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NewParser().Parse(tc.line)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tc.want.Raw = tc.line
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseExtraFields checks that fields AWS appends later are ignored.
func TestParseExtraFields(t *testing.T) {
	base := `http 2025-07-14T19:20:19.723971Z app/falco-plugin-test/2a734d996bad0aea 134.122.93.131:36872 - -1 -1 -1 503 - 141 337 "GET http://35.79.85.199:80/.env HTTP/1.1" "Mozilla/5.0; Keydrop.io/1.0(onlyscans.com/about);" - - arn:aws:elasticloadbalancing:ap-northeast-1:1234567890123:targetgroup/falco-plugin-elb-target/d13385018c2fab37 "Root=1-68755873-3a09c648672bada5548dc5d0" "-" "-" 0 2025-07-14T19:20:19.723000Z "forward" "-" "-" "-" "-" "-" "-" TID_2d650523100657438a47a1b30bdb606d`
	longer := base + ` "-" "-" "-" 35.163.34.234 "-" "-" "a-future-field"`
	want, err := NewParser().Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	got, err := NewParser().Parse(longer)
	if err != nil {
		t.Fatal(err)
	}
	w, g := *want.(*sources.ProxyEntry), *got.(*sources.ProxyEntry)
	w.Raw, g.Raw = "", ""
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("extra fields changed the entry (-base +longer):\n%s", diff)
	}
}

// TestParse504Phase: a 504 after about 10 s is ALB's connect timeout only
// when target_processing_time is -1: 0 or more says the request was
// dispatched to the target (QA s27: "no connection to the target within
// ALB's 10 s connect timeout" beside target_processing_time 10.002).
func TestParse504Phase(t *testing.T) {
	const line = `http 2024-01-02T03:05:14.100000Z app/web/50dc6c495c0c9188 203.0.113.9:51010 10.0.1.20:8080 0.000 %s -1 504 - 34 366 "GET http://api.example.com:80/connto?n=11 HTTP/1.1" "curl/8.4.0" - - arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-65937a41-0123456789abcdef01230010" "-" "-" 0 %s "forward" "-" "-" "10.0.1.20:8080" "-" "-" "-" TID_abc10`
	tests := []struct {
		name, target, created string
		reason                sources.Reason
		detail                string
	}{
		{"never dispatched, 10 s", "-1", "2024-01-02T03:05:04.100000Z", sources.ReasonConnectTimeout,
			"no connection to the target within ALB's 10 s connect timeout (10.000 s elapsed)"},
		{"dispatched, 10 s", "10.002", "2024-01-02T03:05:04.100000Z", sources.ReasonReadTimeout,
			"the target sent no response before the idle timeout (10.000 s elapsed)"},
		{"dispatched, 60 s", "60.001", "2024-01-02T03:04:14.100000Z", sources.ReasonReadTimeout,
			"the target sent no response before the idle timeout (60.000 s elapsed)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := NewParser().Parse(fmt.Sprintf(line, tt.target, tt.created))
			if err != nil {
				t.Fatal(err)
			}
			e := rec.(*sources.ProxyEntry)
			if e.Reason != tt.reason || e.Detail != tt.detail {
				t.Errorf("%s %q, want %s %q", e.Reason, e.Detail, tt.reason, tt.detail)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	for _, line := range []string{
		``,
		`http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366`,
		`http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1`,
		`tcp 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0"`,
		`http yesterday app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0"`,
		`http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 fast 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0"`,
		`http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 2000 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0"`,
		`2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.38.0" - -`,
		`10.1.2.3 - - [02/Jan/2024:03:04:05 +0000] "GET /api HTTP/1.1" 502 157 "-" "curl/8.4.0"`,
	} {
		if rec, err := NewParser().Parse(line); err == nil || rec != nil {
			t.Errorf("Parse(%q) = %v, %v; want an error and no record", line, rec, err)
		}
	}
}

// TestParseEscapedQuoteInUserAgent: a `\"` inside a quoted field does not
// end it. The user agent `Mozilla/5.0 \"quoted\" ü` ended at its first
// `\"`, every later field shifted by one, and the 504 read the target
// group's ARN as its trace id and lost its request creation time
// ("0.001 s elapsed" of a 60 s idle timeout; QA s27).
func TestParseEscapedQuoteInUserAgent(t *testing.T) {
	const line = `https 2024-01-02T03:05:08.100000Z app/web/50dc6c495c0c9188 [2001:db8::9]:51004 10.0.1.20:8080 0.001 -1 -1 504 - 34 366 "GET https://api.example.com:443/slow?n=5 HTTP/1.1" %s - - arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-65937a41-0123456789abcdef01230004" "-" "-" 0 2024-01-02T03:04:08.100000Z "forward" "-" "-" "10.0.1.20:8080" "-" "-" "-" TID_abc4`
	tests := []struct{ ua, want string }{
		{`"curl/8.4.0"`, `curl/8.4.0`},
		{`"Mozilla/5.0 \"quoted\" ü"`, `Mozilla/5.0 \"quoted\" ü`},
		{`"ends in \"q\""`, `ends in \"q\"`},
		{`"a backslash \\"`, `a backslash \\`},
	}
	for _, tt := range tests {
		rec, err := NewParser().Parse(fmt.Sprintf(line, tt.ua))
		if err != nil {
			t.Errorf("%s: %v", tt.ua, err)
			continue
		}
		e := rec.(*sources.ProxyEntry)
		if e.UserAgent != tt.want || e.RequestID != "1-65937a41-0123456789abcdef01230004" ||
			e.Detail != "the target sent no response before the idle timeout (60.000 s elapsed)" {
			t.Errorf("%s: user agent %q, request id %q, detail %q", tt.ua, e.UserAgent, e.RequestID, e.Detail)
		}
	}
}

// TestParseRawQuoteInUserAgent: ALB escapes a '"' in the user agent, but a
// line copied through another tool may hold it raw. Its first `" ` ended
// the field, and every field after it moved one place on: the trace id
// read as the target group's ARN, the request creation time as the
// matched rule's priority (the 504's "0.001 s elapsed" of 60 s: the read
// timeout's phase), the error reason as the redirect URL. The fields
// after the user agent are found by their shape.
func TestParseRawQuoteInUserAgent(t *testing.T) {
	const line = `https 2024-01-02T03:05:08.100000Z app/web/50dc6c495c0c9188 [2001:db8::9]:51004 - 0.001 -1 -1 502 - 34 366 "GET https://api.example.com:443/slow?n=5 HTTP/1.1" %s ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-65937a41-0123456789abcdef01230004" "api.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" 0 2024-01-02T03:04:08.100000Z "forward" "-" "LambdaUnhandled" "-" "-" "-" "-" TID_abc4`
	for _, tt := range []struct{ ua, want string }{
		{`"curl/8.4.0"`, `curl/8.4.0`},
		{`"Mozilla/5.0 "quoted" x"`, `Mozilla/5.0 "quoted" x`},
		{`"Mozilla/5.0 "quoted" - - x"`, `Mozilla/5.0 "quoted" - - x`},
		{`"a" b" c" d"`, `a" b" c" d`},
		{`"ends in "q""`, `ends in "q"`},
		{`"" ""`, `" "`},
	} {
		rec, err := NewParser().Parse(fmt.Sprintf(line, tt.ua))
		if err != nil {
			t.Errorf("%s: %v", tt.ua, err)
			continue
		}
		e := rec.(*sources.ProxyEntry)
		if e.UserAgent != tt.want || e.RequestID != "1-65937a41-0123456789abcdef01230004" || e.Upstream != "web" ||
			e.RequestTime != 60 || e.Flags != "LambdaUnhandled" || e.Reason != sources.ReasonAppFailed {
			t.Errorf("%s: user agent %q, request id %q, upstream %q, request time %v, error_reason %q (%s)",
				tt.ua, e.UserAgent, e.RequestID, e.Upstream, e.RequestTime, e.Flags, e.Reason)
		}
	}

	// Where the user agent ends cannot be told: not read, and why.
	for _, tt := range []struct{ ua, why string }{
		// A user agent that holds what follows it: it could end twice.
		{`"x" - - arn:aws:x "y"`, `alb: a '"' inside the user agent, and more than one place where it may end`},
	} {
		rec, err := NewParser().Parse(fmt.Sprintf(line, tt.ua))
		if err == nil || rec != nil || !strings.HasPrefix(err.Error(), tt.why) {
			t.Errorf("%s: %v, %v; want no record and %q", tt.ua, rec, err, tt.why)
		}
	}
	// The fields after it are not ALB's: not read either.
	bad := strings.Replace(fmt.Sprintf(line, `"a "b" c"`), " ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:", " ECDHE RSA TLSv1.2 arn:", 1)
	if rec, err := NewParser().Parse(bad); err == nil || rec != nil || !strings.Contains(err.Error(), `no ssl_cipher ssl_protocol target_group_arn "trace_id" after any place where it may end`) {
		t.Errorf("%s: %v, %v; want no record", bad, rec, err)
	}
}

// TestParseRawQuoteInRequest: a raw '"' in the request's URL (a line
// copied through another tool) ended the request at its first `" `, and
// every field after it moved one place on: the user agent read as the
// rest of the URL, the trace id as the target group's ARN, the request
// creation time and the error reason from other fields. The request ends
// with its protocol, and the user agent and the fields after it follow.
func TestParseRawQuoteInRequest(t *testing.T) {
	const line = `https 2024-01-02T03:05:08.100000Z app/web/50dc6c495c0c9188 [2001:db8::9]:51004 - 0.001 -1 -1 502 - 34 366 %s %s ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-65937a41-0123456789abcdef01230004" "api.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" 0 2024-01-02T03:04:08.100000Z "forward" "-" "LambdaUnhandled" "-" "-" "-" "-" TID_abc4`
	tests := []struct{ req, ua, method, path, proto, host, wantUA string }{
		{`"GET https://api.example.com:443/slow?n=5 HTTP/1.1"`, `"curl/8.4.0"`, "GET", "/slow?n=5", "HTTP/1.1", "api.example.com", "curl/8.4.0"},
		{`"GET https://api.example.com:443/a"b" c HTTP/1.1"`, `"curl/8.4.0"`, "GET", `/a"b" c`, "HTTP/1.1", "api.example.com", "curl/8.4.0"},
		{`"GET https://api.example.com:443/a" "b HTTP/1.1"`, `"curl/8.4.0"`, "GET", `/a" "b`, "HTTP/1.1", "api.example.com", "curl/8.4.0"},
		{`"GET https://api.example.com:443/x" HTTP/2.0"`, `"-"`, "GET", `/x"`, "HTTP/2.0", "api.example.com", ""},
		{`"POST https://api.example.com:443/q?s="a b" HTTP/1.1"`, `"Mozilla/5.0 "quoted" x"`, "POST", `/q?s="a b"`, "HTTP/1.1", "api.example.com", `Mozilla/5.0 "quoted" x`},
		// A request ALB could not read, as it logs it.
		{`"- http://api.example.com:80- -"`, `"-"`, "", "/", "", "api.example.com:80", ""},
	}
	for _, tt := range tests {
		rec, err := NewParser().Parse(fmt.Sprintf(line, tt.req, tt.ua))
		if err != nil {
			t.Errorf("%s: %v", tt.req, err)
			continue
		}
		e := rec.(*sources.ProxyEntry)
		if e.Method != tt.method || e.Path != tt.path || e.Proto != tt.proto || e.Host != tt.host || e.UserAgent != tt.wantUA ||
			e.RequestID != "1-65937a41-0123456789abcdef01230004" || e.Upstream != "web" ||
			e.RequestTime != 60 || e.Flags != "LambdaUnhandled" || e.Reason != sources.ReasonAppFailed {
			t.Errorf("%s %s: request %q %q %q host %q, user agent %q, request id %q, upstream %q, request time %v, error_reason %q (%s)",
				tt.req, tt.ua, e.Method, e.Path, e.Proto, e.Host, e.UserAgent, e.RequestID, e.Upstream, e.RequestTime, e.Flags, e.Reason)
		}
	}

	// Where the request ends cannot be told: not read, and why.
	for _, tt := range []struct{ req, ua, why string }{
		// Both HTTP/1.1s end a request the user agent and its fields follow.
		{`"GET https://api.example.com:443/a HTTP/1.1" "b HTTP/1.1"`, `"curl/8.4.0"`, `alb: a '"' inside the request, and more than one place where it may end`},
		// Two places end with a protocol, and no user agent fits after either.
		{`"GET https://api.example.com:443/a HTTP/1.1" "b HTTP/1.1"`, `"x" y`, `alb: a '"' inside the request, and no "user_agent" ssl_cipher ssl_protocol target_group_arn "trace_id" after any place where it may end`},
	} {
		l := fmt.Sprintf(line, tt.req, tt.ua)
		rec, err := NewParser().Parse(l)
		if err == nil || rec != nil || !strings.HasPrefix(err.Error(), tt.why) {
			t.Errorf("%s: %v, %v; want no record and %q", l, rec, err, tt.why)
		}
	}
}

// TestParseRawQuoteInRedirectURL: a raw '"' in the redirect URL ended it
// at its first `" `, and the fields after it moved one place on: the
// error reason read from the word after the quote (`b"`), the
// authenticate failure's 500 lost its cause. The redirect URL ends where
// "error_reason" and ALB's later fields follow, in the groups AWS added
// them in (older logs end after any group).
func TestParseRawQuoteInRedirectURL(t *testing.T) {
	const full = `https 2024-01-02T03:05:08.100000Z app/web/50dc6c495c0c9188 203.0.113.9:51004 - 0.001 -1 -1 500 - 34 366 "GET https://api.example.com:443/login HTTP/1.1" "curl/8.4.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 - "Root=1-65937a41-0123456789abcdef01230004" "api.example.com" "-" 3 2024-01-02T03:05:08.000000Z "authenticate,redirect" %s "AuthTokenEpRequestTimeout"`
	for _, tail := range []string{``, ` "-" "-"`, ` - -`, ` "-" "-" "-" "-"`, ` "-" "-" "Acceptable" "-" TID_abc4`, ` "-" "-" "-" "-" - "extra"`} {
		for _, url := range []string{
			`"-"`,
			`"https://example.com:443/login?next=/a"`,
			`"https://example.com:443/a" b"`,
			`"https://example.com:443/a"b" c" d"`,
			// `" "` in the URL: told by the fields after it where the
			// line ends with the error reason, or goes on to the
			// conn_trace_id.
			`"https://example.com:443/a" "b"`,
		} {
			if strings.HasSuffix(url, `" "b"`) && (tail == ` "-" "-"` || tail == ` "-" "-" "-" "-"`) {
				continue // below: a URL `https://example.com:443/a" "b" "AuthTokenEpRequestTimeout" "-` fits too
			}
			l := fmt.Sprintf(full, url) + tail
			rec, err := NewParser().Parse(l)
			if err != nil {
				t.Errorf("%s: %v", l, err)
				continue
			}
			e := rec.(*sources.ProxyEntry)
			if e.Flags != "AuthTokenEpRequestTimeout" || e.Reason != sources.ReasonProxyRejected || e.RequestID != "1-65937a41-0123456789abcdef01230004" {
				t.Errorf("%s: error_reason %q (%s), request id %q", l, e.Flags, e.Reason, e.RequestID)
			}
		}
	}

	// Where the redirect URL ends cannot be told: not read, and why.
	const short = `https 2024-01-02T03:05:08.100000Z app/web/50dc6c495c0c9188 203.0.113.9:51004 - 0.001 -1 -1 500 - 34 366 "GET https://api.example.com:443/login HTTP/1.1" "curl/8.4.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 - "Root=1-65937a41-0123456789abcdef01230004" "api.example.com" "-" 3 2024-01-02T03:05:08.000000Z "authenticate,redirect" %s`
	for _, tt := range []struct{ rest, why string }{
		// Not ending at `"not code` (no code follows), the URL may end with
		// `"b` (two lists follow) or with `"b" "-` (the error reason alone).
		{`"https://example.com:443/a" "not code" "b" "-" "-"`, `alb: a '"' inside the redirect_url, and more than one place where it may end`},
		// The URL may hold `" "b` (two lists follow) or `" "b" "AuthTokenEpRequestTimeout" "-`.
		{`"https://example.com:443/a" "b" "AuthTokenEpRequestTimeout" "-" "-"`, `alb: a '"' inside the redirect_url, and more than one place where it may end`},
		// No error reason fits after any place.
		{`"https://example.com:443/a" x" "not a code"`, `alb: a '"' inside the redirect_url, and no "error_reason" and the fields ALB writes after it after any place where it may end`},
	} {
		l := fmt.Sprintf(short, tt.rest)
		rec, err := NewParser().Parse(l)
		if err == nil || rec != nil || !strings.HasPrefix(err.Error(), tt.why) {
			t.Errorf("%s: %v, %v; want no record and %q", l, rec, err, tt.why)
		}
	}
}
