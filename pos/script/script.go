// Package script reads the text format of scripted till sessions (used by
// `posctl sell`) and the JSON cart format (used by `posctl price`). Both
// decode into register operations; see docs/scripts.md.
package script

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// Step is one line of a script: an operation to run, or an expectation to check.
type Step struct {
	Line   int
	Text   string
	Op     pos.Operation // nil for an expectation
	Expect *Expect
}

// Expect checks the outcome of the previous step or the state of the cart.
type Expect struct {
	What   string       // "total", "due", "change", "lines", "error", "paid", "tax", "discounts", "receipt", "onhand", "counted"
	Amount money.Amount // for amounts
	Count  int          // for "lines"
	Kind   string       // for "error": an error kind such as "not_permitted", or "none"
	Field  string       // for "report": the X/Z figure
	Tender string       // for "report": the tender of a per-tender figure
	Qty    catalog.Qty  // for "onhand" (the last stock step's) and "counted" (the last count line's, every device)
}

// MaxLineLen bounds one script line.
const MaxLineLen = 4096

// Parse reads a script. digits is the number of minor digits of the store
// currency, used to read amounts. Errors name the line and what is wrong.
func Parse(r io.Reader, digits int) ([]Step, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1024), MaxLineLen)
	var steps []Step
	n := 0
	for sc.Scan() {
		n++
		text := strings.TrimSpace(sc.Text())
		if i := commentStart(text); i >= 0 {
			text = strings.TrimSpace(text[:i])
		}
		if text == "" {
			continue
		}
		st, err := ParseLine(text, digits)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		st.Line, st.Text = n, text
		steps = append(steps, st)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading the script after line %d: %w", n, err)
	}
	return steps, nil
}

// commentStart finds a '#' that is not inside quotes.
func commentStart(s string) int {
	q := false
	for i, c := range s {
		switch c {
		case '"':
			q = !q
		case '#':
			if !q {
				return i
			}
		}
	}
	return -1
}

// fields splits a line on spaces, keeping "quoted text" together.
func fields(s string) ([]string, error) {
	var out []string
	var b strings.Builder
	inQ, has := false, false
	for _, c := range s {
		switch {
		case c == '"':
			inQ = !inQ
			has = true
		case unicode.IsSpace(c) && !inQ:
			if has {
				out = append(out, b.String())
				b.Reset()
				has = false
			}
		default:
			b.WriteRune(c)
			has = true
		}
	}
	if inQ {
		return nil, fmt.Errorf("a quote is not closed")
	}
	if has {
		out = append(out, b.String())
	}
	return out, nil
}

// ParseLine reads one script line.
func ParseLine(text string, digits int) (Step, error) {
	f, err := fields(text)
	if err != nil {
		return Step{}, err
	}
	if len(f) == 0 {
		return Step{}, fmt.Errorf("empty step")
	}
	p := parser{f: f, digits: digits}
	verb := strings.ToLower(f[0])
	if verb == "override" {
		// override MANAGER SECRET <step>
		if len(f) < 4 {
			return Step{}, fmt.Errorf("override needs a manager ID, a secret and a step: override 2001 2468 price 1 2.50")
		}
		inner, err := ParseLine(strings.Join(quoteAll(f[3:]), " "), digits)
		if err != nil {
			return Step{}, err
		}
		if inner.Op == nil {
			return Step{}, fmt.Errorf("override needs an operation, not an expectation")
		}
		return Step{Op: pos.Approved{Op: inner.Op, ManagerID: f[1], Secret: f[2]}}, nil
	}
	op, exp, err := p.step(verb)
	if err != nil {
		return Step{}, err
	}
	return Step{Op: op, Expect: exp}, nil
}

func quoteAll(f []string) []string {
	out := make([]string, len(f))
	for i, s := range f {
		if strings.ContainsAny(s, " \t") {
			s = `"` + s + `"`
		}
		out[i] = s
	}
	return out
}

type parser struct {
	f      []string
	digits int
}

func (p parser) need(n int, usage string) error {
	if len(p.f)-1 < n {
		return fmt.Errorf("%s needs %d argument(s): %s", p.f[0], n, usage)
	}
	return nil
}

func (p parser) amount(s string) (money.Amount, error) {
	return money.Parse(s, p.digits)
}

// qty reads "3", "1.5" or "0.250" as thousandths.
func qty(s string) (catalog.Qty, error) {
	a, err := money.Parse(s, 3)
	if err != nil {
		return 0, fmt.Errorf("quantity %q: %w", s, err)
	}
	if a <= 0 {
		return 0, fmt.Errorf("quantity %q must be more than zero", s)
	}
	return catalog.Qty(a), nil
}

func lineNo(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 100000 {
		return 0, fmt.Errorf("line number %q is not a positive number", s)
	}
	return n, nil
}

// percentOrAmount reads "10%" as basis points or "2.50" as an amount.
func (p parser) percentOrAmount(s string) (int64, money.Amount, error) {
	if strings.HasSuffix(s, "%") {
		v, err := money.Parse(strings.TrimSuffix(s, "%"), 2)
		if err != nil {
			return 0, 0, fmt.Errorf("percentage %q: %w", s, err)
		}
		if v < 0 || v > 10000 {
			return 0, 0, fmt.Errorf("percentage %q must be between 0%% and 100%%", s)
		}
		return int64(v), 0, nil
	}
	a, err := p.amount(s)
	return 0, a, err
}

// options reads key=value words after the positional arguments.
func options(words []string) (map[string]string, []string) {
	opts := map[string]string{}
	var rest []string
	for _, w := range words {
		if k, v, ok := strings.Cut(w, "="); ok && k != "" {
			opts[strings.ToLower(k)] = v
		} else {
			rest = append(rest, w)
		}
	}
	return opts, rest
}

func (p parser) step(verb string) (pos.Operation, *Expect, error) {
	f := p.f
	switch verb {
	case "signin", "login":
		if err := p.need(2, "signin OPERATOR SECRET"); err != nil {
			return nil, nil, err
		}
		return pos.SignIn{OperatorID: f[1], Secret: f[2]}, nil, nil
	case "signout", "logout":
		return pos.SignOut{}, nil, nil
	case "lock":
		return pos.Lock{}, nil, nil
	case "unlock":
		if err := p.need(1, "unlock OPERATOR"); err != nil {
			return nil, nil, err
		}
		return pos.UnlockOperator{OperatorID: f[1]}, nil, nil
	case "scan", "item", "returnitem":
		if err := p.need(1, verb+" CODE [qty=N] [price=P]"); err != nil {
			return nil, nil, err
		}
		opts, rest := options(f[2:])
		if len(rest) > 0 {
			return nil, nil, fmt.Errorf("unexpected %q after the code: use qty=N or price=P", rest[0])
		}
		var q catalog.Qty
		var price money.Amount
		var err error
		for k, v := range opts {
			switch k {
			case "qty", "weight":
				if q, err = qty(v); err != nil {
					return nil, nil, err
				}
			case "price":
				if price, err = p.amount(v); err != nil {
					return nil, nil, err
				}
			default:
				return nil, nil, fmt.Errorf("unknown option %q: use qty= or price=", k)
			}
		}
		switch verb {
		case "item":
			return pos.ProductSale{ProductID: f[1], Qty: q, Price: price}, nil, nil
		case "returnitem":
			return pos.ReturnProduct{Barcode: f[1], Qty: q, Price: price}, nil, nil
		}
		return pos.ProductSale{Barcode: f[1], Qty: q, Price: price}, nil, nil
	case "pricecheck":
		if err := p.need(1, "pricecheck CODE"); err != nil {
			return nil, nil, err
		}
		return pos.PriceCheck{Barcode: f[1]}, nil, nil
	case "search":
		if err := p.need(1, `search "TEXT"`); err != nil {
			return nil, nil, err
		}
		return pos.ProductSearch{Query: strings.Join(f[1:], " ")}, nil, nil
	case "qty":
		if err := p.need(2, "qty LINE QUANTITY"); err != nil {
			return nil, nil, err
		}
		n, err := lineNo(f[1])
		if err != nil {
			return nil, nil, err
		}
		q, err := qty(f[2])
		if err != nil {
			return nil, nil, err
		}
		return pos.SetQuantity{Line: n, Qty: q}, nil, nil
	case "price":
		if err := p.need(2, "price LINE AMOUNT"); err != nil {
			return nil, nil, err
		}
		n, err := lineNo(f[1])
		if err != nil {
			return nil, nil, err
		}
		a, err := p.amount(f[2])
		if err != nil {
			return nil, nil, err
		}
		return pos.PriceOverride{Line: n, Price: a}, nil, nil
	case "linedisc", "linediscount":
		if err := p.need(2, "linedisc LINE 10% | linedisc LINE 1.50"); err != nil {
			return nil, nil, err
		}
		n, err := lineNo(f[1])
		if err != nil {
			return nil, nil, err
		}
		pct, amt, err := p.percentOrAmount(f[2])
		if err != nil {
			return nil, nil, err
		}
		return pos.LineDiscount{Line: n, Percent: pct, Amount: amt}, nil, nil
	case "totaldisc", "totaldiscount":
		if err := p.need(1, "totaldisc 5% | totaldisc 2.00"); err != nil {
			return nil, nil, err
		}
		pct, amt, err := p.percentOrAmount(f[1])
		if err != nil {
			return nil, nil, err
		}
		return pos.TotalDiscount{Percent: pct, Amount: amt}, nil, nil
	case "coupon":
		if err := p.need(1, "coupon CODE"); err != nil {
			return nil, nil, err
		}
		return pos.AddCoupon{Code: f[1]}, nil, nil
	case "uncoupon":
		if err := p.need(1, "uncoupon CODE"); err != nil {
			return nil, nil, err
		}
		return pos.RemoveCoupon{Code: f[1]}, nil, nil
	case "promotions":
		if len(f) > 1 && f[1] == "all" {
			return pos.ViewAllDiscounts{}, nil, nil
		}
		return pos.ViewApplicableDiscounts{}, nil, nil
	case "calctotal":
		return pos.CalculateTotal{}, nil, nil
	case "sysdisc":
		if err := p.need(1, "sysdisc off|on"); err != nil {
			return nil, nil, err
		}
		switch f[1] {
		case "off":
			return pos.RemoveSystemDiscounts{}, nil, nil
		case "on":
			return pos.ReapplySystemDiscounts{}, nil, nil
		}
		return nil, nil, fmt.Errorf("sysdisc takes off or on, not %q", f[1])
	case "comment":
		if err := p.need(2, `comment LINE "TEXT"`); err != nil {
			return nil, nil, err
		}
		n, err := lineNo(f[1])
		if err != nil {
			return nil, nil, err
		}
		return pos.LineComment{Line: n, Text: strings.Join(f[2:], " ")}, nil, nil
	case "note", "txncomment":
		if err := p.need(1, `note "TEXT"`); err != nil {
			return nil, nil, err
		}
		return pos.TxnComment{Text: strings.Join(f[1:], " ")}, nil, nil
	case "customer":
		if err := p.need(1, "customer ACCOUNT"); err != nil {
			return nil, nil, err
		}
		return pos.AddCustomer{ID: f[1]}, nil, nil
	case "nocustomer":
		return pos.ClearCustomer{}, nil, nil
	case "voidline":
		if err := p.need(1, "voidline LINE"); err != nil {
			return nil, nil, err
		}
		n, err := lineNo(f[1])
		if err != nil {
			return nil, nil, err
		}
		return pos.VoidLine{Line: n}, nil, nil
	case "void":
		return pos.VoidTransaction{}, nil, nil
	case "suspend":
		return pos.Suspend{}, nil, nil
	case "recall":
		id := ""
		if len(f) > 1 {
			id = f[1]
		}
		return pos.Recall{ID: id}, nil, nil
	case "pay":
		if err := p.need(1, "pay cash|card [AMOUNT|exact] [tender=ID] [brand=VISA]"); err != nil {
			return nil, nil, err
		}
		opts, rest := options(f[2:])
		var a money.Amount
		if len(rest) > 0 && strings.ToLower(rest[0]) != "exact" {
			var err error
			if a, err = p.amount(rest[0]); err != nil {
				return nil, nil, err
			}
			if a <= 0 {
				return nil, nil, fmt.Errorf("a payment amount must be more than zero")
			}
		}
		switch strings.ToLower(f[1]) {
		case "cash":
			if len(rest) > 0 && strings.ToLower(rest[0]) == "exact" {
				return pos.PayCashExact{TenderID: opts["tender"]}, nil, nil
			}
			return pos.PayCash{Amount: a, TenderID: opts["tender"]}, nil, nil
		case "card":
			return pos.PayCard{Amount: a, TenderID: opts["tender"], Brand: opts["brand"]}, nil, nil
		}
		return nil, nil, fmt.Errorf("pay %q: use pay cash or pay card", f[1])
	case "voidpay", "voidpayment":
		if err := p.need(1, "voidpay N"); err != nil {
			return nil, nil, err
		}
		n, err := lineNo(f[1])
		if err != nil {
			return nil, nil, err
		}
		return pos.VoidPayment{No: n}, nil, nil
	case "return":
		if err := p.need(1, "return RECEIPT [LINE[:QTY] ...]"); err != nil {
			return nil, nil, err
		}
		o := pos.ReturnTransaction{ReceiptNo: f[1]}
		for _, w := range f[2:] {
			ls, qs, hasQ := strings.Cut(w, ":")
			n, err := lineNo(ls)
			if err != nil {
				return nil, nil, err
			}
			rl := pos.ReturnLine{LineNo: n}
			if hasQ {
				if rl.Qty, err = qty(qs); err != nil {
					return nil, nil, err
				}
			}
			o.Lines = append(o.Lines, rl)
		}
		return o, nil, nil
	case "reprint":
		no := ""
		if len(f) > 1 {
			no = f[1]
		}
		return pos.ReprintReceipt{ReceiptNo: no}, nil, nil
	case "expect":
		return p.expect()
	}
	if op, ok, err := p.shiftStep(verb); ok {
		return op, nil, err
	}
	if op, ok, err := p.stockStep(verb); ok {
		return op, nil, err
	}
	if verb == "order" {
		op, err := p.orderStep()
		return op, nil, err
	}
	return nil, nil, fmt.Errorf("unknown step %q", f[0])
}

func (p parser) expect() (pos.Operation, *Expect, error) {
	f := p.f
	if err := p.need(2, "expect total|due|paid|change|tax|discounts AMOUNT, expect lines N, expect error KIND|none"); err != nil {
		return nil, nil, err
	}
	e := &Expect{What: strings.ToLower(f[1])}
	switch e.What {
	case "total", "due", "paid", "change", "tax", "discounts", "remaining", "rounding":
		a, err := p.amount(f[2])
		if err != nil {
			return nil, nil, err
		}
		e.Amount = a
	case "lines":
		n, err := strconv.Atoi(f[2])
		if err != nil || n < 0 {
			return nil, nil, fmt.Errorf("expect lines %q: give a count", f[2])
		}
		e.Count = n
	case "error":
		e.Kind = strings.ToLower(f[2])
	case "onhand", "counted":
		q, err := signedQty(f[2])
		if err != nil {
			return nil, nil, err
		}
		e.Qty = q
	case "report":
		re, err := p.reportExpect()
		return nil, re, err
	default:
		return nil, nil, fmt.Errorf("expect %q: use total, due, paid, change, tax, discounts, remaining, rounding, lines, onhand, counted or error", f[1])
	}
	return nil, e, nil
}
