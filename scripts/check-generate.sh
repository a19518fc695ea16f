#!/usr/bin/env bash
# Regenerates gen/ into a temporary directory with the pinned generator
# (through scripts/generate.sh, as make generate does) and
# fails if the committed gen/ differs by a single byte. The working tree is
# left untouched.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

./scripts/generate.sh "$tmp/connected.gen.go"

if ! diff -u gen/connected.gen.go "$tmp/connected.gen.go" > "$tmp/diff"; then
  head -40 "$tmp/diff"
  echo "check-generate: gen/ is out of date with api/openapi-partner-v1.json; run 'make generate' and commit gen/." >&2
  exit 1
fi
extra=$(find gen -mindepth 1 ! -name connected.gen.go -printf '%P ')
if [ -n "$extra" ]; then
  echo "check-generate: gen/ holds files the generator does not write: $extra" >&2
  exit 1
fi
echo "check-generate: gen/ is up to date."
