package connected

import (
	"net/http"
	"net/url"
	"strings"
)

// The request builders in request_builders.gen.go mirror gen's, one per
// operation and with the same signature, so a parameter the contract
// renames or retypes still fails to compile where the SDK passes it. They
// build the URL by concatenation onto the base URL (which ends in "/"),
// with a single parse in http.NewRequest, and write each parameter
// directly: gen's builders parse the base URL, resolve the path against it
// and parse the result again, and style every parameter by reflection,
// which on a loopback call was most of what the SDK added to a plain
// net/http request. request_builders_test.go checks that both build the
// same request for every operation.
//
// Beside each builder, op<Operation> makes the engine's operation with the
// contract's method and path template, so the logs name the contract's
// route and a method the contract changes fails to compile.
//
// This file holds the helpers the builders share.

// pathSegment escapes a path parameter's value as one path segment. An
// empty value, "." or ".." is refused: the server would resolve it to
// another resource (".." to the parent), where gen's builder silently
// resolves it itself. The wrapper's own id checks refuse them earlier;
// this is the builder's guarantee for every caller.
func pathSegment(name, value string) (string, error) {
	if value == "" || value == "." || value == ".." {
		return "", &pathSegmentError{param: name}
	}
	return url.PathEscape(value), nil
}

// pathSegmentError is pathSegment's refusal. It names the parameter, not
// its value.
type pathSegmentError struct{ param string }

func (e *pathSegmentError) Error() string {
	return "path parameter " + e.param + " is empty or a dot segment"
}

// query is a request's query string, written in the order its parameters
// are added: gen's order, the contract's.
type query struct{ b strings.Builder }

// add appends name=value, escaping the value as url.QueryEscape does (a
// space is "+", as in gen's builders). name is a literal the generator has
// checked needs no escaping.
func (q *query) add(name, value string) {
	if q.b.Len() == 0 {
		q.b.WriteByte('?')
	} else {
		q.b.WriteByte('&')
	}
	q.b.WriteString(name)
	q.b.WriteByte('=')
	q.b.WriteString(url.QueryEscape(value))
}

// String is "" for no parameters, or "?" and the parameters.
func (q *query) String() string { return q.b.String() }

// headerValues sets a request's header parameters from one backing array:
// a builder with n header values makes one allocation for them instead of
// n. Each value's slice is capped at its length, so an append to one (a
// caller's request editor, say) copies it rather than writing over the
// next.
type headerValues struct {
	h    http.Header
	vals []string
}

// newHeaderValues makes room for n values of h. The keys set must be in
// canonical form.
func newHeaderValues(h http.Header, n int) headerValues {
	return headerValues{h: h, vals: make([]string, 0, n)}
}

func (hv *headerValues) set(name, value string) {
	hv.vals = append(hv.vals, value)
	n := len(hv.vals)
	hv.h[name] = hv.vals[n-1 : n : n]
}
