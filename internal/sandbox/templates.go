package sandbox

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/dronline/connected-go/api"
)

// basePath is the API's path prefix, which the contract's paths leave out.
const basePath = "/v1"

// contractPaths are the contract's path templates, relative to /v1,
// split into segments, literal paths before templates of the same shape.
var contractPaths = sync.OnceValue(func() [][]string {
	var doc struct {
		Paths map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(api.Spec(), &doc); err != nil {
		panic("sandbox: the embedded contract is not JSON: " + err.Error())
	}
	// Sorted, "{" after every letter: "/connected/appointments/x" is not
	// named by a template only because it has as many segments.
	paths := slices.Sorted(maps.Keys(doc.Paths))
	out := make([][]string, len(paths))
	for i, p := range paths {
		out[i] = strings.Split(p, "/")
	}
	return out
})

// templateOf returns the contract template that rel (a path relative to
// /v1) is or matches, or "" when none does. A {…} segment of a template
// matches any one non-empty segment.
func templateOf(rel string) string {
	segs := strings.Split(rel, "/")
	best := ""
	for _, t := range contractPaths() {
		if len(t) != len(segs) {
			continue
		}
		exact, match := true, true
		for i, s := range t {
			switch {
			case s == segs[i]:
			case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") && segs[i] != "":
				exact = false
			default:
				exact, match = false, false
			}
		}
		if exact {
			return rel
		}
		if match && best == "" {
			best = strings.Join(t, "/")
		}
	}
	return best
}
