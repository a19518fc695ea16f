package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/dronline/connected-go/connected"
	"github.com/dronline/connected-go/internal/contract"
)

func (a *app) slotsCommand() *cobra.Command {
	return group("slots", "Free slots: list them, or check one can still be held",
		a.slotsListCommand(), a.slotsValidateCommand())
}

func (a *app) slotsListCommand() *cobra.Command {
	var asJSON, inUTC bool
	var limit, days int
	var typeID, pracID, from, to, day, zone string
	cmd := &cobra.Command{
		Use:   "list",
		Short: fmt.Sprintf("List free slots (default: the next %d days; --day for local calendar days)", contract.DefaultSlotRangeDays),
		Long: fmt.Sprintf(`List free slots, by start. --from and --to take instants; --day and --days take
calendar days in the account's timezone (or --timezone), whatever their length
on a daylight-saving change. A range over %d days is listed in several queries.
Tables show times in that timezone with their UTC offset; --utc shows UTC.
--json prints the API's slot objects.`, contract.MaxSlotRangeDays),
		Args: cobra.NoArgs,
		RunE: action(func(cmd *cobra.Command, _ []string) error {
			if err := checkLimit(limit); err != nil {
				return err
			}
			p := connected.SlotListParams{Limit: pageSize(limit)}
			var first *connected.Date
			switch {
			case day != "" && (from != "" || to != ""):
				return usageErrorf("--day cannot be combined with --from or --to")
			case day == "" && cmd.Flags().Changed("days"):
				return usageErrorf("--days needs --day")
			case days < 1:
				return usageErrorf("--days must be 1 or more")
			case day != "":
				d, err := connected.ParseDate(day)
				if err != nil {
					return usageErrorf("--day %q is not a date: want YYYY-MM-DD, such as 2026-12-01", day)
				}
				first = &d
			}
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
				// The timezone is needed for local days and for a
				// table in local time; --json without --day needs none.
				loc := time.UTC
				if first != nil || (!asJSON && !inUTC) {
					var err error
					if loc, err = slotsLocation(ctx, c, zone); err != nil {
						return err
					}
				}
				if first != nil {
					gte, lt := connected.LocalDays(*first, days, loc)
					p.StartGte, p.StartLt = &gte, &lt
				}
				slots, err := collect(c.Slots.All(ctx, &p), limit)
				if err != nil {
					return err
				}
				if inUTC {
					loc = time.UTC
				}
				return a.emit(asJSON, slots, func(w io.Writer) error {
					t := newTable(w, "ID", "START", "END", "APPOINTMENT_TYPE", "PRACTITIONER")
					for _, s := range slots {
						t.row(s.ID, formatTimeIn(s.Start, loc), formatTimeIn(s.End, loc), s.AppointmentTypeID, s.PractitionerID)
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
	f.StringVar(&to, "to", "", fmt.Sprintf("slots starting before this time (RFC 3339 or YYYY-MM-DD; default %d days after --from)", contract.DefaultSlotRangeDays))
	f.StringVar(&day, "day", "", "slots starting on this calendar day (YYYY-MM-DD) in the account's timezone")
	f.IntVar(&days, "days", 1, "with --day: this many consecutive days")
	f.StringVar(&zone, "timezone", "", "IANA timezone for --day and the table (default: the account's), e.g. Europe/London")
	f.BoolVar(&inUTC, "utc", false, "show times in UTC in the table")
	addJSONFlag(cmd, &asJSON)
	addLimitFlag(cmd, &limit)
	return cmd
}

// slotsLocation is the timezone given with --timezone, or the account's.
func slotsLocation(ctx context.Context, c *connected.Client, zone string) (*time.Location, error) {
	if zone == "" {
		return c.Account.Location(ctx)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, usageErrorf("--timezone must be an IANA timezone such as Europe/London")
	}
	return loc, nil
}

func (a *app) slotsValidateCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "validate SLOT_ID",
		Short: "Tell whether a hold on the slot would succeed now (changes nothing)",
		Args:  oneID("SLOT_ID"),
		RunE: action(func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd, func(ctx context.Context, c *connected.Client) error {
				v, err := c.Slots.Validate(ctx, &connected.SlotValidateParams{SlotID: args[0]})
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
