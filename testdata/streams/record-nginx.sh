#!/bin/sh
# record-nginx.sh records nginx-1.22.1-stdout-stderr.log (see SOURCES.md):
# Debian's nginx with the official Docker image's log setup (access log on
# stdout in the "main" layout, error log on stderr at notice), stdout and
# stderr in one file as `docker logs` gives them, in front of an upstream
# port nothing listens on and the lab's backend (testdata/lab). Only
# 127.0.0.1 ports; every process it starts is stopped by its PID.
#
#	sh testdata/streams/record-nginx.sh [OUT]   (from the repository root)
set -eu
out=${1:-testdata/streams/nginx-1.22.1-stdout-stderr.log}
proxy=127.0.0.1:28280
closed=127.0.0.1:28281 # nothing listens here: refused
app=127.0.0.1:28282    # the lab backend: /ok, /slow (2 s), /reset, /hangup, /badheader, /unavailable, /error
dir=$(mktemp -d)
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT
for p in $proxy $closed $app; do
	if ss -ltnH "sport = :${p##*:}" | grep -q .; then
		echo "record-nginx: $p is in use" >&2
		exit 1
	fi
done

go build -o "$dir/backend" ./testdata/lab/cmd/backend
"$dir/backend" -addr $app -log /dev/null &
pids="$pids $!"

mkdir -p "$dir/tmp"
cat >"$dir/nginx.conf" <<EOF
user root root;
worker_processes 1;
pid $dir/nginx.pid;
# The official image: /var/log/nginx/error.log is a link to /dev/stderr,
# access.log to /dev/stdout.
error_log stderr notice;
events { worker_connections 64; }
http {
    client_body_temp_path $dir/tmp/client_body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    log_format main '\$remote_addr - \$remote_user [\$time_local] "\$request" '
                    '\$status \$body_bytes_sent "\$http_referer" '
                    '"\$http_user_agent" "\$http_x_forwarded_for"';
    access_log /dev/stdout main;
    server {
        listen $proxy;
        proxy_connect_timeout 1s;
        proxy_read_timeout 1s;
        location /refused/ { proxy_pass http://$closed; }
        location / { proxy_pass http://$app; }
    }
}
EOF
# Appending: nginx opens /dev/stdout again (O_APPEND), and a second file
# description at its own offset would write over its lines.
: >"$out"
nginx -p "$dir/" -c "$dir/nginx.conf" -e stderr -g 'daemon off;' >>"$out" 2>&1 &
nginx=$!
pids="$pids $nginx"

# Wait (at most 5 s) for both to listen, without a request.
i=0
until ss -ltnH "sport = :${proxy##*:}" | grep -q . && ss -ltnH "sport = :${app##*:}" | grep -q .; do
	i=$((i + 1))
	if [ $i -gt 50 ]; then
		echo "record-nginx: nginx or the backend did not start" >&2
		exit 1
	fi
	sleep 0.1
done

for path in /ok /refused/orders /ok /slow /unavailable /reset /ok /hangup /badheader /error /refused/cart /slow /ok; do
	curl -s -o /dev/null --max-time 5 -H 'X-Forwarded-For: 203.0.113.7' "http://$proxy$path" || true
	sleep 0.3
done

# docker stop: SIGQUIT is the image's STOPSIGNAL; nginx logs its shutdown.
kill -QUIT "$nginx"
wait "$nginx" 2>/dev/null || true
pids=${pids% $nginx}
echo "record-nginx: wrote $(wc -l <"$out") lines to $out" >&2
