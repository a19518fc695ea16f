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
	// X-Appointment-Hold-Token. The headers the SDK manages (Authorization,
	// Idempotency-Key: see WithIdempotencyKey, Content-Type, Accept,
	// User-Agent) cannot be set here. Values are never logged.
	Header http.Header
}

// Do calls any operation of the Connected API, including one this SDK has
// no method for yet (one the contract added since this release), through
// the engine every method uses: the same retries and backoff, the same
// idempotency key made once per call and reused by every retry of a
// non-GET, the same *Error values, ResponseInfo, logging and limits, and
// every Option works as on a method.
//
// path is the operation's path template as the API documents it, relative
// to the base URL: "/connected/appointments/{appointment_id}/video_session".
// Ids go in params.Path, never in the template: the template is what the
// logger writes, so log lines stay free of ids. A literal segment is
// lowercase letters, '_' and '-', as in every path of the API; anything
// else is refused before sending.
//
// body, if not nil, is sent as JSON (encoding/json; pass json.RawMessage
// for JSON you encoded yourself). A 2xx response's JSON body is decoded
// into out, unless out is nil: pass a pointer to one of this package's
// types, to your own struct, or to a json.RawMessage or map[string]any.
//
// A bad method, path, parameter or body is refused before sending with an
// *Error whose Param names it.
func (c *Client) Do(ctx context.Context, method, path string, params *RawParams, body, out any, opts ...Option) error {
	op, err := rawOperation(method, path, params, body)
	if err != nil {
		return err
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
			req.Header.Set("Idempotency-Key", idempotencyKey)
		}
		return req, nil
	}}, nil
}

// fillPath checks a path template and fills in its {name} segments. It
// refuses anything that could leave the API's base URL or put an id into
// the logged template.
func fillPath(template string, values map[string]string) (string, error) {
	if !strings.HasPrefix(template, "/") || strings.ContainsAny(template, "?#") {
		return "", fieldError(ErrorCodeParameterInvalid, "path", "path must be a path template starting with /, without query or fragment (put query parameters in params.Query)")
	}
	used := map[string]bool{}
	var b strings.Builder
	for i, seg := range strings.Split(template[1:], "/") {
		b.WriteByte('/')
		if name, ok := strings.CutPrefix(seg, "{"); ok {
			name, ok = strings.CutSuffix(name, "}")
			if !ok || !isLiteralSegment(name) {
				return "", fieldError(ErrorCodeParameterInvalid, "path", fmt.Sprintf("path segment %d is not a {name} parameter of lowercase letters, '_' and '-'", i+1))
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
				"path segment %d is not a literal of lowercase letters, '_' and '-': put ids in params.Path and name them {name} in the template, which is what gets logged", i+1))
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

// isLiteralSegment: lowercase ASCII letters, '_' and '-', never empty.
// Every segment of the API's paths is one; ids practically never are.
func isLiteralSegment(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'a' || c > 'z') && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// sdkHeader says why a header may not come from RawParams.Header, or ""
// if it may: the engine sets these itself.
func sdkHeader(canonical string) string {
	switch canonical {
	case "Authorization":
		return "is set from the client's key"
	case "Idempotency-Key":
		return "is set by the SDK: use WithIdempotencyKey"
	case "Content-Type", "Content-Length", "Accept", "User-Agent":
		return "is set by the SDK"
	case "Host":
		return "is the base URL's"
	}
	return ""
}

func rawHeader(h http.Header) (http.Header, error) {
	out := make(http.Header, len(h))
	for name, values := range h {
		canonical := http.CanonicalHeaderKey(name)
		if why := sdkHeader(canonical); why != "" {
			return nil, fieldError(ErrorCodeParameterInvalid, "header "+canonical, "header "+canonical+" "+why)
		}
		if name == "" || !validHeaderValue(name) || strings.ContainsAny(name, " :") {
			return nil, fieldError(ErrorCodeParameterInvalid, "header name", "params.Header has a name that is not a valid HTTP header name")
		}
		for _, v := range values {
			if !validHeaderValue(v) {
				return nil, fieldError(ErrorCodeParameterInvalid, "header "+canonical, "header "+canonical+" value contains control characters")
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
