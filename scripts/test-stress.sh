#!/usr/bin/env bash
# `make test-stress`: the whole suite (`make test`, browser tests included) RUNS times in a row (default 5)
# while another process keeps one core busy, as on a loaded laptop or a CI machine that is still doing other
# work. Stops at the first failure; prints how long each run took.
#
#   RUNS=3 make test-stress      fewer rounds
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
python3 -c 'while True: pass' &
burner=$!
trap 'kill "$burner" 2>/dev/null; wait "$burner" 2>/dev/null' EXIT
echo "test-stress: one core kept busy by process $burner; $runs runs of make test" >&2
for run in $(seq 1 "$runs"); do
    started=$(date +%s)
    if ! make --no-print-directory test >"/tmp/kkssite-stress-$run.log" 2>&1; then
        tail -n 60 "/tmp/kkssite-stress-$run.log" >&2
        echo "test-stress: run $run of $runs FAILED after $(( $(date +%s) - started )) s (log: /tmp/kkssite-stress-$run.log)" >&2
        exit 1
    fi
    summary=$(grep -E '^[0-9]+ passed' "/tmp/kkssite-stress-$run.log" | tail -n 1)
    echo "test-stress: run $run of $runs passed in $(( $(date +%s) - started )) s ($summary)" >&2
done
echo "test-stress: $runs of $runs runs passed with one core busy" >&2
