package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"
)

// publishedModules are the directories, relative to the repository root,
// of the modules a release publishes and tags (the root as "v1.2.3", the
// others as "<dir>/v1.2.3"). The tests module is never published.
func publishedModules() []string { return []string{".", "connected/otelconnected"} }

// moduleTag is the tag that releases the module in dir at version.
func moduleTag(dir, version string) string {
	if dir == "." {
		return version
	}
	return dir + "/" + version
}

// repoFiles lists the files a release of the tree at root would hold: the
// tracked ones and the untracked ones git does not ignore, as they are on
// disk now, so that a rehearsal sees uncommitted work too.
func repoFiles(ctx context.Context, root string) ([]string, error) {
	out, err := git(ctx, root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	if err != nil {
		return nil, err
	}
	var files []string
	for _, f := range strings.Split(out, "\x00") {
		if f == "" {
			continue
		}
		// A file deleted in the working tree but still in the index.
		if _, err := os.Lstat(filepath.Join(root, filepath.FromSlash(f))); err != nil {
			continue
		}
		files = append(files, f)
	}
	slices.Sort(files)
	return files, nil
}

// moduleDirs are the directories of every go.mod among files, the root as ".".
func moduleDirs(files []string) []string {
	var dirs []string
	for _, f := range files {
		if path.Base(f) == "go.mod" {
			dirs = append(dirs, path.Dir(f))
		}
	}
	return dirs
}

// moduleFiles are the files of the module in dir: those under it and not
// under a module nested in it, with paths relative to dir.
func moduleFiles(files, dirs []string, dir string) []string {
	inside := func(f, d string) bool { return d == "." || strings.HasPrefix(f, d+"/") }
	var out []string
	for _, f := range files {
		if !inside(f, dir) {
			continue
		}
		nested := false
		for _, d := range dirs {
			if d != dir && len(d) > len(dir) && inside(d, dir) && inside(f, d) {
				nested = true
				break
			}
		}
		if nested {
			continue
		}
		if dir == "." {
			out = append(out, f)
		} else {
			out = append(out, strings.TrimPrefix(f, dir+"/"))
		}
	}
	return out
}

// releasedGoMod is the go.mod of a module as a release publishes it: every
// requirement of a published module of this repository at the release's
// version. (Between releases those requirements, satisfied by replace
// directives during development, may name any version.)
func releasedGoMod(data []byte, file string, published map[string]bool, version string) ([]byte, string, error) {
	f, err := modfile.Parse(file, data, nil)
	if err != nil {
		return nil, "", err
	}
	if f.Module == nil {
		return nil, "", fmt.Errorf("%s: no module line", file)
	}
	for _, r := range f.Require {
		if published[r.Mod.Path] {
			if err := f.AddRequire(r.Mod.Path, version); err != nil {
				return nil, "", err
			}
		}
	}
	f.Cleanup()
	out, err := f.Format()
	return out, f.Module.Mod.Path, err
}

// diskFile is a file of a module zip read from the working tree; data,
// when set, replaces its contents (a go.mod as released).
type diskFile struct {
	name string // the path inside the module
	disk string
	data []byte
}

func (f diskFile) Path() string { return f.name }

func (f diskFile) Lstat() (fs.FileInfo, error) {
	info, err := os.Lstat(f.disk)
	if err != nil || f.data == nil {
		return info, err
	}
	return sizedInfo{info, int64(len(f.data))}, nil
}

func (f diskFile) Open() (io.ReadCloser, error) {
	if f.data != nil {
		return io.NopCloser(bytes.NewReader(f.data)), nil
	}
	return os.Open(f.disk) // #nosec G304 -- a file of this repository, listed by git
}

type sizedInfo struct {
	fs.FileInfo
	size int64
}

func (s sizedInfo) Size() int64 { return s.size }

// publishedModule is one module written to the proxy.
type publishedModule struct {
	Path  string
	Files int
}

// writeProxy writes every published module of the tree at root, at
// version, into dir as a GOPROXY=file:// module proxy: for each, @v/list,
// and the version's .info, .mod and .zip, the zip made by
// golang.org/x/mod/zip, which holds it to the rules the go command applies
// to a download.
func writeProxy(ctx context.Context, root, dir, version string, at time.Time) ([]publishedModule, error) {
	files, err := repoFiles(ctx, root)
	if err != nil {
		return nil, err
	}
	dirs := moduleDirs(files)
	paths := map[string]string{} // module directory -> module path
	published := map[string]bool{}
	for _, d := range publishedModules() {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(d), "go.mod")) // #nosec G304 -- this repository's go.mod
		if err != nil {
			return nil, err
		}
		p := modfile.ModulePath(data)
		if p == "" {
			return nil, fmt.Errorf("%s/go.mod: no module line", d)
		}
		paths[d], published[p] = p, true
	}
	var out []publishedModule
	for _, d := range publishedModules() {
		var zfiles []zip.File
		var gomod []byte
		for _, rel := range moduleFiles(files, dirs, d) {
			disk := filepath.Join(root, filepath.FromSlash(d), filepath.FromSlash(rel))
			f := diskFile{name: rel, disk: disk}
			if rel == "go.mod" {
				data, err := os.ReadFile(disk) // #nosec G304 -- this repository's go.mod
				if err != nil {
					return nil, err
				}
				if f.data, _, err = releasedGoMod(data, path.Join(d, "go.mod"), published, version); err != nil {
					return nil, err
				}
				gomod = f.data
			}
			zfiles = append(zfiles, f)
		}
		mv := module.Version{Path: paths[d], Version: version}
		if err := writeVersion(dir, mv, gomod, zfiles, at); err != nil {
			return nil, fmt.Errorf("%s: %w", mv, err)
		}
		out = append(out, publishedModule{Path: mv.Path, Files: len(zfiles)})
	}
	return out, nil
}

// writeVersion writes one module version in the proxy's layout.
func writeVersion(dir string, mv module.Version, gomod []byte, files []zip.File, at time.Time) error {
	escaped, err := module.EscapePath(mv.Path)
	if err != nil {
		return err
	}
	base := filepath.Join(dir, filepath.FromSlash(escaped), "@v")
	if err := os.MkdirAll(base, 0o755); err != nil { // #nosec G301 -- a temporary proxy
		return err
	}
	z, err := os.Create(filepath.Join(base, mv.Version+".zip")) // #nosec G304 -- inside the temporary proxy
	if err != nil {
		return err
	}
	if err := zip.Create(z, mv, files); err != nil {
		_ = z.Close()
		return err
	}
	if err := z.Close(); err != nil {
		return err
	}
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{mv.Version, at.UTC()})
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{
		mv.Version + ".info": info,
		mv.Version + ".mod":  gomod,
		"list":               []byte(mv.Version + "\n"),
	} {
		if err := os.WriteFile(filepath.Join(base, name), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}
