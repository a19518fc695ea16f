package connectedtest

import (
	"context"
	"slices"
	"time"

	"github.com/dronline/connected-go/gen"
)

const (
	defaultSlotRange = 14 * 24 * time.Hour
	maxSlotRange     = 31 * 24 * time.Hour
)

// busy is a practitioner's blocked interval: an active hold or a confirmed
// appointment. A practitioner is busy for the whole [start, end), so
// overlapping slots of other types are taken too.
type busy struct {
	pracID      string
	start, end  time.Time
	reason      gen.SlotValidationReason
	appointment string // the appointment id, for reschedule's self-exclusion
}

// busyIntervals lists the credential's blocked intervals at now.
func (c *credential) busyIntervals(now time.Time) []busy {
	var out []busy
	for _, h := range c.holds {
		if h.active(now) {
			out = append(out, busy{pracID: h.slot.pracID, start: h.slot.start, end: h.slot.end, reason: gen.SlotValidationReasonSlotHeld})
		}
	}
	for _, a := range c.appointments {
		if a.cancelledAt == nil {
			out = append(out, busy{pracID: a.slot.pracID, start: a.slot.start, end: a.slot.end, reason: gen.SlotValidationReasonSlotBooked, appointment: a.id})
		}
	}
	return out
}

// availability says why sl cannot be held now ("" when it can). exclude
// names an appointment whose own interval does not count (a reschedule may
// overlap the time it is moving away from).
func availability(sl slot, now time.Time, blocked []busy, exclude string) gen.SlotValidationReason {
	if sl.start.Before(now) {
		return gen.SlotValidationReasonSlotInPast
	}
	for _, b := range blocked {
		if b.pracID == sl.pracID && b.start.Before(sl.end) && sl.start.Before(b.end) && (exclude == "" || b.appointment != exclude) {
			return b.reason
		}
	}
	return ""
}

func renderSlot(sl slot) gen.Slot {
	return gen.Slot{ID: sl.id(), Object: gen.SlotObjectSlot, AppointmentTypeID: sl.typeID, PractitionerID: sl.pracID, Start: sl.start, End: sl.end}
}

func (h *handlers) ListSlots(ctx context.Context, req gen.ListSlotsRequestObject) (gen.ListSlotsResponseObject, error) {
	p := req.Params
	now := h.s.now()
	from := now
	if p.StartGte != nil {
		from = p.StartGte.UTC()
	}
	to := from.Add(defaultSlotRange)
	if p.StartLt != nil {
		to = p.StartLt.UTC()
	}
	if !to.After(from) {
		return nil, errParamInvalid("start_lt", "must be after start_gte")
	}
	if to.Sub(from) > maxSlotRange {
		return nil, errParamInvalid("start_lt", "the range may span at most 31 days")
	}
	c := credentialFrom(ctx)
	h.s.mu.Lock()
	blocked := c.busyIntervals(now)
	h.s.mu.Unlock()

	// Past slots cannot be held and slots end at the horizon, so clamp the
	// generated range to [now, now+horizon).
	genFrom, genTo := from, to
	if genFrom.Before(now) {
		genFrom = now
	}
	if horizon := now.Add(slotHorizon); genTo.After(horizon) {
		genTo = horizon
	}
	var free []slot
	for _, sl := range c.cat.slotsBetween(genFrom, genTo) {
		if p.AppointmentTypeID != nil && sl.typeID != *p.AppointmentTypeID {
			continue
		}
		if p.PractitionerID != nil && sl.pracID != *p.PractitionerID {
			continue
		}
		if availability(sl, now, blocked, "") == "" {
			free = append(free, sl)
		}
	}
	// A slot cursor need not still be listed (it may have been held since
	// the previous page): any well-formed slot id has a place in the order.
	locate := func(id string) (int, int, bool) {
		typeID, pracID, start, ok := parseSlotID(id)
		if !ok {
			return 0, 0, false
		}
		key := slot{typeID: typeID, pracID: pracID, start: start}
		before, found := slices.BinarySearchFunc(free, key, slot.compare)
		if found {
			return before, before + 1, true
		}
		return before, before, true
	}
	lo, hi, more, err := paginate(len(free), listParams{p.Limit, p.StartingAfter, p.EndingBefore}, locate)
	if err != nil {
		return nil, err
	}
	data := make([]gen.Slot, 0, hi-lo)
	for _, sl := range free[lo:hi] {
		data = append(data, renderSlot(sl))
	}
	return gen.ListSlots200JSONResponse{
		Headers: gen.ListSlots200ResponseHeaders{XRequestID: requestID(ctx)},
		Body:    gen.SlotList{Object: gen.ListObjectList, URL: listURL("/connected/slots"), HasMore: more, Data: data},
	}, nil
}

func (h *handlers) ValidateSlot(ctx context.Context, req gen.ValidateSlotRequestObject) (gen.ValidateSlotResponseObject, error) {
	if req.Body == nil || req.Body.SlotID == "" {
		return nil, errParamMissing("slot_id")
	}
	c := credentialFrom(ctx)
	now := h.s.now()
	out := gen.SlotValidation{ID: req.Body.SlotID, Object: gen.SlotValidationObjectSlotValidation}
	sl, ok := c.cat.lookupSlot(req.Body.SlotID, now)
	if !ok {
		reason := gen.SlotValidationReasonSlotNotFound
		out.Reason = &reason
	} else {
		h.s.mu.Lock()
		reason := availability(sl, now, c.busyIntervals(now), "")
		h.s.mu.Unlock()
		slot := renderSlot(sl)
		out.Slot = &slot
		if reason == "" {
			out.Available = true
		} else {
			out.Reason = &reason
		}
	}
	return gen.ValidateSlot200JSONResponse{
		Headers: gen.ValidateSlot200ResponseHeaders{XRequestID: requestID(ctx)},
		Body:    out,
	}, nil
}
