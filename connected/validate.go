package connected

import (
	"strings"
	"unicode/utf8"
)

// The checks here refuse before sending a request the server is certain
// to refuse, with the code and param the server gives. Each is either a
// rule the contract states (required, minLength, maxLength, enum, email
// format, the metadata limits) or a value that cannot travel (a header
// value with control characters), and each is measured as the contract
// measures: lengths in characters, never bytes, and a string of spaces is
// a string, not a missing value. So they never refuse what the server
// accepts. Where a request breaks several rules, they run in the order the
// server checks, so the first refusal is the one the server would give.
// Messages name the field, never its value: values may be patient data.

// The contract's maxLength values for the fields the SDK checks.
const (
	maxReferenceLength      = 255 // external_payment_reference, partner_reference
	maxNameLength           = 100 // first_name, last_name
	maxEmailLength          = 254
	maxPhoneLength          = 32
	maxIdempotencyKeyLength = 255
)

// chars is a string's length as the contract measures it. JSON Schema's
// minLength and maxLength count characters (Unicode code points), so "é"
// is one and an emoji is one, where len would say two and four.
func chars(s string) int { return utf8.RuneCountInString(s) }

func missing(param string) error {
	return fieldError(ErrorCodeParameterMissing, param, param+" is required")
}

func invalid(param, rule string) error {
	return fieldError(ErrorCodeParameterInvalid, param, param+" "+rule)
}

// checkHold checks the body of a hold: slot_id, then metadata, then the
// patient if there is one.
func checkHold(params *HoldParams) error {
	if params == nil {
		return missing("slot_id")
	}
	if err := checkSlotID(params.SlotID); err != nil {
		return err
	}
	if err := checkMetadata("metadata", params.Metadata); err != nil {
		return err
	}
	if params.Patient != nil {
		return checkPatient("patient", params.Patient)
	}
	return nil
}

// checkConfirm checks a confirm's hold token and body: the token, the
// patient, the two references, then metadata.
func checkConfirm(holdToken string, params *ConfirmParams) error {
	if err := checkHoldToken(holdToken); err != nil {
		return err
	}
	if params == nil {
		return missing("patient")
	}
	if err := checkPatient("patient", &params.Patient); err != nil {
		return err
	}
	switch ref := params.ExternalPaymentReference; {
	case ref == "":
		return missing("external_payment_reference")
	case chars(ref) > maxReferenceLength:
		return invalid("external_payment_reference", "must be at most 255 characters")
	}
	if ref := params.PartnerReference; ref != nil && (*ref == "" || chars(*ref) > maxReferenceLength) {
		return invalid("partner_reference", "must be 1 to 255 characters")
	}
	return checkMetadata("metadata", params.Metadata)
}

// checkHoldToken checks the X-Appointment-Hold-Token header. HTTP drops
// the spaces and tabs around a header value, so a token of only those
// arrives empty: missing, as the server says. A token with control
// characters cannot be sent at all, and no real token has them.
func checkHoldToken(token string) error {
	if strings.Trim(token, " \t") == "" {
		return missing("X-Appointment-Hold-Token")
	}
	if !validHeaderValue(token) {
		return fieldError(ErrorCodeHoldTokenInvalid, "X-Appointment-Hold-Token", "X-Appointment-Hold-Token contains control characters")
	}
	return nil
}

// checkReschedule checks the body of a reschedule: slot_id.
func checkReschedule(params *RescheduleParams) error {
	if params == nil {
		return missing("slot_id")
	}
	return checkSlotID(params.SlotID)
}

// checkSlotID checks the slot_id of a hold, a reschedule or a slot
// validation: required, at least one character.
func checkSlotID(slotID string) error {
	if slotID == "" {
		return missing("slot_id")
	}
	return nil
}

// checkPatient checks a patient in the server's order: a patient with
// none of its required fields is missing as a whole; then each required
// field, then each field's length, format or enum, then its metadata.
func checkPatient(param string, p *PatientInput) error {
	if p.FirstName == "" && p.LastName == "" && p.Email == "" && p.DateOfBirth.IsZero() && p.Sex == "" {
		return missing(param)
	}
	switch {
	case p.FirstName == "":
		return missing(param + "[first_name]")
	case p.LastName == "":
		return missing(param + "[last_name]")
	case p.Email == "":
		return missing(param + "[email]")
	case p.DateOfBirth.IsZero():
		return fieldError(ErrorCodeParameterMissing, param+"[date_of_birth]", param+"[date_of_birth] is required (YYYY-MM-DD; see ParseDate)")
	case p.Sex == "":
		return missing(param + "[sex]")
	case chars(p.FirstName) > maxNameLength:
		return invalid(param+"[first_name]", "must be at most 100 characters")
	case chars(p.LastName) > maxNameLength:
		return invalid(param+"[last_name]", "must be at most 100 characters")
	case chars(p.Email) > maxEmailLength || !validEmail(p.Email):
		return invalid(param+"[email]", "must be an email address of at most 254 characters")
	case !p.Sex.Valid():
		return invalid(param+"[sex]", "must be female, male, other or unknown")
	case p.Phone != nil && chars(*p.Phone) > maxPhoneLength:
		return invalid(param+"[phone]", "must be at most 32 characters")
	}
	return checkMetadata(param+"[metadata]", p.Metadata)
}

// checkID refuses a path id that could change which path is requested or
// break the request line; the generated code escapes everything else.
func checkID(param, id string) error {
	if id == "" {
		return missing(param)
	}
	if id == "." || id == ".." || strings.ContainsAny(id, "/\\?#%") || !validHeaderValue(id) || strings.ContainsAny(id, " \t") {
		return invalid(param, "is not a valid id")
	}
	return nil
}
