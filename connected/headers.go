package connected

import (
	"net/http"
	"slices"

	"github.com/dronline/connected-go/internal/contract"
)

// headerOwnerKind says who sets a header of a request: nobody (the caller
// may, with WithHeader or RawParams.Header), the SDK, or an operation.
type headerOwnerKind int

const (
	ownerNone        headerOwnerKind = iota
	ownerKey                         // Authorization: the client's key
	ownerIdempotency                 // Idempotency-Key: one per call, or WithIdempotencyKey
	ownerSDK                         // what every request carries, set by the engine or net/http
	ownerOperation                   // an operation's own header parameter
)

// headerOwner is the one table of the headers the SDK owns. WithHeader
// refuses every header it lists; RawParams.Header refuses all but an
// operation's own parameters, which is how a raw call sends them; and the
// engine sets the SDK's and refuses, when it builds a request, a WithHeader
// value for any header the operation's request already carries (an
// operation the contract added later, with a header of its own).
func headerOwner(canonical string) headerOwnerKind {
	switch canonical {
	case "Authorization":
		return ownerKey
	case contract.IdempotencyKeyHeader:
		return ownerIdempotency
	case "Accept", "Content-Type", "Content-Length", "Host", "User-Agent":
		return ownerSDK
	case contract.HoldTokenHeader:
		return ownerOperation
	}
	return ownerNone
}

func (k headerOwnerKind) reason() string {
	switch k {
	case ownerKey:
		return "is set from the client's key"
	case ownerIdempotency:
		return "is set by the SDK: use WithIdempotencyKey"
	case ownerSDK:
		return "is set by the SDK"
	case ownerOperation:
		return "is an operation's parameter: pass it to the method (or, for Client.Do, in RawParams.Header)"
	}
	return ""
}

// headerError is the refusal of a header, the same wherever it is given
// (WithHeader, RawParams.Header): a mistake in the program, never the
// API's answer. It names the header, never its value.
func headerError(canonical, reason string) error {
	return configError("header "+canonical, reason)
}

// headerName checks the name of a header a caller gives and returns its
// canonical form.
func headerName(name string) (string, error) {
	if !validHeaderName(name) {
		return "", configError("header name", "is not a valid HTTP header name")
	}
	return http.CanonicalHeaderKey(name), nil
}

// checkHeaderValue checks the value of a header a caller gives.
func checkHeaderValue(canonical, value string) error {
	if !contract.ValidHeaderValue(value) {
		return headerError(canonical, "value contains control characters")
	}
	return nil
}

// validHeaderName reports whether name is an HTTP token (RFC 9110, 5.6.2).
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' || c == '*' ||
			c == '+' || c == '-' || c == '.' || c == '^' || c == '_' || c == '`' || c == '|' || c == '~':
		default:
			return false
		}
	}
	return true
}

// keepOwnHeaders undoes what a hook did to the headers the SDK owns (the
// one table, headerOwner): each is put back as the SDK set it in own, or
// removed if the SDK set none, whatever case the hook spelled it in. A
// hook adds headers; it cannot send another key, another idempotency key
// or another content type.
func keepOwnHeaders(h, own http.Header) {
	for name := range h {
		canonical := http.CanonicalHeaderKey(name)
		if headerOwner(canonical) != ownerNone && (name != canonical || !slices.Equal(h[name], own[name])) {
			delete(h, name)
		}
	}
	for name, values := range own {
		if headerOwner(name) != ownerNone {
			if _, ok := h[name]; !ok {
				h[name] = values
			}
		}
	}
}
