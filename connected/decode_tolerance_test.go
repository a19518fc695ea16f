package connected_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// The server is authoritative for its responses, and additive changes ship
// without notice: what a newer server sends must never fail a call that
// succeeded. Each body below is a plain server's answer with an email the
// client's own parser would refuse, enum values the SDK does not know and
// fields it has never seen.
func TestDecodingAcceptsWhateverTheServerSent(t *testing.T) {
	const appointment = `{"id":"apt_1","object":"appointment","appointment_type_id":"aptype_gp15","booking_channel_id":null,
		"cancelled_at":null,"confirmed_at":"2026-11-24T10:02:00Z","end":"2026-12-01T09:15:00Z",
		"external_payment_reference":"pi_1","metadata":{},"original_start":"2026-12-01T09:00:00Z",
		"partner_reference":"case-1","patient":{"id":"pat_1","object":"patient","date_of_birth":"1986-04-12",
		"email":"Jane Doe <jane@example.com>","first_name":"Jane","last_name":"Doe","metadata":{},"phone":null,
		"sex":"intersex","pronouns":"she/her"},"practitioner_id":"prac_1","questionnaire_id":null,
		"reschedule_count":0,"rescheduled_at":null,"start":"2026-12-01T09:00:00Z","status":"no_show",
		"video_url":"https://video.example/abc"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "req_1")
		switch r.URL.Path {
		case "/v1/connected/appointments/apt_1":
			_, _ = w.Write([]byte(appointment))
		case "/v1/connected/slots/validate":
			_, _ = w.Write([]byte(`{"id":"slot_1","object":"slot_validation","available":false,"reason":"slot_blocked_by_clinic","slot":null,"checked_at":"2026-11-24T10:00:00Z"}`))
		case "/v1/connected/questionnaires/qst_1":
			_, _ = w.Write([]byte(`{"id":"qst_1","object":"questionnaire","appointment_id":"apt_1","completed_at":null,"completion_url":"not a url","status":"expired"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, err := connected.NewClient("sk_sandbox_decode", connected.WithBaseURL(srv.URL+"/v1"), connected.WithMaxRetries(0))
	require.NoError(t, err)
	ctx := context.Background()

	appt, err := c.Appointments.Get(ctx, "apt_1")
	require.NoError(t, err)
	assert.Equal(t, "Jane Doe <jane@example.com>", appt.Patient.Email, "an email is kept as sent")
	assert.Equal(t, connected.Sex("intersex"), appt.Patient.Sex, "an unknown enum value is kept as sent")
	assert.Equal(t, connected.AppointmentStatus("no_show"), appt.Status)
	require.NotNil(t, appt.PartnerReference)
	assert.Equal(t, "case-1", *appt.PartnerReference)
	assert.Nil(t, appt.Patient.Phone)

	v, err := c.Slots.Validate(ctx, &connected.SlotValidateParams{SlotID: "slot_1"})
	require.NoError(t, err)
	require.NotNil(t, v.Reason)
	assert.Equal(t, connected.SlotValidationReason("slot_blocked_by_clinic"), *v.Reason)
	assert.Nil(t, v.Slot)

	q, err := c.Questionnaires.Get(ctx, "qst_1")
	require.NoError(t, err)
	assert.Equal(t, connected.QuestionnaireStatus("expired"), q.Status)
	assert.Equal(t, "not a url", q.CompletionURL)
}

// Requests keep their client-side checks: an email the server would refuse
// is refused before sending, naming the field and never echoing the value.
func TestRequestEmailsAreChecked(t *testing.T) {
	c, err := connected.NewClient("sk_sandbox_decode", connected.WithBaseURL("http://127.0.0.1:1/v1"))
	require.NoError(t, err)
	dob, err := connected.ParseDate("1986-04-12")
	require.NoError(t, err)
	for _, email := range []string{"not-an-email", "Jane <jane@example.com>", "jane@"} {
		p := connected.PatientInput{FirstName: "Jane", LastName: "Doe", Email: email, Sex: connected.SexFemale, DateOfBirth: dob}
		_, err := c.Holds.Create(context.Background(), &connected.HoldParams{SlotID: "slot_1", Patient: &p})
		var apiErr *connected.Error
		require.ErrorAs(t, err, &apiErr, email)
		assert.Equal(t, connected.ErrorCodeParameterInvalid, apiErr.Code, email)
		assert.Equal(t, "patient[email]", apiErr.Param, email)
		assert.NotContains(t, apiErr.Error(), email)
		assert.Zero(t, apiErr.Attempts, "refused before sending")
	}
}
