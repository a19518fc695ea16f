package connectedtest

import "strings"

// appointmentIndex keeps a credential's appointments in list order (newest
// confirmation first, ties by id) and by the two references partners
// reconcile with, so that a page of GET /connected/appointments costs the
// same with ten appointments or a million. An appointment's place never
// changes: cancel and reschedule leave confirmed_at and the references
// alone.
type appointmentIndex struct {
	byID         map[string]*appointment
	list         *ordered[*appointment]
	byPartnerRef map[string]*ordered[*appointment]
	byPaymentRef map[string]*ordered[*appointment]
}

func newAppointmentIndex() *appointmentIndex {
	return &appointmentIndex{
		byID:         map[string]*appointment{},
		list:         newOrdered(listOrder),
		byPartnerRef: map[string]*ordered[*appointment]{},
		byPaymentRef: map[string]*ordered[*appointment]{},
	}
}

// listOrder is the order of GET /connected/appointments.
func listOrder(a, b *appointment) int {
	if x := b.confirmedAt.Compare(a.confirmedAt); x != 0 {
		return x
	}
	return strings.Compare(a.id, b.id)
}

func (x *appointmentIndex) add(a *appointment) {
	x.byID[a.id] = a
	x.list.insert(a)
	// "" too: ?partner_reference= lists the appointments confirmed without one.
	addTo(x.byPartnerRef, a.partnerRef, a)
	addTo(x.byPaymentRef, a.paymentRef, a)
}

func addTo(m map[string]*ordered[*appointment], key string, a *appointment) {
	set := m[key]
	if set == nil {
		set = newOrdered(listOrder)
		m[key] = set
	}
	set.insert(a)
}

// matching is the list filtered by the references that are not nil: the
// index to page through, and, when both were given, the test the other
// reference puts to each of its items (nil when every item matches).
func (x *appointmentIndex) matching(partnerRef, paymentRef *string) (*ordered[*appointment], func(*appointment) bool) {
	switch {
	case partnerRef != nil && paymentRef != nil:
		byPartner, byPayment := x.byPartnerRef[*partnerRef], x.byPaymentRef[*paymentRef]
		if byPartner == nil || byPayment == nil {
			return nil, nil
		}
		// Walk the shorter of the two and test the other reference.
		if byPartner.Len() <= byPayment.Len() {
			return byPartner, func(a *appointment) bool { return a.paymentRef == *paymentRef }
		}
		return byPayment, func(a *appointment) bool { return a.partnerRef == *partnerRef }
	case partnerRef != nil:
		return x.byPartnerRef[*partnerRef], nil
	case paymentRef != nil:
		return x.byPaymentRef[*paymentRef], nil
	}
	return x.list, nil
}

// page is one page of the list filtered by the references that are not
// nil, and whether more remain in the direction of travel. A cursor must
// name an appointment of the filtered list.
func (x *appointmentIndex) page(partnerRef, paymentRef *string, p listParams) ([]*appointment, bool, *apiError) {
	set, test := x.matching(partnerRef, paymentRef)
	if set == nil {
		set = newOrdered(listOrder)
	}
	if test != nil {
		// Both references: the items of the shorter index that match the
		// other, listed in full (a reference rarely names many).
		var items []*appointment
		set.ascend(cursor{}, func(a *appointment) bool {
			if test(a) {
				items = append(items, a)
			}
			return true
		})
		lo, hi, more, err := paginate(len(items), p, locateByID(items, func(a *appointment) string { return a.id }))
		if err != nil {
			return nil, false, err
		}
		return items[lo:hi], more, nil
	}
	locate := func(id string) (int, int, bool) {
		a := x.byID[id]
		if a == nil {
			return 0, 0, false
		}
		at := set.seek(a)
		if got, ok := set.at(at); !ok || got != a { // not in this filtered list
			return 0, 0, false
		}
		i := set.index(at)
		return i, i + 1, true
	}
	lo, hi, more, err := paginate(set.Len(), p, locate)
	if err != nil {
		return nil, false, err
	}
	return set.slice(lo, hi), more, nil
}
