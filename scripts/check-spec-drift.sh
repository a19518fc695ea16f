#!/usr/bin/env bash
# Compares api/openapi-partner-v1.json with the official spec served at
# $DRONLINE_SPEC_URL (default: the Connected API's official URL).
# Exit 0: same contract. 1: drift (changelog on stdout, breaking first).
# 2: the check could not run (unreachable, not JSON, not OpenAPI 3).
# Arguments go to scripts/drift, e.g. -report FILE for a Markdown report.
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./scripts/drift "$@"
