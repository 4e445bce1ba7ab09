package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/scaleunit"
)

// documentCmd sets and shows a store's documents — the price and
// promotions document, the receipt layouts — which the server sends to
// the store's tills (checked first: a document that does not compile
// reaches no till).
func documentCmd() *cobra.Command {
	c := &cobra.Command{Use: "document", Short: "Set, show or remove a store's promotions (--name promotions), trusted extension keys (--name extension_keys), receipt layouts (--name receipt/sale, receipt/return, receipt/gift, receipt/x, receipt/z) or a till's hardware profile (--name hardware/T01)"}
	var data, storeID, file, name string
	set := &cobra.Command{
		Use:   "set",
		Short: "Check a document and send it to the store's tills",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			body, err := os.ReadFile(file)
			if err != nil {
				return err
			}
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				if err := st.PutDocument(ctx, storeID, name, body); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "store %s: %s set (%d bytes); its tills get it at their next sync and use it from their next start\n", storeID, name, len(body))
				return nil
			})
		},
	}
	show := &cobra.Command{
		Use:   "show",
		Short: "Print a document as the store's tills get it",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				body, err := st.Document(ctx, storeID, name)
				if err != nil {
					return err
				}
				_, err = cmd.OutOrStdout().Write(body)
				return err
			})
		},
	}
	remove := &cobra.Command{
		Use:   "remove",
		Short: "Take a document from the store's tills (they go back to their default from their next start: no promotions, the built-in receipt layout, the profile they were started with)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				if err := st.DeleteDocument(ctx, storeID, name); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "store %s: %s removed; its tills drop it at their next sync\n", storeID, name)
				return nil
			})
		},
	}
	for _, sc := range []*cobra.Command{set, show, remove} {
		dataFlag(sc, &data)
		sc.Flags().StringVar(&storeID, "store", "", "store ID")
		sc.Flags().StringVar(&name, "name", api.DocPromotions, "the document: promotions, extension_keys, receipt/TYPE or hardware/TERMINAL")
		_ = sc.MarkFlagRequired("store")
	}
	_ = remove.MarkFlagRequired("name") // never the promotions by default
	set.Flags().StringVar(&file, "file", "", "the document (TOML; extension_keys: base64 Ed25519 public keys, one a line)")
	_ = set.MarkFlagRequired("file")
	c.AddCommand(set, show, remove)
	return c
}
