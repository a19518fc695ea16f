package connectedtest

import (
	"encoding/json"
	"slices"
	"sync"

	"github.com/dronline/connected-go/api"
)

// contractPaths is the contract's path templates, relative to /v1. Like
// contract in specvalidation.go it is shared by every server in the
// process: it is derived only from the spec compiled into the binary.
var contractPaths = sync.OnceValue(func() []string {
	var doc struct {
		Paths map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(api.Spec(), &doc); err != nil {
		panic("connectedtest: the embedded contract is not JSON: " + err.Error())
	}
	out := make([]string, 0, len(doc.Paths))
	for p := range doc.Paths {
		out = append(out, p)
	}
	// Literal segments before {…} ones: "/connected/appointments/x" should
	// not be named by a template only because it has as many segments.
	slices.Sort(out)
	return out
})

// templateOf returns the contract template that rel (a path relative to
// /v1) matches, or "" when none does.
func templateOf(rel string) string {
	var best string
	for _, t := range contractPaths() {
		if t == rel {
			return t
		}
		if best == "" && pathMatches(t, rel) {
			best = t
		}
	}
	return best
}

// knownPath reports whether p, relative to /v1, is a template of the
// contract or a path one matches.
func knownPath(p string) bool { return templateOf(p) != "" }
