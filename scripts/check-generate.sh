#!/usr/bin/env bash
# Regenerates every generated file into a temporary directory with the
# pinned generators (scripts/generate.sh) and fails if a committed one
# differs by a single byte, or if the tree holds a generated file nothing
# writes. The working tree is left untouched.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

./scripts/generate.sh "$tmp/out"

stale=0
while IFS= read -r f; do
  if ! diff -u "$f" "$tmp/out/$f" > "$tmp/diff"; then
    head -40 "$tmp/diff"
    echo "check-generate: $f is out of date with api/openapi-partner-v1.json; run 'make generate' and commit it." >&2
    stale=1
  fi
done < <(cd "$tmp/out" && find . -type f -printf '%P\n' | sort)
[ "$stale" = 0 ] || exit 1

extra=$(find gen -mindepth 1 ! -name connected.gen.go -printf '%P ')
if [ -n "$extra" ]; then
  echo "check-generate: gen/ holds files the generator does not write: $extra" >&2
  exit 1
fi
# Every *.gen.go and *.gen_test.go outside gen/ must be one the generators write.
stray=""
while IFS= read -r f; do
  [ -e "$tmp/out/$f" ] || stray="$stray $f"
done < <(find . -path ./.git -prune -o \( -name '*.gen.go' -o -name '*.gen_test.go' \) -type f -printf '%P\n' | sort)
if [ -n "$stray" ]; then
  echo "check-generate: generated-looking files nothing generates:$stray" >&2
  exit 1
fi
echo "check-generate: every generated file is up to date."
