package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/opentill/opentill/internal/version"
	"github.com/opentill/opentill/offline/store"
)

// versionCmd prints the build identity and the data-folder schema version
// this build migrates to (a folder with a newer one is refused).
func versionCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, build date and the data folder's schema version this build knows",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			in := version.Get()
			out := cmd.OutOrStdout()
			if asJSON {
				return json.NewEncoder(out).Encode(struct {
					version.Info
					Schema int `json:"schema"`
				}{in, store.SchemaVersion()})
			}
			fmt.Fprint(out, in.Long("posctl"))
			fmt.Fprintf(out, "  schema    %d (data folder)\n", store.SchemaVersion())
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}
