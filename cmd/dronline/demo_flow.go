package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/dronline/connected-go/connected"
)

// demo is one run of the booking flow.
type demo struct {
	out       io.Writer
	client    *connected.Client
	now       func() time.Time
	allowLive bool
	n         int // steps printed so far
}

// The reschedule policy: one reschedule, the new start within 48 h of the
// original start, and not within 24 h of the current start. The demo books
// at least leadTime ahead so the reschedule is never too late, and looks
// for the new slot well inside the 48 h window.
const (
	leadTime         = 72 * time.Hour
	slotSearchWindow = 14 * 24 * time.Hour
	rescheduleAfter  = time.Hour
	rescheduleWithin = 47 * time.Hour
)

// demoPatient is a made-up patient. Its fields are never printed: steps
// show the patient id only.
func demoPatient() connected.PatientInput {
	dob, _ := connected.ParseDate("1990-01-01") // a constant, valid date
	return connected.PatientInput{
		FirstName: "Demo", LastName: "Patient", Email: "demo.patient@example.com",
		Sex: connected.SexUnknown, DateOfBirth: dob,
	}
}

// booking is what the flow learns as it goes.
type booking struct {
	types       []connected.AppointmentType
	pracs       []connected.Practitioner
	aptType     connected.AppointmentType
	slot        connected.Slot
	hold        *connected.AppointmentHold
	appointment *connected.Appointment
}

func (d *demo) run(ctx context.Context) error {
	began := time.Now()
	c := d.client
	// Unique references, so reconciling finds this run's appointment even
	// on a shared sandbox.
	suffix := rand.Text()[:10]
	paymentRef, partnerRef := "pay_demo_"+suffix, "demo_"+suffix
	var b booking

	steps := []struct {
		name string
		f    stepFunc
	}{
		{"account", func(opt connected.CallOption) (string, error) {
			acct, err := c.Account.Get(ctx, opt)
			if err != nil {
				return "", err
			}
			mode := "sandbox"
			if acct.Livemode {
				mode = "live"
			}
			return fmt.Sprintf("%s %q: %s, %s, %s, api_version %s", acct.ID, acct.Name, mode, acct.Currency, acct.Timezone, acct.APIVersion), nil
		}},
		{"types", func(opt connected.CallOption) (string, error) {
			var err error
			if b.types, err = collect(c.AppointmentTypes.All(ctx, &connected.AppointmentTypeListParams{Limit: pageSize(0)}, opt), 0); err != nil {
				return "", err
			}
			if len(b.types) == 0 {
				return "", errors.New("the catalogue has no appointment types")
			}
			withQ := 0
			for _, t := range b.types {
				withQ += btoi(t.QuestionnaireRequired)
			}
			return fmt.Sprintf("%d appointment types, %d with a questionnaire", len(b.types), withQ), nil
		}},
		{"practitioners", func(opt connected.CallOption) (string, error) {
			var err error
			if b.pracs, err = collect(c.Practitioners.All(ctx, &connected.PractitionerListParams{Limit: pageSize(0)}, opt), 0); err != nil {
				return "", err
			}
			return fmt.Sprintf("%d practitioners", len(b.pracs)), nil
		}},
		{"slots", func(opt connected.CallOption) (string, error) { return d.pickSlot(ctx, &b, opt) }},
		{"validate", func(opt connected.CallOption) (string, error) {
			v, err := c.Slots.Validate(ctx, &connected.SlotValidateParams{SlotID: b.slot.ID}, opt)
			if err != nil {
				return "", err
			}
			if !v.Available {
				return "", fmt.Errorf("slot %s cannot be held: %s", b.slot.ID, nullString(v.Reason))
			}
			return fmt.Sprintf("%s is available", b.slot.ID), nil
		}},
		{"hold", func(opt connected.CallOption) (string, error) {
			p := demoPatient()
			var err error
			b.hold, err = c.Holds.Create(ctx, &connected.HoldParams{
				SlotID: b.slot.ID, Patient: &p, Metadata: map[string]string{"source": "dronline-demo"},
			}, opt)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("%s locks the slot until %s for appointment_id %s, patient %s, hold_token: (hidden)",
				b.hold.ID, formatTime(b.hold.ExpiresAt), b.hold.AppointmentID, nullString(b.hold.PatientID)), nil
		}},
		{"confirm", func(opt connected.CallOption) (string, error) {
			var err error
			b.appointment, err = c.Appointments.Confirm(ctx, b.hold.AppointmentID, b.hold.HoldToken, &connected.ConfirmParams{
				Patient: demoPatient(), ExternalPaymentReference: paymentRef, PartnerReference: &partnerRef,
			}, opt)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("%s confirmed (from hold appointment_id %s), external_payment_reference %s, partner_reference %s",
				b.appointment.ID, b.hold.AppointmentID, paymentRef, partnerRef), nil
		}},
		{"get", func(opt connected.CallOption) (string, error) {
			a, err := c.Appointments.Get(ctx, b.appointment.ID, opt)
			if err != nil {
				return "", err
			}
			b.appointment = a
			return fmt.Sprintf("%s is %s, %s to %s, patient %s", a.ID, a.Status, formatTime(a.Start), formatTime(a.End), a.Patient.ID), nil
		}},
		{"reconcile", func(opt connected.CallOption) (string, error) {
			found, err := collect(c.Appointments.All(ctx, &connected.AppointmentListParams{
				Limit: pageSize(0), PartnerReference: &partnerRef,
			}, opt), 0)
			if err != nil {
				return "", err
			}
			if !slices.ContainsFunc(found, func(a connected.Appointment) bool { return a.ID == b.appointment.ID }) {
				return "", fmt.Errorf("listing by partner_reference %s did not return %s", partnerRef, b.appointment.ID)
			}
			return fmt.Sprintf("partner_reference %s lists %d appointment(s), including %s", partnerRef, len(found), b.appointment.ID), nil
		}},
		{"patient", func(opt connected.CallOption) (string, error) {
			p, err := c.Patients.Get(ctx, b.appointment.Patient.ID, opt)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("%s read back (demographics not printed)", p.ID), nil
		}},
		{"questionnaire", func(opt connected.CallOption) (string, error) {
			if !b.aptType.QuestionnaireRequired {
				return fmt.Sprintf("none required for %s", b.aptType.ID), nil
			}
			q, err := c.Questionnaires.GetForAppointment(ctx, b.appointment.ID, opt)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("%s is %s; the patient fills it in at %s", q.ID, q.Status, q.CompletionURL), nil
		}},
		{"reschedule", func(opt connected.CallOption) (string, error) { return d.reschedule(ctx, &b, opt) }},
		{"cancel", func(opt connected.CallOption) (string, error) {
			a, err := c.Appointments.Cancel(ctx, b.appointment.ID, opt)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("%s is %s at %s; its slot is free again", a.ID, a.Status, nullTime(a.CancelledAt)), nil
		}},
	}
	for _, s := range steps {
		if s.name == "hold" && c.Mode() == connected.ModeLive && !d.allowLive {
			// Hold and confirm would book a real appointment; even a hold
			// alone keeps a real slot from real patients until it expires.
			d.n++
			printf(d.out, "[%2d/%d] %-14s refused: the key is live, and hold and confirm book a real appointment\n", d.n, demoSteps, s.name)
			return configErrorf("stopped before hold and confirm with a live key: re-run with --allow-live to book a real appointment (the demo cancels it at the end)")
		}
		if err := d.step(s.name, s.f); err != nil {
			return err
		}
	}
	printf(d.out, "Done: %d steps in %s.\n", len(steps), formatDuration(time.Since(began)))
	return nil
}

// pickSlot finds the first free slot at least leadTime ahead, preferring a
// type with a questionnaire so the questionnaire step has one to show.
func (d *demo) pickSlot(ctx context.Context, b *booking, opt connected.CallOption) (string, error) {
	from := d.now().Add(leadTime).UTC().Truncate(time.Minute)
	to := from.Add(slotSearchWindow)
	for _, t := range questionnaireFirst(b.types) {
		for _, p := range b.pracs {
			if !slices.Contains(p.AppointmentTypeIDs, t.ID) {
				continue
			}
			page, err := d.client.Slots.List(ctx, &connected.SlotListParams{
				Limit:             connected.Ptr(1),
				AppointmentTypeID: &t.ID, PractitionerID: &p.ID, StartGte: &from, StartLt: &to,
			}, opt)
			if err != nil {
				return "", err
			}
			if len(page.Data) == 0 {
				continue
			}
			b.aptType, b.slot = t, page.Data[0]
			q := "no questionnaire"
			if t.QuestionnaireRequired {
				q = "questionnaire required"
			}
			return fmt.Sprintf("first free slot from %s: %s, %s (%s, %s) with %s", formatTime(from), b.slot.ID, formatTime(b.slot.Start), t.ID, q, p.ID), nil
		}
	}
	return "", fmt.Errorf("no free slot between %s and %s", formatTime(from), formatTime(to))
}

// reschedule moves the appointment to a later slot of the same type and
// practitioner inside the policy's window.
func (d *demo) reschedule(ctx context.Context, b *booking, opt connected.CallOption) (string, error) {
	a := b.appointment
	from, to := a.Start.Add(rescheduleAfter), a.OriginalStart.Add(rescheduleWithin)
	page, err := d.client.Slots.List(ctx, &connected.SlotListParams{
		Limit:             connected.Ptr(1),
		AppointmentTypeID: &a.AppointmentTypeID, PractitionerID: &a.PractitionerID, StartGte: &from, StartLt: &to,
	}, opt)
	if err != nil {
		return "", err
	}
	if len(page.Data) == 0 {
		return "", fmt.Errorf("no free slot of %s with %s between %s and %s to reschedule to", a.AppointmentTypeID, a.PractitionerID, formatTime(from), formatTime(to))
	}
	target := page.Data[0]
	moved, err := d.client.Appointments.Reschedule(ctx, a.ID, &connected.RescheduleParams{SlotID: target.ID}, opt)
	if err != nil {
		return "", err
	}
	b.appointment = moved
	return fmt.Sprintf("%s moved from %s to %s (%s), reschedule_count %d", moved.ID, formatTime(a.Start), formatTime(moved.Start), target.ID, moved.RescheduleCount), nil
}

// questionnaireFirst orders the types needing a questionnaire first, keeping
// the catalogue's order otherwise.
func questionnaireFirst(types []connected.AppointmentType) []connected.AppointmentType {
	out := slices.Clone(types)
	slices.SortStableFunc(out, func(x, y connected.AppointmentType) int {
		return cmp.Compare(btoi(!x.QuestionnaireRequired), btoi(!y.QuestionnaireRequired))
	})
	return out
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
