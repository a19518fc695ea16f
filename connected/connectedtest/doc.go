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
// # What the fake keeps, and for how long
//
// A fake may serve a test suite of thousands of bookings, or run for days
// as a shared sandbox (the command line's mock), so it keeps what the API
// can still be asked about and forgets the rest. Time is the fake clock's;
// "the next write" is the next hold, confirm, cancel or reschedule, or any
// request with an Idempotency-Key, of the same credential.
//
//   - Appointments, confirmed or cancelled, their patients and their
//     questionnaires: for the server's life. The API answers for them by id
//     and lists them for reconciliation, with no end date.
//   - A pending hold: until it is confirmed (it becomes the appointment) or
//     expires (WithHoldTTL, 10 minutes by default). An expired hold is
//     forgotten at the next write after its expiry, yet confirming it still
//     answers hold_token_invalid or hold_expired, with the time it expired,
//     however much later: its appointment_id carries that time, signed. A
//     confirmed hold's id is kept, so confirming it again still answers
//     hold_already_confirmed.
//   - An Idempotency-Key: 24 hours from its first use, during which the same
//     request replays its stored response; it is forgotten at the next
//     write after that, and the key is new again.
//   - Requests for Server.Requests: every one, for the server's life, unless
//     WithRequestRecording(false). Queued faults: until they have hit.
//
// Holds, confirms, cancels and reschedules cost the same whatever the
// credential's history (availability is indexed by practitioner and time),
// and so does a page of GET /connected/appointments; reconciling by
// partner_reference or external_payment_reference looks up an index.
//
// The server implements the strict server interface generated from the
// pinned OpenAPI contract, so a contract change that breaks it fails to
// compile, and WithSpecValidation checks live traffic against the contract.
// An operation the contract added that the fake does not implement yet
// answers HTTP 501 with the documented error envelope, type api_error and
// code ErrorCodeNotImplemented, its message naming the operation.
package connectedtest
