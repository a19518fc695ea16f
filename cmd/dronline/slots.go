package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/dronline/connected-go/connected"
)

func (a *app) slotsCommand() *cobra.Command {
	return group("slots", "Free slots: list them, or check one can still be held",
		a.slotsListCommand(), a.slotsValidateCommand())
}

func (a *app) slotsListCommand() *cobra.Command {
	var asJSON bool
	var limit int
	var typeID, pracID, from, to string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List free slots (default: the next 14 days, at most 31 days per query)",
		Args:  cobra.NoArgs,
		RunE: action(func(cmd *cobra.Command, _ []string) error {
			if err := checkLimit(limit); err != nil {
				return err
			}
			p := connected.SlotListParams{ListParams: connected.ListParams{Limit: pageSize(limit)}}
			var err error
			if p.StartGte, err = parseInstant("--from", from); err != nil {
				return err
			}
			if p.StartLt, err = parseInstant("--to", to); err != nil {
				return err
			}
			if typeID != "" {
				p.AppointmentTypeID = &typeID
			}
			if pracID != "" {
				p.PractitionerID = &pracID
			}
			return a.withClient(cmd, func(ctx context.Context, c *connected.Client) error {
				slots, err := collect(c.Slots.All(ctx, &p), limit)
				if err != nil {
					return err
				}
				return a.emit(asJSON, slots, func(w io.Writer) error {
					t := newTable(w, "ID", "START", "END", "APPOINTMENT_TYPE", "PRACTITIONER")
					for _, s := range slots {
						t.row(s.ID, formatTime(s.Start), formatTime(s.End), s.AppointmentTypeID, s.PractitionerID)
					}
					return t.flush()
				})
			})
		}),
	}
	f := cmd.Flags()
	f.StringVar(&typeID, "type", "", "only slots of this appointment type id")
	f.StringVar(&pracID, "practitioner", "", "only slots of this practitioner id")
	f.StringVar(&from, "from", "", "slots starting at or after this time (RFC 3339 or YYYY-MM-DD; default now)")
	f.StringVar(&to, "to", "", "slots starting before this time (RFC 3339 or YYYY-MM-DD; default 14 days after --from)")
	addJSONFlag(cmd, &asJSON)
	addLimitFlag(cmd, &limit)
	return cmd
}

func (a *app) slotsValidateCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "validate SLOT_ID",
		Short: "Tell whether a hold on the slot would succeed now (changes nothing)",
		Args:  oneID("SLOT_ID"),
		RunE: action(func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd, func(ctx context.Context, c *connected.Client) error {
				v, err := c.Slots.Validate(ctx, args[0])
				if err != nil {
					return err
				}
				return a.emit(asJSON, v, func(w io.Writer) error {
					rows := [][2]string{{"slot_id", args[0]}, {"available", yesNo(v.Available)}, {"reason", nullString(v.Reason)}}
					if s := v.Slot; s != nil {
						rows = append(rows, [2]string{"start", formatTime(s.Start)}, [2]string{"end", formatTime(s.End)},
							[2]string{"appointment_type", s.AppointmentTypeID}, [2]string{"practitioner", s.PractitionerID})
					}
					return keyValues(w, rows)
				})
			})
		}),
	}
	addJSONFlag(cmd, &asJSON)
	return cmd
}
