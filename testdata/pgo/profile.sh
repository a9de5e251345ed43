#!/bin/bash
# profile.sh refreshes cmd/fivexx/default.pgo, the CPU profile that go build
# and go run use for profile-guided optimization of fivexx (Go picks up a
# default.pgo in the main package's directory by itself). The profile comes
# from the work fivexx spends its CPU on: reports of a generated log set
# (access, error and app logs; the access log alone; combined; gzip) and a
# replay at full speed (BenchmarkReplayMax) over the same set.
#
# Run from the repository root: make pgo. PGO_LINES sets the requests of
# the set (default 1,000,000: about 900 MB of temporary files).
set -euo pipefail
GO=${GO:-go}
lines=${PGO_LINES:-1000000}
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$GO" run ./testdata/biglog/cmd/biglog -lines "$lines" -seed 1 -out "$work/logs" >/dev/null
# Built without the old profile, so the new one does not depend on it.
"$GO" build -pgo=off -o "$work/fivexx" ./cmd/fivexx

n=0
profile() {
	n=$((n + 1))
	(cd "$work/logs" && TZ=UTC FIVEXX_CPUPROFILE="$work/p$n.prof" "$work/fivexx" report --json "$@" >/dev/null)
}
gzip -k "$work/logs/access.log" "$work/logs/app.log"
for _ in 1 2 3; do
	profile access.log error.log app.log
	profile access.log
	profile combined.log
done
profile access.log.gz error.log app.log.gz

FIVEXX_BENCH_LOGS="$work/logs" "$GO" test -pgo=off -run '^$' -bench 'ReplayMax' -benchtime 3x \
	-cpuprofile "$work/replay.prof" -o "$work/replay.test" ./classify/replay >/dev/null

"$GO" tool pprof -proto "$work"/*.prof >"$root/cmd/fivexx/default.pgo"
echo "wrote cmd/fivexx/default.pgo from $((n + 1)) profiles over $lines requests"
