package connected

import (
	"context"
	"errors"
)

// CheckoutCompleteParams are the fields of a checkout's completion, after
// the payment. Pass the same values each time Complete is called for one
// checkout: the confirm's idempotency key is the same every time, and the
// server refuses a key sent again with another request.
type CheckoutCompleteParams struct {
	// Patient is the patient the appointment is for (required).
	Patient PatientInput
	// ExternalPaymentReference is your payment provider's reference of
	// the payment (required).
	ExternalPaymentReference string
	// Metadata is merged over the hold's on the appointment.
	Metadata map[string]string
}

// CheckoutOutcome says how a checkout ended.
type CheckoutOutcome string

// The outcomes of CheckoutService.Complete.
const (
	// CheckoutOutcomeBooked: the appointment is booked; the result's
	// Appointment is it.
	CheckoutOutcomeBooked CheckoutOutcome = "booked"
	// CheckoutOutcomeNotBooked: the patient paid, and the slot could not
	// be booked: the hold expired and the slot was taken meanwhile, or is
	// no longer offered. Refund the payment or offer another slot; the
	// result's Err says why.
	CheckoutOutcomeNotBooked CheckoutOutcome = "not_booked"
	// CheckoutOutcomeUnknown: whether the appointment was booked could not
	// be learnt (the network or Dr.Online failed, even on the retries and
	// the look-up by partner reference). Neither refund nor book again:
	// call Complete again later with the same state, which settles it.
	CheckoutOutcomeUnknown CheckoutOutcome = "unknown"
)

// CheckoutResult is how a checkout ended, with what you need to act on
// it: the appointment, or the slot and references to refund or rebook.
type CheckoutResult struct {
	Outcome CheckoutOutcome
	// Appointment is the booked appointment (CheckoutOutcomeBooked only).
	// Store its ID: it differs from the hold's.
	Appointment *Appointment
	// HeldAgain reports that the first hold had expired before the
	// confirm, and the slot was held again and booked.
	HeldAgain bool
	// Slot is the slot the patient paid for.
	Slot Slot
	// PartnerReference and ExternalPaymentReference identify the order
	// and the payment, to refund or to rebook.
	PartnerReference         string
	ExternalPaymentReference string
	// Err is why the checkout was not booked, or why its outcome is
	// unknown: an *Error (errors.Is(Err, ErrSlotUnavailable), …). nil
	// when booked.
	Err error
}

// Complete confirms the checkout's hold with the state's idempotency key,
// after the payment. It returns the checkout's outcome, or an error when
// it could not settle one and nothing was booked: the request was refused
// before or when sent (an invalid patient, an authentication failure, a
// state that is not a CheckoutState), or the network failed before any
// confirm could reach Dr.Online. After such an error, fix its cause if
// there is one and call Complete again with the same state.
//
// Called again with the same state and params — after a timeout, a crash,
// or on another machine — Complete returns the same appointment, never a
// second one. When it cannot see a confirm's answer it sends the confirm
// again with the same key, then looks the appointment up by the state's
// PartnerReference; only when both fail is the outcome
// CheckoutOutcomeUnknown.
//
// If the hold expired before the confirm (a slow payment), Complete holds
// the same slot once more and confirms that hold; the idempotency keys of
// the two derive from the state's, so a repetition does neither twice. If
// the slot is gone, the outcome is CheckoutOutcomeNotBooked. Once you
// have refunded a not-booked checkout, do not call Complete for it again:
// the slot may have become free, and Complete would book it.
func (s *CheckoutService) Complete(ctx context.Context, state *CheckoutState, params *CheckoutCompleteParams, opts ...CallOption) (*CheckoutResult, error) {
	if err := state.check(); err != nil {
		return nil, err
	}
	if params == nil {
		return nil, missing("patient")
	}
	confirm := &ConfirmParams{
		Patient: params.Patient, ExternalPaymentReference: params.ExternalPaymentReference,
		Metadata: params.Metadata, PartnerReference: &state.PartnerReference,
	}
	if err := checkConfirm(state.HoldToken, confirm); err != nil {
		return nil, err
	}
	result := &CheckoutResult{Slot: state.Slot, PartnerReference: state.PartnerReference, ExternalPaymentReference: params.ExternalPaymentReference}

	a, err := s.confirm(ctx, state.HoldAppointmentID, state.HoldToken, confirm, state.ConfirmIdempotencyKey, opts)
	if errors.Is(err, ErrHoldExpired) {
		result.HeldAgain = true
		a, err = s.holdAgainAndConfirm(ctx, state, confirm, opts)
	}
	if err == nil {
		result.Outcome, result.Appointment = CheckoutOutcomeBooked, a
		return result, nil
	}
	return s.settle(ctx, state, result, err, opts)
}

// confirm confirms with key, and once more with the same key if the
// outcome was unknown: the server replays the first answer if the first
// confirm took effect, and books otherwise.
func (s *CheckoutService) confirm(ctx context.Context, holdAppointmentID, holdToken string, params *ConfirmParams, key string, opts []CallOption) (*Appointment, error) {
	opts = withKey(opts, key)
	a, err := s.c.Appointments.Confirm(ctx, holdAppointmentID, holdToken, params, opts...)
	if errors.Is(err, ErrAmbiguous) && ctx.Err() == nil {
		a, err = s.c.Appointments.Confirm(ctx, holdAppointmentID, holdToken, params, opts...)
	}
	return a, err
}

// holdAgainAndConfirm holds the state's slot again and confirms that hold,
// each with a key derived from the state's.
func (s *CheckoutService) holdAgainAndConfirm(ctx context.Context, state *CheckoutState, confirm *ConfirmParams, opts []CallOption) (*Appointment, error) {
	holdOpts := withKey(opts, state.holdAgainKey())
	params := &HoldParams{SlotID: state.Slot.ID, Metadata: state.Metadata}
	h, err := s.c.Holds.Create(ctx, params, holdOpts...)
	if errors.Is(err, ErrAmbiguous) && ctx.Err() == nil {
		h, err = s.c.Holds.Create(ctx, params, holdOpts...)
	}
	if err != nil {
		return nil, err
	}
	return s.confirm(ctx, h.AppointmentID, h.HoldToken, confirm, state.confirmAgainKey(), opts)
}

// settle turns a failed confirm into the checkout's outcome. Whenever
// the appointment may exist — the confirm's outcome is unknown, the hold
// was confirmed with another key, the key met another request, or the
// slot is gone — it is looked up by partner reference first: the slot may
// be gone because this checkout booked it, in a call whose answer was
// lost longer ago than the server remembers idempotency keys. Then: not
// booked if the slot is gone, unknown if a confirm may have taken effect,
// and an error if none can have.
func (s *CheckoutService) settle(ctx context.Context, state *CheckoutState, result *CheckoutResult, err error, opts []CallOption) (*CheckoutResult, error) {
	var apiErr *Error
	if !errors.As(err, &apiErr) {
		return nil, err
	}
	unknown := apiErr.Ambiguous || errors.Is(err, ErrHoldAlreadyConfirmed)
	gone := result.HeldAgain && (errors.Is(err, ErrSlotUnavailable) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrHoldExpired))
	if !unknown && !gone && !errors.Is(err, ErrIdempotencyKeyReused) {
		return nil, err
	}
	a, found, lookupErr := s.find(ctx, state, opts)
	switch {
	case found:
		result.Outcome, result.Appointment = CheckoutOutcomeBooked, a
		return result, nil
	case unknown || (gone && lookupErr != nil):
		result.Outcome, result.Err = CheckoutOutcomeUnknown, err
		return result, nil
	case gone:
		result.Outcome, result.Err = CheckoutOutcomeNotBooked, err
		return result, nil
	}
	return nil, err
}

// find looks for the checkout's appointment by partner reference: one
// with the state's slot, as the reference may have been used before.
func (s *CheckoutService) find(ctx context.Context, state *CheckoutState, opts []CallOption) (*Appointment, bool, error) {
	if ctx.Err() != nil {
		return nil, false, ctx.Err()
	}
	params := &AppointmentListParams{PartnerReference: &state.PartnerReference}
	for a, err := range s.c.Appointments.All(ctx, params, readBackOptions(opts)...) {
		if err != nil {
			return nil, false, err
		}
		if a.OriginalStart.Equal(state.Slot.Start) && a.PractitionerID == state.Slot.PractitionerID &&
			a.AppointmentTypeID == state.Slot.AppointmentTypeID {
			return &a, true, nil
		}
	}
	return nil, false, nil
}

// withKey is opts with key as the call's idempotency key, whatever opts
// say: the checkout's keys are what make its repetitions safe.
func withKey(opts []CallOption, key string) []CallOption {
	return append(append([]CallOption(nil), opts...), WithIdempotencyKey(key))
}
