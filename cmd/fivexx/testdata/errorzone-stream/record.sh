#!/bin/sh
# record.sh records access.log and error.log here: Debian's nginx run with
# TZ=Asia/Kolkata (nginx keeps TZ from its environment), so the access log
# writes +0530 and the error log its wall time with no zone, in front of
# the lab backend (testdata/lab: /ok, /reset) and a port nothing listens
# on (refused). Only 127.0.0.1 ports; every process it starts is stopped
# by its PID.
#
#	sh cmd/fivexx/testdata/errorzone-stream/record.sh   (from the repository root)
set -eu
here=cmd/fivexx/testdata/errorzone-stream
base=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000 ))
proxy=127.0.0.1:$base
closed=127.0.0.1:$((base + 1)) # nothing listens here: refused
app=127.0.0.1:$((base + 2))
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
		echo "record: $p is in use" >&2
		exit 1
	fi
done
go build -o "$dir/backend" ./testdata/lab/cmd/backend
"$dir/backend" -addr $app -log /dev/null &
pids="$pids $!"
mkdir -p "$dir/tmp"
cat >"$dir/nginx.conf" <<CONF
user root root;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 64; }
http {
    client_body_temp_path $dir/tmp/client_body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    log_format up '\$remote_addr - \$remote_user [\$time_local] "\$request" \$status \$body_bytes_sent "\$http_referer" "\$http_user_agent" rt=\$request_time uct="\$upstream_connect_time" uht="\$upstream_header_time" urt="\$upstream_response_time" ua="\$upstream_addr" us="\$upstream_status"';
    access_log $dir/access.log up;
    server {
        listen $proxy;
        proxy_connect_timeout 1s;
        proxy_read_timeout 1s;
        location /refused/ { proxy_pass http://$closed; }
        location / { proxy_pass http://$app; }
    }
}
CONF
TZ=Asia/Kolkata nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' &
nginx=$!
pids="$pids $nginx"
i=0
until ss -ltnH "sport = :${proxy##*:}" | grep -q . && ss -ltnH "sport = :${app##*:}" | grep -q .; do
	i=$((i + 1))
	if [ $i -gt 50 ]; then
		echo "record: nginx or the backend did not start" >&2
		exit 1
	fi
	sleep 0.1
done
for n in 1 2 3 4 5 6; do
	for path in /ok /refused/orders /ok /reset /ok; do
		curl -s -o /dev/null --max-time 5 "http://$proxy$path?n=$n" || true
		sleep 0.2
	done
done
kill -QUIT "$nginx"
wait "$nginx" 2>/dev/null || true
pids=${pids% $nginx}
cp "$dir/access.log" "$dir/error.log" "$here/"
echo "record: $(wc -l <"$here/access.log") access lines, $(wc -l <"$here/error.log") error lines" >&2
