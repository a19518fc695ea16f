package connected

import (
	"time"

	"github.com/dronline/connected-go/gen"
	openapi_types "github.com/oapi-codegen/runtime/types"
)

// The API's objects, as generated from the contract. They are aliases, so
// values move freely between this package and gen.
type (
	Account          = gen.Account
	AppointmentType  = gen.AppointmentType
	Practitioner     = gen.Practitioner
	Slot             = gen.Slot
	SlotValidation   = gen.SlotValidation
	AppointmentHold  = gen.AppointmentHold
	Appointment      = gen.Appointment
	Patient          = gen.Patient
	Questionnaire    = gen.Questionnaire
	PatientInput     = gen.PatientInput
	PatientSex       = gen.PatientInputSex
	AppointmentState = gen.AppointmentStatus

	// Date is a calendar date without a time, such as date_of_birth.
	Date = openapi_types.Date
	// Email is an email address.
	Email = openapi_types.Email
)

// The values of a patient's sex.
const (
	SexFemale  = gen.PatientInputSexFemale
	SexMale    = gen.PatientInputSexMale
	SexOther   = gen.PatientInputSexOther
	SexUnknown = gen.PatientInputSexUnknown
)

// The states of an appointment.
const (
	AppointmentConfirmed = gen.AppointmentStatusConfirmed
	AppointmentCancelled = gen.AppointmentStatusCancelled
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
