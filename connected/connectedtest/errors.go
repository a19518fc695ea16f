package connectedtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/gen"
)

// apiError is a documented error response. Strict handlers return it as
// their error value; the ResponseErrorHandlerFunc writes it as the JSON
// envelope, so every error body has one shape whatever produced it.
type apiError struct {
	status     int
	typ        gen.ErrorType
	code       gen.ErrorCode
	message    string
	param      string
	retryAfter string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.status, e.code, e.message)
}

// body returns the envelope. The message never contains patient values or
// keys: callers build it from constants and ids only.
func (e *apiError) body() gen.Error {
	d := gen.ErrorDetail{Code: e.code, Message: e.message, Type: e.typ}
	d.Param = orNull(e.param)
	return gen.Error{Error: d}
}

// WriteError answers w with status and the API's error envelope, as the
// fake answers its own refusals, so that a handler put in front of the
// fake (WithHandler) refuses in the same shape. The message is sent as it
// is: it must hold no patient value and no key.
func WriteError(w http.ResponseWriter, status int, typ connected.ErrorType, code connected.ErrorCode, param, message string) {
	(&apiError{status: status, typ: gen.ErrorType(typ), code: gen.ErrorCode(code), param: param, message: message}).write(w)
}

func (e *apiError) write(w http.ResponseWriter) {
	b, err := json.Marshal(e.body())
	if err != nil { // cannot happen: the envelope is plain strings
		b = []byte(`{"error":{"type":"api_error","code":"internal_error","message":"An unexpected error occurred.","param":null}}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if e.retryAfter != "" {
		h.Set("Retry-After", e.retryAfter)
	}
	w.WriteHeader(e.status)
	_, _ = w.Write(b)
}

func invalidRequest(status int, code gen.ErrorCode, param, msg string) *apiError {
	return &apiError{status: status, typ: gen.ErrorTypeInvalidRequestError, code: code, param: param, message: msg}
}

func errParamMissing(param string) *apiError {
	return invalidRequest(http.StatusBadRequest, gen.ErrorCodeParameterMissing, param, "Missing required parameter: "+param+".")
}

func errParamInvalid(param, why string) *apiError {
	return invalidRequest(http.StatusBadRequest, gen.ErrorCodeParameterInvalid, param, "Invalid parameter "+param+": "+why+".")
}

func errNotFound(param, what, id string) *apiError {
	// ids are opaque identifiers chosen by the server, not patient data, so
	// echoing them helps debugging without leaking anything.
	return invalidRequest(http.StatusNotFound, gen.ErrorCodeResourceMissing, param, "No such "+what+": '"+id+"'.")
}

func errConflict(code gen.ErrorCode, param, msg string) *apiError {
	return invalidRequest(http.StatusConflict, code, param, msg)
}

func errInternal() *apiError {
	return &apiError{status: http.StatusInternalServerError, typ: gen.ErrorTypeAPIError, code: gen.ErrorCodeInternalError, message: "An unexpected error occurred."}
}

// errorForStatus is the envelope an injected fault answers with when it has
// no Body of its own: the code the spec pairs with that status.
func errorForStatus(status int, retryAfter string) *apiError {
	e := &apiError{status: status, retryAfter: retryAfter}
	switch {
	case status == http.StatusTooManyRequests:
		e.typ, e.code, e.message = gen.ErrorTypeRateLimitError, gen.ErrorCodeRateLimited, "Too many requests."
	case status == http.StatusServiceUnavailable:
		e.typ, e.code, e.message = gen.ErrorTypeAPIError, gen.ErrorCodeServiceUnavailable, "Dr.Online is briefly unavailable."
	case status == http.StatusUnauthorized:
		e.typ, e.code, e.message = gen.ErrorTypeAuthenticationError, gen.ErrorCodeAPIKeyInvalid, "Invalid API key provided."
	case status == http.StatusNotFound:
		e.typ, e.code, e.message = gen.ErrorTypeInvalidRequestError, gen.ErrorCodeResourceMissing, "No such object."
	case status == http.StatusConflict:
		e.typ, e.code, e.message = gen.ErrorTypeInvalidRequestError, gen.ErrorCodeSlotUnavailable, "The request conflicts with the current state."
	case status >= 400 && status < 500:
		e.typ, e.code, e.message = gen.ErrorTypeInvalidRequestError, gen.ErrorCodeParameterInvalid, "The request is invalid."
	default:
		e.typ, e.code, e.message = gen.ErrorTypeAPIError, gen.ErrorCodeInternalError, "An unexpected error occurred."
	}
	return e
}

// paramErrorHandler turns the generated wrapper's parameter-binding errors
// into the documented envelope instead of its default text/plain answer.
func paramErrorHandler(w http.ResponseWriter, r *http.Request, err error) {
	// The wrapper cannot bind a required header sent empty (or as only
	// spaces, which HTTP drops) and calls that a format error. The API
	// calls an empty required value missing, as it does in a body, and
	// the hold token's documentation says so.
	var ipf *gen.InvalidParamFormatError
	if errors.As(err, &ipf) {
		if vs := r.Header[http.CanonicalHeaderKey(ipf.ParamName)]; len(vs) == 1 && strings.Trim(vs[0], " \t") == "" {
			errParamMissing(ipf.ParamName).write(w)
			return
		}
	}
	asAPIError(err).write(w)
}

func asAPIError(err error) *apiError {
	var (
		ae  *apiError
		rh  *gen.RequiredHeaderError
		rp  *gen.RequiredParamError
		ipf *gen.InvalidParamFormatError
		tmv *gen.TooManyValuesForParamError
	)
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &rh):
		return errParamMissing(rh.ParamName)
	case errors.As(err, &rp):
		return errParamMissing(rp.ParamName)
	case errors.As(err, &ipf):
		return errParamInvalid(ipf.ParamName, "wrong type or format")
	case errors.As(err, &tmv):
		return errParamInvalid(tmv.ParamName, "expected one value, got "+strconv.Itoa(tmv.Count))
	}
	return errInternal()
}

// bodyErrorHandler answers a request body the strict handler could not
// decode. It names the offending field where it can find it; the decoder's
// own message is not echoed because it may quote patient values.
func bodyErrorHandler(w http.ResponseWriter, r *http.Request, err error) {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		errParamInvalid(bracketPath(te.Field), "wrong type").write(w)
		return
	}
	raw, _ := r.Context().Value(ctxBody).([]byte)
	if p := findBadPatientField(raw); p != "" {
		errParamInvalid(p, "wrong format").write(w)
		return
	}
	invalidRequest(http.StatusBadRequest, gen.ErrorCodeParameterInvalid, "", "The request body is not a valid JSON object of the documented shape.").write(w)
}

// bracketPath turns encoding/json's "patient.date_of_birth" into the API's
// "patient[date_of_birth]".
func bracketPath(field string) string {
	parts := strings.Split(field, ".")
	out := parts[0]
	for _, p := range parts[1:] {
		out += "[" + p + "]"
	}
	return out
}

// findBadPatientField finds the patient field whose format made decoding
// fail (the generated Date type rejects a bad value with an error that does
// not name the field).
func findBadPatientField(raw []byte) string {
	var doc struct {
		Patient map[string]json.RawMessage `json:"patient"`
	}
	if json.Unmarshal(raw, &doc) != nil || doc.Patient == nil {
		return ""
	}
	if v, ok := doc.Patient["date_of_birth"]; ok {
		var s string
		if json.Unmarshal(v, &s) != nil || !validDate(s) {
			return "patient[date_of_birth]"
		}
	}
	return ""
}

// errBodyTooLarge answers a body over maxBody. The contract names no code
// for it; parameter_invalid with no param says the request as a whole is
// wrong, and the status says why.
func errBodyTooLarge() *apiError {
	return invalidRequest(http.StatusRequestEntityTooLarge, gen.ErrorCodeParameterInvalid, "",
		fmt.Sprintf("The request body is larger than the limit of %d bytes.", maxBody))
}
