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

// operationRef names an operation of the strict server interface: its Go
// method and its route, "POST /connected/…".
type operationRef struct{ name, route string }

// errNotImplemented is the answer of every method of unimplemented (see
// unimplemented.gen.go). The message names the operation, so whoever meets
// it knows which one to implement.
func errNotImplemented(name, route string) *apiError {
	return &apiError{
		status:  http.StatusNotImplemented,
		typ:     gen.ErrorTypeAPIError,
		code:    gen.ErrorCode(ErrorCodeNotImplemented),
		message: "connectedtest does not implement " + name + " (" + route + ") yet.",
	}
}
