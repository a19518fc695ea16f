package otelconnected

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"

	"github.com/dronline/connected-go/connected"
)

// The attributes of a call span that the semantic conventions do not
// name. None of them can hold an id or a patient's data: an operation is
// the contract's operationId or a method and path template.
const (
	operationKey = attribute.Key("dronline.operation")
	attemptsKey  = attribute.Key("dronline.attempts")
	replayedKey  = attribute.Key("dronline.replayed")
	ambiguousKey = attribute.Key("dronline.ambiguous")
)

// operationName names a call: the contract's operationId, or for a raw
// call its method and path template.
func operationName(op connected.Operation) string {
	if op.ID != "" {
		return op.ID
	}
	return op.Method + " " + op.Path
}

// requestMethod is http.request.method as the conventions want it: a
// method they do not know is "_OTHER", so that no odd method can grow the
// metrics' cardinality.
func requestMethod(m string) httpconv.RequestMethodAttr {
	switch m {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete,
		http.MethodHead, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return httpconv.RequestMethodAttr(m)
	}
	return httpconv.RequestMethodOther
}

// methodAttrs is the span's method: an unknown one is kept as
// http.request.method_original beside "_OTHER".
func methodAttrs(m string) []attribute.KeyValue {
	rm := requestMethod(m)
	if rm == httpconv.RequestMethodOther {
		return []attribute.KeyValue{semconv.HTTPRequestMethodKey.String(string(rm)), semconv.HTTPRequestMethodOriginal(m)}
	}
	return []attribute.KeyValue{semconv.HTTPRequestMethodKey.String(string(rm))}
}

// server is server.address and server.port: the host of the base URL, and
// its port or the scheme's.
func server(r *http.Request) (string, int) {
	if r == nil || r.URL == nil {
		return "", 0
	}
	u := r.URL
	if p, err := strconv.Atoi(u.Port()); err == nil {
		return u.Hostname(), p
	}
	if u.Scheme == "http" {
		return u.Hostname(), 80
	}
	return u.Hostname(), 443
}

// errorType is error.type: the API's error code; the status code of an
// error response without one, as the conventions ask; the kind of a
// transport failure; the SDK's error type otherwise. Never the message,
// which may quote an idempotency key. A code or type the contract does not
// list is _OTHER: what the server sends must not decide how many series a
// metric has.
func errorType(e *connected.Error) string {
	other := semconv.ErrorTypeOther.Value.AsString()
	switch {
	case e.Code != "" && e.Code.Known():
		return string(e.Code)
	case e.Code != "":
		return other
	case e.Type == connected.ErrorTypeConnection:
		var timeout interface{ Timeout() bool }
		switch {
		case errors.Is(e, context.Canceled):
			return "canceled"
		case errors.Is(e, context.DeadlineExceeded), errors.As(e.Err, &timeout) && timeout.Timeout():
			return "timeout"
		}
		return "connection_error"
	case e.StatusCode >= 400 && e.StatusCode <= 599:
		return strconv.Itoa(e.StatusCode)
	case e.Type.Known():
		return string(e.Type)
	}
	return other
}

// callErrorType is errorType of a call's error, which is a *connected.Error
// whenever the SDK made it.
func callErrorType(err error) string {
	var e *connected.Error
	if errors.As(err, &e) {
		return errorType(e)
	}
	var cfg *connected.ConfigError
	if errors.As(err, &cfg) {
		return "config_error" // a call refused for its options, the key or a header
	}
	return semconv.ErrorTypeOther.Value.AsString()
}
