package envoy

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

// Lines marked [real] are copied from Envoy's documentation, Istio issue
// threads and write-ups (sources in testdata/formats/envoy/SOURCES.md);
// [built] lines use a real layout with values chosen for a flag no public
// line shows.

func TestParseText(t *testing.T) {
	tests := []struct {
		name string
		line string
		want *sources.ProxyEntry
	}{
		{
			name: "default format, 204 [real, Envoy docs]",
			line: `[2016-04-15T20:17:00.310Z] "POST /api/v1/locations HTTP/2" 204 - 154 0 226 100 "10.0.35.28" "nsq2http" "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2" "locations" "tcp://10.0.2.1:80"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2016, 4, 15, 20, 17, 0, 536000000, time.UTC),
				Client:            "10.0.35.28",
				Method:            "POST",
				Path:              "/api/v1/locations",
				Proto:             "HTTP/2",
				Host:              "locations",
				UserAgent:         "nsq2http",
				Status:            204,
				BodyBytes:         0,
				RequestTime:       0.226,
				RequestID:         "cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2",
				UpstreamAddr:      []string{"tcp://10.0.2.1:80"},
				UpstreamHeader:    []string{"0.100"},
				Upstream:          "tcp://10.0.2.1:80",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Flags:             "-",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags,
			},
		},
		{
			name: "503 without flag and an upstream service time: the app's own 503 [real, Istio 1.1]",
			line: `[2019-04-12T09:57:53.105Z] "GET /customer HTTP/1.1" 503 - 0 77 1011 1010 "172.17.0.1" "curl/7.58.0" "32b36d68-172a-93dc-8cd6-123e9d91df94" "192.168.99.96" "172.17.0.20:8080"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2019, 4, 12, 9, 57, 54, 116000000, time.UTC),
				Client:            "172.17.0.1",
				Method:            "GET",
				Path:              "/customer",
				Proto:             "HTTP/1.1",
				Host:              "192.168.99.96",
				UserAgent:         "curl/7.58.0",
				Status:            503,
				BodyBytes:         77,
				RequestTime:       1.011,
				RequestID:         "32b36d68-172a-93dc-8cd6-123e9d91df94",
				UpstreamAddr:      []string{"172.17.0.20:8080"},
				UpstreamHeader:    []string{"1.010"},
				Upstream:          "172.17.0.20:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Flags:             "-",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags,
			},
		},
		{
			name: "UC connection termination, Istio 1.6 layout [real]",
			line: `[2020-08-20T11:54:22.063Z] "GET /xxxxx/xxxxx/3BACBLblqZhBbNT7HViM8fgRs0czKdmYEH-wWUzLIbwEHN7LCEly0lLT_KRijIUDvgPQLisMN-j1UgPNRMbwJq0N_QwhR_Fpu HTTP/1.1" 503 UC "-" "-" 0 95 1213 - "10.71.65.158" "Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) AcrobatServices/20.12.20043 Chrome/80.0.0.0 Safari/537.36" "6cab429c-5085-4091-a714-c30ae48fe621" "xxxxx-xxx.micro.xxxxx.com" "127.0.0.1:8080" inbound|80|http|xxxxx.prod.svc.cluster.local 127.0.0.1:50246 100.64.15.41:8080 10.71.65.158:0 outbound_.80_._.xxxxx.prod.svc.cluster.local default`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2020, 8, 20, 11, 54, 23, 276000000, time.UTC),
				Client:            "10.71.65.158",
				ClientPort:        "0",
				Method:            "GET",
				Path:              "/xxxxx/xxxxx/3BACBLblqZhBbNT7HViM8fgRs0czKdmYEH-wWUzLIbwEHN7LCEly0lLT_KRijIUDvgPQLisMN-j1UgPNRMbwJq0N_QwhR_Fpu",
				Proto:             "HTTP/1.1",
				Host:              "xxxxx-xxx.micro.xxxxx.com",
				UserAgent:         "Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) AcrobatServices/20.12.20043 Chrome/80.0.0.0 Safari/537.36",
				Status:            503,
				BodyBytes:         95,
				RequestTime:       1.213,
				RequestID:         "6cab429c-5085-4091-a714-c30ae48fe621",
				UpstreamAddr:      []string{"127.0.0.1:8080"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "127.0.0.1:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonReset,
				Hop:               sources.HopInbound,
				Conn:              "10.71.65.158:0",
				Flags:             "UC",
				Detail:            "upstream connection terminated",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags,
			},
		},
		{
			name: "UF connection failure, Istio 1.6 layout [real]",
			line: `[2020-08-20T13:36:24.347Z] "GET /xxxxx/xxxxx/3CAEBLblqQhADTNs4k5NsKzSWDCFwBgNWqP8qiRcvPB3sAzGd32Fg9czGHIA1wRYmRdM1vjut7XaObydDhO3Hf0RldDT_OW50 HTTP/1.1" 503 UF "-" "-" 0 91 0 - "10.69.102.12" "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko" "ad6fb381-691e-44d8-a2d5-ff88fc84f8d4" "xxxxx-xxx.micro.xxxxx.com" "127.0.0.1:8080" inbound|80|http|xxxxx.prod.svc.cluster.local - 100.64.11.157:8080 10.69.102.12:0 outbound_.80_._.xxxxx.prod.svc.cluster.local default`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2020, 8, 20, 13, 36, 24, 347000000, time.UTC),
				Client:            "10.69.102.12",
				ClientPort:        "0",
				Method:            "GET",
				Path:              "/xxxxx/xxxxx/3CAEBLblqQhADTNs4k5NsKzSWDCFwBgNWqP8qiRcvPB3sAzGd32Fg9czGHIA1wRYmRdM1vjut7XaObydDhO3Hf0RldDT_OW50",
				Proto:             "HTTP/1.1",
				Host:              "xxxxx-xxx.micro.xxxxx.com",
				UserAgent:         "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
				Status:            503,
				BodyBytes:         91,
				RequestTime:       0,
				RequestID:         "ad6fb381-691e-44d8-a2d5-ff88fc84f8d4",
				UpstreamAddr:      []string{"127.0.0.1:8080"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "127.0.0.1:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonRefused,
				Hop:               sources.HopInbound,
				Conn:              "10.69.102.12:0",
				Flags:             "UF",
				Detail:            "connection to the upstream failed",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags,
			},
		},
		{
			name: "UH, no host and no cluster, Istio 1.6 layout [real]",
			line: `[2020-08-20T23:21:25.233Z] "GET /xxxxx/xxxxx/3QAFBLblqDhC59dcYAXUsMgv_mBpCtarUeIvIwJn7C6MtsKhepyxJ_bVgrqcPZOMi1DnJIIzmZkYFu1yjo7vyTtJuW509JFAx HTTP/1.1" 503 UH "-" "-" 0 19 0 - "10.70.38.234" "Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/84.0.4147.135 Safari/537.36" "f2bf2de3-4a01-4cef-b9f7-803086033014" "xxxxx-xxx.micro.xxxxx.com" "-" - - 100.64.3.159:443 10.70.38.234:25117 xxxxx-xxx.micro.xxxxx.com -`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2020, 8, 20, 23, 21, 25, 233000000, time.UTC),
				Client:            "10.70.38.234",
				ClientPort:        "25117",
				Method:            "GET",
				Path:              "/xxxxx/xxxxx/3QAFBLblqDhC59dcYAXUsMgv_mBpCtarUeIvIwJn7C6MtsKhepyxJ_bVgrqcPZOMi1DnJIIzmZkYFu1yjo7vyTtJuW509JFAx",
				Proto:             "HTTP/1.1",
				Host:              "xxxxx-xxx.micro.xxxxx.com",
				UserAgent:         "Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/84.0.4147.135 Safari/537.36",
				Status:            503,
				BodyBytes:         19,
				RequestTime:       0,
				RequestID:         "f2bf2de3-4a01-4cef-b9f7-803086033014",
				UpstreamAddr:      []string{"-"},
				UpstreamHeader:    []string{"-"},
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonNoLiveUpstreams,
				Flags:             "UH",
				Detail:            "no healthy upstream host in the cluster",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags,
			},
		},
		{
			name: "NR no route, 404 [real, Istio]",
			line: `[2021-12-11T17:40:54.432Z] "GET /.well-known/acme-challenge/Q14PwTatb9y3RPS3o4jss2NQL5lioZTnevB4kI7lns44 HTTP/1.1" 404 NR route_not_found - "-" 0 0 0 - "10.42.7.0" "cert-manager/v1.5.3 (clean)" "4828cac7-ae2d-91e7-9699-a6c2e9a82321" "helloistio.mcsps.telekomcloud.com" "-" - - 10.42.6.79:8080 10.42.7.0:13840 - -`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2021, 12, 11, 17, 40, 54, 432000000, time.UTC),
				Client:            "10.42.7.0",
				ClientPort:        "13840",
				Method:            "GET",
				Path:              "/.well-known/acme-challenge/Q14PwTatb9y3RPS3o4jss2NQL5lioZTnevB4kI7lns44",
				Proto:             "HTTP/1.1",
				Host:              "helloistio.mcsps.telekomcloud.com",
				UserAgent:         "cert-manager/v1.5.3 (clean)",
				Status:            404,
				BodyBytes:         0,
				RequestTime:       0,
				RequestID:         "4828cac7-ae2d-91e7-9699-a6c2e9a82321",
				UpstreamAddr:      []string{"-"},
				UpstreamHeader:    []string{"-"},
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonProxyRejected,
				Flags:             "NR",
				Detail:            "no route matched the request (configuration); response_code_details route_not_found",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "UF,URX connection failure after retries, Istio layout [real]",
			line: `[2022-02-09T13:34:21.473Z] "GET / HTTP/1.1" 503 UF,URX upstream_reset_before_response_started{connection_failure} - "-" 0 91 24255 - "-" "curl/7.68.0" "5ab981ed-c95f-4730-8732-2fe6fd7f6208" "customer.default.svc.cluster.local:8080" "172.16.0.15:8080" outbound|8080||customer.default.svc.cluster.local - 172.18.2.58:8080 192.168.205.6:34832 - default`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2022, 2, 9, 13, 34, 45, 728000000, time.UTC),
				Client:            "192.168.205.6",
				ClientPort:        "34832",
				Method:            "GET",
				Path:              "/",
				Proto:             "HTTP/1.1",
				Host:              "customer.default.svc.cluster.local:8080",
				UserAgent:         "curl/7.68.0",
				Status:            503,
				BodyBytes:         91,
				RequestTime:       24.255,
				RequestID:         "5ab981ed-c95f-4730-8732-2fe6fd7f6208",
				UpstreamAddr:      []string{"172.16.0.15:8080"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "172.16.0.15:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonRefused,
				Hop:               sources.HopOutbound,
				Flags:             "UF,URX",
				Detail:            "connection to the upstream failed; retries exhausted (URX): earlier attempts failed too; response_code_details upstream_reset_before_response_started{connection_failure}",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "UF,URX with a TLS transport failure reason [real, Istio 1.6]",
			line: `[2022-04-19T13:35:23.864Z] "POST / HTTP/1.1" 503 UF,URX "-" "TLS error: Secret is not supplied by SDS" 52 91 18 - "-" "curl/7.79.1" "622c1d7d-b9bf-4fea-9bc2-28dfe57ae9f0" "cray-dhcp-kea-api:8000" "10.37.0.73:8000" outbound|8000||cray-dhcp-kea-api.services.svc.cluster.local - 10.27.72.242:8000 10.37.0.73:58716 - default`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2022, 4, 19, 13, 35, 23, 882000000, time.UTC),
				Client:            "10.37.0.73",
				ClientPort:        "58716",
				Method:            "POST",
				Path:              "/",
				Proto:             "HTTP/1.1",
				Host:              "cray-dhcp-kea-api:8000",
				UserAgent:         "curl/7.79.1",
				Status:            503,
				BodyBytes:         91,
				RequestTime:       0.018,
				RequestID:         "622c1d7d-b9bf-4fea-9bc2-28dfe57ae9f0",
				UpstreamAddr:      []string{"10.37.0.73:8000"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "10.37.0.73:8000",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonTLS,
				Hop:               sources.HopOutbound,
				Flags:             "UF,URX",
				Detail:            "TLS handshake with the upstream failed; retries exhausted (URX): earlier attempts failed too; upstream_transport_failure_reason TLS error: Secret is not supplied by SDS",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags,
			},
		},
		{
			name: "UPE protocol error, 502 [real, Istio]",
			line: `[2022-04-24T12:23:37.047Z] "GET /wrong HTTP/1.1" 502 UPE upstream_reset_before_response_started{protocol_error} - "-" 0 87 1001 - "-" "curl/7.80.0" "3987a4cb-2e0e-4de6-af66-7e3447600c73" "http-chunked:8080" "10.244.0.17:8080" inbound|8080|| 127.0.0.6:39063 10.244.0.17:8080 10.244.0.14:35500 - default`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2022, 4, 24, 12, 23, 38, 48000000, time.UTC),
				Client:            "10.244.0.14",
				ClientPort:        "35500",
				Method:            "GET",
				Path:              "/wrong",
				Proto:             "HTTP/1.1",
				Host:              "http-chunked:8080",
				UserAgent:         "curl/7.80.0",
				Status:            502,
				BodyBytes:         87,
				RequestTime:       1.001,
				RequestID:         "3987a4cb-2e0e-4de6-af66-7e3447600c73",
				UpstreamAddr:      []string{"10.244.0.17:8080"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "10.244.0.17:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonBadResponse,
				Hop:               sources.HopInbound,
				Conn:              "10.244.0.14:35500",
				Flags:             "UPE",
				Detail:            "upstream protocol error: the response could not be parsed; response_code_details upstream_reset_before_response_started{protocol_error}",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "UH with a cluster to group by [real, Istio, client redacted by source]",
			line: `[2022-04-27T15:02:20.472Z] "GET /foobar HTTP/2" 503 UH no_healthy_upstream - "-" 0 19 0 - "192.0.2.10" "curl/7.81.0" "55fef75a-70e5-449f-ad01-cd34960f465c" "httpbin.tetrate.io" "-" outbound|8000||httpbin.httpbin.svc.cluster.local - 10.16.0.20:8443 192.0.2.10:36009 httpbin.tetrate.io httpbin`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2022, 4, 27, 15, 2, 20, 472000000, time.UTC),
				Client:            "192.0.2.10",
				ClientPort:        "36009",
				Method:            "GET",
				Path:              "/foobar",
				Proto:             "HTTP/2",
				Host:              "httpbin.tetrate.io",
				UserAgent:         "curl/7.81.0",
				Status:            503,
				BodyBytes:         19,
				RequestTime:       0,
				RequestID:         "55fef75a-70e5-449f-ad01-cd34960f465c",
				UpstreamAddr:      []string{"-"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "outbound|8000||httpbin.httpbin.svc.cluster.local",
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonNoLiveUpstreams,
				Hop:               sources.HopOutbound,
				Flags:             "UH",
				Detail:            "no healthy upstream host in the cluster; response_code_details no_healthy_upstream",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "UT response timeout [real, default + details]",
			line: `[2024-07-20T07:05:54.173Z] "GET /gateway-timeout?delayMs=5000 HTTP/1.1" 504 UT response_timeout 0 24 4497 - "-" "curl/8.4.0" "6d67d674-2122-4a2d-b172-0be70c674371" "localhost:8000" "172.27.0.2:8080"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 7, 20, 7, 5, 58, 670000000, time.UTC),
				Method:            "GET",
				Path:              "/gateway-timeout?delayMs=5000",
				Proto:             "HTTP/1.1",
				Host:              "localhost:8000",
				UserAgent:         "curl/8.4.0",
				Status:            504,
				BodyBytes:         24,
				RequestTime:       4.497,
				RequestID:         "6d67d674-2122-4a2d-b172-0be70c674371",
				UpstreamAddr:      []string{"172.27.0.2:8080"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "172.27.0.2:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonReadTimeout,
				Flags:             "UT",
				Detail:            "upstream request timeout; response_code_details response_timeout",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "UH no_healthy_upstream [real, default + details]",
			line: `[2024-07-20T07:06:24.729Z] "GET /no-healthy-upstream HTTP/1.1" 503 UH no_healthy_upstream 0 19 0 - "-" "curl/8.4.0" "2f22e5c6-2387-49b8-96c4-7b3a1678dbb0" "localhost:8000" "-"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 7, 20, 7, 6, 24, 729000000, time.UTC),
				Method:            "GET",
				Path:              "/no-healthy-upstream",
				Proto:             "HTTP/1.1",
				Host:              "localhost:8000",
				UserAgent:         "curl/8.4.0",
				Status:            503,
				BodyBytes:         19,
				RequestTime:       0,
				RequestID:         "2f22e5c6-2387-49b8-96c4-7b3a1678dbb0",
				UpstreamAddr:      []string{"-"},
				UpstreamHeader:    []string{"-"},
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonNoLiveUpstreams,
				Flags:             "UH",
				Detail:            "no healthy upstream host in the cluster; response_code_details no_healthy_upstream",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "UF connection_failure with delayed_connect_error [real, default + details]",
			line: `[2024-07-20T07:09:48.470Z] "GET /upstream-connection-failure HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_failure,delayed_connect_error:_111} 0 145 0 - "-" "curl/8.4.0" "44898dba-8d8e-48f4-93f7-23e4b4c592c0" "localhost:8000" "172.28.0.2:801"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 7, 20, 7, 9, 48, 470000000, time.UTC),
				Method:            "GET",
				Path:              "/upstream-connection-failure",
				Proto:             "HTTP/1.1",
				Host:              "localhost:8000",
				UserAgent:         "curl/8.4.0",
				Status:            503,
				BodyBytes:         145,
				RequestTime:       0,
				RequestID:         "44898dba-8d8e-48f4-93f7-23e4b4c592c0",
				UpstreamAddr:      []string{"172.28.0.2:801"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "172.28.0.2:801",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonRefused,
				Flags:             "UF",
				Detail:            "connection to the upstream failed; response_code_details upstream_reset_before_response_started{connection_failure,delayed_connect_error:_111}",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "UPE after the response started: status unchanged [real, default + details]",
			line: `[2024-07-20T07:23:58.586Z] "GET /upstream-connection-failure/after-response HTTP/1.1" 200 UPE upstream_reset_after_response_started{protocol_error} 0 19 1006 0 "-" "curl/8.4.0" "84ef2354-e85c-4e90-bc6e-bb81d5dc70e8" "localhost:8000" "192.168.5.2:8080"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 7, 20, 7, 23, 59, 592000000, time.UTC),
				Method:            "GET",
				Path:              "/upstream-connection-failure/after-response",
				Proto:             "HTTP/1.1",
				Host:              "localhost:8000",
				UserAgent:         "curl/8.4.0",
				Status:            200,
				BodyBytes:         19,
				RequestTime:       1.006,
				RequestID:         "84ef2354-e85c-4e90-bc6e-bb81d5dc70e8",
				UpstreamAddr:      []string{"192.168.5.2:8080"},
				UpstreamHeader:    []string{"0.000"},
				Upstream:          "192.168.5.2:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Reason:            sources.ReasonAfterHeaders,
				Flags:             "UPE",
				Detail:            "upstream protocol error: the response could not be parsed; response_code_details upstream_reset_after_response_started{protocol_error}",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "200 via_upstream [real, default + details]",
			line: `[2024-07-20T07:32:21.516Z] "GET /upstream-service-overflow?delayMs=5000 HTTP/1.1" 200 - via_upstream 0 682 5002 5001 "-" "curl/8.4.0" "dcf9d063-610a-4f11-96db-db890542d64a" "localhost:8000" "172.31.0.3:8080"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 7, 20, 7, 32, 26, 518000000, time.UTC),
				Method:            "GET",
				Path:              "/upstream-service-overflow?delayMs=5000",
				Proto:             "HTTP/1.1",
				Host:              "localhost:8000",
				UserAgent:         "curl/8.4.0",
				Status:            200,
				BodyBytes:         682,
				RequestTime:       5.002,
				RequestID:         "dcf9d063-610a-4f11-96db-db890542d64a",
				UpstreamAddr:      []string{"172.31.0.3:8080"},
				UpstreamHeader:    []string{"5.001"},
				Upstream:          "172.31.0.3:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Flags:             "-",
				Detail:            "response_code_details via_upstream: the upstream sent the response",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "UO circuit breaker overflow [real, default + details]",
			line: `[2024-07-20T07:32:21.519Z] "GET /upstream-service-overflow?delayMs=5000 HTTP/1.1" 503 UO upstream_reset_before_response_started{overflow} 0 81 0 - "-" "curl/8.4.0" "c414b70a-7c85-4f78-9c35-2ce2b9131aa3" "localhost:8000" "172.31.0.3:8080"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 7, 20, 7, 32, 21, 519000000, time.UTC),
				Method:            "GET",
				Path:              "/upstream-service-overflow?delayMs=5000",
				Proto:             "HTTP/1.1",
				Host:              "localhost:8000",
				UserAgent:         "curl/8.4.0",
				Status:            503,
				BodyBytes:         81,
				RequestTime:       0,
				RequestID:         "c414b70a-7c85-4f78-9c35-2ce2b9131aa3",
				UpstreamAddr:      []string{"172.31.0.3:8080"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "172.31.0.3:8080",
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonProxyRejected,
				Flags:             "UO",
				Detail:            "circuit breaker overflow: the cluster's connection or request limit was reached; response_code_details upstream_reset_before_response_started{overflow}",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "NC cluster_not_found [real, default + details]",
			line: `[2024-07-20T07:38:15.899Z] "GET /no-upstream-cluster HTTP/1.1" 503 NC cluster_not_found 0 0 0 - "-" "curl/8.4.0" "8a23b89d-1dcd-4f5c-ae55-58e79d74d8ca" "localhost:8000" "-"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 7, 20, 7, 38, 15, 899000000, time.UTC),
				Method:            "GET",
				Path:              "/no-upstream-cluster",
				Proto:             "HTTP/1.1",
				Host:              "localhost:8000",
				UserAgent:         "curl/8.4.0",
				Status:            503,
				BodyBytes:         0,
				RequestTime:       0,
				RequestID:         "8a23b89d-1dcd-4f5c-ae55-58e79d74d8ca",
				UpstreamAddr:      []string{"-"},
				UpstreamHeader:    []string{"-"},
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonConfig,
				Flags:             "NC",
				Detail:            "no cluster found for the route (configuration error); response_code_details cluster_not_found",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "URX via_upstream: the app's 500 after retries [real, default + details]",
			line: `[2024-07-20T07:45:34.828Z] "GET /upstream-retry-exceeds?statusCode=500 HTTP/1.1" 500 URX via_upstream 0 680 59 59 "-" "curl/8.4.0" "0df38f52-08eb-4b67-a097-ece7427c7238" "localhost:8000" "192.168.48.2:8080"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 7, 20, 7, 45, 34, 887000000, time.UTC),
				Method:            "GET",
				Path:              "/upstream-retry-exceeds?statusCode=500",
				Proto:             "HTTP/1.1",
				Host:              "localhost:8000",
				UserAgent:         "curl/8.4.0",
				Status:            500,
				BodyBytes:         680,
				RequestTime:       0.059,
				RequestID:         "0df38f52-08eb-4b67-a097-ece7427c7238",
				UpstreamAddr:      []string{"192.168.48.2:8080"},
				UpstreamHeader:    []string{"0.059"},
				Upstream:          "192.168.48.2:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Flags:             "URX",
				Detail:            "retries exhausted (URX): earlier attempts failed too; response_code_details via_upstream: the upstream sent the response",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "DC downstream disconnect on a websocket [real, default + details]",
			line: `[2024-07-21T08:32:59.547Z] "GET /ws HTTP/1.1" 101 DC downstream_remote_disconnect 61 105 13342 - "-" "-" "e5248829-b318-443a-a763-e2460530f070" "localhost:8000" "192.168.5.2:8080"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 7, 21, 8, 33, 12, 889000000, time.UTC),
				Method:            "GET",
				Path:              "/ws",
				Proto:             "HTTP/1.1",
				Host:              "localhost:8000",
				Status:            101,
				BodyBytes:         105,
				RequestTime:       13.342,
				RequestID:         "e5248829-b318-443a-a763-e2460530f070",
				UpstreamAddr:      []string{"192.168.5.2:8080"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "192.168.5.2:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Unknown,
				Reason:            sources.ReasonClientAbort,
				Flags:             "DC",
				Detail:            "the client closed the connection; response_code_details downstream_remote_disconnect",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "RL local_rate_limited, 429 [real, Istio]",
			line: `[2024-09-15T16:27:47.687Z] "HEAD / HTTP/1.1" 429 RL local_rate_limited - "-" 0 0 0 - "192.168.245.106" "curl/8.5.0" "467a7648-b9ef-4e9b-b75b-f9f500a88589" "nginx.test.local" "-" inbound|80|| - 10.0.196.75:80 192.168.245.106:0 outbound_.80_._.nginx.istio-test.svc.cluster.local default`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 9, 15, 16, 27, 47, 687000000, time.UTC),
				Client:            "192.168.245.106",
				ClientPort:        "0",
				Method:            "HEAD",
				Path:              "/",
				Proto:             "HTTP/1.1",
				Host:              "nginx.test.local",
				UserAgent:         "curl/8.5.0",
				Status:            429,
				BodyBytes:         0,
				RequestTime:       0,
				RequestID:         "467a7648-b9ef-4e9b-b75b-f9f500a88589",
				UpstreamAddr:      []string{"-"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "inbound|80||",
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonRateLimited,
				Hop:               sources.HopInbound,
				Conn:              "192.168.245.106:0",
				Flags:             "RL",
				Detail:            "rate limited by Envoy; response_code_details local_rate_limited",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "URX via_upstream, Istio layout [real]",
			line: `[2025-10-19T20:28:26.282Z] "GET /flaky HTTP/1.1" 500 URX via_upstream - "-" 0 20 118 117 "10.244.0.1" "curl/8.7.1" "f4f0ecba-03f3-95cc-8e89-c3e54a4c10e1" "localhost" "10.244.0.133:8080" outbound|80|v1|booking-service.default.svc.cluster.local 10.244.0.9:47780 10.244.0.9:8080 10.244.0.1:22803 - -`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2025, 10, 19, 20, 28, 26, 400000000, time.UTC),
				Client:            "10.244.0.1",
				ClientPort:        "22803",
				Method:            "GET",
				Path:              "/flaky",
				Proto:             "HTTP/1.1",
				Host:              "localhost",
				UserAgent:         "curl/8.7.1",
				Status:            500,
				BodyBytes:         20,
				RequestTime:       0.118,
				RequestID:         "f4f0ecba-03f3-95cc-8e89-c3e54a4c10e1",
				UpstreamAddr:      []string{"10.244.0.133:8080"},
				UpstreamHeader:    []string{"0.117"},
				Upstream:          "10.244.0.133:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Hop:               sources.HopOutbound,
				Conn:              "10.244.0.9:47780",
				Flags:             "URX",
				Detail:            "retries exhausted (URX): earlier attempts failed too; response_code_details via_upstream: the upstream sent the response",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "UH with cluster, Istio layout [real]",
			line: `[2025-10-19T20:28:27.569Z] "GET /flaky HTTP/1.1" 503 UH no_healthy_upstream - "-" 0 19 0 - "10.244.0.1" "curl/8.7.1" "07972a92-50fc-9aa1-9b1e-9c5d6dc97178" "localhost" "-" outbound|80|v1|booking-service.default.svc.cluster.local - 10.244.0.9:8080 10.244.0.1:54415 - -`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2025, 10, 19, 20, 28, 27, 569000000, time.UTC),
				Client:            "10.244.0.1",
				ClientPort:        "54415",
				Method:            "GET",
				Path:              "/flaky",
				Proto:             "HTTP/1.1",
				Host:              "localhost",
				UserAgent:         "curl/8.7.1",
				Status:            503,
				BodyBytes:         19,
				RequestTime:       0,
				RequestID:         "07972a92-50fc-9aa1-9b1e-9c5d6dc97178",
				UpstreamAddr:      []string{"-"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "outbound|80|v1|booking-service.default.svc.cluster.local",
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonNoLiveUpstreams,
				Hop:               sources.HopOutbound,
				Flags:             "UH",
				Detail:            "no healthy upstream host in the cluster; response_code_details no_healthy_upstream",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "LR local reset [built, default + details layout]",
			line: `[2024-07-20T08:00:01.000Z] "GET /stale-pool HTTP/1.1" 503 LR upstream_reset_before_response_started{local_reset} 0 91 2 - "-" "curl/8.4.0" "1b4e28ba-2fa1-11d2-883f-0016d3cca427" "localhost:8000" "172.28.0.2:8080"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 7, 20, 8, 0, 1, 2000000, time.UTC),
				Method:            "GET",
				Path:              "/stale-pool",
				Proto:             "HTTP/1.1",
				Host:              "localhost:8000",
				UserAgent:         "curl/8.4.0",
				Status:            503,
				BodyBytes:         91,
				RequestTime:       0.002,
				RequestID:         "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
				UpstreamAddr:      []string{"172.28.0.2:8080"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "172.28.0.2:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonReset,
				Flags:             "LR",
				Detail:            "local reset of the upstream connection (often a stale pooled connection); response_code_details upstream_reset_before_response_started{local_reset}",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "DF dns_resolution_failure [built, default + details layout]",
			line: `[2024-07-20T08:00:02.000Z] "GET /dns HTTP/1.1" 503 DF dns_resolution_failure 0 0 3 - "-" "curl/8.4.0" "6fa459ea-ee8a-3ca4-894e-db77e160355e" "api.internal:443" "-"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 7, 20, 8, 0, 2, 3000000, time.UTC),
				Method:            "GET",
				Path:              "/dns",
				Proto:             "HTTP/1.1",
				Host:              "api.internal:443",
				UserAgent:         "curl/8.4.0",
				Status:            503,
				BodyBytes:         0,
				RequestTime:       0.003,
				RequestID:         "6fa459ea-ee8a-3ca4-894e-db77e160355e",
				UpstreamAddr:      []string{"-"},
				UpstreamHeader:    []string{"-"},
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonDNS,
				Flags:             "DF",
				Detail:            "DNS resolution of the upstream failed; response_code_details dns_resolution_failure",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "UT upstream_per_try_timeout [built, default + details layout]",
			line: `[2024-07-20T08:00:03.000Z] "GET /per-try HTTP/1.1" 504 UT upstream_per_try_timeout 0 24 15001 - "-" "curl/8.4.0" "16fd2706-8baf-433b-82eb-8c7fada847da" "localhost:8000" "172.27.0.2:8080"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 7, 20, 8, 0, 18, 1000000, time.UTC),
				Method:            "GET",
				Path:              "/per-try",
				Proto:             "HTTP/1.1",
				Host:              "localhost:8000",
				UserAgent:         "curl/8.4.0",
				Status:            504,
				BodyBytes:         24,
				RequestTime:       15.001,
				RequestID:         "16fd2706-8baf-433b-82eb-8c7fada847da",
				UpstreamAddr:      []string{"172.27.0.2:8080"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "172.27.0.2:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonReadTimeout,
				Flags:             "UT",
				Detail:            "upstream request timeout; response_code_details upstream_per_try_timeout",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "UF connection_timeout: a connect timeout, not a refusal [built, default + details layout]",
			line: `[2024-07-20T08:00:04.000Z] "GET /connect-timeout HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_timeout} 0 91 5003 - "-" "curl/8.4.0" "886313e1-3b8a-5372-9b90-0c9aee199e5d" "localhost:8000" "10.0.0.99:8080"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 7, 20, 8, 0, 9, 3000000, time.UTC),
				Method:            "GET",
				Path:              "/connect-timeout",
				Proto:             "HTTP/1.1",
				Host:              "localhost:8000",
				UserAgent:         "curl/8.4.0",
				Status:            503,
				BodyBytes:         91,
				RequestTime:       5.003,
				RequestID:         "886313e1-3b8a-5372-9b90-0c9aee199e5d",
				UpstreamAddr:      []string{"10.0.0.99:8080"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "10.0.0.99:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonConnectTimeout,
				Flags:             "UF",
				Detail:            "connect to the upstream timed out; response_code_details upstream_reset_before_response_started{connection_timeout}",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "UR remote reset [built, default + details layout]",
			line: `[2024-07-20T08:00:05.000Z] "GET /remote-reset HTTP/1.1" 503 UR upstream_reset_before_response_started{remote_reset} 0 95 12 - "-" "curl/8.4.0" "a8098c1a-f86e-11da-bd1a-00112444be1e" "localhost:8000" "172.28.0.2:8080"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 7, 20, 8, 0, 5, 12000000, time.UTC),
				Method:            "GET",
				Path:              "/remote-reset",
				Proto:             "HTTP/1.1",
				Host:              "localhost:8000",
				UserAgent:         "curl/8.4.0",
				Status:            503,
				BodyBytes:         95,
				RequestTime:       0.012,
				RequestID:         "a8098c1a-f86e-11da-bd1a-00112444be1e",
				UpstreamAddr:      []string{"172.28.0.2:8080"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "172.28.0.2:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonReset,
				Flags:             "UR",
				Detail:            "upstream remote reset; response_code_details upstream_reset_before_response_started{remote_reset}",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "long flag names (%RESPONSE_FLAGS_LONG%) [built, default + details layout]",
			line: `[2024-07-20T08:00:06.000Z] "GET /long-flags HTTP/1.1" 503 UpstreamConnectionFailure upstream_reset_before_response_started{remote_connection_failure|immediate_connect_error:_Connection_refused} 0 145 1 - "-" "curl/8.4.0" "e902893a-9d22-3c7e-a7b8-d6e313b71d9f" "localhost:8000" "172.28.0.2:801"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 7, 20, 8, 0, 6, 1000000, time.UTC),
				Method:            "GET",
				Path:              "/long-flags",
				Proto:             "HTTP/1.1",
				Host:              "localhost:8000",
				UserAgent:         "curl/8.4.0",
				Status:            503,
				BodyBytes:         145,
				RequestTime:       0.001,
				RequestID:         "e902893a-9d22-3c7e-a7b8-d6e313b71d9f",
				UpstreamAddr:      []string{"172.28.0.2:801"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "172.28.0.2:801",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonRefused,
				Flags:             "UpstreamConnectionFailure",
				Detail:            "connection to the upstream failed; response_code_details upstream_reset_before_response_started{remote_connection_failure|immediate_connect_error:_Connection_refused}",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			// Envoy escapes nothing: the client's backslashes are its own,
			// and the user agent's `" ` ended it early, so the line was
			// not read (QA s27: "parsed 23, unparsed 1").
			name: `UC, a user agent with \"quoted\" in it, Istio layout [built, QA s27]`,
			line: `[2025-03-01T10:00:16.100Z] "GET /uc-ipv6/%D1%82%D0%B5%D1%81%D1%82?n=17 HTTP/2" 503 UC upstream_reset_before_response_started{connection_termination} - "-" 0 95 12 - "2001:db8::7" "Mozilla/5.0 (X11; Linux) \"quoted\" UA" "13131313-1313-1313-1313-131313131313" "api:8080" "[2001:db8::5]:8080" outbound|8080||api.default.svc.cluster.local [2001:db8::9]:40017 [2001:db8::1]:8080 [2001:db8::7]:50016 - default`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2025, 3, 1, 10, 0, 16, 112000000, time.UTC),
				Client:            "2001:db8::7",
				ClientPort:        "50016",
				Method:            "GET",
				Path:              "/uc-ipv6/%D1%82%D0%B5%D1%81%D1%82?n=17",
				Proto:             "HTTP/2",
				Host:              "api:8080",
				UserAgent:         `Mozilla/5.0 (X11; Linux) \"quoted\" UA`,
				Status:            503,
				BodyBytes:         95,
				RequestTime:       0.012,
				RequestID:         "13131313-1313-1313-1313-131313131313",
				UpstreamAddr:      []string{"[2001:db8::5]:8080"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "[2001:db8::5]:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonReset,
				Hop:               sources.HopOutbound,
				Conn:              "[2001:db8::9]:40017",
				Flags:             "UC",
				Detail:            "upstream connection terminated; response_code_details upstream_reset_before_response_started{connection_termination}",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: `UF, a user agent with "quoted" in it, default + details layout [built, QA s27]`,
			line: `[2024-07-20T07:09:48.470Z] "GET /upstream-connection-failure HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_failure,delayed_connect_error:_111} 0 145 0 - "-" "Mozilla/5.0 "quoted" UA" "44898dba-8d8e-48f4-93f7-23e4b4c592c0" "localhost:8000" "172.28.0.2:801"`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 7, 20, 7, 9, 48, 470000000, time.UTC),
				Method:            "GET",
				Path:              "/upstream-connection-failure",
				Proto:             "HTTP/1.1",
				Host:              "localhost:8000",
				UserAgent:         `Mozilla/5.0 "quoted" UA`,
				Status:            503,
				BodyBytes:         145,
				RequestTime:       0,
				RequestID:         "44898dba-8d8e-48f4-93f7-23e4b4c592c0",
				UpstreamAddr:      []string{"172.28.0.2:801"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "172.28.0.2:801",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonRefused,
				Flags:             "UF",
				Detail:            "connection to the upstream failed; response_code_details upstream_reset_before_response_started{connection_failure,delayed_connect_error:_111}",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NewTextParser().Parse(tc.line)
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

// TestParseTextQuoteInUserAgent: Envoy escapes nothing, so a user agent
// may hold `" ` (QA s27 #1: such a line was not read) or `" "` (read with
// every field after it one place on). The fields after the user agent are
// then read back from the end of the line.
func TestParseTextQuoteInUserAgent(t *testing.T) {
	const (
		head    = `[2024-07-20T07:09:48.470Z] "GET /a HTTP/1.1" 503 UF - 0 145 0 - `
		cluster = "outbound|80||web.default.svc.cluster.local"
		istio   = " " + cluster + " 10.0.0.9:40000 10.0.0.9:8080 10.0.0.8:50000 - default"
	)
	type fields struct {
		Client, UserAgent, RequestID, Host, Upstream string
	}
	tests := []struct {
		name   string
		quoted string // from the forwarded-for field to the upstream host
		tail   string
		want   fields
	}{
		{"plain, default layout", `"10.0.0.7" "curl/8.4.0" "id-1" "api:8080" "10.0.0.2:80"`, "",
			fields{"10.0.0.7", "curl/8.4.0", "id-1", "api:8080", "10.0.0.2:80"}},
		{"quote and space inside, default layout", `"10.0.0.7" "a "b" c" "id-1" "api:8080" "10.0.0.2:80"`, "",
			fields{"10.0.0.7", `a "b" c`, "id-1", "api:8080", "10.0.0.2:80"}},
		{"quote and space inside, Istio tail", `"10.0.0.7" "a "b" c" "id-1" "api:8080" "10.0.0.2:80"`, istio,
			fields{"10.0.0.8", `a "b" c`, "id-1", "api:8080", "10.0.0.2:80"}},
		{"quote, space, quote inside: six fields front to back, default layout", `"10.0.0.7" "a" "b" "id-1" "api:8080" "10.0.0.2:80"`, "",
			fields{"10.0.0.7", `a" "b`, "id-1", "api:8080", "10.0.0.2:80"}},
		{"quote, space, quote inside, Istio tail", `"10.0.0.7" "a" "b" "id-1" "api:8080" "-"`, istio,
			fields{"10.0.0.8", `a" "b`, "id-1", "api:8080", cluster}},
		{"ends in a quote: read front to back", `"-" "say "hi"" "id-1" "api:8080" "-"`, istio,
			fields{"10.0.0.8", `say "hi"`, "id-1", "api:8080", cluster}},
		{"empty user agent, a quote and space in the request id", `"10.0.0.7" "" "id "1" x" "api:8080" "10.0.0.2:80"`, "",
			fields{"10.0.0.7", "", `id "1" x`, "api:8080", "10.0.0.2:80"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line := head + tt.quoted + tt.tail
			e, err := parseText(line)
			if err != nil {
				t.Fatalf("parseText(%q): %v", line, err)
			}
			got := fields{e.Client, e.UserAgent, e.RequestID, e.Host, e.Upstream}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fields mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseTextCustomQuotedTail: a custom format that adds quoted fields
// after "%UPSTREAM_HOST%" ("%UPSTREAM_CLUSTER%", a trace id, a quoted
// address) was read from the end of the line whenever a quoted field
// followed the upstream host: the last custom field became the upstream
// host, the upstream host the authority, the authority the request id,
// and the user agent swallowed the request id. The fields up to the
// authority each end at `" "`, so a `" ` in the user agent does not end
// it, and the tail's quoted fields are not read as Istio's positions.
func TestParseTextCustomQuotedTail(t *testing.T) {
	const head = `[2024-07-20T07:09:48.470Z] "GET /upstream-connection-failure HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_failure,delayed_connect_error:_111} 0 145 0 - `
	type fields struct {
		Client, UserAgent, RequestID, Host, Upstream, Conn string
	}
	tests := []struct {
		name, quoted string
		want         fields
	}{
		{"plain user agent, cluster and trace id", `"10.0.0.7" "curl/8.4.0" "44898dba-8d8e-48f4-93f7-23e4b4c592c0" "localhost:8000" "172.28.0.2:801" "outbound|8000||backend" "-"`,
			fields{"10.0.0.7", "curl/8.4.0", "44898dba-8d8e-48f4-93f7-23e4b4c592c0", "localhost:8000", "172.28.0.2:801", ""}},
		{`user agent with "quoted", cluster and trace id`, `"-" "Mozilla/5.0 "quoted" UA" "44898dba-8d8e-48f4-93f7-23e4b4c592c0" "localhost:8000" "172.28.0.2:801" "outbound|8000||backend" "trace-1"`,
			fields{"", `Mozilla/5.0 "quoted" UA`, "44898dba-8d8e-48f4-93f7-23e4b4c592c0", "localhost:8000", "172.28.0.2:801", ""}},
		{`user agent with "quoted", a quoted address last`, `"-" "Mozilla/5.0 "quoted" UA" "44898dba-8d8e-48f4-93f7-23e4b4c592c0" "localhost:8000" "172.28.0.2:801" "outbound|8000||backend" "10.0.0.9:50000"`,
			fields{"", `Mozilla/5.0 "quoted" UA`, "44898dba-8d8e-48f4-93f7-23e4b4c592c0", "localhost:8000", "172.28.0.2:801", ""}},
		{`user agent with "quoted" and a backslash`, `"-" "Mozilla/5.0 \"quoted\" UA" "id-1" "localhost:8000" "[2001:db8::5]:8080" "outbound|8000||backend"`,
			fields{"", `Mozilla/5.0 \"quoted\" UA`, "id-1", "localhost:8000", "[2001:db8::5]:8080", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line := head + tt.quoted
			e, err := parseText(line)
			if err != nil {
				t.Fatalf("parseText(%q): %v", line, err)
			}
			got := fields{e.Client, e.UserAgent, e.RequestID, e.Host, e.Upstream, e.Conn}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fields mismatch (-want +got):\n%s", diff)
			}
			if e.Hop != sources.HopNone {
				t.Errorf("hop %v: a custom tail is no Istio tail", e.Hop)
			}
		})
	}

	// A user agent holding `" "` beside quoted fields after the upstream
	// host, where neither reading gives an address for it: not read.
	line := head + `"-" "a" "b" "id-1" "api:8080" "backend:80" "x"`
	const why = `envoy: quoted fields after %UPSTREAM_HOST% and a '"' inside a quoted field: which field is which cannot be told`
	if rec, err := NewTextParser().Parse(line); err == nil || rec != nil || !strings.HasPrefix(err.Error(), why) {
		t.Errorf("Parse(%q) = %v, %v; want no record and %q", line, rec, err, why)
	}
}

// TestParseTextBothReadingsFit: a user agent holding `" "` beside a
// request id that is no UUID and an authority that is an address was read
// front to back, as a custom format with a quoted field after the
// upstream host: the request id read the rest of the user agent, the
// authority the request id and the upstream host the authority
// (`"a" "b" "id-1" "10.0.0.5:8080" "10.0.0.2:80"`: request id "b",
// authority "id-1", upstream 10.0.0.5:8080). Both readings give an address
// for the upstream host and an authority that is no UUID; the authority's
// and the request id's shapes tell them apart, or the line is not read.
func TestParseTextBothReadingsFit(t *testing.T) {
	const head = `[2024-07-20T07:09:48.470Z] "GET /a HTTP/1.1" 503 UF - 0 145 0 - `
	type fields struct {
		UserAgent, RequestID, Host, Upstream string
	}
	tests := []struct {
		name, quoted string
		want         fields
	}{
		{"front to back, the request id is the rest of the user agent", `"-" "Mozilla/5.0 "x" "y" z" "req-7" "10.0.0.5:8080" "10.0.0.2:80"`,
			fields{`Mozilla/5.0 "x" "y" z`, "req-7", "10.0.0.5:8080", "10.0.0.2:80"}},
		{"front to back, the authority is no host", `"-" "a" "b" "trace=7;s=1" "10.0.0.5:8080" "10.0.0.2:80"`,
			fields{`a" "b`, "trace=7;s=1", "10.0.0.5:8080", "10.0.0.2:80"}},
		{"a UUID request id, which is no authority (as before)", `"-" "a" "b" "44898dba-8d8e-48f4-93f7-23e4b4c592c0" "10.0.0.5:8080" "10.0.0.2:80"`,
			fields{`a" "b`, "44898dba-8d8e-48f4-93f7-23e4b4c592c0", "10.0.0.5:8080", "10.0.0.2:80"}},
		// A custom format ending with the authority and an address:
		// from the end, the request id is the upstream host.
		{"custom tail of a name and an address (as before)", `"-" "curl/8.4.0" "id-1" "api.example.com" "10.0.0.2:80" "api.example.com" "10.0.0.9:50000"`,
			fields{"curl/8.4.0", "id-1", "api.example.com", "10.0.0.2:80"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line := head + tt.quoted
			e, err := parseText(line)
			if err != nil {
				t.Fatalf("parseText(%q): %v", line, err)
			}
			got := fields{e.UserAgent, e.RequestID, e.Host, e.Upstream}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fields mismatch (-want +got):\n%s", diff)
			}
		})
	}

	// Nothing tells them apart: not read, and why.
	line := head + `"-" "a" "b" "id-1" "10.0.0.5:8080" "10.0.0.2:80"`
	const why = `envoy: a '"' inside a quoted field or quoted fields after %UPSTREAM_HOST%: both readings fit, which field is which cannot be told`
	if rec, err := NewTextParser().Parse(line); err == nil || rec != nil || !strings.HasPrefix(err.Error(), why) {
		t.Errorf("Parse(%q) = %v, %v; want no record and %q", line, rec, err, why)
	}
}

func TestParseTextRejects(t *testing.T) {
	for _, line := range []string{
		``,
		`10.1.2.3 - - [02/Jan/2024:03:04:05 +0000] "GET /api HTTP/1.1" 502 157 "-" "curl/8.4.0"`,
		`[2024-07-20T07:05:54.173Z] "GET /gateway-timeout HTTP/1.1" 504 UT response_timeout 0 24 4497 - "-" "curl/8.4.0"`,
		`[2024-07-20T07:05:54.173Z] "GET / HTTP/1.1" 504 ut 0 24 4497 - "-" "curl/8.4.0" "id" "host" "10.0.0.1:80"`,
		// Four quoted fields, one with a quote and space inside: too few
		// read from either end.
		`[2024-07-20T07:05:54.173Z] "GET / HTTP/1.1" 504 UT 0 24 4497 - "-" "cu" rl" "host" "10.0.0.1:80"`,
		`[2024-07-20T07:05:54.173Z] "GET / HTTP/1.1" 504 UT 0 24 4497 - "-" "cu" rl" "host" "10.0.0.1:80" c|1|| - - -`,
		// The last quoted field does not end the quotes.
		`[2024-07-20T07:05:54.173Z] "GET / HTTP/1.1" 504 UT 0 24 4497 - "-" "cu" rl" "id" "host" "10.0.0.1:80"x`,
		`[not a time] "GET / HTTP/1.1" 200 - 0 24 4 - "-" "curl/8.4.0" "id" "host" "10.0.0.1:80"`,
		`[2019-10-14 10:56:06.963][326][debug][router] [external/envoy/source/common/router/router.cc:332] [C523429][S16681021969230338662] cluster 'outbound|3001||apigw' match for URL '/public/js/app.js'`,
		`{"start_time":"2024-07-20T07:05:54.173Z","response_code":504,"response_flags":"UT"}`,
	} {
		if rec, err := NewTextParser().Parse(line); err == nil || rec != nil {
			t.Errorf("Parse(%q) = %v, %v; want an error and no record", line, rec, err)
		}
	}
}

// TestParseTextDetailsWithSpaces: older releases wrote details with spaces
// inside the braces (formats.md §4.3: "spaces became underscores in newer
// releases"). They were cut at the first space: details
// "…{connection", termination "failure}", and a connect timeout read as a
// refusal.
func TestParseTextDetailsWithSpaces(t *testing.T) {
	tests := []struct {
		name        string
		line        string
		reason      sources.Reason
		details     string
		termination string
	}{
		{
			name:    "UF connection timeout",
			line:    `[2020-07-20T07:09:48.470Z] "GET /old HTTP/1.1" 503 UF upstream_reset_before_response_started{connection timeout} - "-" 0 91 1 - "-" "curl/7.68.0" "44898dba-8d8e-48f4-93f7-23e4b4c59301" "localhost:8000" "172.28.0.2:801"`,
			reason:  sources.ReasonConnectTimeout,
			details: "upstream_reset_before_response_started{connection timeout}",
		},
		{
			name:    "no flag, connection failure (a reviewer's line)",
			line:    `[2020-07-20T07:09:48.470Z] "GET /old HTTP/1.1" 503 - upstream_reset_before_response_started{connection failure} - "-" 0 91 1 - "-" "curl/7.68.0" "44898dba-8d8e-48f4-93f7-23e4b4c59301" "localhost:8000" "172.28.0.2:801"`,
			reason:  sources.ReasonRefused,
			details: "upstream_reset_before_response_started{connection failure}",
		},
		{
			name:        "details alone, then a termination",
			line:        `[2020-07-20T07:09:48.470Z] "GET /old HTTP/1.1" 503 UC upstream_reset_before_response_started{connection termination} downstream_remote_disconnect "-" 0 91 1 - "-" "curl/7.68.0" "44898dba-8d8e-48f4-93f7-23e4b4c59301" "localhost:8000" "172.28.0.2:801"`,
			reason:      sources.ReasonReset,
			details:     "upstream_reset_before_response_started{connection termination}",
			termination: "downstream_remote_disconnect",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := parseText(tt.line)
			if err != nil {
				t.Fatal(err)
			}
			if e.Reason != tt.reason || !strings.Contains(e.Detail, "details "+tt.details) {
				t.Fatalf("reason %s, detail %q; want %s with details %q", e.Reason, e.Detail, tt.reason, tt.details)
			}
			if tt.termination != "" && !strings.Contains(e.Detail, tt.termination) {
				t.Fatalf("detail %q lacks the termination %q", e.Detail, tt.termination)
			}
		})
	}
}
