package connectedtest

import (
	"time"

	"github.com/google/btree"

	"github.com/dronline/connected-go/gen"
)

// busyEntry is one blocked interval of a practitioner: a pending hold or a
// confirmed appointment. A practitioner is busy for the whole [start, end),
// so overlapping slots of other types are taken too. A hold's entry becomes
// its appointment's on confirm; cancelling removes it, rescheduling moves it.
type busyEntry struct {
	start, end time.Time
	seq        uint64       // breaks ties: an expired hold and the next one on its slot
	hold       *hold        // a pending hold: busy while it has not expired
	appt       *appointment // a confirmed appointment
}

// busyIndex is what availability needs, by practitioner and start time, so
// that a hold, a reschedule or a slot check looks at the few intervals
// near the slot instead of every hold and appointment ever made.
type busyIndex struct {
	byPrac map[string]*btree.BTreeG[*busyEntry]
	maxDur time.Duration // the longest interval ever added
	seq    uint64
}

func newBusyIndex() *busyIndex {
	return &busyIndex{byPrac: map[string]*btree.BTreeG[*busyEntry]{}}
}

// startsBefore orders entries by start, then by the order they were added.
func startsBefore(a, b *busyEntry) bool {
	if c := a.start.Compare(b.start); c != 0 {
		return c < 0
	}
	return a.seq < b.seq
}

// add blocks sl for a hold or an appointment and returns the entry.
func (x *busyIndex) add(sl slot, h *hold, a *appointment) *busyEntry {
	x.seq++
	e := &busyEntry{start: sl.start, end: sl.end, seq: x.seq, hold: h, appt: a}
	x.maxDur = max(x.maxDur, sl.end.Sub(sl.start))
	set := x.byPrac[sl.pracID]
	if set == nil {
		set = btree.NewG(btreeDegree, startsBefore)
		x.byPrac[sl.pracID] = set
	}
	set.ReplaceOrInsert(e)
	return e
}

// remove frees the entry's interval.
func (x *busyIndex) remove(pracID string, e *busyEntry) {
	if set := x.byPrac[pracID]; set != nil {
		set.Delete(e)
		if set.Len() == 0 {
			delete(x.byPrac, pracID)
		}
	}
}

// reason says why sl cannot be held now ("" when it can). exclude names an
// appointment whose own interval does not count (a reschedule may overlap
// the time it is moving away from). A hold wins over an appointment when
// both overlap, as it always has.
func (x *busyIndex) reason(sl slot, now time.Time, exclude *appointment) gen.SlotValidationReason {
	if sl.start.Before(now) {
		return gen.SlotValidationReasonSlotInPast
	}
	set := x.byPrac[sl.pracID]
	if set == nil {
		return ""
	}
	// Every entry overlapping [start, end) starts after start-maxDur and
	// before end: a short walk, whatever the practitioner's history.
	var held, booked bool
	set.AscendGreaterOrEqual(&busyEntry{start: sl.start.Add(-x.maxDur)}, func(e *busyEntry) bool {
		if !e.start.Before(sl.end) {
			return false
		}
		if !sl.start.Before(e.end) {
			return true
		}
		switch {
		case e.hold != nil && e.hold.active(now):
			held = true
		case e.appt != nil && e.appt != exclude:
			booked = true
		}
		return !held
	})
	switch {
	case held:
		return gen.SlotValidationReasonSlotHeld
	case booked:
		return gen.SlotValidationReasonSlotBooked
	}
	return ""
}
