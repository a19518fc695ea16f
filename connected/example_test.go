package connected_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// exampleServer starts the fake on a fixed Monday morning, so the examples'
// output is the same on every run.
func exampleServer() (*connectedtest.Server, *connected.Client) {
	srv := connectedtest.NewServer(connectedtest.WithStartTime(time.Date(2030, 1, 7, 8, 0, 0, 0, time.UTC)))
	client, err := connected.NewClient(srv.APIKey(), connected.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}
	return srv, client
}

// The whole booking flow: discover, hold, confirm, reconcile.
func Example() {
	srv, client := exampleServer()
	defer srv.Close()
	ctx := context.Background()

	account, err := client.Account.Get(ctx)
	if err != nil {
		panic(err)
	}
	from := srv.Now().Add(72 * time.Hour)
	slots, err := client.Slots.List(ctx, &connected.SlotListParams{AppointmentTypeID: connected.Ptr("aptype_gp15"), StartGte: &from})
	if err != nil {
		panic(err)
	}
	slot := slots.Data[0]

	dob, _ := connected.ParseDate("1986-04-12")
	patient := connected.PatientInput{FirstName: "Jane", LastName: "Doe", Email: "jane.doe@example.com", Sex: connected.SexFemale, DateOfBirth: dob}
	hold, err := client.Holds.Create(ctx, &connected.HoldParams{SlotID: slot.ID, Patient: &patient})
	if err != nil {
		panic(err)
	}
	appt, err := client.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken, &connected.ConfirmParams{
		Patient: patient, ExternalPaymentReference: "pi_3PaYmEnT", PartnerReference: connected.Ptr("case-4471"),
	})
	if err != nil {
		panic(err)
	}
	// From here on, use appt.ID: it may differ from hold.AppointmentID.

	for a, err := range client.Appointments.All(ctx, &connected.AppointmentListParams{PartnerReference: connected.Ptr("case-4471")}) {
		if err != nil {
			panic(err)
		}
		fmt.Println("reconciled:", a.ID == appt.ID, a.Status, a.Start.Format(time.RFC3339), account.Currency)
	}
	// Output: reconciled: true confirmed 2030-01-10T08:00:00Z gbp
}

// Branch on an error's code with errors.Is, or read its details with
// errors.As.
func ExampleError() {
	srv, client := exampleServer()
	defer srv.Close()

	_, err := client.Appointments.Get(context.Background(), "apt_does_not_exist")
	fmt.Println(errors.Is(err, connected.ErrNotFound))
	var apiErr *connected.Error
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.RequestID != "")
	}
	// Output:
	// true
	// 404 resource_missing true
}

// Make the idempotency key yourself and store it before the call when you
// must be able to repeat the call after a crash of your own process.
func ExampleWithIdempotencyKey() {
	srv, client := exampleServer()
	defer srv.Close()
	ctx := context.Background()
	slots, _ := client.Slots.List(ctx, &connected.SlotListParams{Limit: connected.Ptr(1)})

	key := connected.NewIdempotencyKey() // store it with your order first
	first, _ := client.Holds.Create(ctx, &connected.HoldParams{SlotID: slots.Data[0].ID}, connected.WithIdempotencyKey(key))
	again, _ := client.Holds.Create(ctx, &connected.HoldParams{SlotID: slots.Data[0].ID}, connected.WithIdempotencyKey(key))
	fmt.Println("same hold:", first.ID == again.ID)
	// Output: same hold: true
}

func ExampleAccountService_Get() {
	srv, client := exampleServer()
	defer srv.Close()
	account, err := client.Account.Get(context.Background())
	if err != nil {
		panic(err)
	}
	fmt.Println(account.Currency, account.Timezone, account.PathVersion)
	// Output: gbp Europe/London v1
}

func ExampleAppointmentTypeService_All() {
	srv, client := exampleServer()
	defer srv.Close()
	for t, err := range client.AppointmentTypes.All(context.Background(), nil) {
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %d minutes, %d pence, questionnaire %v\n", t.Name, t.DurationMinutes, t.PriceInCents, t.QuestionnaireRequired)
	}
	// Output:
	// Dermatology review: 20 minutes, 8500 pence, questionnaire true
	// GP video consultation: 15 minutes, 3900 pence, questionnaire false
	// Extended GP consultation: 30 minutes, 6900 pence, questionnaire false
	// Mental health assessment: 50 minutes, 12000 pence, questionnaire true
}

func ExamplePractitionerService_All() {
	srv, client := exampleServer()
	defer srv.Close()
	for p, err := range client.Practitioners.All(context.Background(), nil) {
		if err != nil {
			panic(err)
		}
		fmt.Println(p.Name, p.AppointmentTypeIDs)
	}
	// Output:
	// Dr Sara Ahmed [aptype_gp15 aptype_gp30]
	// Dr Tom Baker [aptype_derm20]
	// Dr Li Chen [aptype_gp15 aptype_mh50]
}

func ExampleSlotService_Validate() {
	srv, client := exampleServer()
	defer srv.Close()
	ctx := context.Background()
	slots, _ := client.Slots.List(ctx, &connected.SlotListParams{PractitionerID: connected.Ptr("prac_baker"), Limit: connected.Ptr(1)})
	v, err := client.Slots.Validate(ctx, &connected.SlotValidateParams{SlotID: slots.Data[0].ID})
	if err != nil {
		panic(err)
	}
	fmt.Println(slots.Data[0].Start.Format(time.RFC3339), v.Available)
	// Output: 2030-01-07T10:00:00Z true
}

// Hold a slot while the patient pays: the hold keeps the slot for a few
// minutes (until ExpiresAt). Confirm needs its AppointmentID and its
// HoldToken; the token is a secret, so keep it out of logs.
func ExampleHoldService_Create() {
	srv, client := exampleServer()
	defer srv.Close()
	ctx := context.Background()
	slots, err := client.Slots.List(ctx, &connected.SlotListParams{AppointmentTypeID: connected.Ptr("aptype_gp15"), Limit: connected.Ptr(1)})
	if err != nil {
		panic(err)
	}
	dob, _ := connected.ParseDate("1986-04-12")
	patient := connected.PatientInput{FirstName: "Jane", LastName: "Doe", Email: "jane.doe@example.com", Sex: connected.SexFemale, DateOfBirth: dob}
	hold, err := client.Holds.Create(ctx, &connected.HoldParams{
		SlotID: slots.Data[0].ID, Patient: &patient, Metadata: map[string]string{"order_id": "ord_8812"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(hold.SlotID == slots.Data[0].ID, hold.Start.Format(time.RFC3339), hold.ExpiresAt.Sub(srv.Now()), hold.Metadata["order_id"])

	// While the hold lasts, nobody else can hold the slot.
	_, err = client.Holds.Create(ctx, &connected.HoldParams{SlotID: slots.Data[0].ID})
	fmt.Println(errors.Is(err, connected.ErrSlotUnavailable))
	// Output:
	// true 2030-01-07T09:00:00Z 10m0s ord_8812
	// true
}

// bookExample books a GP slot three days ahead for the examples below.
func bookExample(client *connected.Client, srv *connectedtest.Server, typeID string) *connected.Appointment {
	ctx := context.Background()
	from := srv.Now().Add(72 * time.Hour)
	slots, err := client.Slots.List(ctx, &connected.SlotListParams{AppointmentTypeID: &typeID, StartGte: &from})
	if err != nil {
		panic(err)
	}
	dob, _ := connected.ParseDate("1986-04-12")
	patient := connected.PatientInput{FirstName: "Jane", LastName: "Doe", Email: "jane.doe@example.com", Sex: connected.SexFemale, DateOfBirth: dob}
	hold, err := client.Holds.Create(ctx, &connected.HoldParams{SlotID: slots.Data[0].ID})
	if err != nil {
		panic(err)
	}
	appt, err := client.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken, &connected.ConfirmParams{Patient: patient, ExternalPaymentReference: "pi_1"})
	if err != nil {
		panic(err)
	}
	return appt
}

func ExampleAppointmentService_Reschedule() {
	srv, client := exampleServer()
	defer srv.Close()
	ctx := context.Background()
	appt := bookExample(client, srv, "aptype_gp15")

	from, until := appt.Start.Add(time.Hour), appt.OriginalStart.Add(47*time.Hour)
	slots, _ := client.Slots.List(ctx, &connected.SlotListParams{
		AppointmentTypeID: &appt.AppointmentTypeID, PractitionerID: &appt.PractitionerID, StartGte: &from, StartLt: &until,
	})
	moved, err := client.Appointments.Reschedule(ctx, appt.ID, &connected.RescheduleParams{SlotID: slots.Data[0].ID})
	if err != nil {
		panic(err)
	}
	fmt.Println(moved.Start.Format(time.RFC3339), moved.RescheduleCount)

	_, err = client.Appointments.Reschedule(ctx, appt.ID, &connected.RescheduleParams{SlotID: slots.Data[1].ID})
	fmt.Println(errors.Is(err, connected.ErrRescheduleRefused))
	// Output:
	// 2030-01-10T09:00:00Z 1
	// true
}

func ExampleAppointmentService_Cancel() {
	srv, client := exampleServer()
	defer srv.Close()
	appt := bookExample(client, srv, "aptype_gp15")
	cancelled, err := client.Appointments.Cancel(context.Background(), appt.ID)
	if err != nil {
		panic(err)
	}
	fmt.Println(cancelled.Status, cancelled.CancelledAt != nil)
	// Output: cancelled true
}

func ExamplePatientService_Get() {
	srv, client := exampleServer()
	defer srv.Close()
	appt := bookExample(client, srv, "aptype_gp15")
	patient, err := client.Patients.Get(context.Background(), appt.Patient.ID)
	if err != nil {
		panic(err)
	}
	fmt.Println(patient.ID == appt.Patient.ID, patient.DateOfBirth)
	// Output: true 1986-04-12
}

func ExampleQuestionnaireService_GetForAppointment() {
	srv, client := exampleServer()
	defer srv.Close()
	appt := bookExample(client, srv, "aptype_derm20")
	q, err := client.Questionnaires.GetForAppointment(context.Background(), appt.ID)
	if err != nil {
		panic(err)
	}
	fmt.Println(q.Status, q.CompletionURL != "")
	// Output: pending true
}

// Do calls any operation, including one the contract added after this
// release of the SDK, with the retries, idempotency keys, errors, logging
// and options of every method. Ids go in Path, so logs show the template.
func ExampleClient_Do() {
	srv, client := exampleServer()
	defer srv.Close()
	ctx := context.Background()

	// A GET with query parameters, decoded into one of the SDK's types.
	var page connected.Page[connected.Practitioner]
	err := client.Do(ctx, http.MethodGet, "/connected/practitioners",
		&connected.RawParams{Query: url.Values{"limit": {"1"}}}, nil, &page)
	if err != nil {
		panic(err)
	}
	fmt.Println(page.Data[0].Name, page.HasMore)

	// A POST with a JSON body gets an idempotency key, reused by its retries.
	var v connected.SlotValidation
	var info connected.ResponseInfo
	err = client.Do(ctx, http.MethodPost, "/connected/slots/validate", nil,
		map[string]string{"slot_id": "slot_gone"}, &v, connected.WithResponseInfo(&info))
	if err != nil {
		panic(err)
	}
	fmt.Println(v.Available, *v.Reason, info.IdempotencyKey != "")

	// A path parameter, and the SDK's typed errors.
	err = client.Do(ctx, http.MethodGet, "/connected/appointments/{appointment_id}",
		&connected.RawParams{Path: map[string]string{"appointment_id": "apt_does_not_exist"}}, nil, nil)
	fmt.Println(errors.Is(err, connected.ErrNotFound))
	// Output:
	// Dr Sara Ahmed true
	// false slot_not_found true
	// true
}

// Hooks see each call and attempt by the contract's operation, with the
// SDK's retry decision: here a 503 that is retried, then the answer.
func ExampleHooks() {
	srv, _ := exampleServer()
	defer srv.Close()
	srv.InjectFault(connectedtest.Fault{Path: "/connected/account", Status: http.StatusServiceUnavailable})

	hooks := connected.Hooks{
		CallStart: func(ctx context.Context, call connected.CallInfo) context.Context {
			fmt.Println("call", call.Operation.ID, call.Operation.Method, call.Operation.Path)
			return ctx // a tracer would return the context of the span it starts
		},
		AttemptEnd: func(_ context.Context, a connected.AttemptInfo) {
			code := connected.ErrorCode("")
			if a.Err != nil {
				code = a.Err.Code
			}
			fmt.Println("  attempt", a.Attempt, a.StatusCode, code, "retry:", a.Retry)
		},
		CallEnd: func(_ context.Context, call connected.CallInfo) {
			fmt.Println("end after", call.Attempts, "attempts, error:", call.Err)
		},
	}
	client, err := connected.NewClient(srv.APIKey(), connected.WithBaseURL(srv.URL()),
		connected.WithHooks(hooks), connected.WithBackoff(0, 0))
	if err != nil {
		panic(err)
	}
	if _, err := client.Account.Get(context.Background()); err != nil {
		panic(err)
	}
	// Output:
	// call getAccount GET /connected/account
	//   attempt 1 503 service_unavailable retry: true
	//   attempt 2 200  retry: false
	// end after 2 attempts, error: <nil>
}

// A field the API added after this release of the SDK: the call keeps the
// body as sent, and the caller decodes the new field from it.
func ExampleWithResponseBody() {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"apt_1","object":"appointment","status":"confirmed","video_url":"https://video.example/r/1"}`))
	}))
	defer api.Close()
	client, err := connected.NewClient("sk_sandbox_example", connected.WithBaseURL(api.URL+"/v1"))
	if err != nil {
		panic(err)
	}

	var raw json.RawMessage
	appt, err := client.Appointments.Get(context.Background(), "apt_1", connected.WithResponseBody(&raw))
	if err != nil {
		panic(err)
	}
	var extra struct {
		VideoURL string `json:"video_url"`
	}
	if err := json.Unmarshal(raw, &extra); err != nil {
		panic(err)
	}
	fmt.Println(appt.ID, appt.Status, extra.VideoURL)
	// Output: apt_1 confirmed https://video.example/r/1
}
