#!/usr/bin/env bash
# Regenerates gen/ into a temporary directory with the pinned generator and
# fails if the committed gen/ differs by a single byte. The working tree is
# left untouched.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sed "s#^output:.*#output: $tmp/connected.gen.go#" oapi-codegen.yaml > "$tmp/oapi-codegen.yaml"
go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen \
  --config "$tmp/oapi-codegen.yaml" api/openapi-partner-v1.json

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
