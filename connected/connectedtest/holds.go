package connectedtest

import (
	"context"
	"maps"
	"time"

	"github.com/dronline/connected-go/gen"
	"github.com/dronline/connected-go/internal/contract"
)

// hold is a short-lived lock on a slot. Its blockerID (the response's
// appointment_id) is what confirm takes; its own id is only a name. The
// credential keeps a hold only while it is pending: confirming turns it
// into an appointment, and once it has expired it is forgotten (see
// holdid.go for how a confirm of it is still answered).
type hold struct {
	id, blockerID, token string
	slot                 slot
	createdAt, expiresAt time.Time
	patientID            string // "" when none was sent
	metadata             map[string]string
	busy                 *busyEntry
}

// active reports whether the hold still locks its slot.
func (h *hold) active(now time.Time) bool { return now.Before(h.expiresAt) }

func (h *hold) render() gen.AppointmentHold {
	out := gen.AppointmentHold{
		ID: h.id, Object: gen.AppointmentHoldObjectAppointmentHold, AppointmentID: h.blockerID,
		AppointmentTypeID: h.slot.typeID, CreatedAt: h.createdAt, End: h.slot.end, ExpiresAt: h.expiresAt,
		HoldToken: h.token, Metadata: orEmpty(maps.Clone(h.metadata)), PractitionerID: h.slot.pracID,
		SlotID: h.slot.id(), Start: h.slot.start,
	}
	out.PatientID = orNull(h.patientID)
	return out
}

func (h *handlers) CreateAppointmentHold(ctx context.Context, req gen.CreateAppointmentHoldRequestObject) (gen.CreateAppointmentHoldResponseObject, error) {
	b := req.Body
	if err := refusal(contract.CheckHold(b)); err != nil {
		return nil, err
	}
	c := credentialFrom(ctx)
	now := h.s.now()
	sl, ok := c.cat.lookupSlot(b.SlotID, now)
	if !ok {
		return nil, errNotFound("slot_id", "slot", b.SlotID)
	}

	// Check and lock under one critical section: of many concurrent holds
	// on a slot exactly one wins.
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	c.compact(now)
	if b.Patient != nil && !c.patientMetadataFits(b.Patient) {
		return nil, tooManyMerged("patient[metadata]", "the patient would have", contract.PatientInputMetadataMaxProperties)
	}
	if reason := c.busy.reason(sl, now, nil); reason != "" {
		return nil, errConflict(gen.ErrorCodeSlotUnavailable, "slot_id", "The slot is no longer available ("+string(reason)+").")
	}
	hd := c.addHold(sl, now, h.s.holdTTL, b.Metadata)
	if b.Patient != nil {
		hd.patientID = c.upsertPatient(b.Patient)
	}
	return gen.CreateAppointmentHold200JSONResponse{
		Headers: gen.CreateAppointmentHold200ResponseHeaders{XRequestID: requestID(ctx)},
		Body:    hd.render(),
	}, nil
}

// addHold locks sl until now+ttl. Call with s.mu held, after checking
// that sl is free.
func (c *credential) addHold(sl slot, now time.Time, ttl time.Duration, metadata map[string]string) *hold {
	expires := now.Add(ttl)
	blockerID := c.newBlockerID(expires)
	hd := &hold{
		id: newID("hold_"), blockerID: blockerID, token: c.holdToken(blockerID),
		slot: sl, createdAt: now, expiresAt: expires, metadata: map[string]string{},
	}
	maps.Copy(hd.metadata, metadata)
	hd.busy = c.busy.add(sl, hd, nil)
	c.holds[blockerID] = hd
	c.holdExpiry.push(hd)
	return hd
}
