package contract_test

import (
	"slices"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/gen"
	"github.com/dronline/connected-go/internal/contract"
)

// The order the server checks a patient's required fields in names each
// required field of the contract once.
func TestPatientRequiredOrderIsTheContracts(t *testing.T) {
	assert.ElementsMatch(t, contract.PatientInputRequired(), contract.PatientRequiredOrder())
}

func TestTemplate(t *testing.T) {
	for path, want := range map[string]string{
		"/connected/appointments/apt_1":         "/connected/appointments/{appointment_id}",
		"/connected/appointments/apt_1/confirm": "/connected/appointments/{appointment_id}/confirm",
		"/connected/slots/validate":             "/connected/slots/validate", // literal, not a template's match
		"/connected/appointments/":              "",                          // an empty segment matches nothing
		"/connected/appointments/a/b":           "",
		"/connected/nothing":                    "",
	} {
		assert.Equal(t, want, contract.Template(path), path)
	}
}

func TestOperationsAreTheContracts(t *testing.T) {
	ops := contract.Operations()
	assert.True(t, slices.ContainsFunc(ops, func(o contract.Operation) bool {
		return o == contract.Operation{ID: "confirmAppointment", Method: "POST", Path: "/connected/appointments/{appointment_id}/confirm"}
	}))
	ops[0].ID = "changed"
	assert.NotEqual(t, "changed", contract.Operations()[0].ID, "a copy")
}

func TestOrList(t *testing.T) {
	assert.Equal(t, "female, male, other or unknown", contract.OrList(contract.PatientInputSexValues()))
	assert.Equal(t, "a", contract.OrList([]string{"a"}))
	assert.Empty(t, contract.OrList(nil))
}

// Checking a valid request allocates nothing: the SDK checks every write.
func TestValidRequestCostsNoAllocation(t *testing.T) {
	dob, err := time.Parse(time.DateOnly, "1986-04-12")
	require.NoError(t, err)
	b := &gen.ConfirmAppointmentRequest{
		Patient: gen.PatientInput{
			FirstName: "Jane", LastName: "Doe", Email: "jane.doe@example.com", Sex: "female",
			DateOfBirth: openapi_types.Date{Time: dob}, Metadata: map[string]string{"crm_id": "c-1"},
		},
		ExternalPaymentReference: "pi_1", Metadata: map[string]string{"a": "b"},
	}
	require.Nil(t, contract.CheckConfirm(b))
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = contract.CheckConfirm(b) }))
}
