package sandbox

import (
	"fmt"
	"net/http"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
	"github.com/dronline/connected-go/gen"
)

// apiError is an answer in the API's error envelope, which the control
// API shares with the API so that one client handles both.
type apiError struct {
	status  int
	typ     gen.ErrorType
	code    gen.ErrorCode
	param   string
	message string
}

func (e *apiError) write(w http.ResponseWriter) {
	connectedtest.WriteError(w, e.status, connected.ErrorType(e.typ), connected.ErrorCode(e.code), e.param, e.message)
}

func invalid(status int, code gen.ErrorCode, param, message string) *apiError {
	return &apiError{status: status, typ: gen.ErrorTypeInvalidRequestError, code: code, param: param, message: message}
}

func errParamMissing(param string) *apiError {
	return invalid(http.StatusBadRequest, gen.ErrorCodeParameterMissing, param, "Missing required parameter: "+param+".")
}

func errParamInvalid(param, why string) *apiError {
	return invalid(http.StatusBadRequest, gen.ErrorCodeParameterInvalid, param, "Invalid parameter "+param+": "+why+".")
}

// errNotFound names what is missing by its id: ids are the sandbox's own,
// never patient data.
func errNotFound(param, what, id string) *apiError {
	return invalid(http.StatusNotFound, gen.ErrorCodeResourceMissing, param, "No such "+what+": '"+id+"'.")
}

func errMethod(r *http.Request) *apiError {
	return invalid(http.StatusMethodNotAllowed, gen.ErrorCodeParameterInvalid, "", "Method "+r.Method+" is not allowed on "+r.URL.Path+".")
}

func errBodyTooLarge() *apiError {
	return invalid(http.StatusRequestEntityTooLarge, gen.ErrorCodeParameterInvalid, "",
		fmt.Sprintf("The request body is larger than the limit of %d bytes.", maxBody))
}

func errInternal() *apiError {
	return &apiError{status: http.StatusInternalServerError, typ: gen.ErrorTypeAPIError, code: gen.ErrorCodeInternalError, message: "An unexpected error occurred."}
}
