package connectedtest

import (
	"context"
	"crypto/subtle"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/dronline/connected-go/gen"
)

// Reschedule policy (patient self-service).
const (
	rescheduleCutoff = 24 * time.Hour // no reschedule within this of the current start
	rescheduleWindow = 48 * time.Hour // the new start within this of original_start
	maxReschedules   = 1
)

// appointment is a confirmed (possibly since cancelled) visit.
type appointment struct {
	id              string
	slot            slot // current type, practitioner, start and end
	originalStart   time.Time
	confirmedAt     time.Time
	cancelledAt     *time.Time
	rescheduledAt   *time.Time
	rescheduleCount int
	patientID       string
	metadata        map[string]string
	partnerRef      string // "" when none was sent
	paymentRef      string
	questionnaireID string // "" when the type requires none
}

// orNull is s as a nullable field: nil (null) when s is "".
func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// render builds the API view of a. Call with s.mu held.
func (c *credential) render(a *appointment) gen.Appointment {
	status := gen.AppointmentStatusConfirmed
	if a.cancelledAt != nil {
		status = gen.AppointmentStatusCancelled
	}
	return gen.Appointment{
		ID: a.id, Object: gen.AppointmentObjectAppointment, AppointmentTypeID: a.slot.typeID,
		BookingChannelID: nil, // reserved: always null
		CancelledAt:      a.cancelledAt, ConfirmedAt: a.confirmedAt, End: a.slot.end,
		ExternalPaymentReference: a.paymentRef, Metadata: orEmpty(maps.Clone(a.metadata)),
		OriginalStart: a.originalStart, PartnerReference: orNull(a.partnerRef),
		Patient: c.patientView(a.patientID), PractitionerID: a.slot.pracID,
		QuestionnaireID: orNull(a.questionnaireID), RescheduleCount: a.rescheduleCount,
		RescheduledAt: a.rescheduledAt, Start: a.slot.start, Status: status,
	}
}

// sortedAppointments is the list order: newest confirmation first, ties by
// id. Call with s.mu held.
func (c *credential) sortedAppointments() []*appointment {
	out := slices.Collect(maps.Values(c.appointments))
	slices.SortFunc(out, func(a, b *appointment) int {
		if x := b.confirmedAt.Compare(a.confirmedAt); x != 0 {
			return x
		}
		return strings.Compare(a.id, b.id)
	})
	return out
}

func (h *handlers) ConfirmAppointment(ctx context.Context, req gen.ConfirmAppointmentRequestObject) (gen.ConfirmAppointmentResponseObject, error) {
	token := strings.TrimSpace(req.Params.XAppointmentHoldToken)
	if token == "" {
		return nil, errParamMissing("X-Appointment-Hold-Token")
	}
	b := req.Body
	if b == nil {
		return nil, errParamMissing("patient")
	}
	if err := validatePatient(&b.Patient); err != nil {
		return nil, err
	}
	switch {
	case b.ExternalPaymentReference == "":
		return nil, errParamMissing("external_payment_reference")
	case len(b.ExternalPaymentReference) > 255:
		return nil, errParamInvalid("external_payment_reference", "at most 255 characters")
	case b.PartnerReference != nil && (*b.PartnerReference == "" || len(*b.PartnerReference) > 255):
		return nil, errParamInvalid("partner_reference", "1 to 255 characters")
	}
	if err := validateMetadata("metadata", b.Metadata); err != nil {
		return nil, err
	}

	c := credentialFrom(ctx)
	now := h.s.now()
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	hd := c.holds[req.AppointmentID]
	if hd == nil {
		// Also what a hold's own id (hold_…) or a confirmed appointment's
		// id gets: confirm takes the hold's appointment_id only.
		return nil, errNotFound("appointment_id", "hold", req.AppointmentID)
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(hd.token)) != 1 {
		return nil, invalidRequest(400, gen.ErrorCodeHoldTokenInvalid, "X-Appointment-Hold-Token",
			"The X-Appointment-Hold-Token does not match this hold.")
	}
	if hd.appointmentID != "" {
		return nil, errConflict(gen.ErrorCodeHoldAlreadyConfirmed, "appointment_id",
			"This hold was already confirmed by another request. Retry with the original Idempotency-Key to get the appointment.")
	}
	if !now.Before(hd.expiresAt) {
		return nil, errConflict(gen.ErrorCodeHoldExpired, "appointment_id",
			"The hold expired at "+hd.expiresAt.Format(time.RFC3339)+"; create a new hold.")
	}

	a := &appointment{
		id: newID("apt_"), slot: hd.slot, originalStart: hd.slot.start, confirmedAt: now,
		patientID: c.upsertPatient(&b.Patient), metadata: maps.Clone(hd.metadata),
		paymentRef: b.ExternalPaymentReference,
	}
	if a.metadata == nil {
		a.metadata = map[string]string{}
	}
	maps.Copy(a.metadata, b.Metadata) // confirm's keys win
	if b.PartnerReference != nil {
		a.partnerRef = *b.PartnerReference
	}
	if c.cat.types[a.slot.typeID].QuestionnaireRequired {
		a.questionnaireID = newID("qst_")
		c.questionnaires[a.questionnaireID] = a.id
	}
	c.appointments[a.id] = a
	hd.appointmentID = a.id
	return gen.ConfirmAppointment200JSONResponse{
		Headers: gen.ConfirmAppointment200ResponseHeaders{XRequestID: requestID(ctx)},
		Body:    c.render(a),
	}, nil
}

func (h *handlers) GetAppointment(ctx context.Context, req gen.GetAppointmentRequestObject) (gen.GetAppointmentResponseObject, error) {
	c := credentialFrom(ctx)
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	a, err := c.appointment(req.AppointmentID)
	if err != nil {
		return nil, err
	}
	return gen.GetAppointment200JSONResponse{
		Headers: gen.GetAppointment200ResponseHeaders{XRequestID: requestID(ctx)},
		Body:    c.render(a),
	}, nil
}

func (h *handlers) ListAppointments(ctx context.Context, req gen.ListAppointmentsRequestObject) (gen.ListAppointmentsResponseObject, error) {
	p := req.Params
	c := credentialFrom(ctx)
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	var apts []*appointment
	for _, a := range c.sortedAppointments() {
		if p.PartnerReference != nil && a.partnerRef != *p.PartnerReference {
			continue
		}
		if p.ExternalPaymentReference != nil && a.paymentRef != *p.ExternalPaymentReference {
			continue
		}
		apts = append(apts, a)
	}
	lo, hi, more, err := paginate(len(apts), listParams{p.Limit, p.StartingAfter, p.EndingBefore},
		locateByID(apts, func(a *appointment) string { return a.id }))
	if err != nil {
		return nil, err
	}
	data := make([]gen.Appointment, 0, hi-lo)
	for _, a := range apts[lo:hi] {
		data = append(data, c.render(a))
	}
	return gen.ListAppointments200JSONResponse{
		Headers: gen.ListAppointments200ResponseHeaders{XRequestID: requestID(ctx)},
		Body:    gen.AppointmentList{Object: gen.ListObjectList, URL: listURL("/connected/appointments"), HasMore: more, Data: data},
	}, nil
}

func (h *handlers) CancelAppointment(ctx context.Context, req gen.CancelAppointmentRequestObject) (gen.CancelAppointmentResponseObject, error) {
	c := credentialFrom(ctx)
	now := h.s.now()
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	a, err := c.appointment(req.AppointmentID)
	if err != nil {
		return nil, err
	}
	if a.cancelledAt != nil {
		return nil, errConflict(gen.ErrorCodeAppointmentAlreadyCancelled, "appointment_id", "The appointment is already cancelled.")
	}
	a.cancelledAt = &now // frees the slot: busyIntervals skips cancelled appointments
	return gen.CancelAppointment200JSONResponse{
		Headers: gen.CancelAppointment200ResponseHeaders{XRequestID: requestID(ctx)},
		Body:    c.render(a),
	}, nil
}

func (h *handlers) RescheduleAppointment(ctx context.Context, req gen.RescheduleAppointmentRequestObject) (gen.RescheduleAppointmentResponseObject, error) {
	if req.Body == nil || req.Body.SlotID == "" {
		return nil, errParamMissing("slot_id")
	}
	c := credentialFrom(ctx)
	now := h.s.now()
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	a, err := c.appointment(req.AppointmentID)
	if err != nil {
		return nil, err
	}
	switch {
	case a.cancelledAt != nil:
		return nil, errConflict(gen.ErrorCodeAppointmentAlreadyCancelled, "appointment_id", "The appointment is cancelled.")
	case a.rescheduleCount >= maxReschedules:
		return nil, errConflict(gen.ErrorCodeRescheduleLimitReached, "appointment_id", "The appointment was already rescheduled once.")
	case a.slot.start.Sub(now) < rescheduleCutoff:
		return nil, errConflict(gen.ErrorCodeRescheduleTooLate, "appointment_id", "Reschedules close 24 hours before the appointment's start.")
	}
	sl, ok := c.cat.lookupSlot(req.Body.SlotID, now)
	if !ok {
		return nil, errNotFound("slot_id", "slot", req.Body.SlotID)
	}
	if sl.typeID != a.slot.typeID || sl.pracID != a.slot.pracID {
		return nil, errParamInvalid("slot_id", "the new slot must have the appointment's type and practitioner")
	}
	if d := sl.start.Sub(a.originalStart); d > rescheduleWindow || d < -rescheduleWindow {
		return nil, errConflict(gen.ErrorCodeRescheduleOutsideWindow, "slot_id", "The new start must be within 48 hours of the original start.")
	}
	if sl.start.Equal(a.slot.start) || availability(sl, now, c.busyIntervals(now), a.id) != "" {
		return nil, errConflict(gen.ErrorCodeSlotUnavailable, "slot_id", "The slot is no longer available.")
	}
	a.slot = sl // the old interval is free from now on
	a.rescheduleCount++
	a.rescheduledAt = &now
	return gen.RescheduleAppointment200JSONResponse{
		Headers: gen.RescheduleAppointment200ResponseHeaders{XRequestID: requestID(ctx)},
		Body:    c.render(a),
	}, nil
}

// appointment returns the credential's appointment with this id, or the
// 404 every appointment path answers (another credential's id included).
// The caller holds the server's lock.
func (c *credential) appointment(id string) (*appointment, error) {
	if a := c.appointments[id]; a != nil {
		return a, nil
	}
	return nil, errNotFound("appointment_id", "appointment", id)
}
