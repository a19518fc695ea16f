package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/dronline/connected-go/api"
	"github.com/dronline/connected-go/internal/goapi"
	"github.com/dronline/connected-go/internal/modcopy"
)

// generateScript regenerates gen/ from api/, relative to the module root:
// the same script make generate and make check-generate run.
const generateScript = "scripts/generate.sh"

// generateTimeout covers a cold `go run` of the generator.
const generateTimeout = 10 * time.Minute

// isModuleSpec reports whether path is the module's own pinned spec, the
// one gen/ is generated from.
func isModuleSpec(root, path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	a, errA := os.Stat(abs)
	b, errB := os.Stat(filepath.Join(root, filepath.FromSlash(api.Path)))
	return errA == nil && errB == nil && os.SameFile(a, b)
}

// regenerate runs the generator in the module at root.
func regenerate(ctx context.Context, root string) error {
	ctx, cancel := context.WithTimeout(ctx, generateTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(root, filepath.FromSlash(generateScript))) // #nosec G204 -- the module's own script
	cmd.Dir = root
	cmd.Env = goapi.ToolEnv(nil)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w\n%s", generateScript, err, goapi.LastLines(out.String(), 15))
	}
	return nil
}

// goAPIOfOfficial tells what regenerating gen/ from the official spec would
// do to the exported Go API, without touching the tree at root: it records
// the API of root's packages, regenerates gen/ in a temporary copy of the
// module with the official spec, and compares.
func goAPIOfOfficial(ctx context.Context, tool goapi.Tool, root string, official map[string]any, sourceURL string, progress io.Writer) *goapi.Report {
	report := func(err error) *goapi.Report { return &goapi.Report{Err: err} }
	dir, err := os.MkdirTemp("", "drift-goapi-")
	if err != nil {
		return report(err)
	}
	defer func() { _ = os.RemoveAll(dir) }()
	say(progress, "drift: recording the Go API of %s (apidiff)…", strings.Join(goapi.Packages(), ", "))
	snapshot := filepath.Join(dir, "api")
	if err := os.Mkdir(snapshot, 0o700); err != nil {
		return report(err)
	}
	if err := tool.Snapshot(ctx, root, snapshot, goapi.Packages()); err != nil {
		return report(err)
	}
	say(progress, "drift: regenerating gen/ from the official spec in a temporary copy of the module…")
	module := filepath.Join(dir, "module")
	if err := modcopy.Copy(root, module); err != nil {
		return report(fmt.Errorf("copying the module: %w", err))
	}
	if err := writeOfficial(filepath.Join(module, filepath.FromSlash(api.Path)), official, sourceURL, time.Now()); err != nil {
		return report(err)
	}
	if err := regenerate(ctx, module); err != nil {
		return report(fmt.Errorf("the official spec does not generate: %w", err))
	}
	r := tool.Diff(ctx, snapshot, module, goapi.Packages())
	return &r
}

func say(w io.Writer, format string, args ...any) {
	if w != nil {
		_, _ = fmt.Fprintf(w, format+"\n", args...)
	}
}
