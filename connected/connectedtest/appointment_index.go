package connectedtest

import (
	"slices"
	"strings"

	"github.com/google/btree"
)

// appointmentIndex keeps a credential's appointments in list order (newest
// confirmation first, ties by id) and by the two references partners
// reconcile with, so that a page of GET /connected/appointments costs the
// same with ten appointments or a million. An appointment's place never
// changes: cancel and reschedule leave confirmed_at and the references
// alone.
type appointmentIndex struct {
	byID         map[string]*appointment
	list         *appointmentSet
	byPartnerRef map[string]*appointmentSet
	byPaymentRef map[string]*appointmentSet
}

// appointmentSet is appointments in list order.
type appointmentSet = btree.BTreeG[*appointment]

// btreeDegree suits sets of a few to a million elements: nodes of up to
// 63 elements, a handful of levels.
const btreeDegree = 32

func newAppointmentSet() *appointmentSet { return btree.NewG(btreeDegree, listsBefore) }

func newAppointmentIndex() *appointmentIndex {
	return &appointmentIndex{
		byID:         map[string]*appointment{},
		list:         newAppointmentSet(),
		byPartnerRef: map[string]*appointmentSet{},
		byPaymentRef: map[string]*appointmentSet{},
	}
}

// listsBefore is the order of GET /connected/appointments.
func listsBefore(a, b *appointment) bool {
	if x := b.confirmedAt.Compare(a.confirmedAt); x != 0 {
		return x < 0
	}
	return strings.Compare(a.id, b.id) < 0
}

func (x *appointmentIndex) add(a *appointment) {
	x.byID[a.id] = a
	x.list.ReplaceOrInsert(a)
	// "" too: ?partner_reference= lists the appointments confirmed without one.
	addTo(x.byPartnerRef, a.partnerRef, a)
	addTo(x.byPaymentRef, a.paymentRef, a)
}

func addTo(m map[string]*appointmentSet, key string, a *appointment) {
	set := m[key]
	if set == nil {
		set = newAppointmentSet()
		m[key] = set
	}
	set.ReplaceOrInsert(a)
}

// all is every appointment in list order (newest confirmation first,
// ties by id). Call with s.mu held.
func (x *appointmentIndex) all() []*appointment {
	out := make([]*appointment, 0, x.list.Len())
	x.list.Ascend(func(a *appointment) bool {
		out = append(out, a)
		return true
	})
	return out
}

// matching is the list filtered by the references that are not nil: the
// index to page through, and the test each of its items must pass (when
// both were given, the shorter index and the other reference).
func (x *appointmentIndex) matching(partnerRef, paymentRef *string) (*appointmentSet, func(*appointment) bool) {
	all := func(*appointment) bool { return true }
	switch {
	case partnerRef != nil && paymentRef != nil:
		byPartner, byPayment := x.byPartnerRef[*partnerRef], x.byPaymentRef[*paymentRef]
		if byPartner == nil || byPayment == nil {
			return nil, all
		}
		if byPartner.Len() <= byPayment.Len() {
			return byPartner, func(a *appointment) bool { return a.paymentRef == *paymentRef }
		}
		return byPayment, func(a *appointment) bool { return a.partnerRef == *partnerRef }
	case partnerRef != nil:
		return x.byPartnerRef[*partnerRef], all
	case paymentRef != nil:
		return x.byPaymentRef[*paymentRef], all
	}
	return x.list, all
}

// page is one page of the list filtered by the references that are not
// nil, and whether more remain in the direction of travel. A cursor must
// name an appointment of the filtered list. The walk starts at the
// cursor, so a page costs the same wherever it is in the list.
func (x *appointmentIndex) page(partnerRef, paymentRef *string, p listParams) ([]*appointment, bool, *apiError) {
	limit, err := p.pageSize()
	if err != nil {
		return nil, false, err
	}
	set, match := x.matching(partnerRef, paymentRef)
	if set == nil {
		set = newAppointmentSet()
	}
	cursor, param := p.cursor()
	var pivot *appointment
	if cursor != nil {
		pivot = x.byID[*cursor]
		if pivot == nil || !set.Has(pivot) || !match(pivot) {
			return nil, false, errParamInvalid(param, "names no object in this list")
		}
	}
	var out []*appointment
	collect := func(a *appointment) bool {
		if a != pivot && match(a) {
			out = append(out, a)
		}
		return len(out) <= limit // one more than a page tells whether more remain
	}
	switch {
	case p.endingBefore != nil:
		set.DescendLessOrEqual(pivot, collect)
	case pivot != nil:
		set.AscendGreaterOrEqual(pivot, collect)
	default:
		set.Ascend(collect)
	}
	more := len(out) > limit
	out = out[:min(len(out), limit)]
	if p.endingBefore != nil {
		slices.Reverse(out)
	}
	return out, more, nil
}
