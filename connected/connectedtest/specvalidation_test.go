package connectedtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/api"
)

// The validator the other tests rely on must actually catch violations.
func TestSpecValidatorCatchesViolations(t *testing.T) {
	v, err := newSpecValidator()
	require.NoError(t, err)
	req := func(method, target, body string) *http.Request {
		r := httptest.NewRequest(method, target, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer sk_sandbox_x")
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		return r.WithContext(context.WithValue(r.Context(), ctxBody, []byte(body)))
	}
	h := http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"req_1"}}

	good := `{"id":"slot_a.b.1","object":"slot_validation","available":false,"reason":"slot_not_found","slot":null}`
	assert.Empty(t, v.check(req("POST", "/v1/connected/slots/validate", `{"slot_id":"slot_a.b.1"}`), 200, h, []byte(good)))

	assert.Contains(t, v.check(req("POST", "/v1/connected/slots/validate", `{"slot_id":"x"}`), 200, h,
		[]byte(`{"id":"x","object":"slot_validation","available":"yes","reason":null,"slot":null}`)), "response violates")
	assert.Contains(t, v.check(req("GET", "/v1/connected/account", ""), 200, http.Header{"Content-Type": {"application/json"}}, []byte(`{}`)), "violates")
	assert.Contains(t, v.check(req("GET", "/v1/connected/appointment_types?limit=0", ""), 200, h,
		[]byte(`{"object":"list","url":"/v1/connected/appointment_types","has_more":false,"data":[]}`)), "request that violates")
	// A 4xx to a bad request is the right answer.
	assert.Empty(t, v.check(req("GET", "/v1/connected/appointment_types?limit=0", ""), 400, h,
		[]byte(`{"error":{"code":"parameter_invalid","message":"m","param":"limit","type":"invalid_request_error"}}`)))
}

func TestSpecViolationAnswers500(t *testing.T) {
	s := NewServer(WithStartTime(monday()), WithSpecValidation(true))
	defer s.Close()
	c := newClient(t, s, s.APIKey())
	// A hook answering with a body the spec does not allow.
	s.mu.Lock()
	s.hook = func(w http.ResponseWriter, _ *http.Request) bool {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"acct_1","object":"account"}`))
		return true
	}
	s.mu.Unlock()
	r := c.Get("/connected/account")
	assert.Equal(t, http.StatusInternalServerError, r.Status)
	code, _ := r.ErrCode(t)
	assert.Equal(t, "internal_error", code)
	require.Len(t, s.SpecViolations(), 1)
	assert.Contains(t, s.SpecViolations()[0], "GET /v1/connected/account")
}

// BenchmarkLoadContract is what contract saves every server after the
// first: parsing the spec, and routing it (legacy.NewRouter validates the
// whole document, examples included, before it routes).
func BenchmarkLoadContract(b *testing.B) {
	b.Run("step=parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := openapi3.NewLoader().LoadFromData(api.Spec()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("step=parse-and-route", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := loadContract(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// Servers share one parsed contract: a validating server costs no spec
// loading after the process's first.
func TestSpecContractIsLoadedOncePerProcess(t *testing.T) {
	a := NewServer(WithSpecValidation(true))
	defer a.Close()
	b := NewServer(WithSpecValidation(true))
	defer b.Close()
	require.NotNil(t, a.validator)
	assert.Same(t, a.validator, b.validator)
	assert.Nil(t, NewServer().validatorAndClose(), "off unless asked for")
}

// validatorAndClose closes s and returns its validator.
func (s *Server) validatorAndClose() *specValidator {
	s.Close()
	return s.validator
}
