package sandbox

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dronline/connected-go/connected/connectedtest"
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
	RequestHeaders map[string]string `json:"request_headers"`
	RequestBody    json.RawMessage   `json:"request_body,omitempty"`
	ResponseBody   json.RawMessage   `json:"response_body,omitempty"`
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

func renderJournalEntry(r connectedtest.RecordedRequest) journalEntryJSON {
	rel := strings.TrimPrefix(r.Path, basePath)
	out := journalEntryJSON{
		Object: "sandbox_request", RequestID: r.RequestID, Method: r.Method, Path: r.Path,
		Template: orNull(templateOf(rel)), IdempotencyKey: orNull(r.IdempotencyKey), Replayed: r.Replayed,
		ReceivedAt: r.Time, DurationMS: float64(r.Duration.Microseconds()) / 1000,
		RequestHeaders: map[string]string{},
		RequestBody:    bodyJSON(r.RequestBody), ResponseBody: bodyJSON(r.ResponseBody),
	}
	if r.Status != 0 {
		st := r.Status
		out.Status = &st
	}
	if r.Fault != nil {
		out.Fault = &journalFaultJSON{ID: r.Fault.ID(), Kind: faultKind(r.Fault)}
	}
	for k, v := range r.Header { // already redacted when recorded
		out.RequestHeaders[strings.ToLower(k)] = strings.Join(v, ", ")
	}
	return out
}

// journalFilter is GET /_sandbox/requests's query.
type journalFilter struct {
	method, path, idemKey string
	status                int
	hasStatus             bool
	since                 time.Time
	limit                 int
}

func parseJournalFilter(r *http.Request) (journalFilter, *apiError) {
	q := r.URL.Query()
	f := journalFilter{method: strings.ToUpper(q.Get("method")), path: q.Get("path"), idemKey: q.Get("idempotency_key"), limit: 100}
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

func (f journalFilter) matches(r connectedtest.RecordedRequest) bool {
	switch {
	case f.method != "" && r.Method != f.method,
		f.idemKey != "" && r.IdempotencyKey != f.idemKey,
		f.hasStatus && r.Status != f.status,
		!f.since.IsZero() && r.Time.Before(f.since):
		return false
	}
	if f.path != "" {
		rel := strings.TrimPrefix(r.Path, basePath)
		// The template, as faults take it, or the very path.
		if rel != f.path && r.Path != f.path && templateOf(rel) != f.path {
			return false
		}
	}
	return true
}

func (c *controller) listJournal(w http.ResponseWriter, r *http.Request) {
	f, e := parseJournalFilter(r)
	if e != nil {
		e.write(w)
		return
	}
	all := c.srv.Requests()
	var out []journalEntryJSON
	hasMore := false
	for i := len(all) - 1; i >= 0; i-- { // newest first
		if !f.matches(all[i]) {
			continue
		}
		if len(out) == f.limit {
			hasMore = true
			break
		}
		out = append(out, renderJournalEntry(all[i]))
	}
	l := newList(r.URL.Path, out)
	l.HasMore = hasMore
	writeJSON(w, http.StatusOK, l)
}

func (c *controller) clearJournal(w http.ResponseWriter, _ *http.Request) {
	c.srv.ClearRequests()
	w.WriteHeader(http.StatusNoContent)
}
