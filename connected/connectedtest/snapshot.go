package connectedtest

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/dronline/connected-go/connected"
)

// Snapshot is a copy of what a Server keeps, taken by Server.Snapshot, for
// starting other servers from with WithSnapshot: a fixture booked once and
// shared by many tests, or a server's state kept across a restart. The
// queued faults and the record of requests are not part of it.
//
// A snapshot holds API keys and the patients registered with them: keep
// it private wherever it is stored.
type Snapshot struct {
	// ClockOffset is how far Advance had moved the clock.
	ClockOffset time.Duration
	// Credentials are in the order of Server.Credentials: the first is the
	// default one.
	Credentials []CredentialSnapshot
}

// CredentialSnapshot is one credential's part of a Snapshot.
type CredentialSnapshot struct {
	Credential
	// Secret signs the AppointmentIDs and hold tokens the credential
	// issues: 32 bytes. A server restored with it confirms the holds made
	// before, expired ones included, as the saved server would have.
	Secret []byte
	// Holds are the holds not yet forgotten (pending ones, and expired
	// ones until the next write), soonest to expire first. A restore
	// ignores their HoldToken and SlotID, which follow from the rest.
	Holds []connected.AppointmentHold
	// ConfirmedHolds are the AppointmentIDs of the holds that were
	// confirmed, sorted, so that confirming one again is refused.
	ConfirmedHolds []string
	// Appointments are in the order of Server.Appointments. A restore
	// reads each one's patient from Patients, by Patient.ID.
	Appointments []connected.Appointment
	// Patients are sorted by ID.
	Patients []connected.Patient
	// IdempotencyKeys are the keys whose request has been answered, in
	// the order they were first used.
	IdempotencyKeys []IdempotencyKey
}

// IdempotencyKey is what the server keeps for an Idempotency-Key: the
// request it was first used with and the response a repetition replays.
type IdempotencyKey struct {
	Key string
	// Fingerprint identifies the request's method, path and body (a
	// SHA-256 digest): the same key with another request is refused.
	Fingerprint [32]byte
	Created     time.Time // on the server's clock; the key lapses 24 hours later
	Status      int
	Header      http.Header
	Body        []byte
}

// HoldExpiry reports when the hold whose AppointmentID is id expires, and
// whether id was issued by this credential, as its Secret tells.
func (cs *CredentialSnapshot) HoldExpiry(id string) (time.Time, bool) {
	if len(cs.Secret) != len(credential{}.secret) {
		return time.Time{}, false
	}
	cred := &credential{}
	copy(cred.secret[:], cs.Secret)
	return cred.blockerExpiry(id)
}

// Snapshot copies the server's state. It is consistent: a request that
// changes the state is in it entirely or not at all, and an idempotency
// key whose first request is still running is left out, as if that
// request had not come.
func (s *Server) Snapshot() *Snapshot {
	_, offset := s.clock.read()
	snap := &Snapshot{ClockOffset: offset}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, key := range s.credentialKeys() {
		snap.Credentials = append(snap.Credentials, s.creds[key].snapshot())
	}
	return snap
}

// snapshot copies c. Call with s.mu held.
func (c *credential) snapshot() CredentialSnapshot {
	out := CredentialSnapshot{
		Credential:     c.describe(),
		Secret:         bytes.Clone(c.secret[:]),
		Holds:          []connected.AppointmentHold{},
		ConfirmedHolds: slices.Sorted(maps.Keys(c.confirmedHolds)),
		Appointments:   []connected.Appointment{},
		Patients:       []connected.Patient{},
	}
	for _, h := range c.holds {
		out.Holds = append(out.Holds, h.render())
	}
	slices.SortFunc(out.Holds, func(a, b connected.AppointmentHold) int { return a.ExpiresAt.Compare(b.ExpiresAt) })
	for _, a := range c.appointments.all() {
		out.Appointments = append(out.Appointments, c.render(a))
	}
	for _, id := range slices.Sorted(maps.Keys(c.patients)) {
		out.Patients = append(out.Patients, c.patientView(id))
	}
	for _, e := range c.idem {
		if e.done {
			out.IdempotencyKeys = append(out.IdempotencyKeys, IdempotencyKey{
				Key: e.key, Fingerprint: e.fingerprint, Created: e.createdAt,
				Status: e.status, Header: e.header.Clone(), Body: bytes.Clone(e.body),
			})
		}
	}
	slices.SortFunc(out.IdempotencyKeys, func(a, b IdempotencyKey) int { return a.Created.Compare(b.Created) })
	return out
}

// WithSnapshot starts the server from snap instead of a new default
// credential: its credentials, the first one the default (APIKey), with
// their holds, appointments, patients and idempotency keys; hold ids and
// tokens issued before still confirm. The clock is advanced by
// snap.ClockOffset. WithCatalogue is not needed: the snapshot holds every
// credential's catalogue, and the two together panic. So does a snapshot
// whose parts do not fit together, such as an appointment whose patient
// or practitioner it lacks.
func WithSnapshot(snap *Snapshot) Option {
	return Option{func(c *config) { c.snapshot = snap }}
}

// restore makes the server's credentials and clock offset those of snap.
// Call from NewServer only.
func (s *Server) restore(snap *Snapshot) {
	if len(snap.Credentials) == 0 {
		panic("connectedtest: WithSnapshot: the snapshot has no credential")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range snap.Credentials {
		c, err := snap.Credentials[i].restore()
		if err != nil {
			panic(fmt.Sprintf("connectedtest: WithSnapshot: Credentials[%d]: %v", i, err))
		}
		if s.creds[c.key] != nil {
			panic(fmt.Sprintf("connectedtest: WithSnapshot: Credentials[%d]: the API key appears twice", i))
		}
		s.addCredentialLocked(c)
	}
	s.apiKey = snap.Credentials[0].APIKey
	s.clock.advance(snap.ClockOffset)
}

// restore rebuilds a credential and its indexes, refusing the references
// that would dangle.
func (cs *CredentialSnapshot) restore() (*credential, error) {
	cat, err := compileCatalogue(cs.Catalogue)
	if err != nil {
		return nil, err
	}
	if len(cs.Secret) != len(credential{}.secret) {
		return nil, fmt.Errorf("the Secret has %d bytes, not 32", len(cs.Secret))
	}
	c := &credential{key: cs.APIKey, accountID: cs.AccountID, live: cs.Live, raw: cs.Catalogue.clone(), cat: cat}
	c.forget()
	copy(c.secret[:], cs.Secret)
	for _, p := range cs.Patients {
		p.Metadata = orEmpty(maps.Clone(p.Metadata))
		c.patients[p.ID] = &p
		c.patientByEmail[strings.ToLower(p.Email)] = p.ID
	}
	known := func(typeID, pracID string) bool { return cat.types[typeID] != nil && cat.pracs[pracID] != nil }
	for _, a := range cs.Appointments {
		if !known(a.AppointmentTypeID, a.PractitionerID) || c.patients[a.Patient.ID] == nil {
			return nil, fmt.Errorf("appointment %s: its type, practitioner or patient is not the credential's", a.ID)
		}
		apt := &appointment{
			id: a.ID, slot: slot{typeID: a.AppointmentTypeID, pracID: a.PractitionerID, start: a.Start.UTC(), end: a.End.UTC()},
			originalStart: a.OriginalStart, confirmedAt: a.ConfirmedAt, cancelledAt: a.CancelledAt, rescheduledAt: a.RescheduledAt,
			rescheduleCount: a.RescheduleCount, patientID: a.Patient.ID, metadata: orEmpty(maps.Clone(a.Metadata)),
			partnerRef: deref(a.PartnerReference), paymentRef: a.ExternalPaymentReference, questionnaireID: deref(a.QuestionnaireID),
		}
		if apt.cancelledAt == nil {
			apt.busy = c.busy.add(apt.slot, nil, apt)
		}
		if apt.questionnaireID != "" {
			c.questionnaires[apt.questionnaireID] = apt.id
		}
		c.appointments.add(apt)
	}
	for _, id := range cs.ConfirmedHolds {
		c.confirmedHolds[id] = struct{}{}
	}
	holds := slices.Clone(cs.Holds)
	slices.SortStableFunc(holds, func(a, b connected.AppointmentHold) int { return a.ExpiresAt.Compare(b.ExpiresAt) })
	for _, h := range holds {
		patientID := deref(h.PatientID)
		if !known(h.AppointmentTypeID, h.PractitionerID) || (patientID != "" && c.patients[patientID] == nil) {
			return nil, fmt.Errorf("hold %s: its type, practitioner or patient is not the credential's", h.ID)
		}
		hd := &hold{
			id: h.ID, blockerID: h.AppointmentID, token: c.holdToken(h.AppointmentID),
			slot:      slot{typeID: h.AppointmentTypeID, pracID: h.PractitionerID, start: h.Start.UTC(), end: h.End.UTC()},
			createdAt: h.CreatedAt, expiresAt: h.ExpiresAt, patientID: patientID, metadata: orEmpty(maps.Clone(h.Metadata)),
		}
		hd.busy = c.busy.add(hd.slot, hd, nil)
		c.holds[hd.blockerID] = hd
		c.holdExpiry.push(hd)
	}
	keys := slices.Clone(cs.IdempotencyKeys)
	slices.SortStableFunc(keys, func(a, b IdempotencyKey) int { return a.Created.Compare(b.Created) })
	for _, k := range keys {
		e := &idemEntry{key: k.Key, fingerprint: k.Fingerprint, createdAt: k.Created, done: true,
			status: k.Status, header: k.Header.Clone(), body: bytes.Clone(k.Body)}
		if e.header == nil {
			e.header = http.Header{}
		}
		c.idem[e.key] = e
		c.idemExpiry.push(e)
	}
	return c, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
