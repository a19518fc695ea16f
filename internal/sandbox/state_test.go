package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dronline/connected-go/connected/connectedtest"
)

// saved returns s's state as SaveState writes it.
func saved(t *testing.T, s *connectedtest.Server) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, SaveState(&buf, s))
	return buf.Bytes()
}

// reopen starts a server from the state s saved, on the same frozen clock.
func reopen(t *testing.T, s *connectedtest.Server) *connectedtest.Server {
	t.Helper()
	st, err := ReadState(bytes.NewReader(saved(t, s)))
	require.NoError(t, err)
	return newTestServer(t, WithState(st))
}

// TestStateSurvivesARestart builds a state with something of every kind
// the server keeps, restarts from it and checks that the new server
// answers as the old one would have.
func TestStateSurvivesARestart(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	otherCat := connectedtest.DefaultCatalogue()
	otherCat.AccountName = "Second clinic"
	otherKey := s.AddCredential(connectedtest.WithCredentialCatalogue(otherCat))
	other := newClient(t, s, otherKey)

	// A booking with a questionnaire and a partner reference, confirmed
	// under an idempotency key.
	derm := c.Hold(c.FirstSlot("appointment_type_id=aptype_derm20")["id"].(string), nil)
	booked := c.Confirm(derm, map[string]any{
		"patient": patient("jane@example.com"), "external_payment_reference": "pi_derm", "partner_reference": "order_1",
	}, header{K: "Idempotency-Key", V: "confirm-derm"})
	require.Equal(t, http.StatusOK, booked.Status, "%s", booked.Raw)
	// A cancelled appointment, a rescheduled one, and one held slot.
	start := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	cancelled := c.BookAt(start)
	require.Equal(t, http.StatusOK, c.Post("/connected/appointments/"+cancelled.Str("id")+"/cancel", nil).Status)
	moved := c.BookAt(start.Add(time.Hour))
	require.Equal(t, http.StatusOK, c.Reschedule(moved.Str("id"), start.Add(90*time.Minute), "aptype_gp15", "prac_ahmed").Status)
	pending := c.Hold("slot_aptype_gp15.prac_ahmed."+itoa(start.Add(3*time.Hour).Unix()), map[string]any{
		"metadata": map[string]any{"basket": "b1"},
	})
	otherBooked := other.Book("appointment_type_id=aptype_gp15")
	s.Advance(2 * time.Minute)

	r := reopen(t, s)
	assert.Equal(t, s.APIKey(), r.APIKey(), "the default credential stays the default")
	assert.Equal(t, s.Credentials(), r.Credentials())
	assert.Equal(t, s.Now(), r.Now(), "the clock keeps what was advanced")
	assert.Equal(t, s.Appointments(s.APIKey()), r.Appointments(r.APIKey()))
	assert.Equal(t, s.Appointments(otherKey), r.Appointments(otherKey))
	assert.Equal(t, string(saved(t, s)), string(saved(t, r)), "a restored server saves what it was restored from")

	rc := newClient(t, r, r.APIKey())
	// The idempotency key replays the confirm.
	replay := rc.Confirm(derm, map[string]any{
		"patient": patient("jane@example.com"), "external_payment_reference": "pi_derm", "partner_reference": "order_1",
	}, header{K: "Idempotency-Key", V: "confirm-derm"})
	require.Equal(t, http.StatusOK, replay.Status, "%s", replay.Raw)
	assert.Equal(t, "true", replay.Header.Get("Idempotent-Replayed"))
	assert.Equal(t, booked.Str("id"), replay.Str("id"))
	// Patients, questionnaires and the reference index.
	assert.Equal(t, http.StatusOK, rc.Get("/connected/patients/"+booked.Str("patient", "id")).Status)
	assert.Equal(t, http.StatusOK, rc.Get("/connected/questionnaires/"+booked.Str("questionnaire_id")).Status)
	assert.Equal(t, []string{booked.Str("id")}, rc.Get("/connected/appointments?partner_reference=order_1").IDs())
	// Another credential's ids are still another credential's.
	assert.Equal(t, http.StatusNotFound, rc.Get("/connected/appointments/"+otherBooked.Str("id")).Status)
	// The reschedule was counted: a second is refused.
	code, _ := rc.Reschedule(moved.Str("id"), start.Add(2*time.Hour), "aptype_gp15", "prac_ahmed").ErrCode(t)
	assert.Equal(t, "reschedule_limit_reached", code)
	// Booked and held slots are taken; the cancelled one is free again.
	code, _ = rc.Post("/connected/appointment_holds", map[string]any{"slot_id": pending.Str("slot_id")}).ErrCode(t)
	assert.Equal(t, "slot_unavailable", code, "the pending hold still locks its slot")
	code, _ = rc.Post("/connected/appointment_holds", map[string]any{"slot_id": "slot_aptype_gp15.prac_ahmed." + itoa(start.Add(90*time.Minute).Unix())}).ErrCode(t)
	assert.Equal(t, "slot_unavailable", code, "the rescheduled appointment holds its new slot")
	rc.Hold("slot_aptype_gp15.prac_ahmed."+itoa(start.Unix()), nil)
	// The pending hold confirms with the token issued before the restart…
	again := rc.Confirm(pending, map[string]any{"patient": patient("JANE@example.com"), "external_payment_reference": "pi_2"})
	require.Equal(t, http.StatusOK, again.Status, "%s", again.Raw)
	assert.Equal(t, booked.Str("patient", "id"), again.Str("patient", "id"), "the patient is found by email")
	assert.Equal(t, "b1", again.Str("metadata", "basket"))
	// …and a hold made before the restart expires on time after it.
	late := c.Hold("slot_aptype_gp15.prac_ahmed."+itoa(start.Add(4*time.Hour).Unix()), nil)
	r2 := reopen(t, s)
	r2.Advance(10 * time.Minute)
	code, _ = newClient(t, r2, r2.APIKey()).Confirm(late, nil).ErrCode(t)
	assert.Equal(t, "hold_expired", code)
}

// TestSaveStateIsConsistentUnderWrites saves while holds and confirms run:
// every state saved must read back, which it would not if a save caught a
// confirm halfway (an appointment without its patient, a hold twice).
func TestSaveStateIsConsistentUnderWrites(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	slots := c.Get("/connected/slots?limit=40&appointment_type_id=aptype_gp15").Data()
	var wg sync.WaitGroup
	for i, sl := range slots {
		wg.Go(func() {
			h := c.Hold(sl["id"].(string), nil)
			body := map[string]any{"patient": patient("p" + itoa(int64(i)) + "@example.com"), "external_payment_reference": "pi"}
			assert.Equal(t, http.StatusOK, c.Confirm(h, body).Status)
		})
	}
	states := make(chan []byte, 100)
	wg.Go(func() {
		for range cap(states) {
			states <- saved(t, s)
		}
		close(states)
	})
	wg.Wait()
	for data := range states {
		_, err := ReadState(bytes.NewReader(data))
		require.NoError(t, err)
	}
	st, err := ReadState(bytes.NewReader(saved(t, s)))
	require.NoError(t, err)
	assert.Len(t, newTestServer(t, WithState(st)).Appointments(s.APIKey()), len(slots))
}

func TestChangesCountsWhatASaveMustKeep(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	n := s.Changes()
	c.Get("/connected/account")
	c.Get("/connected/slots")
	assert.Equal(t, n, s.Changes(), "reads change nothing")
	c.Hold(c.FirstSlot("")["id"].(string), nil)
	assert.Equal(t, n+1, s.Changes(), "a hold")
	c.Post("/connected/appointment_holds", map[string]any{})
	assert.Equal(t, n+2, s.Changes(), "a refused write counts too: it cannot be told apart before it runs")
	s.Advance(time.Second)
	assert.Equal(t, n+3, s.Changes(), "Advance")
	s.AddCredential()
	assert.Equal(t, n+4, s.Changes(), "AddCredential")
	s.Reset()
	assert.Equal(t, n+5, s.Changes(), "Reset")
	cs, cc := newControlServer(t)
	n = cs.Changes()
	cc.get("/_sandbox/clock")
	assert.Equal(t, n, cs.Changes(), "the control API's reads change nothing")
	cc.post("/_sandbox/clock/advance", map[string]any{"seconds": 1})
	assert.Equal(t, n+1, cs.Changes(), "the control API's advance")
}

func TestWithStateAndWithCatalogueTogetherPanic(t *testing.T) {
	s := newTestServer(t)
	st, err := ReadState(bytes.NewReader(saved(t, s)))
	require.NoError(t, err)
	assert.PanicsWithValue(t, "connectedtest: WithSnapshot and WithCatalogue both given: the snapshot holds the default credential's catalogue", func() {
		connectedtest.NewServer(WithState(st), connectedtest.WithCatalogue(connectedtest.DefaultCatalogue()))
	})
	assert.Equal(t, connectedtest.DefaultCatalogue().AccountName, st.Catalogue().AccountName)
}

// TestReadStateRefusesWhatItCannotRestore breaks a valid state one way at
// a time: each must be refused with an error naming what is wrong, and
// none may quote the API key.
func TestReadStateRefusesWhatItCannotRestore(t *testing.T) {
	s := newTestServer(t)
	c := newClient(t, s, s.APIKey())
	booked := c.Book("appointment_type_id=aptype_gp15")
	c.Hold(c.FirstSlot("appointment_type_id=aptype_gp30")["id"].(string), nil)
	c.Post("/connected/appointments/"+booked.Str("id")+"/cancel", nil, header{K: "Idempotency-Key", V: "k1"})
	good := saved(t, s)
	_, err := ReadState(bytes.NewReader(good))
	require.NoError(t, err, "the unbroken state")

	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal(good, &m))
		f(m)
		out, err := json.Marshal(m)
		require.NoError(t, err)
		return out
	}
	cred := func(m map[string]any) map[string]any { return m["credentials"].([]any)[0].(map[string]any) }
	first := func(m map[string]any, list string) map[string]any { return cred(m)[list].([]any)[0].(map[string]any) }

	cases := []struct {
		name  string
		input []byte
		want  string
	}{
		{"empty", []byte(" \n"), "state: the file is empty"},
		{"cut short", good[:len(good)/2], "state: the JSON is cut short"},
		{"not JSON", []byte("version: 1\n"), "state: not valid JSON at byte 1"},
		{"another JSON file", []byte(`{"timezone": "UTC"}`), `state: not a sandbox state (its object is "", not "sandbox_state")`},
		{"newer", edit(func(m map[string]any) { m["version"] = 2 }), "state: version 2 was written by a newer version of the sandbox; this one reads version 1"},
		{"version 0", edit(func(m map[string]any) { m["version"] = 0 }), "state: version: must be 1 to 1, not 0"},
		{"unknown member", edit(func(m map[string]any) { cred(m)["favourite"] = true }), `state: unknown field "favourite"`},
		{"wrong type", edit(func(m map[string]any) { m["clock_offset_ns"] = "soon" }), "state: clock_offset_ns: must be a number, not string"},
		{"trailing data", append(bytes.Clone(good), "{}"...), "state: not valid JSON at byte " + itoa(int64(len(good))+1) + ": invalid character '{' after top-level value"},
		{"no credential", edit(func(m map[string]any) { m["credentials"] = []any{} }), "state: credentials: at least one is needed"},
		{"key prefix", edit(func(m map[string]any) { cred(m)["api_key"] = "pk_" + s.APIKey() }), "state: credentials[0].api_key: must start with sk_sandbox_"},
		{"key twice", edit(func(m map[string]any) {
			m["credentials"] = append(m["credentials"].([]any), cred(m))
		}), "state: credentials[1].api_key: the same key appears twice"},
		{"secret", edit(func(m map[string]any) { cred(m)["secret"] = "c2hvcnQ=" }), "state: credentials[0].secret: must be 32 bytes, not 5"},
		{"catalogue", edit(func(m map[string]any) {
			cred(m)["catalogue"].(map[string]any)["timezone"] = "Mars/Olympus"
		}), `state: credentials[0].catalogue.timezone: "Mars/Olympus" is not an IANA timezone`},
		{"practitioner", edit(func(m map[string]any) {
			first(m, "appointments")["slot"].(map[string]any)["practitioner_id"] = "prac_nobody"
		}), `state: credentials[0].appointments[0].slot.practitioner_id: "prac_nobody" is not in the credential's catalogue`},
		{"patient", edit(func(m map[string]any) { first(m, "appointments")["patient_id"] = "pat_gone" }),
			`state: credentials[0].appointments[0].patient_id: "pat_gone" is not a patient of this credential`},
		{"forged hold", edit(func(m map[string]any) {
			id := first(m, "holds")["appointment_id"].(string)
			last := "x"
			if strings.HasSuffix(id, last) {
				last = "y"
			}
			first(m, "holds")["appointment_id"] = id[:len(id)-1] + last
		}), "state: credentials[0].holds[0].appointment_id: not signed by this credential's secret, or not unique"},
		{"hold expiry", edit(func(m map[string]any) { first(m, "holds")["expires_at"] = "2030-01-01T00:00:00Z" }),
			"state: credentials[0].holds[0].expires_at: differs from the expiry its appointment_id carries"},
		{"fingerprint", edit(func(m map[string]any) { first(m, "idempotency_keys")["fingerprint"] = "abc" }),
			"state: credentials[0].idempotency_keys[0].fingerprint: must be 64 hexadecimal digits"},
		{"status", edit(func(m map[string]any) { first(m, "idempotency_keys")["status"] = 42 }),
			"state: credentials[0].idempotency_keys[0].status: must be an HTTP status, not 42"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, err := ReadState(bytes.NewReader(tc.input))
			require.Error(t, err)
			assert.Nil(t, st)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), strings.TrimPrefix(s.APIKey(), sandboxPrefix), "the key stays secret")
		})
	}
}

// FuzzReadState feeds ReadState arbitrary bytes, seeded with a real state.
// It must never panic, and whatever it accepts must restore into a server
// that answers for every appointment, hold and patient, and saves a state
// it reads back: a reference the checks let through dangling would panic
// here.
func FuzzReadState(f *testing.F) {
	s := connectedtest.NewServer(connectedtest.WithStartTime(monday()))
	c := newClient(f, s, s.APIKey())
	for _, typ := range []string{"aptype_derm20", "aptype_gp15"} {
		h := c.Hold(c.FirstSlot("appointment_type_id=" + typ)["id"].(string), map[string]any{"patient": patient(typ + "@example.com")})
		c.Confirm(h, nil, header{K: "Idempotency-Key", V: "k-" + typ})
	}
	c.Hold(c.FirstSlot("appointment_type_id=aptype_gp30")["id"].(string), nil)
	var buf bytes.Buffer
	if err := SaveState(&buf, s); err != nil {
		f.Fatal(err)
	}
	s.Close()
	f.Add(buf.Bytes())
	f.Add([]byte(`{"object":"sandbox_state","version":1,"credentials":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := ReadState(bytes.NewReader(data))
		if err != nil {
			return
		}
		r := connectedtest.NewServer(WithState(st), connectedtest.WithStartTime(monday()), connectedtest.WithRequestRecording(false))
		defer r.Close()
		h := r.Handler()
		for _, cred := range r.Credentials() {
			key := cred.APIKey
			get := func(path string) {
				req := httptest.NewRequest(http.MethodGet, "http://fake.test/v1/connected"+path, nil)
				req.Header.Set("Authorization", "Bearer "+key)
				h.ServeHTTP(httptest.NewRecorder(), req)
			}
			for _, a := range r.Appointments(key) {
				get("/appointments/" + a.ID)
				get("/patients/" + a.Patient.ID)
				get("/appointments/" + a.ID + "/questionnaire")
			}
			get("/appointments?limit=100")
			get("/slots?limit=100")
		}
		var out bytes.Buffer
		if err := SaveState(&out, r); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadState(&out); err != nil {
			t.Fatalf("a restored server saved a state ReadState refuses: %v", err)
		}
	})
}
