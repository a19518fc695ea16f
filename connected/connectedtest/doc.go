// Package connectedtest runs a fake Dr.Online Connected API for tests: a
// stateful, in-memory server on a real loopback HTTP listener, in the
// manner of net/http/httptest. Point a connected.Client at it with
// connected.WithBaseURL(srv.URL()) and srv.APIKey().
//
// Unlike a mock that echoes examples, it enforces the documented rules, so
// integration tests catch the mistakes that hurt in production: confirming
// with the hold's ID instead of its AppointmentID, confirming an expired
// hold, retrying a confirm without the same idempotency key, rescheduling
// twice or too late. Each credential (see Server.AddCredential) has its own
// catalogue, holds, appointments, patients and idempotency keys; another
// credential's ids answer 404 (connected.ErrNotFound).
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
// Server.Requests records what arrived, with secrets redacted.
//
// # What the fake keeps, and for how long
//
// A fake may serve a test suite of thousands of bookings, or run for days
// as a shared sandbox (the dronline command's mock), so it keeps what the
// API can still be asked about and forgets the rest. Time is the fake
// clock's; "the next write" is the next hold, confirm, cancel or
// reschedule, or any request with an Idempotency-Key, of the same
// credential.
//
//   - Appointments, confirmed or cancelled, their patients and their
//     questionnaires: for the server's life. The API answers for them by id
//     and lists them for reconciliation, with no end date.
//   - A pending hold: until it is confirmed (it becomes the appointment) or
//     expires (WithHoldTTL, 10 minutes by default). An expired hold is
//     forgotten at the next write after its expiry, yet confirming it still
//     answers connected.ErrorCodeHoldTokenInvalid or ErrorCodeHoldExpired,
//     with the time it expired, however much later. A confirmed hold is
//     remembered, so confirming it again still answers
//     ErrorCodeHoldAlreadyConfirmed.
//   - An Idempotency-Key: 24 hours from its first use, during which the same
//     request replays its stored response; it is forgotten at the next
//     write after that, and the key is new again.
//   - Requests for Server.Requests: every one, for the server's life, unless
//     WithRequestRecording(false). Queued faults: until they have hit.
//
// Holds, confirms, cancels and reschedules take the same time however many
// appointments the credential has, and so does a page of the appointment
// list, filtered with connected.AppointmentListParams or not.
//
// The fake follows the OpenAPI contract this release of the SDK was built
// from, and WithSpecValidation checks live traffic against it. An
// operation the contract added that the fake does not implement yet
// answers HTTP 501 with the API's error envelope, type
// connected.ErrorTypeAPI and code ErrorCodeNotImplemented, its message
// naming the operation.
package connectedtest
