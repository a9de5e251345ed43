#!/bin/sh
# record-caddy.sh records caddy-access.log and caddy-errors.log (see
# README.md here): Debian's Caddy 2.6.2 from a Caddyfile whose site `log`
# writes the access entries to one file and whose default logger (global
# `log default`, `exclude http.log.access`) writes every other entry, the
# http.log.error ones among them, to another, in front of a port nothing
# listens on and the lab's backend (testdata/lab): refused, timed out
# (response_header_timeout), reset, closed, bad header, the app's own 503
# and 500, the error directive's 503 and respond's 503. Only 127.0.0.1
# ports; every process it starts is stopped by its PID.
#
#	sh testdata/errorlog-alone/record-caddy.sh [DIR]   (from the repository root)
set -eu
out=${1:-testdata/errorlog-alone}
proxy=127.0.0.1:41730
closed=127.0.0.1:41731 # nothing listens here: refused
app=127.0.0.1:41732    # the lab backend: /ok, /slow (2 s), /reset, /hangup, /badheader, /unavailable, /error
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
		echo "record-caddy: $p is in use" >&2
		exit 1
	fi
done

go build -o "$dir/backend" ./testdata/lab/cmd/backend
"$dir/backend" -addr $app -log /dev/null &
pids="$pids $!"

cat >"$dir/Caddyfile" <<EOF
{
	admin off
	auto_https off
	storage file_system $dir/data
	# Every logger but the access log's: http.log.error, reverse_proxy,
	# start-up and shutdown.
	log default {
		output file $dir/caddy-errors.log
		format json
		exclude http.log.access
	}
}

http://$proxy {
	log {
		output file $dir/caddy-access.log
		format json
	}
	handle /refused/* {
		reverse_proxy $closed
	}
	handle /denied {
		error "denied by rule" 503
	}
	handle /maintenance {
		respond "down for maintenance" 503
	}
	handle {
		reverse_proxy $app {
			transport http {
				dial_timeout 1s
				response_header_timeout 1s
			}
		}
	}
}
EOF
XDG_CONFIG_HOME=$dir/config XDG_DATA_HOME=$dir/data HOME=$dir \
	caddy run --adapter caddyfile --config "$dir/Caddyfile" >"$dir/stdout.log" 2>&1 &
caddy=$!
pids="$pids $caddy"

# Wait (at most 5 s) for both to listen, without a request.
i=0
until ss -ltnH "sport = :${proxy##*:}" | grep -q . && ss -ltnH "sport = :${app##*:}" | grep -q .; do
	i=$((i + 1))
	if [ $i -gt 50 ]; then
		echo "record-caddy: caddy or the backend did not start" >&2
		cat "$dir/stdout.log" >&2
		exit 1
	fi
	sleep 0.1
done

n=0
for path in /ok /refused/orders /ok /slow /unavailable /reset /ok /hangup /badheader /error \
	/denied /maintenance /refused/cart /slow /reset /ok /refused/orders /denied; do
	n=$((n + 1))
	curl -s -o /dev/null --max-time 5 -H "X-Request-ID: rec-$n" "http://$proxy$path?n=$n" || true
	sleep 0.3
done

# systemd's caddy.service stops with SIGTERM (KillMode=mixed); Caddy logs
# its shutdown.
kill -TERM "$caddy"
wait "$caddy" 2>/dev/null || true
pids=${pids% $caddy}
if [ -s "$dir/stdout.log" ]; then
	echo "record-caddy: caddy wrote to stdout/stderr:" >&2
	cat "$dir/stdout.log" >&2
fi
cp "$dir/caddy-access.log" "$dir/caddy-errors.log" "$out/"
cp "$dir/Caddyfile" "$out/"
echo "record-caddy: wrote $(wc -l <"$out/caddy-access.log") access and $(wc -l <"$out/caddy-errors.log") other lines to $out" >&2
