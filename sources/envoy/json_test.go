package envoy

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

func TestParseJSON(t *testing.T) {
	type jsonCase struct {
		name string
		line string
		want *sources.ProxyEntry
	}
	tests := []jsonCase{
		{
			name: "Istio JSON, every value a string [real]",
			line: `{"requested_server_name":"-","bytes_received":"0","istio_policy_status":"-","bytes_sent":"178","upstream_cluster":"outbound|9080|v1|details.default.svc.cluster.local","downstream_remote_address":"10.244.2.77:56892","authority":"details:9080","path":"/details/0","protocol":"HTTP/1.1","upstream_service_time":"1","upstream_local_address":"10.244.2.77:40778","duration":"1","upstream_transport_failure_reason":"-","route_name":"-","downstream_local_address":"10.96.64.99:9080","user_agent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/85.0.4183.121 Safari/537.36","response_code":"200","response_flags":"-","start_time":"2020-09-30T03:22:42.267Z","method":"GET","request_id":"9bab4f77-f271-9d8b-9cf7-127055663144","upstream_host":"10.244.2.75:9080","x_forwarded_for":"-"}`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2020, 9, 30, 3, 22, 42, 268000000, time.UTC),
				Client:            "10.244.2.77",
				ClientPort:        "56892",
				Method:            "GET",
				Path:              "/details/0",
				Proto:             "HTTP/1.1",
				Host:              "details:9080",
				UserAgent:         "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/85.0.4183.121 Safari/537.36",
				Status:            200,
				BodyBytes:         178,
				RequestTime:       0.001,
				RequestID:         "9bab4f77-f271-9d8b-9cf7-127055663144",
				UpstreamAddr:      []string{"10.244.2.75:9080"},
				UpstreamHeader:    []string{"0.001"},
				Upstream:          "10.244.2.75:9080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Hop:               sources.HopOutbound,
				Conn:              "10.244.2.77:40778",
				Flags:             "-",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags,
			},
		},
		{
			name: "Envoy Gateway JSON, 200 [real]",
			line: `{":authority":"localhost:8888","bytes_received":73,"bytes_sent":302,"connection_termination_details":null,"downstream_local_address":"127.0.0.1:10080","downstream_remote_address":"127.0.0.1:55222","duration":6,"method":"POST","protocol":"HTTP/1.1","requested_server_name":null,"response_code":200,"response_code_details":"via_upstream","response_flags":"-","route_name":"httproute/aibrix-system/llama2-7b-router/rule/0/match/1/*","start_time":"2025-08-20T23:21:58.905Z","upstream_cluster":"httproute/aibrix-system/llama2-7b-router/rule/0","upstream_host":"10.244.0.19:8000","upstream_local_address":"10.244.0.30:48658","upstream_transport_failure_reason":null,"user-agent":"curl/8.7.1","x-envoy-origin-path":"/v1/chat/completions","x-envoy-upstream-service-time":null,"x-forwarded-for":"10.244.0.30","x-request-id":"4000a69d-3db6-404c-8892-4f8023e008f0"}`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2025, 8, 20, 23, 21, 58, 911000000, time.UTC),
				Client:            "127.0.0.1",
				ClientPort:        "55222",
				Method:            "POST",
				Path:              "/v1/chat/completions",
				Proto:             "HTTP/1.1",
				Host:              "localhost:8888",
				UserAgent:         "curl/8.7.1",
				Status:            200,
				BodyBytes:         302,
				RequestTime:       0.006,
				RequestID:         "4000a69d-3db6-404c-8892-4f8023e008f0",
				UpstreamAddr:      []string{"10.244.0.19:8000"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "10.244.0.19:8000",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Flags:             "-",
				Detail:            "response_code_details via_upstream: the upstream sent the response",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "Envoy Gateway JSON, UH with null upstream_host [real]",
			line: `{":authority":"localhost:8888","bytes_received":0,"bytes_sent":19,"connection_termination_details":null,"downstream_local_address":"127.0.0.1:10080","downstream_remote_address":"127.0.0.1:47350","duration":0,"method":"POST","protocol":"HTTP/1.1","requested_server_name":null,"response_code":503,"response_code_details":"no_healthy_upstream","response_flags":"UH","route_name":"original_route","start_time":"2025-08-21T03:23:19.513Z","upstream_cluster":"original_destination_cluster","upstream_host":null,"upstream_local_address":null,"upstream_transport_failure_reason":null,"user-agent":"curl/8.7.1","x-envoy-origin-path":"/v1/chat/completions","x-envoy-upstream-service-time":null,"x-forwarded-for":"10.244.0.34","x-request-id":"34137566-5a0d-4835-878e-bfebcb2e67fd"}`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2025, 8, 21, 3, 23, 19, 513000000, time.UTC),
				Client:            "127.0.0.1",
				ClientPort:        "47350",
				Method:            "POST",
				Path:              "/v1/chat/completions",
				Proto:             "HTTP/1.1",
				Host:              "localhost:8888",
				UserAgent:         "curl/8.7.1",
				Status:            503,
				BodyBytes:         19,
				RequestTime:       0,
				RequestID:         "34137566-5a0d-4835-878e-bfebcb2e67fd",
				UpstreamAddr:      []string{"-"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "original_destination_cluster",
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonNoLiveUpstreams,
				Flags:             "UH",
				Detail:            "no healthy upstream host in the cluster; response_code_details no_healthy_upstream",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "Envoy Gateway JSON, UF connection_timeout [built, Envoy Gateway keys]",
			line: `{":authority":"api.example.com","bytes_received":0,"bytes_sent":91,"connection_termination_details":null,"downstream_local_address":"10.244.0.14:10080","downstream_remote_address":"10.244.0.12:40112","duration":10001,"method":"GET","protocol":"HTTP/1.1","requested_server_name":null,"response_code":503,"response_code_details":"upstream_reset_before_response_started{connection_timeout}","response_flags":"UF","route_name":"httproute/default/backend/rule/0/match/0/*","start_time":"2025-08-21T03:30:00.004Z","upstream_cluster":"httproute/default/backend/rule/0","upstream_host":"10.244.1.23:80","upstream_local_address":null,"upstream_transport_failure_reason":null,"user-agent":"curl/8.7.1","x-envoy-origin-path":"/slow-connect","x-envoy-upstream-service-time":null,"x-forwarded-for":"10.244.0.12","x-request-id":"3f0c1c8e-5b2a-4c1d-9e8f-0a1b2c3d4e5f"}`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2025, 8, 21, 3, 30, 10, 5000000, time.UTC),
				Client:            "10.244.0.12",
				ClientPort:        "40112",
				Method:            "GET",
				Path:              "/slow-connect",
				Proto:             "HTTP/1.1",
				Host:              "api.example.com",
				UserAgent:         "curl/8.7.1",
				Status:            503,
				BodyBytes:         91,
				RequestTime:       10.001,
				RequestID:         "3f0c1c8e-5b2a-4c1d-9e8f-0a1b2c3d4e5f",
				UpstreamAddr:      []string{"10.244.1.23:80"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "10.244.1.23:80",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonConnectTimeout,
				Flags:             "UF",
				Detail:            "connect to the upstream timed out; response_code_details upstream_reset_before_response_started{connection_timeout}",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "Envoy Gateway JSON, UT response_timeout [built, Envoy Gateway keys]",
			line: `{":authority":"api.example.com","bytes_received":0,"bytes_sent":24,"connection_termination_details":null,"downstream_local_address":"10.244.0.14:10080","downstream_remote_address":"10.244.0.12:40114","duration":15001,"method":"GET","protocol":"HTTP/1.1","requested_server_name":null,"response_code":504,"response_code_details":"response_timeout","response_flags":"UT","route_name":"httproute/default/backend/rule/0/match/0/*","start_time":"2025-08-21T03:31:00.000Z","upstream_cluster":"httproute/default/backend/rule/0","upstream_host":"10.244.1.23:80","upstream_local_address":"10.244.0.14:58830","upstream_transport_failure_reason":null,"user-agent":"curl/8.7.1","x-envoy-origin-path":"/report","x-envoy-upstream-service-time":null,"x-forwarded-for":"10.244.0.12","x-request-id":"7d2c9a10-1f3e-4b5a-8c6d-2e3f4a5b6c7d"}`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2025, 8, 21, 3, 31, 15, 1000000, time.UTC),
				Client:            "10.244.0.12",
				ClientPort:        "40114",
				Method:            "GET",
				Path:              "/report",
				Proto:             "HTTP/1.1",
				Host:              "api.example.com",
				UserAgent:         "curl/8.7.1",
				Status:            504,
				BodyBytes:         24,
				RequestTime:       15.001,
				RequestID:         "7d2c9a10-1f3e-4b5a-8c6d-2e3f4a5b6c7d",
				UpstreamAddr:      []string{"10.244.1.23:80"},
				UpstreamHeader:    []string{"-"},
				Upstream:          "10.244.1.23:80",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonReadTimeout,
				Flags:             "UT",
				Detail:            "upstream request timeout; response_code_details response_timeout",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
		{
			name: "Envoy Gateway JSON, the app's 503 via_upstream [built, Envoy Gateway keys]",
			line: `{":authority":"api.example.com","bytes_received":0,"bytes_sent":21,"connection_termination_details":null,"downstream_local_address":"10.244.0.14:10080","downstream_remote_address":"10.244.0.12:40116","duration":43,"method":"GET","protocol":"HTTP/1.1","requested_server_name":null,"response_code":503,"response_code_details":"via_upstream","response_flags":"-","route_name":"httproute/default/backend/rule/0/match/0/*","start_time":"2025-08-21T03:32:00.000Z","upstream_cluster":"httproute/default/backend/rule/0","upstream_host":"10.244.1.23:80","upstream_local_address":"10.244.0.14:58832","upstream_transport_failure_reason":null,"user-agent":"curl/8.7.1","x-envoy-origin-path":"/maintenance","x-envoy-upstream-service-time":"42","x-forwarded-for":"10.244.0.12","x-request-id":"9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b"}`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2025, 8, 21, 3, 32, 0, 43000000, time.UTC),
				Client:            "10.244.0.12",
				ClientPort:        "40116",
				Method:            "GET",
				Path:              "/maintenance",
				Proto:             "HTTP/1.1",
				Host:              "api.example.com",
				UserAgent:         "curl/8.7.1",
				Status:            503,
				BodyBytes:         21,
				RequestTime:       0.043,
				RequestID:         "9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b",
				UpstreamAddr:      []string{"10.244.1.23:80"},
				UpstreamHeader:    []string{"0.042"},
				Upstream:          "10.244.1.23:80",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Flags:             "-",
				Detail:            "response_code_details via_upstream: the upstream sent the response",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		},
	}
	// A flag field with no flag reads as "-" (QA s31 F9): one row per way
	// of logging none, alike but for the field.
	for _, none := range []string{`""`, `null`} {
		tests = append(tests, jsonCase{
			name: "503 via_upstream, response_flags " + none + " [built, formats.md §4.1]",
			line: `{"start_time":"2024-07-20T07:09:42.470Z","method":"GET","path":"/maint","response_code":503,"response_flags":` + none + `,"upstream_host":"10.0.0.5:8080","request_id":"e3","duration":4,"upstream_service_time":"3","response_code_details":"via_upstream"}`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 7, 20, 7, 9, 42, 474000000, time.UTC),
				Method:            "GET",
				Path:              "/maint",
				Status:            503,
				BodyBytes:         -1,
				RequestTime:       0.004,
				RequestID:         "e3",
				UpstreamAddr:      []string{"10.0.0.5:8080"},
				UpstreamHeader:    []string{"0.003"},
				Upstream:          "10.0.0.5:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Flags:             "-",
				Detail:            "response_code_details via_upstream: the upstream sent the response",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID | sources.FieldFlags | sources.FieldCodeDetails,
			},
		})
	}
	// No response_flags key at all (a json_format that leaves it out):
	// no flags field, and the details, when logged, are Envoy's word.
	for _, details := range []string{`,"response_code_details":"via_upstream"`, ``} {
		want := &sources.ProxyEntry{
			Time:              time.Date(2024, 7, 20, 7, 9, 42, 474000000, time.UTC),
			Method:            "GET",
			Path:              "/maint",
			Status:            503,
			BodyBytes:         -1,
			RequestTime:       0.004,
			RequestID:         "e3",
			UpstreamAddr:      []string{"10.0.0.5:8080"},
			UpstreamHeader:    []string{"0.003"},
			Upstream:          "10.0.0.5:8080",
			UpstreamContacted: sources.Yes,
			UpstreamAnswered:  sources.Yes,
			Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldRequestID,
		}
		name := "503, no response_flags key, no details [built]"
		if details != "" {
			name = "503 via_upstream, no response_flags key [built]"
			want.Detail = "response_code_details via_upstream: the upstream sent the response"
			want.Fields |= sources.FieldCodeDetails
		}
		tests = append(tests, jsonCase{
			name: name,
			line: `{"start_time":"2024-07-20T07:09:42.470Z","method":"GET","path":"/maint","response_code":503,"upstream_cluster":"c1","upstream_host":"10.0.0.5:8080","request_id":"e3","duration":4,"upstream_service_time":"3"` + details + `}`,
			want: want,
		})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NewJSONParser().Parse(tc.line)
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

func TestParseJSONRejects(t *testing.T) {
	for _, line := range []string{
		``,
		`{`,
		`{"time":"2022-11-08T15:28:26.000000000-05:00","level":"INFO","msg":"hello","count":3}`,
		`{"start_time":"2024-07-20T07:05:54.173Z","response_code":504}`,
		`{"start_time":"yesterday","response_code":504,"response_flags":"UT"}`,
		`{"start_time":"2024-07-20T07:05:54.173Z","response_code":"abc","response_flags":"UT"}`,
		`{"start_time":"2024-07-20T07:05:54.173Z","response_code":504,"response_flags":"u t"}`,
		`[2024-07-20T07:05:54.173Z] "GET /gateway-timeout?delayMs=5000 HTTP/1.1" 504 UT response_timeout 0 24 4497 - "-" "curl/8.4.0" "6d67d674-2122-4a2d-b172-0be70c674371" "localhost:8000" "172.27.0.2:8080"`,
	} {
		if rec, err := NewJSONParser().Parse(line); err == nil || rec != nil {
			t.Errorf("Parse(%q) = %v, %v; want an error and no record", line, rec, err)
		}
	}
}
