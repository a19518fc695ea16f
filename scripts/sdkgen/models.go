package main

import (
	"bytes"
	"fmt"
	"go/format"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// model is one object of the contract that connected names: an alias of
// gen's type.
type model struct {
	typeName string // gen's name, as schemaType or x-go-type-name makes it
	doc      string // the schema's description, on one line
}

// readModels reads the contract's objects a user of connected meets by
// name: every object schema of the components but
//
//   - an operation's request body, which connected names after the method
//     that sends it (HoldParams, ConfirmParams) next to that method;
//   - a list envelope (data and has_more), which is connected's Page[T];
//   - the error envelope and its parts (what components.responses
//     answer), which is connected's own Error.
func readModels(specPath string, overlay codegen.OutputOptionsOverlay, n names) ([]model, error) {
	doc, err := loadSpec(specPath, overlay)
	if err != nil {
		return nil, err
	}
	skip := map[string]bool{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			for _, mt := range op.RequestBody.Value.Content {
				if mt.Schema != nil {
					skip[schemaName(mt.Schema.Ref)] = true
				}
			}
		}
	}
	for _, resp := range doc.Components.Responses {
		if resp.Value == nil {
			continue
		}
		for _, mt := range resp.Value.Content {
			if mt.Schema == nil {
				continue
			}
			skip[schemaName(mt.Schema.Ref)] = true
			if mt.Schema.Value == nil {
				continue
			}
			for _, p := range mt.Schema.Value.Properties {
				skip[schemaName(p.Ref)] = true
			}
		}
	}
	var out []model
	for name, ref := range doc.Components.Schemas {
		s := ref.Value
		if ref.Ref != "" || s == nil || !s.Type.Is(openapi3.TypeObject) || skip[name] || isList(s) {
			continue
		}
		m := model{typeName: n.schemaType(name), doc: strings.Join(strings.Fields(s.Description), " ")}
		if t, ok := s.Extensions["x-go-type-name"].(string); ok {
			m.typeName = t
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no object schemas besides request bodies, lists and the error envelope: is it the Connected API's?", specPath)
	}
	slices.SortFunc(out, func(a, b model) int { return strings.Compare(a.typeName, b.typeName) })
	return out, nil
}

// schemaName is the name of the component schema a $ref names, or "".
func schemaName(ref string) string {
	name, _ := strings.CutPrefix(ref, "#/components/schemas/")
	if name == ref {
		return ""
	}
	return name
}

// isList tells a list envelope: a page of objects with has_more.
func isList(s *openapi3.Schema) bool {
	data, hasMore := s.Properties["data"], s.Properties["has_more"]
	return data != nil && hasMore != nil && data.Value != nil && data.Value.Type.Is(openapi3.TypeArray)
}

// modelsFile renders connected/models.gen.go: an alias of gen's type for
// every model, documented with the contract's description, so that an
// object the contract adds is named in connected by `make generate` alone.
func modelsFile(all []model) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("import \"github.com/dronline/connected-go/gen\"\n")
	for _, m := range all {
		b.WriteString("\n")
		b.WriteString(comment("", modelDoc(m), 76))
		fmt.Fprintf(&b, "type %s = gen.%s\n", m.typeName, m.typeName)
	}
	return format.Source(b.Bytes())
}

// modelDoc makes a Go doc sentence of the description: "A booked visit."
// becomes "Appointment is a booked visit.", and a description that does
// not start with an article is introduced by the schema's name.
func modelDoc(m model) string {
	if m.doc == "" {
		return fmt.Sprintf("%s is the contract's %s object.", m.typeName, m.typeName)
	}
	for _, article := range []string{"A ", "An ", "The "} {
		if strings.HasPrefix(m.doc, article) {
			return m.typeName + " is " + lowerFirst(m.doc)
		}
	}
	return fmt.Sprintf("%s is the contract's %s object: %s", m.typeName, m.typeName, lowerFirst(m.doc))
}

func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[size:]
}
