package connected

import (
	"context"
	"errors"
	"iter"
	"net/http"

	"github.com/dronline/connected-go/gen"
)

// AppointmentService confirms holds and reads, reconciles, cancels and
// reschedules appointments.
type AppointmentService struct{ c *Client }

// ConfirmParams are the fields of a confirm: the patient and your payment
// reference are required; PartnerReference lets you find the appointment
// again with List.
type ConfirmParams = gen.ConfirmAppointmentRequest

// RescheduleParams name the new slot.
type RescheduleParams = gen.RescheduleAppointmentRequest

// AppointmentListParams filter the appointment list, for reconciliation.
type AppointmentListParams = gen.ListAppointmentsParams

// Confirm turns a hold into a booked appointment. Pass the hold's
// AppointmentID (not its ID) and its HoldToken.
//
// The returned appointment's ID may differ from holdAppointmentID: store
// the returned ID, and use it for every later call about this appointment.
//
// Confirm carries an idempotency key, reused by every retry, so a retry
// never books twice. If the error is Ambiguous (the network failed after
// the request may have reached the server), call Confirm again with
// WithIdempotencyKey(err.IdempotencyKey): you get the original appointment,
// never a second one.
func (s *AppointmentService) Confirm(ctx context.Context, holdAppointmentID, holdToken string, params *ConfirmParams, opts ...CallOption) (*Appointment, error) {
	if err := checkID("appointment_id", holdAppointmentID); err != nil {
		return nil, s.c.refuse(ctx, opConfirmAppointment(nil), opts, err)
	}
	if err := checkConfirm(holdToken, params); err != nil {
		return nil, s.c.refuse(ctx, opConfirmAppointment(nil), opts, err)
	}
	// Built once, before the first attempt, from params as checked above:
	// no copy of the body, which would cost an allocation per call.
	op := opConfirmAppointment(func(server, key string) (*http.Request, error) {
		return gen.NewConfirmAppointmentRequest(server, holdAppointmentID,
			&gen.ConfirmAppointmentParams{IdempotencyKey: &key, XAppointmentHoldToken: holdToken}, *params)
	})
	a, _, err := get[Appointment](ctx, s.c, op, opts)
	return a, err
}

// Get returns an appointment with its embedded patient.
func (s *AppointmentService) Get(ctx context.Context, appointmentID string, opts ...CallOption) (*Appointment, error) {
	if err := checkID("appointment_id", appointmentID); err != nil {
		return nil, s.c.refuse(ctx, opGetAppointment(nil), opts, err)
	}
	op := opGetAppointment(func(server string) (*http.Request, error) {
		return gen.NewGetAppointmentRequest(server, appointmentID)
	})
	a, _, err := get[Appointment](ctx, s.c, op, opts)
	return a, err
}

// List returns one page of appointments, newest confirmation first.
func (s *AppointmentService) List(ctx context.Context, params *AppointmentListParams, opts ...CallOption) (*Page[Appointment], error) {
	op := opListAppointments(func(server string) (*http.Request, error) {
		return gen.NewListAppointmentsRequest(server, params)
	})
	page, _, err := get[Page[Appointment]](ctx, s.c, op, opts)
	return page, err
}

// All iterates over every appointment matching params, fetching pages as
// needed.
func (s *AppointmentService) All(ctx context.Context, params *AppointmentListParams, opts ...CallOption) iter.Seq2[Appointment, error] {
	return paginate(ctx, deref(params), func(p *AppointmentListParams) cursors { return cursors{&p.StartingAfter, &p.EndingBefore} },
		func(ctx context.Context, p *AppointmentListParams) (*Page[Appointment], error) {
			return s.List(ctx, p, opts...)
		},
		func(a Appointment) string { return a.ID })
}

// Cancel cancels an appointment and frees its slot.
//
// If an attempt failed in a way that leaves its outcome unknown and a retry
// then meets "already cancelled", the SDK reads the appointment back: if it
// is cancelled, the earlier attempt took effect and Cancel succeeds.
func (s *AppointmentService) Cancel(ctx context.Context, appointmentID string, opts ...CallOption) (*Appointment, error) {
	if err := checkID("appointment_id", appointmentID); err != nil {
		return nil, s.c.refuse(ctx, opCancelAppointment(nil), opts, err)
	}
	op := opCancelAppointment(func(server, key string) (*http.Request, error) {
		return gen.NewCancelAppointmentRequest(server, appointmentID, &gen.CancelAppointmentParams{IdempotencyKey: &key})
	})
	a, res, err := get[Appointment](ctx, s.c, op, opts)
	if err != nil && res.reached && errors.Is(err, ErrAlreadyCancelled) {
		if got, gerr := s.Get(ctx, appointmentID, readBackOptions(opts)...); gerr == nil && got.Status == AppointmentStatusCancelled {
			return got, nil
		}
	}
	return a, err
}

// Reschedule moves an appointment to another free slot of the same type
// and practitioner, under the patient self-service policy: one reschedule
// per appointment, the new start within 48 hours of the original start,
// and not within 24 hours of the current start. errors.Is(err,
// ErrRescheduleRefused) covers the three refusals.
//
// If an attempt failed in a way that leaves its outcome unknown and a retry
// then meets "already rescheduled", the SDK reads the appointment and the
// slot back: if the appointment now starts at that slot, the earlier
// attempt took effect and Reschedule succeeds.
func (s *AppointmentService) Reschedule(ctx context.Context, appointmentID string, params *RescheduleParams, opts ...CallOption) (*Appointment, error) {
	if err := checkID("appointment_id", appointmentID); err != nil {
		return nil, s.c.refuse(ctx, opRescheduleAppointment(nil), opts, err)
	}
	if err := checkReschedule(params); err != nil {
		return nil, s.c.refuse(ctx, opRescheduleAppointment(nil), opts, err)
	}
	// Built once, before the first attempt, from params as checked above.
	op := opRescheduleAppointment(func(server, key string) (*http.Request, error) {
		return gen.NewRescheduleAppointmentRequest(server, appointmentID, &gen.RescheduleAppointmentParams{IdempotencyKey: &key}, *params)
	})
	a, res, err := get[Appointment](ctx, s.c, op, opts)
	var apiErr *Error
	if err != nil && res.reached && errors.As(err, &apiErr) && apiErr.Code == ErrorCodeRescheduleLimitReached {
		if got, ok := s.rescheduledTo(ctx, appointmentID, params.SlotID, opts); ok {
			return got, nil
		}
	}
	return a, err
}

// rescheduledTo reports whether the appointment was rescheduled to slotID.
func (s *AppointmentService) rescheduledTo(ctx context.Context, appointmentID, slotID string, opts []CallOption) (*Appointment, bool) {
	opts = readBackOptions(opts)
	got, err := s.Get(ctx, appointmentID, opts...)
	if err != nil || got.RescheduleCount == 0 {
		return nil, false
	}
	v, err := s.c.Slots.Validate(ctx, &SlotValidateParams{SlotID: slotID}, opts...)
	if err != nil || v.Slot == nil {
		return nil, false
	}
	slot := v.Slot
	if got.Start.Equal(slot.Start) && got.PractitionerID == slot.PractitionerID && got.AppointmentTypeID == slot.AppointmentTypeID {
		return got, true
	}
	return nil, false
}

// readBackOptions are the call's options for the reads that check an
// ambiguous write: the same settings, but without the write's idempotency
// key (a read-back is a different request) and its response capture.
func readBackOptions(opts []CallOption) []CallOption {
	return append(append([]CallOption(nil), opts...), callOnly(func(c *requestConfig) error {
		c.idempotencyKey = ""
		c.responseInfo, c.responseBody = nil, nil
		return nil
	}))
}
