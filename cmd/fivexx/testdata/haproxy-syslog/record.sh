#!/bin/sh
# record.sh records the logs here (see README.md): Debian's HAProxy 2.6
# logging to stdout behind its own syslog headers, in front of a port
# nothing listens on and the lab's backend (testdata/lab), whose app log
# is in UTC:
#   custom-rfc3164.log  a custom log-format, httplog's without %CC %CS,
#                       "log stdout format rfc3164" with log-send-hostname
#   rfc5424.log         option httplog, "log stdout format rfc5424", under
#                       TZ=Europe/Athens: the header carries +02:00, %tr none
#   app.log             the backend's JSON lines for both runs (UTC)
# Only 127.0.0.1 ports; every process it starts is stopped by its PID.
#
#	sh cmd/fivexx/testdata/haproxy-syslog/record.sh [DIR]   (from the repository root)
set -eu
out=${1:-cmd/fivexx/testdata/haproxy-syslog}
proxy=127.0.0.1:24110
closed=127.0.0.1:24111 # nothing listens here: refused
app=127.0.0.1:24112    # the lab backend: /ok, /slow (2 s), /error, /unavailable
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
"$dir/backend" -addr $app -log "$dir/app.log" &
pids="$pids $!"

# config LOGLINE LOGFORMAT: the proxy's configuration.
config() {
	cat <<CFG
global
    $1
    log-send-hostname lb1
defaults
    mode http
    log global
    $2
    timeout connect 1s
    timeout server 1s
    timeout client 5s
    option abortonclose
frontend fe
    bind $proxy
    use_backend be_down if { path_beg /down }
    default_backend be_app
backend be_app
    server s1 $app
backend be_down
    server d1 $closed
CFG
}

# record NAME TZ LOGLINE LOGFORMAT: one run of HAProxy, its stdout to NAME.
record() {
	config "$3" "$4" >"$dir/$1.cfg"
	TZ=$2 haproxy -f "$dir/$1.cfg" -db >"$dir/$1" 2>"$dir/$1.stderr" &
	hap=$!
	pids="$pids $hap"
	i=0
	until ss -ltnH "sport = :${proxy##*:}" | grep -q . && ss -ltnH "sport = :${app##*:}" | grep -q .; do
		i=$((i + 1))
		if [ $i -gt 50 ]; then
			echo "record: haproxy or the backend did not start" >&2
			cat "$dir/$1.stderr" >&2
			exit 1
		fi
		sleep 0.1
	done
	n=0
	for path in /ok /ok /error /ok /down /ok /unavailable /ok /slow /ok /ok /error /ok /down /ok \
		/ok /unavailable /ok /ok /error /ok /ok /ok /down /ok; do
		n=$((n + 1))
		curl -s -o /dev/null --max-time 5 "http://$proxy$path?$1=$n" || true
		sleep 0.05
	done
	# A client that gives up before the answer (CH--, 400 under abortonclose).
	curl -s -o /dev/null --max-time 0.3 "http://$proxy/slow?$1=abort" || true
	sleep 2.2
	kill -USR1 "$hap"
	wait "$hap" 2>/dev/null || true
	pids=${pids% $hap}
}

record custom-rfc3164.log Europe/Athens "log stdout format rfc3164 local0" \
	'log-format "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %{+Q}r"'
record rfc5424.log Europe/Athens "log stdout format rfc5424 local0" "option httplog"
cp "$dir/custom-rfc3164.log" "$dir/rfc5424.log" "$dir/app.log" "$out/"
echo "record: wrote $(wc -l <"$out/custom-rfc3164.log"), $(wc -l <"$out/rfc5424.log") and $(wc -l <"$out/app.log") lines to $out" >&2
