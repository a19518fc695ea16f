#!/usr/bin/env bash
# Runs the benchmarks behind `make bench` and prints benchstat summaries.
#
# The per-call and paging comparisons run each client in a process of its
# own, round after round (every client once per round, BENCH_COUNT
# rounds), instead of all clients one after another in one process: in
# one process, the clients that ran later measured up to 40 % slower than
# the first on this 2-core machine, whatever they did (the bare generated
# client included), which made the comparison say more about order than
# about the clients. Interleaved rounds spread the machine's drift over
# every client alike.
#
# Where taskset is installed, the per-call and paging comparisons also run
# pinned to one CPU (BENCH_CPU, the last by default) with GOMAXPROCS 1:
# client and server then share that CPU, so sec/op is the CPU the whole
# call costs, without the cross-CPU wake-ups whose timing on a shared
# virtual machine spread the same client's runs by ±15 %; pinned, ±5 %.
# `make bench-instructions` counts instructions instead, for the finer
# comparisons.
#
# Usage: scripts/bench.sh OUT COUNT BENCHSTAT...
set -euo pipefail
out=$(realpath -m "$1") count=$2
cd "$(dirname "$0")/.."

shift 2
bin=$(mktemp -d)/bench.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" ./tests/bench
: > "$out"
pin=()
if command -v taskset >/dev/null; then
  pin=(taskset -c "${BENCH_CPU:-$(($(nproc) - 1))}")
  pin+=("$bin" -test.cpu 1)
else
  pin=("$bin")
fi
cd tests/bench
for round in $(seq "$count"); do
  echo "bench: round $round of $count" >&2
  for client in raw raw-timeout raw-handwritten generated sdk sdk-notimeout sdk-infolog sdk-otel-noop; do
    "${pin[@]}" -test.run '^$' -test.bench "^Benchmark(GetAppointment|ConfirmAppointment)\$/^client=$client\$" -test.benchtime=1s >> "$out"
  done
  for client in sdk raw; do
    "${pin[@]}" -test.run '^$' -test.bench "^BenchmarkPaginate\$/./^client=$client\$" -test.benchtime=1x >> "$out"
  done
done
"$bin" -test.run '^$' -test.bench 'ConcurrentGet|FakeServer' -test.benchtime=1s -test.count="$count" >> "$out"
cd ..
"$@" -col /client -filter '.name:(GetAppointment OR ConfirmAppointment OR Paginate)' "$out"
"$@" -filter '.name:(ConcurrentGet OR FakeServer)' "$out"
