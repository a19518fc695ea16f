package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/dronline/connected-go/connected"
)

func (a *app) questionnairesCommand() *cobra.Command {
	var asJSON bool
	var appointmentID string
	get := &cobra.Command{
		Use:   "get {QUESTIONNAIRE_ID | --appointment APPOINTMENT_ID}",
		Short: "Show a questionnaire by its id, or an appointment's questionnaire",
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case appointmentID != "" && len(args) > 0:
				return usageErrorf("give a QUESTIONNAIRE_ID or --appointment, not both")
			case appointmentID == "" && len(args) != 1:
				return usageErrorf("%s takes one QUESTIONNAIRE_ID argument or --appointment APPOINTMENT_ID", cmd.CommandPath())
			}
			return nil
		},
		RunE: action(func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd, func(ctx context.Context, c *connected.Client) error {
				var q *connected.Questionnaire
				var err error
				if appointmentID != "" {
					q, err = c.Questionnaires.GetForAppointment(ctx, appointmentID)
				} else {
					q, err = c.Questionnaires.Get(ctx, args[0])
				}
				if err != nil {
					return err
				}
				return a.emit(asJSON, q, func(w io.Writer) error {
					return keyValues(w, [][2]string{
						{"id", q.ID},
						{"appointment_id", q.AppointmentID},
						{"status", string(q.Status)},
						{"completion_url", q.CompletionURL},
						{"completed_at", nullTime(q.CompletedAt)},
					})
				})
			})
		}),
	}
	get.Flags().StringVar(&appointmentID, "appointment", "", "get the questionnaire of this appointment instead")
	addJSONFlag(get, &asJSON)
	return group("questionnaires", "Pre-appointment questionnaires", get)
}
