package main

import (
	"archive/zip"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeTree writes files (slash paths) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(data), 0o600))
	}
}

func zipNames(t *testing.T, file string) []string {
	t.Helper()
	r, err := zip.OpenReader(file)
	require.NoError(t, err)
	defer func() { _ = r.Close() }()
	var names []string
	for _, f := range r.File {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	return names
}

// The proxy holds each published module with its own files only (never a
// nested module's, never an ignored file), and the nested module's go.mod
// requires the root at the release's version.
func TestWriteProxy(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"go.mod":                         "module github.com/dronline/connected-go\n\ngo 1.26.0\n",
		"connected/c.go":                 "package connected\n",
		".gitignore":                     "/built\n",
		"built":                          "a binary",
		"connected/otelconnected/go.mod": "module github.com/dronline/connected-go/connected/otelconnected\n\ngo 1.26.0\n\nrequire github.com/dronline/connected-go v0.1.0\n\nreplace github.com/dronline/connected-go => ../..\n",
		"connected/otelconnected/o.go":   "package otelconnected\n",
		"tests/go.mod":                   "module github.com/dronline/connected-go/tests\n\ngo 1.26.0\n",
		"tests/t_test.go":                "package tests\n",
	})
	init := exec.Command("git", "init", "-q")
	init.Dir = root
	require.NoError(t, init.Run())

	proxy := t.TempDir()
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	mods, err := writeProxy(context.Background(), root, proxy, "v0.2.0-rehearsal", at)
	require.NoError(t, err)
	assert.Equal(t, []publishedModule{
		{Path: "github.com/dronline/connected-go", Files: 3},
		{Path: "github.com/dronline/connected-go/connected/otelconnected", Files: 2},
	}, mods)

	base := filepath.Join(proxy, "github.com", "dronline", "connected-go", "@v")
	assert.Equal(t, []string{
		"github.com/dronline/connected-go@v0.2.0-rehearsal/.gitignore",
		"github.com/dronline/connected-go@v0.2.0-rehearsal/connected/c.go",
		"github.com/dronline/connected-go@v0.2.0-rehearsal/go.mod",
	}, zipNames(t, filepath.Join(base, "v0.2.0-rehearsal.zip")))
	list, err := os.ReadFile(filepath.Join(base, "list"))
	require.NoError(t, err)
	assert.Equal(t, "v0.2.0-rehearsal\n", string(list))
	info, err := os.ReadFile(filepath.Join(base, "v0.2.0-rehearsal.info"))
	require.NoError(t, err)
	assert.JSONEq(t, `{"Version":"v0.2.0-rehearsal","Time":"2026-12-07T10:00:00Z"}`, string(info))

	otel := filepath.Join(proxy, "github.com", "dronline", "connected-go", "connected", "otelconnected", "@v")
	mod, err := os.ReadFile(filepath.Join(otel, "v0.2.0-rehearsal.mod"))
	require.NoError(t, err)
	assert.Contains(t, string(mod), "require github.com/dronline/connected-go v0.2.0-rehearsal\n")
	assert.NotContains(t, string(mod), "v0.1.0")
	assert.Equal(t, []string{
		"github.com/dronline/connected-go/connected/otelconnected@v0.2.0-rehearsal/go.mod",
		"github.com/dronline/connected-go/connected/otelconnected@v0.2.0-rehearsal/o.go",
	}, zipNames(t, filepath.Join(otel, "v0.2.0-rehearsal.zip")))
}
