package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/dronline/connected-go/connected"
)

func (a *app) patientsCommand() *cobra.Command {
	var asJSON bool
	get := &cobra.Command{
		Use:   "get PATIENT_ID",
		Short: "Show a patient this key linked through a hold or confirm",
		Long: `Shows a patient this key linked through a hold or a confirm. There is no
patient search. The output is health data: handle it accordingly.`,
		Args: oneID("PATIENT_ID"),
		RunE: action(func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd, func(ctx context.Context, c *connected.Client) error {
				p, err := c.Patients.Get(ctx, args[0])
				if err != nil {
					return err
				}
				return a.emit(asJSON, p, func(w io.Writer) error {
					return keyValues(w, [][2]string{
						{"id", p.ID},
						{"first_name", p.FirstName},
						{"last_name", p.LastName},
						{"email", p.Email},
						{"phone", nullString(p.Phone)},
						{"sex", string(p.Sex)},
						{"date_of_birth", p.DateOfBirth.String()},
						{"metadata", formatMetadata(p.Metadata)},
					})
				})
			})
		}),
	}
	addJSONFlag(get, &asJSON)
	return group("patients", "Patients linked through your holds and confirms", get)
}
