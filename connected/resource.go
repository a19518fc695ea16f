package connected

import "context"

// get runs a call whose 2xx body is one object of type T.
func get[T any](ctx context.Context, c *Client, op operation, opts []CallOption) (*T, outcome, error) {
	var out T
	res, err := c.call(ctx, op, opts, &out)
	if err != nil {
		return nil, res, err
	}
	return &out, res, nil
}
