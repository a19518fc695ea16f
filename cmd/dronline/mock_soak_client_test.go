package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/dronline/connected-go/connected"
)

// soakClient is one of the soak's clients: an SDK client of its own, its
// own patient, the slots it last listed and the appointments it booked.
type soakClient struct {
	run     *soakRun
	sdk     *connected.Client
	rng     *rand.Rand
	patient connected.PatientInput
	slots   []connected.Slot
	booked  []connected.Appointment
}

// maxBookCalls bounds a booking's calls: its validation, its hold, and
// its confirm, sent again with the same key at most three times while it
// is ambiguous.
const maxBookCalls = 6

// maxBooked bounds the appointments a client remembers for rescheduling
// and cancelling; older ones stay booked on the mock.
const maxBooked = 16

// What the clients do, per mille of their moves: mostly reads, then
// bookings (a validation, a hold and its confirm), rarely a reschedule or
// a cancellation. The mock keeps every appointment for good, as the API
// does, and a cancellation frees a slot for another one: cancelling
// rarely keeps the appointments, which the catalogue's slots bound as
// the clock moves, a small part of the mock's memory.
const (
	permilleAccount    = 100
	permilleTypes      = 100
	permilleSlots      = 250
	permilleList       = 150
	permilleBook       = 388
	permilleReschedule = 10
	// the rest, 2 per mille, cancel
)

// step makes one of the mix's moves with at most budget calls, and returns
// how many it made.
func (c *soakClient) step(ctx context.Context, budget int) int {
	n := c.rng.IntN(1000)
	switch {
	case n < permilleAccount:
		_, err := c.sdk.Account.Get(ctx)
		c.run.outcome("getAccount", err)
		return 1
	case n < permilleAccount+permilleTypes:
		_, err := c.sdk.AppointmentTypes.List(ctx, nil)
		c.run.outcome("listAppointmentTypes", err)
		return 1
	case n < permilleAccount+permilleTypes+permilleSlots:
		return c.listSlots(ctx)
	case n < permilleAccount+permilleTypes+permilleSlots+permilleList:
		_, err := c.sdk.Appointments.List(ctx, &connected.AppointmentListParams{Limit: connected.Ptr(10)})
		c.run.outcome("listAppointments", err)
		return 1
	case n < permilleAccount+permilleTypes+permilleSlots+permilleList+permilleBook:
		if len(c.slots) == 0 || budget < 3 {
			return c.listSlots(ctx)
		}
		return c.book(ctx, budget)
	case n < permilleAccount+permilleTypes+permilleSlots+permilleList+permilleBook+permilleReschedule:
		if budget < 2 {
			return c.listSlots(ctx)
		}
		return c.reschedule(ctx)
	}
	return c.cancel(ctx)
}

// listSlots lists up to 20 free slots in half a day somewhere in the next
// 26 days of the sandbox clock, so the clients spread over the catalogue
// instead of all fighting over the first slots. An empty page leaves the
// slots listed before: within a minute at full speed the clients have
// booked the whole catalogue, and from then on they go on validating the
// slots they saw, as a checkout would, and booking the few that come
// free as the clock moves.
func (c *soakClient) listSlots(ctx context.Context) int {
	from := c.run.sandboxNow().Add(time.Duration(24+c.rng.IntN(25*24)) * time.Hour)
	until := from.Add(12 * time.Hour)
	page, err := c.sdk.Slots.List(ctx, &connected.SlotListParams{
		Limit: connected.Ptr(20), StartGte: &from, StartLt: &until,
	})
	c.run.outcome("listSlots", err)
	if err == nil && len(page.Data) > 0 {
		c.slots = page.Data
	}
	return 1
}

// book validates one of the listed slots, as a checkout does first, and
// if it is free holds it and confirms the hold with an idempotency key
// chosen first, as a careful integration does: a confirm that ends
// ambiguous is sent again with the same key, which replays its result.
// Every one of these is a POST whose answer the mock keeps under its
// idempotency key for 24 hours of its clock.
func (c *soakClient) book(ctx context.Context, budget int) int {
	slot := c.slots[c.rng.IntN(len(c.slots))]
	v, err := c.sdk.Slots.Validate(ctx, &connected.SlotValidateParams{SlotID: slot.ID})
	c.run.outcome("validateSlot", err)
	if err != nil || !v.Available {
		return 1
	}
	hold, err := c.sdk.Holds.Create(ctx, &connected.HoldParams{SlotID: slot.ID, Patient: &c.patient})
	c.run.outcome("createAppointmentHold", err)
	if err != nil {
		return 2
	}
	key := connected.NewIdempotencyKey()
	params := &connected.ConfirmParams{Patient: c.patient, ExternalPaymentReference: "pay_" + key}
	calls := 2
	for {
		apt, err := c.sdk.Appointments.Confirm(ctx, hold.AppointmentID, hold.HoldToken, params, connected.WithIdempotencyKey(key))
		c.run.outcome("confirmAppointment", err)
		calls++
		if err == nil {
			c.run.booked.Add(1)
			c.booked = append(c.booked, *apt)
			if len(c.booked) > maxBooked {
				c.booked = c.booked[1:]
			}
		}
		if !errors.Is(err, connected.ErrAmbiguous) || calls >= min(budget, maxBookCalls) {
			return calls
		}
	}
}

// reschedule moves one of the client's appointments that may still move
// to a later slot of its practitioner within the policy's 48 hours.
func (c *soakClient) reschedule(ctx context.Context) int {
	now := c.run.sandboxNow()
	for i := range c.booked {
		a := &c.booked[i]
		if a.RescheduleCount > 0 || a.Start.Sub(now) < 25*time.Hour {
			continue
		}
		from, until := a.Start.Add(time.Hour), a.OriginalStart.Add(47*time.Hour)
		page, err := c.sdk.Slots.List(ctx, &connected.SlotListParams{
			AppointmentTypeID: &a.AppointmentTypeID, PractitionerID: &a.PractitionerID, StartGte: &from, StartLt: &until,
			Limit: connected.Ptr(10),
		})
		c.run.outcome("listSlots", err)
		if err != nil || len(page.Data) == 0 {
			return 1
		}
		slot := page.Data[c.rng.IntN(len(page.Data))]
		moved, err := c.sdk.Appointments.Reschedule(ctx, a.ID, &connected.RescheduleParams{SlotID: slot.ID})
		c.run.outcome("rescheduleAppointment", err)
		if err == nil {
			c.run.rescheduled.Add(1)
			*a = *moved
		}
		return 2
	}
	return c.listSlots(ctx)
}

// cancel cancels the client's oldest appointment; it is forgotten
// whatever the answer.
func (c *soakClient) cancel(ctx context.Context) int {
	if len(c.booked) == 0 {
		return c.listSlots(ctx)
	}
	a := c.booked[0]
	c.booked = c.booked[1:]
	_, err := c.sdk.Appointments.Cancel(ctx, a.ID)
	c.run.outcome("cancelAppointment", err)
	if err == nil {
		c.run.cancelled.Add(1)
	}
	return 1
}

// soakPatient is client i's patient. One per client keeps the mock's
// patients a fixed set; the test never prints it.
func soakPatient(i int) connected.PatientInput {
	dob, err := connected.ParseDate("1980-01-15")
	if err != nil {
		panic(err)
	}
	return connected.PatientInput{
		FirstName: "Soak", LastName: fmt.Sprintf("Client%02d", i), Email: fmt.Sprintf("soak.client%02d@example.com", i),
		Sex: connected.SexFemale, DateOfBirth: dob,
	}
}
