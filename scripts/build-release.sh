#!/usr/bin/env bash
# Builds the dronline command line for every release target into OUTDIR, as
# dronline_VERSION_GOOS_GOARCH[.exe], and writes OUTDIR/SHA256SUMS.
#
#   scripts/build-release.sh v0.1.0 dist
#
# $RELEASE_TARGETS (space-separated GOOS/GOARCH) replaces the default list,
# e.g. for a quick local build; --list prints the targets and exits. $GO
# names the go command (default: go), as in the Makefile.
set -euo pipefail
cd "$(dirname "$0")/.."

read -r -a targets <<< "${RELEASE_TARGETS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64}"
if [ "${1:-}" = --list ]; then
  printf '%s\n' "${targets[@]}"
  exit 0
fi
if [ $# -ne 2 ]; then
  echo "usage: scripts/build-release.sh VERSION OUTDIR   (VERSION as the tag: v1.2.3)" >&2
  exit 2
fi
version=$1 out=$2
case $version in
  v[0-9]*.[0-9]*.[0-9]*) ;;
  *) echo "build-release: VERSION $version: want the tag, vX.Y.Z" >&2; exit 2 ;;
esac
mkdir -p "$out"

names=()
for target in "${targets[@]}"; do
  goos=${target%/*} goarch=${target#*/}
  name="dronline_${version#v}_${goos}_${goarch}"
  [ "$goos" = windows ] && name="$name.exe"
  echo "build-release: $name"
  # -trimpath: no local paths in the binary; -s -w: no symbol table or DWARF.
  CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch \
    "${GO:-go}" build -trimpath -ldflags "-s -w" -o "$out/$name" ./cmd/dronline
  names+=("$name")
done

if command -v sha256sum > /dev/null; then sum=(sha256sum); else sum=(shasum -a 256); fi
(cd "$out" && "${sum[@]}" "${names[@]}" > SHA256SUMS)
echo "build-release: $out/SHA256SUMS"
