#!/usr/bin/env bash
# Writes every generated file from the pinned spec: gen/connected.gen.go
# (oapi-codegen, pinned in go.mod) and the *.gen.go files of
# scripts/sdkgen. `make generate` runs it on the tree. Given a directory,
# it writes the same files under it instead, at the same relative paths,
# and leaves the tree untouched: check-generate.sh compares the two, so
# make generate and make check-generate can never disagree.
#
# oapi-codegen reads the spec through scripts/genspec, which works around
# its handling of null in a nullable enum (see scripts/genspec).
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-.}
spec=api/openapi-partner-v1.json
mkdir -p "$out/gen" "$out/connected/connectedtest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go run ./scripts/genspec "$spec" > "$tmp/openapi-partner-v1.json"
sed "s#^output:.*#output: $out/gen/connected.gen.go#" oapi-codegen.yaml > "$tmp/oapi-codegen.yaml"
go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen \
  --config "$tmp/oapi-codegen.yaml" "$tmp/openapi-partner-v1.json"

# sdkgen reads the code just generated, and the fake's handwritten
# handlers from the tree.
go run ./scripts/sdkgen -spec "$spec" -gen "$out/gen/connected.gen.go" \
  -errorcodes "$out/connected/error_codes.gen.go" \
  -builders "$out/connected/request_builders.gen.go" \
  -builders-test "$out/connected/request_builders.gen_test.go" \
  -handlers connected/connectedtest \
  -unimplemented "$out/connected/connectedtest/unimplemented.gen.go"
