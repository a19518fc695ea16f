package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// generateModels runs sdkgen on spec with oapi-codegen.yaml and returns
// the models file it wrote.
func generateModels(t *testing.T, spec string) string {
	t.Helper()
	files, err := sdkgen(t, spec, configPath)
	require.NoError(t, err)
	return files[outModels]
}

// Every object a user meets by name is an alias documented from the
// contract; request bodies, list envelopes and the error envelope are not
// (connected names them itself: HoldParams, Page[T], Error).
func TestModelAliases(t *testing.T) {
	models := pinnedFiles(t)[outModels]
	for _, name := range []string{"Account", "Appointment", "AppointmentHold", "AppointmentType", "Patient",
		"PatientInput", "Practitioner", "Questionnaire", "Slot", "SlotValidation"} {
		assert.True(t, declares(models, name), "no alias of %s:\n%s", name, models)
		assert.Contains(t, models, "type "+name+" = gen."+name+"\n")
	}
	for _, name := range []string{"ConfirmAppointmentRequest", "CreateAppointmentHoldRequest", "ValidateSlotRequest",
		"RescheduleAppointmentRequest", "SlotList", "AppointmentList", "Error", "ErrorDetail", "ErrorCode", "ErrorType"} {
		assert.False(t, declares(models, name), "%s is named by connected itself:\n%s", name, models)
	}
	assert.Contains(t, models, "// Appointment is a booked visit. `start` and `end` are the current\n// scheduled UTC instants.\ntype Appointment = gen.Appointment\n")
}

// An object the contract adds (named as no rehearsal of scripts/rehearsal
// names one: the rehearsal runs this test on its patched contracts) is named in connected by make generate
// alone, with its description; its request body is not.
func TestModelAddedToTheContract(t *testing.T) {
	spec := patched(t, `"schemas": {`, `"schemas": {
      "Referral": {"description": "A referral to a specialist.", "type": "object",
        "properties": {"specialty": {"type": "string"}}},
      "Waitlist": {"description": "Where a patient waits for a slot.", "type": "object",
        "properties": {"id": {"type": "string"}}},`)
	models := generateModels(t, spec)
	assert.Contains(t, models, "// Referral is a referral to a specialist.\ntype Referral = gen.Referral\n")
	assert.Contains(t, models, "// Waitlist is the contract's Waitlist object: where a patient waits for a\n// slot.\ntype Waitlist = gen.Waitlist\n")
}
