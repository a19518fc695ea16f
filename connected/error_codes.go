package connected

// ErrorType is the category of an error (`error.type`). Every type of the
// contract is a constant below.
type ErrorType string

// ErrorTypeConnection is not sent by the server: the SDK sets it when the
// call ended without a usable response (network failure, timeout,
// cancelled context, unreadable body).
const ErrorTypeConnection ErrorType = "connection_error"

// ErrorCode is the machine-readable code of an error (`error.code`): branch
// on it. Every code of the contract is a constant below. A code this SDK
// does not know yet is kept as sent.
type ErrorCode string
