package connected

import (
	"context"
	"iter"
	"net/http"

	"github.com/dronline/connected-go/gen"
)

// AppointmentTypeService reads the catalogue's appointment types.
type AppointmentTypeService struct{ c *Client }

// List returns one page of appointment types, ordered by id.
func (s *AppointmentTypeService) List(ctx context.Context, params *ListParams, opts ...CallOption) (*Page[AppointmentType], error) {
	p := derefList(params)
	op := opListAppointmentTypes(func(server string) (*http.Request, error) {
		return gen.NewListAppointmentTypesRequest(server, &gen.ListAppointmentTypesParams{Limit: p.Limit, StartingAfter: p.StartingAfter, EndingBefore: p.EndingBefore})
	})
	page, _, err := get[Page[AppointmentType]](ctx, s.c, op, opts)
	return page, err
}

// All iterates over every appointment type, fetching pages as needed.
func (s *AppointmentTypeService) All(ctx context.Context, params *ListParams, opts ...CallOption) iter.Seq2[AppointmentType, error] {
	return paginate(ctx, derefList(params), func(ctx context.Context, p ListParams) (*Page[AppointmentType], error) {
		return s.List(ctx, &p, opts...)
	}, func(t AppointmentType) string { return t.ID })
}
