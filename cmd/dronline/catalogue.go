package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dronline/connected-go/connected"
)

func (a *app) appointmentTypesCommand() *cobra.Command {
	var asJSON bool
	var limit int
	list := &cobra.Command{
		Use:   "list",
		Short: "List the appointment types of the catalogue",
		Args:  cobra.NoArgs,
		RunE: action(func(cmd *cobra.Command, _ []string) error {
			if err := checkLimit(limit); err != nil {
				return err
			}
			return a.withClient(cmd, func(ctx context.Context, c *connected.Client) error {
				types, err := collect(c.AppointmentTypes.All(ctx, &connected.AppointmentTypeListParams{Limit: pageSize(limit)}), limit)
				if err != nil {
					return err
				}
				return a.emit(asJSON, types, func(w io.Writer) error {
					t := newTable(w, "ID", "NAME", "MINUTES", "PRICE_IN_CENTS", "QUESTIONNAIRE")
					for _, at := range types {
						t.row(at.ID, at.Name, fmt.Sprint(at.DurationMinutes), fmt.Sprint(at.PriceInCents), yesNo(at.QuestionnaireRequired))
					}
					return t.flush()
				})
			})
		}),
	}
	addJSONFlag(list, &asJSON)
	addLimitFlag(list, &limit)
	return group("appointment-types", "Appointment types of the catalogue", list)
}

func (a *app) practitionersCommand() *cobra.Command {
	var asJSON bool
	var limit int
	list := &cobra.Command{
		Use:   "list",
		Short: "List the practitioners of the catalogue",
		Args:  cobra.NoArgs,
		RunE: action(func(cmd *cobra.Command, _ []string) error {
			if err := checkLimit(limit); err != nil {
				return err
			}
			return a.withClient(cmd, func(ctx context.Context, c *connected.Client) error {
				pracs, err := collect(c.Practitioners.All(ctx, &connected.PractitionerListParams{Limit: pageSize(limit)}), limit)
				if err != nil {
					return err
				}
				return a.emit(asJSON, pracs, func(w io.Writer) error {
					t := newTable(w, "ID", "NAME", "TITLE", "APPOINTMENT_TYPES")
					for _, p := range pracs {
						t.row(p.ID, p.Name, p.Title, strings.Join(p.AppointmentTypeIDs, ","))
					}
					return t.flush()
				})
			})
		}),
	}
	addJSONFlag(list, &asJSON)
	addLimitFlag(list, &limit)
	return group("practitioners", "Practitioners of the catalogue", list)
}
