package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/api"
)

// repoRoot is where the Makefile and scripts/ are, seen from this
// package's directory (go test runs in it).
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	require.FileExists(t, filepath.Join(root, "Makefile"))
	return root
}

// The two ways a maintainer or CI runs the check, against the real pinned
// spec: the script exits 0/1/2 exactly; make exits 0 or 2, because GNU
// make exits 2 whenever a recipe fails, and says which on stderr.
func script(root string) []string {
	return []string{filepath.Join(root, "scripts", "check-spec-drift.sh")}
}
func makeDrift(root string) []string {
	return []string{"make", "--no-print-directory", "-C", root, "drift"}
}

// makeStatus is what make exits with when the script exits code.
func makeStatus(code int) int {
	if code == 0 {
		return 0
	}
	return 2
}

// TestEntryPointExitCodes runs each case through both entry points with
// the tool built once ($DRIFT_BIN); TestEntryPointsBuildTheTool covers the
// build itself.
func TestEntryPointExitCodes(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	bin := driftBinary(t)
	reformatted := func() []byte {
		doc := parsedSpec(t)
		out, err := json.MarshalIndent(doc, "", "\t") // keys A–Z, tabs: not drift
		require.NoError(t, err)
		return append([]byte("\n  "), out...)
	}()
	require.NotEqual(t, api.Spec(), reformatted)

	cases := []struct {
		name   string
		url    func(t *testing.T) string
		code   int    // the script's exit status
		result string // what DRIFT_RESULT gets
		output string // in stdout (0, 1) or stderr (2)
	}{
		{"same", func(t *testing.T) string { return serveSpec(t, api.Spec()) }, 0, "same", "no drift"},
		{"reformatted", func(t *testing.T) string { return serveSpec(t, reformatted) }, 0, "same", "no drift"},
		{"changed", func(t *testing.T) string { return serveSpec(t, mutated(t, removeResponseField(t))) }, 1, "drift",
			"[breaking] GET /connected/patients/{patient_id}: removed the required property `phone`"},
		{"HTML page", func(t *testing.T) string {
			return serve(t, http.StatusOK, "text/html", []byte("<!doctype html><html><body>Sign in</body></html>"))
		}, 2, "error", "probably HTML"},
		{"404", func(t *testing.T) string { return serve(t, http.StatusNotFound, "text/plain", []byte("no")) }, 2, "error", "HTTP 404 Not Found"},
		{"connection refused", refusedURL, 2, "error", "network error: connection refused"},
	}
	for _, c := range cases {
		for _, entry := range []struct {
			name string
			argv []string
			code int
		}{
			{"script", script(root), c.code},
			{"make", makeDrift(root), makeStatus(c.code)},
		} {
			t.Run(c.name+"/"+entry.name, func(t *testing.T) {
				// "false" as oasdiff fails the check if it is ever run, so
				// the cases that are not drift prove they never reach it.
				oasdiff := "false"
				if c.code == exitDrift {
					oasdiff = strings.Join(oasdiffForTest(t), " ")
				}
				env := []string{"DRONLINE_SPEC_URL=" + c.url(t), "OASDIFF=" + oasdiff, "DRIFT_GOAPI=off", "DRIFT_BIN=" + bin}
				o := runCommand(t, env, entry.argv[0], entry.argv[1:]...)
				require.Equal(t, entry.code, o.code, "exit status\nstdout:\n%s\nstderr:\n%s", o.stdout, o.stderr)
				assert.Equal(t, "result="+c.result+"\n", o.result)
				if c.code == exitFailed {
					assert.Contains(t, o.stderr, c.output)
					assert.Contains(t, o.stderr, "NOT a result")
					assert.NotContains(t, o.stdout, "no drift")
				} else {
					assert.Contains(t, o.stdout, c.output)
				}
				if entry.name == "make" {
					switch c.code {
					case exitDrift:
						assert.Contains(t, o.stderr, "make drift: DRIFT (scripts/check-spec-drift.sh exited 1)")
					case exitFailed:
						assert.Contains(t, o.stderr, "make drift: COULD NOT CHECK (scripts/check-spec-drift.sh exited 2)")
					}
				}
			})
		}
	}
}

// fakeGo is a stand-in for the go command that "builds" scripts/drift as a
// program running $FAKE_DRIFT, so that the script's own handling of the tool's
// status is tested without a build.
func fakeGo(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "go")
	script := "#!/bin/sh\n" +
		`[ "$1" = build ] && [ "$2" = -o ] && [ "$4" = ./scripts/drift ] || { echo "fake go: unexpected $*" >&2; exit 99; }` + "\n" +
		`printf '#!/bin/sh\n%s\n' "$FAKE_DRIFT" > "$3" && chmod +x "$3"` + "\n"
	require.NoError(t, os.WriteFile(path, []byte(script), 0o700)) // #nosec G306 -- an executable for this test
	return path
}

func TestEntryPointsMapEveryOtherStatusToCouldNotCheck(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	cases := []struct {
		name       string
		fake       string // the fake tool's body; "" for a go that fails
		code       int
		stderr     string
		makeStderr string
	}{
		{"the tool does not build", "", 2,
			"could not build scripts/drift; the contract was NOT checked", "COULD NOT CHECK (scripts/check-spec-drift.sh exited 2)"},
		{"the tool exits 1", "exit 1", 1, "", "DRIFT (scripts/check-spec-drift.sh exited 1)"},
		{"the tool exits 7", "exit 7", 2,
			"scripts/drift ended with status 7; the contract was NOT checked", "COULD NOT CHECK"},
		{"the tool is killed", "kill -KILL $$", 2,
			"scripts/drift ended with status 137", "COULD NOT CHECK"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			goCommand := "false"
			if c.fake != "" {
				goCommand = fakeGo(t)
			}
			env := []string{"GO=" + goCommand, "FAKE_DRIFT=" + c.fake, "DRONLINE_SPEC_URL=" + refusedURL(t)}
			o := runCommand(t, env, script(root)[0])
			assert.Equal(t, c.code, o.code, o.stderr)
			assert.Contains(t, o.stderr, c.stderr)

			o = runCommand(t, env, makeDrift(root)[0], makeDrift(root)[1:]...)
			assert.Equal(t, makeStatus(c.code), o.code, o.stderr)
			assert.Contains(t, o.stderr, "make drift: "+c.makeStderr)
		})
	}
}

// TestEntryPointsBuildTheTool runs the script and make as a maintainer does,
// with no prebuilt tool: each builds scripts/drift from the tree, and the
// tool's 2 comes out as 2 (`go run` would have made it 1).
func TestEntryPointsBuildTheTool(t *testing.T) {
	t.Parallel()
	root := repoRoot(t)
	for name, argv := range map[string][]string{"script": script(root), "make": makeDrift(root)} {
		t.Run(name, func(t *testing.T) {
			env := []string{"DRONLINE_SPEC_URL=" + serve(t, http.StatusNotFound, "text/plain", nil), "OASDIFF=false", "DRIFT_GOAPI=off"}
			o := runCommand(t, env, argv[0], argv[1:]...)
			assert.Equal(t, 2, o.code, o.stderr)
			assert.Equal(t, "result=error\n", o.result)
			assert.Contains(t, o.stderr, "HTTP 404 Not Found")

		})
	}
}
