package connected

import (
	"context"
	"iter"
)

// ListParams are the cursor parameters every list takes. Give at most one
// of StartingAfter and EndingBefore.
type ListParams struct {
	// Limit is the page size, 1 to 100 (the server's default is 10). Out
	// of range: 400 parameter_invalid.
	Limit *int
	// StartingAfter is a cursor: return the page after the object with
	// this id, in the list's order. An id not in the list: 400
	// parameter_invalid.
	StartingAfter *string
	// EndingBefore is a cursor: return the page before the object with this
	// id, in the list's order.
	EndingBefore *string
}

// Page is one page of a list, as the API returns it.
type Page[T any] struct {
	// Data is the objects of this page, in the list's order.
	Data []T `json:"data"`
	// HasMore says whether more objects follow this page in the direction
	// of travel.
	HasMore bool `json:"has_more"`
	// URL is the list's path on the API's host, as the API sends it: it
	// begins with the base URL's path, as in "/v1/connected/appointments",
	// and names the list, not the page (no query, no cursor).
	URL string `json:"url"`
}

// fetchPage gets the page after (or, backwards, before) cursor.
type fetchPage[T any] func(ctx context.Context, p ListParams) (*Page[T], error)

// paginate iterates over every object of a list, one page in memory at a
// time. It follows starting_after with the last id of each page while
// has_more; when the caller's params set EndingBefore it walks the other
// way, following ending_before with each page's first id and yielding each
// page's objects in reverse, so that iteration always moves away from the
// cursor. It stops at the first error (yielded once), when the loop
// breaks, or with an error when the cursors it is sent to go round in a
// cycle.
func paginate[T any](ctx context.Context, p ListParams, fetch fetchPage[T], id func(T) string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		backwards := p.EndingBefore != nil
		checkpoint := ""
		if c := cursorOf(p, backwards); c != nil {
			checkpoint = *c
		}
		steps, power := 0, 1
		for {
			page, err := fetch(ctx, p)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			n := len(page.Data)
			for i := range n {
				item := page.Data[i]
				if backwards {
					item = page.Data[n-1-i]
				}
				if !yield(item, nil) {
					return
				}
			}
			if !page.HasMore || n == 0 {
				return
			}
			next := id(page.Data[n-1])
			if backwards {
				next = id(page.Data[0])
			}
			// An empty cursor, or a cycle of cursors, would make the loop
			// endless: the server (or something in between) is repeating
			// pages. Brent's cycle detection finds a cycle of any length
			// while keeping one cursor, so memory stays flat.
			if next == "" || next == checkpoint {
				var zero T
				yield(zero, &Error{Type: ErrorTypeAPI, Message: "the list's cursor did not advance: the server repeated a page"})
				return
			}
			if steps++; steps == power {
				checkpoint, power, steps = next, power*2, 0
			}
			if backwards {
				p.EndingBefore = &next
			} else {
				p.StartingAfter = &next
			}
		}
	}
}

func derefList(p *ListParams) ListParams {
	if p == nil {
		return ListParams{}
	}
	return *p
}

func cursorOf(p ListParams, backwards bool) *string {
	if backwards {
		return p.EndingBefore
	}
	return p.StartingAfter
}
