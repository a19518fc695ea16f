package connectedtest

import (
	"context"
	"maps"
	"time"

	"github.com/dronline/connected-go/gen"
	"github.com/dronline/connected-go/internal/contract"
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
	questionnaireID string     // "" when the type requires none
	busy            *busyEntry // its interval while it is not cancelled
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

func (h *handlers) ConfirmAppointment(ctx context.Context, req gen.ConfirmAppointmentRequestObject) (gen.ConfirmAppointmentResponseObject, error) {
	// HTTP drops only the spaces and tabs around a header value (net/http
	// has done so already, unless the handler is called directly): what
	// is left, even a no-break space, is a token to check.
	token := contract.Arrives(req.Params.XAppointmentHoldToken)
	if token == "" {
		return nil, errParamMissing(contract.HoldTokenHeader)
	}
	b := req.Body
	if err := refusal(contract.CheckConfirm(b)); err != nil {
		return nil, err
	}

	c := credentialFrom(ctx)
	now := h.s.now()
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	c.compact(now)
	hd, err := c.pendingHold(req.AppointmentID, token, now)
	if err != nil {
		return nil, err
	}
	switch {
	case !c.patientMetadataFits(&b.Patient):
		return nil, tooManyMerged("patient[metadata]", "the patient would have", contract.PatientInputMetadataMaxProperties)
	case !mergedMetadataFits(hd.metadata, b.Metadata, contract.ConfirmAppointmentRequestMetadataMaxProperties):
		return nil, tooManyMerged("metadata", "merged over the hold's,", contract.ConfirmAppointmentRequestMetadataMaxProperties)
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
	c.confirmHold(hd, a)
	return gen.ConfirmAppointment200JSONResponse{
		Headers: gen.ConfirmAppointment200ResponseHeaders{XRequestID: requestID(ctx)},
		Body:    c.render(a),
	}, nil
}

// pendingHold returns the hold confirm may turn into an appointment, or
// the documented refusal, in the order the API checks: no such hold (also
// what a hold's own id, hold_…, or an appointment's id gets: confirm takes
// the hold's appointment_id only), wrong token, already confirmed, expired.
// An expired hold the server has forgotten answers as it did before. Call
// with s.mu held.
func (c *credential) pendingHold(blockerID, token string, now time.Time) (*hold, error) {
	hd := c.holds[blockerID]
	expiresAt, issued := c.blockerExpiry(blockerID)
	if hd == nil && !issued {
		return nil, errNotFound("appointment_id", "hold", blockerID)
	}
	if !c.tokenMatches(blockerID, token) {
		return nil, invalidRequest(400, gen.ErrorCodeHoldTokenInvalid, contract.HoldTokenHeader,
			"The X-Appointment-Hold-Token does not match this hold.")
	}
	if _, done := c.confirmedHolds[blockerID]; done {
		return nil, errConflict(gen.ErrorCodeHoldAlreadyConfirmed, "appointment_id",
			"This hold was already confirmed by another request. Retry with the original Idempotency-Key to get the appointment.")
	}
	if hd == nil || !hd.active(now) {
		// Not pending and never confirmed: it expired (and may have been
		// compacted away since).
		return nil, errConflict(gen.ErrorCodeHoldExpired, "appointment_id",
			"The hold expired at "+expiresAt.Format(time.RFC3339)+"; create a new hold.")
	}
	return hd, nil
}

// confirmHold books hd's slot as a: the hold's interval becomes the
// appointment's. Call with s.mu held, after pendingHold.
func (c *credential) confirmHold(hd *hold, a *appointment) {
	if c.cat.types[a.slot.typeID].QuestionnaireRequired {
		a.questionnaireID = newID("qst_")
		c.questionnaires[a.questionnaireID] = a.id
	}
	delete(c.holds, hd.blockerID)
	c.confirmedHolds[hd.blockerID] = struct{}{}
	a.busy, hd.busy.hold, hd.busy.appt = hd.busy, nil, a
	c.appointments.add(a)
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
	page, more, err := c.appointments.page(p.PartnerReference, p.ExternalPaymentReference, listParams{p.Limit, p.StartingAfter, p.EndingBefore})
	if err != nil {
		return nil, err
	}
	data := make([]gen.Appointment, 0, len(page))
	for _, a := range page {
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
	c.compact(now)
	a, err := c.appointment(req.AppointmentID)
	if err != nil {
		return nil, err
	}
	if a.cancelledAt != nil {
		return nil, errConflict(gen.ErrorCodeAppointmentAlreadyCancelled, "appointment_id", "The appointment is already cancelled.")
	}
	c.cancel(a, now)
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
	c.compact(now)
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
	if sl.start.Equal(a.slot.start) || c.busy.reason(sl, now, a) != "" {
		return nil, errConflict(gen.ErrorCodeSlotUnavailable, "slot_id", "The slot is no longer available.")
	}
	// The old interval is free from now on.
	c.busy.remove(a.slot.pracID, a.busy)
	a.slot = sl
	a.busy = c.busy.add(sl, nil, a)
	a.rescheduleCount++
	a.rescheduledAt = &now
	return gen.RescheduleAppointment200JSONResponse{
		Headers: gen.RescheduleAppointment200ResponseHeaders{XRequestID: requestID(ctx)},
		Body:    c.render(a),
	}, nil
}

// cancel cancels a and frees its slot. Call with s.mu held.
func (c *credential) cancel(a *appointment, now time.Time) {
	a.cancelledAt = &now
	c.busy.remove(a.slot.pracID, a.busy)
	a.busy = nil
}

// appointment returns the credential's appointment with this id, or the
// 404 every appointment path answers (another credential's id included).
// The caller holds the server's lock.
func (c *credential) appointment(id string) (*appointment, error) {
	if a := c.appointments.byID[id]; a != nil {
		return a, nil
	}
	return nil, errNotFound("appointment_id", "appointment", id)
}
