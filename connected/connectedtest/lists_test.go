package connectedtest

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCatalogueListsPaginate(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	all := c.Get("/connected/appointment_types")
	require.Equal(t, http.StatusOK, all.Status)
	assert.Equal(t, "list", all.Str("object"))
	assert.Equal(t, "/v1/connected/appointment_types", all.Str("url"))
	assert.Equal(t, false, all.Get("has_more"))
	ids := all.IDs()
	require.Len(t, ids, 4)
	assert.True(t, slices.IsSorted(ids), "ordered by id")
	for _, d := range all.Data() {
		assert.Equal(t, "appointment_type", d["object"])
		assert.Greater(t, d["price_in_cents"], 0.0)
	}

	p1 := c.Get("/connected/appointment_types?limit=2")
	assert.Equal(t, ids[:2], p1.IDs())
	assert.Equal(t, true, p1.Get("has_more"))
	p2 := c.Get("/connected/appointment_types?limit=2&starting_after=" + ids[1])
	assert.Equal(t, ids[2:], p2.IDs())
	assert.Equal(t, false, p2.Get("has_more"))
	back := c.Get("/connected/appointment_types?limit=2&ending_before=" + ids[3])
	assert.Equal(t, ids[1:3], back.IDs())
	assert.Equal(t, true, back.Get("has_more"))

	pr := c.Get("/connected/practitioners")
	require.Len(t, pr.IDs(), 3)
	assert.True(t, slices.IsSorted(pr.IDs()))
	assert.Equal(t, "/v1/connected/practitioners", pr.Str("url"))

	for _, tc := range []struct{ query, param string }{
		{"limit=0", "limit"},
		{"limit=101", "limit"},
		{"starting_after=aptype_nope", "starting_after"},
		{"ending_before=aptype_nope", "ending_before"},
		{"starting_after=" + ids[0] + "&ending_before=" + ids[2], "ending_before"},
	} {
		r := c.Get("/connected/appointment_types?" + tc.query)
		require.Equal(t, http.StatusBadRequest, r.Status, tc.query)
		code, param := r.ErrCode(t)
		assert.Equal(t, "parameter_invalid", code, tc.query)
		assert.Equal(t, tc.param, param, tc.query)
	}
	assert.Len(t, c.Get("/connected/appointment_types?limit=100").IDs(), 4)
}

func TestSlotsListFiltersAndOrder(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	r := c.Get("/connected/slots?limit=100")
	require.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, "/v1/connected/slots", r.Str("url"))
	assert.Equal(t, true, r.Get("has_more"))
	data := r.Data()
	require.Len(t, data, 100)
	key := func(d map[string]any) string {
		return d["start"].(string) + "|" + d["practitioner_id"].(string) + "|" + d["appointment_type_id"].(string)
	}
	assert.True(t, slices.IsSortedFunc(data, func(a, b map[string]any) int {
		if key(a) < key(b) {
			return -1
		}
		return 1
	}), "start, practitioner, type")
	first, _ := time.Parse(time.RFC3339, data[0]["start"].(string))
	assert.False(t, first.Before(s.Now()), "no past slots")
	// Monday 09:00 London = 09:00 UTC in winter.
	assert.Equal(t, "2026-11-23T09:00:00Z", data[0]["start"])

	for _, d := range c.Get("/connected/slots?limit=100&appointment_type_id=aptype_mh50").Data() {
		assert.Equal(t, "aptype_mh50", d["appointment_type_id"])
		assert.Equal(t, "prac_chen", d["practitioner_id"])
	}
	for _, d := range c.Get("/connected/slots?limit=100&practitioner_id=prac_baker").Data() {
		assert.Equal(t, "prac_baker", d["practitioner_id"])
	}

	// Paging follows the order, and a page boundary is stable.
	p1 := c.Get("/connected/slots?limit=5")
	p2 := c.Get("/connected/slots?limit=5&starting_after=" + p1.IDs()[4])
	assert.Equal(t, r.IDs()[5:10], p2.IDs())
	b := c.Get("/connected/slots?limit=5&ending_before=" + p2.IDs()[0])
	assert.Equal(t, p1.IDs(), b.IDs())

	// Time range.
	day := c.Get("/connected/slots?limit=100&start_gte=2026-11-24T00:00:00Z&start_lt=2026-11-24T09:00:00Z")
	require.Equal(t, http.StatusOK, day.Status)
	require.NotEmpty(t, day.Data())
	for _, d := range day.Data() {
		st, _ := time.Parse(time.RFC3339, d["start"].(string))
		assert.True(t, !st.Before(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)) && st.Before(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)))
	}
	wide := c.Get("/connected/slots?start_gte=2026-11-24T00:00:00Z&start_lt=2026-12-26T00:00:00Z")
	require.Equal(t, http.StatusBadRequest, wide.Status)
	code, param := wide.ErrCode(t)
	assert.Equal(t, "parameter_invalid", code)
	assert.Equal(t, "start_lt", param)
	assert.Equal(t, http.StatusBadRequest, c.Get("/connected/slots?limit=0").Status)

	// Default range: 14 days from now; the horizon is 28 days.
	last := c.Get("/connected/slots?limit=1&ending_before=slot_aptype_gp15.prac_ahmed." + itoa(s.Now().Add(30*24*time.Hour).Unix()))
	require.Equal(t, http.StatusOK, last.Status)
	lastStart, _ := time.Parse(time.RFC3339, last.Data()[0]["start"].(string))
	assert.True(t, lastStart.Before(s.Now().Add(14*24*time.Hour)))
	far := c.Get("/connected/slots?start_gte=" + s.Now().Add(27*24*time.Hour).Format(time.RFC3339) + "&limit=100")
	for _, d := range far.Data() {
		st, _ := time.Parse(time.RFC3339, d["start"].(string))
		assert.True(t, st.Before(s.Now().Add(28*24*time.Hour)))
	}
}

func TestSlotsAreUTCAcrossDaylightSaving(t *testing.T) {
	// 2026-03-30 is the Monday after the UK moved to BST: 09:00 London is 08:00 UTC.
	s := newTestServer(t, WithStartTime(time.Date(2026, 3, 30, 6, 0, 0, 0, time.UTC)))
	c := newClient(t, s, s.APIKey())
	assert.Equal(t, "2026-03-30T08:00:00Z", c.FirstSlot("practitioner_id=prac_ahmed")["start"])
}

func TestAppointmentsListOrderAndFilters(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	var ids []string
	for i, ref := range []string{"case-a", "case-b", "case-a"} {
		h := c.Hold(c.FirstSlot("appointment_type_id=aptype_gp15")["id"].(string), nil)
		r := c.Confirm(h, map[string]any{"patient": patient("p@example.com"), "external_payment_reference": "pi_" + itoa(int64(i)), "partner_reference": ref})
		require.Equal(t, http.StatusOK, r.Status, "%s", r.Raw)
		ids = append(ids, r.Str("id"))
		s.Advance(time.Minute)
	}
	l := c.Get("/connected/appointments")
	require.Equal(t, http.StatusOK, l.Status)
	assert.Equal(t, []string{ids[2], ids[1], ids[0]}, l.IDs(), "newest confirmation first")
	assert.Equal(t, "/v1/connected/appointments", l.Str("url"))
	assert.Equal(t, []string{ids[2], ids[0]}, c.Get("/connected/appointments?partner_reference=case-a").IDs())
	assert.Equal(t, []string{ids[1]}, c.Get("/connected/appointments?external_payment_reference=pi_1").IDs())
	assert.Empty(t, c.Get("/connected/appointments?partner_reference=none").IDs())
	p := c.Get("/connected/appointments?limit=1&starting_after=" + ids[2])
	assert.Equal(t, []string{ids[1]}, p.IDs())
	assert.Equal(t, true, p.Get("has_more"))
	assert.Equal(t, http.StatusBadRequest, c.Get("/connected/appointments?starting_after=apt_nope").Status)

	var server []string
	for _, a := range s.Appointments(s.APIKey()) {
		server = append(server, a.ID)
	}
	assert.Equal(t, l.IDs(), server)
	assert.Nil(t, s.Appointments("sk_sandbox_unknown"))
}

func TestCredentialsAreIsolated(t *testing.T) {
	s := newTestServer(t)
	a := newClient(t, s, s.APIKey())
	own := DefaultCatalogue()
	own.AppointmentTypes = own.AppointmentTypes[:2]
	own.Practitioners = []Practitioner{own.Practitioners[1]}
	b := newClient(t, s, s.AddCredential(WithCredentialCatalogue(own)))
	assert.Len(t, b.Get("/connected/appointment_types").IDs(), 2)
	assert.Equal(t, []string{"prac_baker"}, b.Get("/connected/practitioners").IDs())

	apt := a.Book("appointment_type_id=aptype_derm20")
	h := a.Hold(a.FirstSlot("")["id"].(string), nil)
	for _, path := range []string{
		"/connected/appointments/" + apt.Str("id"),
		"/connected/appointments/" + apt.Str("id") + "/questionnaire",
		"/connected/patients/" + apt.Str("patient", "id"),
		"/connected/questionnaires/" + apt.Str("questionnaire_id"),
	} {
		r := b.Get(path)
		require.Equal(t, http.StatusNotFound, r.Status, path)
		code, _ := r.ErrCode(t)
		assert.Equal(t, "resource_missing", code)
		assert.NotContains(t, string(r.Raw), "jane@example.com")
	}
	assert.Equal(t, http.StatusNotFound, b.Post("/connected/appointments/"+apt.Str("id")+"/cancel", nil).Status)
	assert.Equal(t, http.StatusNotFound, b.Confirm(h, nil).Status)
	assert.Empty(t, b.Get("/connected/appointments").IDs())
	// The same slot is free in b's own world: catalogues are per credential.
	b.Book("appointment_type_id=aptype_derm20")
}
