package connected

import (
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"
)

// The API's objects are aliases of the generated ones (models.gen.go), so
// values move freely between this package and gen. The types of the
// contract's enums, such as Sex and AppointmentStatus, are aliases too,
// each with a constant for every value (enums.gen.go).

// Date is a calendar date without a time, such as date_of_birth.
type Date = openapi_types.Date

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
