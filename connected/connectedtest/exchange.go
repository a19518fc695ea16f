package connectedtest

import "net/http"

// Exchange is one request the server answered and its answer, bodies
// included, as a WithExchangeHook function receives it.
type Exchange struct {
	// Request is the request as Requests would return it, its secrets
	// redacted. Its Header is shared: read it, do not change it.
	Request RecordedRequest
	// RequestBody is the body the server read; nil when there was none,
	// and when it was refused as too large (413) or could not be read.
	// ResponseBody is the body sent; nil when none was (a dropped
	// connection, a hang). Both are as sent: a hold's token in them is not
	// redacted. They are valid only during the call: a function that
	// keeps them copies them.
	RequestBody, ResponseBody []byte
	// ResponseHeader is the response's headers as sent; nil when no
	// response was. It is shared and valid only during the call, like the
	// bodies: read it, do not change it.
	ResponseHeader http.Header
}

// WithExchangeHook calls f once for every request the server answers,
// after the answer is fixed and before the client can read its end, on the
// request's own goroutine: a journal of your own (with your bounds and
// your redaction) built as the server runs, such as the sandbox's. f is
// called whether or not WithRequestRecording is on, for requests that end
// in a fault too (Request.Fault); concurrent requests call it
// concurrently, and a slow f slows every request.
func WithExchangeHook(f func(Exchange)) Option {
	return Option{func(c *config) { c.exchangeHook = f }}
}
