package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/dronline/connected-go/connected"
)

func (a *app) holdsCommand() *cobra.Command {
	return group("holds", "Holds: short-lived locks on a slot, confirmed into appointments", a.holdsCreateCommand())
}

func (a *app) holdsCreateCommand() *cobra.Command {
	var asJSON bool
	var slotID, idemKey string
	var metadata []string
	var patient patientFlags
	cmd := &cobra.Command{
		Use:   "create --slot SLOT_ID [patient flags]",
		Short: "Hold a free slot; prints the hold_token that confirm needs",
		Long: `Holds a free slot for a short time (see expires_at). The patient is
optional here; if any patient flag is given, --first-name, --last-name,
--email, --sex and --date-of-birth are all needed.

This is the only command that prints a hold token: pass it, with the
hold's appointment_id, to "dronline appointments confirm".`,
		Args: cobra.NoArgs,
		RunE: action(func(cmd *cobra.Command, _ []string) error {
			params := connected.HoldParams{SlotID: slotID}
			if patient.given() {
				in, err := patient.input()
				if err != nil {
					return err
				}
				params.Patient = &in
			}
			md, err := parseMetadata("--metadata", metadata)
			if err != nil {
				return err
			}
			params.Metadata = md
			return a.withClient(cmd, func(ctx context.Context, c *connected.Client) error {
				h, err := c.Holds.Create(ctx, &params, idempotencyOption(idemKey)...)
				if err != nil {
					return err
				}
				return a.emit(asJSON, h, func(w io.Writer) error {
					if err := keyValues(w, [][2]string{
						{"id", h.ID},
						{"appointment_id", h.AppointmentID},
						{"hold_token", h.HoldToken},
						{"slot_id", h.SlotID},
						{"start", formatTime(h.Start)},
						{"end", formatTime(h.End)},
						{"expires_at", formatTime(h.ExpiresAt)},
						{"appointment_type", h.AppointmentTypeID},
						{"practitioner", h.PractitionerID},
						{"patient_id", nullString(h.PatientID)},
						{"metadata", formatMetadata(h.Metadata)},
					}); err != nil {
						return err
					}
					_, err := fmt.Fprintf(w, "\nConfirm before %s with:\n  dronline appointments confirm %s --hold-token %s --payment-reference REF [patient flags]\n",
						formatTime(h.ExpiresAt), h.AppointmentID, h.HoldToken)
					return err
				})
			})
		}),
	}
	f := cmd.Flags()
	f.StringVar(&slotID, "slot", "", "id of the slot to hold (required)")
	_ = cmd.MarkFlagRequired("slot") // the flag exists: no error
	patient.register(f)
	f.StringArrayVar(&metadata, "metadata", nil, "appointment metadata key=value (repeatable)")
	addIdempotencyFlag(cmd, &idemKey)
	addJSONFlag(cmd, &asJSON)
	return cmd
}
