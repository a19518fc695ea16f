package connected

import (
	"context"
	"iter"
	"net/http"
	"time"

	"github.com/dronline/connected-go/gen"
)

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
func (s *SlotService) All(ctx context.Context, params *SlotListParams, opts ...CallOption) iter.Seq2[Slot, error] {
	var p SlotListParams
	if params != nil {
		p = *params
	}
	return paginate(ctx, p.ListParams, func(ctx context.Context, lp ListParams) (*Page[Slot], error) {
		q := p
		q.ListParams = lp
		return s.List(ctx, &q, opts...)
	}, func(t Slot) string { return t.ID })
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
