package connected

import (
	"context"
	"iter"
	"net/http"

	"github.com/dronline/connected-go/gen"
)

// PractitionerService reads the catalogue's practitioners.
type PractitionerService struct{ c *Client }

// List returns one page of practitioners, ordered by id.
func (s *PractitionerService) List(ctx context.Context, params *ListParams, opts ...CallOption) (*Page[Practitioner], error) {
	p := derefList(params)
	op := opListPractitioners(func(server string) (*http.Request, error) {
		return gen.NewListPractitionersRequest(server, &gen.ListPractitionersParams{Limit: p.Limit, StartingAfter: p.StartingAfter, EndingBefore: p.EndingBefore})
	})
	page, _, err := get[Page[Practitioner]](ctx, s.c, op, opts)
	return page, err
}

// All iterates over every practitioner, fetching pages as needed.
func (s *PractitionerService) All(ctx context.Context, params *ListParams, opts ...CallOption) iter.Seq2[Practitioner, error] {
	return paginate(ctx, derefList(params), func(ctx context.Context, p ListParams) (*Page[Practitioner], error) {
		return s.List(ctx, &p, opts...)
	}, func(t Practitioner) string { return t.ID })
}
