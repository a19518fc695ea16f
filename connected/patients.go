package connected

import (
	"context"
	"net/http"

	"github.com/dronline/connected-go/gen"
)

// PatientService reads patients this credential linked through a hold or
// a confirm. Patients are health data: never log them.
type PatientService struct{ c *Client }

// Get returns a patient this credential linked. Any other id is
// ErrNotFound: there is no patient search.
func (s *PatientService) Get(ctx context.Context, patientID string, opts ...CallOption) (*Patient, error) {
	if err := checkID("patient_id", patientID); err != nil {
		return nil, s.c.refuse(ctx, opGetPatient(nil), opts, err)
	}
	op := opGetPatient(func(server string) (*http.Request, error) {
		return gen.NewGetPatientRequest(server, patientID)
	})
	p, _, err := get[Patient](ctx, s.c, op, opts)
	return p, err
}
