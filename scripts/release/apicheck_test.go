package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/internal/goapi"
)

func TestWithoutVersionChange(t *testing.T) {
	t.Parallel()
	r := withoutVersionChange(goapi.Report{Packages: []goapi.Package{
		{Path: "gen", Incompatible: []string{`Version: value changed from "1" to "2"`}},
		{Path: "connected", Incompatible: []string{`Version: value changed from "0.1.0" to "0.2.0"`, "Book: removed"}},
	}})
	assert.Equal(t, []string{`Version: value changed from "1" to "2"`}, r.Packages[0].Incompatible, "only connected.Version")
	assert.Equal(t, []string{"Book: removed"}, r.Packages[1].Incompatible)
}

func TestJudge(t *testing.T) {
	t.Parallel()
	compatible := goapi.Report{Packages: []goapi.Package{{Path: "gen", Compatible: []string{"A.B: added"}}, {Path: "connected"}}}
	incompatible := goapi.Report{Packages: []goapi.Package{{Path: "gen", Incompatible: []string{"A.B: removed"}}, {Path: "connected"}}}
	cases := []struct {
		name, base, current string
		report              goapi.Report
		want                string // "" for no error
		failed              bool   // a problem (exit 1) rather than an error (exit 2)
	}{
		{"no change", "v0.1.0", "v0.1.0", goapi.Report{Packages: []goapi.Package{{Path: "gen"}}}, "", false},
		{"compatible, same version", "v0.1.0", "v0.1.0", compatible, "", false},
		{"compatible, minor bump", "v1.2.0", "v1.3.0", compatible, "", false},
		{"incompatible, same version", "v0.1.0", "v0.1.0", incompatible,
			"1 incompatible change(s) to the Go API since v0.1.0, but connected.Version v0.1.0 does not say so: release it as v0.2.0 (CHANGELOG.md and connected/version.go) or keep the API compatible", true},
		{"incompatible, patch bump of v0", "v0.1.0", "v0.1.1", incompatible, "release it as v0.2.0", true},
		{"incompatible, minor bump of v0", "v0.1.0", "v0.2.0", incompatible, "", false},
		{"incompatible, minor bump of v1", "v1.4.2", "v1.5.0", incompatible, "release it as v2.0.0", true},
		{"incompatible, v0 to v1", "v0.4.1", "v1.0.0", incompatible, "", false},
		{"incompatible, v1 to v2", "v1.4.1", "v2.0.0", incompatible, "", false},
		{"not compared", "v0.1.0", "v0.1.0", goapi.Report{Err: errors.New("no apidiff")}, "the Go API could not be compared: no apidiff", false},
		{"a package did not build", "v0.1.0", "v1.0.0", goapi.Report{Packages: []goapi.Package{{Path: "connected", Err: errors.New("undefined: x")}}},
			"the Go API of connected could not be compared: undefined: x", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := judge(c.base, c.current, c.report)
			if c.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			var p problem
			assert.Equal(t, c.failed, errors.As(err, &p), "exit 1 (a failed check) or 2 (could not check)")
		})
	}
}

// TestAPICheck runs apicheck, with the real apidiff, in a small module in a
// git repository of its own, through each outcome.
func TestAPICheck(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping a test that runs apidiff")
	}
	t.Setenv("APIDIFF", installApidiff(t))
	repo := toyRepo(t)
	t.Chdir(repo)

	code, stdout, stderr := releaseCmd(t, "apicheck")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "no release tag (v*) yet: no Go API to compare with; skipped.")

	gitIn(t, repo, "tag", "v0.1.0")
	code, stdout, stderr = releaseCmd(t, "apicheck")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "Changes since v0.1.0:")
	assert.Contains(t, stdout, "next release: patch")

	writeToy(t, repo, "gen/gen.go", "package gen\n\ntype Patient struct {\n\tName  string\n\tSex   string\n\tPhone string\n}\n")
	code, stdout, stderr = releaseCmd(t, "apicheck")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "Go API: compatible changes (1):\n  - gen: Patient.Phone: added\n")
	assert.Contains(t, stdout, "next release: minor")

	// connected.Version's value changes with every release: never an
	// incompatible change for this check.
	writeToy(t, repo, "connected/version.go", "package connected\n\nconst Version = \"0.2.0\"\n")
	code, stdout, stderr = releaseCmd(t, "apicheck")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "next release: minor")

	writeToy(t, repo, "gen/gen.go", "package gen\n\ntype Patient struct {\n\tName string\n}\n")
	for _, v := range []string{"0.1.0", "0.1.1"} {
		writeToy(t, repo, "connected/version.go", "package connected\n\nconst Version = \""+v+"\"\n")
		code, stdout, stderr = releaseCmd(t, "apicheck")
		assert.Equal(t, exitFailed, code, "version %s\n%s", v, stderr)
		assert.Contains(t, stdout, "Go API: incompatible changes (1):\n  - gen: Patient.Sex: removed\n")
		assert.Contains(t, stderr, "1 incompatible change(s) to the Go API since v0.1.0, but connected.Version v"+v+" does not say so: release it as v0.2.0")
	}

	for _, v := range []string{"0.2.0", "1.0.0"} {
		writeToy(t, repo, "connected/version.go", "package connected\n\nconst Version = \""+v+"\"\n")
		code, stdout, stderr = releaseCmd(t, "apicheck")
		assert.Equal(t, exitOK, code, "version %s\n%s", v, stderr)
		assert.Contains(t, stdout, "next release: major")
	}

	writeToy(t, repo, "connected/version.go", "package connected\n\nconst Version = \"0.0.9\"\n")
	code, _, stderr = releaseCmd(t, "apicheck")
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, stderr, "connected.Version v0.0.9 is older than the last release tag v0.1.0")

	// -base names the tag; a tree that no longer builds cannot be compared.
	writeToy(t, repo, "connected/version.go", "package connected\n\nconst Version = \"1.0.0\"\n")
	writeToy(t, repo, "connected/connected.go", "package connected\n\nfunc Book() error { return undefinedThing }\n")
	code, _, stderr = releaseCmd(t, "apicheck", "-base", "v0.1.0")
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr, "the Go API of connected could not be compared")
	assert.Contains(t, stderr, "undefinedThing")

	// A shallow clone hides the tags: an error, never "no tag, skipped".
	shallow := filepath.Join(t.TempDir(), "shallow")
	gitIn(t, repo, "clone", "-q", "--depth", "1", "--no-tags", "file://"+repo, shallow)
	t.Chdir(shallow)
	code, _, stderr = releaseCmd(t, "apicheck")
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr, "this is a shallow clone, which hides the release tags")
}

// installApidiff installs the pinned apidiff into a temporary directory (or
// returns $APIDIFF).
func installApidiff(t *testing.T) string {
	t.Helper()
	if env := os.Getenv("APIDIFF"); env != "" {
		return env
	}
	dir := t.TempDir()
	cmd := exec.Command("go", "install", goapi.Module+"@"+goapi.Version)
	cmd.Dir = dir // no go.mod here: module@version stays out of ours
	cmd.Env = append(goapi.ToolEnv([]string{"go"}), "GOBIN="+dir)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	return filepath.Join(dir, "apidiff")
}

// toyRepo is a git repository holding a module with the two packages the
// check compares, committed, not yet tagged.
func toyRepo(t *testing.T) string {
	t.Helper()
	repo := t.TempDir()
	writeToy(t, repo, "go.mod", "module example.com/toy\n\ngo 1.25\n")
	writeToy(t, repo, "gen/gen.go", "package gen\n\ntype Patient struct {\n\tName string\n\tSex  string\n}\n")
	writeToy(t, repo, "connected/connected.go", "package connected\n\nimport \"example.com/toy/gen\"\n\ntype Patient = gen.Patient\n\nfunc Book() error { return nil }\n")
	writeToy(t, repo, "connected/version.go", "package connected\n\nconst Version = \"0.1.0\"\n")
	gitIn(t, repo, "init", "-q")
	gitIn(t, repo, "add", ".")
	gitIn(t, repo, "commit", "-q", "-m", "toy module")
	return repo
}

func writeToy(t *testing.T, repo, name, content string) {
	t.Helper()
	path := filepath.Join(repo, filepath.FromSlash(name))
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
}

func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{
		"-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main",
		"-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", "-c", "protocol.file.allow=always",
	}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %v\n%s", args, out)
}
