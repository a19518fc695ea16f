package connected

import (
	"context"
	"iter"
	"net/http"

	"github.com/dronline/connected-go/gen"
)

// AppointmentTypeService reads the catalogue's appointment types.
type AppointmentTypeService struct{ c *Client }

// AppointmentTypeListParams are the parameters of the appointment type
// list: the page size and a cursor.
type AppointmentTypeListParams = gen.ListAppointmentTypesParams

// List returns one page of appointment types, ordered by id.
func (s *AppointmentTypeService) List(ctx context.Context, params *AppointmentTypeListParams, opts ...CallOption) (*Page[AppointmentType], error) {
	op := opListAppointmentTypes(func(server string) (*http.Request, error) {
		return gen.NewListAppointmentTypesRequest(server, params)
	})
	page, _, err := get[Page[AppointmentType]](ctx, s.c, op, opts)
	return page, err
}

// All iterates over every appointment type, fetching pages as needed.
func (s *AppointmentTypeService) All(ctx context.Context, params *AppointmentTypeListParams, opts ...CallOption) iter.Seq2[AppointmentType, error] {
	return paginate(ctx, deref(params), func(p *AppointmentTypeListParams) cursors { return cursors{&p.StartingAfter, &p.EndingBefore} },
		func(ctx context.Context, p *AppointmentTypeListParams) (*Page[AppointmentType], error) {
			return s.List(ctx, p, opts...)
		},
		func(t AppointmentType) string { return t.ID })
}
