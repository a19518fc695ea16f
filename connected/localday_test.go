package connected_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

func mustDate(t *testing.T, s string) connected.Date {
	t.Helper()
	d, err := connected.ParseDate(s)
	require.NoError(t, err)
	return d
}

func mustLocation(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func TestLocalDaysOnDSTDays(t *testing.T) {
	for _, tc := range []struct {
		zone, date string
		days       int
		from, to   string
	}{
		// Clocks go forward at 01:00 UTC: a 23-hour day.
		{"Europe/London", "2027-03-28", 1, "2027-03-28T00:00:00Z", "2027-03-28T23:00:00Z"},
		// Clocks go back at 01:00 UTC: a 25-hour day that starts in BST.
		{"Europe/London", "2027-10-31", 1, "2027-10-30T23:00:00Z", "2027-11-01T00:00:00Z"},
		// The week around the change: 7 × 24 h less one hour.
		{"Europe/London", "2027-03-25", 7, "2027-03-25T00:00:00Z", "2027-03-31T23:00:00Z"},
		// No daylight saving time: every day 24 hours, at UTC+9.
		{"Asia/Tokyo", "2027-03-28", 1, "2027-03-27T15:00:00Z", "2027-03-28T15:00:00Z"},
		{"Asia/Tokyo", "2027-10-31", 2, "2027-10-30T15:00:00Z", "2027-11-01T15:00:00Z"},
		// Clocks went forward at midnight: the day began at 01:00 local.
		{"America/Sao_Paulo", "2018-11-04", 1, "2018-11-04T03:00:00Z", "2018-11-05T02:00:00Z"},
		// Across a month's end.
		{"UTC", "2027-01-31", 2, "2027-01-31T00:00:00Z", "2027-02-02T00:00:00Z"},
	} {
		t.Run(tc.zone+"/"+tc.date, func(t *testing.T) {
			from, to := connected.LocalDays(mustDate(t, tc.date), tc.days, mustLocation(t, tc.zone))
			assert.Equal(t, tc.from, from.Format(time.RFC3339))
			assert.Equal(t, tc.to, to.Format(time.RFC3339))
			assert.Equal(t, time.UTC, from.Location())
		})
	}
	from, to := connected.LocalDays(mustDate(t, "2027-03-28"), 0, time.UTC)
	assert.Equal(t, from, to, "no days, no range")
}

func TestGroupSlotsByLocalDate(t *testing.T) {
	london := mustLocation(t, "Europe/London")
	at := func(s string) connected.Slot {
		st, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err)
		return connected.Slot{ID: s, Start: st}
	}
	// 23:30 UTC on 30 October is 00:30 BST on the 31st; 23:30 UTC on the
	// 31st is 23:30 GMT, still the 31st.
	slots := []connected.Slot{at("2027-10-30T22:30:00Z"), at("2027-10-30T23:30:00Z"), at("2027-10-31T23:30:00Z"), at("2027-11-01T00:00:00Z")}
	days := connected.GroupSlotsByLocalDate(slots, london)
	require.Len(t, days, 3)
	assert.Equal(t, "2027-10-30", days[0].Date.String())
	assert.Equal(t, []connected.Slot{slots[0]}, days[0].Slots)
	assert.Equal(t, "2027-10-31", days[1].Date.String())
	assert.Equal(t, []connected.Slot{slots[1], slots[2]}, days[1].Slots)
	assert.Equal(t, "2027-11-01", days[2].Date.String())

	days = connected.GroupSlotsByLocalDate([]connected.Slot{slots[3], slots[0]}, london)
	assert.Equal(t, "2027-10-30", days[0].Date.String(), "days in date order, whatever the slots' order")
	assert.Empty(t, connected.GroupSlotsByLocalDate(nil, london))
}

// TestSlotsAllSplitsLongRanges lists a range longer than one query may
// span, with a slot starting exactly on the seam of two queries.
func TestSlotsAllSplitsLongRanges(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	gp := connected.Ptr("aptype_gp15")
	seam := e.slot(t, "aptype_gp15", start.Add(21*24*time.Hour)).Start
	from, to := seam.Add(-connected.MaxSlotRange), seam.Add(10*24*time.Hour)

	var got []connected.Slot
	for s, err := range e.c.Slots.All(ctx, &connected.SlotListParams{AppointmentTypeID: gp, StartGte: &from, StartLt: &to, Limit: connected.Ptr(100)}) {
		require.NoError(t, err)
		got = append(got, s)
	}

	// What two queries of at most 31 days each list, by hand.
	var want []connected.Slot
	for _, r := range [][2]time.Time{{from, seam}, {seam, to}} {
		for s, err := range e.c.Slots.All(ctx, &connected.SlotListParams{AppointmentTypeID: gp, StartGte: &r[0], StartLt: &r[1], Limit: connected.Ptr(100)}) {
			require.NoError(t, err)
			want = append(want, s)
		}
	}
	require.Equal(t, want, got)
	seen, onSeam := map[string]bool{}, 0
	for i, s := range got {
		assert.False(t, seen[s.ID], "slot %s listed twice", s.ID)
		seen[s.ID] = true
		if i > 0 {
			assert.False(t, s.Start.Before(got[i-1].Start), "in order")
		}
		if s.Start.Equal(seam) {
			onSeam++
		}
	}
	assert.Positive(t, onSeam, "the slot on the seam is listed")
	assert.Greater(t, len(got), 100, "several pages")

	// The fake, as the API, refuses a query of more than 31 days: no
	// error above means every query was within them.

	cursor := &connected.SlotListParams{StartGte: &from, StartLt: &to, StartingAfter: &got[0].ID}
	for _, err := range e.c.Slots.All(ctx, cursor) {
		require.ErrorIs(t, err, connected.ErrInvalidRequest, "a cursor names a place in one query")
	}
}

// TestFakeWorkingHoursAreLocal books nothing: it reads the fake's slots
// around both of Europe/London's changes of 2027. A practitioner who
// starts at 09:00 starts at 09:00 local on both sides.
func TestFakeWorkingHoursAreLocal(t *testing.T) {
	everyDay := make([]connectedtest.WorkingHours, 7)
	for d := range everyDay {
		everyDay[d] = connectedtest.WorkingHours{Weekday: time.Weekday(d), Start: 9 * time.Hour, End: 17 * time.Hour}
	}
	cat := connectedtest.DefaultCatalogue()
	cat.Practitioners = []connectedtest.Practitioner{{ID: "prac_daily", Name: "Dr Daily", Title: "GP", AppointmentTypeIDs: []string{"aptype_gp30"}, WorkingHours: everyDay}}
	london := mustLocation(t, "Europe/London")

	for _, week := range []string{"2027-03-25", "2027-10-28"} {
		t.Run(week, func(t *testing.T) {
			first := mustDate(t, week)
			srv := connectedtest.NewServer(connectedtest.WithStartTime(first.Add(-24*time.Hour)), connectedtest.WithCatalogue(cat), connectedtest.WithSpecValidation(true))
			defer srv.Close()
			c, err := connected.NewClient(srv.APIKey(), connected.WithBaseURL(srv.URL()))
			require.NoError(t, err)
			defer c.CloseIdleConnections()
			ctx := context.Background()

			loc, err := c.Account.Location(ctx)
			require.NoError(t, err)
			assert.Equal(t, "Europe/London", loc.String())

			from, to := connected.LocalDays(first, 7, loc)
			var slots []connected.Slot
			for s, err := range c.Slots.All(ctx, &connected.SlotListParams{StartGte: &from, StartLt: &to, Limit: connected.Ptr(100)}) {
				require.NoError(t, err)
				slots = append(slots, s)
			}
			days := connected.GroupSlotsByLocalDate(slots, london)
			require.Len(t, days, 7)
			offsets := map[int]bool{}
			for _, d := range days {
				require.Len(t, d.Slots, 16, "09:00 to 17:00 in 30 minutes on %s", d.Date)
				firstStart, lastEnd := d.Slots[0].Start.In(london), d.Slots[15].End.In(london)
				assert.Equal(t, "09:00", firstStart.Format("15:04"), "%s starts at 09:00 local", d.Date)
				assert.Equal(t, "17:00", lastEnd.Format("15:04"), "%s ends at 17:00 local", d.Date)
				_, off := firstStart.Zone()
				offsets[off] = true
			}
			assert.Len(t, offsets, 2, "the week spans a change of offset")
		})
	}
}
