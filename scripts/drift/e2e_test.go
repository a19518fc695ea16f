package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var driftBuild struct {
	sync.Once
	path string
	err  error
}

// driftBinary builds this command once per test binary.
func driftBinary(t *testing.T) string {
	t.Helper()
	driftBuild.Do(func() {
		driftBuild.path = filepath.Join(binDir, "drift")
		out, err := exec.Command("go", "build", "-o", driftBuild.path, ".").CombinedOutput()
		if err != nil {
			driftBuild.err = errors.New(string(out))
		}
	})
	require.NoError(t, driftBuild.err)
	return driftBuild.path
}

type outcome struct {
	code           int
	stdout, stderr string
	report, result string
}

// runCommand runs name args with a clean environment plus env, and reads
// back the report and result files the command was told to write.
func runCommand(t *testing.T, env []string, name string, args ...string) outcome {
	t.Helper()
	dir := t.TempDir()
	report, result := filepath.Join(dir, "report.md"), filepath.Join(dir, "result")
	cmd := exec.Command(name, args...)
	cmd.Env = append(cleanEnviron(), append(env, "DRIFT_REPORT="+report, "DRIFT_RESULT="+result)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		require.NoError(t, err)
	}
	o := outcome{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String()}
	if b, err := os.ReadFile(report); err == nil {
		o.report = string(b)
	}
	if b, err := os.ReadFile(result); err == nil {
		o.result = string(b)
	}
	return o
}

// cleanEnviron is the environment minus what configures the check (a CI
// job's own $GITHUB_OUTPUT included) and what an enclosing make passes on.
func cleanEnviron() []string {
	var env []string
	for _, kv := range os.Environ() {
		switch strings.SplitN(kv, "=", 2)[0] {
		case "DRONLINE_SPEC_URL", "DRIFT_REPORT", "DRIFT_RESULT", "DRIFT_GOAPI", "DRIFT_BIN", "OASDIFF", "APIDIFF", "GO",
			"GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY",
			// An enclosing make (make test) must not steer the make under test.
			"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "GNUMAKEFLAGS", "MAKEOVERRIDES":
			continue
		}
		env = append(env, kv)
	}
	return env
}

func TestProgramExitCodes(t *testing.T) {
	t.Parallel()
	bin := driftBinary(t)
	pinned := pinnedFile(t)

	t.Run("same contract exits 0", func(t *testing.T) {
		o := runCommand(t, []string{"DRONLINE_SPEC_URL=" + serveSpec(t, mutated(t, func(map[string]any) {})), "OASDIFF=false", "DRIFT_GOAPI=off"}, bin, "-spec", pinned)
		assert.Equal(t, 0, o.code, o.stderr)
		assert.Contains(t, o.stdout, "no drift")
		assert.Equal(t, "result=same\n", o.result)
		assert.Contains(t, o.report, "Contract drift: none")
	})

	t.Run("404 exits 2", func(t *testing.T) {
		o := runCommand(t, []string{"DRONLINE_SPEC_URL=" + serve(t, 404, "text/plain", nil), "OASDIFF=false", "DRIFT_GOAPI=off"}, bin, "-spec", pinned)
		assert.Equal(t, 2, o.code)
		assert.Contains(t, o.stderr, "HTTP 404 Not Found")
		assert.Contains(t, o.stderr, "NOT a result")
		assert.Empty(t, o.stdout)
		assert.Equal(t, "result=error\n", o.result)
		assert.Contains(t, o.report, "could not run")
	})

	t.Run("drift exits 1", func(t *testing.T) {
		oasdiff := strings.Join(oasdiffForTest(t), " ")
		o := runCommand(t, []string{"DRONLINE_SPEC_URL=" + serveSpec(t, mutated(t, removeResponseField(t))), "OASDIFF=" + oasdiff, "DRIFT_GOAPI=off"}, bin, "-spec", pinned)
		assert.Equal(t, 1, o.code, o.stderr)
		assert.Contains(t, o.stdout, "[breaking] GET /connected/patients/{patient_id}: removed the required property `phone`")
		assert.Equal(t, "result=drift\n", o.result)
		assert.Contains(t, o.report, "**BREAKING** `GET /connected/patients/{patient_id}`")
	})
}
