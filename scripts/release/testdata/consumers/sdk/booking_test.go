// A new user's first test: book an appointment with the SDK against the
// fake server, with nothing but the published module.
package booking_test

import (
	"context"
	"testing"
	"time"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/connected/connectedtest"
)

func TestBookAgainstTheFake(t *testing.T) {
	srv := connectedtest.NewServer(connectedtest.WithStartTime(time.Date(2030, 1, 7, 8, 0, 0, 0, time.UTC)))
	defer srv.Close()
	client, err := connected.NewClient(srv.APIKey(), connected.WithBaseURL(srv.URL()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	from := srv.Now().Add(72 * time.Hour)
	slots, err := client.Slots.List(ctx, &connected.SlotListParams{AppointmentTypeID: connected.Ptr("aptype_gp15"), StartGte: &from})
	if err != nil {
		t.Fatal(err)
	}
	if len(slots.Data) == 0 {
		t.Fatal("no slot offered")
	}
	dob, _ := connected.ParseDate("1986-04-12")
	patient := connected.PatientInput{FirstName: "Jane", LastName: "Doe", Email: "jane.doe@example.com", Sex: connected.SexFemale, DateOfBirth: dob}
	hold, err := client.Holds.Create(ctx, &connected.HoldParams{SlotID: slots.Data[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	appt, err := client.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken, &connected.ConfirmParams{
		Patient: patient, ExternalPaymentReference: "pi_rehearsal",
	})
	if err != nil {
		t.Fatal(err)
	}
	booked := srv.Appointments(srv.APIKey())
	if len(booked) != 1 || booked[0].ID != appt.ID || appt.Status != connected.AppointmentStatusConfirmed {
		t.Fatalf("the server holds %d appointments; want the one confirmed, %s", len(booked), appt.ID)
	}
}
