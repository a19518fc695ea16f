// Package contract holds the Connected API's rules once, for the SDK
// (connected), the fake (connectedtest), the sandbox and the command line.
//
// rules.gen.go is written by scripts/sdkgen from the spec and its overlay:
// the limits of the request bodies and parameters (minLength, maxLength,
// maxProperties, minimum, maximum), enum values, required properties,
// header names and the operation table. prose.go holds the few rules the
// documentation states only in prose. The checks here use both and report
// a Violation, which each user turns into its own error: the SDK's
// *connected.Error, the fake's error envelope, the command line's usage
// error.
package contract

import (
	"slices"
	"strings"
)

// Operation is one operation of the contract.
type Operation struct {
	ID     string // operationId, e.g. getAppointment
	Method string // GET, POST
	Path   string // template relative to /v1, e.g. /connected/appointments/{appointment_id}
}

// Operations returns the contract's operations, sorted by path template
// and method.
func Operations() []Operation { return slices.Clone(operations[:]) }

// Template returns the contract's path template that path (relative to
// /v1) is or matches, or "" when none does. A path the contract names
// literally is its own template, even where a template of the same shape
// would match it too.
func Template(path string) string {
	best := ""
	for i := range operations {
		t := operations[i].Path
		switch {
		case t == path:
			return path
		case best == "" && MatchPath(t, path):
			best = t
		}
	}
	return best
}

// MatchPath reports whether path matches template segment by segment; a
// {…} segment of template matches any one non-empty segment.
func MatchPath(template, path string) bool {
	for {
		t, tRest, tMore := strings.Cut(template, "/")
		p, pRest, pMore := strings.Cut(path, "/")
		if tMore != pMore {
			return false
		}
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			if p == "" {
				return false
			}
		} else if t != p {
			return false
		}
		if !tMore {
			return true
		}
		template, path = tRest, pRest
	}
}
