package connected_test

import (
	"os/exec"
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
// of every module in it. The root module's graph, outside the repository's
// workspace, is held to the bound a consumer is (make rehearse-release
// proves it for a consumer built from a module proxy).
func TestModuleGraphIsLean(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Path}}", "all")
	cmd.Env = append(cmd.Environ(), "GOWORK=off")
	out, err := cmd.Output()
	require.NoError(t, err)
	require.NoError(t, modgraph.Check(strings.Fields(string(out))))
}
