package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/dronline/connected-go/api"
	"github.com/dronline/connected-go/internal/goapi"
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

// regenerate runs the generator of the module at root. With out set it
// writes the generated files under out instead, from the contract at spec
// (the tree is not touched); with out empty it writes them in the tree,
// from the pinned contract.
func regenerate(ctx context.Context, root, spec, out string) error {
	ctx, cancel := context.WithTimeout(ctx, generateTimeout)
	defer cancel()
	var args []string
	if out != "" {
		args = []string{out, spec}
	}
	cmd := exec.CommandContext(ctx, filepath.Join(root, filepath.FromSlash(generateScript)), args...) // #nosec G204 -- the module's own script
	cmd.Dir = root
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w\n%s", generateScript, err, goapi.LastLines(buf.String(), 15))
	}
	return nil
}

// goAPIOfOfficial tells what regenerating gen/ from the official spec would
// do to the exported Go API, without touching the tree at root: it records
// the API of root's packages, generates from the official spec into a
// temporary directory, and compares root's packages with those files laid
// over the tree's (an overlay, not a copy of the module, so that what the
// contract does not change comes from the build cache).
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
	say(progress, "drift: generating from the official spec into a temporary directory, laid over the tree's generated files…")
	spec := filepath.Join(dir, "official.json")
	if err := writeOfficial(spec, official, sourceURL, time.Now()); err != nil {
		return report(err)
	}
	generated := filepath.Join(dir, "generated")
	if err := regenerate(ctx, root, spec, generated); err != nil {
		return report(fmt.Errorf("the official spec does not generate: %w", err))
	}
	overlay := filepath.Join(dir, "overlay.json")
	if err := writeOverlay(overlay, root, generated); err != nil {
		return report(err)
	}
	tool.Overlay = overlay
	r := tool.Diff(ctx, snapshot, root, goapi.Packages())
	return &r
}

// writeOverlay writes the go command overlay file that puts every file
// under generated in place of the file at the same path under root.
func writeOverlay(path, root, generated string) error {
	replace := map[string]string{}
	err := filepath.WalkDir(generated, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(generated, p)
		if err != nil {
			return err
		}
		replace[filepath.Join(root, rel)] = p
		return nil
	})
	if err != nil {
		return fmt.Errorf("listing the generated files: %w", err)
	}
	b, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

func say(w io.Writer, format string, args ...any) {
	if w != nil {
		_, _ = fmt.Fprintf(w, format+"\n", args...)
	}
}
