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

// paginate picks the page [lo, hi) of an n-item list, Stripe-style:
// starting_after walks forward from the cursor, ending_before backward, and
// has_more says whether items remain in the direction of travel.
func paginate(n int, p listParams, locate locator) (lo, hi int, hasMore bool, err *apiError) {
	limit := contract.LimitDefault
	if p.limit != nil {
		if *p.limit < contract.LimitMinimum || *p.limit > contract.LimitMaximum {
			return 0, 0, false, errParamInvalid("limit", fmt.Sprintf("must be between %d and %d", contract.LimitMinimum, contract.LimitMaximum))
		}
		limit = *p.limit
	}
	if p.startingAfter != nil && p.endingBefore != nil {
		return 0, 0, false, errParamInvalid("ending_before", "cannot be combined with starting_after")
	}
	switch {
	case p.startingAfter != nil:
		_, through, ok := locate(*p.startingAfter)
		if !ok {
			return 0, 0, false, errParamInvalid("starting_after", "names no object in this list")
		}
		lo = through
		hi = min(lo+limit, n)
		return lo, hi, hi < n, nil
	case p.endingBefore != nil:
		before, _, ok := locate(*p.endingBefore)
		if !ok {
			return 0, 0, false, errParamInvalid("ending_before", "names no object in this list")
		}
		hi = before
		lo = max(0, hi-limit)
		return lo, hi, lo > 0, nil
	}
	hi = min(limit, n)
	return 0, hi, hi < n, nil
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
