package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/api"
	"github.com/dronline/connected-go/internal/canonjson"
)

func load(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.Spec())
	require.NoError(t, err)
	return doc
}

func TestSpecIsValidOpenAPI303(t *testing.T) {
	doc := load(t)
	assert.Equal(t, "3.0.3", doc.OpenAPI)
	require.NoError(t, doc.Validate(context.Background(), openapi3.EnableExamplesValidation()))
	require.Len(t, doc.Servers, 1)
	assert.Equal(t, "https://api.dronline.uk/v1", doc.Servers[0].URL)
	assert.Contains(t, doc.Extensions, "x-dronline-source", "the pinned spec records where it came from")
}

// The pinned spec is a faithful copy of the contract: every Go choice lives
// in api/go-overlay.yaml and oapi-codegen.yaml, so that `make update-spec`
// can replace the spec with the official file and lose none of them.
func TestSpecHoldsNoGoChoices(t *testing.T) {
	var doc any
	require.NoError(t, json.Unmarshal(api.Spec(), &doc))
	var found []string
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, child := range v {
				if strings.HasPrefix(k, "x-go-") || strings.HasPrefix(k, "x-oapi-codegen-") || k == "x-omitempty" || k == "x-omitzero" {
					found = append(found, path+"/"+k)
				}
				walk(path+"/"+k, child)
			}
		case []any:
			for _, child := range v {
				walk(path+"/[]", child)
			}
		}
	}
	walk("", doc)
	assert.Empty(t, found, "move these into api/go-overlay.yaml")
}

func TestSpecIsInCanonicalFormat(t *testing.T) {
	formatted, err := canonjson.Indent(api.Spec())
	require.NoError(t, err)
	assert.Equal(t, string(formatted), string(api.Spec()),
		"run `go run ./scripts/specfmt %s` to restore the canonical key order", api.Path)
}

// The documentation's list of operations, each with the operationID the
// SDK's method names depend on.
var documentedOperations = []struct{ method, path, operationID string }{
	{http.MethodGet, "/connected/account", "getAccount"},
	{http.MethodGet, "/connected/appointment_types", "listAppointmentTypes"},
	{http.MethodGet, "/connected/practitioners", "listPractitioners"},
	{http.MethodGet, "/connected/slots", "listSlots"},
	{http.MethodPost, "/connected/slots/validate", "validateSlot"},
	{http.MethodPost, "/connected/appointment_holds", "createAppointmentHold"},
	{http.MethodPost, "/connected/appointments/{appointment_id}/confirm", "confirmAppointment"},
	{http.MethodGet, "/connected/appointments", "listAppointments"},
	{http.MethodGet, "/connected/appointments/{appointment_id}", "getAppointment"},
	{http.MethodPost, "/connected/appointments/{appointment_id}/cancel", "cancelAppointment"},
	{http.MethodPost, "/connected/appointments/{appointment_id}/reschedule", "rescheduleAppointment"},
	{http.MethodGet, "/connected/patients/{patient_id}", "getPatient"},
	{http.MethodGet, "/connected/appointments/{appointment_id}/questionnaire", "getAppointmentQuestionnaire"},
	{http.MethodGet, "/connected/questionnaires/{questionnaire_id}", "getQuestionnaire"},
}

// Every documented operation is there with the operationID the SDK's names
// come from; one renamed or removed is a breaking change. Operations beyond
// the documented ones are an additive change ("Additive changes may ship
// without a date bump"): they are listed, never refused.
func TestSpecHasEveryDocumentedOperation(t *testing.T) {
	doc := load(t)
	documented := map[string]bool{}
	for _, want := range documentedOperations {
		documented[want.method+" "+want.path] = true
		item := doc.Paths.Value(want.path)
		require.NotNil(t, item, want.path)
		op := item.GetOperation(want.method)
		require.NotNil(t, op, "%s %s", want.method, want.path)
		assert.Equal(t, want.operationID, op.OperationID, "%s %s", want.method, want.path)
	}
	var extra []string
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if !documented[method+" "+path] {
				extra = append(extra, fmt.Sprintf("%s %s (%s)", method, path, op.OperationID))
			}
		}
	}
	slices.Sort(extra)
	for _, e := range extra {
		t.Logf("operation beyond the documentation's list: %s", e)
	}
}

func TestEveryResponseCarriesRequestIDAndErrorsUseTheEnvelope(t *testing.T) {
	doc := load(t)
	style := houseStyle(t, doc)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for status, ref := range op.Responses.Map() {
				resp := ref.Value
				where := method + " " + path + " " + status
				require.Contains(t, resp.Headers, "X-Request-Id", where)
				assert.True(t, resp.Headers["X-Request-Id"].Value.Required, where)
				media := resp.Content.Get("application/json")
				require.NotNil(t, media, where)
				style(media.Example != nil, "%s: every response has an example", where)
				if !strings.HasPrefix(status, "2") {
					assert.Equal(t, "#/components/schemas/Error", media.Schema.Ref, where)
				}
			}
			style(op.Responses.Value("default") != nil, "%s %s: 5xx are described", method, path)
			if method == http.MethodGet && strings.Contains(path, "{") {
				style(op.Responses.Value("404") != nil, "%s %s: 404 is described", method, path)
			}
		}
	}
}

func TestHeaders(t *testing.T) {
	doc := load(t)
	for path, item := range doc.Paths.Map() {
		if item.Post == nil {
			continue
		}
		p := item.Post.Parameters.GetByInAndName("header", "Idempotency-Key")
		require.NotNil(t, p, "every POST accepts Idempotency-Key: %s", path)
		assert.False(t, p.Required, path)
		assert.Contains(t, item.Post.Responses.Map(), "409", "idempotency conflicts on %s", path)
		assert.Contains(t, item.Post.Responses.Map()["200"].Value.Headers, "Idempotent-Replayed", path)
	}
	confirm := doc.Paths.Value("/connected/appointments/{appointment_id}/confirm").Post
	token := confirm.Parameters.GetByInAndName("header", "X-Appointment-Hold-Token")
	require.NotNil(t, token)
	assert.True(t, token.Required)
	body := confirm.RequestBody.Value.Content.Get("application/json").Schema.Value
	assert.ElementsMatch(t, []string{"external_payment_reference", "patient"}, body.Required)

	require.Contains(t, doc.Components.SecuritySchemes, "bearerAuth")
	assert.Equal(t, "bearer", doc.Components.SecuritySchemes["bearerAuth"].Value.Scheme)
	require.Len(t, doc.Security, 1)
}

// Every resource has id and object first, object a single-value enum.
func TestResourceSchemas(t *testing.T) {
	doc := load(t)
	resources := map[string]string{
		"Account": "account", "AppointmentType": "appointment_type", "Practitioner": "practitioner",
		"Slot": "slot", "SlotValidation": "slot_validation", "AppointmentHold": "appointment_hold",
		"Appointment": "appointment", "Patient": "patient", "Questionnaire": "questionnaire",
	}
	for name, object := range resources {
		s := doc.Components.Schemas[name]
		require.NotNil(t, s, name)
		require.Contains(t, s.Value.Properties, "id", name)
		obj := s.Value.Properties["object"]
		require.NotNil(t, obj, name)
		assert.Equal(t, []any{object}, obj.Value.Enum, name)
		assert.Subset(t, s.Value.Required, []string{"id", "object"}, name)
	}
	for _, list := range []string{"AppointmentTypeList", "PractitionerList", "SlotList", "AppointmentList"} {
		s := doc.Components.Schemas[list].Value
		assert.ElementsMatch(t, []string{"object", "url", "has_more", "data"}, s.Required, list)
	}
	appt := doc.Components.Schemas["Appointment"].Value
	assert.True(t, appt.Properties["booking_channel_id"].Value.Nullable)
	assert.Equal(t, "date-time", appt.Properties["start"].Value.Format)
	patient := doc.Components.Schemas["PatientInput"].Value
	assert.Equal(t, "date", patient.Properties["date_of_birth"].Value.Format)
	assert.NotContains(t, patient.Required, "phone", "phone is optional")
	account := doc.Components.Schemas["Account"].Value
	assert.Equal(t, []any{"v1"}, account.Properties["path_version"].Value.Enum)
	assert.Equal(t, "date", account.Properties["api_version"].Value.Format)
}

// The field order of the API (id, object, then A–Z) is also the key order
// of every example in the file, which the canonical format guarantees; this
// checks the property order the generator and readers see.
func TestPropertiesAreInAPIOrder(t *testing.T) {
	var raw struct {
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(api.Spec(), &raw))
	for name, s := range raw.Components.Schemas {
		keys := propertyKeys(t, s)
		assert.True(t, slices.IsSortedFunc(keys, func(a, b string) int {
			if canonjson.Less(a, b) {
				return -1
			}
			return 1
		}), "%s: %v", name, keys)
	}
}

func propertyKeys(t *testing.T, schema json.RawMessage) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(schema)))
	var keys []string
	depth := 0
	inProps := false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				depth++
			} else {
				depth--
				if inProps && depth == 1 {
					inProps = false
				}
			}
		case string:
			if depth == 1 && v == "properties" && !inProps {
				inProps = true
			} else if inProps && depth == 2 && dec.More() {
				keys = append(keys, v)
				// skip the property's value
				var skip json.RawMessage
				require.NoError(t, dec.Decode(&skip))
			}
		}
	}
	return keys
}

// Every error the documented rules imply has a code, each described.
func TestErrorCodes(t *testing.T) {
	doc := load(t)
	codes := doc.Components.Schemas["ErrorCode"].Value
	for _, code := range []string{
		"hold_expired", "hold_token_invalid", "hold_already_confirmed", "slot_unavailable",
		"reschedule_limit_reached", "reschedule_outside_window", "reschedule_too_late",
		"metadata_key_reserved", "idempotency_key_reused", "idempotency_key_in_use",
		"resource_missing", "api_key_invalid", "authentication_required", "rate_limited",
		"parameter_missing", "parameter_invalid", "appointment_already_cancelled",
		"questionnaire_not_required",
	} {
		assert.Contains(t, codes.Enum, code)
	}
	style := houseStyle(t, doc)
	for _, c := range codes.Enum {
		style(strings.Contains(codes.Description, "`"+c.(string)+"`"), "code %s is described", c)
	}
	types := doc.Components.Schemas["ErrorType"].Value
	for _, c := range types.Enum {
		style(strings.Contains(types.Description, "`"+c.(string)+"`"), "type %s is described", c)
	}
}

// Examples: every schema and every response has one (house style), and
// every example there is is valid against its schema, whoever wrote it.
func TestEveryExampleIsValid(t *testing.T) {
	doc := load(t)
	style := houseStyle(t, doc)
	for name, s := range doc.Components.Schemas {
		style(s.Value.Example != nil, "schema %s has an example", name)
		if s.Value.Example != nil {
			assert.NoError(t, s.Value.VisitJSON(roundTrip(t, s.Value.Example)), "schema %s", name)
		}
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for status, ref := range op.Responses.Map() {
				media := ref.Value.Content.Get("application/json")
				if media != nil && media.Example != nil {
					assert.NoError(t, media.Schema.Value.VisitJSON(roundTrip(t, media.Example)),
						"%s %s %s", method, path, status)
				}
			}
			if op.RequestBody != nil {
				media := op.RequestBody.Value.Content.Get("application/json")
				require.NotNil(t, media, "%s %s request: a JSON body", method, path)
				style(media.Example != nil, "%s %s request has an example", method, path)
				if media.Example != nil {
					assert.NoError(t, media.Schema.Value.VisitJSON(roundTrip(t, media.Example)), "%s %s request", method, path)
				}
			}
		}
	}
}

// roundTrip gives an example the types VisitJSON expects (float64 numbers).
func roundTrip(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var out any
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}
