package connected_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/internal/modgraph"
)

// A program that imports only connected compiles few modules besides the
// standard library: every one is code a user audits and updates. Nullable
// fields are plain pointers, so github.com/oapi-codegen/nullable is not
// among them.
func TestImportingConnectedCompilesFewModules(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{.Path}}{{end}}", "github.com/dronline/connected-go/connected").Output()
	require.NoError(t, err)
	seen := map[string]bool{}
	var modules []string
	for _, m := range strings.Fields(string(out)) {
		if m != "github.com/dronline/connected-go" && !seen[m] {
			seen[m] = true
			modules = append(modules, m)
		}
	}
	assert.LessOrEqual(t, len(modules), 3, "non-standard modules in the build of connected: %v", modules)
	assert.NotContains(t, modules, "github.com/oapi-codegen/nullable")
}

// What go get brings a user is the SDK module's whole graph, not only what
// connected compiles: Go's version selection raises the user's own versions
// of every module in it. A consumer module that imports connected and
// connectedtest requires, once tidy, the SDK and every module providing a
// package they import; its graph is held to the bound. (Here the SDK is
// this tree, through a replace, and no module is downloaded; make
// rehearse-release does the same through a module proxy, as a user would.)
func TestConsumerModuleGraphIsLean(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs go list")
	}
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	list := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{if .Version}}{{.Path}} {{.Version}}{{end}}{{end}}",
		"./connected", "./connected/connectedtest")
	list.Dir = root
	list.Env = append(list.Environ(), "GOWORK=off")
	out, err := list.Output()
	require.NoError(t, err)
	gomod := "module example.com/consumer\n\ngo 1.26.0\n\nrequire github.com/dronline/connected-go v0.0.0\n\n" +
		"replace github.com/dronline/connected-go => " + root + "\n"
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line != "" && !seen[line] {
			seen[line] = true
			gomod += "\nrequire " + line + "\n"
		}
	}
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o600))
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Path}}", "all")
	cmd.Dir = dir
	cmd.Env = append(cmd.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOPROXY=off")
	out, err = cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	mods := strings.Fields(string(out))
	require.NoError(t, modgraph.Check(mods))
	t.Logf("a consumer's module graph: %d modules", len(mods))
}
