package contract

import (
	"maps"
	"slices"
	"strings"

	"github.com/dronline/connected-go/gen"
)

// CheckHold checks the body of a hold: slot_id, then metadata, then the
// patient if there is one.
func CheckHold(b *gen.CreateAppointmentHoldRequest) *Violation {
	if b == nil || Chars(b.SlotID) < CreateAppointmentHoldRequestSlotIDMinLength {
		return missing("slot_id")
	}
	if v := CheckMetadata("metadata", b.Metadata, CreateAppointmentHoldRequestMetadataMaxProperties, CreateAppointmentHoldRequestMetadataValueMaxLength); v != nil {
		return v
	}
	if b.Patient != nil {
		return CheckPatient("patient", b.Patient)
	}
	return nil
}

// CheckConfirm checks the body of a confirm: the patient, the two
// references, then metadata.
func CheckConfirm(b *gen.ConfirmAppointmentRequest) *Violation {
	if b == nil {
		return missing("patient")
	}
	if v := CheckPatient("patient", &b.Patient); v != nil {
		return v
	}
	switch n := Chars(b.ExternalPaymentReference); {
	case n < ConfirmAppointmentRequestExternalPaymentReferenceMinLength:
		return missing("external_payment_reference")
	case n > ConfirmAppointmentRequestExternalPaymentReferenceMaxLength:
		return invalid(Length, "external_payment_reference", 0, ConfirmAppointmentRequestExternalPaymentReferenceMaxLength)
	}
	if ref := b.PartnerReference; ref != nil {
		if n := Chars(*ref); n < ConfirmAppointmentRequestPartnerReferenceMinLength || n > ConfirmAppointmentRequestPartnerReferenceMaxLength {
			return invalid(Length, "partner_reference", ConfirmAppointmentRequestPartnerReferenceMinLength, ConfirmAppointmentRequestPartnerReferenceMaxLength)
		}
	}
	return CheckMetadata("metadata", b.Metadata, ConfirmAppointmentRequestMetadataMaxProperties, ConfirmAppointmentRequestMetadataValueMaxLength)
}

// CheckPatient checks a patient in the server's order: a patient with none
// of its required fields is missing as a whole; then each required field
// (PatientRequiredOrder), then each field's length, format or enum, then
// its metadata. param names the patient, "patient".
func CheckPatient(param string, p *gen.PatientInput) *Violation {
	if p.FirstName == "" && p.LastName == "" && p.Email == "" && p.DateOfBirth.IsZero() && p.Sex == "" {
		return missing(param)
	}
	for _, f := range patientRequired {
		if patientFieldEmpty(p, f) {
			return missing(param + "[" + f + "]")
		}
	}
	switch {
	case Chars(p.FirstName) > PatientInputFirstNameMaxLength:
		return invalid(Length, param+"[first_name]", 0, PatientInputFirstNameMaxLength)
	case Chars(p.LastName) > PatientInputLastNameMaxLength:
		return invalid(Length, param+"[last_name]", 0, PatientInputLastNameMaxLength)
	case Chars(p.Email) > PatientInputEmailMaxLength || !ValidEmail(p.Email):
		return invalid(Email, param+"[email]", 0, PatientInputEmailMaxLength)
	case !PatientInputSexValid(string(p.Sex)):
		v := invalid(Enum, param+"[sex]", 0, 0)
		v.Values = PatientInputSexValues()
		return v
	case p.Phone != nil && Chars(*p.Phone) > PatientInputPhoneMaxLength:
		return invalid(Length, param+"[phone]", 0, PatientInputPhoneMaxLength)
	}
	return checkMetadata(param, "[metadata]", p.Metadata, PatientInputMetadataMaxProperties, PatientInputMetadataValueMaxLength)
}

// patientFieldEmpty reports whether a required field of p is unset: an
// empty string, or the zero date. A string of spaces is a string.
func patientFieldEmpty(p *gen.PatientInput, field string) bool {
	switch field {
	case "first_name":
		return p.FirstName == ""
	case "last_name":
		return p.LastName == ""
	case "email":
		return p.Email == ""
	case "date_of_birth":
		return p.DateOfBirth.IsZero()
	case "sex":
		return p.Sex == ""
	}
	return false
}

// CheckMetadata checks a metadata object against the limits of its body,
// maxKeys and maxValueLength (the spec's maxProperties and the maxLength
// of its values), and the rules of its keys (prose.go). param is the
// object's own param, such as "metadata" or "patient[metadata]"; a refusal
// about one key names it, as metadata[key]: keys are the partner's own
// labels, not patient data, and the contract's example names a reserved
// one so.
//
// When several keys break a rule the server names the first in sorted
// order. Sorting needs a slice of the keys, so it is done only once a bad
// key is known to exist: a valid map, the common case, costs no
// allocation.
func CheckMetadata(param string, m map[string]string, maxKeys, maxValueLength int) *Violation {
	return checkMetadata(param, "", m, maxKeys, maxValueLength)
}

// checkMetadata is CheckMetadata of the object param+suffix, a string
// made only for a refusal.
func checkMetadata(param, suffix string, m map[string]string, maxKeys, maxValueLength int) *Violation {
	if len(m) > maxKeys {
		v := invalid(TooManyKeys, param+suffix, 0, maxKeys)
		v.Object = v.Param
		return v
	}
	for k, v := range m {
		if metadataRule(k, v, maxValueLength) != 0 {
			for _, k := range slices.Sorted(maps.Keys(m)) {
				if kind := metadataRule(k, m[k], maxValueLength); kind != 0 {
					return metadataViolation(param+suffix, k, kind, maxValueLength)
				}
			}
		}
	}
	return nil
}

// metadataRule is the first rule a key and its value break, in the
// server's order (the reserved prefix, the key's length, the value's
// length), or 0.
func metadataRule(k, v string, maxValueLength int) Kind {
	switch n := Chars(k); {
	case strings.HasPrefix(k, MetadataReservedPrefix):
		return ReservedKey
	case n < MetadataKeyMinLength || n > MetadataKeyMaxLength:
		return KeyLength
	case Chars(v) > maxValueLength:
		return ValueLength
	}
	return 0
}

func metadataViolation(object, k string, kind Kind, maxValueLength int) *Violation {
	v := invalid(kind, object+"["+k+"]", 0, 0)
	v.Object = object
	switch kind {
	case ReservedKey:
		v.Code = gen.ErrorCodeMetadataKeyReserved
	case KeyLength:
		v.Min, v.Max = MetadataKeyMinLength, MetadataKeyMaxLength
	case ValueLength:
		v.Max = maxValueLength
	}
	return v
}
