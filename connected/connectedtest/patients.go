package connectedtest

import (
	"context"
	"maps"
	"strings"

	"github.com/dronline/connected-go/gen"
	"github.com/dronline/connected-go/internal/contract"
)

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

// patientMetadataFits reports whether upsertPatient(in) would leave the
// patient with at most 50 metadata keys. Call with s.mu held.
func (c *credential) patientMetadataFits(in *gen.PatientInput) bool {
	id, ok := c.patientByEmail[strings.ToLower(in.Email)]
	return !ok || mergedMetadataFits(c.patients[id].Metadata, in.Metadata, contract.PatientInputMetadataMaxProperties)
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
