package main

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/internal/goapi"
)

func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := goapi.ModuleRoot(".")
	require.NoError(t, err)
	return root
}

// TestVersionsAgree: the newest release of this repository's CHANGELOG.md
// is connected.Version, and what `dronline --version` and `dronline
// version` print.
func TestVersionsAgree(t *testing.T) {
	t.Parallel()
	root := moduleRoot(t)
	c, err := readChangelog(root)
	require.NoError(t, err, "CHANGELOG.md is in the format the release tooling reads")
	latest, ok := c.Latest()
	require.True(t, ok, "CHANGELOG.md has a release")
	require.NotNil(t, c.Unreleased, "CHANGELOG.md keeps an Unreleased section")

	assert.Equal(t, latest.Version, connected.Version, "connected.Version is CHANGELOG.md's newest release (line %d)", latest.Line)
	src, err := sourceVersion(root)
	require.NoError(t, err)
	assert.Equal(t, connected.Version, src)

	bin := filepath.Join(t.TempDir(), "dronline")
	build := exec.Command("go", "build", "-o", bin, "./cmd/dronline")
	build.Dir = root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	out, err = exec.Command(bin, "--version").Output()
	require.NoError(t, err)
	assert.Equal(t, "dronline version "+latest.Version+"\n", string(out))
	out, err = exec.Command(bin, "version").Output()
	require.NoError(t, err)
	assert.Regexp(t, `^dronline `+latest.Version+` \(connected-go SDK `+latest.Version+`, go`, string(out))
}

func releaseCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCheckTag(t *testing.T) {
	t.Parallel()
	v := connected.Version
	code, stdout, stderr := releaseCmd(t, "check-tag", "v"+v)
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "tag v"+v+" is CHANGELOG.md's newest release")

	code, _, stderr = releaseCmd(t, "check-tag", "v99.0.0")
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, stderr, "tag v99.0.0 does not match: the newest release in CHANGELOG.md is "+v)
	assert.Contains(t, stderr, `connected.Version (connected/version.go) is "`+v+`"`)

	for _, bad := range []string{v, "v1.0", "release-1"} {
		code, _, stderr = releaseCmd(t, "check-tag", bad)
		assert.Equal(t, exitFailed, code, bad)
		assert.Contains(t, stderr, "want vX.Y.Z", bad)
	}
}

func TestNotes(t *testing.T) {
	t.Parallel()
	for _, v := range []string{connected.Version, "v" + connected.Version} {
		code, stdout, stderr := releaseCmd(t, "notes", v)
		require.Equal(t, exitOK, code, stderr)
		assert.Contains(t, stdout, "### ")
		assert.NotContains(t, stdout, "## [", "only the section's body")
	}
	code, _, stderr := releaseCmd(t, "notes", "v99.0.0")
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, stderr, `CHANGELOG.md has no section for 99.0.0: add "## [99.0.0] - YYYY-MM-DD"`)
}

func TestUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{nil, {"notes"}, {"check-tag", "a", "b"}, {"publish"}, {"apicheck", "extra"}} {
		code, _, stderr := releaseCmd(t, args...)
		assert.Equal(t, exitError, code, "%q", args)
		assert.NotEmpty(t, stderr)
	}
}

// The published modules are released together: each requires the others
// at connected.Version, so that the tags of one release hold one SDK.
func TestPublishedModulesRequireThisRelease(t *testing.T) {
	t.Parallel()
	root, err := goapi.ModuleRoot(".")
	require.NoError(t, err)
	wrong, err := requirementsAt(root, "v"+connected.Version)
	require.NoError(t, err)
	assert.Empty(t, wrong, "set them with go mod edit -require (see Releasing in README.md)")

	wrong, err = requirementsAt(root, "v99.0.0")
	require.NoError(t, err)
	assert.Equal(t, []string{"connected/otelconnected/go.mod requires github.com/dronline/connected-go v" + connected.Version}, wrong)
}

func TestTags(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := releaseCmd(t, "tags", "v1.4.0")
	require.Equal(t, exitOK, code, stderr)
	assert.Equal(t, "v1.4.0\nconnected/otelconnected/v1.4.0\n", stdout)
	code, _, stderr = releaseCmd(t, "tags", "1.4")
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, stderr, `version "1.4"`)
}
