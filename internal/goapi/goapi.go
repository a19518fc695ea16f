// Package goapi tells what changed in the exported Go API of this module's
// packages between two versions of the tree, and what that means for the
// next release's version number. It runs the pinned
// golang.org/x/exp/cmd/apidiff: `apidiff -w FILE ./pkg` records a package's
// API (its export data) in one tree, `apidiff FILE ./pkg` compares another
// tree's package with it.
//
// scripts/drift uses it to say what a contract change does to Go users;
// scripts/apicheck to hold a release to the version it needs.
package goapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// The pinned apidiff. It runs as `go run module@version`, so that it never
// enters this module's go.mod.
const (
	Module  = "golang.org/x/exp/cmd/apidiff"
	Version = "v0.0.0-20261113113407-e3970619a1a4"
)

// timeout covers a cold `go run`, which downloads and builds apidiff.
const timeout = 10 * time.Minute

// Packages are the packages whose exported API the reports cover, relative
// to the module root: gen (the generated models and client) and connected
// (the SDK). connected's model types are aliases of gen's, so a change to
// a model shows under gen.
func Packages() []string { return []string{"gen", "connected"} }

// Command is $APIDIFF split on spaces (tests point it at a binary they
// built once), or the pinned `go run`.
func Command(env string) []string {
	if f := strings.Fields(env); len(f) > 0 {
		return f
	}
	return []string{"go", "run", Module + "@" + Version}
}

// Tool runs apidiff.
type Tool struct {
	// Command is the command (name and leading arguments) that runs
	// apidiff; see Command.
	Command []string
	// Overlay, when set, is a go command overlay file (go help build,
	// -overlay) the packages are loaded through: the files it names stand
	// in for the tree's, so a tree with other generated files can be
	// compared without a copy of the module, and every package it does
	// not change comes from the build cache as the tree's own builds left
	// it.
	Overlay string
}

// Snapshot records the exported API of each package of the module at
// moduleDir into outDir, to compare another tree with later. The packages
// are done concurrently.
func (t Tool) Snapshot(ctx context.Context, moduleDir, outDir string, pkgs []string) error {
	errs := make([]error, len(pkgs))
	var wg sync.WaitGroup
	for i, pkg := range pkgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := t.run(ctx, moduleDir, "-w", exportFile(outDir, pkg), "./"+pkg); err != nil {
				errs[i] = fmt.Errorf("recording the Go API of %s: %w", pkg, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Diff compares each package of the module at moduleDir with its API
// recorded by Snapshot in snapshotDir, concurrently. A package that no
// longer loads (it does not compile) is reported as such, in Package.Err.
func (t Tool) Diff(ctx context.Context, snapshotDir, moduleDir string, pkgs []string) Report {
	r := Report{Packages: make([]Package, len(pkgs))}
	var wg sync.WaitGroup
	for i, pkg := range pkgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := Package{Path: pkg}
			out, err := t.run(ctx, moduleDir, exportFile(snapshotDir, pkg), "./"+pkg)
			if err == nil {
				p.Incompatible, p.Compatible, err = Parse(out)
			}
			p.Err = err
			r.Packages[i] = p
		}()
	}
	wg.Wait()
	return r
}

func exportFile(dir, pkg string) string {
	return filepath.Join(dir, strings.ReplaceAll(pkg, "/", "_")+".export")
}

func (t Tool) run(ctx context.Context, dir string, args ...string) (string, error) {
	if len(t.Command) == 0 {
		return "", errors.New("no apidiff command")
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	argv := append(append([]string(nil), t.Command[1:]...), args...)
	cmd := exec.CommandContext(ctx, t.Command[0], argv...) // #nosec G204 -- the pinned default or the caller's $APIDIFF
	cmd.Dir = dir
	cmd.Env = ToolEnv(t.Command)
	if t.Overlay != "" {
		// A later entry wins over os.Environ's (os/exec keeps the last).
		cmd.Env = append(cmd.Env, "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -overlay="+t.Overlay))
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s", strings.Join(t.Command, " "), strings.Join(args, " "), err,
			LastLines(stderr.String(), 15))
	}
	return stdout.String(), nil
}

// ToolEnv is the environment for a pinned tool run with `go run
// module@version`: GOTOOLCHAIN=auto lets the go command switch to the Go
// release the tool requires (apidiff needs Go 1.26) whatever GOTOOLCHAIN
// says for this module.
func ToolEnv(command []string) []string {
	env := os.Environ()
	if len(command) > 0 && filepath.Base(command[0]) == "go" {
		env = append(env, "GOTOOLCHAIN=auto")
	}
	return env
}

// ModuleRoot is the nearest directory at or above dir with a go.mod.
func ModuleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod at or above %s: run from within the module", dir)
		}
	}
}

// LastLines is the last n lines of s, for error messages.
func LastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Parse reads apidiff's report: an "Incompatible changes:" and a
// "Compatible changes:" section, each a list of "- message" lines, either
// left out when empty.
func Parse(out string) (incompatible, compatible []string, err error) {
	var section *[]string
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		switch {
		case line == "":
		case line == "Incompatible changes:":
			section = &incompatible
		case line == "Compatible changes:":
			section = &compatible
		case strings.HasPrefix(line, "- ") && section != nil:
			*section = append(*section, strings.TrimPrefix(line, "- "))
		default:
			return nil, nil, fmt.Errorf("apidiff wrote a line this report does not know: %q", line)
		}
	}
	return incompatible, compatible, nil
}
