package sources

import "testing"

// TestOwnLine: the lines proxies write themselves are told by their layout
// and marked by what only they say; an app's lines in the same layouts
// are not marked (a mark holds a live input's lines for a proxy's
// requests).
func TestOwnLine(t *testing.T) {
	tests := []struct {
		name, line string
		fam        proxyFamily
		mark       bool
	}{
		{"caddy console", "2024/01/02 03:04:05.123\tINFO\tadmin\tadmin endpoint started\t{\"address\": \"localhost:2019\"}", famCaddy, true},
		{"caddy json, logger", `{"level":"info","ts":1704164600.5,"logger":"tls.cache.maintenance","msg":"started background certificate maintenance","cache":"0xc0004b2a80"}`, famCaddy, true},
		{"istio-agent without scope", "2024-01-02T03:04:01.123456Z\tinfo\tFLAG: --concurrency=\"2\"", famEnvoy, true},
		{"istio-agent, unknown scope", "2024-01-02T03:04:01.123456Z\tinfo\tmodel\tsomething", famEnvoy, false},
		{"envoy's own log", `[2024-01-02 03:04:05.123][1][info][main] [source/server/server.cc:404] initializing epoch 0 (base id=0, hot restart version=11.104)`, famEnvoy, true},
		{"traefik v2 text", `time="2024-01-02T03:03:51Z" level=info msg="Traefik version 2.10.4 built on 2023-07-24T16:26:30Z"`, famTraefik, true},
		{"traefik v3 console", `2024-04-29T10:49:20Z INF github.com/traefik/traefik/v3/cmd/traefik/traefik.go:100 > Traefik version 3.0.0 built on 2024-04-29T14:25:59Z version=3.0.0`, famTraefik, true},
		{"traefik v3 json", `{"level":"info","version":"3.0.0","time":"2024-04-29T10:49:20Z","message":"Traefik version 3.0.0 built on 2024-04-29T14:25:59Z"}`, famTraefik, true},
		{"ingress banner", "NGINX Ingress controller", famIngress, true},
		{"ingress klog", `I0308 16:02:00.000000       7 nginx.go:261] "Starting NGINX Ingress controller"`, famIngress, true},
		{"other klog", `I0308 16:01:10.000000       7 main.go:205] "Creating API client" host="https://10.96.0.1:443"`, famIngress, false},
		{"nginx entrypoint", "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration", famNginx, true},
		{"nginx entrypoint, quiet part", "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh", famNginx, false},
		{"nginx image's script", "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf", famNginx, true},
		{"a user's entrypoint script", "40-wait-for-api.sh: waiting for api:8080", famNginx, false},
		{"nginx notice", `2024/01/02 03:04:05 [notice] 1#1: using the "epoll" event method`, famNginx, true},
		{"nginx version notice", "2024/01/02 03:04:05 [notice] 1#1: nginx/1.25.3", famNginx, true},
		{"nginx warning about its config", `2024/01/02 03:04:05 [warn] 1#1: conflicting server name "api" on 0.0.0.0:80, ignored`, famNginx, false},
		{"haproxy 2.6 stderr", "[NOTICE]   (1) : New worker (8) forked", famHAProxy, true},
		{"haproxy 2.6 config warning", "[WARNING]  (1) : config : missing timeouts for backend 'be_app'.", famHAProxy, true},
		{"haproxy 2.2 stderr", "[NOTICE] 013/220444 (1) : New worker #1 (12) forked", famHAProxy, true},
		{"haproxy stderr, other message", "[ALERT]    (1) : sendmsg()/writev() failed in logger #1: No such file or directory (errno=2)", famHAProxy, false},
		{"haproxy message, next line", "   | with such a configuration. To fix this, please ensure that all following", famHAProxy, false},
		{"haproxy proxy started", "Proxy fe_http started.", famHAProxy, false},
		{"an image's copy of nginx's entrypoint", "/usr/local/bin/docker-entrypoint.sh: Configuration complete; ready for start up", famNginx, true},
		// A request's line, and an app's lines.
		{"a request's nginx error line", `2024/01/02 03:04:05 [error] 29#29: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.9`, famNone, false},
		{"bracketed level, no pid", "[NOTICE] worker started", famNone, false},
		{"slog json", `{"time":"2024-01-02T03:04:05Z","level":"INFO","msg":"Configuration loaded from flags."}`, famNone, false},
		{"logrus json app", `{"level":"info","msg":"listening on :8080","time":"2024-01-02T03:04:05Z"}`, famTraefik, false},
		{"zap production", `{"level":"info","ts":1704164600.5,"caller":"api/main.go:42","logger":"tls.cache.maintenance","msg":"started background certificate maintenance"}`, famNone, false},
		{"zap, a logger named admin", `{"level":"info","ts":1704164600.5,"logger":"admin","msg":"user created"}`, famCaddy, false},
		{"zap console app", "2024-01-02T03:04:05.123Z\tinfo\tcache\tcache warmed", famNone, false},
		{"slog text", `time=2024-01-02T03:04:05.000Z level=INFO msg="Configuration loaded from flags."`, famNone, false},
		{"plain text", `2024-01-02 03:04:05,678 ERROR [req-4f7c2c8d] orders: upstream payment service returned 503`, famNone, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if fam, mark, _ := ownLine(tt.line); fam != tt.fam || mark != tt.mark {
				t.Fatalf("proxy %d, mark %v; want %d, %v", fam, mark, tt.fam, tt.mark)
			}
		})
	}
}
