package connectedtest

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/dronline/connected-go/gen"
)

// stateVersion is the version of the state format SaveState writes and
// the newest ReadState reads. A change that an older reader would
// misread gets a new version; an older reader refuses it.
const stateVersion = 1

// stateObject names a state in its "object" member, so that ReadState can
// tell a state from some other JSON file.
const stateObject = "sandbox_state"

// State is a snapshot of what a Server keeps, read by ReadState and given
// to a new Server with WithState: every credential with its API key,
// catalogue and signing secret, its pending holds, appointments, patients
// and idempotency keys, and how far the clock was advanced. The queued
// faults and the record of requests are not part of it.
//
// A state holds the keys and the patients registered with them: keep the
// file it is written to private (SaveState's caller chooses where).
type State struct {
	f stateFile
}

// Catalogue returns the catalogue of the state's default credential, the
// one a Server started with WithState serves as APIKey.
func (st *State) Catalogue() Catalogue {
	cat, _ := st.f.Credentials[0].Catalogue.catalogue() // checked by ReadState
	return cat
}

// WithState starts the server from st instead of a new default credential:
// its credentials, in the order they were made, the first one the default
// (APIKey), with their holds, appointments, patients and idempotency keys;
// hold ids and tokens issued before still confirm. The clock is advanced
// by what the saved server had advanced. WithCatalogue is not needed: the
// state holds every credential's catalogue, and the two together panic.
func WithState(st *State) Option {
	return Option{func(c *config) { c.state = st }}
}

// stateFile is the JSON form of a State. Times are RFC 3339 with
// nanoseconds; the clock's offset is in nanoseconds, as advanced.
type stateFile struct {
	Object        string            `json:"object"`
	Version       int               `json:"version"`
	SavedAt       time.Time         `json:"saved_at"`
	ClockOffsetNS int64             `json:"clock_offset_ns"`
	Credentials   []credentialState `json:"credentials"`
}

type credentialState struct {
	APIKey         string             `json:"api_key"`
	AccountID      string             `json:"account_id"`
	Livemode       bool               `json:"livemode"`
	Secret         []byte             `json:"secret"` // signs hold ids and tokens
	Catalogue      catalogueJSON      `json:"catalogue"`
	Holds          []holdState        `json:"holds"`
	ConfirmedHolds []string           `json:"confirmed_holds"`
	Appointments   []appointmentState `json:"appointments"`
	Patients       []gen.Patient      `json:"patients"`
	Idempotency    []idempotencyState `json:"idempotency_keys"`
}

type slotState struct {
	AppointmentTypeID string    `json:"appointment_type_id"`
	PractitionerID    string    `json:"practitioner_id"`
	Start             time.Time `json:"start"`
	End               time.Time `json:"end"`
}

type holdState struct {
	ID            string            `json:"id"`
	AppointmentID string            `json:"appointment_id"` // the blocker id confirm takes
	Slot          slotState         `json:"slot"`
	CreatedAt     time.Time         `json:"created_at"`
	ExpiresAt     time.Time         `json:"expires_at"`
	PatientID     string            `json:"patient_id,omitempty"`
	Metadata      map[string]string `json:"metadata"`
}

type appointmentState struct {
	ID               string            `json:"id"`
	Slot             slotState         `json:"slot"`
	OriginalStart    time.Time         `json:"original_start"`
	ConfirmedAt      time.Time         `json:"confirmed_at"`
	CancelledAt      *time.Time        `json:"cancelled_at,omitempty"`
	RescheduledAt    *time.Time        `json:"rescheduled_at,omitempty"`
	RescheduleCount  int               `json:"reschedule_count"`
	PatientID        string            `json:"patient_id"`
	Metadata         map[string]string `json:"metadata"`
	PartnerReference string            `json:"partner_reference,omitempty"`
	PaymentReference string            `json:"external_payment_reference"`
	QuestionnaireID  string            `json:"questionnaire_id,omitempty"`
}

type idempotencyState struct {
	Key         string      `json:"key"`
	Fingerprint string      `json:"fingerprint"` // hex SHA-256 of method, path and body
	CreatedAt   time.Time   `json:"created_at"`
	Status      int         `json:"status"`
	Header      http.Header `json:"header"`
	Body        []byte      `json:"body"`
}

// Changes counts the changes to the server's state since it started:
// every API request other than a GET or a HEAD, and every Advance, Reset
// and new credential. A state saved when Changes read n is current for
// as long as Changes still reads n.
func (s *Server) Changes() uint64 { return s.changes.Load() }

// SaveState writes the server's state to w as JSON, for ReadState and
// WithState. It is a consistent snapshot: a request that changes the
// state is in it entirely or not at all. An idempotency key whose first
// request is still running is left out, as if that request had not come.
func (s *Server) SaveState(w io.Writer) error {
	now, offset := s.clock.read()
	f := stateFile{Object: stateObject, Version: stateVersion, SavedAt: now, ClockOffsetNS: int64(offset)}
	s.mu.Lock()
	for _, key := range s.credentialKeys() {
		f.Credentials = append(f.Credentials, s.creds[key].state())
	}
	s.mu.Unlock()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}

// state copies c for SaveState. Call with s.mu held.
func (c *credential) state() credentialState {
	out := credentialState{
		APIKey: c.key, AccountID: c.accountID, Livemode: c.live, Secret: bytes.Clone(c.secret[:]),
		Catalogue:      catalogueToJSON(c.raw),
		Holds:          []holdState{},
		ConfirmedHolds: append([]string{}, slices.Sorted(maps.Keys(c.confirmedHolds))...),
		Appointments:   []appointmentState{},
		Patients:       []gen.Patient{},
		Idempotency:    []idempotencyState{},
	}
	for _, h := range c.holds {
		out.Holds = append(out.Holds, holdState{
			ID: h.id, AppointmentID: h.blockerID, Slot: slotToState(h.slot), CreatedAt: h.createdAt, ExpiresAt: h.expiresAt,
			PatientID: h.patientID, Metadata: maps.Clone(h.metadata),
		})
	}
	slices.SortFunc(out.Holds, func(a, b holdState) int { return a.ExpiresAt.Compare(b.ExpiresAt) })
	// Oldest first, so a restore inserts in the order they were made.
	apts := c.sortedAppointments()
	for i := len(apts) - 1; i >= 0; i-- {
		a := apts[i]
		out.Appointments = append(out.Appointments, appointmentState{
			ID: a.id, Slot: slotToState(a.slot), OriginalStart: a.originalStart, ConfirmedAt: a.confirmedAt,
			CancelledAt: a.cancelledAt, RescheduledAt: a.rescheduledAt, RescheduleCount: a.rescheduleCount,
			PatientID: a.patientID, Metadata: maps.Clone(a.metadata), PartnerReference: a.partnerRef,
			PaymentReference: a.paymentRef, QuestionnaireID: a.questionnaireID,
		})
	}
	for _, id := range slices.Sorted(maps.Keys(c.patients)) {
		out.Patients = append(out.Patients, c.patientView(id))
	}
	for _, e := range c.idem {
		if !e.done {
			continue
		}
		out.Idempotency = append(out.Idempotency, idempotencyState{
			Key: e.key, Fingerprint: hex.EncodeToString(e.fingerprint[:]), CreatedAt: e.createdAt,
			Status: e.status, Header: e.header.Clone(), Body: bytes.Clone(e.body),
		})
	}
	slices.SortFunc(out.Idempotency, func(a, b idempotencyState) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out
}

func slotToState(sl slot) slotState {
	return slotState{AppointmentTypeID: sl.typeID, PractitionerID: sl.pracID, Start: sl.start, End: sl.end}
}

// ReadState reads a state that SaveState wrote. Anything else is an error
// that says what is wrong and where, such as
// credentials[0].appointments[3].patient_id: pat_x is not a patient of
// this credential: a file that is not a state, that is not valid JSON or
// that a newer version of this package wrote (which this one would
// misread) is refused as a whole, never read in part.
func ReadState(r io.Reader) (*State, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	// The object and version first, so a newer file is refused for what it
	// is rather than for a member this version does not know.
	var head struct {
		Object  string `json:"object"`
		Version int    `json:"version"`
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("state: the file is empty")
	}
	// Unmarshal also refuses anything after the object.
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, decodeError("state", err)
	}
	switch {
	case head.Object != stateObject:
		return nil, fmt.Errorf("state: not a sandbox state (its object is %q, not %q)", head.Object, stateObject)
	case head.Version > stateVersion:
		return nil, fmt.Errorf("state: version %d was written by a newer version of the sandbox; this one reads version %d", head.Version, stateVersion)
	case head.Version < 1:
		return nil, fmt.Errorf("state: version: must be 1 to %d, not %d", stateVersion, head.Version)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f stateFile
	if err := dec.Decode(&f); err != nil {
		return nil, decodeError("state", err)
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	return &State{f: f}, nil
}

// check refuses a state whose parts do not fit together: a restore
// builds every index from it and must not meet a dangling reference.
func (f *stateFile) check() error {
	if len(f.Credentials) == 0 {
		return errors.New("state: credentials: at least one is needed")
	}
	keys := map[string]bool{}
	for i := range f.Credentials {
		if err := f.Credentials[i].check(keys); err != nil {
			return fmt.Errorf("state: credentials[%d].%w", i, err)
		}
	}
	return nil
}

// check validates one credential; its errors start with the member's
// name, for the caller to prefix with the credential's place.
func (c *credentialState) check(keys map[string]bool) error {
	prefix := sandboxPrefix
	if c.Livemode {
		prefix = livePrefix
	}
	switch {
	case !strings.HasPrefix(c.APIKey, prefix) || len(c.APIKey) == len(prefix):
		return fmt.Errorf("api_key: must start with %s", prefix) // never the key itself
	case keys[c.APIKey]:
		return errors.New("api_key: the same key appears twice")
	case c.AccountID == "":
		return errors.New("account_id: missing")
	case len(c.Secret) != 32:
		return fmt.Errorf("secret: must be 32 bytes, not %d", len(c.Secret))
	}
	keys[c.APIKey] = true
	raw, err := c.Catalogue.catalogue()
	if err != nil {
		return fmt.Errorf("%s", strings.Replace(err.Error(), "catalogue: ", "catalogue.", 1))
	}
	cat, err := compileCatalogue(raw)
	if err != nil {
		return fmt.Errorf("catalogue: %w", err)
	}
	cred := &credential{}
	copy(cred.secret[:], c.Secret)
	patients := map[string]bool{}
	emails := map[string]bool{}
	for i, p := range c.Patients {
		at := fmt.Sprintf("patients[%d]", i)
		email := strings.ToLower(p.Email)
		switch {
		case p.ID == "" || patients[p.ID]:
			return fmt.Errorf("%s.id: missing or not unique", at)
		case p.Email == "" || emails[email]:
			return fmt.Errorf("%s.email: missing, or another patient's (compared without case)", at)
		}
		patients[p.ID], emails[email] = true, true
	}
	checkSlot := func(at string, sl slotState) error {
		t, p := cat.types[sl.AppointmentTypeID], cat.pracs[sl.PractitionerID]
		switch {
		case t == nil:
			return fmt.Errorf("%s.slot.appointment_type_id: %q is not in the credential's catalogue", at, sl.AppointmentTypeID)
		case p == nil:
			return fmt.Errorf("%s.slot.practitioner_id: %q is not in the credential's catalogue", at, sl.PractitionerID)
		case !sl.End.After(sl.Start):
			return fmt.Errorf("%s.slot.end: must be after its start", at)
		}
		return nil
	}
	checkPatient := func(at, id string, required bool) error {
		if (id != "" || required) && !patients[id] {
			return fmt.Errorf("%s.patient_id: %q is not a patient of this credential", at, id)
		}
		return nil
	}
	seen := map[string]bool{}
	for i, h := range c.Holds {
		at := fmt.Sprintf("holds[%d]", i)
		if err := checkSlot(at, h.Slot); err != nil {
			return err
		}
		if err := checkPatient(at, h.PatientID, false); err != nil {
			return err
		}
		expires, ok := cred.blockerExpiry(h.AppointmentID)
		switch {
		case !ok || seen[h.AppointmentID]:
			return fmt.Errorf("%s.appointment_id: not signed by this credential's secret, or not unique", at)
		case !expires.Equal(h.ExpiresAt):
			return fmt.Errorf("%s.expires_at: differs from the expiry its appointment_id carries", at)
		case h.ID == "":
			return fmt.Errorf("%s.id: missing", at)
		}
		seen[h.AppointmentID] = true
	}
	for i, id := range c.ConfirmedHolds {
		if _, ok := cred.blockerExpiry(id); !ok {
			return fmt.Errorf("confirmed_holds[%d]: not signed by this credential's secret", i)
		}
	}
	for i, a := range c.Appointments {
		at := fmt.Sprintf("appointments[%d]", i)
		if a.ID == "" || seen[a.ID] {
			return fmt.Errorf("%s.id: missing or not unique", at)
		}
		seen[a.ID] = true
		if err := checkSlot(at, a.Slot); err != nil {
			return err
		}
		if err := checkPatient(at, a.PatientID, true); err != nil {
			return err
		}
		if a.RescheduleCount < 0 {
			return fmt.Errorf("%s.reschedule_count: must not be negative", at)
		}
	}
	for i, e := range c.Idempotency {
		at := fmt.Sprintf("idempotency_keys[%d]", i)
		fp, err := hex.DecodeString(e.Fingerprint)
		switch {
		case e.Key == "" || seen["idem "+e.Key]:
			return fmt.Errorf("%s.key: missing or not unique", at)
		case err != nil || len(fp) != 32:
			return fmt.Errorf("%s.fingerprint: must be 64 hexadecimal digits", at)
		case e.Status < 100 || e.Status > 599:
			return fmt.Errorf("%s.status: must be an HTTP status, not %d", at, e.Status)
		}
		seen["idem "+e.Key] = true
	}
	return nil
}

// restore rebuilds a credential and its indexes from its saved state,
// which ReadState has checked.
func (c *credentialState) restore() *credential {
	raw, _ := c.Catalogue.catalogue()
	cat, _ := compileCatalogue(raw)
	cred := &credential{key: c.APIKey, accountID: c.AccountID, live: c.Livemode, raw: raw, cat: cat}
	cred.forget()
	copy(cred.secret[:], c.Secret)
	for _, p := range c.Patients {
		p.Metadata = orEmpty(maps.Clone(p.Metadata))
		cred.patients[p.ID] = &p
		cred.patientByEmail[strings.ToLower(p.Email)] = p.ID
	}
	for _, a := range c.Appointments {
		apt := &appointment{
			id: a.ID, slot: a.Slot.slot(), originalStart: a.OriginalStart, confirmedAt: a.ConfirmedAt,
			cancelledAt: a.CancelledAt, rescheduledAt: a.RescheduledAt, rescheduleCount: a.RescheduleCount,
			patientID: a.PatientID, metadata: orEmpty(maps.Clone(a.Metadata)), partnerRef: a.PartnerReference,
			paymentRef: a.PaymentReference, questionnaireID: a.QuestionnaireID,
		}
		if apt.cancelledAt == nil {
			apt.busy = cred.busy.add(apt.slot, nil, apt)
		}
		if apt.questionnaireID != "" {
			cred.questionnaires[apt.questionnaireID] = apt.id
		}
		cred.appointments.add(apt)
	}
	for _, id := range c.ConfirmedHolds {
		cred.confirmedHolds[id] = struct{}{}
	}
	holds := slices.Clone(c.Holds)
	slices.SortStableFunc(holds, func(a, b holdState) int { return a.ExpiresAt.Compare(b.ExpiresAt) })
	for _, h := range holds {
		hd := &hold{
			id: h.ID, blockerID: h.AppointmentID, token: cred.holdToken(h.AppointmentID), slot: h.Slot.slot(),
			createdAt: h.CreatedAt, expiresAt: h.ExpiresAt, patientID: h.PatientID, metadata: orEmpty(maps.Clone(h.Metadata)),
		}
		hd.busy = cred.busy.add(hd.slot, hd, nil)
		cred.holds[hd.blockerID] = hd
		cred.holdExpiry.push(hd)
	}
	idem := slices.Clone(c.Idempotency)
	slices.SortStableFunc(idem, func(a, b idempotencyState) int { return a.CreatedAt.Compare(b.CreatedAt) })
	for _, e := range idem {
		entry := &idemEntry{key: e.Key, createdAt: e.CreatedAt, done: true, status: e.Status, header: e.Header.Clone(), body: bytes.Clone(e.Body)}
		if entry.header == nil {
			entry.header = http.Header{}
		}
		_, _ = hex.Decode(entry.fingerprint[:], []byte(e.Fingerprint))
		cred.idem[entry.key] = entry
		cred.idemExpiry.push(entry)
	}
	return cred
}

func (s slotState) slot() slot {
	return slot{typeID: s.AppointmentTypeID, pracID: s.PractitionerID, start: s.Start.UTC(), end: s.End.UTC()}
}

// restore makes the server's credentials and clock offset those of st.
// Call from NewServer only.
func (s *Server) restore(st *State) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range st.f.Credentials {
		s.addCredentialLocked(st.f.Credentials[i].restore())
	}
	s.apiKey = st.f.Credentials[0].APIKey
	s.clock.advance(time.Duration(st.f.ClockOffsetNS))
}
