package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/opentill/opentill/offline/scaleunit"
)

// setupCmd shows and replaces a store's setup — currency, tax groups,
// tender types, barcode masks, receipt header, shift, gift card, order and
// inventory policies — as the JSON the store's tills get in their config
// feed. A setup is checked first (pos.Setup.Validate): one with an error
// reaches no till, and every error names its field.
func setupCmd() *cobra.Command {
	c := &cobra.Command{Use: "setup", Short: "Show or replace a store's setup: currency, tax groups, tender types, barcode masks, receipt header and policies (JSON)"}
	var data, storeID, file string
	show := &cobra.Command{
		Use:   "show",
		Short: "Print the store's setup as its tills get it (edit it and give it back to set)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				s, err := st.StoreSetup(ctx, storeID)
				if err != nil {
					return err
				}
				b, err := json.MarshalIndent(s, "", "  ")
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s\n", b)
				return err
			})
		},
	}
	set := &cobra.Command{
		Use:   "set",
		Short: "Check a setup and send it to the store's tills",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			body, err := os.ReadFile(file)
			if err != nil {
				return err
			}
			s, err := scaleunit.DecodeSetup(bytes.NewReader(body))
			if err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				if err := st.SetStoreSetup(ctx, storeID, s); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "store %s: setup set (%d tax groups, %d tender types); its tills get it at their next sync and use it from their next start\n", storeID, len(s.TaxGroups), len(s.TenderTypes))
				return nil
			})
		},
	}
	for _, sc := range []*cobra.Command{show, set} {
		dataFlag(sc, &data)
		sc.Flags().StringVar(&storeID, "store", "", "store ID")
		_ = sc.MarkFlagRequired("store")
	}
	set.Flags().StringVar(&file, "file", "", "the setup (JSON, as show prints it)")
	_ = set.MarkFlagRequired("file")
	c.AddCommand(show, set)
	return c
}
