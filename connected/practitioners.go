package connected

import (
	"context"
	"iter"
	"net/http"

	"github.com/dronline/connected-go/gen"
)

// PractitionerService reads the catalogue's practitioners.
type PractitionerService struct{ c *Client }

// PractitionerListParams are the parameters of the practitioner list: the
// page size and a cursor.
type PractitionerListParams = gen.ListPractitionersParams

// List returns one page of practitioners, ordered by id.
func (s *PractitionerService) List(ctx context.Context, params *PractitionerListParams, opts ...CallOption) (*Page[Practitioner], error) {
	op := opListPractitioners(func(server string) (*http.Request, error) {
		return gen.NewListPractitionersRequest(server, params)
	})
	page, _, err := get[Page[Practitioner]](ctx, s.c, op, opts)
	return page, err
}

// All iterates over every practitioner, fetching pages as needed.
func (s *PractitionerService) All(ctx context.Context, params *PractitionerListParams, opts ...CallOption) iter.Seq2[Practitioner, error] {
	return paginate(ctx, deref(params), func(p *PractitionerListParams) cursors { return cursors{&p.StartingAfter, &p.EndingBefore} },
		func(ctx context.Context, p *PractitionerListParams) (*Page[Practitioner], error) {
			return s.List(ctx, p, opts...)
		},
		func(t Practitioner) string { return t.ID })
}
