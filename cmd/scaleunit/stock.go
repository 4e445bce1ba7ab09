package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/offline/scaleunit"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// adminStockCmd is `scaleunit admin stock`: the stock ledger's figures and
// scheduled counts.
func adminStockCmd() *cobra.Command {
	c := &cobra.Command{Use: "stock", Short: "The stock ledger: set or import a store's figures, show a product's, schedule counts"}
	var data, storeID, product string
	var onHand, reserved, onOrder, inTransit string
	qty := func(s, what string) (int64, error) {
		q, err := money.Parse(s, 3)
		if err != nil {
			return 0, fmt.Errorf("--%s %q is not a quantity (units, up to 3 decimals)", what, s)
		}
		return int64(q), nil
	}
	set := &cobra.Command{
		Use:   "set",
		Short: "Set a store's figures of a product (on hand is then true as of now; the figures not given are kept)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				f, err := st.Figure(ctx, storeID, product)
				if err != nil {
					return err
				}
				for _, x := range []struct {
					flag string
					dst  *int64
				}{{"on-hand", &f.OnHand}, {"reserved", &f.Reserved}, {"on-order", &f.OnOrder}, {"in-transit", &f.InTransit}} {
					if !cmd.Flags().Changed(x.flag) {
						continue
					}
					v, _ := cmd.Flags().GetString(x.flag)
					if *x.dst, err = qty(v, x.flag); err != nil {
						return err
					}
				}
				f.ProductID = product
				if err := st.SetFigures(ctx, storeID, []api.StockFigure{f}); err != nil {
					return err
				}
				return printFigure(ctx, cmd, st, storeID, product)
			})
		},
	}
	set.Flags().StringVar(&onHand, "on-hand", "", "on hand (units)")
	set.Flags().StringVar(&reserved, "reserved", "", "reserved for orders (units)")
	set.Flags().StringVar(&onOrder, "on-order", "", "on order (units)")
	set.Flags().StringVar(&inTransit, "in-transit", "", "in transit (units)")
	var file string
	imp := &cobra.Command{
		Use:   "import",
		Short: "Import a store's figures from a CSV file: product_id,on_hand[,reserved,on_order,in_transit] (all or nothing)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := os.Open(file)
			if err != nil {
				return err
			}
			defer f.Close()
			figs, err := scaleunit.ParseStockCSV(f)
			if err != nil {
				return fmt.Errorf("%s: %w; nothing was imported", file, err)
			}
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				if err := st.SetFigures(ctx, storeID, figs); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%d figures of store %s imported; its tills receive them at their next sync\n", len(figs), storeID)
				return nil
			})
		},
	}
	imp.Flags().StringVar(&file, "file", "", "the CSV file")
	_ = imp.MarkFlagRequired("file")
	show := &cobra.Command{
		Use:   "show",
		Short: "Show a store's figures of a product and its movements",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				if err := printFigure(ctx, cmd, st, storeID, product); err != nil {
					return err
				}
				ms, err := st.Movements(ctx, storeID, product)
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "AT\tKIND\tQTY\tREASON\tOPERATOR\tTILL\tBOOKED")
				for _, m := range ms {
					booked := "yes"
					if !m.Applied {
						booked = "no (before the figure was set)"
					}
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.At.Format("2006-01-02 15:04:05"), m.Kind, catalog.Qty(m.Qty).Format(3), m.Reason, m.Operator, m.TillID, booked)
				}
				return w.Flush()
			})
		},
	}
	for _, sub := range []*cobra.Command{set, show} {
		sub.Flags().StringVar(&product, "product", "", "product ID")
		_ = sub.MarkFlagRequired("product")
	}
	var countID, name, products string
	count := &cobra.Command{
		Use:   "count",
		Short: "Schedule a stock count of products in a store (sent to its tills in the counts feed), or show one with --show",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				if show, _ := cmd.Flags().GetBool("show"); show {
					c, lines, err := st.Count(ctx, countID)
					if err != nil {
						return err
					}
					enc := json.NewEncoder(cmd.OutOrStdout())
					enc.SetIndent("", "  ")
					return enc.Encode(struct {
						Count api.StockCount       `json:"count"`
						Lines []api.StockCountLine `json:"lines"`
					}{c, lines})
				}
				var ps []string
				for _, p := range strings.Split(products, ",") {
					if p = strings.TrimSpace(p); p != "" {
						ps = append(ps, p)
					}
				}
				if len(ps) == 0 {
					return fmt.Errorf("give the products to count: --products 10000,10001")
				}
				if err := st.PutCount(ctx, storeID, api.StockCount{ID: countID, Name: name, Products: ps}); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "count %s (%s) of %d products scheduled in store %s\n", countID, name, len(ps), storeID)
				return nil
			})
		},
	}
	count.Flags().StringVar(&countID, "id", "", "the count's ID")
	count.Flags().StringVar(&name, "name", "", "the count's name")
	count.Flags().StringVar(&products, "products", "", "product IDs, comma-separated")
	count.Flags().Bool("show", false, "show the count and its lines summed over the devices")
	_ = count.MarkFlagRequired("id")
	var docID, number, from, to, lines, delivery string
	order := &cobra.Command{
		Use:   "order",
		Short: "Create or replace a purchase order of a store (sent to its tills to receive), or show a document with --show",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				if show, _ := cmd.Flags().GetBool("show"); show {
					return printDoc(ctx, cmd, st, docID)
				}
				d := api.StockDoc{ID: docID, Kind: "purchase", Number: number, From: from, To: storeID}
				if err := docLines(&d, lines, delivery); err != nil {
					return err
				}
				if err := st.PutDoc(ctx, d); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "purchase order %s (%s) of %d lines for store %s\n", d.ID, d.Number, len(d.Lines), storeID)
				return nil
			})
		},
	}
	transfer := &cobra.Command{
		Use:   "transfer",
		Short: "Create a transfer order from one store to another (the sending store's tills ship it, the receiving store's receive it)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStorage(data, func(ctx context.Context, st *scaleunit.DB) error {
				d := api.StockDoc{ID: docID, Kind: "transfer", Number: number, From: from, To: to}
				if err := docLines(&d, lines, delivery); err != nil {
					return err
				}
				if err := st.PutDoc(ctx, d); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "transfer %s (%s) of %d lines from store %s to store %s\n", d.ID, d.Number, len(d.Lines), from, to)
				return nil
			})
		},
	}
	for _, c := range []*cobra.Command{order, transfer} {
		c.Flags().StringVar(&docID, "id", "", "the document's ID")
		c.Flags().StringVar(&number, "number", "", "the document's number (PO-1001); the ID when not given")
		c.Flags().StringVar(&lines, "lines", "", "product=quantity, comma-separated: 10000=12,10001=24")
		c.Flags().StringVar(&delivery, "delivery", "", "the delivery date, YYYY-MM-DD")
		_ = c.MarkFlagRequired("id")
	}
	order.Flags().StringVar(&from, "supplier", "", "the supplier's name")
	order.Flags().Bool("show", false, "show the document")
	transfer.Flags().StringVar(&from, "from", "", "the sending store's ID")
	transfer.Flags().StringVar(&to, "to", "", "the receiving store's ID")
	for _, sub := range []*cobra.Command{set, imp, show, count, order, transfer} {
		dataFlag(sub, &data)
		sub.Flags().StringVar(&storeID, "store", demo.StoreID, "store ID")
		c.AddCommand(sub)
	}
	return c
}

func printFigure(ctx context.Context, cmd *cobra.Command, st *scaleunit.DB, storeID, product string) error {
	f, err := st.Figure(ctx, storeID, product)
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "store %s product %s: on hand %s, reserved %s, on order %s, in transit %s (as of %s)\n", storeID, product,
		catalog.Qty(f.OnHand).Format(3), catalog.Qty(f.Reserved).Format(3), catalog.Qty(f.OnOrder).Format(3), catalog.Qty(f.InTransit).Format(3),
		f.AsOf.Format("2006-01-02 15:04:05 MST"))
	return nil
}

// docLines reads a document's lines ("10000=12,10001=24") and delivery date.
func docLines(d *api.StockDoc, lines, delivery string) error {
	if d.Number == "" {
		d.Number = d.ID
	}
	for _, part := range strings.Split(lines, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		p, q, ok := strings.Cut(part, "=")
		if !ok {
			return fmt.Errorf("--lines %q: write product=quantity, e.g. 10000=12", part)
		}
		n, err := money.Parse(strings.TrimSpace(q), 3)
		if err != nil || n <= 0 {
			return fmt.Errorf("--lines %q: %q is not a quantity above 0 (units, up to 3 decimals)", part, q)
		}
		d.Lines = append(d.Lines, api.StockDocLine{ProductID: strings.TrimSpace(p), Ordered: int64(n)})
	}
	if len(d.Lines) == 0 {
		return fmt.Errorf("give the lines: --lines 10000=12,10001=24")
	}
	if delivery != "" {
		t, err := time.Parse(time.DateOnly, delivery)
		if err != nil {
			return fmt.Errorf("--delivery %q: write the date as YYYY-MM-DD", delivery)
		}
		d.DeliveryDate = t
	}
	return nil
}

func printDoc(ctx context.Context, cmd *cobra.Command, st *scaleunit.DB, id string) error {
	d, err := st.Doc(ctx, id)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%s %s (%s) %s → %s: %s\n", d.ID, d.Number, d.Kind, d.From, d.To, apimap.StockDocFrom(d).Status())
	fmt.Fprintln(w, "product\tordered\tshipped\treceived")
	for _, l := range d.Lines {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", l.ProductID, catalog.Qty(l.Ordered).Format(3), catalog.Qty(l.Shipped).Format(3), catalog.Qty(l.Received).Format(3))
	}
	return w.Flush()
}
