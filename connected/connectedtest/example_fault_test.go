package connectedtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

// A confirm whose response is lost after the server committed it: the SDK
// reports it as ambiguous, and a replay with the error's idempotency key
// returns the original appointment, never a second one. The README's
// fault-injection snippet is this example.
//
// The client opens one connection per request. On a reused keep-alive
// connection, net/http itself re-sends a request that carries an
// Idempotency-Key when the connection closes before any byte of the
// response arrives (it cannot tell a dropped response from a server that
// had closed the idle connection), so a single dropped response never
// reaches the SDK: the confirm simply succeeds, replayed by the server.
func ExampleServer_InjectFault() {
	srv := connectedtest.NewServer(connectedtest.WithStartTime(time.Date(2030, 1, 7, 8, 0, 0, 0, time.UTC)))
	defer srv.Close()
	client, err := connected.NewClient(srv.APIKey(), connected.WithBaseURL(srv.URL()),
		connected.WithHTTPClient(&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}), // see above
		connected.WithMaxRetries(0)) // show the lost response instead of retrying it away
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	slots, _ := client.Slots.List(ctx, &connected.SlotListParams{Limit: connected.Ptr(1)})
	hold, _ := client.Holds.Create(ctx, &connected.HoldParams{SlotID: slots.Data[0].ID})
	dob, _ := connected.ParseDate("1986-04-12")
	params := &connected.ConfirmParams{ExternalPaymentReference: "pi_1",
		Patient: connected.PatientInput{FirstName: "Jane", LastName: "Doe", Email: "jane.doe@example.com", Sex: connected.SexFemale, DateOfBirth: dob}}

	// The server books, then drops the connection instead of answering.
	srv.InjectFault(connectedtest.Fault{Path: "/connected/appointments/{appointment_id}/confirm", AfterHandler: true, Drop: true})
	_, err = client.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken, params)
	var apiErr *connected.Error
	if !errors.As(err, &apiErr) {
		fmt.Println("the lost response never reached the SDK:", err)
		return
	}
	fmt.Println("ambiguous:", apiErr.Ambiguous, errors.Is(err, connected.ErrAmbiguous))

	// Call again with the key: the server replays the booking it made.
	appt, err := client.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken, params, connected.WithIdempotencyKey(apiErr.IdempotencyKey))
	booked := srv.Appointments(srv.APIKey()) // what the server holds
	fmt.Println("replayed:", err == nil, len(booked), appt.ID == booked[0].ID)

	srv.Advance(11 * time.Minute) // expire holds without sleeping
	// Output:
	// ambiguous: true true
	// replayed: true 1 true
}
