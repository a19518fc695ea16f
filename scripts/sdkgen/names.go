package main

import (
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// names makes Go names as oapi-codegen makes gen's, with oapi-codegen's own
// functions: the name normalizer and the initialisms are the ones the
// configuration states, never a copy of them.
//
// oapi-codegen keeps its normalizer and initialisms in package state that
// only codegen.Generate sets, so newNames runs it once, on a document with
// nothing in it. A names is good until the next codegen.Generate of the
// process; sdkgen runs none other.
type names struct{}

// newNames sets oapi-codegen's naming to cfg's, as generating gen with cfg
// does.
func newNames(cfg codegen.Configuration) (names, error) {
	cfg.Generate = codegen.GenerateOptions{} // the names are wanted, not the code
	empty := &openapi3.T{OpenAPI: "3.0.3", Info: &openapi3.Info{Title: "names", Version: "0"}, Paths: openapi3.NewPaths()}
	if _, err := codegen.Generate(empty, cfg); err != nil {
		return names{}, fmt.Errorf("oapi-codegen's naming: %w", err)
	}
	return names{}, nil
}

// schemaType is gen's name for the type of the component schema named
// schema (ErrorCode).
func (names) schemaType(schema string) string {
	return codegen.SchemaNameToTypeName(schema)
}

// propertyType is gen's name for the type of an enum property of a
// component schema (Appointment and status: AppointmentStatus).
func (names) propertyType(schema, property string) string {
	return codegen.SchemaNameToTypeName(codegen.PathToTypeName([]string{schema, property}))
}

// value camel-cases an enum value as gen does after its type's name:
// api_key_invalid is APIKeyInvalid, in_progress InProgress.
func (names) value(v string) string {
	return codegen.SchemaNameToTypeName(v)
}
