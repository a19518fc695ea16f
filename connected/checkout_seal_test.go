package connected_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
)

// A stored state whose parts no longer agree (one changed by a bug, a
// migration or a hand) is refused by Complete before anything is sent,
// naming the part; the state as Start made it, stored and read back as
// JSON, completes.
func TestCheckoutRefusesAStateWhosePartsDisagree(t *testing.T) {
	e := newEnv(t)
	other := e.slot(t, "aptype_derm20", start.Add(96*time.Hour))
	st, err := e.c.Checkouts.Start(context.Background(), &connected.CheckoutStartParams{
		SlotID: e.slot(t, "aptype_gp15", start.Add(72*time.Hour)).ID, PartnerReference: "order-seal",
		Metadata: map[string]string{"order_id": "order-seal"},
	})
	require.NoError(t, err)
	stored, err := json.Marshal(st)
	require.NoError(t, err)
	load := func() *connected.CheckoutState {
		var s connected.CheckoutState
		require.NoError(t, json.Unmarshal(stored, &s))
		return &s
	}
	params := &connected.CheckoutCompleteParams{Patient: patient(), ExternalPaymentReference: "pi_seal"}

	for _, tc := range []struct {
		param  string
		change func(s *connected.CheckoutState)
	}{
		{"slot.id", func(s *connected.CheckoutState) { s.Slot.ID = other.ID }},
		{"slot.appointment_type_id", func(s *connected.CheckoutState) { s.Slot.AppointmentTypeID = other.AppointmentTypeID }},
		{"slot.practitioner_id", func(s *connected.CheckoutState) { s.Slot.PractitionerID = "prac_other" }},
		{"slot.start", func(s *connected.CheckoutState) { s.Slot.Start = s.Slot.Start.Add(time.Hour) }},
		{"slot.end", func(s *connected.CheckoutState) { s.Slot.End = s.Slot.End.Add(time.Hour) }},
		{"hold_appointment_id", func(s *connected.CheckoutState) { s.HoldAppointmentID = "apt_other" }},
		{"hold_token", func(s *connected.CheckoutState) { s.HoldToken = "aht_other" }},
		{"hold_expires_at", func(s *connected.CheckoutState) { s.HoldExpiresAt = s.HoldExpiresAt.Add(time.Hour) }},
		{"partner_reference", func(s *connected.CheckoutState) { s.PartnerReference = "order-other" }},
		{"metadata", func(s *connected.CheckoutState) { s.Metadata["order_id"] = "order-other" }},
		{"confirm_idempotency_key", func(s *connected.CheckoutState) { s.ConfirmIdempotencyKey = connected.NewIdempotencyKey() }},
		{"seal", func(s *connected.CheckoutState) { s.Seal = nil }},
	} {
		t.Run(tc.param, func(t *testing.T) {
			before := len(e.srv.Requests())
			s := load()
			tc.change(s)
			res, err := e.c.Checkouts.Complete(context.Background(), s, params)
			require.Error(t, err)
			assert.Nil(t, res)
			var apiErr *connected.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.param, apiErr.Param)
			assert.NotContains(t, err.Error(), st.HoldToken)
			assert.Len(t, e.srv.Requests(), before, "nothing was sent")
		})
	}

	res, err := e.c.Checkouts.Complete(context.Background(), load(), params)
	require.NoError(t, err)
	assert.Equal(t, connected.CheckoutOutcomeBooked, res.Outcome)
	for _, r := range e.srv.Requests() {
		if r.Method == http.MethodPost && r.Status == http.StatusOK {
			return
		}
	}
	t.Fatal("the confirm was not sent")
}
