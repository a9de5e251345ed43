#!/bin/bash
# The nginx-startapp recording (testdata/recordings/nginx-startapp): real
# nginx, stock combined access log (no ids, no request time), in front of
# backend.py, an app whose access log stamps each request's start (Apache
# %t). About 3 minutes. Ports: free ones in 20000-31999 (below Linux's
# ephemeral range), 127.0.0.1 only; nginx and the backend are stopped by
# PID. Usage: testdata/lab/startapp/run.sh; it prints the directory the
# logs are in. APP_ID=rid: the backend writes the request id as a
# trailing rid= field instead of a quoted one (the nginx-startapp-rid
# recording).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=$(mktemp -d /tmp/fivexx-startapp.XXXX)
free() { while :; do p=$(( 20000 + RANDOM % 12000 )); ss -tan | grep -q ":$p " || { echo $p; return; }; done; }
PP=$(free); BP=$(free)
mkdir -p $DIR/tmp
cat > $DIR/nginx.conf <<NG
worker_processes 1;
pid $DIR/nginx.pid;
error_log $DIR/error.log error;
events { worker_connections 512; }
http {
    client_body_temp_path $DIR/tmp/client_body;
    proxy_temp_path $DIR/tmp/proxy;
    fastcgi_temp_path $DIR/tmp/fastcgi;
    uwsgi_temp_path $DIR/tmp/uwsgi;
    scgi_temp_path $DIR/tmp/scgi;
    default_type text/plain;
    access_log $DIR/access.log combined;
    upstream app {
        server 127.0.0.1:$BP;
    }
    server {
        listen 127.0.0.1:$PP;
        proxy_connect_timeout 2s;
        proxy_read_timeout 30s;
        proxy_next_upstream off;
        proxy_set_header X-Request-ID \$request_id;
        location / {
            proxy_pass http://app;
        }
    }
}
NG
nice -n 19 python3 $HERE/backend.py $BP $DIR/app.log ${APP_ID:-quoted} & BPID=$!
sleep 0.5
nice -n 19 /usr/sbin/nginx -p $DIR -c $DIR/nginx.conf -e $DIR/error.log -g 'daemon off;' & NPID=$!
sleep 0.5
for i in 1 2 3 4 5 6; do ss -ltn | grep -q "127.0.0.1:$PP " && break; sleep 0.5; done
ss -ltn | grep -q "127.0.0.1:$PP " || { kill $NPID $BPID; echo "nginx did not start"; exit 1; }
echo "dir=$DIR proxy=$PP backend=$BP nginx=$NPID backend_pid=$BPID"
nice -n 19 python3 $HERE/client.py 127.0.0.1:$PP $DIR/truth.jsonl "$@"
kill $NPID; wait $NPID
kill $BPID; wait $BPID
echo "$DIR"
