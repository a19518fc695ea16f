package connected

import (
	"context"

	"github.com/dronline/connected-go/gen"
)

// AccountService reads the credential's account.
type AccountService struct{ c *Client }

// Get returns the account: currency, timezone, feature flags and contract
// version. It is the first call of the booking flow.
func (s *AccountService) Get(ctx context.Context, opts ...CallOption) (*Account, error) {
	a, _, err := get[Account](ctx, s.c, opGetAccount(gen.NewGetAccountRequest), opts)
	return a, err
}
