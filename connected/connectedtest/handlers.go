package connectedtest

import (
	"context"
	"maps"
	"time"

	"github.com/dronline/connected-go/gen"
	openapi_types "github.com/oapi-codegen/runtime/types"
)

// handlers implements the generated strict server interface: a contract
// change that alters an operation fails to compile here. Errors are
// returned as *apiError and written by the ResponseErrorHandlerFunc.
//
// An operation the contract added that has no method here yet is answered
// by the embedded unimplementedHandlers, generated from the contract with
// a method for every operation, with a 501, so an additive contract change
// still compiles. A method declared here takes precedence over the
// embedded one.
type handlers struct {
	// Unused while the fake implements every operation: it answers the
	// operations the contract adds until the fake does.
	unimplementedHandlers //nolint:unused // see above
	s                     *Server
}

var _ gen.StrictServerInterface = (*handlers)(nil)

// apiVersion is the contract date served to every credential.
func apiVersion() openapi_types.Date {
	return openapi_types.Date{Time: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
}

func (h *handlers) GetAccount(ctx context.Context, _ gen.GetAccountRequestObject) (gen.GetAccountResponseObject, error) {
	c := credentialFrom(ctx)
	return gen.GetAccount200JSONResponse{
		Headers: gen.GetAccount200ResponseHeaders{XRequestID: requestID(ctx)},
		Body: gen.Account{
			ID:          c.accountID,
			Object:      gen.AccountObjectAccount,
			APIVersion:  apiVersion(),
			Currency:    c.cat.Currency,
			Features:    orEmpty(maps.Clone(c.cat.Features)),
			Livemode:    c.live,
			Name:        c.cat.AccountName,
			PathVersion: gen.AccountPathVersionV1,
			Timezone:    c.cat.Timezone,
		},
	}, nil
}

func (h *handlers) ListAppointmentTypes(ctx context.Context, req gen.ListAppointmentTypesRequestObject) (gen.ListAppointmentTypesResponseObject, error) {
	c := credentialFrom(ctx)
	types := c.cat.AppointmentTypes // already sorted by id
	lo, hi, more, err := paginate(len(types), listParams{req.Params.Limit, req.Params.StartingAfter, req.Params.EndingBefore},
		locateByID(types, func(t AppointmentType) string { return t.ID }))
	if err != nil {
		return nil, err
	}
	data := make([]gen.AppointmentType, 0, hi-lo)
	for _, t := range types[lo:hi] {
		data = append(data, gen.AppointmentType{
			ID: t.ID, Object: gen.AppointmentTypeObjectAppointmentType, Description: t.Description,
			DurationMinutes: t.DurationMinutes, Metadata: orEmpty(maps.Clone(t.Metadata)), Name: t.Name, PriceInCents: t.PriceInCents,
			QuestionnaireRequired: t.QuestionnaireRequired,
		})
	}
	return gen.ListAppointmentTypes200JSONResponse{
		Headers: gen.ListAppointmentTypes200ResponseHeaders{XRequestID: requestID(ctx)},
		Body:    gen.AppointmentTypeList{Object: gen.ListObjectList, URL: listURL("/connected/appointment_types"), HasMore: more, Data: data},
	}, nil
}

func (h *handlers) ListPractitioners(ctx context.Context, req gen.ListPractitionersRequestObject) (gen.ListPractitionersResponseObject, error) {
	c := credentialFrom(ctx)
	pracs := c.cat.Practitioners // already sorted by id
	lo, hi, more, err := paginate(len(pracs), listParams{req.Params.Limit, req.Params.StartingAfter, req.Params.EndingBefore},
		locateByID(pracs, func(p Practitioner) string { return p.ID }))
	if err != nil {
		return nil, err
	}
	data := make([]gen.Practitioner, 0, hi-lo)
	for _, p := range pracs[lo:hi] {
		ids := append([]string{}, p.AppointmentTypeIDs...)
		data = append(data, gen.Practitioner{
			ID: p.ID, Object: gen.PractitionerObjectPractitioner, AppointmentTypeIDs: ids, Metadata: orEmpty(maps.Clone(p.Metadata)), Name: p.Name, Title: p.Title,
		})
	}
	return gen.ListPractitioners200JSONResponse{
		Headers: gen.ListPractitioners200ResponseHeaders{XRequestID: requestID(ctx)},
		Body:    gen.PractitionerList{Object: gen.ListObjectList, URL: listURL("/connected/practitioners"), HasMore: more, Data: data},
	}, nil
}

// orEmpty makes a nil map marshal as {} (the spec requires the objects).
func orEmpty[V any](m map[string]V) map[string]V {
	if m == nil {
		return map[string]V{}
	}
	return m
}
