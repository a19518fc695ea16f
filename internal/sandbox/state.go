package sandbox

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// stateVersion is the version of the state format SaveState writes and
// the newest ReadState reads. A change that an older reader would
// misread gets a new version; an older reader refuses it.
const stateVersion = 1

// stateObject names a state in its "object" member, so that ReadState can
// tell a state from some other JSON file.
const stateObject = "sandbox_state"

// State is a server's connectedtest.Snapshot as ReadState read it from
// a file: every credential with its API key, catalogue and signing
// secret, its pending holds, appointments, patients and idempotency keys,
// and how far the clock was advanced. The queued faults and the record of
// requests are not part of it.
//
// A state holds the keys and the patients registered with them: keep the
// file it is written to private (SaveState's caller chooses where).
type State struct {
	snap *connectedtest.Snapshot
}

// Catalogue returns the catalogue of the state's default credential, the
// one a server started with WithState serves as APIKey.
func (st *State) Catalogue() connectedtest.Catalogue {
	return st.snap.Credentials[0].Catalogue
}

// WithState starts a server from st instead of a new default credential:
// its credentials, in the order they were made, the first one the default
// (APIKey), with their holds, appointments, patients and idempotency keys;
// hold ids and tokens issued before still confirm. The clock is advanced
// by what the saved server had advanced. connectedtest.WithCatalogue is
// not needed: the state holds every credential's catalogue, and the two
// together panic.
func WithState(st *State) connectedtest.Option {
	return connectedtest.WithSnapshot(st.snap)
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
	APIKey         string              `json:"api_key"`
	AccountID      string              `json:"account_id"`
	Livemode       bool                `json:"livemode"`
	Secret         []byte              `json:"secret"` // signs hold ids and tokens
	Catalogue      catalogueJSON       `json:"catalogue"`
	Holds          []holdState         `json:"holds"`
	ConfirmedHolds []string            `json:"confirmed_holds"`
	Appointments   []appointmentState  `json:"appointments"`
	Patients       []connected.Patient `json:"patients"`
	Idempotency    []idempotencyState  `json:"idempotency_keys"`
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

// SaveState writes srv's state to w as JSON, for ReadState and
// WithState. It is a consistent snapshot: a request that changes the
// state is in it entirely or not at all. An idempotency key whose first
// request is still running is left out, as if that request had not come.
func SaveState(w io.Writer, srv *connectedtest.Server) error {
	now := srv.Now()
	snap := srv.Snapshot()
	f := stateFile{Object: stateObject, Version: stateVersion, SavedAt: now, ClockOffsetNS: int64(snap.ClockOffset)}
	for i := range snap.Credentials {
		f.Credentials = append(f.Credentials, credentialToState(&snap.Credentials[i]))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}

// credentialToState is c in the state format.
func credentialToState(c *connectedtest.CredentialSnapshot) credentialState {
	out := credentialState{
		APIKey: c.APIKey, AccountID: c.AccountID, Livemode: c.Live, Secret: c.Secret,
		Catalogue:      catalogueToJSON(c.Catalogue),
		Holds:          []holdState{},
		ConfirmedHolds: append([]string{}, c.ConfirmedHolds...),
		Appointments:   []appointmentState{},
		Patients:       append([]connected.Patient{}, c.Patients...),
		Idempotency:    []idempotencyState{},
	}
	for _, h := range c.Holds {
		out.Holds = append(out.Holds, holdState{
			ID: h.ID, AppointmentID: h.AppointmentID, CreatedAt: h.CreatedAt, ExpiresAt: h.ExpiresAt,
			Slot:      slotState{AppointmentTypeID: h.AppointmentTypeID, PractitionerID: h.PractitionerID, Start: h.Start, End: h.End},
			PatientID: deref(h.PatientID), Metadata: h.Metadata,
		})
	}
	// Oldest first, the order they were made in.
	for _, a := range slices.Backward(c.Appointments) {
		out.Appointments = append(out.Appointments, appointmentState{
			ID: a.ID, OriginalStart: a.OriginalStart, ConfirmedAt: a.ConfirmedAt,
			Slot:        slotState{AppointmentTypeID: a.AppointmentTypeID, PractitionerID: a.PractitionerID, Start: a.Start, End: a.End},
			CancelledAt: a.CancelledAt, RescheduledAt: a.RescheduledAt, RescheduleCount: a.RescheduleCount,
			PatientID: a.Patient.ID, Metadata: a.Metadata, PartnerReference: deref(a.PartnerReference),
			PaymentReference: a.ExternalPaymentReference, QuestionnaireID: deref(a.QuestionnaireID),
		})
	}
	for _, k := range c.IdempotencyKeys {
		out.Idempotency = append(out.Idempotency, idempotencyState{
			Key: k.Key, Fingerprint: hex.EncodeToString(k.Fingerprint[:]), CreatedAt: k.Created,
			Status: k.Status, Header: k.Header, Body: k.Body,
		})
	}
	return out
}

// snapshot is f, which check has accepted, as a connectedtest.Snapshot.
func (f *stateFile) snapshot() *connectedtest.Snapshot {
	snap := &connectedtest.Snapshot{ClockOffset: time.Duration(f.ClockOffsetNS)}
	for _, c := range f.Credentials {
		snap.Credentials = append(snap.Credentials, c.snapshot())
	}
	return snap
}

func (c *credentialState) snapshot() connectedtest.CredentialSnapshot {
	cat, _ := c.Catalogue.catalogue() // checked
	out := connectedtest.CredentialSnapshot{
		Credential: connectedtest.Credential{APIKey: c.APIKey, AccountID: c.AccountID, Live: c.Livemode, Catalogue: cat},
		Secret:     c.Secret, ConfirmedHolds: c.ConfirmedHolds, Patients: c.Patients,
	}
	patients := map[string]connected.Patient{}
	for _, p := range c.Patients {
		patients[p.ID] = p
	}
	for _, h := range c.Holds {
		out.Holds = append(out.Holds, connected.AppointmentHold{
			ID: h.ID, AppointmentID: h.AppointmentID, CreatedAt: h.CreatedAt, ExpiresAt: h.ExpiresAt,
			AppointmentTypeID: h.Slot.AppointmentTypeID, PractitionerID: h.Slot.PractitionerID, Start: h.Slot.Start, End: h.Slot.End,
			PatientID: orNull(h.PatientID), Metadata: h.Metadata,
		})
	}
	for _, a := range slices.Backward(c.Appointments) {
		out.Appointments = append(out.Appointments, connected.Appointment{
			ID: a.ID, OriginalStart: a.OriginalStart, ConfirmedAt: a.ConfirmedAt,
			AppointmentTypeID: a.Slot.AppointmentTypeID, PractitionerID: a.Slot.PractitionerID, Start: a.Slot.Start, End: a.Slot.End,
			CancelledAt: a.CancelledAt, RescheduledAt: a.RescheduledAt, RescheduleCount: a.RescheduleCount,
			Patient: patients[a.PatientID], Metadata: a.Metadata, PartnerReference: orNull(a.PartnerReference),
			ExternalPaymentReference: a.PaymentReference, QuestionnaireID: orNull(a.QuestionnaireID),
		})
	}
	for _, e := range c.Idempotency {
		k := connectedtest.IdempotencyKey{Key: e.Key, Created: e.CreatedAt, Status: e.Status, Header: e.Header, Body: e.Body}
		_, _ = hex.Decode(k.Fingerprint[:], []byte(e.Fingerprint)) // checked
		out.IdempotencyKeys = append(out.IdempotencyKeys, k)
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
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
	return &State{snap: f.snapshot()}, nil
}
