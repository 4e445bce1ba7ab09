// Command posctl is OpenTill's headless tool: seed a demo store, run
// scripted sales, price a cart, verify the journal, run an interactive
// text till and measure the system. It never imports the UI toolkit.
package main

import (
	"fmt"
	"os"
	_ "time/tzdata" // receipts show the store's time zone on machines without zoneinfo

	"github.com/spf13/cobra"

	"github.com/opentill/opentill/internal/version"
	"github.com/opentill/opentill/pos/poserr"
)

func main() {
	if err := rootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "posctl:", err)
		code := 1
		if poserr.KindOf(err) == poserr.Storage {
			code = 3
		}
		os.Exit(code)
	}
}

func rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "posctl",
		Short:         "OpenTill's headless tool",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(seedCmd(), sellCmd(), priceCmd(), journalCmd(), opsCmd(), tillCmd(), benchCmd())
	root.AddCommand(syncCmd())
	root.AddCommand(devicesCmd())
	root.AddCommand(reportCmd())
	root.AddCommand(versionCmd())
	root.AddCommand(extCmd())
	root.Version = version.Get().String() // posctl --version
	return root
}

// dataFlag adds the --data flag every command that opens a store takes.
func dataFlag(c *cobra.Command, dst *string) {
	c.Flags().StringVar(dst, "data", "", "data folder of the till (holds till.db)")
	_ = c.MarkFlagRequired("data")
}
