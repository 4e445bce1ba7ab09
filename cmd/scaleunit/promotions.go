package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/scaleunit"
)

// promotionsCmd sets and shows a store's price and promotions document,
// which the server sends to the store's tills (checked first: a document
// that does not compile reaches no till).
func promotionsCmd() *cobra.Command {
	c := &cobra.Command{Use: "promotions", Short: "Set or show a store's price and promotions document (docs/promotions.md)"}
	var data, storeID, file string
	set := &cobra.Command{
		Use:   "set",
		Short: "Check a promotions document and send it to the store's tills",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			body, err := os.ReadFile(file)
			if err != nil {
				return err
			}
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				if err := st.PutDocument(ctx, storeID, api.DocPromotions, body); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "store %s: promotions set (%d bytes); its tills get them at their next sync and use them from their next start\n", storeID, len(body))
				return nil
			})
		},
	}
	show := &cobra.Command{
		Use:   "show",
		Short: "Print the promotions document the store's tills get",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				body, err := st.Document(ctx, storeID, api.DocPromotions)
				if err != nil {
					return err
				}
				_, err = cmd.OutOrStdout().Write(body)
				return err
			})
		},
	}
	for _, sc := range []*cobra.Command{set, show} {
		dataFlag(sc, &data)
		sc.Flags().StringVar(&storeID, "store", "", "store ID")
		_ = sc.MarkFlagRequired("store")
	}
	set.Flags().StringVar(&file, "file", "", "the promotions document (TOML)")
	_ = set.MarkFlagRequired("file")
	c.AddCommand(set, show)
	return c
}
