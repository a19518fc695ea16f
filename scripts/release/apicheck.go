package main

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/mod/semver"

	"github.com/dronline/connected-go/internal/goapi"
)

// apicheck compares the Go API of the tree at root with the release tag
// base (default: the last one) and fails on an incompatible change unless
// the major version changes.
func apicheck(ctx context.Context, tool goapi.Tool, root, base string, stdout, stderr io.Writer) error {
	if base == "" {
		var err error
		if base, err = lastTag(ctx, root); err != nil {
			return err
		}
		if base == "" {
			_, err := fmt.Fprintln(stdout, "release: no release tag (v*) yet: no Go API to compare with; skipped.")
			return err
		}
	}
	if !semver.IsValid(base) {
		return fmt.Errorf("base tag %q: want vX.Y.Z", base)
	}
	current, err := sourceVersion(root)
	if err != nil {
		return err
	}
	current = "v" + current
	if semver.Compare(current, base) < 0 {
		return problem{fmt.Sprintf("connected.Version %s is older than the last release tag %s", current, base)}
	}

	dir, err := os.MkdirTemp("", "apicheck-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	old, snapshot := filepath.Join(dir, "base"), filepath.Join(dir, "api")
	for _, d := range []string{old, snapshot} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return err
		}
	}
	pkgs := releasedPackages()
	_, _ = fmt.Fprintf(stderr, "release: comparing the Go API of %s with %s (apidiff)…\n", strings.Join(pkgs, ", "), base)
	if err := extract(ctx, root, base, old); err != nil {
		return err
	}
	// A package the base release did not have is new: nothing of it can
	// break, and apidiff has nothing to compare it with.
	var existing []string
	for _, p := range pkgs {
		if info, err := os.Stat(filepath.Join(old, filepath.FromSlash(p))); err == nil && info.IsDir() {
			existing = append(existing, p)
		} else {
			_, _ = fmt.Fprintf(stderr, "release: %s is new since %s: nothing to compare.\n", p, base)
		}
	}
	pkgs = existing
	if err := tool.Snapshot(ctx, old, snapshot, pkgs); err != nil {
		return fmt.Errorf("at %s: %w", base, err)
	}
	report := withoutVersionChange(tool.Diff(ctx, snapshot, root, pkgs))
	if _, err := fmt.Fprintf(stdout, "Changes since %s:\n%s\n", base, report.Text()); err != nil {
		return err
	}
	return judge(base, current, report)
}

// releasedPackages are the packages whose Go API a release promises, in
// every published module: the SDK module's gen and connected, and the
// OpenTelemetry module's package. All modules are released at one version,
// so the root's last tag is every module's last release; apidiff loads a
// nested module's package through the workspace (go.work) of each tree.
func releasedPackages() []string {
	var pkgs []string
	for _, d := range publishedModules() {
		if d == "." {
			pkgs = append(pkgs, goapi.Packages()...)
		} else {
			pkgs = append(pkgs, d)
		}
	}
	return pkgs
}

// withoutVersionChange drops connected.Version's new value from the
// report: apidiff calls any change of an exported constant's value
// incompatible, and this one changes with every release by design.
func withoutVersionChange(r goapi.Report) goapi.Report {
	for i, p := range r.Packages {
		if p.Path != "connected" {
			continue
		}
		var kept []string
		for _, c := range p.Incompatible {
			if !strings.HasPrefix(c, "Version: value changed from ") {
				kept = append(kept, c)
			}
		}
		r.Packages[i].Incompatible = kept
	}
	return r
}

// judge is the rule: an incompatible change needs a new major version, or,
// before v1.0.0, a new minor one (Semantic Versioning's major version zero:
// anything may change, and the minor version says it did).
func judge(base, current string, r goapi.Report) error {
	if r.Err != nil {
		return fmt.Errorf("the Go API could not be compared: %w", r.Err)
	}
	for _, p := range r.Packages {
		if p.Err != nil {
			return fmt.Errorf("the Go API of %s could not be compared: %w", p.Path, p.Err)
		}
	}
	if r.Incompatible() == 0 {
		return nil
	}
	if semver.Major(current) != semver.Major(base) {
		return nil // e.g. v1.4.2 -> v2.0.0: breaking is what a major is for
	}
	if semver.Major(base) == "v0" && semver.MajorMinor(current) != semver.MajorMinor(base) {
		return nil // e.g. v0.1.0 -> v0.2.0: a v0 minor may break
	}
	next, err := nextBreaking(base)
	if err != nil {
		return err
	}
	return problem{fmt.Sprintf("%d incompatible change(s) to the Go API since %s, but connected.Version %s does not say so: "+
		"release it as %s (CHANGELOG.md and %s) or keep the API compatible", r.Incompatible(), base, current, next, versionFile)}
}

// nextBreaking is the first version that may break v: the next minor
// before v1 (v0.4.1 -> v0.5.0), the next major from v1 (v1.4.2 -> v2.0.0).
func nextBreaking(v string) (string, error) {
	var major, minor int
	if _, err := fmt.Sscanf(semver.MajorMinor(v), "v%d.%d", &major, &minor); err != nil {
		return "", fmt.Errorf("version %q: %w", v, err)
	}
	if major == 0 {
		return fmt.Sprintf("v0.%d.0", minor+1), nil
	}
	return fmt.Sprintf("v%d.0.0", major+1), nil
}

// lastTag is the newest release tag reachable from HEAD, or "" when the
// repository has none. A shallow clone is an error, not "no tag": it
// would hide every tag and so skip the check for good.
func lastTag(ctx context.Context, root string) (string, error) {
	shallow, err := git(ctx, root, "rev-parse", "--is-shallow-repository")
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(shallow) == "true" {
		return "", errors.New("this is a shallow clone, which hides the release tags: fetch the whole history (actions/checkout: fetch-depth: 0)")
	}
	tags, err := git(ctx, root, "tag", "--list", "v*")
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(tags) == "" {
		return "", nil
	}
	tag, err := git(ctx, root, "describe", "--tags", "--abbrev=0", "--match", "v*")
	if err != nil {
		return "", fmt.Errorf("no release tag is reachable from HEAD: %w", err)
	}
	return strings.TrimSpace(tag), nil
}

func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...) // #nosec G204 -- git with this program's own arguments
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// extract writes the tree of ref into dir, through `git archive`.
func extract(ctx context.Context, root, ref, dir string) error {
	cmd := exec.CommandContext(ctx, "git", "archive", "--format=tar", ref) // #nosec G204 -- ref is a release tag, passed as one argument
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	untarErr := untar(out, dir)
	_, _ = io.Copy(io.Discard, out)
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git archive %s: %w: %s", ref, err, strings.TrimSpace(stderr.String()))
	}
	return untarErr
}

func untar(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.FromSlash(h.Name)
		if !filepath.IsLocal(name) {
			return fmt.Errorf("git archive: entry %q is outside the tree", h.Name)
		}
		target := filepath.Join(dir, name)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil { // #nosec G301 -- a temporary copy of the tree
				return err
			}
		case tar.TypeReg:
			if err := writeFile(target, tr, os.FileMode(h.Mode).Perm()); err != nil { // #nosec G115 -- a file mode from git
				return err
			}
		}
	}
}

func writeFile(path string, r io.Reader, perm os.FileMode) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil { // #nosec G301 -- a temporary copy of the tree
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm) // #nosec G304 -- inside a fresh temporary directory
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = io.Copy(f, r) // #nosec G110 -- our own repository's tree
	return err
}
