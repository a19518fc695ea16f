package connected

import "net/http"

// headerValues sets a request's headers from one backing array: n header
// values cost one allocation instead of n, as each Header.Set makes a
// slice of its own. Each value's slice is capped at its length, so an
// append to one (a caller's transport, say) copies it rather than writing
// over the next.
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
