package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/offline/tillsync"
	"github.com/opentill/opentill/pos/report"
	"github.com/opentill/opentill/pos/report/render"
	"github.com/opentill/opentill/ui/l10n"
)

// reportCmd prints one of the reports (pos/report) of this till from its
// journal. It reads the data folder directly, as journal verify does: the
// back-office tool needs no operator signed in; on the till the same
// reports are operation 1003 with its permission.
func reportCmd() *cobra.Command {
	var data, from, to, period, shiftID, format, out, lang string
	var compare, wholeStore bool
	var width int
	names := make([]string, len(report.Names))
	for i, n := range report.Names {
		names[i] = string(n)
	}
	c := &cobra.Command{
		Use:   "report NAME",
		Short: "Print a report of this till's journal: " + strings.Join(names, ", "),
		Long: `Print a report of this till's journal for a shift, a day, a week, a month or a
custom range (dates in the store's time zone), compared with the same period
before. With --from and no --period the range is --from to --to (both days
included; --to defaults to --from); without --from it is today.

Formats: text (with charts as bars), short (the receipt printer's short
form, --width columns), csv, json, pdf (A4 with its charts; give --out or
redirect the output).

With --store the report is the whole store's, across its tills, from the
store server the data folder's till is activated with (online only; a
shift is one till's, so choose a day, week, month or range).`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: names,
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			name, err := report.ParseName(args[0])
			if err != nil {
				return err
			}
			s, err := store.Open(data)
			if err != nil {
				return err
			}
			defer closeInto(&err, s, "the local store")
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			setup, err := s.LoadSetup(ctx)
			if err != nil {
				return fmt.Errorf("%w (is %s a seeded store?)", err, data)
			}
			loc := time.UTC
			if tz := setup.Header.TimeZone; tz != "" {
				if loc, err = time.LoadLocation(tz); err != nil {
					return fmt.Errorf("the store's time zone %q: %w", tz, err)
				}
			}
			var p report.Period
			switch {
			case period == string(report.RangeShift) || shiftID != "":
				if shiftID == "" {
					z, err := s.LastZ(ctx)
					if err != nil {
						return err
					}
					shiftID = z.Shift
				}
				sh, err := s.Shift(ctx, shiftID)
				if err != nil {
					return err
				}
				p = report.ForShift(sh, time.Now(), loc)
			case period == "" && from == "":
				p = report.Day(time.Now(), loc)
			default:
				if p, err = report.ParsePeriod(period, from, to, time.Now(), loc); err != nil {
					return err
				}
			}
			names := map[string]string{}
			cfg := report.Config{Store: setup.StoreID, StoreName: setup.StoreName, Currency: setup.Currency,
				Tenders: setup.TenderTypes, TaxGroups: setup.TaxGroups, Loc: loc,
				Name: func(id string) string {
					if n, ok := names[id]; ok {
						return n
					}
					n := id
					if op, err := s.Operator(ctx, id); err == nil && op.Name != "" {
						n = op.Name
					}
					names[id] = n
					return n
				}}
			var set *report.Set
			if wholeStore {
				var eng *tillsync.Engine
				if eng, err = tillsync.Open(data, s, tillsync.Options{}); err != nil {
					return err
				}
				defer closeInto(&err, eng, "the sync engine")
				set, err = report.RunStore(ctx, eng, cfg, p, compare)
				if err != nil {
					return fmt.Errorf("the whole store's report: %w", err)
				}
			} else if set, err = report.Run(ctx, s, cfg, p, compare); err != nil {
				return err
			}
			doc := set.Doc(name, time.Now())
			if lang == "" {
				lang = setup.Header.Language
			}
			loz := l10n.Must(lang).WithFormat(setup.Header.Locale).WithZone(setup.Header.TimeZone) // the store's locale, when it names one
			var w io.Writer = cmd.OutOrStdout()
			if out != "" {
				f, cerr := os.Create(out)
				if cerr != nil {
					return fmt.Errorf("creating %s: %w", out, cerr)
				}
				defer closeInto(&err, f, out)
				w = f
			}
			switch strings.ToLower(format) {
			case "text", "":
				_, err = io.WriteString(w, render.Text(&doc, loz))
			case "short":
				_, err = io.WriteString(w, render.Short(&doc, loz, width))
			case "csv":
				err = render.CSV(w, &doc, loz)
			case "json":
				err = render.JSON(w, &doc)
			case "pdf":
				var pages int
				pages, err = render.PDF(w, &doc, loz)
				if err == nil && out != "" {
					fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s: %d page(s)\n", out, pages)
				}
			default:
				return fmt.Errorf("format %q: use text, short, csv, json or pdf", format)
			}
			return err
		},
	}
	dataFlag(c, &data)
	c.Flags().StringVar(&period, "period", "", "shift, day, week, month or custom (default: custom with --from, else today)")
	c.Flags().StringVar(&from, "from", "", "first day, YYYY-MM-DD in the store's time zone (the day a day, week or month holds)")
	c.Flags().StringVar(&to, "to", "", "last day of a custom range, YYYY-MM-DD (included)")
	c.Flags().StringVar(&shiftID, "shift", "", "a shift's ID (with --period shift; default the shift closed last)")
	c.Flags().BoolVar(&compare, "compare", true, "compare with the same period before")
	c.Flags().StringVar(&format, "format", "text", "text, short, csv, json or pdf")
	c.Flags().StringVar(&out, "out", "", "write to this file instead of the standard output")
	c.Flags().StringVar(&lang, "lang", "", "language of the labels (en, de, fr, es; default the store's receipt language)")
	c.Flags().IntVar(&width, "width", 42, "columns of the short form")
	c.Flags().BoolVar(&wholeStore, "store", false, "the whole store's report, across its tills, from the store server (online)")
	return c
}
