package connectedtest

import (
	"maps"
	"net/http"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dronline/connected-go/gen"
)

// The contract's rules for the request fields the handlers check beyond
// what decoding checks. Lengths are the contract's maxLength and
// minLength, which count characters (Unicode code points), as JSON Schema
// does: never bytes.

// Metadata limits (the spec's Stripe-like choice).
const (
	maxMetadataKeys     = 50
	maxMetadataKeyLen   = 40
	maxMetadataValueLen = 500
	// reservedPrefix is matched as written: the contract reserves keys
	// that start with `dronline`, and says nothing of other cases, so
	// "DRONLINE_x" is an ordinary key.
	reservedPrefix = "dronline"
)

// Other maxLength values of the contract.
const (
	maxReferenceLen      = 255 // external_payment_reference, partner_reference
	maxNameLen           = 100 // first_name, last_name
	maxEmailLen          = 254
	maxPhoneLen          = 32
	maxIdempotencyKeyLen = 255
)

// chars is a string's length as the contract measures it: "é" is one
// character, not two bytes.
func chars(s string) int { return utf8.RuneCountInString(s) }

// validateMetadata checks a metadata object; prefix is the param path of
// the object itself, e.g. "metadata" or "patient[metadata]". Keys are
// checked in sorted order so the reported param is deterministic, and a
// refusal about one key names it in the param, as the spec's example
// does: keys are partner-chosen labels, not patient data. Messages name
// only the object.
func validateMetadata(prefix string, md map[string]string) *apiError {
	if len(md) > maxMetadataKeys {
		return errParamInvalid(prefix, "at most 50 keys")
	}
	for _, k := range slices.Sorted(maps.Keys(md)) {
		param := prefix + "[" + k + "]"
		if strings.HasPrefix(k, reservedPrefix) {
			return invalidRequest(http.StatusBadRequest, gen.ErrorCodeMetadataKeyReserved, param, "Metadata keys starting with 'dronline' are reserved.")
		}
		if n := chars(k); n < 1 || n > maxMetadataKeyLen {
			return invalidRequest(http.StatusBadRequest, gen.ErrorCodeParameterInvalid, param, "Invalid parameter "+prefix+": keys must be 1 to 40 characters.")
		}
		if chars(md[k]) > maxMetadataValueLen {
			return invalidRequest(http.StatusBadRequest, gen.ErrorCodeParameterInvalid, param, "Invalid parameter "+prefix+": values must be at most 500 characters.")
		}
	}
	return nil
}

// mergedMetadataFits reports whether add, merged over stored, leaves at
// most 50 keys. Metadata merges over what a resource has, and the limit is
// the stored object's; a key already stored does not count twice.
func mergedMetadataFits(stored, add map[string]string) bool {
	n := len(stored)
	for k := range add {
		if _, ok := stored[k]; !ok {
			n++
		}
	}
	return n <= maxMetadataKeys
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
	case chars(p.FirstName) > maxNameLen:
		return errParamInvalid("patient[first_name]", "at most 100 characters")
	case chars(p.LastName) > maxNameLen:
		return errParamInvalid("patient[last_name]", "at most 100 characters")
	case chars(p.Email) > maxEmailLen || !validEmail(p.Email):
		return errParamInvalid("patient[email]", "not a valid email address")
	case !p.Sex.Valid():
		return errParamInvalid("patient[sex]", "must be one of female, male, other, unknown")
	case p.Phone != nil && chars(*p.Phone) > maxPhoneLen:
		return errParamInvalid("patient[phone]", "at most 32 characters")
	}
	return validateMetadata("patient[metadata]", p.Metadata)
}

// validateConfirm checks a confirm's body after its patient.
func validateConfirm(b *gen.ConfirmAppointmentRequest) *apiError {
	switch {
	case b.ExternalPaymentReference == "":
		return errParamMissing("external_payment_reference")
	case chars(b.ExternalPaymentReference) > maxReferenceLen:
		return errParamInvalid("external_payment_reference", "at most 255 characters")
	case b.PartnerReference != nil && (*b.PartnerReference == "" || chars(*b.PartnerReference) > maxReferenceLen):
		return errParamInvalid("partner_reference", "1 to 255 characters")
	}
	return validateMetadata("metadata", b.Metadata)
}
