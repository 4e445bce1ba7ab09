package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/opentill/opentill/extensions/wasm"
	"github.com/opentill/opentill/offline/scaleunit"
)

// extensionCmd publishes signed WebAssembly extension packages to a
// store's tills (or every store's), withdraws and lists them. Which
// vendors' packages the tills load is the store's extension_keys document
// (scaleunit document set --name extension_keys).
func extensionCmd() *cobra.Command {
	c := &cobra.Command{Use: "extension", Short: "Publish, withdraw or list the signed WebAssembly extension packages the tills get"}
	var data, storeID, dir, id string
	publish := &cobra.Command{
		Use:   "publish",
		Short: "Check a signed package folder (manifest.json, its module, signature.json) and send it to the tills",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			man, mod, sig, err := wasm.PackageFiles(dir)
			if err != nil {
				return err
			}
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				p, err := st.PublishExtension(ctx, storeID, man, mod, sig)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s %s published for %s (module %d bytes, SHA-256 %s); tills get it at their next sync and load it from their next start if their store trusts its key\n",
					p.ID, p.Version, where(storeID), p.Size, p.Module)
				return nil
			})
		},
	}
	withdraw := &cobra.Command{
		Use:   "withdraw",
		Short: "Tell the tills to remove a package they were sent",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				if err := st.WithdrawExtension(ctx, storeID, id); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s withdrawn for %s; tills remove it at their next sync\n", id, where(storeID))
				return nil
			})
		},
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "List the packages published for a store (or for every store)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				ps, err := st.Extensions(ctx, storeID)
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tVERSION\tBYTES\tMODULE SHA-256")
				for _, p := range ps {
					fmt.Fprintf(w, "%s\t%s\t%d\t%s\n", p.ID, p.Version, p.Size, p.Module)
				}
				return w.Flush()
			})
		},
	}
	for _, sc := range []*cobra.Command{publish, withdraw, list} {
		dataFlag(sc, &data)
		sc.Flags().StringVar(&storeID, "store", "", "store ID (default: every store)")
	}
	publish.Flags().StringVar(&dir, "dir", "", "the signed package folder")
	_ = publish.MarkFlagRequired("dir")
	withdraw.Flags().StringVar(&id, "id", "", "the extension's ID (acme.pfand)")
	_ = withdraw.MarkFlagRequired("id")
	c.AddCommand(publish, withdraw, list)
	return c
}

func where(storeID string) string {
	if storeID == "" {
		return "every store"
	}
	return "store " + storeID
}
