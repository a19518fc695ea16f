package connected

import (
	"context"
	"iter"
	"net/http"
	"time"

	"github.com/dronline/connected-go/gen"
	"github.com/dronline/connected-go/internal/contract"
)

// MaxSlotRange is the longest range of starts one slot query may span
// (StartLt minus StartGte), 31 days. SlotService.All lists a longer one in
// several.
const MaxSlotRange = contract.MaxSlotRange

// SlotService lists free slots and checks whether one can still be held.
type SlotService struct{ c *Client }

// SlotListParams filter the free slots. StartGte defaults to now and
// StartLt to 14 days after StartGte on the server; the range may span at
// most MaxSlotRange. List sends both instants in UTC.
type SlotListParams = gen.ListSlotsParams

// SlotValidateParams name the slot whose hold Validate checks.
type SlotValidateParams = gen.ValidateSlotRequest

// List returns one page of free slots, ordered by start, practitioner and
// appointment type. A held or booked slot is not listed.
func (s *SlotService) List(ctx context.Context, params *SlotListParams, opts ...CallOption) (*Page[Slot], error) {
	p := deref(params)
	p.StartGte, p.StartLt = utc(p.StartGte), utc(p.StartLt)
	op := opListSlots(func(server string) (*http.Request, error) {
		return gen.NewListSlotsRequest(server, &p)
	})
	page, _, err := get[Page[Slot]](ctx, s.c, op, opts)
	return page, err
}

// All iterates over every free slot matching params, fetching pages as
// needed.
//
// A range longer than the API allows in one query (MaxSlotRange) is
// listed in consecutive queries, one after another in time, each of at
// most MaxSlotRange: every slot in the range is yielded once, in order.
// Such a range needs both StartGte and StartLt, and cannot be combined
// with a cursor (StartingAfter or EndingBefore), which names a place in
// one query's list.
func (s *SlotService) All(ctx context.Context, params *SlotListParams, opts ...CallOption) iter.Seq2[Slot, error] {
	p := deref(params)
	one := func(q SlotListParams) iter.Seq2[Slot, error] {
		return paginate(ctx, q, func(q *SlotListParams) cursors { return cursors{&q.StartingAfter, &q.EndingBefore} },
			func(ctx context.Context, q *SlotListParams) (*Page[Slot], error) { return s.List(ctx, q, opts...) },
			func(t Slot) string { return t.ID })
	}
	if p.StartGte == nil || p.StartLt == nil || p.StartLt.Sub(*p.StartGte) <= MaxSlotRange {
		return one(p)
	}
	return func(yield func(Slot, error) bool) {
		if p.StartingAfter != nil || p.EndingBefore != nil {
			yield(Slot{}, invalid("starting_after", "cannot be combined with a range longer than 31 days"))
			return
		}
		// Windows are half-open, [from, to), as the API's range is: a
		// slot starting on a seam belongs to the later window only.
		for from, end := *p.StartGte, *p.StartLt; from.Before(end); from = from.Add(MaxSlotRange) {
			q := p
			to := from.Add(MaxSlotRange)
			if to.After(end) {
				to = end
			}
			q.StartGte, q.StartLt = &from, &to
			for slot, err := range one(q) {
				if !yield(slot, err) || err != nil {
					return
				}
			}
		}
	}
}

// Validate tells whether a hold on the slot would succeed now. It changes
// nothing; a slot that cannot be held is a result (Available false, with a
// Reason), not an error.
func (s *SlotService) Validate(ctx context.Context, params *SlotValidateParams, opts ...CallOption) (*SlotValidation, error) {
	if params == nil {
		return nil, s.c.refuse(ctx, opValidateSlot(nil), opts, missing("slot_id"))
	}
	if err := checkSlotID(params.SlotID); err != nil {
		return nil, s.c.refuse(ctx, opValidateSlot(nil), opts, err)
	}
	// Built once, before the first attempt, from params as checked above.
	op := opValidateSlot(func(server, key string) (*http.Request, error) {
		return gen.NewValidateSlotRequest(server, &gen.ValidateSlotParams{IdempotencyKey: &key}, *params)
	})
	v, _, err := get[SlotValidation](ctx, s.c, op, opts)
	return v, err
}

// utc sends instants in UTC, as the API writes them.
func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
