#!/usr/bin/env bash
# Counts the instructions each client's call executes, under valgrind's
# callgrind, and prints a benchstat summary: `make bench-instructions`.
#
# On a shared virtual machine sec/op moves with the neighbours' load by
# ±5–30 % between runs, more than the few per cent the SDK's goals are
# about. The number of user-space instructions a call executes does not:
# callgrind counts every one (client, server, runtime and garbage
# collector together, in one process), and repeated counts agree to about
# 0.2 %. The kernel's share (the system calls) is not counted, and it is
# the same for every client: each sends one request and reads one
# response on a connection it reuses.
#
# Each count is the difference between two runs of one benchmark, N1 and
# N2 iterations long, divided by N2-N1, so the process's start, the test
# binary's setup and the first dial cancel out. GOMAXPROCS is 1: callgrind
# runs one thread at a time, and more Ps would only add the scheduler's
# spinning to the count. A run now and then still counts a few per cent
# more (the runtime spinning while valgrind switches threads); benchstat's
# median over the rounds sets it aside.
#
# BENCH_CLIENTS, if set, is the list of clients to count instead of all.
#
# Usage: scripts/bench-instructions.sh OUT ROUNDS BENCHSTAT...
set -euo pipefail
out=$(realpath -m "$1") rounds=$2
shift 2
cd "$(dirname "$0")/.."

if ! command -v valgrind >/dev/null; then
  echo "bench-instructions: valgrind is not installed (Debian: apt-get install valgrind)" >&2
  exit 1
fi

n1=${BENCH_N1:-200} n2=${BENCH_N2:-2200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin=$tmp/bench.test
go test -c -o "$bin" ./tests/bench

# valgrind 3.19 does not decode RDTSCP, which the runtime's cputicks uses
# when the CPU has it (on a contended lock, now and then): turned off, the
# runtime reads the clock with RDTSC, which valgrind runs. Callgrind can
# also trip over the signals of the runtime's asynchronous preemption,
# which a benchmark of single calls does not need.
godebug=cpu.rdtscp=off,asyncpreemptoff=1${GODEBUG:+,$GODEBUG}

# instructions BENCH CLIENT N prints the program's total instruction count
# for N iterations of BENCH through CLIENT.
# A run valgrind itself aborts is tried again, up to three times in all.
instructions() {
  local try
  for try in 1 2 3; do
    if GODEBUG=$godebug valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
      "$bin" -test.run '^$' -test.bench "^Benchmark$1\$/^client=$2\$" \
      -test.benchtime="$3x" -test.cpu 1 >"$tmp/run.log" 2>&1; then
      break
    fi
    if ((try == 3)); then
      cat "$tmp/run.log" >&2
      exit 1
    fi
    echo "bench-instructions: valgrind failed on Benchmark$1/client=$2 ($3x), trying again" >&2
  done
  grep -q "^Benchmark$1/client=$2" "$tmp/run.log" || {
    echo "bench-instructions: Benchmark$1/client=$2 did not run" >&2
    exit 1
  }
  awk '/^(summary|totals):/ { print $2; exit }' "$tmp/cg.out"
}

: >"$out"
cd tests/bench
for round in $(seq "$rounds"); do
  echo "bench-instructions: round $round of $rounds" >&2
  for bench in GetAppointment ConfirmAppointment; do
    for client in ${BENCH_CLIENTS:-raw raw-timeout raw-handwritten generated sdk sdk-notimeout sdk-otel-noop}; do
      # The hand-written struct is a GET baseline only.
      [[ $bench/$client == ConfirmAppointment/raw-handwritten ]] && continue
      a=$(instructions "$bench" "$client" "$n1")
      b=$(instructions "$bench" "$client" "$n2")
      printf 'Benchmark%s/client=%s\t%d\t%d instructions/op\n' "$bench" "$client" $((n2 - n1)) $(((b - a) / (n2 - n1))) >>"$out"
    done
  done
done
cd ..
"$@" -col /client "$out"
