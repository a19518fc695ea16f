package sandbox

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/dronline/connected-go/connected/connectedtest"
	"github.com/dronline/connected-go/internal/contract"
)

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
	prefix := contract.SandboxKeyPrefix
	if c.Livemode {
		prefix = contract.LiveKeyPrefix
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
	types, pracs := map[string]bool{}, map[string]bool{}
	for _, t := range raw.AppointmentTypes {
		types[t.ID] = true
	}
	for _, p := range raw.Practitioners {
		pracs[p.ID] = true
	}
	cred := &connectedtest.CredentialSnapshot{Secret: c.Secret}
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
		switch {
		case !types[sl.AppointmentTypeID]:
			return fmt.Errorf("%s.slot.appointment_type_id: %q is not in the credential's catalogue", at, sl.AppointmentTypeID)
		case !pracs[sl.PractitionerID]:
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
		expires, ok := cred.HoldExpiry(h.AppointmentID)
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
		if _, ok := cred.HoldExpiry(id); !ok {
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
