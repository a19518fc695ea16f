#!/usr/bin/env bash
# Compares api/openapi-partner-v1.json with the official spec served at
# $DRONLINE_SPEC_URL (default: the Connected API's official URL).
# Exit 0: same contract. 1: drift (changelog on stdout, breaking first).
# 2: the check could not run (unreachable, not JSON, not OpenAPI 3, or the
# tool itself could not be built) — never a "no drift".
# Arguments go to scripts/drift, e.g. -report FILE for a Markdown report,
# or -update (see `make update-spec`).
#
# The tool is built into a temporary directory and run as a child rather
# than through `go run`, because `go run` turns every non-zero exit status
# into 1 and so would report "could not check" as drift. $GO names the go
# command (default: go), as in the Makefile; $DRIFT_BIN, if set, is a
# scripts/drift already built from this tree, run instead of building one
# (the tests build it once).
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
tool=${DRIFT_BIN:-}
if [ -z "$tool" ]; then
  tmp=$(mktemp -d) || exit 2
  trap 'rm -rf "$tmp"' EXIT
  tool=$tmp/drift
  if ! "${GO:-go}" build -o "$tool" ./scripts/drift; then
    echo "check-spec-drift: could not build scripts/drift; the contract was NOT checked." >&2
    exit 2
  fi
fi

status=0
"$tool" "$@" || status=$?
case $status in
  0 | 1 | 2) exit "$status" ;;
  *)
    # Killed by a signal, or any status the tool does not define.
    echo "check-spec-drift: scripts/drift ended with status $status; the contract was NOT checked." >&2
    exit 2
    ;;
esac
