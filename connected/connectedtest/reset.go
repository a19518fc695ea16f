package connectedtest

import (
	"crypto/rand"

	"github.com/dronline/connected-go/gen"
)

// Reset forgets every credential's holds, appointments, patients and
// idempotency keys; the API keys and their catalogues stay, as do the
// clock, the queued faults and the record of requests. Hold ids and
// tokens issued before it no longer confirm.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.creds {
		c.forget()
	}
	s.changes.Add(1)
}

// RewindClock undoes every Advance: the clock reads again what it would
// had Advance never been called. Call it after Reset, so that no hold,
// appointment or idempotency key is dated after the new now.
func (s *Server) RewindClock() {
	s.clock.advance(-s.ClockOffset())
	s.changes.Add(1)
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
