package connected_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dronline/connected-go/connected"
)

// A checkout around a payment on your own payment provider: hold, store
// the state with the order, take the payment, then complete, from this
// process or from another one after a restart.
func ExampleCheckoutService() {
	srv, client := exampleServer()
	defer srv.Close()
	ctx := context.Background()

	from := srv.Now().Add(72 * time.Hour)
	slots, err := client.Slots.List(ctx, &connected.SlotListParams{AppointmentTypeID: connected.Ptr("aptype_gp15"), StartGte: &from})
	if err != nil {
		panic(err)
	}

	// Before the payment: hold the slot, and store the state with the order.
	state, err := client.Checkouts.Start(ctx, &connected.CheckoutStartParams{
		SlotID: slots.Data[0].ID, PartnerReference: "order-8812", Validate: true,
	})
	if err != nil {
		panic(err) // nothing to pay for: offer another slot
	}
	stored, err := json.Marshal(state) // into your database, with the order
	if err != nil {
		panic(err)
	}
	// Bound the payment session at your payment provider by this.
	timeLeft := state.PaymentTimeLeft(time.Now())
	fmt.Println("time to pay:", timeLeft > 8*time.Minute)

	// After the payment, perhaps in another process: load and complete.
	var loaded connected.CheckoutState
	if err := json.Unmarshal(stored, &loaded); err != nil {
		panic(err)
	}
	dob, _ := connected.ParseDate("1986-04-12")
	result, err := client.Checkouts.Complete(ctx, &loaded, &connected.CheckoutCompleteParams{
		Patient:                  connected.PatientInput{FirstName: "Jane", LastName: "Doe", Email: "jane.doe@example.com", Sex: connected.SexFemale, DateOfBirth: dob},
		ExternalPaymentReference: "pi_3PaYmEnT",
	})
	if err != nil {
		panic(err) // nothing booked yet: fix the cause, and complete again with the same state
	}
	switch result.Outcome {
	case connected.CheckoutOutcomeBooked:
		fmt.Println("booked:", result.Appointment.Status, result.Appointment.Start.Format(time.RFC3339))
	case connected.CheckoutOutcomeNotBooked:
		fmt.Println("paid, not booked: refund", result.ExternalPaymentReference, "or offer another slot:", result.Err)
	case connected.CheckoutOutcomeUnknown:
		fmt.Println("unknown: complete again later with the same state")
	}
	// Output:
	// time to pay: true
	// booked: confirmed 2030-01-10T08:00:00Z
}

// A payment slower than the hold is not lost: Complete holds the same slot
// again, if it is still free, and books it.
func ExampleCheckoutService_Complete() {
	srv, client := exampleServer()
	defer srv.Close()
	ctx := context.Background()
	slots, _ := client.Slots.List(ctx, &connected.SlotListParams{Limit: connected.Ptr(1)})
	state, err := client.Checkouts.Start(ctx, &connected.CheckoutStartParams{SlotID: slots.Data[0].ID, PartnerReference: "order-8813"})
	if err != nil {
		panic(err)
	}

	srv.Advance(15 * time.Minute) // a slow bank redirect: the hold expires

	dob, _ := connected.ParseDate("1986-04-12")
	result, err := client.Checkouts.Complete(ctx, state, &connected.CheckoutCompleteParams{
		Patient:                  connected.PatientInput{FirstName: "Jane", LastName: "Doe", Email: "jane.doe@example.com", Sex: connected.SexFemale, DateOfBirth: dob},
		ExternalPaymentReference: "pi_3PaYmEnU",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(result.Outcome, "held again:", result.HeldAgain)
	// Output: booked held again: true
}

// The free slots of two calendar days in the clinic's timezone, by day.
func ExampleLocalDays() {
	srv, client := exampleServer()
	defer srv.Close()
	ctx := context.Background()

	loc, err := client.Account.Location(ctx)
	if err != nil {
		panic(err)
	}
	first, _ := connected.ParseDate("2030-01-14") // a Monday
	from, to := connected.LocalDays(first, 2, loc)
	var slots []connected.Slot
	for s, err := range client.Slots.All(ctx, &connected.SlotListParams{PractitionerID: connected.Ptr("prac_ahmed"), AppointmentTypeID: connected.Ptr("aptype_gp30"), StartGte: &from, StartLt: &to}) {
		if err != nil {
			panic(err)
		}
		slots = append(slots, s)
	}
	for _, day := range connected.GroupSlotsByLocalDate(slots, loc) {
		fmt.Println(day.Date, len(day.Slots), "slots from", day.Slots[0].Start.In(loc).Format("15:04 MST"))
	}
	// Output:
	// 2030-01-14 16 slots from 09:00 GMT
	// 2030-01-15 16 slots from 09:00 GMT
}
