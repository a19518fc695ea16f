package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
)

// tags prints the tag of every published module at version, one a line,
// in the order to push them: one version for all, tagged as the go command
// finds a module in a subdirectory.
func tags(_ string, version string, stdout io.Writer) error {
	v := strings.TrimPrefix(version, "v")
	if err := checkVersion(v); err != nil {
		return problem{fmt.Sprintf("version %q: %v", version, err)}
	}
	for _, d := range publishedModules() {
		if _, err := fmt.Fprintln(stdout, moduleTag(d, "v"+v)); err != nil {
			return err
		}
	}
	return nil
}

// requirementsAt lists, for a release tagged tag, every published module
// whose go.mod requires another published module at a version other than
// tag: released together, they must require each other's release.
func requirementsAt(root, tag string) ([]string, error) {
	type mod struct {
		dir string
		f   *modfile.File
	}
	var mods []mod
	published := map[string]bool{}
	for _, d := range publishedModules() {
		file := filepath.Join(root, filepath.FromSlash(d), "go.mod")
		data, err := os.ReadFile(file) // #nosec G304 -- this repository's go.mod
		if err != nil {
			return nil, err
		}
		f, err := modfile.ParseLax(file, data, nil)
		if err != nil {
			return nil, err
		}
		if f.Module == nil {
			return nil, fmt.Errorf("%s: no module line", file)
		}
		mods = append(mods, mod{d, f})
		published[f.Module.Mod.Path] = true
	}
	var wrong []string
	for _, m := range mods {
		for _, r := range m.f.Require {
			if published[r.Mod.Path] && r.Mod.Version != tag {
				wrong = append(wrong, fmt.Sprintf("%s/go.mod requires %s %s", m.dir, r.Mod.Path, r.Mod.Version))
			}
		}
	}
	return wrong, nil
}
