#!/usr/bin/env bash
# Writes every generated file from the pinned spec. `make generate` runs it
# on the tree. Given a directory, it writes the same files under it
# instead, at the same relative paths, and leaves the tree untouched:
# check-generate.sh compares the two, so make generate and make
# check-generate can never disagree. Given a contract as well, it
# generates from that one into the directory (the drift check's report on
# the official contract); the generators' configs are the tree's.
#
# Every file comes from the spec alone; nothing here reads Go source:
#
#   - gen/connected.gen.go: oapi-codegen (pinned in go.mod) with
#     oapi-codegen.yaml, the models, client and strict server;
#   - connected/operations.gen.go: oapi-codegen with codegen/operations.yaml,
#     its client templates replaced by codegen/templates/, the engine's
#     operationId, method and path template of every operation;
#   - connected/connectedtest/unimplemented.gen.go: the same with
#     codegen/unimplemented.yaml, the fake server's 501 for every operation;
#   - connected/error_codes.gen.go, connected/enums.gen.go and
#     connected/models.gen.go: scripts/sdkgen, a constant for every value
#     of the contract's enums and an alias of gen's type for every enum and
#     object, documented from the spec, named with oapi-codegen.yaml's
#     naming options through oapi-codegen's own functions; and
#     internal/contract/rules.gen.go, the contract's limits, enum values,
#     header names and operation table for the SDK, the fake, the sandbox
#     and the command line.
#
# oapi-codegen reads the spec through scripts/genspec, which works around
# its handling of null in a nullable enum (see scripts/genspec). Its
# templates and overlay are named relative to the module root, where this
# script runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-.}
spec=${2:-api/openapi-partner-v1.json}
# The tree however it is named (., ./, its absolute path): another
# contract never overwrites it.
if [ $# -ge 2 ] && [ -d "$out" ] && [ "$(cd "$out" && pwd -P)" = "$(pwd -P)" ]; then
  echo "generate.sh: another contract is generated into a directory, never over the tree" >&2
  exit 2
fi
mkdir -p "$out/gen" "$out/connected/connectedtest" "$out/internal/contract"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go run ./scripts/genspec "$spec" > "$tmp/openapi-partner-v1.json"
# One oapi-codegen run per config, writing the config's output under $out,
# with oapi-codegen.yaml's naming options (name normalizer, initialisms,
# overlay), which the configs of codegen/ do not state (scripts/codegenconfig).
codegen() {
  go run ./scripts/codegenconfig -naming oapi-codegen.yaml -out "$out" "$1" > "$tmp/config.yaml"
  go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen \
    --config "$tmp/config.yaml" "$tmp/openapi-partner-v1.json"
}
codegen oapi-codegen.yaml
codegen codegen/operations.yaml
codegen codegen/unimplemented.yaml

go run ./scripts/sdkgen -spec "$spec" -config oapi-codegen.yaml \
  -errorcodes "$out/connected/error_codes.gen.go" \
  -enums "$out/connected/enums.gen.go" \
  -models "$out/connected/models.gen.go" \
  -rules "$out/internal/contract/rules.gen.go"
