package connectedtest

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/gen"
)

// The indexes replaced scans. These tests hold them to the scans' answers
// on random states: the scans are kept here as the reference.

// scanReason is availability as it was computed before the busy index:
// every pending hold, then every live appointment, in full.
func scanReason(sl slot, now time.Time, holds []*hold, apts []*appointment, exclude *appointment) gen.SlotValidationReason {
	if sl.start.Before(now) {
		return gen.SlotValidationReasonSlotInPast
	}
	overlaps := func(o slot) bool {
		return o.pracID == sl.pracID && o.start.Before(sl.end) && sl.start.Before(o.end)
	}
	for _, h := range holds {
		if h.active(now) && overlaps(h.slot) {
			return gen.SlotValidationReasonSlotHeld
		}
	}
	for _, a := range apts {
		if a.cancelledAt == nil && a != exclude && overlaps(a.slot) {
			return gen.SlotValidationReasonSlotBooked
		}
	}
	return ""
}

func TestBusyIndexAnswersAsTheScanDid(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	base := time.Date(2030, 1, 7, 8, 0, 0, 0, time.UTC)
	durations := []time.Duration{15 * time.Minute, 20 * time.Minute, 30 * time.Minute, 50 * time.Minute}
	randomSlot := func() slot {
		start := base.Add(time.Duration(rng.IntN(400)) * 5 * time.Minute)
		return slot{pracID: "prac_" + strconv.Itoa(rng.IntN(3)), typeID: "t", start: start, end: start.Add(durations[rng.IntN(len(durations))])}
	}
	x := newBusyIndex()
	var holds []*hold
	var apts []*appointment
	now := base
	for step := range 4000 {
		switch rng.IntN(6) {
		case 0, 1: // a hold, overlapping or not: the index must cope either way
			h := &hold{slot: randomSlot(), expiresAt: now.Add(time.Duration(rng.IntN(20)) * time.Minute)}
			h.busy = x.add(h.slot, h, nil)
			holds = append(holds, h)
		case 2: // an appointment
			a := &appointment{id: strconv.Itoa(step), slot: randomSlot()}
			a.busy = x.add(a.slot, nil, a)
			apts = append(apts, a)
		case 3: // cancel one
			if len(apts) > 0 {
				a := apts[rng.IntN(len(apts))]
				if a.cancelledAt == nil {
					a.cancelledAt = &now
					x.remove(a.slot.pracID, a.busy)
				}
			}
		case 4: // move one
			if len(apts) > 0 {
				a := apts[rng.IntN(len(apts))]
				if a.cancelledAt == nil {
					x.remove(a.slot.pracID, a.busy)
					a.slot = randomSlot()
					a.busy = x.add(a.slot, nil, a)
				}
			}
		case 5:
			now = now.Add(time.Duration(rng.IntN(3)) * time.Minute)
		}
		for range 5 {
			sl := randomSlot()
			var exclude *appointment
			if len(apts) > 0 && rng.IntN(3) == 0 {
				exclude = apts[rng.IntN(len(apts))]
			}
			require.Equal(t, scanReason(sl, now, holds, apts, exclude), x.reason(sl, now, exclude), "step %d: %+v", step, sl)
		}
	}
}

// newestFirst is the documented list order, written here apart from the
// index's: newest confirmation first, ties by id.
func newestFirst(a, b *appointment) int {
	if c := b.confirmedAt.Compare(a.confirmedAt); c != 0 {
		return c
	}
	return strings.Compare(a.id, b.id)
}

// scanPage is GET /connected/appointments as it was before the index: sort
// everything, filter, then find the cursor by a linear search.
func scanPage(all []*appointment, partnerRef, paymentRef *string, p listParams) ([]*appointment, bool, *apiError) {
	sorted := slices.Clone(all)
	slices.SortFunc(sorted, newestFirst)
	var apts []*appointment
	for _, a := range sorted {
		if (partnerRef == nil || a.partnerRef == *partnerRef) && (paymentRef == nil || a.paymentRef == *paymentRef) {
			apts = append(apts, a)
		}
	}
	lo, hi, more, err := paginate(len(apts), p, locateByID(apts, func(a *appointment) string { return a.id }))
	if err != nil {
		return nil, false, err
	}
	return apts[lo:hi], more, nil
}

func TestAppointmentIndexPagesAsTheScanDid(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	x := newAppointmentIndex()
	var all []*appointment
	at := time.Date(2030, 1, 7, 8, 0, 0, 0, time.UTC)
	refs := []string{"", "case-a", "case-b", "case-c"}
	for i := range 1500 {
		if rng.IntN(4) == 0 { // most confirmations share a time, as under a frozen clock
			at = at.Add(time.Second)
		}
		a := &appointment{id: newID("apt_"), confirmedAt: at, partnerRef: refs[rng.IntN(len(refs))], paymentRef: "pi_" + strconv.Itoa(rng.IntN(40))}
		x.add(a)
		all = append(all, a)
		if i%50 != 49 {
			continue
		}
		for range 40 {
			var partner, payment *string
			if rng.IntN(2) == 0 {
				partner = &refs[rng.IntN(len(refs))]
			}
			if rng.IntN(2) == 0 {
				v := "pi_" + strconv.Itoa(rng.IntN(45))
				payment = &v
			}
			limit := 1 + rng.IntN(100)
			p := listParams{limit: &limit}
			cur := all[rng.IntN(len(all))].id
			switch rng.IntN(4) {
			case 1:
				p.startingAfter = &cur
			case 2:
				p.endingBefore = &cur
			case 3:
				bogus := "apt_nope"
				p.startingAfter = &bogus
			}
			wantPage, wantMore, wantErr := scanPage(all, partner, payment, p)
			gotPage, gotMore, gotErr := x.page(partner, payment, p)
			require.Equal(t, wantErr, gotErr)
			require.Equal(t, ids(wantPage), ids(gotPage), "after %d appointments", len(all))
			require.Equal(t, wantMore, gotMore)
		}
	}
	sorted := slices.Clone(all)
	slices.SortFunc(sorted, newestFirst)
	require.Equal(t, ids(sorted), ids(x.all()))
}

func ids(apts []*appointment) string {
	out := make([]string, len(apts))
	for i, a := range apts {
		out[i] = a.id
	}
	return strings.Join(out, ",")
}
