package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/opentill/opentill/offline/demo"
	"github.com/opentill/opentill/peripherals/profile"
	"github.com/opentill/opentill/peripherals/station"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/locale"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/pricing"
	pp "github.com/opentill/opentill/pos/prompt"
	"github.com/opentill/opentill/pos/receipt"
	"github.com/opentill/opentill/pos/script"
	"github.com/opentill/opentill/pos/till"
	"github.com/opentill/opentill/pos/till/devices"
)

const tillHelp = `Steps (the same as in a posctl sell script, see docs/scripts.md):
  signin ID PIN | signout | lock | unlock ID
  scan CODE [qty=N] [price=P]      item ID [qty=N]      search TEXT      pricecheck CODE
  qty LINE N | price LINE P | linedisc LINE 10% | totaldisc 5% | voidline LINE
  comment LINE "text" | note "text"
  coupon CODE | uncoupon CODE | promotions [all] | calctotal | sysdisc off|on
  pay cash [AMOUNT|exact] | pay card [AMOUNT] [brand=VISA] | voidpay N
  void | suspend | recall [ID] | return RECEIPT [LINE[:QTY] ...] | returnitem CODE | reprint [RECEIPT]
  override MANAGER PIN <step>       run one step with a manager's authority
  shift open [AMOUNT] | shift resume [ID] | shift join | shift nodrawer | shift suspend | shift close
  declare cash 50x1 20x2 | float AMOUNT | drop AMOUNT | xreport | …  (cash management, docs/scripts.md)
  weigh KG                          put a weight on the demo's virtual scale (weighed items read it)
  answer BUTTON [FIELD=VALUE ...]   answer an extension's question (the step asked about runs again)
  op ID                             run an operation without parameters (an extension's, e.g. op 5001)
  cart | help | quit`

func tillCmd() *cobra.Command {
	var data, card, prof string
	var width int
	var ext bool
	c := &cobra.Command{
		Use:   "till",
		Short: "An interactive text till on a data folder: type steps, see the cart and receipts",
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			s, reg, set, err := openTillExt(cmd.Context(), data, card, ext)
			if err != nil {
				return err
			}
			defer closeInto(&err, s, "the local store")
			defer func() { err = errors.Join(err, set.Close()) }()
			out := cmd.OutOrStdout()
			if set != nil {
				for _, r := range set.Refused {
					fmt.Fprintln(out, "! extension refused:", r)
				}
			}
			ports := till.Options{Transactions: s}
			var scale devices.VirtualScale
			if prof != "none" {
				p := profile.Demo()
				if prof != "demo" {
					if p, err = profile.Load(prof); err != nil {
						return err
					}
				}
				devs, err := profile.Open(cmd.Context(), p, profile.Options{BaseDir: data})
				if err != nil {
					return err
				}
				defer closeInto(&err, devs, "the devices")
				var mu sync.Mutex
				st := station.New(reg, devs, station.Options{Notify: func(n devices.Notice) {
					mu.Lock()
					defer mu.Unlock()
					fmt.Fprintf(out, "\n  [%s] %v\n", n.Device, n.Err)
				}})
				defer st.Close()
				st.Start(cmd.Context())
				ports.Scale = st
				if panel := st.Panel(); panel != nil {
					scale = panel.Scale
				}
				if devs.VirtualPrinter != nil {
					fmt.Fprintf(out, "Receipts are also printed to %s (text, PNG and ESC/POS files).\n", filepath.Join(data, "receipts"))
				}
			}
			return runTill(cmd, reg, till.New(reg, ports), scale, cmd.InOrStdin(), out, width)
		},
	}
	dataFlag(c, &data)
	c.Flags().IntVar(&width, "width", 42, "receipt width in columns")
	c.Flags().StringVar(&card, "card", "approve", "simulated card terminal: approve, decline, timeout or unreachable")
	c.Flags().StringVar(&prof, "profile", "demo", "hardware profile file; demo = virtual devices; none = no devices")
	c.Flags().BoolVar(&ext, "extensions", true, "run the extensions posctl carries and those in DATA/extensions")
	return c
}

// runTill reads steps and runs them on reg. Item sales go through the till
// service svc, so weighed items read its scale; scale is the virtual scale
// the weigh step sets (nil: none).
func runTill(cmd *cobra.Command, reg *pos.Register, svc *till.Till, scale devices.VirtualScale, in io.Reader, out io.Writer, width int) error {
	setup := reg.Setup()
	digits := setup.Currency.Digits
	loc := setup.Header.Format()
	m := func(a money.Amount) string { return loc.Money(a, setup.Currency) }
	fmt.Fprintf(out, "OpenTill text till — %s, register %s (%s). Type help for the steps.\n", setup.StoreName, setup.TerminalID, setup.Currency.Code)
	fmt.Fprintln(out, "Demo operators (ID / PIN):")
	_, ops := demo.Staff()
	for _, o := range ops {
		fmt.Fprintf(out, "  %s / %s  %s, %s\n", o.ID, o.PIN, o.Name, o.RoleID)
	}
	var failed []pos.Event
	var failMu sync.Mutex
	sub := reg.Watch(func(e pos.Event) {
		if e.Type == pos.ExtensionFailed {
			failMu.Lock()
			failed = append(failed, e)
			failMu.Unlock()
		}
	})
	defer sub.Cancel()
	reportFailed := func() {
		sub.Flush()
		failMu.Lock()
		defer failMu.Unlock()
		for _, e := range failed {
			fmt.Fprintf(out, "  [extension %s] %v\n", e.Extension, e.Err)
		}
		failed = nil
	}
	var asked pos.Operation    // the step an extension asked about
	var question *pos.Question // and its question
	sc := bufio.NewScanner(in)
	prompt := func() {
		who := "signed out"
		if op, _, ok := reg.Operator(); ok {
			who = op.Name
			if reg.Locked() {
				who += " (locked)"
			}
		}
		fmt.Fprintf(out, "[%s] > ", who)
	}
	prompt()
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch strings.ToLower(line) {
		case "":
		case "quit", "exit":
			return nil
		case "help", "?":
			fmt.Fprintln(out, tillHelp)
		case "cart":
			printCart(out, reg.Cart(), m, loc)
		case "weigh", "weigh 0", "scale":
			fmt.Fprintln(out, "  weigh KG puts a weight on the virtual scale, e.g. weigh 0.734")
		default:
			if kg, ok := strings.CutPrefix(strings.ToLower(line), "weigh "); ok {
				if scale == nil {
					fmt.Fprintln(out, "  there is no virtual scale: weigh on the real one")
					break
				}
				g, err := money.Parse(kg, 3)
				if err != nil || g < 0 {
					fmt.Fprintln(out, "  ? give the weight in kg, e.g. weigh 0.734")
					break
				}
				scale.Set(catalog.Qty(g), true)
				fmt.Fprintf(out, "  the scale shows %s kg\n", g.Format(3))
				break
			}
			var step script.Step
			var err error
			if rest, ok := strings.CutPrefix(line, "answer "); ok {
				if question == nil {
					fmt.Fprintln(out, "  ? no extension asked anything")
					break
				}
				step.Op = answered(asked, question, rest)
			} else if rest, ok := strings.CutPrefix(line, "op "); ok {
				if step.Op = customOp(reg, rest); step.Op == nil {
					fmt.Fprintf(out, "  ? op ID runs an operation without parameters, e.g. op %d; posctl ops lists them\n", pos.FirstCustomOp+1)
					break
				}
			} else if step, err = script.ParseLine(line, digits); err != nil {
				fmt.Fprintln(out, "  ?", err)
				break
			}
			if step.Op == nil {
				fmt.Fprintln(out, "  expectations only work in scripts")
				break
			}
			var sale till.Sale
			if op, ok := step.Op.(pos.ProductSale); ok {
				sale, err = svc.Sell(cmd.Context(), op)
			} else {
				sale.Result, err = reg.Do(cmd.Context(), step.Op)
			}
			res := sale.Result
			reportFailed()
			question = nil
			if err != nil {
				var q *pos.Question
				if errors.As(err, &q) {
					asked, question = step.Op, q
					if a, ok := step.Op.(pos.Answered); ok {
						asked = a.Op
					}
					fmt.Fprintf(out, "  ? %s asks: %s\n", q.Extension, strings.ReplaceAll(pp.Render(q.Panel, "en"), "answer with:", "type  answer BUTTON [FIELD=VALUE ...]  with a button of:"))
					break
				}
				fmt.Fprintf(out, "  ! %s\n", err)
				switch {
				case till.OffersOverride(step.Op, err):
					fmt.Fprintln(out, "    a manager can authorise it: override MANAGER PIN "+line)
				case sale.Ask == till.AskPrice:
					fmt.Fprintf(out, "    %s needs its price keyed in: item %s price=AMOUNT\n", sale.Product.Name, sale.Product.ID)
				case sale.Ask == till.AskWeight:
					fmt.Fprintln(out, weightHint(*sale.Product))
				case errors.Is(err, pos.ErrNeedsWeight) && res.NeedsWeight != nil:
					fmt.Fprintln(out, weightHint(*res.NeedsWeight)) // the scale gave none; keying in is not allowed
				case errors.Is(err, pos.ErrNoShift) || errors.Is(err, pos.ErrNotShiftUser):
					if hint := shiftHint(cmd.Context(), svc, setup.Header); hint != "" {
						fmt.Fprintln(out, hint)
					}
				}
				break
			}
			switch {
			case res.Panel != nil:
				fmt.Fprintln(out, "  "+pp.Render(*res.Panel, "en"))
			case res.Report != nil:
				fmt.Fprintln(out, receipt.NewShiftReport(*res.Report, setup.Header).Text(width))
			case isShiftList(step.Op):
				for _, sh := range res.Shifts {
					fmt.Fprintf(out, "  %s  %s on %s, opened by %s\n", sh.ID, sh.Status, sh.Terminal, sh.OpenedBy)
				}
				if len(res.Shifts) == 0 {
					fmt.Fprintln(out, "  no suspended or blind-closed shifts")
				}
			case res.Shift != nil:
				fmt.Fprintf(out, "  shift %s %s\n", res.Shift.ID, res.Shift.Status)
			case res.Receipt != nil:
				if res.Completed != nil && res.Completed.Change > 0 {
					fmt.Fprintf(out, "  CHANGE DUE: %s\n", m(res.Completed.Change))
				}
				if tns := completedTenders(res); len(tns) > 0 && tns[len(tns)-1].Card != nil && tns[len(tns)-1].Card.Recharged {
					last := tns[len(tns)-1]
					fmt.Fprintf(out, "  the %s card earns a discount: its first payment was reversed and %s was charged\n", last.Card.Brand, m(last.Amount))
				}
				fmt.Fprintln(out, res.Receipt.Text(width))
			case res.Discounts != nil:
				printOffers(out, res.Discounts, isApplicable(step.Op), m, loc.DateTime, loc.WallDate)
			case res.Products != nil:
				for _, p := range res.Products {
					fmt.Fprintf(out, "  %-8s %-40s %10s\n", p.ID, p.Name, m(p.Price))
				}
				if len(res.Products) == 0 {
					fmt.Fprintln(out, "  nothing found")
				}
			case res.Product != nil:
				fmt.Fprintf(out, "  %s  %s\n", res.Product.Name, m(res.Product.Price))
			case res.Suspended != nil:
				for _, s := range res.Suspended {
					fmt.Fprintf(out, "  %s  %d lines, by %s at %s\n", s.ID, s.Lines, s.Operator, s.At)
				}
				if len(res.Suspended) == 0 {
					fmt.Fprintln(out, "  no suspended transactions")
				}
			case res.Completed != nil:
				fmt.Fprintf(out, "  %s %s\n", res.Completed.ID, res.Completed.Status)
			default:
				printCart(out, res.Cart, m, loc)
			}
			if _, ok := step.Op.(pos.SignIn); ok {
				if hint := shiftHint(cmd.Context(), svc, setup.Header); hint != "" {
					fmt.Fprintln(out, hint)
				}
			}
		}
		prompt()
	}
	return sc.Err()
}

// completedTenders returns the payments of the sale res completed, if any.
func completedTenders(res pos.Result) []cart.Tender {
	if res.Completed == nil {
		return nil
	}
	return res.Completed.Tenders
}

// isApplicable reports whether op lists the sale's promotions (646)
// rather than the store's (645).
func isApplicable(op pos.Operation) bool {
	_, ok := op.(pos.ViewApplicableDiscounts)
	return ok
}

// printOffers prints the promotions ops 645/646 list: on the sale, each with
// the lines it selects and what it takes off; of the store, each with its
// end and the coupons that enable it.
func printOffers(out io.Writer, offers []pricing.OfferInfo, sale bool, m func(money.Amount) string, date, wallDate func(time.Time) string) {
	if len(offers) == 0 {
		if sale {
			fmt.Fprintln(out, "  no promotion selects an item of this sale")
		} else {
			fmt.Fprintln(out, "  no promotion is valid now")
		}
		return
	}
	for _, o := range offers {
		var detail []string
		if sale {
			nos := make([]string, len(o.Lines))
			for i, n := range o.Lines {
				nos[i] = strconv.Itoa(n)
			}
			detail = append(detail, "lines "+strings.Join(nos, ","))
			if o.Applied != 0 {
				detail = append(detail, "takes off "+m(o.Applied))
			} else {
				detail = append(detail, "not applied now")
			}
		}
		if len(o.Coupons) > 0 {
			detail = append(detail, "coupon "+strings.Join(o.Coupons, " or "))
		}
		if at, day := o.Ends(); day {
			detail = append(detail, "until "+wallDate(at))
		} else if !at.IsZero() {
			detail = append(detail, "until "+date(at))
		}
		fmt.Fprintf(out, "  %-10s %-34s %-9s %s\n", o.ID, o.Name, o.Kind, strings.Join(detail, " · "))
	}
}

// customOp is an "op ID" step: the operation's request without parameters
// (an extension's operation, as a grid button sends it).
func customOp(reg *pos.Register, id string) pos.Operation {
	n, err := strconv.Atoi(strings.TrimSpace(id))
	if err != nil {
		return nil
	}
	spec, ok := reg.Operations().Spec(pos.OpID(n))
	if !ok {
		return nil
	}
	return spec.New()
}

// answered is an answer step ("yes", "no year=1990") to q about op.
func answered(op pos.Operation, q *pos.Question, rest string) pos.Operation {
	f := strings.Fields(rest)
	a := pp.Answers{pp.ButtonKey: f[0]}
	for _, kv := range f[1:] {
		k, v, _ := strings.Cut(kv, "=")
		a[k] = v
	}
	return pos.Answered{Op: op, Extension: q.Extension, Answers: a}
}

// isShiftList says whether op asks for the shifts that can be resumed.
func isShiftList(op pos.Operation) bool {
	r, ok := op.(pos.ResumeShift)
	return ok && strings.TrimSpace(r.ID) == ""
}

// weightHint says how to sell an item sold by weight.
func weightHint(p catalog.Product) string {
	return fmt.Sprintf("    %s is sold by weight: weigh KG, then scan it again, or item %s qty=KG", p.Name, p.ID)
}

// shiftHint renders the till service's shift guidance: how the signed-in
// operator gets into a shift when the store requires one for selling (open
// or resume one, join the one another operator opened here, or work without a
// drawer), or the shift they work in (a till restarted with an open shift
// resumes it). It says nothing when shifts are not required, nobody is
// signed in or the operator works in non-drawer mode.
func shiftHint(ctx context.Context, svc *till.Till, h receipt.Header) string {
	g, err := svc.Shift(ctx)
	switch g.State {
	case till.ShiftSignedOut, till.ShiftNonDrawer, till.ShiftNotRequired:
		return ""
	case till.ShiftUnknown:
		return "  ! " + err.Error()
	case till.ShiftMine:
		sh := g.Shift
		return fmt.Sprintf("  selling in shift %s, opened by %s at %s", sh.ID, sh.OpenedBy, h.Format().DateTime(sh.Opened))
	case till.ShiftOthers:
		hint := fmt.Sprintf("  shift %s on this register was opened by %s: ", g.Shift.ID, g.Shift.OpenedBy)
		if g.CanJoin {
			return hint + "type  shift join  to sell in it too, or sign in as them"
		}
		return hint + "sign in as them to sell in it"
	}
	var ways []string
	if g.CanOpen {
		ways = append(ways, "shift open AMOUNT  with the cash in the drawer (e.g. shift open 100.00)")
	}
	if g.CanResume {
		ways = append(ways, "shift resume  to list suspended shifts, then  shift resume ID")
	}
	if g.CanNonDrawer {
		ways = append(ways, "shift nodrawer  to sell by card without a drawer")
	}
	if len(ways) == 0 {
		return "  no shift is open on this register and you may not open one: ask a manager"
	}
	return "  no shift is open on this register; before selling, type one of:\n    " + strings.Join(ways, "\n    ")
}

// printCart prints the open transaction, amounts by m and quantities by
// loc (the store's locale).
func printCart(out io.Writer, c *cart.Cart, m func(money.Amount) string, loc *locale.Locale) {
	if c == nil || len(c.Lines) == 0 {
		fmt.Fprintln(out, "  (no open transaction)")
		return
	}
	for _, l := range c.Lines {
		mark := " "
		if l.Voided {
			mark = "x"
		}
		fmt.Fprintf(out, "  %s%2d %-30.30s %8s x %8s %10s", mark, l.No, l.Name, loc.Qty(l.Qty, l.UnitDecimals), m(l.UnitPrice), m(l.Net))
		if d := l.LineDiscount + l.TotalDiscount; d != 0 {
			fmt.Fprintf(out, "  (%s)", m(-d))
		}
		fmt.Fprintln(out)
	}
	t := c.Totals
	fmt.Fprintf(out, "  subtotal %s  discounts %s  tax %s  TOTAL %s  paid %s  due %s\n",
		m(t.Subtotal), m(t.Discounts), m(t.Tax), m(t.Total), m(t.Paid), m(t.Remaining))
}
