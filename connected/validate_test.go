package connected_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// Requests the server would certainly refuse are refused before sending,
// with the code and param the server would give, and nothing reaches it.
func TestClientSideChecks(t *testing.T) {
	rec := newRecorder(t, okJSON(holdJSON))
	var w waits
	c := newTestClient(t, rec.srv.URL+"/v1", &w)
	ctx := context.Background()
	p := patient()

	noFirst := patient()
	noFirst.FirstName = ""
	noDOB := patient()
	noDOB.DateOfBirth = connected.Date{}
	badSex := patient()
	badSex.Sex = "f"
	reservedPatientMeta := patient()
	reservedPatientMeta.Metadata = map[string]string{"dronline_x": "1"}
	tooMany := map[string]string{}
	for i := range 51 {
		tooMany[strings.Repeat("k", 1+i%30)+string(rune('a'+i%26))+string(rune('a'+i/26))] = "v"
	}

	cases := []struct {
		name  string
		call  func() error
		code  connected.ErrorCode
		param string
	}{
		{"reserved metadata key", func() error {
			_, err := c.Holds.Create(ctx, &connected.HoldParams{SlotID: "s", Metadata: map[string]string{"dronline_source": "x"}})
			return err
		}, connected.ErrorCodeMetadataKeyReserved, "metadata[dronline_source]"},
		{"too many metadata keys", func() error {
			_, err := c.Holds.Create(ctx, &connected.HoldParams{SlotID: "s", Metadata: tooMany})
			return err
		}, connected.ErrorCodeParameterInvalid, "metadata"},
		{"long metadata value", func() error {
			_, err := c.Holds.Create(ctx, &connected.HoldParams{SlotID: "s", Metadata: map[string]string{"k": strings.Repeat("v", 501)}})
			return err
		}, connected.ErrorCodeParameterInvalid, "metadata[k]"},
		{"missing slot", func() error { _, err := c.Holds.Create(ctx, &connected.HoldParams{}); return err }, connected.ErrorCodeParameterMissing, "slot_id"},
		{"nil hold params", func() error { _, err := c.Holds.Create(ctx, nil); return err }, connected.ErrorCodeParameterMissing, "slot_id"},
		{"patient without first name", func() error {
			_, err := c.Holds.Create(ctx, &connected.HoldParams{SlotID: "s", Patient: &noFirst})
			return err
		}, connected.ErrorCodeParameterMissing, "patient[first_name]"},
		{"patient without date of birth", func() error {
			_, err := c.Appointments.Confirm(ctx, "apt_1", "aht_1", &connected.ConfirmParams{Patient: noDOB, ExternalPaymentReference: "pi"})
			return err
		}, connected.ErrorCodeParameterMissing, "patient[date_of_birth]"},
		{"patient with unknown sex", func() error {
			_, err := c.Appointments.Confirm(ctx, "apt_1", "aht_1", &connected.ConfirmParams{Patient: badSex, ExternalPaymentReference: "pi"})
			return err
		}, connected.ErrorCodeParameterInvalid, "patient[sex]"},
		{"reserved patient metadata", func() error {
			_, err := c.Appointments.Confirm(ctx, "apt_1", "aht_1", &connected.ConfirmParams{Patient: reservedPatientMeta, ExternalPaymentReference: "pi"})
			return err
		}, connected.ErrorCodeMetadataKeyReserved, "patient[metadata][dronline_x]"},
		{"confirm without payment reference", func() error {
			_, err := c.Appointments.Confirm(ctx, "apt_1", "aht_1", &connected.ConfirmParams{Patient: p})
			return err
		}, connected.ErrorCodeParameterMissing, "external_payment_reference"},
		{"confirm without hold token", func() error {
			_, err := c.Appointments.Confirm(ctx, "apt_1", "", &connected.ConfirmParams{Patient: p, ExternalPaymentReference: "pi"})
			return err
		}, connected.ErrorCodeParameterMissing, "X-Appointment-Hold-Token"},
		{"hold token with CRLF", func() error {
			_, err := c.Appointments.Confirm(ctx, "apt_1", "aht\r\nX-Evil: 1", &connected.ConfirmParams{Patient: p, ExternalPaymentReference: "pi"})
			return err
		}, connected.ErrorCodeHoldTokenInvalid, "X-Appointment-Hold-Token"},
		{"confirm without params", func() error {
			_, err := c.Appointments.Confirm(ctx, "apt_1", "aht_1", nil)
			return err
		}, connected.ErrorCodeParameterMissing, "patient"},
		{"empty partner reference", func() error {
			_, err := c.Appointments.Confirm(ctx, "apt_1", "aht_1", &connected.ConfirmParams{Patient: p, ExternalPaymentReference: "pi", PartnerReference: connected.Ptr("")})
			return err
		}, connected.ErrorCodeParameterInvalid, "partner_reference"},
		{"path traversal in id", func() error { _, err := c.Appointments.Get(ctx, ".."); return err }, connected.ErrorCodeParameterInvalid, "appointment_id"},
		{"slash in id", func() error { _, err := c.Appointments.Cancel(ctx, "apt_1/../x"); return err }, connected.ErrorCodeParameterInvalid, "appointment_id"},
		{"CRLF in id", func() error { _, err := c.Patients.Get(ctx, "pat\r\nX: y"); return err }, connected.ErrorCodeParameterInvalid, "patient_id"},
		{"empty id", func() error { _, err := c.Questionnaires.Get(ctx, ""); return err }, connected.ErrorCodeParameterMissing, "questionnaire_id"},
		{"reschedule without slot", func() error {
			_, err := c.Appointments.Reschedule(ctx, "apt_1", &connected.RescheduleParams{})
			return err
		}, connected.ErrorCodeParameterMissing, "slot_id"},
		{"validate without slot", func() error { _, err := c.Slots.Validate(ctx, &connected.SlotValidateParams{SlotID: ""}); return err }, connected.ErrorCodeParameterMissing, "slot_id"},
		{"validate without params", func() error { _, err := c.Slots.Validate(ctx, nil); return err }, connected.ErrorCodeParameterMissing, "slot_id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var apiErr *connected.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.code, apiErr.Code)
			assert.Equal(t, tc.param, apiErr.Param)
			assert.Zero(t, apiErr.StatusCode)
			assert.ErrorIs(t, err, connected.ErrInvalidRequest)
			for _, v := range []string{"Jane", "Doe", "jane.doe@example.com", "1986-04-12", "+447700900123"} {
				assert.NotContains(t, err.Error(), v, "no patient value in the message")
			}
		})
	}
	assert.Zero(t, rec.count(), "nothing was sent")
}

func TestParseDate(t *testing.T) {
	d, err := connected.ParseDate("2000-02-29")
	require.NoError(t, err)
	assert.Equal(t, "2000-02-29", d.String())
	for _, bad := range []string{"1986-02-30", "12/04/1986", "1986-4-12", ""} {
		_, err := connected.ParseDate(bad)
		assert.Error(t, err, bad)
	}
}

// Ids with characters that need escaping still reach the right path.
func TestPathIDsAreEscaped(t *testing.T) {
	rec := newRecorder(t, okJSON(`{"id":"a b","object":"appointment"}`))
	var w waits
	c := newTestClient(t, rec.srv.URL+"/v1", &w)
	_, err := c.Appointments.Get(context.Background(), "apt_ä;x")
	require.NoError(t, err)
	assert.Equal(t, "/v1/connected/appointments/apt_ä;x", rec.records()[0].path)
}
