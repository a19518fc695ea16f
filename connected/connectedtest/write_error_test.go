package connectedtest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/dronline/connected-go/connected"
)

// WriteError answers in the envelope the fake answers its own errors in.
func TestWriteErrorIsTheFakesEnvelope(t *testing.T) {
	rec := httptest.NewRecorder()
	WriteError(rec, http.StatusForbidden, connected.ErrorTypeAuthentication, connected.ErrorCodeAuthenticationRequired, "", "Not here.")
	assert.Equal(t, http.StatusForbidden, rec.Code)
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	assert.JSONEq(t, `{"error":{"type":"authentication_error","code":"authentication_required","message":"Not here."}}`, rec.Body.String())

	rec = httptest.NewRecorder()
	WriteError(rec, http.StatusBadRequest, connected.ErrorTypeInvalidRequest, connected.ErrorCodeParameterInvalid, "limit", "Invalid parameter limit.")
	assert.JSONEq(t, `{"error":{"type":"invalid_request_error","code":"parameter_invalid","message":"Invalid parameter limit.","param":"limit"}}`, rec.Body.String())
}
