package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// releaseTargets is what the release must ship: linux, darwin and windows
// on amd64 and arm64.
func releaseTargets() []string {
	return []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"}
}

// TestBuildRelease runs scripts/build-release.sh with a stand-in for the go
// command that records how it was asked to build (a real cross build of
// six targets takes minutes; the release workflow does that).
func TestBuildRelease(t *testing.T) {
	t.Parallel()
	script := filepath.Join(moduleRoot(t), "scripts", "build-release.sh")
	fakeGo := filepath.Join(t.TempDir(), "go")
	require.NoError(t, os.WriteFile(fakeGo, []byte(`#!/bin/sh
[ "$1" = build ] || exit 99
out=
prev=
for a in "$@"; do [ "$prev" = -o ] && out=$a; prev=$a; done
echo "GOOS=$GOOS GOARCH=$GOARCH CGO_ENABLED=$CGO_ENABLED $*" > "$out"
`), 0o700)) // #nosec G306 -- an executable for this test
	out := t.TempDir()

	cmd := exec.Command(script, "v1.2.3", out)
	cmd.Env = append(os.Environ(), "GO="+fakeGo, "RELEASE_TARGETS=")
	log, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", log)

	var want []string
	for _, target := range releaseTargets() {
		goos, goarch, _ := strings.Cut(target, "/")
		name := "dronline_1.2.3_" + goos + "_" + goarch
		if goos == "windows" {
			name += ".exe"
		}
		want = append(want, name)
		b, err := os.ReadFile(filepath.Join(out, name))
		require.NoError(t, err, "built %s", name)
		assert.Equal(t, "GOOS="+goos+" GOARCH="+goarch+" CGO_ENABLED=0 build -trimpath -ldflags -s -w -o "+filepath.Join(out, name)+" ./cmd/dronline\n", string(b))
	}

	sums, err := os.ReadFile(filepath.Join(out, "SHA256SUMS"))
	require.NoError(t, err)
	var listed []string
	for _, line := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		require.True(t, ok, "SHA256SUMS line %q: want HASH  NAME", line)
		b, err := os.ReadFile(filepath.Join(out, name))
		require.NoError(t, err)
		digest := sha256.Sum256(b)
		assert.Equal(t, hex.EncodeToString(digest[:]), sum, name)
		listed = append(listed, name)
	}
	sort.Strings(want)
	sort.Strings(listed)
	assert.Equal(t, want, listed, "SHA256SUMS lists every binary")

	list, err := exec.Command(script, "--list").Output()
	require.NoError(t, err)
	assert.Equal(t, strings.Join(releaseTargets(), "\n")+"\n", string(list))
}

func TestBuildReleaseRefusesABadVersion(t *testing.T) {
	t.Parallel()
	script := filepath.Join(moduleRoot(t), "scripts", "build-release.sh")
	for _, args := range [][]string{{"1.2.3", t.TempDir()}, {"v1.2.3"}} {
		cmd := exec.Command(script, args...)
		cmd.Env = append(os.Environ(), "GO=false")
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "%q", args)
		assert.Equal(t, 2, exit.ExitCode())
		assert.Contains(t, string(out), "VERSION", "%q", args)
	}
}
