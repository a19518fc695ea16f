package connected

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// LocalDays returns the instants, in UTC, of days consecutive calendar
// days in loc, the first being first's year, month and day: slots
// starting at or after from and before to, as SlotListParams' StartGte
// and StartLt take them. A local day is not always 24 hours long: the
// day clocks go forward is shorter, the day they go back longer, and
// LocalDays gives each its own length. days less than 1 is an empty range
// (from equals to).
func LocalDays(first Date, days int, loc *time.Location) (from, to time.Time) {
	y, m, d := first.Date()
	from = startOfDay(y, m, d, loc)
	if days < 1 {
		return from, from
	}
	return from, startOfDay(y, m, d+days, loc)
}

// startOfDay is the first instant, in UTC, of a local calendar day.
// time.Date gives midnight, or, where clocks go forward at midnight and
// there is none that day, an instant of the day before: the day then
// starts when the clocks change, which is when that instant's zone ends.
func startOfDay(y int, m time.Month, d int, loc *time.Location) time.Time {
	y, m, d = time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Date() // d may be past the month's end
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	if _, _, td := t.Date(); td != d {
		if _, end := t.ZoneBounds(); !end.IsZero() {
			t = end
		}
	}
	return t.UTC()
}

// SlotDay is the slots that start on one calendar day, in some location.
type SlotDay struct {
	// Date is the day's date in that location.
	Date Date
	// Slots are the day's slots, in the order they were given.
	Slots []Slot
}

// GroupSlotsByLocalDate groups slots by the calendar date on which they
// start in loc, in date order. Within a day, slots keep the order they
// have in slots (the API's: by start).
func GroupSlotsByLocalDate(slots []Slot, loc *time.Location) []SlotDay {
	var days []SlotDay
	index := map[int]int{} // yyyymmdd to its place in days
	for _, s := range slots {
		y, m, d := s.Start.In(loc).Date()
		key := y*10000 + int(m)*100 + d
		i, ok := index[key]
		if !ok {
			i = len(days)
			index[key] = i
			days = append(days, SlotDay{Date: Date{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}})
		}
		days[i].Slots = append(days[i].Slots, s)
	}
	slices.SortStableFunc(days, func(a, b SlotDay) int { return a.Date.Compare(b.Date.Time) })
	return days
}

// Location returns the account's timezone, the one the catalogue's
// working hours are in, for LocalDays and GroupSlotsByLocalDate. It
// reads the account; the error is an *Error when that fails, or says that
// this program's timezone database does not know the zone (import
// time/tzdata to embed one).
func (s *AccountService) Location(ctx context.Context, opts ...CallOption) (*time.Location, error) {
	a, err := s.Get(ctx, opts...)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(a.Timezone)
	if err != nil {
		return nil, fmt.Errorf("dronline: the account's timezone %q: %w", a.Timezone, err)
	}
	return loc, nil
}
