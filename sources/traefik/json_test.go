package traefik

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

func TestParseJSON(t *testing.T) {
	tests := []struct {
		name string
		line string
		want *sources.ProxyEntry
	}{
		{
			name: "JSON 200 with every key [real, goaccess-for-nginxproxymanager issue 108]",
			line: `{"ClientAddr":"XXX.XXX.XXX.XXX:63251","ClientHost":"XXX.XXX.XXX.XXX","ClientPort":"63251","ClientUsername":"-","DownstreamContentSize":185,"DownstreamStatus":200,"Duration":8764859,"OriginContentSize":185,"OriginDuration":8147549,"OriginStatus":200,"Overhead":617310,"RequestAddr":"sub.example.com","RequestContentSize":0,"RequestCount":17343,"RequestHost":"sub.example.com","RequestMethod":"GET","RequestPath":"/pebble","RequestPort":"-","RequestProtocol":"HTTP/1.1","RequestScheme":"https","RetryAttempts":0,"RouterName":"https-ns@docker","ServiceAddr":"172.21.0.3:8564","ServiceName":"ns-ns@docker","ServiceURL":"http://172.21.0.3:8564","StartLocal":"2024-12-29T12:42:41.965891254+01:00","StartUTC":"2024-12-29T11:42:41.965891254Z","TLSCipher":"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256","TLSVersion":"1.2","entryPointName":"https","level":"info","msg":"","time":"2024-12-29T12:42:41+01:00"}`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 12, 29, 11, 42, 41, 974656113, time.UTC),
				Client:            "XXX.XXX.XXX.XXX",
				ClientPort:        "63251",
				Method:            "GET",
				Path:              "/pebble",
				Proto:             "HTTP/1.1",
				Host:              "sub.example.com",
				Status:            200,
				BodyBytes:         185,
				RequestTime:       0.008764859,
				UpstreamAddr:      []string{"172.21.0.3:8564"},
				UpstreamStatus:    []string{"200"},
				UpstreamResponse:  []string{"0.008"},
				UpstreamStatusRaw: "200",
				Upstream:          "172.21.0.3:8564",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamResponseTime | sources.FieldRequestTime,
			},
		},
		{
			name: "JSON 207 [real, keys trimmed, formats.md §7.3]",
			line: `{"ClientHost":"XXX.XXX.XXX.XXX","DownstreamContentSize":287,"DownstreamStatus":207,"Duration":8184335,"OriginContentSize":287,"OriginDuration":7349966,"OriginStatus":207,"RequestHost":"sub.example.com","RequestMethod":"REPORT","RequestPath":"/dav.php/calendars/","RetryAttempts":0,"RouterName":"https-bk@docker","ServiceAddr":"172.29.0.2:8111","ServiceName":"bk-bk@docker","ServiceURL":"http://172.29.0.2:8111","StartUTC":"2024-12-29T11:42:47.503803974Z","entryPointName":"https","level":"info","msg":"","time":"2024-12-29T12:42:47+01:00"}`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 12, 29, 11, 42, 47, 511988309, time.UTC),
				Client:            "XXX.XXX.XXX.XXX",
				Method:            "REPORT",
				Path:              "/dav.php/calendars/",
				Host:              "sub.example.com",
				Status:            207,
				BodyBytes:         287,
				RequestTime:       0.008184335,
				UpstreamAddr:      []string{"172.29.0.2:8111"},
				UpstreamStatus:    []string{"207"},
				UpstreamResponse:  []string{"0.007"},
				UpstreamStatusRaw: "207",
				Upstream:          "172.29.0.2:8111",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamResponseTime | sources.FieldRequestTime,
			},
		},
		{
			name: "JSON own 502: OriginStatus 502, OriginContentSize 11 [built, formats.md §7.3]",
			line: `{"ClientHost":"10.0.0.9","DownstreamContentSize":11,"DownstreamStatus":502,"Duration":1834000,"OriginContentSize":11,"OriginDuration":1702000,"OriginStatus":502,"RequestMethod":"GET","RequestPath":"/api","RetryAttempts":0,"RouterName":"api@docker","ServiceName":"api@docker","ServiceURL":"http://172.18.0.5:8080","StartUTC":"2025-01-02T03:04:05.120000000Z","level":"info","msg":"","request_X-Request-Id":"7b1a5f3e-0c2d-4e8f-9a6b-1c2d3e4f5a6b","time":"2025-01-02T03:04:05Z"}`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2025, 1, 2, 3, 4, 5, 121834000, time.UTC),
				Client:            "10.0.0.9",
				Method:            "GET",
				Path:              "/api",
				Status:            502,
				BodyBytes:         11,
				RequestTime:       0.001834,
				RequestID:         "7b1a5f3e-0c2d-4e8f-9a6b-1c2d3e4f5a6b",
				UpstreamAddr:      []string{"172.18.0.5:8080"},
				UpstreamStatus:    []string{"502"},
				UpstreamStatusRaw: "502",
				Upstream:          "172.18.0.5:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Detail:            "Traefik's own 502 (cause only in its DEBUG log)",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "JSON 503 no available server: OriginStatus 0, no ServiceURL [built, JSON keys]",
			line: `{"ClientHost":"10.0.0.9","DownstreamContentSize":20,"DownstreamStatus":503,"Duration":214000,"OriginContentSize":0,"OriginDuration":0,"OriginStatus":0,"RequestMethod":"GET","RequestPath":"/orders","RetryAttempts":0,"RouterName":"orders@docker","ServiceName":"orders@docker","StartUTC":"2025-01-02T03:04:06.000000000Z","level":"info","msg":"","request_X-Request-Id":"0e6c2b9a-3f4d-4a1b-8c7d-6e5f4a3b2c1d","time":"2025-01-02T03:04:06Z"}`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2025, 1, 2, 3, 4, 6, 214000, time.UTC),
				Client:            "10.0.0.9",
				Method:            "GET",
				Path:              "/orders",
				Status:            503,
				BodyBytes:         20,
				RequestTime:       0.000214,
				RequestID:         "0e6c2b9a-3f4d-4a1b-8c7d-6e5f4a3b2c1d",
				UpstreamStatus:    []string{"-"},
				UpstreamStatusRaw: "-",
				Upstream:          "orders@docker",
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonNoLiveUpstreams,
				Detail:            "no available server: the service has no healthy server",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "JSON 429 rate limited: OriginStatus 0 [built, JSON keys]",
			line: `{"ClientHost":"10.0.0.9","DownstreamContentSize":17,"DownstreamStatus":429,"Duration":98000,"OriginContentSize":0,"OriginDuration":0,"OriginStatus":0,"RequestMethod":"POST","RequestPath":"/login","RetryAttempts":0,"RouterName":"login@docker","ServiceName":"login@docker","StartUTC":"2025-01-02T03:04:07.000000000Z","level":"info","msg":"","request_X-Request-Id":"5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a","time":"2025-01-02T03:04:07Z"}`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2025, 1, 2, 3, 4, 7, 98000, time.UTC),
				Client:            "10.0.0.9",
				Method:            "POST",
				Path:              "/login",
				Status:            429,
				BodyBytes:         17,
				RequestTime:       9.8e-05,
				RequestID:         "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a",
				UpstreamStatus:    []string{"-"},
				UpstreamStatusRaw: "-",
				Upstream:          "login@docker",
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonRateLimited,
				Detail:            "rate limited by a Traefik middleware",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "JSON own 504 after OriginDuration 30 s [built, JSON keys]",
			line: `{"ClientHost":"10.0.0.9","DownstreamContentSize":15,"DownstreamStatus":504,"Duration":30001734000,"OriginContentSize":15,"OriginDuration":30001502000,"OriginStatus":504,"RequestMethod":"GET","RequestPath":"/report","RetryAttempts":0,"RouterName":"report@docker","ServiceName":"report@docker","ServiceURL":"http://172.18.0.9:8080","StartUTC":"2025-01-02T03:04:08.000000000Z","level":"info","msg":"","request_X-Request-Id":"9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d","time":"2025-01-02T03:04:38Z"}`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2025, 1, 2, 3, 4, 38, 1734000, time.UTC),
				Client:            "10.0.0.9",
				Method:            "GET",
				Path:              "/report",
				Status:            504,
				BodyBytes:         15,
				RequestTime:       30.001734,
				RequestID:         "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d",
				UpstreamAddr:      []string{"172.18.0.9:8080"},
				UpstreamStatus:    []string{"504"},
				UpstreamStatusRaw: "504",
				Upstream:          "172.18.0.9:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonConnectTimeout,
				Detail:            "Traefik's own 504 after its 30 s dial timeout",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "JSON 503 from the backend [built, JSON keys]",
			line: `{"ClientHost":"10.0.0.9","DownstreamContentSize":57,"DownstreamStatus":503,"Duration":12450000,"OriginContentSize":57,"OriginDuration":12011000,"OriginStatus":503,"RequestMethod":"GET","RequestPath":"/search","RetryAttempts":0,"RouterName":"api@docker","ServiceAddr":"172.18.0.5:8080","ServiceName":"api@docker","ServiceURL":"http://172.18.0.5:8080","StartUTC":"2025-01-02T03:05:08.000000000Z","level":"info","msg":"","request_X-Request-Id":"3c2b1a0f-9e8d-4c7b-6a5f-4e3d2c1b0a9f","time":"2025-01-02T03:05:08Z"}`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2025, 1, 2, 3, 5, 8, 12450000, time.UTC),
				Client:            "10.0.0.9",
				Method:            "GET",
				Path:              "/search",
				Status:            503,
				BodyBytes:         57,
				RequestTime:       0.01245,
				RequestID:         "3c2b1a0f-9e8d-4c7b-6a5f-4e3d2c1b0a9f",
				UpstreamAddr:      []string{"172.18.0.5:8080"},
				UpstreamStatus:    []string{"503"},
				UpstreamResponse:  []string{"0.012"},
				UpstreamStatusRaw: "503",
				Upstream:          "172.18.0.5:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamResponseTime | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			// 21 bytes is http.StatusText(500), the body Traefik's error
			// handler writes (pkg/proxy/httputil/proxy.go): only likely
			// Traefik's, so whether the upstream answered is unknown, and its
			// OriginDuration is no answer's time.
			name: "JSON 500 with the 21-byte body after a retry [built, JSON keys]",
			line: `{"ClientHost":"10.0.0.9","DownstreamContentSize":21,"DownstreamStatus":500,"Duration":45120000,"OriginContentSize":21,"OriginDuration":44800000,"OriginStatus":500,"RequestMethod":"POST","RequestPath":"/checkout","RetryAttempts":1,"RouterName":"api@docker","ServiceAddr":"172.18.0.5:8080","ServiceName":"api@docker","ServiceURL":"http://172.18.0.5:8080","StartUTC":"2025-01-02T03:06:08.000000000Z","level":"info","msg":"","request_X-Request-Id":"b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e","time":"2025-01-02T03:06:08Z"}`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2025, 1, 2, 3, 6, 8, 45120000, time.UTC),
				Client:            "10.0.0.9",
				Method:            "POST",
				Path:              "/checkout",
				Status:            500,
				BodyBytes:         21,
				RequestTime:       0.04512,
				RequestID:         "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e",
				UpstreamAddr:      []string{"172.18.0.5:8080"},
				UpstreamStatus:    []string{"500"},
				UpstreamStatusRaw: "500",
				Upstream:          "172.18.0.5:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Unknown,
				Detail:            "likely Traefik's own 500 (a transport error such as TLS; the cause only in its log); retried",
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "JSON 500 from the backend, its own body [built, JSON keys]",
			line: `{"ClientHost":"10.0.0.9","DownstreamContentSize":38,"DownstreamStatus":500,"Duration":45120000,"OriginContentSize":38,"OriginDuration":44800000,"OriginStatus":500,"RequestMethod":"POST","RequestPath":"/checkout","RetryAttempts":0,"RouterName":"api@docker","ServiceAddr":"172.18.0.5:8080","ServiceName":"api@docker","ServiceURL":"http://172.18.0.5:8080","StartUTC":"2025-01-02T03:06:08.000000000Z","level":"info","msg":"","time":"2025-01-02T03:06:08Z"}`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2025, 1, 2, 3, 6, 8, 45120000, time.UTC),
				Client:            "10.0.0.9",
				Method:            "POST",
				Path:              "/checkout",
				Status:            500,
				BodyBytes:         38,
				RequestTime:       0.04512,
				UpstreamAddr:      []string{"172.18.0.5:8080"},
				UpstreamStatus:    []string{"500"},
				UpstreamResponse:  []string{"0.045"},
				UpstreamStatusRaw: "500",
				Upstream:          "172.18.0.5:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Fields:            sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamResponseTime | sources.FieldRequestTime,
			},
		},
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
		`{"DownstreamStatus":502,"RequestPath":"/api"}`,
		`{"DownstreamStatus":"abc","RequestPath":"/api","StartUTC":"2025-01-02T03:04:05Z"}`,
		`{"DownstreamStatus":5020,"RequestPath":"/api","StartUTC":"2025-01-02T03:04:05Z"}`,
		`{"StartUTC":"2025-01-02T03:04:05Z","RequestPath":"/api","status":502}`,
	} {
		if rec, err := NewJSONParser().Parse(line); err == nil || rec != nil {
			t.Errorf("Parse(%q) = %v, %v; want an error and no record", line, rec, err)
		}
	}
}
