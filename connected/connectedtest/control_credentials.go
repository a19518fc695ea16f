package connectedtest

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/dronline/connected-go/gen"
)

type credentialJSON struct {
	Object    string        `json:"object"`
	APIKey    string        `json:"api_key"`
	AccountID string        `json:"account_id"`
	Livemode  bool          `json:"livemode"`
	Catalogue catalogueJSON `json:"catalogue"`
}

func renderCredential(c *credential) credentialJSON {
	return credentialJSON{Object: "sandbox_credential", APIKey: c.key, AccountID: c.accountID, Livemode: c.live, Catalogue: catalogueToJSON(c.raw)}
}

// Credentials returns the API keys of every credential, the default one
// first and the others in the order they were added.
func (s *Server) Credentials() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.credentialKeys()
}

// credentialKeys is Credentials with s.mu held.
func (s *Server) credentialKeys() []string {
	keys := make([]string, 0, len(s.creds))
	for k := range s.creds {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		return s.creds[a].seq - s.creds[b].seq
	})
	return keys
}

func (s *Server) listCredentials(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	var out []credentialJSON
	for _, k := range s.credentialKeys() {
		out = append(out, renderCredential(s.creds[k]))
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, newList(r.URL.Path, out))
}

func (s *Server) createCredential(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Catalogue json.RawMessage `json:"catalogue"`
	}
	if e := decodeControlBody(r, &in); e != nil {
		e.write(w)
		return
	}
	var opts []CredentialOption
	if len(in.Catalogue) > 0 && string(in.Catalogue) != "null" {
		cat, err := ParseCatalogue(in.Catalogue)
		if err != nil {
			// "catalogue: practitioners[0].id: …" names the field already.
			field, why, _ := strings.Cut(strings.TrimPrefix(err.Error(), "catalogue: "), ": ")
			errParamInvalid("catalogue."+field, why).write(w)
			return
		}
		opts = append(opts, WithCredentialCatalogue(cat))
	}
	c, err := s.newCredential(opts...)
	if err != nil {
		errParamInvalid("catalogue", err.Error()).write(w)
		return
	}
	s.mu.Lock()
	s.addCredentialLocked(c)
	out := renderCredential(c)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, out)
}

type stateJSON struct {
	Object       string                `json:"object"`
	APIKey       string                `json:"api_key"`
	Now          time.Time             `json:"now"`
	Holds        []gen.AppointmentHold `json:"holds"`
	Appointments []gen.Appointment     `json:"appointments"`
}

func (s *Server) getState(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("api_key")
	if key == "" {
		errParamMissing("api_key").write(w)
		return
	}
	now := s.now()
	s.mu.Lock()
	c := s.creds[key]
	if c == nil {
		s.mu.Unlock()
		// The key is the caller's own secret: not echoed back.
		errNotFound("api_key", "credential", redactAuthorization("Bearer " + key)[len("Bearer "):]).write(w)
		return
	}
	out := stateJSON{Object: "sandbox_state", APIKey: key, Now: now, Holds: []gen.AppointmentHold{}, Appointments: []gen.Appointment{}}
	for _, h := range c.holds {
		if h.active(now) {
			v := h.render()
			v.HoldToken = "REDACTED"
			out.Holds = append(out.Holds, v)
		}
	}
	slices.SortFunc(out.Holds, func(a, b gen.AppointmentHold) int { return a.ExpiresAt.Compare(b.ExpiresAt) })
	for _, a := range c.sortedAppointments() {
		out.Appointments = append(out.Appointments, c.render(a))
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// Reset forgets every credential's holds, appointments, patients and
// idempotency keys; the API keys and their catalogues stay, as do the
// clock, the queued faults and the record of requests. Hold ids and
// tokens issued before it no longer confirm.
func (s *Server) Reset() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.creds {
		c.forget()
	}
	s.changes.Add(1)
	return len(s.creds)
}

// forget empties c's state; its key, account and catalogue stay. Call
// with s.mu held.
func (c *credential) forget() {
	_, _ = rand.Read(c.secret[:]) // old hold ids and tokens stop verifying
	c.holds = map[string]*hold{}
	c.holdExpiry = fifo[*hold]{}
	c.confirmedHolds = map[string]struct{}{}
	c.busy = newBusyIndex()
	c.appointments = newAppointmentIndex()
	c.patients = map[string]*gen.Patient{}
	c.patientByEmail = map[string]string{}
	c.questionnaires = map[string]string{}
	c.idem = map[string]*idemEntry{}
	c.idemExpiry = fifo[*idemEntry]{}
}

func (s *Server) resetState(w http.ResponseWriter, _ *http.Request) {
	n := s.Reset()
	writeJSON(w, http.StatusOK, map[string]any{"object": "sandbox_reset", "credentials": n})
}
