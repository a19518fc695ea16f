package goapi

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestParse(t *testing.T) {
	inc, comp, err := Parse("Incompatible changes:\n- Questionnaire.CompletedAt: removed\n- Foo: changed from int to string\nCompatible changes:\n- Appointment.Notes: added\n")
	require.NoError(t, err)
	assert.Equal(t, []string{"Questionnaire.CompletedAt: removed", "Foo: changed from int to string"}, inc)
	assert.Equal(t, []string{"Appointment.Notes: added"}, comp)

	inc, comp, err = Parse("")
	require.NoError(t, err)
	assert.Empty(t, inc)
	assert.Empty(t, comp)

	inc, comp, err = Parse("Compatible changes:\n- X: added\n")
	require.NoError(t, err)
	assert.Empty(t, inc)
	assert.Equal(t, []string{"X: added"}, comp)

	for _, bad := range []string{"- X: added\n", "Ignoring internal package x\n", "Changes:\n"} {
		_, _, err := Parse(bad)
		assert.ErrorContains(t, err, "apidiff wrote a line this report does not know", bad)
	}
}

func TestLevelAndVerdict(t *testing.T) {
	cases := []struct {
		name    string
		report  Report
		level   Level
		verdict string
	}{
		{"nothing changed", Report{Packages: []Package{{Path: "gen"}, {Path: "connected"}}}, Patch, "next release: patch"},
		{"compatible only", Report{Packages: []Package{{Path: "gen", Compatible: []string{"A.B: added"}}, {Path: "connected"}}}, Minor, "next release: minor"},
		{"one incompatible", Report{Packages: []Package{
			{Path: "gen", Compatible: []string{"A.B: added"}},
			{Path: "connected", Incompatible: []string{"F: removed"}},
		}}, Major, "next release: major"},
		{"a package did not build", Report{Packages: []Package{
			{Path: "gen", Compatible: []string{"A.B: added"}},
			{Path: "connected", Err: errors.New("unknown field")},
		}}, Minor, "next release: minor at least (connected did not build, so its changes are not known)"},
		{"not compared", Report{Err: errors.New("no go")}, Patch, "next release: not known (the Go API could not be compared)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			level, _ := c.report.Level()
			assert.Equal(t, c.level, level)
			assert.Equal(t, c.verdict, c.report.Verdict())
			assert.True(t, strings.HasSuffix(c.report.Text(), c.verdict), "the text ends with the verdict")
		})
	}
}

func TestTextAndMarkdown(t *testing.T) {
	r := Report{Packages: []Package{
		{Path: "gen", Incompatible: []string{"Questionnaire.CompletedAt: removed"}, Compatible: []string{"Appointment.Notes: added"}},
		{Path: "connected", Err: errors.New("connected/x.go:1: <boom>")},
	}}
	text := r.Text()
	assert.Contains(t, text, "Go API: incompatible changes (1):\n  - gen: Questionnaire.CompletedAt: removed\n")
	assert.Contains(t, text, "Go API: compatible changes (1):\n  - gen: Appointment.Notes: added\n")
	assert.Contains(t, text, "Go API: connected did not build, so its changes are not known:\n  connected/x.go:1: <boom>")
	assert.Contains(t, text, "next release: major at least")

	md := r.Markdown()
	assert.Contains(t, md, "### Go API\n")
	assert.Contains(t, md, "**Next release: major at least (connected did not build, so its changes are not known)**")
	assert.Contains(t, md, "#### Incompatible changes (1)\n\n- `gen`: Questionnaire.CompletedAt: removed\n")
	assert.Contains(t, md, "#### Compatible changes (1)\n\n- `gen`: Appointment.Notes: added\n")
	assert.Contains(t, md, "#### `connected` did not build")

	none := Report{Packages: []Package{{Path: "gen"}}}
	assert.Contains(t, none.Text(), "Go API: incompatible changes (0):\n  none\nGo API: compatible changes (0):\n  none\nnext release: patch")
	assert.Contains(t, none.Markdown(), "#### Incompatible changes (0)\n\nNone.\n")
}

// fakeApidiff is a stand-in for apidiff: with -w it writes the package path
// to the file; compared with a file, it prints $FAKE_APIDIFF_<pkg>, or
// fails when that is "fail".
func fakeApidiff(t *testing.T) []string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "apidiff")
	script := `#!/bin/sh
if [ "$1" = -w ]; then echo "$3" > "$2"; exit 0; fi
pkg=$(cat "$1") || exit 3
[ "$pkg" = "$2" ] || { echo "compared $pkg with $2" >&2; exit 4; }
case $pkg in
  ./gen) out=$FAKE_APIDIFF_gen ;;
  ./connected) out=$FAKE_APIDIFF_connected ;;
esac
if [ "$out" = fail ]; then echo "loading $pkg: connected/x.go:1:2: undefined: gen.Thing" >&2; exit 1; fi
printf '%b' "$out"
`
	require.NoError(t, os.WriteFile(path, []byte(script), 0o700)) // #nosec G306 -- an executable for this test
	return []string{path}
}

func TestToolSnapshotAndDiff(t *testing.T) {
	tool := Tool{Command: fakeApidiff(t)}
	snap, module := t.TempDir(), t.TempDir()
	require.NoError(t, tool.Snapshot(context.Background(), module, snap, Packages()))
	assert.FileExists(t, filepath.Join(snap, "gen.export"))
	assert.FileExists(t, filepath.Join(snap, "connected.export"))

	t.Setenv("FAKE_APIDIFF_gen", `Incompatible changes:\n- Patient.Sex: removed\nCompatible changes:\n- Appointment.Notes: added\n`)
	t.Setenv("FAKE_APIDIFF_connected", "fail")
	r := tool.Diff(context.Background(), snap, module, Packages())
	require.NoError(t, r.Err)
	require.Len(t, r.Packages, 2)
	assert.Equal(t, Package{Path: "gen", Incompatible: []string{"Patient.Sex: removed"}, Compatible: []string{"Appointment.Notes: added"}}, r.Packages[0])
	assert.Equal(t, "connected", r.Packages[1].Path)
	assert.ErrorContains(t, r.Packages[1].Err, "undefined: gen.Thing")
	assert.Equal(t, "next release: major at least (connected did not build, so its changes are not known)", r.Verdict())

	t.Setenv("FAKE_APIDIFF_connected", "Something else\n")
	r = tool.Diff(context.Background(), snap, module, Packages())
	assert.ErrorContains(t, r.Packages[1].Err, `does not know: "Something else"`)
}

func TestToolFailures(t *testing.T) {
	err := Tool{Command: []string{"false"}}.Snapshot(context.Background(), t.TempDir(), t.TempDir(), []string{"gen"})
	assert.ErrorContains(t, err, "recording the Go API of gen: false -w")
	err = Tool{}.Snapshot(context.Background(), t.TempDir(), t.TempDir(), []string{"gen"})
	assert.ErrorContains(t, err, "no apidiff command")
}

func TestCommand(t *testing.T) {
	assert.Equal(t, []string{"go", "run", "golang.org/x/exp/cmd/apidiff@" + Version}, Command(""))
	assert.Equal(t, []string{"/bin/apidiff", "-x"}, Command(" /bin/apidiff  -x "))
	assert.Contains(t, ToolEnv([]string{"go", "run"}), "GOTOOLCHAIN=auto")
	assert.Equal(t, os.Environ(), ToolEnv([]string{"/bin/apidiff"}))
}

func TestModuleRoot(t *testing.T) {
	root, err := ModuleRoot(".")
	require.NoError(t, err)
	assert.FileExists(t, filepath.Join(root, "go.mod"))
	assert.Equal(t, filepath.Join(root, "internal", "goapi"), mustAbs(t, "."))

	_, err = ModuleRoot(t.TempDir())
	assert.ErrorContains(t, err, "no go.mod at or above")
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	require.NoError(t, err)
	return abs
}
