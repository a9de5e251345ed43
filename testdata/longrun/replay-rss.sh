#!/usr/bin/env bash
# Replays N hours of demo logs at --speed max in a tmux session and samples
# the process's resident memory as it goes, to show that memory stays flat
# over a long run (issue 7). Not part of make test: it writes ~2.3 GB for
# 8 hours and runs for minutes. Usage: testdata/longrun/replay-rss.sh [HOURS]
set -euo pipefail
hours=${1:-8}
cd "$(dirname "$0")/../.."
dir=$(mktemp -d /tmp/fivexx-longrun.XXXXXX)
trap 'tmux kill-session -t fivexx-longrun 2>/dev/null || true; rm -rf "$dir"' EXIT
go build -o "$dir/fivexx" ./cmd/fivexx
"$dir/fivexx" demo --write "$dir/logs" --duration "${hours}h" >/dev/null
total=$(cat "$dir"/logs/*.log | wc -c)
lines=$(cat "$dir"/logs/*.log | wc -l)
echo "replaying ${hours} h of demo logs: $lines lines, $((total >> 20)) MiB"
tmux new-session -d -s fivexx-longrun -x 160 -y 48 \
  "TZ=UTC $dir/fivexx replay --speed max $dir/logs/access.log $dir/logs/error.log $dir/logs/app.log; sleep 600"
sleep 0.5
pid=$(pgrep -f "^$dir/fivexx replay" | head -1)
printf '%8s %10s %10s %10s\n' elapsed read% rss_MiB hwm_MiB
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  read=$(awk '/^rchar/ {print $2}' /proc/"$pid"/io)
  rss=$(awk '/^VmRSS/ {print $2}' /proc/"$pid"/status)
  hwm=$(awk '/^VmHWM/ {print $2}' /proc/"$pid"/status)
  pct=$((read * 100 / total))
  printf '%7ds %9d%% %10d %10d\n' $(( $(date +%s) - start )) "$pct" $((rss >> 10)) $((hwm >> 10))
  if [ "$pct" -ge 100 ]; then break; fi
  sleep 5
done
tmux capture-pane -p -t fivexx-longrun | head -5
