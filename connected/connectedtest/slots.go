package connectedtest

import (
	"context"
	"fmt"
	"slices"

	"github.com/dronline/connected-go/gen"
	"github.com/dronline/connected-go/internal/contract"
)

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
	to := from.Add(contract.DefaultSlotRange)
	if p.StartLt != nil {
		to = p.StartLt.UTC()
	}
	if !to.After(from) {
		return nil, errParamInvalid("start_lt", "must be after start_gte")
	}
	if to.Sub(from) > contract.MaxSlotRange {
		return nil, errParamInvalid("start_lt", fmt.Sprintf("the range may span at most %d days", contract.MaxSlotRangeDays))
	}
	c := credentialFrom(ctx)

	// Past slots cannot be held and slots end at the horizon, so clamp the
	// generated range to [now, now+horizon).
	genFrom, genTo := from, to
	if genFrom.Before(now) {
		genFrom = now
	}
	if horizon := now.Add(slotHorizon); genTo.After(horizon) {
		genTo = horizon
	}
	candidates := c.cat.slotsBetween(genFrom, genTo, p.AppointmentTypeID, p.PractitionerID)
	var free []slot
	h.s.mu.Lock()
	for _, sl := range candidates {
		if c.busy.reason(sl, now, nil) == "" {
			free = append(free, sl)
		}
	}
	h.s.mu.Unlock()
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
		reason := c.busy.reason(sl, now, nil)
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
