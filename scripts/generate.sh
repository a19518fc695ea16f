#!/usr/bin/env bash
# Generates gen/connected.gen.go (or the file given as $1) from
# api/openapi-partner-v1.json with the pinned oapi-codegen and
# oapi-codegen.yaml. The generator reads the spec through scripts/genspec,
# which works around oapi-codegen's handling of null in a nullable enum
# (see scripts/genspec). `make generate` and `make check-generate` both
# generate through this script, so they can never disagree.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-gen/connected.gen.go}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go run ./scripts/genspec api/openapi-partner-v1.json > "$tmp/openapi-partner-v1.json"
sed "s#^output:.*#output: $out#" oapi-codegen.yaml > "$tmp/oapi-codegen.yaml"
go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen \
  --config "$tmp/oapi-codegen.yaml" "$tmp/openapi-partner-v1.json"
