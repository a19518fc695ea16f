package makefile

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeGo writes a stand-in for the go command: `go test -race …` prints
// "tests ran" and exits testsStatus, `go test -fuzz …` prints "fuzzed" and
// exits fuzzStatus; anything else is an error.
func fakeGo(t *testing.T, testsStatus, fuzzStatus int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "go")
	script := "#!/bin/sh\n" +
		"case \"$*\" in\n" +
		"  'test -race'*) echo 'tests ran'; exit " + itoa(testsStatus) + " ;;\n" +
		"  *' -fuzz '*) echo \"fuzzed $5\"; exit " + itoa(fuzzStatus) + " ;;\n" +
		"  *) echo \"fake go: unexpected $*\" >&2; exit 99 ;;\n" +
		"esac\n"
	require.NoError(t, os.WriteFile(path, []byte(script), 0o700)) // #nosec G306 -- an executable for this test
	return path
}

func itoa(n int) string { return string(rune('0' + n)) }

// makeTest runs the Makefile's test target with the go command replaced and
// its prerequisites taken as done (make -o).
func makeTest(t *testing.T, goCmd string) (code int, stdout, stderr string) {
	t.Helper()
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	cmd := exec.Command("make", "--no-print-directory", "-o", "check-generate", "-o", "check-tidy", "-o", "vet", "test", "GO="+goCmd)
	cmd.Dir = root
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), out.String(), errOut.String()
	}
	require.NoError(t, err)
	return 0, out.String(), errOut.String()
}

// fuzzTargets is how many fuzz targets the Makefile names.
func fuzzTargets(t *testing.T) int {
	t.Helper()
	mk, err := os.ReadFile("../../Makefile")
	require.NoError(t, err)
	for _, line := range strings.Split(string(mk), "\n") {
		if rest, ok := strings.CutPrefix(line, "FUZZ_TARGETS := "); ok {
			return len(strings.Fields(rest))
		}
	}
	t.Fatal("the Makefile has no FUZZ_TARGETS line")
	return 0
}

// make test runs the short fuzz run alongside the tests: both must pass,
// either failing fails the target and says which, and the fuzz output is
// shown whole, after the tests'.
func TestMakeTestRunsFuzzAlongsideTests(t *testing.T) {
	if testing.Short() {
		t.Skip("runs make")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	t.Parallel()

	code, stdout, stderr := makeTest(t, fakeGo(t, 0, 0))
	require.Equal(t, 0, code, stderr)
	tests := strings.Index(stdout, "tests ran")
	fuzzed := strings.Index(stdout, "fuzzed")
	require.True(t, tests >= 0 && fuzzed >= 0, stdout)
	assert.Less(t, tests, fuzzed, "the fuzz output comes after the tests'")
	assert.Equal(t, fuzzTargets(t), strings.Count(stdout, "fuzzed "), "every fuzz target runs:\n%s", stdout)

	code, stdout, stderr = makeTest(t, fakeGo(t, 0, 1))
	assert.Equal(t, 2, code, "make exits 2 for a failed recipe")
	assert.Contains(t, stdout, "fuzzed")
	assert.Contains(t, stderr, "make test: the short fuzz run failed")
	assert.NotContains(t, stderr, "go test failed")

	code, _, stderr = makeTest(t, fakeGo(t, 1, 0))
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "make test: go test failed")
	assert.NotContains(t, stderr, "fuzz run failed")
}
