package connectedtest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfirmCreatesAppointmentWithNewID(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	h := c.Hold(c.FirstSlot("appointment_type_id=aptype_gp15")["id"].(string), map[string]any{"metadata": map[string]string{"a": "hold", "b": "hold"}})
	s.Advance(time.Minute)
	r := c.Confirm(h, map[string]any{
		"patient": patient("jane@example.com"), "external_payment_reference": "pi_123", "partner_reference": "case-1",
		"metadata": map[string]string{"b": "confirm"},
	})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Raw)
	id := r.Str("id")
	assert.True(t, strings.HasPrefix(id, "apt_"))
	assert.False(t, strings.HasPrefix(id, "apt_blk_"))
	assert.NotEqual(t, h.Str("appointment_id"), id)
	assert.Equal(t, "confirmed", r.Str("status"))
	assert.Equal(t, "pi_123", r.Str("external_payment_reference"))
	assert.Equal(t, "case-1", r.Str("partner_reference"))
	assert.Equal(t, map[string]any{"a": "hold", "b": "confirm"}, r.Get("metadata"))
	assert.Equal(t, monday().Add(time.Minute).Format(time.RFC3339), r.Str("confirmed_at"))
	assert.Equal(t, h.Str("start"), r.Str("original_start"))
	assert.Equal(t, h.Str("start"), r.Str("start"))
	assert.Nil(t, r.Get("booking_channel_id"))
	assert.Contains(t, string(r.Raw), `"booking_channel_id":null`)
	assert.Nil(t, r.Get("cancelled_at"))
	assert.Nil(t, r.Get("questionnaire_id"), "gp15 needs no questionnaire")
	assert.EqualValues(t, 0, r.Get("reschedule_count"))
	assert.True(t, strings.HasPrefix(r.Str("patient", "id"), "pat_"))
	assert.True(t, strings.HasSuffix(r.Str("start"), "Z"), "UTC on the wire")

	got := c.Get("/connected/appointments/" + id)
	require.Equal(t, http.StatusOK, got.Status)
	assert.Equal(t, r.Raw, got.Raw)
	assert.Equal(t, http.StatusNotFound, c.Get("/connected/appointments/"+h.Str("appointment_id")).Status)

	apts := s.Appointments(s.APIKey())
	require.Len(t, apts, 1)
	assert.Equal(t, id, apts[0].ID)

	// Confirming again (another key or none): hold_already_confirmed.
	again := c.Confirm(h, nil)
	assert.Equal(t, http.StatusConflict, again.Status)
	code, _ := again.ErrCode(t)
	assert.Equal(t, "hold_already_confirmed", code)
	// The appointment's own id is not a hold.
	h2 := &response{Body: map[string]any{"appointment_id": id, "hold_token": h.Str("hold_token")}}
	assert.Equal(t, http.StatusNotFound, c.Confirm(h2, nil).Status)
}

func TestConfirmRefusals(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	h := c.Hold(c.FirstSlot("")["id"].(string), nil)
	path := "/connected/appointments/" + h.Str("appointment_id") + "/confirm"
	good := map[string]any{"patient": patient("jane@example.com"), "external_payment_reference": "pi_1"}
	token := header{K: "X-Appointment-Hold-Token", V: h.Str("hold_token")}

	t.Run("missing token", func(t *testing.T) {
		r := c.Post(path, good)
		require.Equal(t, http.StatusBadRequest, r.Status)
		code, param := r.ErrCode(t)
		assert.Equal(t, "parameter_missing", code)
		assert.Equal(t, "X-Appointment-Hold-Token", param)
	})
	t.Run("wrong token", func(t *testing.T) {
		r := c.Post(path, good, header{K: "X-Appointment-Hold-Token", V: "aht_wrong"})
		require.Equal(t, http.StatusBadRequest, r.Status)
		code, param := r.ErrCode(t)
		assert.Equal(t, "hold_token_invalid", code)
		assert.Equal(t, "X-Appointment-Hold-Token", param)
	})
	t.Run("hold id instead of appointment id", func(t *testing.T) {
		r := c.Post("/connected/appointments/"+h.Str("id")+"/confirm", good, token)
		require.Equal(t, http.StatusNotFound, r.Status)
		code, param := r.ErrCode(t)
		assert.Equal(t, "resource_missing", code)
		assert.Equal(t, "appointment_id", param)
	})
	t.Run("missing payment reference", func(t *testing.T) {
		r := c.Post(path, map[string]any{"patient": patient("jane@example.com")}, token)
		require.Equal(t, http.StatusBadRequest, r.Status)
		code, param := r.ErrCode(t)
		assert.Equal(t, "parameter_missing", code)
		assert.Equal(t, "external_payment_reference", param)
	})
	t.Run("missing patient", func(t *testing.T) {
		r := c.Post(path, map[string]any{"external_payment_reference": "pi_1"}, token)
		require.Equal(t, http.StatusBadRequest, r.Status)
		code, param := r.ErrCode(t)
		assert.Equal(t, "parameter_missing", code)
		assert.Equal(t, "patient", param)
	})
	t.Run("expired", func(t *testing.T) {
		s.Advance(10 * time.Minute)
		r := c.Post(path, good, token)
		require.Equal(t, http.StatusConflict, r.Status)
		code, _ := r.ErrCode(t)
		assert.Equal(t, "hold_expired", code)
	})
	assert.Empty(t, s.Appointments(s.APIKey()))
}

func TestQuestionnaireForTypesThatRequireOne(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	a := c.Book("appointment_type_id=aptype_derm20")
	qid := a.Str("questionnaire_id")
	require.True(t, strings.HasPrefix(qid, "qst_"), "%s", a.Raw)
	q1 := c.Get("/connected/appointments/" + a.Str("id") + "/questionnaire")
	require.Equal(t, http.StatusOK, q1.Status)
	assert.Equal(t, qid, q1.Str("id"))
	assert.Equal(t, a.Str("id"), q1.Str("appointment_id"))
	assert.Equal(t, "pending", q1.Str("status"))
	assert.True(t, strings.HasPrefix(q1.Str("completion_url"), "https://"))
	q2 := c.Get("/connected/questionnaires/" + qid)
	assert.Equal(t, q1.Raw, q2.Raw)

	b := c.Book("appointment_type_id=aptype_gp15")
	r := c.Get("/connected/appointments/" + b.Str("id") + "/questionnaire")
	require.Equal(t, http.StatusNotFound, r.Status)
	code, _ := r.ErrCode(t)
	assert.Equal(t, "questionnaire_not_required", code)
	assert.Equal(t, http.StatusNotFound, c.Get("/connected/questionnaires/qst_nope").Status)
}

func TestPatientsSameEmailSamePatient(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	a := c.Book("appointment_type_id=aptype_gp15")
	p2 := patient("jane@example.com")
	p2["last_name"] = "Smith"
	h := c.Hold(c.FirstSlot("appointment_type_id=aptype_gp30")["id"].(string), nil)
	b := c.Confirm(h, map[string]any{"patient": p2, "external_payment_reference": "pi_2"})
	require.Equal(t, http.StatusOK, b.Status, "%s", b.Raw)
	pid := a.Str("patient", "id")
	assert.Equal(t, pid, b.Str("patient", "id"))
	p := c.Get("/connected/patients/" + pid)
	require.Equal(t, http.StatusOK, p.Status)
	assert.Equal(t, "Smith", p.Str("last_name"))
	assert.Equal(t, http.StatusNotFound, c.Get("/connected/patients/pat_unknown").Status)
}

func TestPatientValidation(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	slotID := c.FirstSlot("")["id"].(string)
	for _, tc := range []struct {
		field, value, code, param string
	}{
		{"date_of_birth", "1986-13-45", "parameter_invalid", "patient[date_of_birth]"},
		{"date_of_birth", "12/04/1986", "parameter_invalid", "patient[date_of_birth]"},
		{"email", "not-an-email", "parameter_invalid", "patient[email]"},
		{"sex", "robot", "parameter_invalid", "patient[sex]"},
		{"first_name", "", "parameter_missing", "patient[first_name]"},
	} {
		p := patient("secret.person@example.com")
		p[tc.field] = tc.value
		r := c.Post("/connected/appointment_holds", map[string]any{"slot_id": slotID, "patient": p})
		require.Equal(t, http.StatusBadRequest, r.Status, "%s=%s: %s", tc.field, tc.value, r.Raw)
		code, param := r.ErrCode(t)
		assert.Equal(t, tc.code, code, tc.field)
		assert.Equal(t, tc.param, param, tc.field)
		if tc.value != "" {
			assert.NotContains(t, string(r.Raw), tc.value, "patient values never come back in errors")
		}
		assert.NotContains(t, string(r.Raw), "secret.person")
	}
}

func TestMetadataRules(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	slotID := c.FirstSlot("")["id"].(string)
	many := map[string]string{}
	for i := range 51 {
		many["k"+itoa(int64(i))] = "v"
	}
	for _, tc := range []struct {
		name  string
		body  map[string]any
		code  string
		param string
	}{
		{"reserved", map[string]any{"metadata": map[string]string{"dronline_x": "1"}}, "metadata_key_reserved", "metadata[dronline_x]"},
		{"reserved on patient", map[string]any{"patient": func() map[string]any {
			p := patient("a@example.com")
			p["metadata"] = map[string]string{"dronline_x": "1"}
			return p
		}()}, "metadata_key_reserved", "patient[metadata][dronline_x]"},
		{"too many keys", map[string]any{"metadata": many}, "parameter_invalid", "metadata"},
		{"key too long", map[string]any{"metadata": map[string]string{strings.Repeat("k", 41): "v"}}, "parameter_invalid", "metadata[" + strings.Repeat("k", 41) + "]"},
		{"value too long", map[string]any{"metadata": map[string]string{"k": strings.Repeat("v", 501)}}, "parameter_invalid", "metadata[k]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.body["slot_id"] = slotID
			r := c.Post("/connected/appointment_holds", tc.body)
			require.Equal(t, http.StatusBadRequest, r.Status, "%s", r.Raw)
			code, param := r.ErrCode(t)
			assert.Equal(t, tc.code, code)
			assert.Equal(t, tc.param, param)
		})
	}
	// At the limits is fine.
	ok := map[string]string{strings.Repeat("k", 40): strings.Repeat("v", 500)}
	c.Hold(slotID, map[string]any{"metadata": ok})
}
