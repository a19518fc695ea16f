package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/api"
)

// The classification is tested on recorded pairs: a request as sent and a
// response as answered, the response built from the contract's own example
// and then altered one way.

func checker(t *testing.T) *contractChecker {
	t.Helper()
	c, err := newContractChecker()
	require.NoError(t, err)
	return c
}

// example is the contract's example of a schema, as JSON values.
func example(t *testing.T, c *contractChecker, schema string) map[string]any {
	t.Helper()
	ref := c.doc.Components.Schemas[schema]
	require.NotNil(t, ref, schema)
	b, err := json.Marshal(ref.Value.Example)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func listOf(items ...map[string]any) map[string]any {
	data := make([]any, len(items))
	for i, it := range items {
		data[i] = it
	}
	return map[string]any{"object": "list", "url": "/v1/connected/appointment_types", "has_more": false, "data": data}
}

// recorded is a pair: a request to template and a 200 answer of body.
func recorded(t *testing.T, method, template, target string, reqBody string, status int, body any) *exchange {
	t.Helper()
	req := httptest.NewRequest(method, "http://api.test"+target, strings.NewReader(reqBody))
	req.Header.Set("Authorization", "Bearer sk_sandbox_test")
	if reqBody != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	b, err := json.Marshal(body)
	require.NoError(t, err)
	h := http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"req_test"}}
	var pathParams map[string]string
	if strings.Contains(template, "{appointment_id}") {
		pathParams = map[string]string{"appointment_id": target[strings.LastIndex(target, "/")+1:]}
	}
	return &exchange{method: method, template: template, pathParams: pathParams, request: req, reqBody: []byte(reqBody), status: status, header: h, body: b}
}

func TestVerifyCheckClassifiesRecordedPairs(t *testing.T) {
	c := checker(t)
	account := func() map[string]any { return example(t, c, "Account") }
	aptType := func() map[string]any { return example(t, c, "AppointmentType") }
	appointment := func() map[string]any { return example(t, c, "Appointment") }
	getAccount := func(body any) *exchange {
		return recorded(t, "GET", "/connected/account", "/connected/account", "", 200, body)
	}
	cases := []struct {
		name string
		ex   func() *exchange
		want []finding // nil: conforms
	}{
		{"the contract's example conforms", func() *exchange { return getAccount(account()) }, nil},
		{"a required field removed", func() *exchange {
			a := account()
			delete(a, "currency")
			return getAccount(a)
		}, []finding{{kindViolation, "$.currency", "required by the contract, missing", 1}}},
		{"a wrong type", func() *exchange {
			a := account()
			a["livemode"] = "no"
			return getAccount(a)
		}, []finding{{kindViolation, "$.livemode", "must be a boolean", 1}}},
		{"a null where the contract does not allow one", func() *exchange {
			a := account()
			a["name"] = nil
			return getAccount(a)
		}, []finding{{kindViolation, "$.name", "must not be null", 1}}},
		{"a property the contract lacks", func() *exchange {
			a := account()
			a["loyalty_tier"] = "gold"
			return getAccount(a)
		}, []finding{{kindAddition, "$.loyalty_tier", "a property the contract does not list", 1}}},
		{"metadata keys are the partner's, never additions", func() *exchange {
			ty := aptType()
			ty["metadata"] = map[string]any{"anything": "goes"}
			return recorded(t, "GET", "/connected/appointment_types", "/connected/appointment_types", "", 200, listOf(ty))
		}, nil},
		{"a required field removed from every list item, counted once", func() *exchange {
			x, y := aptType(), aptType()
			delete(x, "name")
			delete(y, "name")
			return recorded(t, "GET", "/connected/appointment_types", "/connected/appointment_types", "", 200, listOf(x, y))
		}, []finding{{kindViolation, "$.data[0].name", "required by the contract, missing", 2}}},
		{"an enum value outside the contract", func() *exchange {
			a := appointment()
			a["status"] = "tentative"
			return recorded(t, "GET", "/connected/appointments/{appointment_id}", "/connected/appointments/apt_1", "", 200, a)
		}, []finding{{kindAddition, "$.status", "a value the contract's enum does not list (it lists " + appointmentStatuses(t) + ")", 1}}},
		{"a bad format", func() *exchange {
			a := appointment()
			a["start"] = "tomorrow morning"
			return recorded(t, "GET", "/connected/appointments/{appointment_id}", "/connected/appointments/apt_1", "", 200, a)
		}, []finding{{kindViolation, "$.start", "must be a valid date-time", 1}}},
		{"a status the contract does not document", func() *exchange {
			return recorded(t, "GET", "/connected/account", "/connected/account", "", 201, account())
		}, []finding{{kindViolation, "status", "201 is not a status the contract documents for getAccount", 1}}},
		{"a request the contract forbids", func() *exchange {
			return recorded(t, "POST", "/connected/slots/validate", "/connected/slots/validate", `{}`, 200, example(t, c, "SlotValidation"))
		}, []finding{{kindViolation, "request body $.slot_id", "required by the contract, missing", 1}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := c.check(tc.ex())
			if tc.want == nil {
				assert.Empty(t, got)
				return
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestVerifyCheckHeaders(t *testing.T) {
	c := checker(t)
	ex := recorded(t, "GET", "/connected/account", "/connected/account", "", 200, example(t, c, "Account"))
	ex.header.Del("X-Request-Id")
	ex.header.Set("X-Cache-Region", "eu")
	ex.header.Set("Date", "Mon, 07 Dec 2026 10:00:00 GMT") // the transport's, never an addition
	assert.Equal(t, []finding{
		{kindViolation, "header X-Request-Id", "required by the contract, missing", 1},
		{kindAddition, "header X-Cache-Region", "a header the contract does not list", 1},
	}, c.check(ex))

	ex = recorded(t, "GET", "/connected/account", "/connected/account", "", 429, map[string]any{
		"error": map[string]any{"type": "rate_limit_error", "code": "rate_limited", "message": "slow down", "param": nil},
	})
	ex.header.Set("Retry-After", "soon")
	assert.Equal(t, []finding{{kindViolation, "header Retry-After", "must be an integer", 1}}, c.check(ex))
}

// A finding never repeats a value of the body: the messages are the
// contract's, the paths are names.
func TestVerifyFindingsHoldNoValue(t *testing.T) {
	c := checker(t)
	a := example(t, c, "Appointment")
	a["start"] = "secret-value-1"
	a["status"] = "secret-value-2"
	patient, ok := a["patient"].(map[string]any)
	require.True(t, ok)
	patient["email"] = "secret-value-3"
	patient["sex"] = 12
	got := c.check(recorded(t, "GET", "/connected/appointments/{appointment_id}", "/connected/appointments/apt_1", "", 200, a))
	require.NotEmpty(t, got)
	b, err := json.Marshal(got)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "secret-value")
}

// appointmentStatuses are the contract's values of Appointment.status, as
// a finding lists them: read from the contract, so that a value it adds
// changes the expectation with it.
func appointmentStatuses(t *testing.T) string {
	t.Helper()
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct{ Enum []string }
			}
		}
	}
	require.NoError(t, json.Unmarshal(api.Spec(), &doc))
	values := doc.Components.Schemas["Appointment"].Properties["status"].Enum
	require.NotEmpty(t, values)
	return strings.Join(values, ", ")
}
