package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"
)

// generated is what sdkgen needs from the code oapi-codegen wrote: the
// values of its enums, by type, and the operations of its strict server
// interface. Names come from there, not from the spec, so every constant
// written here refers to an identifier that exists, spelt as generated.
type generated struct {
	enums      map[string][]enumValue // type name → values in file order
	operations []operation
	// funcs and types are gen's top-level functions and type declarations
	// by name, for the request builders (builders.go).
	funcs map[string]*ast.FuncDecl
	types map[string]*ast.TypeSpec
}

type enumValue struct {
	name  string // e.g. ErrorCodeHoldExpired
	value string // e.g. hold_expired
}

// operation is one method of gen.StrictServerInterface.
type operation struct {
	name   string // e.g. GetAccount
	route  string // e.g. GET /connected/account, from the method's doc comment
	params []string
	result []string
}

// routeComment is how oapi-codegen documents a method's route: "(GET /connected/account)".
var routeComment = regexp.MustCompile(`^\(([A-Z]+) (/\S*)\)$`)

func parseGenerated(path string) (*generated, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	g := &generated{enums: map[string][]enumValue{}, funcs: map[string]*ast.FuncDecl{}, types: map[string]*ast.TypeSpec{}}
	found := false
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
			g.funcs[fd.Name.Name] = fd
		}
		gd, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		switch gd.Tok {
		case token.CONST:
			g.addConstants(gd)
		case token.TYPE:
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				g.types[ts.Name.Name] = ts
				if ts.Name.Name != "StrictServerInterface" {
					continue
				}
				found = true
				if err := g.addOperations(ts); err != nil {
					return nil, fmt.Errorf("%s: %w", path, err)
				}
			}
		}
	}
	if !found {
		return nil, fmt.Errorf("%s: no StrictServerInterface (is strict-server on in oapi-codegen.yaml?)", path)
	}
	return g, nil
}

func (g *generated) addConstants(gd *ast.GenDecl) {
	for _, s := range gd.Specs {
		vs := s.(*ast.ValueSpec)
		typ, ok := vs.Type.(*ast.Ident)
		if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 {
			continue
		}
		lit, ok := vs.Values[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			continue
		}
		v, err := strconv.Unquote(lit.Value)
		if err != nil {
			continue
		}
		g.enums[typ.Name] = append(g.enums[typ.Name], enumValue{name: vs.Names[0].Name, value: v})
	}
}

func (g *generated) addOperations(ts *ast.TypeSpec) error {
	it, ok := ts.Type.(*ast.InterfaceType)
	if !ok {
		return fmt.Errorf("StrictServerInterface is not an interface")
	}
	for _, m := range it.Methods.List {
		ft, ok := m.Type.(*ast.FuncType)
		if !ok || len(m.Names) != 1 {
			return fmt.Errorf("StrictServerInterface embeds %s: not a method", exprString(m.Type))
		}
		op := operation{name: m.Names[0].Name}
		if m.Doc != nil {
			for _, c := range m.Doc.List {
				if sub := routeComment.FindStringSubmatch(strings.TrimSpace(strings.TrimPrefix(c.Text, "//"))); sub != nil {
					op.route = sub[1] + " " + sub[2]
				}
			}
		}
		if op.route == "" {
			return fmt.Errorf("method %s: no (METHOD /path) line in its doc comment", op.name)
		}
		var err error
		if op.params, err = qualifiedTypes(ft.Params); err != nil {
			return fmt.Errorf("method %s: %w", op.name, err)
		}
		if op.result, err = qualifiedTypes(ft.Results); err != nil {
			return fmt.Errorf("method %s: %w", op.name, err)
		}
		g.operations = append(g.operations, op)
	}
	return nil
}

// qualifiedTypes writes each field's type as seen from another package:
// gen's own exported types get the gen. qualifier.
func qualifiedTypes(fl *ast.FieldList) ([]string, error) {
	if fl == nil {
		return nil, nil
	}
	var out []string
	for _, f := range fl.List {
		t, err := qualified(f.Type)
		if err != nil {
			return nil, err
		}
		for range max(1, len(f.Names)) {
			out = append(out, t)
		}
	}
	return out, nil
}

func qualified(e ast.Expr) (string, error) {
	switch t := e.(type) {
	case *ast.Ident:
		if ast.IsExported(t.Name) {
			return "gen." + t.Name, nil
		}
		return t.Name, nil // a predeclared type such as error
	case *ast.SelectorExpr:
		return exprString(t), nil
	case *ast.StarExpr:
		inner, err := qualified(t.X)
		return "*" + inner, err
	}
	return "", fmt.Errorf("type %s: sdkgen does not know how to refer to it", exprString(e))
}

func exprString(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.SelectorExpr:
		return exprString(t.X) + "." + t.Sel.Name
	case *ast.StarExpr:
		return "*" + exprString(t.X)
	}
	return fmt.Sprintf("%T", e)
}
