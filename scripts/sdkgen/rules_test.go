package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// generateRules runs sdkgen on spec with oapi-codegen.yaml and returns the
// rules file it wrote.
func generateRules(t *testing.T, spec string) (string, error) {
	t.Helper()
	files, err := sdkgen(t, spec, configPath)
	if err != nil {
		return "", err
	}
	return files[outRules], nil
}

// The rules file states the spec's limits, enum values, required
// properties, header names and operations, from the spec alone.
func TestRules(t *testing.T) {
	rules := pinnedFiles(t)[outRules]
	for _, want := range []string{
		"package contract\n",
		"\tPatientInputFirstNameMaxLength = 100\n",
		"\tPatientInputEmailMaxLength = 254\n",
		"\tConfirmAppointmentRequestPartnerReferenceMaxLength = 255\n",
		"\tPatientInputMetadataMaxProperties = 50\n",
		"\tPatientInputMetadataValueMaxLength = 500\n",
		"\tIdempotencyKeyMaxLength = 255\n",
		"\tIdempotencyKeyHeader = \"Idempotency-Key\"\n",
		"\tHoldTokenHeader = \"X-Appointment-Hold-Token\"\n",
		"\tLimitMaximum = 100\n",
		`func PatientInputSexValues() []string { return []string{"female", "male", "other", "unknown"} }`,
		`{ID: "confirmAppointment", Method: "POST", Path: "/connected/appointments/{appointment_id}/confirm"},`,
	} {
		assert.Contains(t, rules, want)
	}
	assert.NotContains(t, rules, "PatientFirstName", "only request bodies: Patient is a response")
}

// A limit and an operation the contract changes or adds reach the rules
// with no edit.
func TestRulesFollowTheContract(t *testing.T) {
	spec := patched(t,
		`"Phone number, E.164 recommended. Optional.",
            "example": "+447700900123",
            "maxLength": 32,`, `"Phone number, E.164 recommended. Optional.",
            "example": "+447700900123",
            "maxLength": 40,`,
		`"/connected/slots/validate": {`, `"/connected/slots/{slot_id}/notes": {"get": {"operationId": "listSlotNotes", "parameters": [{"in": "path", "name": "slot_id", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "ok"}}}}, "/connected/slots/validate": {`,
	)
	rules, err := generateRules(t, spec)
	require.NoError(t, err)
	assert.Contains(t, rules, "\tPatientInputPhoneMaxLength = 40\n")
	assert.Contains(t, rules, `{ID: "listSlotNotes", Method: "GET", Path: "/connected/slots/{slot_id}/notes"},`)
}
