package connectedtest

import (
	"fmt"
	"slices"

	"github.com/dronline/connected-go/internal/contract"
)

// listParams are the pagination parameters every list takes.
type listParams struct {
	limit         *int
	startingAfter *string
	endingBefore  *string
}

// locator tells where a cursor id sits in a list: before is how many items
// sort strictly before it, through how many sort at or before it (through
// = before+1 when the id is in the list). ok is false for an id that names
// nothing the list could contain.
type locator func(id string) (before, through int, ok bool)

// pageSize is the page's size, once limit and the cursors pass the rules
// every list shares: limit within its bounds, at most one cursor.
func (p listParams) pageSize() (int, *apiError) {
	limit := contract.LimitDefault
	if p.limit != nil {
		if *p.limit < contract.LimitMinimum || *p.limit > contract.LimitMaximum {
			return 0, errParamInvalid("limit", fmt.Sprintf("must be between %d and %d", contract.LimitMinimum, contract.LimitMaximum))
		}
		limit = *p.limit
	}
	if p.startingAfter != nil && p.endingBefore != nil {
		return 0, errParamInvalid("ending_before", "cannot be combined with starting_after")
	}
	return limit, nil
}

// cursor is the cursor given, if any, and its parameter's name.
func (p listParams) cursor() (*string, string) {
	if p.endingBefore != nil {
		return p.endingBefore, "ending_before"
	}
	return p.startingAfter, "starting_after"
}

// paginate picks the page [lo, hi) of an n-item list, Stripe-style:
// starting_after walks forward from the cursor, ending_before backward, and
// has_more says whether items remain in the direction of travel.
func paginate(n int, p listParams, locate locator) (lo, hi int, hasMore bool, err *apiError) {
	limit, err := p.pageSize()
	if err != nil {
		return 0, 0, false, err
	}
	cursor, param := p.cursor()
	if cursor == nil {
		hi = min(limit, n)
		return 0, hi, hi < n, nil
	}
	before, through, ok := locate(*cursor)
	if !ok {
		return 0, 0, false, errParamInvalid(param, "names no object in this list")
	}
	if p.endingBefore != nil {
		lo = max(0, before-limit)
		return lo, before, lo > 0, nil
	}
	hi = min(through+limit, n)
	return through, hi, hi < n, nil
}

// locateByID is the locator of a list sorted by something other than the
// cursor: the id must be in the list.
func locateByID[T any](items []T, id func(T) string) locator {
	return func(cursor string) (int, int, bool) {
		i := slices.IndexFunc(items, func(t T) bool { return id(t) == cursor })
		if i < 0 {
			return 0, 0, false
		}
		return i, i + 1, true
	}
}

// listURL is the list's path relative to the host, as the spec's examples
// show: /v1/connected/….
func listURL(rel string) string { return basePath + rel }
