package sources_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fivexx/sources"
)

// TestProxysOwnLinesAmongRequestsAreStartupLines: Envoy's, istio-agent's
// and Traefik's own lines after the first request (an xds reconnect, a
// config reload) are counted as start-up lines, as before the first
// request, not as unparsed: an istio-proxy stream with an istio-agent
// warning and info line after its requests read "2 unparsed" and got a
// note on stderr (QA s31 F12). A line no format reads stays unparsed and
// sampled, and so does a JSON line: an access line the JSON parser fails
// looks like the proxy's own JSON lines.
func TestProxysOwnLinesAmongRequestsAreStartupLines(t *testing.T) {
	const (
		junk       = "this line is no format's at all"
		agentWarn  = "2024-01-02T03:04:07.900000Z\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:152\tStreamAggregatedResources gRPC config stream to xds-grpc closed since 1800s ago: 13, \tthread=21"
		agentInfo  = "2024-01-02T03:04:08.000000Z\tinfo\txdsproxy\tconnected to upstream XDS server: istiod.istio-system.svc:15012"
		envoyOwn   = "[2024-01-02 03:04:07.950][21][warning][config] [source/extensions/config_subscription/grpc/grpc_stream.h:152] StreamAggregatedResources gRPC config stream to xds-grpc closed since 1800s ago: 13, "
		traefikOK  = `10.0.0.9 - - [02/Jan/2024:03:04:05 +0000] "GET /ok HTTP/1.1" 200 287 "-" "curl/8.4.0" 1 "api@docker" "http://172.18.0.5:8080" 7ms`
		traefik502 = `10.0.0.9 - - [02/Jan/2024:03:04:06 +0000] "GET /api HTTP/1.1" 502 11 "-" "curl/8.4.0" 2 "api@docker" "http://172.18.0.5:8080" 1ms`
		reloaded   = `time="2024-01-02T03:04:06Z" level=info msg="Configuration loaded from file: /etc/traefik/traefik.yml"`
		v3Reloaded = `2024-01-02T03:04:06Z INF github.com/traefik/traefik/v3/cmd/traefik/traefik.go:100 > Traefik version 3.0.0 built on 2024-04-29T14:25:59Z version=3.0.0`
		jsonOK     = `{"ClientHost":"10.0.0.9","DownstreamContentSize":287,"DownstreamStatus":200,"Duration":7000000,"OriginContentSize":287,"OriginDuration":6000000,"OriginStatus":200,"RequestMethod":"GET","RequestPath":"/ok","RetryAttempts":0,"RouterName":"api@docker","ServiceURL":"http://172.18.0.5:8080","StartUTC":"2024-01-02T03:04:05.120000000Z","level":"info","msg":"","time":"2024-01-02T03:04:05Z"}`
		jsonOwn    = `{"level":"info","msg":"Configuration loaded from file: /etc/traefik/traefik.yml","time":"2024-01-02T03:04:06Z"}`
	)
	tests := []struct {
		name              string
		fromHead          bool
		format            string
		lines             []string
		unparsed, startup int64
		samples           []string
	}{
		{"istio-agent's lines after the requests", false, "envoy",
			[]string{istioAgentLine, istioRequests[0], istioRequests[1], agentWarn, agentInfo, istioRequests[2]}, 0, 3, nil},
		{"istio-agent's lines, known from the head", true, "envoy",
			[]string{istioAgentLine, istioRequests[0], istioRequests[1], agentWarn, agentInfo, istioRequests[2]}, 0, 3, nil},
		{"Envoy's own line after a request", false, "envoy",
			[]string{istioRequests[0], istioRequests[1], envoyOwn, istioRequests[2]}, 0, 1, nil},
		{"istio-agent's line in a CRI wrapper", false, "envoy",
			[]string{cri("F", istioRequests[0]), cri("F", istioRequests[1]), cri("F", agentWarn), cri("F", istioRequests[2])}, 0, 1, nil},
		{"a junk line among Envoy's", false, "envoy",
			[]string{istioRequests[0], istioRequests[1], junk, agentInfo, istioRequests[2]}, 1, 1, []string{junk}},
		{"Traefik's reload lines after the requests", false, "traefik",
			[]string{traefikOK, reloaded, v3Reloaded, traefik502}, 0, 2, nil},
		{"Traefik's JSON line stays unparsed", false, "traefik-json",
			[]string{jsonOK, jsonOwn, jsonOK}, 1, 0, []string{jsonOwn}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "proxy.log")
			if err := os.WriteFile(path, []byte(strings.Join(tt.lines, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			in := sources.NewInput(0, sources.Spec{Path: path})
			out := make(chan sources.Item, 1<<12)
			d := sources.NewDecoder(in, out)
			if tt.fromHead {
				var err error
				if d, err = sources.NewHeadDecoder(in, out); err != nil {
					t.Fatal(err)
				}
			}
			for _, l := range tt.lines {
				if err := d.Line(context.Background(), l); err != nil {
					t.Fatal(err)
				}
			}
			if err := d.Finish(context.Background()); err != nil {
				t.Fatal(err)
			}
			c := in.Counters()
			if in.Format().Name != tt.format || c.Lines != int64(len(tt.lines)) || c.Unparsed != tt.unparsed || c.Startup != tt.startup ||
				strings.Join(c.Samples, "\n") != strings.Join(tt.samples, "\n") {
				t.Errorf("format %s: counters %+v; want %s, %d lines, %d unparsed %q, %d startup",
					in.Format().Name, c, tt.format, len(tt.lines), tt.unparsed, tt.samples, tt.startup)
			}
		})
	}
}
