package connectedtest

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Catalogue is what one credential can book: account settings, appointment
// types and practitioners with their working hours. Slots are not listed
// here: they are generated from the working hours, so a catalogue stays
// small and the slots stay deterministic for a given clock.
type Catalogue struct {
	AccountName string          // the connected.Account's Name (default "Connected sandbox")
	Currency    string          // the Account's Currency, lowercase ISO 4217 (default "gbp")
	Timezone    string          // IANA zone of the working hours (default "UTC"), e.g. "Europe/London"
	Features    map[string]bool // the Account's Features

	AppointmentTypes []AppointmentType
	Practitioners    []Practitioner
}

// AppointmentType is a kind of visit, which a client reads as a
// connected.AppointmentType. IDs must not contain '.' (slot ids are built
// from them).
type AppointmentType struct {
	ID                    string
	Name                  string
	Description           string
	DurationMinutes       int
	PriceInCents          int
	QuestionnaireRequired bool
	Metadata              map[string]string
}

// Practitioner is a clinician offering some appointment types during their
// working hours, which a client reads as a connected.Practitioner. IDs must
// not contain '.'.
type Practitioner struct {
	ID                 string
	Name               string
	Title              string
	AppointmentTypeIDs []string
	Metadata           map[string]string
	WorkingHours       []WorkingHours
}

// WorkingHours is one weekly shift in the catalogue's timezone: on Weekday,
// from Start to End after local midnight (wall-clock, so a shift keeps its
// local hours across daylight-saving changes). Slots of each offered type
// are laid end to end from Start and must finish by End.
type WorkingHours struct {
	Weekday    time.Weekday
	Start, End time.Duration
}

// slotHorizon is how far ahead slots exist.
const slotHorizon = 28 * 24 * time.Hour

// DefaultCatalogue returns the seeded catalogue: four appointment types (two
// with a questionnaire) and three practitioners offering different types,
// in Europe/London, priced in GBP pence.
func DefaultCatalogue() Catalogue {
	weekdays := func(days []time.Weekday, from, to time.Duration) []WorkingHours {
		out := make([]WorkingHours, 0, len(days))
		for _, d := range days {
			out = append(out, WorkingHours{Weekday: d, Start: from, End: to})
		}
		return out
	}
	monFri := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	return Catalogue{
		AccountName: "Connected sandbox",
		Currency:    "gbp",
		Timezone:    "Europe/London",
		Features:    map[string]bool{"questionnaires": true, "reschedule": true},
		AppointmentTypes: []AppointmentType{
			{ID: "aptype_derm20", Name: "Dermatology review", Description: "A 20-minute video review of a skin concern with a dermatologist.", DurationMinutes: 20, PriceInCents: 8500, QuestionnaireRequired: true, Metadata: map[string]string{"category": "specialist"}},
			{ID: "aptype_gp15", Name: "GP video consultation", Description: "A 15-minute video consultation with a GP.", DurationMinutes: 15, PriceInCents: 3900, Metadata: map[string]string{"category": "primary_care"}},
			{ID: "aptype_gp30", Name: "Extended GP consultation", Description: "A 30-minute video consultation with a GP.", DurationMinutes: 30, PriceInCents: 6900, Metadata: map[string]string{"category": "primary_care"}},
			{ID: "aptype_mh50", Name: "Mental health assessment", Description: "A 50-minute assessment with a psychologist.", DurationMinutes: 50, PriceInCents: 12000, QuestionnaireRequired: true, Metadata: map[string]string{"category": "mental_health"}},
		},
		Practitioners: []Practitioner{
			{ID: "prac_ahmed", Name: "Dr Sara Ahmed", Title: "General Practitioner", AppointmentTypeIDs: []string{"aptype_gp15", "aptype_gp30"}, Metadata: map[string]string{"language": "en"},
				WorkingHours: weekdays(monFri, 9*time.Hour, 17*time.Hour)},
			{ID: "prac_baker", Name: "Dr Tom Baker", Title: "Dermatologist", AppointmentTypeIDs: []string{"aptype_derm20"}, Metadata: map[string]string{"language": "en"},
				WorkingHours: weekdays([]time.Weekday{time.Monday, time.Wednesday, time.Friday}, 10*time.Hour, 16*time.Hour)},
			{ID: "prac_chen", Name: "Dr Li Chen", Title: "Clinical Psychologist", AppointmentTypeIDs: []string{"aptype_gp15", "aptype_mh50"}, Metadata: map[string]string{"language": "en"},
				WorkingHours: weekdays([]time.Weekday{time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}, 8*time.Hour, 14*time.Hour)},
		},
	}
}

// clone deep-copies the catalogue so a caller mutating its value after
// NewServer cannot change a running server.
func (c Catalogue) clone() Catalogue {
	out := c
	out.Features = maps.Clone(c.Features)
	out.AppointmentTypes = slices.Clone(c.AppointmentTypes)
	for i := range out.AppointmentTypes {
		out.AppointmentTypes[i].Metadata = maps.Clone(c.AppointmentTypes[i].Metadata)
	}
	out.Practitioners = slices.Clone(c.Practitioners)
	for i := range out.Practitioners {
		p := &out.Practitioners[i]
		p.AppointmentTypeIDs = slices.Clone(p.AppointmentTypeIDs)
		p.Metadata = maps.Clone(p.Metadata)
		p.WorkingHours = slices.Clone(p.WorkingHours)
	}
	return out
}

// catalogue is a Catalogue prepared for lookups: sorted by id, indexed,
// with its timezone loaded.
type catalogue struct {
	Catalogue
	loc   *time.Location
	types map[string]*AppointmentType
	pracs map[string]*Practitioner
}

func compileCatalogue(c Catalogue) (*catalogue, error) {
	c = c.clone()
	if c.Timezone == "" {
		c.Timezone = "UTC"
	}
	if c.Currency == "" {
		c.Currency = "gbp"
	}
	if c.AccountName == "" {
		c.AccountName = "Connected sandbox"
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return nil, fmt.Errorf("connectedtest: catalogue timezone: %w", err)
	}
	slices.SortFunc(c.AppointmentTypes, func(a, b AppointmentType) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(c.Practitioners, func(a, b Practitioner) int { return strings.Compare(a.ID, b.ID) })
	cc := &catalogue{Catalogue: c, loc: loc, types: map[string]*AppointmentType{}, pracs: map[string]*Practitioner{}}
	for i := range cc.AppointmentTypes {
		t := &cc.AppointmentTypes[i]
		if strings.Contains(t.ID, ".") || t.DurationMinutes < 1 {
			return nil, fmt.Errorf("connectedtest: appointment type %q: ids must not contain '.' and durations must be positive", t.ID)
		}
		cc.types[t.ID] = t
	}
	for i := range cc.Practitioners {
		p := &cc.Practitioners[i]
		if strings.Contains(p.ID, ".") {
			return nil, fmt.Errorf("connectedtest: practitioner %q: ids must not contain '.'", p.ID)
		}
		for _, tid := range p.AppointmentTypeIDs {
			if cc.types[tid] == nil {
				return nil, fmt.Errorf("connectedtest: practitioner %q offers unknown type %q", p.ID, tid)
			}
		}
		cc.pracs[p.ID] = p
	}
	return cc, nil
}

// slot is one bookable time: a practitioner, a type and a start.
type slot struct {
	typeID, pracID string
	start, end     time.Time
}

// id is opaque to clients but derived from type, practitioner and start, so
// it is stable across requests and servers.
func (s slot) id() string {
	return "slot_" + s.typeID + "." + s.pracID + "." + strconv.FormatInt(s.start.Unix(), 10)
}

// compare orders slots as GET /slots does: start, practitioner, type.
func (s slot) compare(o slot) int {
	if c := s.start.Compare(o.start); c != 0 {
		return c
	}
	if c := strings.Compare(s.pracID, o.pracID); c != 0 {
		return c
	}
	return strings.Compare(s.typeID, o.typeID)
}

// parseSlotID splits an id into its parts without checking the catalogue.
func parseSlotID(id string) (typeID, pracID string, start time.Time, ok bool) {
	rest, found := strings.CutPrefix(id, "slot_")
	if !found {
		return "", "", time.Time{}, false
	}
	i := strings.LastIndexByte(rest, '.')
	if i < 0 {
		return "", "", time.Time{}, false
	}
	unix, err := strconv.ParseInt(rest[i+1:], 10, 64)
	if err != nil {
		return "", "", time.Time{}, false
	}
	rest = rest[:i]
	j := strings.LastIndexByte(rest, '.')
	if j <= 0 || j == len(rest)-1 {
		return "", "", time.Time{}, false
	}
	return rest[:j], rest[j+1:], time.Unix(unix, 0).UTC(), true
}

// lookupSlot returns the catalogue slot with this id, if the id names one
// on the practitioners' working-hours grid within the horizon.
func (c *catalogue) lookupSlot(id string, now time.Time) (slot, bool) {
	typeID, pracID, start, ok := parseSlotID(id)
	if !ok {
		return slot{}, false
	}
	t, p := c.types[typeID], c.pracs[pracID]
	if t == nil || p == nil || !slices.Contains(p.AppointmentTypeIDs, typeID) {
		return slot{}, false
	}
	if !start.Before(now.Add(slotHorizon)) {
		return slot{}, false
	}
	dur := time.Duration(t.DurationMinutes) * time.Minute
	local := start.In(c.loc)
	for _, wh := range p.WorkingHours {
		if wh.Weekday != local.Weekday() {
			continue
		}
		from, to := shift(local, wh, c.loc)
		if start.Before(from) || start.Add(dur).After(to) || start.Sub(from)%dur != 0 {
			continue
		}
		return slot{typeID: typeID, pracID: pracID, start: start, end: start.Add(dur)}, true
	}
	return slot{}, false
}

// shift returns the UTC bounds of wh on the local day of day.
func shift(day time.Time, wh WorkingHours, loc *time.Location) (from, to time.Time) {
	at := func(d time.Duration) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), int(d/time.Hour), int(d%time.Hour/time.Minute), 0, 0, loc).UTC()
	}
	return at(wh.Start), at(wh.End)
}

// slotsBetween returns every catalogue slot starting in [from, to), sorted,
// whether free or not, of the type and practitioner given (nil: any).
func (c *catalogue) slotsBetween(from, to time.Time, typeID, pracID *string) []slot {
	var out []slot
	if !from.Before(to) {
		return out
	}
	day := from.In(c.loc)
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, c.loc)
	for ; day.Before(to); day = time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, c.loc) {
		for _, p := range c.Practitioners {
			if pracID != nil && p.ID != *pracID {
				continue
			}
			for _, wh := range p.WorkingHours {
				if wh.Weekday != day.Weekday() {
					continue
				}
				sFrom, sTo := shift(day, wh, c.loc)
				for _, tid := range p.AppointmentTypeIDs {
					if typeID != nil && tid != *typeID {
						continue
					}
					dur := time.Duration(c.types[tid].DurationMinutes) * time.Minute
					for st := sFrom; !st.Add(dur).After(sTo); st = st.Add(dur) {
						if !st.Before(from) && st.Before(to) {
							out = append(out, slot{typeID: tid, pracID: p.ID, start: st, end: st.Add(dur)})
						}
					}
				}
			}
		}
	}
	slices.SortFunc(out, slot.compare)
	return out
}
