package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/util"
)

// enum is one enum of the contract, as gen has it: a string type of its
// own with a constant per value.
type enum struct {
	// typeName is gen's name for the type: the x-go-type-name the overlay
	// gives it, else its schema's name (for an enum schema), else its
	// schema's and property's (Appointment and status: AppointmentStatus),
	// camel-cased as oapi-codegen does.
	typeName string
	// schema names the enum schema, ErrorCode say; empty for a property.
	schema string
	// fields are the properties of this type, "Appointment.status": more
	// than one when the overlay gives others its type with x-go-type.
	fields []string
	// doc is the spec's description without its value lines.
	doc string
	// values are the string values, in the contract's order, null left
	// out; valueDocs maps each to what the description's line for it says.
	values    []string
	valueDocs map[string]string
}

// readEnums reads every enum of the contract's component schemas and of
// their properties from the spec at specPath, with the overlay applied as
// oapi-codegen applies it (its own loader, so the Go names are the ones gen
// has), sorted by type name and named by n.
//
// Enums nested deeper (in an array's items, an inline object) or of
// parameters are not read: the contract has none.
func readEnums(specPath string, overlay codegen.OutputOptionsOverlay, n names) ([]enum, error) {
	doc, err := loadSpec(specPath, overlay)
	if err != nil {
		return nil, err
	}
	byType := map[string]*enum{}
	var reuses [][2]string // field, x-go-type
	for name, ref := range doc.Components.Schemas {
		s := ref.Value
		if ref.Ref != "" || s == nil {
			continue
		}
		if e := newEnum(s.Enum, s.Description, s.Extensions, n.schemaType(name), name); e != nil {
			e.schema = name
			byType[e.typeName] = e
		}
		for prop, pref := range s.Properties {
			p := pref.Value
			if pref.Ref != "" || p == nil || len(p.Enum) == 0 {
				continue
			}
			field := name + "." + prop
			if t, ok := p.Extensions["x-go-type"].(string); ok {
				reuses = append(reuses, [2]string{field, t})
				continue
			}
			if e := newEnum(p.Enum, p.Description, p.Extensions, n.propertyType(name, prop), field); e != nil {
				if prev := byType[e.typeName]; prev != nil {
					return nil, fmt.Errorf("%s: %s and %s are both enums of type %s", specPath, strings.Join(prev.fields, ", "), field, e.typeName)
				}
				byType[e.typeName] = e
			}
		}
	}
	for _, r := range reuses {
		if e := byType[r[1]]; e != nil {
			e.fields = append(e.fields, r[0])
		}
	}
	out := make([]enum, 0, len(byType))
	for _, e := range byType {
		slices.Sort(e.fields)
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b enum) int { return strings.Compare(a.typeName, b.typeName) })
	return out, nil
}

// loadSpec reads the spec at specPath with the overlay applied as
// oapi-codegen applies it (its own loader, so the Go names are the ones gen
// has).
func loadSpec(specPath string, overlay codegen.OutputOptionsOverlay) (*openapi3.T, error) {
	strict := overlay.Strict == nil || *overlay.Strict // oapi-codegen's default
	doc, err := util.LoadSwaggerWithOverlay(specPath, util.LoadSwaggerWithOverlayOpts{Path: overlay.Path, Strict: strict, AllowRemoteRefsFrom: []string{}})
	if err != nil {
		return nil, err
	}
	if doc.Components == nil {
		return nil, fmt.Errorf("%s: no components", specPath)
	}
	return doc, nil
}

// newEnum is the enum of a schema with values, or nil for one that is not
// a string enum. typeName is gen's name for it unless the overlay gives it
// another (x-go-type-name).
func newEnum(values []any, description string, ext map[string]any, typeName, field string) *enum {
	e := &enum{typeName: typeName, fields: []string{field}, valueDocs: map[string]string{}}
	if name, ok := ext["x-go-type-name"].(string); ok {
		e.typeName = name
	}
	for _, v := range values {
		switch v := v.(type) {
		case string:
			e.values = append(e.values, v)
		case nil: // null of a nullable enum: no value of the type
		default:
			return nil
		}
	}
	if len(e.values) == 0 {
		return nil
	}
	var intro []string
	for _, line := range strings.Split(description, "\n") {
		if value, text, ok := valueLine(line); ok {
			e.valueDocs[value] = text
		} else {
			intro = append(intro, line)
		}
	}
	e.doc = strings.Join(strings.Fields(strings.Join(intro, " ")), " ")
	return e
}

// valueLine splits "- `value` (HTTP 409): text" into value and
// "(HTTP 409): text", and "- `value`: text" into value and ": text".
func valueLine(line string) (value, text string, ok bool) {
	rest, found := strings.CutPrefix(strings.TrimSpace(line), "- `")
	if !found {
		return "", "", false
	}
	value, text, found = strings.Cut(rest, "`")
	if !found || value == "" {
		return "", "", false
	}
	return value, strings.TrimSpace(text), true
}
