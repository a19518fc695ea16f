package modcopy

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCopyKeepsModesAndLeavesOutGitAndNodeModules(t *testing.T) {
	src := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(src, "scripts"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(src, ".git", "objects"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(src, "go.mod"), []byte("module x\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(src, "scripts", "run.sh"), []byte("#!/bin/sh\n"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(src, ".git", "HEAD"), []byte("ref\n"), 0o644))
	require.NoError(t, os.Symlink("go.mod", filepath.Join(src, "link")))
	require.NoError(t, os.MkdirAll(filepath.Join(src, "scripts", "check", "node_modules", "pkg"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(src, "scripts", "check", "node_modules", "pkg", "index.js"), []byte("x\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(src, "scripts", "check", "package.json"), []byte("{}\n"), 0o644))

	dst := filepath.Join(t.TempDir(), "copy")
	require.NoError(t, Copy(src, dst))

	b, err := os.ReadFile(filepath.Join(dst, "go.mod"))
	require.NoError(t, err)
	assert.Equal(t, "module x\n", string(b))
	info, err := os.Stat(filepath.Join(dst, "scripts", "run.sh"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o755), info.Mode().Perm(), "scripts stay executable")
	assert.NoDirExists(t, filepath.Join(dst, ".git"))
	_, err = os.Lstat(filepath.Join(dst, "link"))
	assert.ErrorIs(t, err, os.ErrNotExist, "symlinks are not copied")
	assert.NoDirExists(t, filepath.Join(dst, "scripts", "check", "node_modules"), "installed Node packages are not copied")
	assert.FileExists(t, filepath.Join(dst, "scripts", "check", "package.json"))
}
