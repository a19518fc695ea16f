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
// most 31 days.
type SlotListParams struct {
	ListParams
	// AppointmentTypeID lists only slots of this appointment type.
	AppointmentTypeID *string
	// PractitionerID lists only slots of this practitioner.
	PractitionerID *string
	// StartGte lists only slots starting at or after this instant
	// (default: now). It is sent in UTC.
	StartGte *time.Time
	// StartLt lists only slots starting before this instant (default: 14
	// days after StartGte). It is sent in UTC.
	StartLt *time.Time
}

// List returns one page of free slots, ordered by start, practitioner and
// appointment type. A held or booked slot is not listed.
func (s *SlotService) List(ctx context.Context, params *SlotListParams, opts ...CallOption) (*Page[Slot], error) {
	var p SlotListParams
	if params != nil {
		p = *params
	}
	op := opListSlots(func(server string) (*http.Request, error) {
		return gen.NewListSlotsRequest(server, &gen.ListSlotsParams{
			AppointmentTypeID: p.AppointmentTypeID, PractitionerID: p.PractitionerID,
			StartGte: utc(p.StartGte), StartLt: utc(p.StartLt),
			Limit: p.Limit, StartingAfter: p.StartingAfter, EndingBefore: p.EndingBefore,
		})
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
	var p SlotListParams
	if params != nil {
		p = *params
	}
	one := func(q SlotListParams) iter.Seq2[Slot, error] {
		return paginate(ctx, q.ListParams, func(ctx context.Context, lp ListParams) (*Page[Slot], error) {
			q.ListParams = lp
			return s.List(ctx, &q, opts...)
		}, func(t Slot) string { return t.ID })
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
func (s *SlotService) Validate(ctx context.Context, slotID string, opts ...CallOption) (*SlotValidation, error) {
	if err := checkSlotID(slotID); err != nil {
		return nil, err
	}
	op := opValidateSlot(func(server, key string) (*http.Request, error) {
		return gen.NewValidateSlotRequest(server, &gen.ValidateSlotParams{IdempotencyKey: &key}, gen.ValidateSlotRequest{SlotID: slotID})
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
