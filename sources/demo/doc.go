// Package demo generates real-format logs for fivexx's demo and training
// mode: an nginx access log, an nginx error log and a JSON app log, as one
// simulated shop would write them while a scenario plays (a crashing deploy,
// OOM kills, a database failover, ...). It produces text lines only; they go
// through the same parsers, correlator and UI as live logs.
//
// The rules are:
//   - Every line is what the real program writes. The field values follow
//     nginx 1.22.1's behaviour, checked against lines it logged for the same
//     failures: a refused connect leaves $upstream_connect_time "-"; a reset
//     or timeout sets it; $upstream_header_time is a number only when a valid
//     header arrived; retries join values with ", ".
//   - The error-log line of a failed attempt is written at the failure time,
//     before the access line, which nginx writes when the request ends. Its
//     *N is the $connection of the access line.
//   - The app logs "request started" when the request reaches it and
//     "request finished" when it answers, with the request id nginx
//     forwarded. A request that never reached the app has no app line; a
//     process that was killed never logs "finished".
//   - Output is a pure function of the scenario, seed and start time: one
//     seeded PCG drives everything, nothing reads the clock, no map is
//     iterated.
//
// The simulated nginx runs in UTC with this configuration (what the
// generator reproduces, including who retries what):
//
//	log_format upstreaminfo '$remote_addr - $remote_user [$time_local] "$request" '
//	    '$status $body_bytes_sent "$http_referer" "$http_user_agent" rt=$request_time '
//	    'uct="$upstream_connect_time" uht="$upstream_header_time" '
//	    'urt="$upstream_response_time" ua="$upstream_addr" us="$upstream_status" '
//	    'rid=$request_id cid=$connection';
//	worker_processes 4;
//	proxy_next_upstream error timeout;   # the default: invalid headers and 5xx are not retried
//	proxy_next_upstream_tries 2;
//	proxy_connect_timeout 2s;
//	proxy_read_timeout 5s;
//	proxy_set_header X-Request-ID $request_id;
//	limit_req_zone $binary_remote_addr zone=api:10m rate=20r/s;
//	limit_req_zone $binary_remote_addr zone=login:10m rate=1r/s;
//	upstream api_backend {     # passive checks off: a dead server keeps its share
//	    zone api_backend 64k; keepalive 32;
//	    server 10.0.1.11:8080 max_fails=0; server 10.0.1.12:8080 max_fails=0;
//	    server 10.0.1.13:8080 max_fails=0; server 10.0.1.14:8080 max_fails=0;
//	}
//	upstream web_backend {
//	    zone web_backend 64k; keepalive 16;
//	    server 10.0.2.21:3000 max_fails=0; server 10.0.2.22:3000 max_fails=0;
//	}
//	upstream billing_backend { server 10.0.3.31:8080; }   # one server: never marked down
//	server {
//	    server_name api.example.com;
//	    location /api/        { limit_req zone=api burst=20 nodelay; proxy_pass http://api_backend; }
//	    location = /api/login { limit_req zone=login burst=5 nodelay; limit_req_status 429;
//	                            proxy_pass http://api_backend; }
//	    location /billing/    { proxy_pass http://billing_backend; }
//	}
//	server { server_name shop.example.com; location / { proxy_pass http://web_backend; } }
//
// The limiter on /api/ answers 503, nginx's default limit_req_status; the
// one on /api/login answers 429 because that location sets limit_req_status.
// With max_fails=0 nginx never reports "no live upstreams", so no scenario
// produces no_healthy_upstream.
package demo

// NginxLogFormat is the log_format of the access log the demo writes (the
// format fivexx's nginx parser registers as "nginx-upstream").
const NginxLogFormat = `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" rt=$request_time uct="$upstream_connect_time" uht="$upstream_header_time" urt="$upstream_response_time" ua="$upstream_addr" us="$upstream_status" rid=$request_id cid=$connection`
