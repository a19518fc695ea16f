// Package connectedtest runs a fake Dr.Online Connected API for tests: a
// stateful, in-memory server on a real loopback HTTP listener, in the
// manner of net/http/httptest.
//
// Unlike a mock that echoes examples, it enforces the documented rules, so
// integration tests catch the mistakes that hurt in production: confirming
// with the hold's id instead of its appointment_id, confirming an expired
// hold, retrying a confirm without the same Idempotency-Key, rescheduling
// twice or too late. Each credential (see Server.AddCredential) has its own
// catalogue, holds, appointments, patients and idempotency keys; another
// credential's ids answer 404.
//
// Time is a fake clock: it stands still unless Server.Advance moves it (or
// WithClock supplies one), so holds expire and the 24 h / 48 h reschedule
// windows are crossed without sleeping. Slots are generated from the
// practitioners' working hours over the next 28 days, in the catalogue's
// timezone, and are sent in UTC.
//
// Server.InjectFault makes matching requests fail (a status with
// Retry-After, a non-JSON body, a dropped connection, a delay, a hang, or a
// lost response after the request was committed) for testing retries.
// Server.Requests records what arrived, with keys redacted.
//
// The server implements the strict server interface generated from the
// pinned OpenAPI contract, so a contract change that breaks it fails to
// compile, and WithSpecValidation checks live traffic against the contract.
// An operation the contract added that the fake does not implement yet
// answers HTTP 501 with the documented error envelope, type api_error and
// code ErrorCodeNotImplemented, its message naming the operation.
package connectedtest
