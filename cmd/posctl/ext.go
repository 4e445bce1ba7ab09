package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/opentill/opentill/extensions"
	"github.com/opentill/opentill/extensions/exttest"
	"github.com/opentill/opentill/extensions/host"
	_ "github.com/opentill/opentill/extensions/standard" // the extensions posctl carries (posctl ext list)
	"github.com/opentill/opentill/extensions/wasm"
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
func openTillExt(ctx context.Context, data, card string, ext bool) (*store.Store, *pos.Register, *host.Extensions, error) {
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
	c.AddCommand(extListCmd(), extRunCmd(), extCheckCmd(), extSignCmd(), extKeygenCmd())
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
			for _, r := range set.Refused {
				fmt.Fprintln(out, "refused:", r)
			}
			return set.Close()
		},
	}
	c.Flags().StringVar(&data, "data", "", "data folder of a till (its extensions/ folder and configs)")
	return c
}

func extRunCmd() *cobra.Command {
	var file, trustFile string
	var only, pkgs []string
	c := &cobra.Command{
		Use:   "run",
		Short: "Run extensions' hooks against a script on a fake till (the demo catalog in memory; see docs/extensions.md)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(only) == 0 {
				for _, i := range extensions.Registered() {
					only = append(only, i.ID)
				}
			}
			var mods []extensions.Extension
			if len(pkgs) > 0 {
				trust, err := wasm.LoadTrust(trustFile)
				if err != nil {
					return err
				}
				for _, p := range pkgs {
					pkg, err := wasm.Read(p, trust)
					if err != nil {
						return err
					}
					mods = append(mods, wasm.New(pkg, wasm.Options{}))
				}
			}
			h, err := exttest.Build(exttest.Options{Only: only, Extensions: mods})
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
	c.Flags().StringSliceVar(&only, "ext", nil, "compiled-in extensions to run (default: all)")
	c.Flags().StringSliceVar(&pkgs, "package", nil, "WebAssembly package folders to run too")
	c.Flags().StringVar(&trustFile, "trust", "", "trusted_keys file the packages must be signed by a key of")
	_ = c.MarkFlagRequired("script")
	return c
}

func extCheckCmd() *cobra.Command {
	var data, trustFile string
	c := &cobra.Command{
		Use:   "check PACKAGE",
		Short: "Check a WebAssembly package: its manifest, its signature against the trusted keys, and that its module starts",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if trustFile == "" && data != "" {
				trustFile = filepath.Join(data, "extensions", wasm.TrustFile)
			}
			if trustFile == "" {
				return fmt.Errorf("give --data (the till whose trusted keys apply) or --trust FILE")
			}
			trust, err := wasm.LoadTrust(trustFile)
			if err != nil {
				return err
			}
			pkg, err := wasm.Read(args[0], trust)
			if err != nil {
				return err
			}
			m := wasm.New(pkg, wasm.Options{})
			set, err := extensions.Load(cmd.Context(), pos.NewRegistry(), extensions.Options{Skip: carriedIDs()}, m)
			if err != nil {
				return err
			}
			man := pkg.Manifest
			fmt.Fprintf(cmd.OutOrStdout(), "%s %s (%s): signed by %s, trusted; hooks pre %v post %v; capabilities %v; %d MB, %d ms a call; the module starts\n",
				man.ID, man.Version, man.Name, pkg.Key, man.Hooks.Pre, man.Hooks.Post, man.Capabilities, man.MemoryMB, man.DeadlineMS)
			return set.Close()
		},
	}
	c.Flags().StringVar(&data, "data", "", "data folder of the till (its extensions/trusted_keys)")
	c.Flags().StringVar(&trustFile, "trust", "", "trusted_keys file")
	return c
}

func carriedIDs() []string {
	var out []string
	for _, i := range extensions.Registered() {
		out = append(out, i.ID)
	}
	return out
}

func extSignCmd() *cobra.Command {
	var keyFile string
	c := &cobra.Command{
		Use:   "sign PACKAGE",
		Short: "Sign a WebAssembly package (its manifest and module) with a vendor key from posctl ext keygen",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := os.ReadFile(keyFile)
			if err != nil {
				return err
			}
			k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
			if err != nil || len(k) != ed25519.PrivateKeySize {
				return fmt.Errorf("%s is not a key from posctl ext keygen", keyFile)
			}
			if err := wasm.Sign(args[0], ed25519.PrivateKey(k)); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "signed %s with %s\n", args[0], base64.StdEncoding.EncodeToString(ed25519.PrivateKey(k).Public().(ed25519.PublicKey)))
			return nil
		},
	}
	c.Flags().StringVar(&keyFile, "key", "", "the vendor's private key file")
	_ = c.MarkFlagRequired("key")
	return c
}

func extKeygenCmd() *cobra.Command {
	var out string
	c := &cobra.Command{
		Use:   "keygen",
		Short: "Make a vendor signing key: the private key goes to --out, the public key (for trusted_keys) is printed",
		RunE: func(cmd *cobra.Command, _ []string) error {
			pub, priv, err := ed25519.GenerateKey(rand.Reader)
			if err != nil {
				return err
			}
			f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				return fmt.Errorf("%w (keygen never overwrites a key)", err)
			}
			if _, err := fmt.Fprintln(f, base64.StdEncoding.EncodeToString(priv)); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), base64.StdEncoding.EncodeToString(pub))
			return nil
		},
	}
	c.Flags().StringVar(&out, "out", "", "file for the private key (created, mode 0600)")
	_ = c.MarkFlagRequired("out")
	return c
}
