package connected

import (
	"context"
	"net/http"

	"github.com/dronline/connected-go/gen"
)

// HoldService creates holds: short-lived locks on a slot.
type HoldService struct{ c *Client }

// HoldParams are the fields of a hold: the slot (required), and optionally
// the patient and metadata, which is stored on the appointment.
type HoldParams = gen.CreateAppointmentHoldRequest

// Create holds a free slot for a short time (see ExpiresAt). Keep the
// returned hold's AppointmentID and HoldToken: confirm needs both. The hold
// token is a secret; do not log it.
//
// The call carries an idempotency key (yours, with WithIdempotencyKey, or
// a random one reused by every retry), so a retry never holds twice.
func (s *HoldService) Create(ctx context.Context, params *HoldParams, opts ...CallOption) (*AppointmentHold, error) {
	if err := checkHold(params); err != nil {
		return nil, s.c.refuse(ctx, opCreateAppointmentHold(nil), opts, err)
	}
	// Built once, before the first attempt, from params as checked above.
	op := opCreateAppointmentHold(func(server, key string) (*http.Request, error) {
		return gen.NewCreateAppointmentHoldRequest(server, &gen.CreateAppointmentHoldParams{IdempotencyKey: &key}, *params)
	})
	h, _, err := get[AppointmentHold](ctx, s.c, op, opts)
	return h, err
}
