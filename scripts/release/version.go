package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
)

// versionFile holds connected.Version, relative to the module root.
const versionFile = "connected/version.go"

// sourceVersion reads the constant Version from the module's
// connected/version.go, so that the tree being checked, not this program's
// build, says what version it is.
func sourceVersion(root string) (string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(root, filepath.FromSlash(versionFile)), nil, 0)
	if err != nil {
		return "", err
	}
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.CONST {
			continue
		}
		for _, spec := range gen.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if name.Name != "Version" || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return "", fmt.Errorf("%s: Version must be a string literal", versionFile)
				}
				v, err := strconv.Unquote(lit.Value)
				if err != nil {
					return "", fmt.Errorf("%s: Version: %w", versionFile, err)
				}
				if err := checkVersion(v); err != nil {
					return "", fmt.Errorf("%s: Version: %w", versionFile, err)
				}
				return v, nil
			}
		}
	}
	return "", fmt.Errorf("%s: no constant Version", versionFile)
}
