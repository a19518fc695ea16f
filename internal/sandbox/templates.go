package sandbox

import "github.com/dronline/connected-go/internal/contract"

// basePath is the API's path prefix, which the contract's paths leave out.
const basePath = "/v1"

// templateOf returns the contract template that rel (a path relative to
// /v1) is or matches, or "" when none does. A {…} segment of a template
// matches any one non-empty segment.
func templateOf(rel string) string { return contract.Template(rel) }
