package connectedtest

import (
	"net/http"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/gen"
)

// ErrorCodeNotImplemented is the code of the error the fake answers, with
// HTTP 501 and type connected.ErrorTypeAPI, to an operation of the contract
// it does not implement yet: one the contract added since this version of
// the fake. It is the fake's own code, not the contract's; a client's error
// has it as its Code.
const ErrorCodeNotImplemented connected.ErrorCode = "not_implemented"

// errNotImplemented is the answer of every method of
// unimplementedHandlers, with the operation's Go method name and its route,
// "POST /connected/…". The message names both, so whoever meets it knows
// which operation to implement.
func errNotImplemented(name, route string) *apiError {
	return &apiError{
		status:  http.StatusNotImplemented,
		typ:     gen.ErrorTypeAPIError,
		code:    gen.ErrorCode(ErrorCodeNotImplemented),
		message: "connectedtest does not implement " + name + " (" + route + ") yet.",
	}
}
