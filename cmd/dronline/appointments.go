package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/dronline/connected-go/connected"
)

func (a *app) appointmentsCommand() *cobra.Command {
	return group("appointments", "Appointments: confirm a hold, read, reconcile, cancel, reschedule",
		a.appointmentsConfirmCommand(),
		a.appointmentsGetCommand(),
		a.appointmentsListCommand(),
		a.appointmentsCancelCommand(),
		a.appointmentsRescheduleCommand(),
	)
}

func (a *app) appointmentsConfirmCommand() *cobra.Command {
	var asJSON bool
	var holdToken, paymentRef, partnerRef, idemKey string
	var metadata []string
	var patient patientFlags
	cmd := &cobra.Command{
		Use:   "confirm APPOINTMENT_ID --hold-token TOKEN --payment-reference REF [patient flags]",
		Short: "Confirm a hold into a booked appointment",
		Long: `Confirms a hold. APPOINTMENT_ID is the hold's appointment_id (not its id),
and --hold-token its hold_token, both printed by "dronline holds create".
The patient is required: --first-name, --last-name, --email, --sex,
--date-of-birth (YYYY-MM-DD), optional --phone.

The confirmed appointment may get a new id: store the id printed here.`,
		Args: oneID("APPOINTMENT_ID"),
		RunE: action(func(cmd *cobra.Command, args []string) error {
			in, err := patient.input()
			if err != nil {
				return err
			}
			params := connected.ConfirmParams{Patient: in, ExternalPaymentReference: paymentRef}
			if partnerRef != "" {
				params.PartnerReference = &partnerRef
			}
			if params.Metadata, err = parseMetadata("--metadata", metadata); err != nil {
				return err
			}
			return a.withClient(cmd, func(ctx context.Context, c *connected.Client) error {
				apt, err := c.Appointments.Confirm(ctx, args[0], holdToken, &params, idempotencyOption(idemKey)...)
				if err != nil {
					return err
				}
				return a.emit(asJSON, apt, func(w io.Writer) error { return printAppointment(w, apt) })
			})
		}),
	}
	f := cmd.Flags()
	f.StringVar(&holdToken, "hold-token", "", "the hold's hold_token (required)")
	f.StringVar(&paymentRef, "payment-reference", "", "external_payment_reference: your payment provider's reference (required)")
	f.StringVar(&partnerRef, "partner-reference", "", "partner_reference: your own reference, to find the appointment again with list")
	_ = cmd.MarkFlagRequired("hold-token") // the flags exist: no error
	_ = cmd.MarkFlagRequired("payment-reference")
	patient.register(f)
	f.StringArrayVar(&metadata, "metadata", nil, "appointment metadata key=value (repeatable)")
	addIdempotencyFlag(cmd, &idemKey)
	addJSONFlag(cmd, &asJSON)
	return cmd
}

func (a *app) appointmentsGetCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "get APPOINTMENT_ID",
		Short: "Show an appointment (--json includes the embedded patient)",
		Args:  oneID("APPOINTMENT_ID"),
		RunE: action(func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd, func(ctx context.Context, c *connected.Client) error {
				apt, err := c.Appointments.Get(ctx, args[0])
				if err != nil {
					return err
				}
				return a.emit(asJSON, apt, func(w io.Writer) error { return printAppointment(w, apt) })
			})
		}),
	}
	addJSONFlag(cmd, &asJSON)
	return cmd
}

func (a *app) appointmentsListCommand() *cobra.Command {
	var asJSON bool
	var limit int
	var partnerRef, paymentRef string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List appointments, newest confirmation first; filter by your references to reconcile",
		Args:  cobra.NoArgs,
		RunE: action(func(cmd *cobra.Command, _ []string) error {
			if err := checkLimit(limit); err != nil {
				return err
			}
			p := connected.AppointmentListParams{Limit: pageSize(limit)}
			if partnerRef != "" {
				p.PartnerReference = &partnerRef
			}
			if paymentRef != "" {
				p.ExternalPaymentReference = &paymentRef
			}
			return a.withClient(cmd, func(ctx context.Context, c *connected.Client) error {
				apts, err := collect(c.Appointments.All(ctx, &p), limit)
				if err != nil {
					return err
				}
				return a.emit(asJSON, apts, func(w io.Writer) error {
					t := newTable(w, "ID", "STATUS", "START", "APPOINTMENT_TYPE", "PRACTITIONER", "PATIENT", "PARTNER_REFERENCE")
					for _, apt := range apts {
						t.row(apt.ID, string(apt.Status), formatTime(apt.Start), apt.AppointmentTypeID, apt.PractitionerID, apt.Patient.ID, nullString(apt.PartnerReference))
					}
					return t.flush()
				})
			})
		}),
	}
	f := cmd.Flags()
	f.StringVar(&partnerRef, "partner-reference", "", "only appointments with this partner_reference")
	f.StringVar(&paymentRef, "payment-reference", "", "only appointments with this external_payment_reference")
	addJSONFlag(cmd, &asJSON)
	addLimitFlag(cmd, &limit)
	return cmd
}

func (a *app) appointmentsCancelCommand() *cobra.Command {
	var asJSON bool
	var idemKey string
	cmd := &cobra.Command{
		Use:   "cancel APPOINTMENT_ID",
		Short: "Cancel an appointment and free its slot",
		Args:  oneID("APPOINTMENT_ID"),
		RunE: action(func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd, func(ctx context.Context, c *connected.Client) error {
				apt, err := c.Appointments.Cancel(ctx, args[0], idempotencyOption(idemKey)...)
				if err != nil {
					return err
				}
				return a.emit(asJSON, apt, func(w io.Writer) error { return printAppointment(w, apt) })
			})
		}),
	}
	addIdempotencyFlag(cmd, &idemKey)
	addJSONFlag(cmd, &asJSON)
	return cmd
}

func (a *app) appointmentsRescheduleCommand() *cobra.Command {
	var asJSON bool
	var slotID, idemKey string
	cmd := &cobra.Command{
		Use:   "reschedule APPOINTMENT_ID --slot SLOT_ID",
		Short: "Move an appointment to another slot of the same type and practitioner",
		Long: `Moves an appointment to another free slot of the same appointment type and
practitioner, under the patient self-service policy: one reschedule per
appointment, the new start within 48 hours of the original start, and not
within 24 hours of the current start.`,
		Args: oneID("APPOINTMENT_ID"),
		RunE: action(func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd, func(ctx context.Context, c *connected.Client) error {
				apt, err := c.Appointments.Reschedule(ctx, args[0], &connected.RescheduleParams{SlotID: slotID}, idempotencyOption(idemKey)...)
				if err != nil {
					return err
				}
				return a.emit(asJSON, apt, func(w io.Writer) error { return printAppointment(w, apt) })
			})
		}),
	}
	cmd.Flags().StringVar(&slotID, "slot", "", "id of the new slot (required)")
	_ = cmd.MarkFlagRequired("slot") // the flag exists: no error
	addIdempotencyFlag(cmd, &idemKey)
	addJSONFlag(cmd, &asJSON)
	return cmd
}

// printAppointment shows an appointment with its patient's id only; the
// patient's details are in --json or "dronline patients get".
func printAppointment(w io.Writer, apt *connected.Appointment) error {
	return keyValues(w, [][2]string{
		{"id", apt.ID},
		{"status", string(apt.Status)},
		{"start", formatTime(apt.Start)},
		{"end", formatTime(apt.End)},
		{"original_start", formatTime(apt.OriginalStart)},
		{"appointment_type", apt.AppointmentTypeID},
		{"practitioner", apt.PractitionerID},
		{"patient_id", apt.Patient.ID},
		{"questionnaire_id", nullString(apt.QuestionnaireID)},
		{"external_payment_reference", apt.ExternalPaymentReference},
		{"partner_reference", nullString(apt.PartnerReference)},
		{"confirmed_at", formatTime(apt.ConfirmedAt)},
		{"cancelled_at", nullTime(apt.CancelledAt)},
		{"reschedule_count", fmt.Sprint(apt.RescheduleCount)},
		{"rescheduled_at", nullTime(apt.RescheduledAt)},
		{"metadata", formatMetadata(apt.Metadata)},
	})
}
