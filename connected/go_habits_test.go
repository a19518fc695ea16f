package connected_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// What a Go developer who has never seen the generator writes from the
// documentation and Go habit alone: initialisms, nil for null, plain maps,
// one type per concept. This test is the promise; it fails to compile if a
// generator setting or the overlay regresses.
func TestTheTypesReadAsGo(t *testing.T) {
	srv, client := exampleServer()
	defer srv.Close()
	ctx := context.Background()

	from := srv.Now().Add(72 * time.Hour)
	slots, err := client.Slots.List(ctx, &connected.SlotListParams{AppointmentTypeID: connected.Ptr("aptype_gp15"), StartGte: &from})
	require.NoError(t, err)
	require.NotEmpty(t, slots.Data)

	dob, err := connected.ParseDate("1986-04-12")
	require.NoError(t, err)
	patient := connected.PatientInput{FirstName: "Jane", LastName: "Doe", Email: "jane.doe@example.com", Sex: connected.SexFemale, DateOfBirth: dob}
	params := &connected.HoldParams{SlotID: slots.Data[0].ID, Patient: &patient}
	params.Metadata = map[string]string{"order_id": "ord_1"}
	hold, err := client.Holds.Create(ctx, params)
	require.NoError(t, err)
	require.NotNil(t, hold.PatientID, "a hold with a patient names it")

	appt, err := client.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken, &connected.ConfirmParams{
		Patient: patient, ExternalPaymentReference: "pi_1", PartnerReference: connected.Ptr("case-1"),
	})
	require.NoError(t, err)
	assert.NotEmpty(t, appt.ID)
	if appt.PartnerReference == nil || *appt.PartnerReference != "case-1" {
		t.Fatalf("partner reference: %v", appt.PartnerReference)
	}
	assert.True(t, appt.Patient.Sex == connected.SexFemale, "the sex written and the sex read are one type")
	assert.Equal(t, "ord_1", appt.Metadata["order_id"])
	assert.Nil(t, appt.CancelledAt, "null is nil")
	assert.Equal(t, *hold.PatientID, appt.Patient.ID)

	account, err := client.Account.Get(ctx)
	require.NoError(t, err)
	assert.False(t, account.APIVersion.IsZero())

	pracs, err := client.Practitioners.List(ctx, nil)
	require.NoError(t, err)
	require.NotEmpty(t, pracs.Data)
	assert.NotEmpty(t, pracs.Data[0].AppointmentTypeIDs)
	assert.Equal(t, "/v1/connected/practitioners", pracs.URL)
}
