package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/gen"
)

// apiKey is any well-formed sandbox key: the canned server does not check it.
const apiKey = "sk_sandbox_bench"

// appointmentID is the id the per-call benchmarks read and confirm.
const appointmentID = "apt_5RtY7uIo"

// sampleAppointment is a full appointment as the API returns it, with every
// field set, so decoding costs what it costs in production.
func sampleAppointment(id string) gen.Appointment {
	at := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	dob, err := time.Parse(time.DateOnly, "1986-04-12")
	if err != nil {
		panic(err)
	}
	return gen.Appointment{
		ID: id, Object: "appointment", Status: gen.AppointmentStatusConfirmed,
		AppointmentTypeID: "aptype_gp15", PractitionerID: "prac_ahmed",
		Start: at("2026-12-01T09:00:00Z"), End: at("2026-12-01T09:15:00Z"), OriginalStart: at("2026-12-01T09:00:00Z"),
		ConfirmedAt:              at("2026-11-24T10:02:00Z"),
		PartnerReference:         connected.Ptr("case-4471"),
		ExternalPaymentReference: "pi_3PaYmEnT", Metadata: map[string]string{"order_id": "ord_8812"},
		Patient: gen.Patient{
			ID: "pat_3kTq9vXb2LmN", Object: "patient", FirstName: "Jane", LastName: "Doe",
			Email: "jane.doe@example.com", Phone: connected.Ptr("+447700900123"),
			Sex: "female", DateOfBirth: openapi_types.Date{Time: dob}, Metadata: map[string]string{"crm_id": "c-1001"},
		},
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// appointmentBody is the canned answer to GET and to confirm.
var appointmentBody = mustJSON(sampleAppointment(appointmentID))

// listItemPrefix and listItemSuffix surround the id of one list item, so a
// page is written by concatenation instead of by encoding 100 objects: the
// server's own cost must stay small next to the clients being measured.
var listItemPrefix, listItemSuffix = func() ([]byte, []byte) {
	const marker = "apt_00000000"
	b := mustJSON(sampleAppointment(marker))
	i := bytes.Index(b, []byte(marker))
	if i < 0 || bytes.Count(b, []byte(marker)) != 1 {
		panic("the list item template must hold the id exactly once")
	}
	return b[:i], b[i+len(marker):]
}()

// listID is the id of the i-th appointment of the generated list (0-based);
// the fixed width keeps every page the same size.
func listID(i int) string { return fmt.Sprintf("apt_%08d", i) }

// cannedServer answers the three requests the client benchmarks make with
// fixed bytes, and generates list pages on the fly, so its cost is constant
// and small. It counts the TCP connections its clients open.
type cannedServer struct {
	*httptest.Server
	total int // size of the appointment list
	dials atomic.Int64
}

// newCannedServer starts a canned server whose appointment list holds total
// appointments. It is closed when tb ends.
func newCannedServer(tb testing.TB, total int) *cannedServer {
	tb.Helper()
	s := &cannedServer{total: total}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.dials.Add(1)
		}
	}
	s.Start()
	tb.Cleanup(s.Close)
	return s
}

// baseURL is the API base URL the clients are given.
func (s *cannedServer) baseURL() string { return s.URL + "/v1" }

func (s *cannedServer) serve(w http.ResponseWriter, r *http.Request) {
	const prefix = "/v1/connected/appointments"
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["X-Request-Id"] = []string{"req_bench"}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == prefix:
		s.page(w, r)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, prefix+"/"):
		_, _ = w.Write(appointmentBody)
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/confirm"):
		// Read the body as a real server does, so the client's write of it
		// completes before the answer.
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = w.Write(appointmentBody)
	default:
		http.NotFound(w, r)
	}
}

// page writes the page after starting_after (ids are apt_%08d, in order).
func (s *cannedServer) page(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit < 1 || limit > 100 {
		limit = 10
	}
	from := 0
	if after := q.Get("starting_after"); after != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(after, "apt_"))
		if err != nil {
			http.Error(w, "bad cursor", http.StatusBadRequest)
			return
		}
		from = n + 1
	}
	to := min(from+limit, s.total)
	buf := make([]byte, 0, (to-from)*(len(listItemPrefix)+len(listItemSuffix)+13)+96)
	buf = append(buf, `{"object":"list","url":"/v1/connected/appointments","data":[`...)
	for i := from; i < to; i++ {
		if i > from {
			buf = append(buf, ',')
		}
		buf = append(buf, listItemPrefix...)
		buf = append(buf, listID(i)...)
		buf = append(buf, listItemSuffix...)
	}
	buf = append(buf, `],"has_more":`...)
	buf = strconv.AppendBool(buf, to < s.total)
	buf = append(buf, '}')
	_, _ = w.Write(buf)
}

// newHTTPClient is the one *http.Client the three clients of a comparison
// share, so connection reuse is identical. MaxIdleConnsPerHost is raised
// from net/http's 2 so that sequential benchmarks never redial.
func newHTTPClient(tb testing.TB) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	tb.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// confirmParams is the body of every benchmarked confirm.
func confirmParams() *connected.ConfirmParams {
	dob, err := connected.ParseDate("1986-04-12")
	if err != nil {
		panic(err)
	}
	return &connected.ConfirmParams{
		ExternalPaymentReference: "pi_3PaYmEnT", PartnerReference: connected.Ptr("case-4471"),
		Metadata: map[string]string{"order_id": "ord_8812"},
		Patient: connected.PatientInput{
			FirstName: "Jane", LastName: "Doe", Email: "jane.doe@example.com",
			Phone: connected.Ptr("+447700900123"), Sex: connected.SexFemale, DateOfBirth: dob,
		},
	}
}

// holdToken is the hold token every benchmarked confirm sends.
const holdToken = "aht_Zp4Xc8Vb1Nm2Qw6E"
