package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/opentill/opentill/extensions"
	"github.com/opentill/opentill/extensions/exttest"
	"github.com/opentill/opentill/extensions/host"
	_ "github.com/opentill/opentill/extensions/standard" // the extensions posctl carries (posctl ext list)
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos"
)

// carriedRegistry is the registry of a till with the extensions posctl
// carries: the built-in operations and theirs (docs/operations.md).
func carriedRegistry(ctx context.Context) (*pos.Registry, error) {
	g := pos.NewRegistry()
	set, err := extensions.Load(ctx, g, extensions.Options{})
	if err != nil {
		return nil, err
	}
	return g, set.Close()
}

// openTillExt opens the till in data as openTill does and, with ext, starts
// its extensions (compiled in and in DATA/extensions) on the register.
func openTillExt(ctx context.Context, data, card string, ext bool) (*store.Store, *pos.Register, *extensions.Set, error) {
	if !ext {
		s, reg, _, err := openTill(data, card, nil)
		return s, reg, nil, err
	}
	if _, err := os.Stat(data); err != nil {
		return nil, nil, nil, fmt.Errorf("data folder %s: %w (create it with: posctl seed --data %s)", data, err, data)
	}
	g := pos.NewRegistry()
	set, err := host.Open(ctx, data, g)
	if err != nil {
		return nil, nil, nil, err
	}
	s, reg, _, err := openTill(data, card, g)
	if err != nil {
		return nil, nil, nil, errors.Join(err, set.Close())
	}
	if err := set.Attach(reg); err != nil {
		return nil, nil, nil, errors.Join(err, set.Close(), s.Close())
	}
	return s, reg, set, nil
}

func extCmd() *cobra.Command {
	c := &cobra.Command{Use: "ext", Short: "Extensions: list what a till would load, check a module, run hooks against a script"}
	c.AddCommand(extListCmd(), extRunCmd())
	return c
}

func extListCmd() *cobra.Command {
	var data string
	c := &cobra.Command{
		Use:   "list",
		Short: "List the Go extensions posctl carries and, with --data, what that till would load",
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			if data == "" {
				host.PrintCarried(out)
				return nil
			}
			set, err := host.Open(cmd.Context(), data, pos.NewRegistry())
			if err != nil {
				return err
			}
			for _, l := range set.Loaded() {
				fmt.Fprintln(out, host.Describe(l))
			}
			return set.Close()
		},
	}
	c.Flags().StringVar(&data, "data", "", "data folder of a till (its extensions/ folder and configs)")
	return c
}

func extRunCmd() *cobra.Command {
	var file string
	var only []string
	c := &cobra.Command{
		Use:   "run",
		Short: "Run extensions' hooks against a script on a fake till (the demo catalog in memory; see docs/extensions.md)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(only) == 0 {
				for _, i := range extensions.Registered() {
					only = append(only, i.ID)
				}
			}
			h, err := exttest.Build(exttest.Options{Only: only})
			if err != nil {
				return err
			}
			defer h.Close()
			f, err := os.Open(file)
			if err != nil {
				return fmt.Errorf("opening the script: %w", err)
			}
			defer f.Close() // read only
			return h.Run(f, cmd.OutOrStdout())
		},
	}
	c.Flags().StringVar(&file, "script", "", "script: posctl sell steps plus  answer BUTTON [FIELD=VALUE…]")
	c.Flags().StringSliceVar(&only, "ext", nil, "extensions to run (default: all compiled in)")
	_ = c.MarkFlagRequired("script")
	return c
}
