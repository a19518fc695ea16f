package connectedtest

import (
	"net/http"

	"github.com/dronline/connected-go/gen"
)

// ErrorCodeNotImplemented is the error code the fake answers, with HTTP 501
// and type api_error, for an operation of the contract it does not
// implement yet: one the contract added since this version of the fake.
// It is the fake's own code, not the contract's; compare it with
// connected.Error's Code.
const ErrorCodeNotImplemented = "not_implemented"

// errNotImplemented is the answer of every method of
// unimplementedHandlers, with the operation's Go method name and its route,
// "POST /connected/…". The message names both, so whoever meets it knows
// which operation to implement.
func errNotImplemented(name, route string) *apiError {
	return &apiError{
		status:  http.StatusNotImplemented,
		typ:     gen.ErrorTypeAPIError,
		code:    ErrorCodeNotImplemented,
		message: "connectedtest does not implement " + name + " (" + route + ") yet.",
	}
}
