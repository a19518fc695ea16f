package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/api"
	"github.com/dronline/connected-go/internal/goapi"
	"github.com/dronline/connected-go/internal/modcopy"
)

var apidiffBuild struct {
	sync.Once
	bin string
	err error
}

// apidiffForTest returns the apidiff command: $APIDIFF if set, else the
// pinned version installed once into binDir, by the first test that asks
// (this needs the Go module proxy, which CI has; -short skips these
// tests).
func apidiffForTest(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: skipping a test that runs apidiff")
	}
	apidiffBuild.Do(func() {
		if env := os.Getenv("APIDIFF"); env != "" {
			apidiffBuild.bin = env
			return
		}
		cmd := exec.Command("go", "install", goapi.Module+"@"+goapi.Version)
		cmd.Dir = binDir // no go.mod here: module@version stays out of ours
		cmd.Env = append(goapi.ToolEnv([]string{"go"}), "GOBIN="+binDir)
		if out, err := cmd.CombinedOutput(); err != nil {
			apidiffBuild.err = fmt.Errorf("go install %s@%s: %w\n%s", goapi.Module, goapi.Version, err, out)
			return
		}
		apidiffBuild.bin = filepath.Join(binDir, "apidiff")
	})
	require.NoError(t, apidiffBuild.err)
	return apidiffBuild.bin
}

// goAPIEnv is the environment of a drift run with the Go API report on.
func goAPIEnv(t *testing.T, url string) []string {
	return []string{
		"DRONLINE_SPEC_URL=" + url,
		"OASDIFF=" + strings.Join(oasdiffForTest(t), " "),
		"APIDIFF=" + apidiffForTest(t),
	}
}

// TestGoAPIReportOnDrift runs the check, as make drift does, on this
// module: the report says what regenerating gen/ from the official spec
// does to the Go API, and the tree is left as it was.
func TestGoAPIReportOnDrift(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	bin := driftBinary(t)
	before := treeFiles(t, root)

	cases := []struct {
		name     string
		edit     func(map[string]any)
		text, md []string
	}{
		{"additive: a new optional response field", addOptionalResponseField(t),
			[]string{"Go API: incompatible changes (0):\n  none\n", "Go API: compatible changes (1):\n  - gen: Appointment.Notes: added\n", "next release: minor\n"},
			[]string{"**Next release: minor**", "- `gen`: Appointment.Notes: added"}},
		{"breaking: a removed response field", removeResponseField(t),
			[]string{"Go API: incompatible changes (1):\n  - gen: Patient.Phone: removed\n",
				"Go API: compatible changes (0):\n  none\n", "next release: major\n"},
			[]string{"**Next release: major**", "#### Incompatible changes (1)\n\n- `gen`: Patient.Phone: removed\n"}},
	}
	// The cases run side by side in a group, so the tree is compared after
	// the last one.
	t.Run("cases", func(t *testing.T) {
		for _, c := range cases {
			spec := mutated(t, c.edit) // the fixture fails this goroutine's test
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				cmd := []string{filepath.Join(root, "scripts", "check-spec-drift.sh")}
				o := runCommand(t, append(goAPIEnv(t, serveSpec(t, spec)), "DRIFT_BIN="+bin), cmd[0])
				require.Equal(t, exitDrift, o.code, o.stderr)
				for _, want := range c.text {
					assert.Contains(t, o.stdout, want)
				}
				for _, want := range c.md {
					assert.Contains(t, o.report, want)
				}
				assert.Contains(t, o.stderr, "generating from the official spec into a temporary directory, laid over the tree's generated files")
			})
		}
	})
	assert.Equal(t, before, treeFiles(t, root), "the check changes nothing in the tree")
}

// TestUpdateReportsGoAPI runs make update-spec in a copy of this module:
// it writes the official spec, regenerates gen/ and reports the Go API
// change against what gen/ and connected/ were before.
func TestUpdateReportsGoAPI(t *testing.T) {
	t.Parallel()
	module := filepath.Join(t.TempDir(), "module")
	require.NoError(t, modcopy.Copy(repoRoot(t), module))
	bin := driftBinary(t)

	url := serveSpec(t, mutated(t, addOptionalResponseField(t)))
	o := runCommand(t, append(goAPIEnv(t, url), "DRIFT_BIN="+bin), "make", "--no-print-directory", "-C", module, "update-spec")
	require.Equal(t, 0, o.code, o.stderr)
	stdout := o.stdout
	assert.Contains(t, stdout, "[non-breaking] GET /connected/appointments/{appointment_id}: added the optional property `notes`")
	assert.Contains(t, stdout, "Go API: compatible changes (1):\n  - gen: Appointment.Notes: added\n")
	assert.Contains(t, stdout, "next release: minor\n")
	assert.Contains(t, stdout, "wrote the official spec to api/openapi-partner-v1.json and regenerated gen/")

	generated, err := os.ReadFile(filepath.Join(module, "gen", "connected.gen.go"))
	require.NoError(t, err)
	assert.Contains(t, string(generated), "Notes *string `json:\"notes,omitempty\"`")
	assert.Contains(t, o.report, "**Next release: minor**")
}

// treeFiles maps each file under api/ and gen/ to its contents.
func treeFiles(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, dir := range []string{"api", "gen"} {
		entries, err := os.ReadDir(filepath.Join(root, dir))
		require.NoError(t, err)
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(root, dir, e.Name()))
			require.NoError(t, err)
			files[dir+"/"+e.Name()] = string(b)
		}
	}
	return files
}

// TestUpdateFailsWhenGenerationFails: a spec written but not generated is
// a failed update (exit 2), never a quiet success.
func TestUpdateFailsWhenGenerationFails(t *testing.T) {
	t.Parallel()
	module := filepath.Join(t.TempDir(), "module")
	require.NoError(t, modcopy.Copy(repoRoot(t), module))
	// #nosec G306 -- an executable for this test
	require.NoError(t, os.WriteFile(filepath.Join(module, generateScript), []byte("#!/bin/sh\necho 'oapi-codegen: no such schema' >&2\nexit 3\n"), 0o700))

	cmd := exec.Command(driftBinary(t), "-update", "-spec", api.Path)
	cmd.Dir = module
	cmd.Env = append(cleanEnviron(), "DRONLINE_SPEC_URL="+serveSpec(t, api.Spec()), "OASDIFF=false", "DRIFT_GOAPI=off")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, exitFailed, exit.ExitCode())
	assert.Contains(t, string(out), "drift: the update failed: wrote the official spec to api/openapi-partner-v1.json, but regenerating gen/ failed: scripts/generate.sh: exit status 3")
	assert.Contains(t, string(out), "oapi-codegen: no such schema")
}

// TestGenerateRefusesAnotherContractOverTheTree: the report generates the
// official contract into a directory of its own; the script refuses to
// write another contract over the tree, however the tree is named.
func TestGenerateRefusesAnotherContractOverTheTree(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	before := treeFiles(t, root)
	for _, out := range []string{".", "./", root, filepath.Join(root, "..", filepath.Base(root))} {
		// The contract named does not exist: a script whose guard let
		// this through fails in its first generator, before it writes.
		cmd := exec.Command(filepath.Join(root, filepath.FromSlash(generateScript)), out, filepath.Join(t.TempDir(), "official.json"))
		cmd.Dir = root
		got, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "%s: %s", out, got)
		assert.Equal(t, 2, exit.ExitCode(), out)
		assert.Contains(t, string(got), "another contract is generated into a directory, never over the tree", out)
	}
	assert.Equal(t, before, treeFiles(t, root), "the tree is untouched")
}
