// Package otelconnected traces and measures the calls of a connected.Client
// with OpenTelemetry, following the semantic conventions for HTTP clients.
//
//	client, err := connected.NewClient(key, connected.WithHooks(otelconnected.Hooks()))
//
// # Traces
//
// Each call is one span of kind INTERNAL named after the operation, such as
// "confirmAppointment" (for a raw call, its method and path template, such
// as "POST /connected/appointments/{appointment_id}/confirm"). Under it, each
// attempt is one span of kind CLIENT named after its method and path
// template, with the attributes http.request.method, url.template (the
// contract's path template), server.address, server.port,
// http.response.status_code when a response arrived,
// http.request.resend_count on a retry (1 for the first retry), and
// error.type when the attempt failed. The wait before a retry is the gap
// between two attempt spans.
//
// The call span records dronline.operation, dronline.attempts,
// dronline.replayed (the server replayed the result of an earlier request
// with the same idempotency key), dronline.ambiguous (the call may have
// taken effect although its result was not seen: call again with the same
// idempotency key) and, when the call failed, error.type. A failed span has
// the status Error, described by error.type alone.
//
// error.type is the API's error code (such as "slot_unavailable"); for an
// error response without a code, its status code ("503"); for an attempt
// that got no usable response, "timeout", "canceled" or
// "connection_error"; for a call refused before sending, the code of the
// refusal ("parameter_invalid") or "config_error" for a bad option;
// otherwise the SDK's error type. A code or type the
// contract this release was built from does not list is "_OTHER", so a
// server cannot multiply the series of a metric.
//
// The trace context of each attempt is injected into its request headers
// with the propagator (W3C traceparent with the usual global propagator),
// so the server's spans join the trace.
//
// # Metrics
//
//   - http.client.request.duration (histogram, seconds): each attempt, with
//     http.request.method, url.template, server.address, server.port,
//     http.response.status_code and error.type as on its span.
//   - dronline.client.call.duration (histogram, seconds): each call, from
//     its first attempt to its outcome, retries and waits included, with
//     dronline.operation and, on failure, error.type.
//   - dronline.client.call.attempts (histogram): how many attempts each
//     call made, with the same attributes.
//
// # Health data
//
// No span name, attribute or status carries an id, a query value, a body, a
// patient field, a hold token, an idempotency key or the API key: paths are
// the contract's templates, never the filled-in path, and errors are
// described by their code, never by their message.
package otelconnected
