package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
	"github.com/dronline/connected-go/internal/contract"
)

type credentialJSON struct {
	Object    string        `json:"object"`
	APIKey    string        `json:"api_key"`
	AccountID string        `json:"account_id"`
	Livemode  bool          `json:"livemode"`
	Catalogue catalogueJSON `json:"catalogue"`
}

func renderCredential(c connectedtest.Credential) credentialJSON {
	return credentialJSON{Object: "sandbox_credential", APIKey: c.APIKey, AccountID: c.AccountID, Livemode: c.Live, Catalogue: catalogueToJSON(c.Catalogue)}
}

func (c *controller) listCredentials(w http.ResponseWriter, r *http.Request) {
	var out []credentialJSON
	for _, cred := range c.srv.Credentials() {
		out = append(out, renderCredential(cred))
	}
	writeJSON(w, http.StatusOK, newList(r.URL.Path, out))
}

func (c *controller) createCredential(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Catalogue json.RawMessage `json:"catalogue"`
	}
	if e := decodeBody(r, &in); e != nil {
		e.write(w)
		return
	}
	var opts []connectedtest.CredentialOption
	if len(in.Catalogue) > 0 && string(in.Catalogue) != "null" {
		cat, err := ParseCatalogue(in.Catalogue)
		if err != nil {
			// "catalogue: practitioners[0].id: …" names the field already.
			field, why, _ := strings.Cut(strings.TrimPrefix(err.Error(), "catalogue: "), ": ")
			errParamInvalid("catalogue."+field, why).write(w)
			return
		}
		opts = append(opts, connectedtest.WithCredentialCatalogue(cat))
	}
	// ParseCatalogue refuses every catalogue AddCredential would panic on.
	key := c.srv.AddCredential(opts...)
	cred, _ := credential(c.srv, key)
	writeJSON(w, http.StatusCreated, renderCredential(cred))
}

// credential describes the credential with this API key, if there is one.
func credential(srv *connectedtest.Server, key string) (connectedtest.Credential, bool) {
	for _, c := range srv.Credentials() {
		if c.APIKey == key {
			return c, true
		}
	}
	return connectedtest.Credential{}, false
}

type stateJSON struct {
	Object       string                      `json:"object"`
	APIKey       string                      `json:"api_key"`
	Now          time.Time                   `json:"now"`
	Holds        []connected.AppointmentHold `json:"holds"`
	Appointments []connected.Appointment     `json:"appointments"`
}

func (c *controller) getState(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("api_key")
	if key == "" {
		errParamMissing("api_key").write(w)
		return
	}
	if _, ok := credential(c.srv, key); !ok {
		// The key is the caller's own secret: not echoed back.
		errNotFound("api_key", "credential", contract.RedactKey(strings.TrimSpace(key))).write(w)
		return
	}
	out := stateJSON{Object: "sandbox_state", APIKey: key, Now: c.srv.Now(), Holds: c.srv.Holds(key), Appointments: c.srv.Appointments(key)}
	for i := range out.Holds {
		out.Holds[i].HoldToken = contract.Redacted
	}
	writeJSON(w, http.StatusOK, out)
}

func (c *controller) reset(w http.ResponseWriter, r *http.Request) {
	// Each flag adds to the reset; without a body it forgets the
	// credentials' state only, as it always has.
	var in struct {
		RewindClock  bool `json:"rewind_clock"`
		ClearFaults  bool `json:"clear_faults"`
		ClearJournal bool `json:"clear_journal"`
	}
	if e := decodeBody(r, &in); e != nil {
		e.write(w)
		return
	}
	c.srv.Reset()
	if in.RewindClock {
		c.clock.mu.Lock()
		c.srv.RewindClock()
		c.clock.mu.Unlock()
	}
	if in.ClearFaults {
		c.srv.ClearFaults()
	}
	if in.ClearJournal {
		c.journal.clear()
		c.srv.ClearRequests()
	}
	writeJSON(w, http.StatusOK, map[string]any{"object": "sandbox_reset", "credentials": len(c.srv.Credentials())})
}
