package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dronline/connected-go/connected/connectedtest"
	"github.com/dronline/connected-go/gen"
)

type journalFaultJSON struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
}

type journalEntryJSON struct {
	Object         string            `json:"object"`
	RequestID      string            `json:"request_id"`
	Method         string            `json:"method"`
	Path           string            `json:"path"`
	Template       *string           `json:"template"`
	Status         *int              `json:"status"`
	IdempotencyKey *string           `json:"idempotency_key"`
	Replayed       bool              `json:"replayed"`
	Fault          *journalFaultJSON `json:"fault"`
	ReceivedAt     time.Time         `json:"received_at"`
	DurationMS     float64           `json:"duration_ms"`
	// Credential is the API key the request sent, shortened to its
	// prefix and last four characters; null when it sent none.
	Credential     *string           `json:"credential"`
	RequestHeaders map[string]string `json:"request_headers"`
	// ResponseHeaders are the headers sent, lowercased; null when no
	// response was (a dropped connection).
	ResponseHeaders map[string]string `json:"response_headers"`
	// Truncated names the bodies cut to the journal's BodyBytes.
	Truncated []string `json:"truncated"`
	// The bodies, JSON values (see bodyJSON), follow as request_body and
	// response_body, each left out when empty: encodeJournalEntry appends
	// them.
	RequestBody, ResponseBody json.RawMessage `json:"-"`
	// The headers as the exchange gave them, the request's redacted (and
	// shared, never changed), the response's a copy; encodeJournalEntry
	// writes them as RequestHeaders and ResponseHeaders.
	requestHeader, responseHeader http.Header
}

// encodeJournalEntry is e's JSON. The bodies are appended as they are:
// bodyJSON made each a JSON value already, and encoding/json would check
// and compact each again, which was most of what journaling an exchange
// cost (a list of appointment types: 2 KB).
func encodeJournalEntry(e journalEntryJSON) ([]byte, error) {
	e.RequestHeaders = lowerHeaders(e.requestHeader)
	if e.responseHeader != nil {
		e.ResponseHeaders = lowerHeaders(e.responseHeader)
	}
	raw, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	raw = raw[:len(raw)-1] // the closing brace
	for _, b := range []struct {
		name string
		v    json.RawMessage
	}{{"request_body", e.RequestBody}, {"response_body", e.ResponseBody}} {
		if len(b.v) > 0 {
			raw = append(append(append(raw, `,"`...), b.name...), `":`...)
			raw = append(raw, b.v...)
		}
	}
	return append(raw, '}'), nil
}

// bodyJSON is a recorded body as a JSON value: itself when it is JSON, a
// string when it is not, nil (the member left out) when empty.
func bodyJSON(b []byte) json.RawMessage {
	if len(b) == 0 {
		return nil
	}
	if json.Valid(b) {
		return b
	}
	s, _ := json.Marshal(string(b))
	return s
}

// renderJournalEntry is x's entry, bodies aside. template is the
// request's contract template, or "".
func renderJournalEntry(x connectedtest.Exchange, template string) journalEntryJSON {
	r := x.Request
	out := journalEntryJSON{
		Object: "sandbox_request", RequestID: r.RequestID, Method: r.Method, Path: r.Path,
		Template: orNull(template), Credential: orNull(r.Credential), IdempotencyKey: orNull(r.IdempotencyKey),
		Replayed: r.Replayed, ReceivedAt: r.Time, DurationMS: float64(r.Duration.Microseconds()) / 1000,
		Truncated: []string{}, requestHeader: r.Header, responseHeader: x.ResponseHeader.Clone(),
	}
	if r.Status != 0 {
		st := r.Status
		out.Status = &st
	}
	if r.Fault != nil {
		out.Fault = &journalFaultJSON{ID: r.Fault.ID(), Kind: faultKind(r.Fault)}
	}
	return out
}

// lowerHeaders is h as the journal shows headers: names in lower case,
// several values joined by ", ".
func lowerHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[strings.ToLower(k)] = strings.Join(v, ", ")
	}
	return out
}

// journalFilter is GET /_sandbox/requests's query.
type journalFilter struct {
	method, path, idemKey string
	// after is a request id: only entries journaled after its entry.
	after     string
	status    int
	hasStatus bool
	since     time.Time
	limit     int
}

func parseJournalFilter(r *http.Request) (journalFilter, *apiError) {
	q := r.URL.Query()
	f := journalFilter{method: strings.ToUpper(q.Get("method")), path: q.Get("path"), idemKey: q.Get("idempotency_key"), after: q.Get("after"), limit: 100}
	if v := q.Get("status"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 599 {
			return f, errParamInvalid("status", "an HTTP status, or 0 for requests answered with none")
		}
		f.status, f.hasStatus = n, true
	}
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return f, errParamInvalid("since", "an RFC 3339 date-time")
		}
		f.since = t
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return f, errParamInvalid("limit", "from 1 to 1000")
		}
		f.limit = n
	}
	return f, nil
}

func (f journalFilter) matches(r *journalRecord) bool {
	switch {
	case f.method != "" && r.method != f.method,
		f.idemKey != "" && r.idemKey != f.idemKey,
		f.hasStatus && r.status != f.status,
		!f.since.IsZero() && r.at.Before(f.since):
		return false
	}
	// The template, as faults take it, or the very path.
	return f.path == "" || r.rel == f.path || r.path == f.path || r.template == f.path
}

func (c *controller) listJournal(w http.ResponseWriter, r *http.Request) {
	f, e := parseJournalFilter(r)
	if e != nil {
		e.write(w)
		return
	}
	// The revision changes with anything in the sandbox a page would
	// show; while it has not, the caller's copy is current.
	etag := `"` + strconv.FormatUint(c.revision(), 10) + `"`
	w.Header().Set("ETag", etag)
	if inm := r.Header.Get("If-None-Match"); inm != "" && inm == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	recs, hasMore, found := c.journal.find(f)
	if !found {
		w.Header().Del("ETag")
		invalid(http.StatusNotFound, gen.ErrorCodeResourceMissing, "after",
			"No request '"+f.after+"' in the journal: it was cleared, or pushed out by newer ones. Read the journal again without after.").write(w)
		return
	}
	// The entries were rendered when written: the answer is the list
	// envelope around them, as encoding/json would write it, written
	// piece by piece so that a read allocates nothing the size of its
	// answer.
	url, _ := json.Marshal(r.URL.Path)
	tail := append(strconv.AppendBool([]byte(`],"has_more":`), hasMore), `,"url":`...)
	tail = append(append(tail, url...), '}')
	const head = `{"object":"list","data":[`
	size := len(head) + len(tail)
	for i, rec := range recs {
		size += len(rec.json())
		if i > 0 {
			size++
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(size))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	_, _ = io.WriteString(w, head)
	for i, rec := range recs {
		if i > 0 {
			_, _ = w.Write(comma)
		}
		_, _ = w.Write(rec.json())
	}
	_, _ = w.Write(tail)
}

var comma = []byte{','}

func (c *controller) clearJournal(w http.ResponseWriter, _ *http.Request) {
	c.journal.clear()
	c.srv.ClearRequests()
	w.WriteHeader(http.StatusNoContent)
}
