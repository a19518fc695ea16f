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
	all := c.get("/connected/appointment_types")
	require.Equal(t, http.StatusOK, all.status)
	assert.Equal(t, "list", all.str("object"))
	assert.Equal(t, "/v1/connected/appointment_types", all.str("url"))
	assert.Equal(t, false, all.get("has_more"))
	ids := all.ids()
	require.Len(t, ids, 4)
	assert.True(t, slices.IsSorted(ids), "ordered by id")
	for _, d := range all.data() {
		assert.Equal(t, "appointment_type", d["object"])
		assert.Greater(t, d["price_in_cents"], 0.0)
	}

	p1 := c.get("/connected/appointment_types?limit=2")
	assert.Equal(t, ids[:2], p1.ids())
	assert.Equal(t, true, p1.get("has_more"))
	p2 := c.get("/connected/appointment_types?limit=2&starting_after=" + ids[1])
	assert.Equal(t, ids[2:], p2.ids())
	assert.Equal(t, false, p2.get("has_more"))
	back := c.get("/connected/appointment_types?limit=2&ending_before=" + ids[3])
	assert.Equal(t, ids[1:3], back.ids())
	assert.Equal(t, true, back.get("has_more"))

	pr := c.get("/connected/practitioners")
	require.Len(t, pr.ids(), 3)
	assert.True(t, slices.IsSorted(pr.ids()))
	assert.Equal(t, "/v1/connected/practitioners", pr.str("url"))

	for _, tc := range []struct{ query, param string }{
		{"limit=0", "limit"},
		{"limit=101", "limit"},
		{"starting_after=aptype_nope", "starting_after"},
		{"ending_before=aptype_nope", "ending_before"},
		{"starting_after=" + ids[0] + "&ending_before=" + ids[2], "ending_before"},
	} {
		r := c.get("/connected/appointment_types?" + tc.query)
		require.Equal(t, http.StatusBadRequest, r.status, tc.query)
		code, param := r.errCode(t)
		assert.Equal(t, "parameter_invalid", code, tc.query)
		assert.Equal(t, tc.param, param, tc.query)
	}
	assert.Len(t, c.get("/connected/appointment_types?limit=100").ids(), 4)
}

func TestSlotsListFiltersAndOrder(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	r := c.get("/connected/slots?limit=100")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "/v1/connected/slots", r.str("url"))
	assert.Equal(t, true, r.get("has_more"))
	data := r.data()
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

	for _, d := range c.get("/connected/slots?limit=100&appointment_type_id=aptype_mh50").data() {
		assert.Equal(t, "aptype_mh50", d["appointment_type_id"])
		assert.Equal(t, "prac_chen", d["practitioner_id"])
	}
	for _, d := range c.get("/connected/slots?limit=100&practitioner_id=prac_baker").data() {
		assert.Equal(t, "prac_baker", d["practitioner_id"])
	}

	// Paging follows the order, and a page boundary is stable.
	p1 := c.get("/connected/slots?limit=5")
	p2 := c.get("/connected/slots?limit=5&starting_after=" + p1.ids()[4])
	assert.Equal(t, r.ids()[5:10], p2.ids())
	b := c.get("/connected/slots?limit=5&ending_before=" + p2.ids()[0])
	assert.Equal(t, p1.ids(), b.ids())

	// Time range.
	day := c.get("/connected/slots?limit=100&start_gte=2026-11-24T00:00:00Z&start_lt=2026-11-24T09:00:00Z")
	require.Equal(t, http.StatusOK, day.status)
	require.NotEmpty(t, day.data())
	for _, d := range day.data() {
		st, _ := time.Parse(time.RFC3339, d["start"].(string))
		assert.True(t, !st.Before(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)) && st.Before(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)))
	}
	wide := c.get("/connected/slots?start_gte=2026-11-24T00:00:00Z&start_lt=2026-12-26T00:00:00Z")
	require.Equal(t, http.StatusBadRequest, wide.status)
	code, param := wide.errCode(t)
	assert.Equal(t, "parameter_invalid", code)
	assert.Equal(t, "start_lt", param)
	assert.Equal(t, http.StatusBadRequest, c.get("/connected/slots?limit=0").status)

	// Default range: 14 days from now; the horizon is 28 days.
	last := c.get("/connected/slots?limit=1&ending_before=slot_aptype_gp15.prac_ahmed." + itoa(s.Now().Add(30*24*time.Hour).Unix()))
	require.Equal(t, http.StatusOK, last.status)
	lastStart, _ := time.Parse(time.RFC3339, last.data()[0]["start"].(string))
	assert.True(t, lastStart.Before(s.Now().Add(14*24*time.Hour)))
	far := c.get("/connected/slots?start_gte=" + s.Now().Add(27*24*time.Hour).Format(time.RFC3339) + "&limit=100")
	for _, d := range far.data() {
		st, _ := time.Parse(time.RFC3339, d["start"].(string))
		assert.True(t, st.Before(s.Now().Add(28*24*time.Hour)))
	}
}

func TestSlotsAreUTCAcrossDaylightSaving(t *testing.T) {
	// 2026-03-30 is the Monday after the UK moved to BST: 09:00 London is 08:00 UTC.
	s := newTestServer(t, WithStartTime(time.Date(2026, 3, 30, 6, 0, 0, 0, time.UTC)))
	c := newClient(t, s, s.APIKey())
	assert.Equal(t, "2026-03-30T08:00:00Z", c.firstSlot("practitioner_id=prac_ahmed")["start"])
}

func TestAppointmentsListOrderAndFilters(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	var ids []string
	for i, ref := range []string{"case-a", "case-b", "case-a"} {
		h := c.hold(c.firstSlot("appointment_type_id=aptype_gp15")["id"].(string), nil)
		r := c.confirm(h, map[string]any{"patient": patient("p@example.com"), "external_payment_reference": "pi_" + itoa(int64(i)), "partner_reference": ref})
		require.Equal(t, http.StatusOK, r.status, "%s", r.raw)
		ids = append(ids, r.str("id"))
		s.Advance(time.Minute)
	}
	l := c.get("/connected/appointments")
	require.Equal(t, http.StatusOK, l.status)
	assert.Equal(t, []string{ids[2], ids[1], ids[0]}, l.ids(), "newest confirmation first")
	assert.Equal(t, "/v1/connected/appointments", l.str("url"))
	assert.Equal(t, []string{ids[2], ids[0]}, c.get("/connected/appointments?partner_reference=case-a").ids())
	assert.Equal(t, []string{ids[1]}, c.get("/connected/appointments?external_payment_reference=pi_1").ids())
	assert.Empty(t, c.get("/connected/appointments?partner_reference=none").ids())
	p := c.get("/connected/appointments?limit=1&starting_after=" + ids[2])
	assert.Equal(t, []string{ids[1]}, p.ids())
	assert.Equal(t, true, p.get("has_more"))
	assert.Equal(t, http.StatusBadRequest, c.get("/connected/appointments?starting_after=apt_nope").status)

	var server []string
	for _, a := range s.Appointments(s.APIKey()) {
		server = append(server, a.ID)
	}
	assert.Equal(t, l.ids(), server)
	assert.Nil(t, s.Appointments("sk_sandbox_unknown"))
}

func TestCredentialsAreIsolated(t *testing.T) {
	s := newTestServer(t)
	a := newClient(t, s, s.APIKey())
	own := DefaultCatalogue()
	own.AppointmentTypes = own.AppointmentTypes[:2]
	own.Practitioners = []Practitioner{own.Practitioners[1]}
	b := newClient(t, s, s.AddCredential(WithCredentialCatalogue(own)))
	assert.Len(t, b.get("/connected/appointment_types").ids(), 2)
	assert.Equal(t, []string{"prac_baker"}, b.get("/connected/practitioners").ids())

	apt := a.book("appointment_type_id=aptype_derm20")
	h := a.hold(a.firstSlot("")["id"].(string), nil)
	for _, path := range []string{
		"/connected/appointments/" + apt.str("id"),
		"/connected/appointments/" + apt.str("id") + "/questionnaire",
		"/connected/patients/" + apt.str("patient", "id"),
		"/connected/questionnaires/" + apt.str("questionnaire_id"),
	} {
		r := b.get(path)
		require.Equal(t, http.StatusNotFound, r.status, path)
		code, _ := r.errCode(t)
		assert.Equal(t, "resource_missing", code)
		assert.NotContains(t, string(r.raw), "jane@example.com")
	}
	assert.Equal(t, http.StatusNotFound, b.post("/connected/appointments/"+apt.str("id")+"/cancel", nil).status)
	assert.Equal(t, http.StatusNotFound, b.confirm(h, nil).status)
	assert.Empty(t, b.get("/connected/appointments").ids())
	// The same slot is free in b's own world: catalogues are per credential.
	b.book("appointment_type_id=aptype_derm20")
}
