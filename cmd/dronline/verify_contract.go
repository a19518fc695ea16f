package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/dronline/connected-go/api"
)

// A finding is one difference between an exchange and the pinned
// contract. A violation breaks the contract: the SDK may fail or mislead.
// An addition is something the contract does not list (a property, an
// enum value, a header): the pinned contract is behind, nothing breaks.
//
// Where and What never hold a value from the request or the response,
// only JSON paths, names and what the contract says: a body may hold a
// patient's details.
type finding struct {
	Kind  string `json:"kind"`  // kindViolation or kindAddition
	Where string `json:"where"` // "$.data[0].start", "status", "header X-Request-Id", "request body $.slot_id"
	What  string `json:"what"`  // what the contract says
	Count int    `json:"count"` // how many items of a list showed it (1 at least)
}

const (
	kindViolation = "violation"
	kindAddition  = "addition"
)

// exchange is one attempt as sent and as answered, kept in memory for the
// check only: never printed.
type exchange struct {
	method     string
	template   string            // the contract's path template
	pathParams map[string]string // the template's values
	request    *http.Request     // as sent, with reqBody as its body
	reqBody    []byte
	status     int // 0 when no response came
	header     http.Header
	body       []byte
}

// contractChecker checks exchanges against the pinned contract
// (api.Spec) with kin-openapi: the rules come from the spec only.
type contractChecker struct {
	doc     *openapi3.T
	headers map[string]bool // every response header the contract names, canonical
}

func newContractChecker() (*contractChecker, error) {
	doc, err := openapi3.NewLoader().LoadFromData(api.Spec())
	if err != nil {
		return nil, fmt.Errorf("loading the pinned contract: %w", err)
	}
	c := &contractChecker{doc: doc, headers: map[string]bool{}}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, r := range op.Responses.Map() {
				for name := range r.Value.Headers {
					c.headers[http.CanonicalHeaderKey(name)] = true
				}
			}
		}
	}
	return c, nil
}

// version is the pinned contract's info.version.
func (c *contractChecker) version() string { return c.doc.Info.Version }

// check returns what differs between ex and the contract, violations
// first, each once (a difference repeated over a list's items is counted).
func (c *contractChecker) check(ex *exchange) []finding {
	item := c.doc.Paths.Value(ex.template)
	var op *openapi3.Operation
	if item != nil {
		op = item.GetOperation(ex.method)
	}
	if op == nil {
		return []finding{{Kind: kindViolation, Where: "operation", What: fmt.Sprintf("%s %s is not in the pinned contract", ex.method, ex.template)}}
	}
	var fs []finding
	fs = append(fs, c.checkRequest(ex, item, op)...)
	if ex.status != 0 {
		fs = append(fs, c.checkResponse(ex, op)...)
	}
	return dedupe(fs)
}

// checkRequest validates what was sent: a request the contract forbids is
// a violation of this command's (or the SDK's) own.
func (c *contractChecker) checkRequest(ex *exchange, item *openapi3.PathItem, op *openapi3.Operation) []finding {
	if ex.request == nil {
		return nil
	}
	r := ex.request.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(ex.reqBody))
	in := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: ex.pathParams,
		Route:      &routers.Route{Spec: c.doc, Path: ex.template, PathItem: item, Method: ex.method, Operation: op},
		Options: &openapi3filter.Options{
			MultiError:          true,
			SkipSettingDefaults: true,
			// The API checks the key; the contract only declares bearer auth.
			AuthenticationFunc: func(context.Context, *openapi3filter.AuthenticationInput) error { return nil },
		},
	}
	err := openapi3filter.ValidateRequest(context.Background(), in)
	if err == nil {
		return nil
	}
	var fs []finding
	for _, e := range flatten(err) {
		var re *openapi3filter.RequestError
		where := "request"
		if errors.As(e, &re) {
			switch {
			case re.Parameter != nil:
				where = fmt.Sprintf("request %s parameter %s", re.Parameter.In, re.Parameter.Name)
			case re.RequestBody != nil:
				where = "request body"
			}
			if re.Err != nil {
				e = re.Err
			}
		}
		schemaFindings := schemaErrors(e, nil, false)
		if len(schemaFindings) == 0 {
			fs = append(fs, finding{Kind: kindViolation, Where: where, What: "the request breaks the contract"})
		}
		for _, f := range schemaFindings {
			f.Kind, f.Where = kindViolation, where+" "+f.Where
			fs = append(fs, f)
		}
	}
	return fs
}

// checkResponse validates the status, the headers the contract names and
// the body, then looks for what the contract does not list.
func (c *contractChecker) checkResponse(ex *exchange, op *openapi3.Operation) []finding {
	ref := op.Responses.Status(ex.status)
	if ref == nil {
		ref = op.Responses.Default()
		if ref == nil || ex.status < 400 {
			// Not checked further: the schema of another status would
			// only add noise.
			return []finding{{Kind: kindViolation, Where: "status", What: fmt.Sprintf("%d is not a status the contract documents for %s", ex.status, op.OperationID)}}
		}
	}
	resp := ref.Value
	fs := c.checkHeaders(ex.header, resp)
	media := resp.Content.Get("application/json")
	if media == nil || media.Schema == nil {
		return fs
	}
	if mt, _, err := mime.ParseMediaType(ex.header.Get("Content-Type")); err != nil || mt != "application/json" {
		return append(fs, finding{Kind: kindViolation, Where: "header Content-Type", What: "must be application/json"})
	}
	var body any
	if err := json.Unmarshal(ex.body, &body); err != nil {
		return append(fs, finding{Kind: kindViolation, Where: "$", What: "must be JSON"})
	}
	err := media.Schema.Value.VisitJSON(body, openapi3.MultiErrors(), openapi3.VisitAsResponse(), openapi3.EnableFormatValidation())
	fs = append(fs, schemaErrors(err, nil, true)...)
	return append(fs, unlisted(media.Schema.Value, body, "$")...)
}

// checkHeaders checks the headers resp names, and lists X- headers the
// contract names nowhere as additions (standard HTTP headers are the
// transport's, not the contract's).
func (c *contractChecker) checkHeaders(h http.Header, resp *openapi3.Response) []finding {
	var fs []finding
	names := make([]string, 0, len(resp.Headers))
	for name := range resp.Headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		hdr := resp.Headers[name].Value
		where := "header " + name
		vals := h.Values(name)
		if len(vals) == 0 {
			if hdr.Required {
				fs = append(fs, finding{Kind: kindViolation, Where: where, What: "required by the contract, missing"})
			}
			continue
		}
		if hdr.Schema == nil || hdr.Schema.Value == nil {
			continue
		}
		var v any = vals[0]
		if hdr.Schema.Value.Type.Is("integer") || hdr.Schema.Value.Type.Is("number") {
			n, err := strconv.ParseFloat(vals[0], 64)
			if err != nil {
				fs = append(fs, finding{Kind: kindViolation, Where: where, What: "must be " + typeName(hdr.Schema.Value)})
				continue
			}
			v = n
		}
		err := hdr.Schema.Value.VisitJSON(v, openapi3.MultiErrors(), openapi3.VisitAsResponse())
		for _, f := range schemaErrors(err, nil, true) {
			f.Where = where
			fs = append(fs, f)
		}
	}
	var extra []string
	for name := range h {
		name = http.CanonicalHeaderKey(name)
		if strings.HasPrefix(name, "X-") && !c.headers[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		fs = append(fs, finding{Kind: kindAddition, Where: "header " + name, What: "a header the contract does not list"})
	}
	return fs
}

// flatten lists the errors of a kin-openapi MultiError, at any depth.
func flatten(err error) []error {
	// Only a MultiError itself: one inside a RequestError stays there, so
	// that the finding can name the parameter or the body.
	if me, ok := err.(openapi3.MultiError); ok { //nolint:errorlint // see above
		var out []error
		for _, e := range me {
			out = append(out, flatten(e)...)
		}
		return out
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

// schemaErrors turns kin-openapi's schema errors into findings. An enum
// value the contract does not list in a response is an addition (the
// documentation calls new values additive); everything else is a
// violation. The messages are built from the schema, never from the
// value.
func schemaErrors(err error, prefix []string, response bool) []finding {
	var fs []finding
	for _, e := range flatten(err) {
		var se *openapi3.SchemaError
		if !errors.As(e, &se) {
			fs = append(fs, finding{Kind: kindViolation, Where: jsonPath(prefix), What: "breaks the contract"})
			continue
		}
		path := append(append([]string(nil), prefix...), se.JSONPointer()...)
		if isSchemaError(se.Origin) {
			// allOf and friends: the cause is the inner schema's error.
			fs = append(fs, schemaErrors(se.Origin, path, response)...)
			continue
		}
		f := finding{Kind: kindViolation, Where: jsonPath(path), What: schemaMessage(se)}
		if response && se.SchemaField == "enum" {
			f.Kind = kindAddition
		}
		fs = append(fs, f)
	}
	return fs
}

func isSchemaError(err error) bool {
	switch err.(type) { //nolint:errorlint // kin-openapi's own wrapping only
	case *openapi3.SchemaError, openapi3.MultiError:
		return true
	}
	return false
}

func schemaMessage(se *openapi3.SchemaError) string {
	s := se.Schema
	switch se.SchemaField {
	case "required":
		return "required by the contract, missing"
	case "type":
		return "must be " + typeName(s)
	case "nullable":
		return "must not be null"
	case "enum":
		vals := make([]string, 0, len(s.Enum))
		for _, v := range s.Enum {
			vals = append(vals, fmt.Sprint(v))
		}
		return "a value the contract's enum does not list (it lists " + strings.Join(vals, ", ") + ")"
	case "format":
		return "must be a valid " + s.Format
	case "additionalProperties":
		return "a property the contract forbids"
	default:
		return "breaks the contract's " + se.SchemaField
	}
}

func typeName(s *openapi3.Schema) string {
	if s == nil || s.Type == nil || len(s.Type.Slice()) == 0 {
		return "of the contract's type"
	}
	t := strings.Join(s.Type.Slice(), " or ")
	if s.Nullable {
		t += " or null"
	}
	if strings.ContainsAny(t[:1], "aeiou") {
		return "an " + t
	}
	return "a " + t
}

// jsonPath writes a JSON pointer's segments as $.a[0].b.
func jsonPath(segs []string) string {
	var b strings.Builder
	b.WriteString("$")
	for _, s := range segs {
		if _, err := strconv.Atoi(s); err == nil {
			b.WriteString("[" + s + "]")
		} else {
			b.WriteString("." + s)
		}
	}
	return b.String()
}
