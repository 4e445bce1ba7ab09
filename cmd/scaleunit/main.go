// Command scaleunit is OpenTill's reference store server: tills activate
// against it, download the catalog, prices, staff and configuration as
// ordered deltas, and upload their sales exactly once.
//
//	scaleunit seed --data DIR [--products N]   create the demo chain
//	scaleunit serve --data DIR [--addr 127.0.0.1:8640] [--tls-cert F --tls-key F] [--pin-key F]
//	scaleunit till add|code|deactivate|activate|list …
//	scaleunit admin tills [--json]            the tills by the version they run
//	scaleunit admin token create|list|revoke  the admin API's tokens (docs/sync.md)
//	scaleunit version
//	scaleunit price set, product add, staff add|set, store add, stock set …
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // store time zones on Windows, which has no zoneinfo files

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/opentill/opentill/internal/version"
	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/staff"
)

func main() {
	if err := rootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "scaleunit:", err)
		os.Exit(1)
	}
}

func rootCmd() *cobra.Command {
	root := &cobra.Command{Use: "scaleunit", Short: "OpenTill's reference store server", SilenceUsage: true, SilenceErrors: true}
	root.AddCommand(serveCmd(), seedCmd(), storeCmd(), tillCmd(), priceCmd(), productCmd(), staffCmd(), stockCmd(), documentCmd(), extensionCmd())
	root.AddCommand(adminCmd(), versionCmd())
	root.Version = version.Get().String() // scaleunit --version
	return root
}

// dataFlag adds --data (a folder holding the SQLite database) and --db
// (the same, or a PostgreSQL URL: postgres://user:password@host/database);
// one of them is needed.
func dataFlag(c *cobra.Command, dst *string) {
	c.Flags().StringVar(dst, "data", "", "data folder of the scale unit (holds "+scaleunit.DBFile+"), or a PostgreSQL URL")
	c.Flags().StringVar(dst, "db", "", "the scale unit's database: a PostgreSQL URL (postgres://user:password@host:5432/db) or a data folder")
	c.MarkFlagsOneRequired("data", "db")
	c.MarkFlagsMutuallyExclusive("data", "db")
}

// withStorage opens the storage in data for an admin command.
func withStorage(data string, fn func(context.Context, *scaleunit.DB) error) (err error) {
	return withKeyedStorage(data, "", fn)
}

// withKeyedStorage opens the storage in data with the PIN key file pinKey
// ("" for the default, see pinKeyFlag) for an admin command.
func withKeyedStorage(data, pinKey string, fn func(context.Context, *scaleunit.DB) error) (err error) {
	if !scaleunit.IsPostgresURL(data) {
		if _, err := os.Stat(data); err != nil {
			return fmt.Errorf("data folder %s: %w (create it with: scaleunit seed --data %s)", data, err, data)
		}
	}
	st, err := scaleunit.OpenWith(context.Background(), data, scaleunit.Options{PINKeyFile: pinKey})
	if err != nil {
		return err
	}
	defer closeInto(&err, st)
	return fn(context.Background(), st)
}

// pinKeyFlag adds --pin-key, the chain's PIN key file (docs/security.md).
func pinKeyFlag(c *cobra.Command, dst *string) {
	c.Flags().StringVar(dst, "pin-key", "", "the chain's PIN key file (default: $"+scaleunit.EnvPINKey+", else "+scaleunit.PINKeyFile+
		" in the --data folder; needed with a PostgreSQL --db, the same file on every server process); made on the first start")
}

// closeInto closes the storage when a command ends and adds a failed close
// to the command's error, so the command exits non-zero: every change was
// committed with synchronous=FULL, but the disk needs looking at.
func closeInto(err *error, st *scaleunit.DB) {
	if cerr := st.Close(); cerr != nil {
		*err = errors.Join(*err, fmt.Errorf("closing the scale unit's database: %w", cerr))
	}
}

func serveCmd() *cobra.Command {
	var data, addr, cert, key, level, pinKey string
	var jsonLogs bool
	var every time.Duration
	c := &cobra.Command{
		Use:   "serve",
		Short: "Serve the scale-unit API until SIGINT/SIGTERM (then shut down gracefully)",
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			var lv slog.Level
			if err := lv.UnmarshalText([]byte(level)); err != nil {
				return fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
			}
			opts := &slog.HandlerOptions{Level: lv}
			var h slog.Handler = slog.NewTextHandler(cmd.ErrOrStderr(), opts)
			if jsonLogs {
				h = slog.NewJSONHandler(cmd.ErrOrStderr(), opts)
			}
			log := slog.New(h)
			log.Info("scale unit starting", "version", version.Get().Version, "commit", version.Get().ShortCommit(), "data", scaleunit.Redact(data))
			if (cert == "") != (key == "") {
				return errors.New("TLS needs both --tls-cert and --tls-key")
			}
			st, err := scaleunit.OpenWith(cmd.Context(), data, scaleunit.Options{PINKeyFile: pinKey})
			if err != nil {
				return err
			}
			defer closeInto(&err, st)
			// Refused before listening: tills could not check their PINs.
			keyID, err := st.PINKeyID(cmd.Context())
			if err != nil {
				return err
			}
			log.Info("PIN key", "id", keyID, "file", st.PINKeyPath())
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("listening on %s: %w (is another scale unit running? use --addr)", addr, err)
			}
			// The bound address on stdout, for scripts and tests (--addr with port 0).
			fmt.Fprintf(cmd.OutOrStdout(), "listening %s\n", ln.Addr())
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if every > 0 {
				go refreshRecommendations(ctx, st, every, log)
			}
			return scaleunit.New(st, log).Serve(ctx, ln, cert, key)
		},
	}
	dataFlag(c, &data)
	c.Flags().StringVar(&addr, "addr", scaleunit.DefaultAddr, "address to listen on")
	c.Flags().StringVar(&cert, "tls-cert", "", "TLS certificate file (PEM); serves HTTPS with --tls-key")
	c.Flags().StringVar(&key, "tls-key", "", "TLS private key file (PEM)")
	c.Flags().StringVar(&level, "log-level", "info", "log level: debug, info, warn, error")
	c.Flags().BoolVar(&jsonLogs, "json-logs", false, "log JSON lines instead of text")
	c.Flags().DurationVar(&every, "recommend-every", time.Hour, "recount what is bought together this often (0 = never; scaleunit admin recommend does it once)")
	pinKeyFlag(c, &pinKey)
	return c
}

// refreshRecommendations recounts the recommendations now and then every
// interval until ctx ends; a failure is logged and retried the next time.
func refreshRecommendations(ctx context.Context, st *scaleunit.DB, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		start := time.Now()
		if n, err := st.RefreshRecommendations(ctx); err != nil {
			if ctx.Err() == nil {
				log.Warn("counting recommendations failed; retrying at the next interval", "error", err)
			}
		} else {
			log.Info("recommendations counted", "changed", n, "took", time.Since(start).Round(time.Millisecond))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func seedCmd() *cobra.Command {
	var data, pinKey string
	var n int
	var quiet bool
	c := &cobra.Command{
		Use:   "seed",
		Short: "Create the demo chain (stores S0001 and S0002, tills, staff, N products) in an empty data folder",
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if n < 1 {
				return errors.New("--products must be at least 1")
			}
			st, err := scaleunit.OpenWith(cmd.Context(), data, scaleunit.Options{PINKeyFile: pinKey})
			if err != nil {
				return err
			}
			defer closeInto(&err, st)
			if ss, err := st.Stores(cmd.Context()); err != nil {
				return err
			} else if len(ss) > 0 {
				return fmt.Errorf("%s already holds a chain with %d stores: seed an empty folder", data, len(ss))
			}
			var bar *progressbar.ProgressBar
			if !quiet {
				bar = progressbar.NewOptions(n, progressbar.OptionSetWriter(cmd.ErrOrStderr()), progressbar.OptionSetDescription("seeding products"),
					progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
			}
			start := time.Now()
			if err := scaleunit.Seed(cmd.Context(), st, n, func(done, _ int) {
				if bar != nil {
					_ = bar.Set(done)
				}
			}); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "seeded %s: %d products in %.1fs\n", data, n, time.Since(start).Seconds())
			fmt.Fprintln(out, "activation codes (one-time, valid 7 days):")
			tills, err := st.Tills(cmd.Context())
			if err != nil {
				return err
			}
			for _, t := range tills {
				code, err := scaleunit.IssueActivationCode(cmd.Context(), st, t.ID, 7*24*time.Hour)
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "  %-10s %s\n", t.ID, code)
			}
			return nil
		},
	}
	dataFlag(c, &data)
	c.Flags().IntVar(&n, "products", 5000, "number of demo products")
	c.Flags().BoolVar(&quiet, "quiet", false, "no progress bar")
	pinKeyFlag(c, &pinKey)
	return c
}

func storeCmd() *cobra.Command {
	c := &cobra.Command{Use: "store", Short: "Manage stores"}
	var data, id, name string
	add := &cobra.Command{
		Use:   "add",
		Short: "Add (or rename) a store with the demo configuration",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				return st.PutStore(ctx, scaleunit.StoreInfo{ID: id, Name: name}, demo.Setup())
			})
		},
	}
	dataFlag(add, &data)
	add.Flags().StringVar(&id, "id", "", "store ID, e.g. S0003")
	add.Flags().StringVar(&name, "name", "", "store name")
	_ = add.MarkFlagRequired("id")
	c.AddCommand(add, setupCmd())
	return c
}

func tillCmd() *cobra.Command {
	c := &cobra.Command{Use: "till", Short: "Manage tills: add, one-time activation codes, deactivate"}
	var data, storeID, terminal, tillID string
	var ttl time.Duration
	add := &cobra.Command{
		Use:   "add",
		Short: "Add a till to a store and print its one-time activation code",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				t, err := st.PutTill(ctx, storeID, terminal)
				if err != nil {
					return err
				}
				code, err := scaleunit.IssueActivationCode(ctx, st, t.ID, ttl)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s %s\n", t.ID, code)
				return nil
			})
		},
	}
	dataFlag(add, &data)
	add.Flags().StringVar(&storeID, "store", demo.StoreID, "store ID")
	add.Flags().StringVar(&terminal, "terminal", "", "terminal ID, e.g. T04")
	add.Flags().DurationVar(&ttl, "valid", 7*24*time.Hour, "how long the code is valid")
	_ = add.MarkFlagRequired("terminal")

	code := &cobra.Command{
		Use:   "code",
		Short: "Issue a new one-time activation code for a till (activating rotates its token)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				code, err := scaleunit.IssueActivationCode(ctx, st, tillID, ttl)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), code)
				return nil
			})
		},
	}
	dataFlag(code, &data)
	code.Flags().StringVar(&tillID, "till", "", "till ID, e.g. S0001/T01")
	code.Flags().DurationVar(&ttl, "valid", 7*24*time.Hour, "how long the code is valid")
	_ = code.MarkFlagRequired("till")

	setActive := func(use string, active bool) *cobra.Command {
		var data, tillID string
		cc := &cobra.Command{
			Use:   use,
			Short: map[bool]string{false: "Refuse a till's token from now on", true: "Allow a deactivated till again"}[active],
			RunE: func(cmd *cobra.Command, _ []string) error {
				return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
					return st.SetTillActive(ctx, tillID, active)
				})
			},
		}
		dataFlag(cc, &data)
		cc.Flags().StringVar(&tillID, "till", "", "till ID, e.g. S0001/T01")
		_ = cc.MarkFlagRequired("till")
		return cc
	}
	var listData string
	list := &cobra.Command{
		Use:   "list",
		Short: "List the tills",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(listData, func(ctx context.Context, st *scaleunit.DB) error {
				ts, err := st.Tills(ctx)
				for _, t := range ts {
					state := "not activated"
					switch {
					case t.Deactivated:
						state = "deactivated"
					case t.Active:
						state = "active since " + t.Activated.Format(time.RFC3339)
					}
					fmt.Fprintf(cmd.OutOrStdout(), "%-10s %-20s %s\n", t.ID, t.DeviceName, state)
					if t.KeyID == "" {
						continue
					}
					h, herr := st.JournalHead(ctx, t.ID)
					if herr != nil {
						return herr
					}
					fmt.Fprintf(cmd.OutOrStdout(), "%-10s journal key %s, head entry %d (signature counter %d)\n", "", t.KeyID, h.Seq, h.Counter)
					alert, aerr := st.JournalAlert(ctx, t.ID)
					if aerr != nil {
						return aerr
					}
					if alert != "" {
						fmt.Fprintf(cmd.OutOrStdout(), "%-10s JOURNAL ALERT: %s\n", "", alert)
					}
				}
				return err
			})
		},
	}
	dataFlag(list, &listData)
	c.AddCommand(add, code, setActive("deactivate", false), setActive("activate", true), list)
	return c
}

// parseAmount reads "1.99" or "199c"-free decimal prices in the demo currency.
func parseAmount(s string) (int64, error) {
	a, err := money.Parse(s, money.EUR.Digits)
	if err != nil {
		return 0, fmt.Errorf("price %q: write it like 1.99: %w", s, err)
	}
	return int64(a), nil
}

func priceCmd() *cobra.Command {
	c := &cobra.Command{Use: "price", Short: "Change prices (tills pull them as deltas)"}
	var data, product, price string
	set := &cobra.Command{
		Use:   "set",
		Short: "Set the price of a product",
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := parseAmount(price)
			if err != nil {
				return err
			}
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				return st.SetPrices(ctx, []api.PriceChange{{ProductID: product, Price: p}})
			})
		},
	}
	dataFlag(set, &data)
	set.Flags().StringVar(&product, "product", "", "product ID")
	set.Flags().StringVar(&price, "price", "", "new price, e.g. 1.99")
	_ = set.MarkFlagRequired("product")
	_ = set.MarkFlagRequired("price")
	c.AddCommand(set)
	return c
}

func productCmd() *cobra.Command {
	c := &cobra.Command{Use: "product", Short: "Add, change or remove products"}
	var data string
	var p catalog.Product
	var price, code, per string
	add := &cobra.Command{
		Use:   "add",
		Short: "Add or replace a product",
		RunE: func(cmd *cobra.Command, _ []string) error {
			amt, err := parseAmount(price)
			if err != nil {
				return err
			}
			p.Price = money.Amount(amt)
			if per != "" {
				u, err := money.Parse(per, 3)
				if err != nil || u <= 0 {
					return fmt.Errorf("--price-unit %q: give how many units the price is for, e.g. 50 or 0.5", per)
				}
				p.PriceUnit = catalog.Qty(u)
			}
			if code != "" {
				p.Barcodes = []string{code} // checked and kept by its lookup key, as the admin API's
			}
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				return st.PutProducts(ctx, []catalog.Product{p})
			})
		},
	}
	dataFlag(add, &data)
	add.Flags().StringVar(&p.ID, "id", "", "product ID")
	add.Flags().StringVar(&p.Name, "name", "", "name")
	add.Flags().StringVar(&p.Category, "category", "Misc", "category")
	add.Flags().StringVar(&p.Unit, "unit", "ea", "unit of measure")
	add.Flags().StringVar(&p.TaxGroup, "tax-group", demo.TaxStandard, "tax group (STD, RED, ZERO)")
	add.Flags().StringVar(&price, "price", "", "price, e.g. 2.49")
	add.Flags().StringVar(&code, "barcode", "", "barcode (EAN/UPC)")
	add.Flags().StringVar(&per, "price-unit", "", "how many units the price is for, e.g. 50 (10.00 per 50 screws); default one")
	for _, f := range []string{"id", "name", "price"} {
		_ = add.MarkFlagRequired(f)
	}
	var rmData, rmID string
	rm := &cobra.Command{
		Use:   "remove",
		Short: "Remove a product",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(rmData, func(ctx context.Context, st *scaleunit.DB) error { return st.DeleteProduct(ctx, rmID) })
		},
	}
	dataFlag(rm, &rmData)
	rm.Flags().StringVar(&rmID, "id", "", "product ID")
	var imgData, imgID, imgFile string
	var imgClear bool
	img := &cobra.Command{
		Use:   "image",
		Short: "Set a product's picture (a PNG or JPEG, at most 1 MiB and 2048 pixels a side) or take it away (--clear); tills fetch it at their next sync",
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (imgFile == "") == !imgClear {
				return errors.New("give the picture with --file PATH, or --clear to take it away")
			}
			var b []byte
			if imgFile != "" {
				var err error
				if b, err = os.ReadFile(imgFile); err != nil {
					return fmt.Errorf("reading the picture: %w", err)
				}
			}
			return withStorage(imgData, func(ctx context.Context, st *scaleunit.DB) error {
				key, err := st.SetProductImage(ctx, imgID, b)
				if err == nil && key != "" {
					fmt.Fprintf(cmd.OutOrStdout(), "product %s: picture %s\n", imgID, key)
				}
				return err
			})
		},
	}
	dataFlag(img, &imgData)
	img.Flags().StringVar(&imgID, "id", "", "product ID")
	img.Flags().StringVar(&imgFile, "file", "", "the picture: a PNG or JPEG file")
	img.Flags().BoolVar(&imgClear, "clear", false, "take the product's picture away")
	_ = img.MarkFlagRequired("id")
	c.AddCommand(add, rm, img)
	return c
}

// roleCmd adds or replaces a role from its JSON, the body the admin API's
// PUT /v1/admin/roles/{id} takes (docs/scaleunit-api.yaml, Role).
func roleCmd() *cobra.Command {
	var data, file string
	c := &cobra.Command{
		Use:   "role",
		Short: "Add or replace a role from a JSON file (--file role.json, - for standard input): id, name, permissions (operation IDs), limits, manager",
		Example: `  scaleunit staff role --data DIR --file - <<'EOF'
  {"id": "senior", "name": "Senior cashier", "permissions": [100, 101, 102, 104, 200, 201],
   "limits": {"max_line_discount_bp": 2000, "max_total_discount_bp": 1000, "max_return_amount": 10000}, "manager": false}
  EOF`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var b []byte
			var err error
			if file == "-" {
				b, err = io.ReadAll(cmd.InOrStdin())
			} else {
				b, err = os.ReadFile(file)
			}
			if err != nil {
				return fmt.Errorf("reading the role: %w", err)
			}
			var w api.Role
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&w); err != nil {
				return fmt.Errorf("the role is not the JSON the admin API takes (id, name, permissions, limits, manager): %w", err)
			}
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				if err := st.PutRole(ctx, apimap.RoleFrom(w)); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "role %s set: the tills get it at their next sync\n", w.ID)
				return nil
			})
		},
	}
	dataFlag(c, &data)
	c.Flags().StringVar(&file, "file", "", "the role's JSON, or - for standard input")
	_ = c.MarkFlagRequired("file")
	return c
}

func staffCmd() *cobra.Command {
	c := &cobra.Command{Use: "staff", Short: "Add or change operators"}
	var data, pin, pinKey string
	var o staff.Operator
	add := &cobra.Command{
		Use:   "add",
		Short: "Add or replace an operator (the PIN is stretched with argon2id and kept sealed under the chain's PIN key; each store's tills get their own peppered hash)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			pin, err := readPIN(cmd, pin)
			if err != nil {
				return err
			}
			return withKeyedStorage(data, pinKey, func(ctx context.Context, st *scaleunit.DB) error {
				if err := st.PutOperatorPIN(ctx, o, pin, staff.DefaultParams); err != nil {
					return err
				}
				return pinSet(ctx, cmd, st, o.ID)
			})
		},
	}
	dataFlag(add, &data)
	pinKeyFlag(add, &pinKey)
	add.Flags().StringVar(&o.ID, "id", "", "operator ID")
	add.Flags().StringVar(&o.Name, "name", "", "name")
	add.Flags().StringVar(&o.RoleID, "role", demo.RoleCashier, "role: cashier, manager, associate")
	add.Flags().StringVar(&o.Language, "language", "en", "language (BCP 47)")
	add.Flags().StringVar(&pin, "pin", "", pinUsage)
	add.Flags().StringSliceVar(&o.Stores, "stores", nil, "the stores the operator works at, comma-separated (none: every store); only their tills get the operator")
	for _, f := range []string{"id", "name", "pin"} {
		_ = add.MarkFlagRequired(f)
	}

	var setData, setPIN, setKey string
	var set staff.Operator
	setCmd := &cobra.Command{
		Use:   "set",
		Short: "Change an operator: name, role, language, stores, and the PIN with --pin (without it the PIN stays; an operator whose PIN was set before peppers keeps its old hash until --pin)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := cmd.Flags()
			pin := ""
			if f.Changed("pin") {
				var err error
				if pin, err = readPIN(cmd, setPIN); err != nil {
					return err
				}
			}
			return withKeyedStorage(setData, setKey, func(ctx context.Context, st *scaleunit.DB) error {
				o, err := st.Operator(ctx, set.ID)
				if errors.Is(err, scaleunit.ErrNotFound) {
					return fmt.Errorf("there is no operator %s: add one with scaleunit staff add", set.ID)
				}
				if err != nil {
					return err
				}
				if f.Changed("name") {
					o.Name = set.Name
				}
				if f.Changed("role") {
					o.RoleID = set.RoleID
				}
				if f.Changed("language") {
					o.Language = set.Language
				}
				if f.Changed("stores") {
					o.Stores = set.Stores
				}
				if !f.Changed("pin") {
					return st.PutOperator(ctx, o)
				}
				if err := st.PutOperatorPIN(ctx, o, pin, staff.DefaultParams); err != nil {
					return err
				}
				return pinSet(ctx, cmd, st, o.ID)
			})
		},
	}
	dataFlag(setCmd, &setData)
	pinKeyFlag(setCmd, &setKey)
	setCmd.Flags().StringVar(&set.ID, "id", "", "operator ID")
	setCmd.Flags().StringVar(&set.Name, "name", "", "name")
	setCmd.Flags().StringVar(&set.RoleID, "role", "", "role: cashier, manager, associate")
	setCmd.Flags().StringVar(&set.Language, "language", "", "language (BCP 47)")
	setCmd.Flags().StringVar(&setPIN, "pin", "", "a new "+pinUsage)
	setCmd.Flags().StringSliceVar(&set.Stores, "stores", nil, "the stores the operator works at, comma-separated (\"\": every store)")
	_ = setCmd.MarkFlagRequired("id")
	c.AddCommand(add, setCmd, roleCmd())
	return c
}

const pinUsage = "PIN or password; - reads it from the first line of standard input (out of the shell history and the process list)"

// readPIN returns the PIN given with --pin (a line of standard input for
// "-"), refusing one too short to be a PIN.
func readPIN(cmd *cobra.Command, pin string) (string, error) {
	if pin == "-" {
		line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
		if err != nil && !(errors.Is(err, io.EOF) && line != "") {
			return "", fmt.Errorf("reading the PIN from standard input: %w", err)
		}
		pin = strings.TrimRight(line, "\r\n")
	}
	if err := scaleunit.CheckPIN(pin); err != nil {
		return "", fmt.Errorf("--pin: %w", err)
	}
	return pin, nil
}

// pinSet says what a PIN set at the server became.
func pinSet(ctx context.Context, cmd *cobra.Command, st *scaleunit.DB, id string) error {
	keyID, err := st.PINKeyID(ctx)
	if err != nil {
		return err
	}
	p := staff.DefaultParams
	fmt.Fprintf(cmd.OutOrStdout(), "operator %s: PIN set (argon2id, %d MiB, %d passes, %d lanes; sealed under PIN key %s): each store's tills get their own hash at their next sync\n",
		id, p.Memory/1024, p.Time, p.Threads, keyID)
	return nil
}

func stockCmd() *cobra.Command {
	c := &cobra.Command{Use: "stock", Short: "Set stock levels (served as cross-store availability)"}
	var data, storeID, product string
	var qty float64
	set := &cobra.Command{
		Use:   "set",
		Short: "Set a store's stock of a product",
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				return st.SetStock(ctx, storeID, product, int64(qty*1000))
			})
		},
	}
	dataFlag(set, &data)
	set.Flags().StringVar(&storeID, "store", demo.StoreID, "store ID")
	set.Flags().StringVar(&product, "product", "", "product ID")
	set.Flags().Float64Var(&qty, "qty", 0, "quantity")
	_ = set.MarkFlagRequired("product")
	c.AddCommand(set)
	return c
}
