package connected

import (
	"context"
	"fmt"
	"maps"

	"github.com/dronline/connected-go/gen"
	"github.com/dronline/connected-go/internal/contract"
)

// CheckoutService books a slot around a payment taken on your own payment
// provider, in two halves: Start holds the slot before the payment,
// Complete confirms it after. Between the two, the checkout lives in your
// database as a CheckoutState, so the payment may be asynchronous (a
// redirect, a webhook) and the process that completes it need not be the
// one that started it.
//
// Complete books at most one appointment per state, however often it is
// called and wherever it stops: after a timeout, a lost answer, a crash or
// a restart, calling it again with the stored state gives the same
// appointment.
type CheckoutService struct{ c *Client }

// CheckoutStartParams are the fields of a checkout's start.
type CheckoutStartParams struct {
	// SlotID is the slot to hold (required).
	SlotID string
	// PartnerReference is your own reference for this checkout, such as
	// your order id (required). It is sent on confirm, and Complete finds
	// the appointment by it when a confirm's outcome is unknown, so use a
	// new one for each checkout.
	PartnerReference string
	// Metadata is stored on the appointment, as on a hold.
	Metadata map[string]string
	// Validate checks that the slot can be held before holding it. A hold
	// checks that too; set Validate to learn why a slot cannot be held
	// (the *Error's Message) without creating anything.
	Validate bool
}

// Start holds the slot and returns the checkout's state, which you store
// before taking the payment. The state holds a new idempotency key for
// the confirm, so a Complete repeated after a crash cannot book twice.
//
// A slot that cannot be held is an *Error for which errors.Is(err,
// ErrSlotUnavailable) holds (or ErrNotFound for a slot the catalogue does
// not have): take no payment, and offer another slot. The hold carries an
// idempotency key, as Holds.Create does.
func (s *CheckoutService) Start(ctx context.Context, params *CheckoutStartParams, opts ...CallOption) (*CheckoutState, error) {
	if err := checkCheckoutStart(params); err != nil {
		return nil, err
	}
	if params.Validate {
		v, err := s.c.Slots.Validate(ctx, &SlotValidateParams{SlotID: params.SlotID}, readBackOptions(opts)...)
		if err != nil {
			return nil, err
		}
		if !v.Available {
			reason := "not available"
			if v.Reason != nil {
				reason = string(*v.Reason)
			}
			e := fieldError(ErrorCodeSlotUnavailable, "slot_id", "the slot cannot be held ("+reason+")")
			if v.Reason != nil && *v.Reason == SlotValidationReasonSlotNotFound {
				e.Code = ErrorCodeResourceMissing
			}
			return nil, e
		}
	}
	// The hold's life is measured from before the request, by this
	// clock: the state's expiry is then never later than the server's.
	sent := s.c.cfg.now()
	hold, err := s.c.Holds.Create(ctx, &HoldParams{SlotID: params.SlotID, Metadata: params.Metadata}, opts...)
	if err != nil {
		return nil, err
	}
	st := &CheckoutState{
		Version: CheckoutStateVersion,
		Slot: Slot{
			ID: hold.SlotID, Object: gen.SlotObjectSlot, AppointmentTypeID: hold.AppointmentTypeID,
			PractitionerID: hold.PractitionerID, Start: hold.Start.UTC(), End: hold.End.UTC(),
		},
		HoldAppointmentID:     hold.AppointmentID,
		HoldToken:             hold.HoldToken,
		HoldExpiresAt:         sent.Add(hold.ExpiresAt.Sub(hold.CreatedAt)).UTC(),
		PartnerReference:      params.PartnerReference,
		Metadata:              maps.Clone(params.Metadata),
		ConfirmIdempotencyKey: NewIdempotencyKey(),
	}
	st.Seal = st.seal()
	return st, nil
}

// checkCheckoutStart checks what the hold and the confirm will need.
func checkCheckoutStart(params *CheckoutStartParams) error {
	if params == nil {
		return missing("slot_id")
	}
	if err := checkHold(&HoldParams{SlotID: params.SlotID, Metadata: params.Metadata}); err != nil {
		return err
	}
	if ref := params.PartnerReference; ref == "" {
		return missing("partner_reference")
	} else if contract.Chars(ref) > contract.ConfirmAppointmentRequestPartnerReferenceMaxLength {
		return invalid("partner_reference", fmt.Sprintf("must be at most %d characters", contract.ConfirmAppointmentRequestPartnerReferenceMaxLength))
	}
	return nil
}
