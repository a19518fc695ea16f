// Package api embeds the pinned OpenAPI contract of the Dr.Online
// Connected API, so tests and the fake server load exactly the bytes that
// gen/ was generated from. It imports nothing beyond the standard library.
package api

import _ "embed"

// SpecJSON is api/openapi-partner-v1.json, byte for byte.
//
//go:embed openapi-partner-v1.json
var specJSON []byte

// Spec returns a copy of the pinned contract's bytes; callers may modify it.
func Spec() []byte {
	return append([]byte(nil), specJSON...)
}

// Path is the contract's path relative to the module root.
const Path = "api/openapi-partner-v1.json"
