#!/usr/bin/env bash
# Measures the throughput of `dronline mock` with wrk: GET requests from
# BENCH_MOCK_CONNS connections (64) for BENCH_MOCK_SECONDS (10) per run,
# in BENCH_MOCK_ROUNDS interleaved rounds (5), for three servers:
#
#   base          dronline built at BENCH_MOCK_BASE (the last commit
#                 before the sandbox control API) on loopback
#   control-idle  this tree's dronline on loopback: the control API is on,
#                 nobody calls it
#   control-off   this tree's dronline on 0.0.0.0 without --control-token:
#                 the control API is off
#
# Each round starts every server afresh (so a journal or a record grows
# from empty alike) and runs wrk against each in turn. It prints one line
# per run and a summary of the median requests per second and p99 latency
# per server. wrk comes from Debian's packages (apt-get install wrk).
#
# Then it runs the sandbox journal's Go benchmarks (internal/sandbox,
# about 30 s; BENCH_MOCK_JOURNAL=0 skips them): a limit=100 read against
# 10 to 10,000 entries, bookings per second alone and with 200 readers
# polling, and the heap 300 oversize requests leave.
#
# Last, the resident memory of a dronline mock process (Linux /proc) after
# 300 requests with a body of 1 MiB + 1 byte (refused with 413), and the
# size and time of a GET /_sandbox/requests?limit=200 read afterwards
# (BENCH_MOCK_RSS=0 skips it; needs curl).
#
# Usage: scripts/bench-mock.sh [PATH]   (default /v1/connected/appointment_types)
set -euo pipefail
cd "$(dirname "$0")/.."

path=${1:-/v1/connected/appointment_types}
base_rev=${BENCH_MOCK_BASE:-a4d41ac}
conns=${BENCH_MOCK_CONNS:-64}
seconds=${BENCH_MOCK_SECONDS:-10}
rounds=${BENCH_MOCK_ROUNDS:-5}

command -v wrk >/dev/null || { echo "bench-mock: wrk is not installed (apt-get install wrk)" >&2; exit 2; }

work=$(mktemp -d)
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
  git worktree remove --force "$work/base-src" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/head" ./cmd/dronline
git worktree add --detach "$work/base-src" "$base_rev" >/dev/null 2>&1
(cd "$work/base-src" && go build -o "$work/base" ./cmd/dronline)

# serve BIN ADDR: starts the mock, sets pid, url and key.
serve() {
  "$1" mock --addr "$2" >"$work/out" 2>/dev/null &
  pid=$!
  for _ in $(seq 100); do
    grep -q '^export' "$work/out" 2>/dev/null && break
    sleep 0.1
  done
  url=$(sed -n 's/.*base URL: *//p' "$work/out")
  key=$(sed -n 's/.*sandbox key: *//p' "$work/out")
  [ -n "$url" ] && [ -n "$key" ] || { echo "bench-mock: $1 did not start" >&2; exit 1; }
}

run() { # NAME BIN ADDR
  serve "$2" "$3"
  local origin=${url%/v1}
  origin=${origin/0.0.0.0/127.0.0.1}
  wrk -t2 -c"$conns" -d"${seconds}s" --latency -H "Authorization: Bearer $key" "$origin$path" >"$work/wrk"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  local rps p99
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk")
  # In milliseconds, whatever unit wrk chose.
  p99=$(awk '$1 == "99%" {v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
    print v * (u == "us" ? 0.001 : u == "s" ? 1000 : u == "m" ? 60000 : 1)}' "$work/wrk")
  grep -q 'Non-2xx' "$work/wrk" && { echo "bench-mock: $1 answered non-2xx" >&2; cat "$work/wrk" >&2; exit 1; }
  printf '%-13s round %d  %10s req/s  p99 %s ms\n' "$1" "$round" "$rps" "$p99"
  echo "$1 $rps $p99" >>"$work/results"
}

: >"$work/results"
for round in $(seq "$rounds"); do
  run base "$work/base" 127.0.0.1:0
  run control-idle "$work/head" 127.0.0.1:0
  run control-off "$work/head" 0.0.0.0:0
done

echo
echo "median of $rounds rounds, GET $path, $conns connections:"
for name in base control-idle control-off; do
  rps=$(awk -v n="$name" '$1 == n {print $2}' "$work/results" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  p99=$(awk -v n="$name" '$1 == n {print $3}' "$work/results" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '  %-13s %10s req/s  p99 %s ms\n' "$name" "$rps" "$p99"
done

if [ "${BENCH_MOCK_JOURNAL:-1}" != 0 ]; then
  echo
  echo "the sandbox's journal (go test -bench Journal ./internal/sandbox/):"
  go test -run '^$' -bench 'Journal' -count 1 ./internal/sandbox/ | grep '^Benchmark'
fi

if [ "${BENCH_MOCK_RSS:-1}" != 0 ]; then
  echo
  echo "resident memory of dronline mock around 300 oversize requests:"
  serve "$work/head" 127.0.0.1:0
  origin=${url%/v1}
  rss() { awk '$1 == "VmRSS:" {printf "%.1f MiB", $2 / 1024}' "/proc/$pid/status"; }
  echo "  at start:                 $(rss)"
  head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' 'a' >"$work/oversize"
  for _ in $(seq 300); do
    curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "Authorization: Bearer $key" \
      -H 'Content-Type: application/json' --data-binary @"$work/oversize" "$url/connected/appointment_holds"
  done | sort | uniq -c | awk '{printf "  answers:                  %s × %s\n", $1, $2}'
  echo "  after them:               $(rss)"
  curl -s -o /dev/null -w '  a limit=200 journal read: %{size_download} bytes in %{time_total} s\n' "$origin/_sandbox/requests?limit=200"
  echo "  after the read:           $(rss)"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
fi
