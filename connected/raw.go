package connected

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/dronline/connected-go/internal/contract"
)

// RawParams are the parts of a raw call (Client.Do) besides its method,
// path template and body.
type RawParams struct {
	// Path holds the value of each {name} segment of the path template.
	// Each is checked as the SDK checks every id it sends and escaped; only
	// the template is ever logged.
	Path map[string]string
	// Query is the query string. Its values are never logged.
	Query url.Values
	// Header holds the operation's own headers, such as
	// X-Appointment-Hold-Token. The headers the SDK sets (Authorization,
	// Idempotency-Key: see WithIdempotencyKey, Accept, Content-Type,
	// Content-Length, Host, User-Agent) are refused, as by WithHeader.
	// Values are never logged.
	Header http.Header
}

// Do calls any operation of the Connected API, including one this SDK has
// no method for yet (one the contract added since this release), exactly
// as a method calls its own: the same retries and backoff, the same
// idempotency key made once per call and reused by every retry of a
// non-GET, the same *Error values, ResponseInfo, logging and limits, and
// every CallOption works as on a method.
//
// path is the operation's path template as the API documents it, relative
// to the base URL: "/connected/appointments/{appointment_id}/video_session".
// Ids go in params.Path, never in the template: the template is what the
// logger writes, so log lines stay free of ids. A literal segment may hold
// what a URL path carries unescaped (letters, digits and -._~!$&'()*+,;=:@);
// an empty segment, "." or "..", a query or fragment, a relative or
// absolute URL, and a params.Path value the template does not name are
// refused before sending.
//
// body, if not nil, is sent as JSON (encoding/json; pass json.RawMessage
// for JSON you encoded yourself). A 2xx response's JSON body is decoded
// into out, unless out is nil: pass a pointer to one of this package's
// types, to your own struct, or to a json.RawMessage or map[string]any.
//
// A bad method, path, parameter or body is refused before sending with an
// *Error whose Param names it.
func (c *Client) Do(ctx context.Context, method, path string, params *RawParams, body, out any, opts ...CallOption) error {
	op, err := rawOperation(method, path, params, body)
	if err != nil {
		// The hooks are told of the refused call by its method alone: a
		// path that was refused may hold what a template must not.
		return c.refuse(ctx, operation{method: method}, opts, err)
	}
	_, err = c.call(ctx, op, opts, out)
	return err
}

// rawMethod reports whether Do sends method. The API uses GET and POST;
// the others are allowed so that a future operation is callable too.
// Every one but GET carries an idempotency key.
func rawMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// rawOperation checks a raw call and turns it into the engine's operation,
// whose path is the template (for logs) and whose builder fills it in.
func rawOperation(method, path string, params *RawParams, body any) (operation, error) {
	var p RawParams
	if params != nil {
		p = *params
	}
	if !rawMethod(method) {
		return operation{}, fieldError(ErrorCodeParameterInvalid, "method", "method must be one of GET, POST, PUT, PATCH or DELETE")
	}
	concrete, err := fillPath(path, p.Path)
	if err != nil {
		return operation{}, err
	}
	header, err := rawHeader(p.Header)
	if err != nil {
		return operation{}, err
	}
	payload, err := rawBody(method, body)
	if err != nil {
		return operation{}, err
	}
	query := p.Query.Encode()
	return operation{method: method, path: path, build: func(server, idempotencyKey string) (*http.Request, error) {
		u, err := url.Parse(server)
		if err != nil {
			return nil, err
		}
		// Relative to the base URL, as the request builders build
		// paths, so a base of https://host/v1/ keeps its /v1.
		u, err = u.Parse("." + concrete)
		if err != nil {
			return nil, err
		}
		u.RawQuery = query
		var r io.Reader
		if payload != nil {
			r = bytes.NewReader(payload)
		}
		// Each attempt sends it with its own context.
		req, err := http.NewRequestWithContext(context.Background(), method, u.String(), r)
		if err != nil {
			return nil, err
		}
		for name, values := range header {
			req.Header[name] = values
		}
		if payload != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if idempotencyKey != "" {
			req.Header.Set(contract.IdempotencyKeyHeader, idempotencyKey)
		}
		return req, nil
	}}, nil
}

// fillPath checks a path template and fills in its {name} segments. It
// refuses anything that could leave the API's base URL, and a value in
// params.Path that the template does not name.
func fillPath(template string, values map[string]string) (string, error) {
	if !strings.HasPrefix(template, "/") || strings.ContainsAny(template, "?#") {
		return "", fieldError(ErrorCodeParameterInvalid, "path", "path must be a path template starting with /, without query or fragment (put query parameters in params.Query)")
	}
	used := make(map[string]bool, len(values))
	var b strings.Builder
	for i, seg := range strings.Split(template[1:], "/") {
		b.WriteByte('/')
		if name, ok := strings.CutPrefix(seg, "{"); ok {
			name, ok = strings.CutSuffix(name, "}")
			if !ok || !isParamName(name) {
				return "", fieldError(ErrorCodeParameterInvalid, "path", fmt.Sprintf("path segment %d is not a {name} parameter of letters, digits, '_', '-' and '.'", i+1))
			}
			v, ok := values[name]
			if !ok {
				return "", fieldError(ErrorCodeParameterMissing, name, "path parameter "+name+" has no value in params.Path")
			}
			if err := checkID(name, v); err != nil {
				return "", err
			}
			used[name] = true
			b.WriteString(url.PathEscape(v))
			continue
		}
		if !isLiteralSegment(seg) {
			// The segment is not echoed: it may well be an id.
			return "", fieldError(ErrorCodeParameterInvalid, "path", fmt.Sprintf(
				"path segment %d is empty, a dot segment, or holds a character a URL path cannot carry unescaped: put ids in params.Path and name them {name} in the template, which is what gets logged", i+1))
		}
		b.WriteString(seg)
	}
	for name := range values {
		if !used[name] {
			return "", fieldError(ErrorCodeParameterInvalid, "params.Path["+name+"]", "params.Path["+name+"] is not a {"+name+"} segment of the path template")
		}
	}
	return b.String(), nil
}

// isLiteralSegment reports whether s is a path segment a URL carries as
// it is: RFC 3986's pchar (unreserved, sub-delims, ':' and '@') without
// percent-encoding, braces or the dot segments "." and "..", never empty.
// A future path such as /connected/v2_reports or /connected/3ds passes.
func isLiteralSegment(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// isParamName reports whether s can name a {parameter} of a template.
func isParamName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// rawHeader checks RawParams.Header: an operation's own header parameters
// may be set there; the headers the SDK sets may not.
func rawHeader(h http.Header) (http.Header, error) {
	out := make(http.Header, len(h))
	for name, values := range h {
		canonical, err := headerName(name)
		if err != nil {
			return nil, err
		}
		if owner := headerOwner(canonical); owner != ownerNone && owner != ownerOperation {
			return nil, headerError(canonical, owner.reason())
		}
		for _, v := range values {
			if err := checkHeaderValue(canonical, v); err != nil {
				return nil, err
			}
		}
		out[canonical] = append(out[canonical], values...)
	}
	return out, nil
}

// rawBody encodes the body once; every attempt sends the same bytes.
func rawBody(method string, body any) ([]byte, error) {
	switch body.(type) {
	case nil:
		return nil, nil
	case []byte:
		return nil, fieldError(ErrorCodeParameterInvalid, "body", "body is a []byte, which encoding/json would send as a base64 string: pass json.RawMessage for JSON you encoded yourself")
	case io.Reader:
		return nil, fieldError(ErrorCodeParameterInvalid, "body", "body is an io.Reader: pass the value to encode, or json.RawMessage")
	}
	if method == http.MethodGet {
		return nil, fieldError(ErrorCodeParameterInvalid, "body", "a GET has no body: put its parameters in params.Query")
	}
	b, err := json.Marshal(body)
	if err != nil {
		// The encoder's message may quote a value; keep it as the cause only.
		return nil, &Error{Type: ErrorTypeInvalidRequest, Code: ErrorCodeParameterInvalid, Param: "body", Message: "body could not be encoded as JSON", Err: err}
	}
	return b, nil
}
