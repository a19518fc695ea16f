package connected

import (
	"time"

	"github.com/dronline/connected-go/gen"
	openapi_types "github.com/oapi-codegen/runtime/types"
)

// The API's objects, as generated from the contract. They are aliases, so
// values move freely between this package and gen. The types of the
// contract's enums, such as Sex and AppointmentStatus, are aliases too,
// each with a constant for every value.
type (
	// Account is the credential's account: currency, timezone, feature flags, contract version.
	Account = gen.Account
	// AppointmentType is a kind of visit the catalogue offers.
	AppointmentType = gen.AppointmentType
	// Practitioner is a clinician of the catalogue.
	Practitioner = gen.Practitioner
	// Slot is a free time that can be held.
	Slot = gen.Slot
	// SlotValidation says whether a slot can still be held.
	SlotValidation = gen.SlotValidation
	// AppointmentHold is a short-lived lock on a slot, confirmed with its AppointmentID and HoldToken.
	AppointmentHold = gen.AppointmentHold
	// Appointment is a booked visit, with its patient embedded.
	Appointment = gen.Appointment
	// Patient is a patient this credential linked. Health data: never log it.
	Patient = gen.Patient
	// Questionnaire is the intake form of an appointment whose type requires one.
	Questionnaire = gen.Questionnaire
	// PatientInput is the patient as written on hold create and confirm.
	PatientInput = gen.PatientInput

	// Date is a calendar date without a time, such as date_of_birth.
	Date = openapi_types.Date
)

// ParseDate reads a YYYY-MM-DD date, such as a date of birth.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fieldError(ErrorCodeParameterInvalid, "date", "date must be a valid YYYY-MM-DD date")
	}
	return Date{Time: t}, nil
}

// Ptr returns a pointer to v, for the optional fields of parameters.
func Ptr[T any](v T) *T { return &v }
