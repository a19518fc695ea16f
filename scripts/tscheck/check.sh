#!/usr/bin/env bash
# make lint-spec: the sandbox control API's document, as a running
# `dronline mock` serves it, generates TypeScript types with
# openapi-typescript at its defaults, and the README's control API
# examples, the Node example (examples/sandbox-node) and expect.ts
# type-check against them under tsc --strict, with no cast.
#
# Tools are the versions package-lock.json pins, installed with npm ci
# into node_modules/ here (gitignored); the types and the README's
# examples are written to gen/ (gitignored).
set -euo pipefail
cd "$(dirname "$0")"
GO=${GO:-go}
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

npm ci --ignore-scripts --loglevel=error

tmp=$(mktemp -d)
pid=
cleanup() {
	if [[ -n $pid ]]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

# The mock, on a free loopback port; it prints its base URL when it
# listens. Its stdout is a pipe read line by line: no polling.
"$GO" build -o "$tmp/dronline" ../../cmd/dronline
mkfifo "$tmp/stdout"
"$tmp/dronline" mock --addr 127.0.0.1:0 >"$tmp/stdout" 2>"$tmp/stderr" &
pid=$!
exec 3<"$tmp/stdout"
base=
while IFS= read -r -u 3 line; do
	if [[ $line =~ ^\ +base\ URL:\ +(http://[^ ]+)$ ]]; then
		base=${BASH_REMATCH[1]}
		break
	fi
done
if [[ -z $base ]]; then
	echo "tscheck: dronline mock printed no base URL; its stderr:" >&2
	cat "$tmp/stderr" >&2
	exit 1
fi
# Keep reading its stdout, so that the mock never blocks on a full pipe.
cat <&3 >/dev/null &
exec 3<&-

rm -rf gen
mkdir gen
npx --no-install openapi-typescript "${base%/v1}/_sandbox/openapi.json" -o gen/sandbox-control.d.ts
node extract-readme.mjs ../../README.md gen/readme.ts
npx --no-install tsc -p tsconfig.json --strict --noEmit
node nocast.mjs tsconfig.json
echo "tscheck: the control API's generated types check the README, examples/sandbox-node and expect.ts"
