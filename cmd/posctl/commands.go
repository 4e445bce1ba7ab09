package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/peripherals/paysim"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/pricing"
	"github.com/opentill/opentill/pos/script"
)

func seedCmd() *cobra.Command {
	var data, loc string
	var n int
	var quiet bool
	c := &cobra.Command{
		Use:   "seed",
		Short: "Create a deterministic demo store with N products, staff and tax setup",
		RunE: func(cmd *cobra.Command, _ []string) error {
			if n < 1 {
				return fmt.Errorf("--products must be at least 1")
			}
			start := time.Now()
			var bar *progressbar.ProgressBar
			if !quiet {
				bar = progressbar.NewOptions(n, progressbar.OptionSetWriter(cmd.ErrOrStderr()),
					progressbar.OptionSetDescription("seeding products"), progressbar.OptionShowCount(),
					progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
			}
			progress := func(done, total int) {
				if bar != nil {
					_ = bar.Set(done)
				}
			}
			st, err := demo.SeedLocale(cmd.Context(), data, n, loc, progress)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "seeded %s: %d products in %.1fs\n", data, st.Products, time.Since(start).Seconds())
			if loc != "" {
				setup, _ := demo.SetupFor(loc)
				fmt.Fprintf(out, "store %q in %s: %s, %s\n", setup.StoreName, setup.Header.Locale, setup.Currency.Code, setup.Header.TimeZone)
			}
			fmt.Fprintln(out, "demo operators (ID / PIN / role):")
			ops, _ := demo.StaffFor(loc)
			for _, o := range ops {
				fmt.Fprintf(out, "  %s / %s / %s (%s)\n", o.ID, o.PIN, o.RoleID, o.Name)
			}
			return nil
		},
	}
	dataFlag(c, &data)
	c.Flags().IntVar(&n, "products", 5000, "number of products to generate")
	c.Flags().BoolVar(&quiet, "quiet", false, "no progress output")
	c.Flags().StringVar(&loc, "locale", "", "seed the demo store of a locale: de-DE, fr-FR, es-ES or en-US (its language, currency, tax regime and time zone); default: the usual demo store")
	return c
}

// openTill opens the store in data and builds a register on it.
// ops is the registry the register runs (nil: the built-in operations).
func openTill(data string, cardMode string, ops *pos.Registry) (*store.Store, *pos.Register, *paysim.Terminal, error) {
	if _, err := os.Stat(data); err != nil {
		return nil, nil, nil, fmt.Errorf("data folder %s: %w (create it with: posctl seed --data %s)", data, err, data)
	}
	s, err := store.Open(data)
	if err != nil {
		return nil, nil, nil, err
	}
	// On the failures below nothing was written: the first error is the one
	// to report, and a failed close of the untouched store adds nothing.
	setup, err := s.LoadSetup(context.Background())
	if err != nil {
		s.Close()
		return nil, nil, nil, fmt.Errorf("%w (is %s a seeded store? run: posctl seed --data %s)", err, data, data)
	}
	term := paysim.New()
	mode, err := paysim.ParseOutcome(cardMode)
	if err != nil {
		s.Close()
		return nil, nil, nil, err
	}
	term.SetMode(mode)
	term.Timeout = 3 * time.Second
	return s, pos.NewRegister(setup, s, pos.Options{Terminal: term, Registry: ops}), term, nil
}

func sellCmd() *cobra.Command {
	var data, file, card string
	var width int
	c := &cobra.Command{
		Use:   "sell",
		Short: "Run a scripted till session (see docs/scripts.md) and print the receipts",
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			s, reg, _, err := openTill(data, card, nil)
			if err != nil {
				return err
			}
			defer closeInto(&err, s, "the local store")
			f, err := os.Open(file)
			if err != nil {
				return fmt.Errorf("opening the script: %w", err)
			}
			defer f.Close() // read only, and read to the end by Parse
			steps, err := script.Parse(f, reg.Setup().Currency.Digits)
			if err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			return script.Run(cmd.Context(), reg, steps, script.Options{Width: width, Out: cmd.OutOrStdout()})
		},
	}
	dataFlag(c, &data)
	c.Flags().StringVar(&file, "script", "", "script file")
	_ = c.MarkFlagRequired("script")
	c.Flags().IntVar(&width, "width", 42, "receipt width in columns (42 or 48)")
	c.Flags().StringVar(&card, "card", "approve", "simulated card terminal: approve, decline, timeout or unreachable")
	return c
}

func priceCmd() *cobra.Command {
	var data, file string
	var explain bool
	c := &cobra.Command{
		Use:   "price",
		Short: "Price a cart file (JSON) and print lines, discounts, tax and totals as JSON (--explain: why each promotion did or did not apply)",
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			s, reg, _, err := openTill(data, "approve", nil)
			if err != nil {
				return err
			}
			defer closeInto(&err, s, "the local store")
			f, err := os.Open(file)
			if err != nil {
				return fmt.Errorf("opening the cart file: %w", err)
			}
			defer f.Close() // read only, and read to the end by DecodeCart
			ops, err := script.DecodeCart(f, reg.Setup().Currency.Digits)
			if err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			at := time.Now()
			c, err := pos.Quote(cmd.Context(), reg.Setup(), s, ops)
			if err != nil {
				return err
			}
			if explain {
				return printExplanation(cmd.OutOrStdout(), reg.Setup(), c, at)
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(map[string]any{
				"currency": c.Currency.Code, "lines": c.Active(), "discount": c.Discount,
				"coupons": c.Coupons, "promotions": promotionSummary(c),
				"tax_summary": c.TaxSummary, "tax_inclusive": c.TaxInclusive, "totals": c.Totals,
			})
		},
	}
	dataFlag(c, &data)
	c.Flags().StringVar(&file, "cart", "", "cart file (JSON, see docs/scripts.md)")
	c.Flags().BoolVar(&explain, "explain", false, "print, line by line, why each promotion did or did not apply")
	_ = c.MarkFlagRequired("cart")
	return c
}

// printExplanation prints the priced cart with, under every line, each
// promotion that selects it and why it did or did not apply.
func printExplanation(w io.Writer, setup pos.Setup, c *cart.Cart, at time.Time) error {
	loc := setup.Header.Format()
	f := func(a money.Amount) string { return loc.Money(a, setup.Currency) }
	if setup.Promotions == nil {
		fmt.Fprintln(w, "the store has no promotions document: catalog prices, no promotions")
	}
	var ex pricing.Explanation
	if setup.Promotions != nil {
		ex = setup.Promotions.Explain(c, c.Active(), at, f)
	}
	byLine := map[int]pricing.LineExplanation{}
	for _, le := range ex.Lines {
		byLine[le.Line] = le
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, l := range c.Active() {
		fmt.Fprintf(tw, "line %d  %s  %s × %s  gross %s  promotions %s  net %s\n", l.No, l.Name, loc.Qty(l.Qty, l.UnitDecimals), f(l.UnitPrice), f(l.Gross), f(l.PromoDiscount), f(l.Net))
		offers := byLine[l.No].Offers
		if len(offers) == 0 {
			fmt.Fprintln(tw, "    no promotion selects this product")
		}
		for _, o := range offers {
			mark := "-"
			if o.Applied > 0 {
				mark = "+"
			}
			fmt.Fprintf(tw, "  %s %s\t%s (%s)\t%s\n", mark, o.OfferID, o.Name, o.Kind, o.Reason)
		}
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing the explanation: %w", err)
	}
	for _, n := range ex.Notes {
		fmt.Fprintln(w, "note:", n)
	}
	t := c.Totals
	_, err := fmt.Fprintf(w, "subtotal %s  promotions %s  other discounts %s  tax %s  total %s %s\n",
		f(t.Subtotal), f(t.PromoDiscounts), f(t.LineDiscounts+t.TotalDiscounts), f(t.Tax), f(t.Total), setup.Currency.Code)
	return err
}

func journalCmd() *cobra.Command {
	j := &cobra.Command{Use: "journal", Short: "Electronic journal tools: verify a data folder, export its head"}
	j.AddCommand(journalVerifyCmd(), journalHeadCmd())
	return j
}

func opsCmd() *cobra.Command {
	var md bool
	c := &cobra.Command{
		Use:   "ops",
		Short: "List the register's operations (with those of the extensions posctl carries) with their permission and offline availability",
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			g, err := carriedRegistry(cmd.Context())
			if err != nil {
				return err
			}
			if md {
				fmt.Fprint(out, g.Markdown())
				return nil
			}
			for _, o := range g.Specs() {
				fmt.Fprintf(out, "%5d  %-24s offline=%v\n", o.ID, o.Name, o.Offline)
			}
			return nil
		},
	}
	c.Flags().BoolVar(&md, "markdown", false, "print docs/operations.md")
	return c
}

// appliedPromotion is one promotion in the `posctl price` summary.
type appliedPromotion struct {
	OfferID string       `json:"offer_id"`
	Name    string       `json:"name"`
	Kind    string       `json:"kind"`
	Coupon  string       `json:"coupon,omitempty"`
	Lines   []int        `json:"lines"`
	Amount  money.Amount `json:"amount"`
}

// promotionSummary lists every promotion applied to the cart with the lines
// it touched and its total amount, in the order first applied.
func promotionSummary(c *cart.Cart) []appliedPromotion {
	out := []appliedPromotion{}
	at := map[string]int{}
	for _, l := range c.Active() {
		for _, a := range l.Promotions {
			i, ok := at[a.OfferID]
			if !ok {
				i = len(out)
				at[a.OfferID] = i
				out = append(out, appliedPromotion{OfferID: a.OfferID, Name: a.Name, Kind: a.Kind, Coupon: a.Coupon})
			}
			out[i].Lines = append(out[i].Lines, l.No)
			out[i].Amount += a.Amount
		}
	}
	return out
}
