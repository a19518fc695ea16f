//go:build tools

// Package tools pins the versions of the code generator and other build
// tools in go.mod, so `go run` uses exactly the version the project was
// tested with.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
