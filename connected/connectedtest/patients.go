package connectedtest

import (
	"context"
	"maps"
	"net/http"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dronline/connected-go/gen"
)

// Metadata limits (the spec's Stripe-like choice).
const (
	maxMetadataKeys     = 50
	maxMetadataKeyLen   = 40
	maxMetadataValueLen = 500
	reservedPrefix      = "dronline"
)

// validateMetadata checks a metadata object; prefix is the param path of
// the object itself, e.g. "metadata" or "patient[metadata]". Keys are
// checked in sorted order so the reported param is deterministic.
func validateMetadata(prefix string, md map[string]string) *apiError {
	if len(md) > maxMetadataKeys {
		return errParamInvalid(prefix, "at most 50 keys")
	}
	for _, k := range slices.Sorted(maps.Keys(md)) {
		param := prefix + "[" + k + "]"
		if strings.HasPrefix(strings.ToLower(k), reservedPrefix) {
			// The key is partner-chosen text, not patient data, so the
			// param may name it as the spec's example does.
			return invalidRequest(http.StatusBadRequest, gen.ErrorCodeMetadataKeyReserved, param, "Metadata keys starting with 'dronline' are reserved.")
		}
		if n := utf8.RuneCountInString(k); n < 1 || n > maxMetadataKeyLen {
			return errParamInvalid(param, "keys must be 1 to 40 characters")
		}
		if utf8.RuneCountInString(md[k]) > maxMetadataValueLen {
			return errParamInvalid(param, "values must be at most 500 characters")
		}
	}
	return nil
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}

// validatePatient checks a PatientInput. Messages name the field, never
// its value: patient data must not come back in errors.
func validatePatient(p *gen.PatientInput) *apiError {
	if p.FirstName == "" && p.LastName == "" && p.Email == "" && p.DateOfBirth.IsZero() && p.Sex == "" {
		return errParamMissing("patient")
	}
	switch {
	case p.FirstName == "":
		return errParamMissing("patient[first_name]")
	case p.LastName == "":
		return errParamMissing("patient[last_name]")
	case p.Email == "":
		return errParamMissing("patient[email]")
	case p.DateOfBirth.IsZero():
		return errParamMissing("patient[date_of_birth]")
	case p.Sex == "":
		return errParamMissing("patient[sex]")
	}
	switch {
	case utf8.RuneCountInString(p.FirstName) > 100:
		return errParamInvalid("patient[first_name]", "at most 100 characters")
	case utf8.RuneCountInString(p.LastName) > 100:
		return errParamInvalid("patient[last_name]", "at most 100 characters")
	case len(p.Email) > 254 || !validEmail(p.Email):
		return errParamInvalid("patient[email]", "not a valid email address")
	case !p.Sex.Valid():
		return errParamInvalid("patient[sex]", "must be one of female, male, other, unknown")
	case p.Phone != nil && utf8.RuneCountInString(*p.Phone) > 32:
		return errParamInvalid("patient[phone]", "at most 32 characters")
	}
	return validateMetadata("patient[metadata]", p.Metadata)
}

// upsertPatient links the patient to the credential: the same email (case
// insensitive) updates the same patient. Call with s.mu held.
func (c *credential) upsertPatient(in *gen.PatientInput) string {
	email := strings.ToLower(in.Email)
	id, ok := c.patientByEmail[email]
	if !ok {
		id = newID("pat_")
		c.patientByEmail[email] = id
		c.patients[id] = &gen.Patient{ID: id, Object: gen.PatientObjectPatient, Metadata: map[string]string{}}
	}
	p := c.patients[id]
	p.DateOfBirth = in.DateOfBirth
	p.Email = in.Email
	p.FirstName = in.FirstName
	p.LastName = in.LastName
	p.Sex = in.Sex
	if in.Phone != nil {
		phone := *in.Phone
		p.Phone = &phone
	}
	maps.Copy(p.Metadata, in.Metadata)
	return id
}

// patientView copies a stored patient for a response.
func (c *credential) patientView(id string) gen.Patient {
	p := *c.patients[id]
	p.Metadata = maps.Clone(p.Metadata)
	if p.Phone != nil {
		phone := *p.Phone
		p.Phone = &phone
	}
	return p
}

func (h *handlers) GetPatient(ctx context.Context, req gen.GetPatientRequestObject) (gen.GetPatientResponseObject, error) {
	c := credentialFrom(ctx)
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	if c.patients[req.PatientID] == nil {
		return nil, errNotFound("patient_id", "patient", req.PatientID)
	}
	return gen.GetPatient200JSONResponse{
		Headers: gen.GetPatient200ResponseHeaders{XRequestID: requestID(ctx)},
		Body:    c.patientView(req.PatientID),
	}, nil
}
