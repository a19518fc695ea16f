package main

import "github.com/spf13/cobra"

func (a *app) accountCommand() *cobra.Command          { return &cobra.Command{Use: "account"} }
func (a *app) appointmentTypesCommand() *cobra.Command { return &cobra.Command{Use: "appointment-types"} }
func (a *app) practitionersCommand() *cobra.Command    { return &cobra.Command{Use: "practitioners"} }
func (a *app) slotsCommand() *cobra.Command            { return &cobra.Command{Use: "slots"} }
func (a *app) holdsCommand() *cobra.Command            { return &cobra.Command{Use: "holds"} }
func (a *app) appointmentsCommand() *cobra.Command     { return &cobra.Command{Use: "appointments"} }
func (a *app) patientsCommand() *cobra.Command         { return &cobra.Command{Use: "patients"} }
func (a *app) questionnairesCommand() *cobra.Command   { return &cobra.Command{Use: "questionnaires"} }
