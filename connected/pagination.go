package connected

import (
	"context"
	"iter"
)

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

// cursors point at the cursor parameters, starting_after and
// ending_before, of one list's params: every list of the contract takes
// both, and limit.
type cursors struct{ after, before **string }

// deref is *p, or P's zero value for nil: the params of a call that gave
// none.
func deref[P any](p *P) P {
	var v P
	if p != nil {
		v = *p
	}
	return v
}

// paginate iterates over every object of a list, one page in memory at a
// time, fetching each page with a copy of p whose cursor (found by at) it
// moves. It follows starting_after with the last id of each page while
// has_more; when the caller's params set ending_before it walks the other
// way, following ending_before with each page's first id and yielding each
// page's objects in reverse, so that iteration always moves away from the
// cursor. It stops at the first error (yielded once), when the loop
// breaks, or with an error when the cursors it is sent to go round in a
// cycle.
func paginate[P, T any](ctx context.Context, p P, at func(*P) cursors, fetch func(context.Context, *P) (*Page[T], error), id func(T) string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		p := p // each iteration moves its own cursor
		c := at(&p)
		backwards := *c.before != nil
		checkpoint := ""
		if cur := cursorOf(c, backwards); cur != nil {
			checkpoint = *cur
		}
		steps, power := 0, 1
		for {
			page, err := fetch(ctx, &p)
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
				*c.before = &next
			} else {
				*c.after = &next
			}
		}
	}
}

func cursorOf(c cursors, backwards bool) *string {
	if backwards {
		return *c.before
	}
	return *c.after
}
