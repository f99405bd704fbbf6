#!/usr/bin/env bash
# A/B benchmark of two commits in one sitting: builds each in its own worktree under /tmp, then runs
# the benches on them in turn (A, B, A, B …), so both sides see the same load.
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5433/postgres \
#     scripts/bench-ab.sh <rev-a> <rev-b> [rounds=2] [size=200000]   → figures on stdout
# BENCH_DATABASE_URL (required) is the server the benches create their databases on: the bench
# cluster, never the CI server. BENCHES picks the benches (default "ingest cycle").
set -euo pipefail
a=${1:?usage: scripts/bench-ab.sh <rev-a> <rev-b> [rounds] [size]}
b=${2:?usage: scripts/bench-ab.sh <rev-a> <rev-b> [rounds] [size]}
rounds=${3:-2}
size=${4:-200000}
: "${BENCH_DATABASE_URL:?set BENCH_DATABASE_URL to the bench cluster, e.g. postgres://postgres@127.0.0.1:5433/postgres}"
export BENCH_DATABASE_URL
benches=${BENCHES:-ingest cycle}
root=$(git rev-parse --show-toplevel)

prepare() {
  local dir=/tmp/bench-ab-$1
  if [ ! -d "$dir" ]; then
    git -C "$root" worktree add -f --detach "$dir" "$1" >&2
    (cd "$dir" && npm ci --no-audit --no-fund >&2 && npm run build -w shared >&2 && npm run build -w cloud >&2)
  fi
  echo "$dir"
}
dir_a=$(prepare "$a")
dir_b=$(prepare "$b")

for round in $(seq "$rounds"); do
  for bench in $benches; do
    for side in "$a:$dir_a" "$b:$dir_b"; do
      rev=${side%%:*}
      dir=${side#*:}
      echo "=== round $round $rev $bench $(date -u +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"
      if [ "$bench" = ingest ]; then
        (cd "$dir" && npm run -s bench:ingest -- --records "$size")
      else
        (cd "$dir" && npm run -s bench:cycle -- --entities "$size")
      fi
    done
  done
done
