package connected

import (
	"context"
	"net/http"
)

// get runs a call whose 2xx body is one object of type T.
func get[T any](ctx context.Context, c *Client, op operation, opts []Option) (*T, outcome, error) {
	var out T
	res, err := c.call(ctx, op, opts, &out)
	if err != nil {
		return nil, res, err
	}
	return &out, res, nil
}

// getOp is an operation without a body or an idempotency key.
func getOp(path string, build func(server string) (*http.Request, error)) operation {
	return operation{method: http.MethodGet, path: path, buildGet: build}
}

// postOp is a POST operation; build receives the call's idempotency key.
func postOp(path string, build func(server, idempotencyKey string) (*http.Request, error)) operation {
	return operation{method: http.MethodPost, path: path, build: build}
}
