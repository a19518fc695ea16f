package connectedtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A Go test that imports connectedtest compiles none of the sandbox that
// dronline mock serves: the package does not depend on it, and what only
// the sandbox needed is not here.
func TestNoSandboxInConnectedtest(t *testing.T) {
	goTool, err := exec.LookPath("go")
	require.NoError(t, err, "the go command lists the package's dependencies")
	out, err := exec.CommandContext(t.Context(), goTool, "list", "-deps", ".").Output()
	require.NoError(t, err)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/dronline/connected-go/gen", "the list is the package's dependencies")
	for _, d := range deps {
		assert.NotContains(t, d, "internal/sandbox")
	}

	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	var exported []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncDecl:
				if x.Name.IsExported() {
					exported = append(exported, recvName(x)+x.Name.Name)
				}
			case *ast.BasicLit:
				assert.NotContains(t, x.Value, "/_sandbox", "%s: the control API's routes", fset.Position(x.Pos()))
			}
			return true
		})
	}
	require.Contains(t, exported, "NewServer", "the parse found the package's functions")
	for _, gone := range []string{"WithControlAPI", "WithState", "ReadState", "Server.SaveState", "ParseCatalogue", "Catalogue.Equal"} {
		assert.False(t, slices.Contains(exported, gone), "%s belongs to the sandbox", gone)
	}
}

// recvName is "Type." for a method, "" for a function.
func recvName(f *ast.FuncDecl) string {
	if f.Recv == nil {
		return ""
	}
	typ := f.Recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return id.Name + "."
	}
	return ""
}
