package connectedtest

import (
	"slices"

	"github.com/dronline/connected-go/connected"
)

// Credential describes one API key the server accepts.
type Credential struct {
	APIKey    string
	AccountID string // the connected.Account's ID
	Live      bool   // an sk_live_… key (WithLiveKey)
	// Catalogue is the catalogue as it was given (DefaultCatalogue when
	// none was), before the defaults for empty settings are applied.
	Catalogue Catalogue
}

// Credentials describes every credential, the default one (APIKey) first
// and the others in the order they were added.
func (s *Server) Credentials() []Credential {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := s.credentialKeys()
	out := make([]Credential, len(keys))
	for i, k := range keys {
		out[i] = s.creds[k].describe()
	}
	return out
}

// credentialKeys lists the API keys in the order of Credentials. Call
// with s.mu held.
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

func (c *credential) describe() Credential {
	return Credential{APIKey: c.key, AccountID: c.accountID, Live: c.live, Catalogue: c.raw.clone()}
}

// Appointments is the server-side view of a credential's appointments,
// confirmed and cancelled, in list order (newest confirmation first), as a
// connected.Client would read them. It returns nil for an unknown key.
func (s *Server) Appointments(apiKey string) []connected.Appointment {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.creds[apiKey]
	if c == nil {
		return nil
	}
	apts := c.appointments.all()
	out := make([]connected.Appointment, len(apts))
	for i, a := range apts {
		out[i] = c.render(a)
	}
	return out
}

// Holds is the server-side view of a credential's pending holds, those
// that have not expired on the server's clock, soonest to expire first,
// as connected.HoldService.Create returned them. It returns nil for an unknown key.
func (s *Server) Holds(apiKey string) []connected.AppointmentHold {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.creds[apiKey]
	if c == nil {
		return nil
	}
	out := []connected.AppointmentHold{}
	for _, h := range c.holds {
		if h.active(now) {
			out = append(out, h.render())
		}
	}
	slices.SortFunc(out, func(a, b connected.AppointmentHold) int { return a.ExpiresAt.Compare(b.ExpiresAt) })
	return out
}
