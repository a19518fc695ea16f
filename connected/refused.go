package connected

import "context"

// refuse ends a call refused before anything was sent (a bad id, body or
// option) as every other call ends: the hooks see its CallStart and its
// CallEnd, with no attempt and the error, so that metrics and traces count
// the calls the SDK refused as well as those the API did. It returns err.
//
// The call's own options are used for the hooks when they are valid; when
// one of them is the mistake, the client's are.
func (c *Client) refuse(ctx context.Context, op operation, opts []CallOption, err error) error {
	cfg, optErr := c.cfg.forCall(opts)
	if optErr != nil {
		cfg = c.cfg
	}
	if cfg.watched().calls {
		call := CallInfo{Operation: op.public()}
		ctx = cfg.callStart(ctx, call)
		call.Err = err
		cfg.callEnd(ctx, call)
	}
	if cfg.responseInfo != nil {
		*cfg.responseInfo = ResponseInfo{}
	}
	return err
}
