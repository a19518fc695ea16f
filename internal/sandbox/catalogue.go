package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dronline/connected-go/connected/connectedtest"
)

// catalogueJSON is a connectedtest.Catalogue as a --catalogue file and
// the control API write it: the API's snake_case, weekdays by
// name and working hours as "HH:MM".
type catalogueJSON struct {
	AccountName      string              `json:"account_name,omitempty"`
	Currency         string              `json:"currency,omitempty"`
	Timezone         string              `json:"timezone,omitempty"`
	Features         map[string]bool     `json:"features,omitempty"`
	AppointmentTypes []appointmentTypeJS `json:"appointment_types"`
	Practitioners    []practitionerJS    `json:"practitioners"`
}

type appointmentTypeJS struct {
	ID                    string            `json:"id"`
	Name                  string            `json:"name"`
	Description           string            `json:"description,omitempty"`
	DurationMinutes       int               `json:"duration_minutes"`
	PriceInCents          int               `json:"price_in_cents"`
	QuestionnaireRequired bool              `json:"questionnaire_required,omitempty"`
	Metadata              map[string]string `json:"metadata,omitempty"`
}

type practitionerJS struct {
	ID                 string            `json:"id"`
	Name               string            `json:"name"`
	Title              string            `json:"title,omitempty"`
	AppointmentTypeIDs []string          `json:"appointment_type_ids"`
	Metadata           map[string]string `json:"metadata,omitempty"`
	WorkingHours       []workingHoursJS  `json:"working_hours"`
}

type workingHoursJS struct {
	Weekday string `json:"weekday"`
	Start   string `json:"start"`
	End     string `json:"end"`
}

// ParseCatalogue reads a catalogue written as JSON in the API's style:
//
//	{"timezone": "Europe/London",
//	 "appointment_types": [{"id": "aptype_gp15", "name": "GP video consultation",
//	   "duration_minutes": 15, "price_in_cents": 3900}],
//	 "practitioners": [{"id": "prac_ahmed", "name": "Dr Sara Ahmed",
//	   "appointment_type_ids": ["aptype_gp15"],
//	   "working_hours": [{"weekday": "monday", "start": "09:00", "end": "17:00"}]}]}
//
// account_name, currency, features, description, questionnaire_required,
// title and metadata are optional. An unknown member, a wrong type or an
// impossible value is an error naming the field, such as
// practitioners[0].working_hours[1].start. What it accepts,
// connectedtest.Server.AddCredential accepts too.
func ParseCatalogue(data []byte) (connectedtest.Catalogue, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f catalogueJSON
	if err := dec.Decode(&f); err != nil {
		return connectedtest.Catalogue{}, decodeError("catalogue", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return connectedtest.Catalogue{}, errors.New("catalogue: unexpected data after the JSON object")
	}
	return f.catalogue()
}

// decodeError names what encoding/json found wrong in a document of
// kind what ("catalogue", "state"): the member and the type it needs, the
// byte where the JSON breaks, or the unknown member.
func decodeError(what string, err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return fmt.Errorf("%s: %s: must be %s, not %s", what, te.Field, jsonKind(te.Type.Kind().String()), te.Value)
	case errors.As(err, &se) && strings.HasPrefix(se.Error(), "unexpected end"):
		return fmt.Errorf("%s: the JSON is cut short", what)
	case errors.As(err, &se):
		return fmt.Errorf("%s: not valid JSON at byte %d: %w", what, se.Offset, se)
	}
	// DisallowUnknownFields' error names the member: json: unknown field "x".
	return fmt.Errorf("%s: %s", what, strings.TrimPrefix(err.Error(), "json: "))
}

func jsonKind(k string) string {
	switch k {
	case "int", "int64", "float64":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice":
		return "an array"
	case "map", "struct":
		return "an object"
	}
	return k
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

func (f catalogueJSON) catalogue() (connectedtest.Catalogue, error) {
	bad := func(field, format string, a ...any) (connectedtest.Catalogue, error) {
		return connectedtest.Catalogue{}, fmt.Errorf("catalogue: %s: "+format, append([]any{field}, a...)...)
	}
	c := connectedtest.Catalogue{AccountName: f.AccountName, Currency: f.Currency, Timezone: f.Timezone, Features: f.Features}
	if c.Timezone != "" {
		if _, err := time.LoadLocation(c.Timezone); err != nil {
			return bad("timezone", "%q is not an IANA timezone", c.Timezone)
		}
	}
	if len(f.AppointmentTypes) == 0 {
		return bad("appointment_types", "at least one is needed")
	}
	if len(f.Practitioners) == 0 {
		return bad("practitioners", "at least one is needed")
	}
	types := map[string]bool{}
	for i, t := range f.AppointmentTypes {
		at := fmt.Sprintf("appointment_types[%d]", i)
		if why := idProblem(t.ID, types); why != "" {
			return bad(at+".id", "%s", why)
		}
		switch {
		case t.Name == "":
			return bad(at+".name", "is required")
		case t.DurationMinutes < 1:
			return bad(at+".duration_minutes", "must be at least 1")
		case t.PriceInCents < 0:
			return bad(at+".price_in_cents", "must not be negative")
		}
		types[t.ID] = true
		c.AppointmentTypes = append(c.AppointmentTypes, connectedtest.AppointmentType(t))
	}
	pracs := map[string]bool{}
	for i, p := range f.Practitioners {
		at := fmt.Sprintf("practitioners[%d]", i)
		if why := idProblem(p.ID, pracs); why != "" {
			return bad(at+".id", "%s", why)
		}
		if p.Name == "" {
			return bad(at+".name", "is required")
		}
		pracs[p.ID] = true
		for j, tid := range p.AppointmentTypeIDs {
			if !types[tid] {
				return bad(fmt.Sprintf("%s.appointment_type_ids[%d]", at, j), "%q is not among appointment_types", tid)
			}
		}
		out := connectedtest.Practitioner{ID: p.ID, Name: p.Name, Title: p.Title, AppointmentTypeIDs: p.AppointmentTypeIDs, Metadata: p.Metadata}
		for j, w := range p.WorkingHours {
			wat := fmt.Sprintf("%s.working_hours[%d]", at, j)
			day, ok := weekdays[strings.ToLower(w.Weekday)]
			if !ok {
				return bad(wat+".weekday", "%q is not a weekday (monday … sunday)", w.Weekday)
			}
			start, ok := clockTime(w.Start)
			if !ok {
				return bad(wat+".start", "%q is not a time of day as HH:MM", w.Start)
			}
			end, ok := clockTime(w.End)
			if !ok || end == 0 {
				// 24:00 is the end of the day; 00:00 cannot end a shift.
				return bad(wat+".end", "%q is not a time of day as HH:MM, 00:01 to 24:00", w.End)
			}
			if end <= start {
				return bad(wat+".end", "%s is not after start %s", w.End, w.Start)
			}
			out.WorkingHours = append(out.WorkingHours, connectedtest.WorkingHours{Weekday: day, Start: start, End: end})
		}
		c.Practitioners = append(c.Practitioners, out)
	}
	return c, nil
}

// clockTime parses "HH:MM" (00:00 to 24:00) as the time after midnight.
func clockTime(s string) (time.Duration, bool) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil {
		return 0, false
	}
	if h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, true
}

// catalogueToJSON is the inverse of ParseCatalogue's conversion.
func catalogueToJSON(c connectedtest.Catalogue) catalogueJSON {
	f := catalogueJSON{AccountName: c.AccountName, Currency: c.Currency, Timezone: c.Timezone, Features: c.Features}
	for _, t := range c.AppointmentTypes {
		f.AppointmentTypes = append(f.AppointmentTypes, appointmentTypeJS(t))
	}
	for _, p := range c.Practitioners {
		pj := practitionerJS{ID: p.ID, Name: p.Name, Title: p.Title, AppointmentTypeIDs: p.AppointmentTypeIDs, Metadata: p.Metadata}
		for _, w := range p.WorkingHours {
			pj.WorkingHours = append(pj.WorkingHours, workingHoursJS{
				Weekday: strings.ToLower(w.Weekday.String()), Start: hhmm(w.Start), End: hhmm(w.End),
			})
		}
		f.Practitioners = append(f.Practitioners, pj)
	}
	return f
}

func hhmm(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// SameCatalogue reports whether c and o describe the same catalogue, as
// ParseCatalogue would read them: a nil map and an empty one are alike.
func SameCatalogue(c, o connectedtest.Catalogue) bool {
	a, errA := json.Marshal(catalogueToJSON(c))
	b, errB := json.Marshal(catalogueToJSON(o))
	return errA == nil && errB == nil && bytes.Equal(a, b)
}

// idProblem says what is wrong with a catalogue item's id, given the ids
// of its kind seen so far, or "". Slot ids join ids with '.', so an id may
// not hold one.
func idProblem(id string, seen map[string]bool) string {
	switch {
	case id == "" || strings.Contains(id, "."):
		return "must be non-empty and without '.'"
	case seen[id]:
		return fmt.Sprintf("%q appears twice", id)
	}
	return ""
}
