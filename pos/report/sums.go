package report

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
)

// A period's data is additive: every figure of Data but the lists of
// exceptions and counts is a sum over the journal entries that made it.
// Sums are those figures as rows a store can keep per day and add up (the
// store server keeps each uploaded transaction's sums, so that a month's
// store report adds up a few thousand rows instead of reading every
// transaction again), and FromSums makes them Data again. Contribution is
// one entry's data, by the same code Aggregate runs, so that the sums of
// every entry of a period make the very data Aggregate computes from them.

// Section is what a Sum counts.
type Section string

// The sections of a period's data.
const (
	SecDay       Section = "day"       // Key a store day (2006-01-02); N the day's Figures
	SecNoShift   Section = "noshift"   // N the Figures of transactions outside any shift
	SecHour      Section = "hour"      // Key the hour (0–23); N Figures
	SecCategory  Section = "category"  // Text name; N Lines
	SecProduct   Section = "product"   // Text name, category, unit decimals; N Lines
	SecOperator  Section = "operator"  // N People
	SecRegister  Section = "register"  // N People
	SecTender    Section = "tender"    // N count, tendered, change
	SecTax       Section = "tax"       // Text name, rate; N basis, tax
	SecPromotion Section = "promotion" // Text name, kind, coupon; N lines, transactions, amount
	SecCounts    Section = "counts"    // N voids, void total, line voids, no-sales, suspended, income, expense, entries
	SecShift     Section = "shift"     // Key a shift with entries in the period
	SecTerminal  Section = "terminal"  // Key a terminal with entries in the period
)

// SumWidth is how many numbers a Sum holds.
const SumWidth = 16

// Sum is one row of a period's additive figures: Sums of the same Section
// and Key add up, number by number; their Text is the same (the first is
// kept).
type Sum struct {
	Section Section
	Key     string
	Text    [3]string
	N       [SumWidth]int64
}

func figuresN(f Figures) (n [SumWidth]int64) {
	n[0], n[1], n[2] = int64(f.Transactions), int64(f.SaleCount), int64(f.ReturnCount)
	n[3], n[4] = f.Items, f.Returned
	n[5], n[6], n[7], n[8], n[9], n[10] = int64(f.Sales), int64(f.Returns), int64(f.Net), int64(f.Tax), int64(f.Discounts), int64(f.Rounding)
	return n
}

func figuresOfN(n [SumWidth]int64) Figures {
	return Figures{Transactions: int(n[0]), SaleCount: int(n[1]), ReturnCount: int(n[2]), Items: n[3], Returned: n[4],
		Sales: money.Amount(n[5]), Returns: money.Amount(n[6]), Net: money.Amount(n[7]), Tax: money.Amount(n[8]),
		Discounts: money.Amount(n[9]), Rounding: money.Amount(n[10])}
}

func peopleN(p *People) [SumWidth]int64 {
	n := figuresN(p.Figures)
	n[11], n[12], n[13], n[14], n[15] = int64(p.Voids), int64(p.VoidTotal), int64(p.LineVoids), int64(p.NoSales), int64(p.Overrides)
	return n
}

func linesN(l *Lines) (n [SumWidth]int64) {
	n[0], n[1], n[2] = int64(l.Lines), int64(l.Sold), int64(l.Returned)
	n[3], n[4], n[5], n[6] = int64(l.Sales), int64(l.Returns), int64(l.Tax), int64(l.Discount)
	return n
}

// Sums are d's figures as rows, the zero ones left out. The exceptions and
// the over/short history are lists, not sums: they are not among them.
func (d *Data) Sums() []Sum {
	var out []Sum
	add := func(s Section, key string, n [SumWidth]int64, text ...string) {
		if n == ([SumWidth]int64{}) && s != SecShift && s != SecTerminal {
			return
		}
		r := Sum{Section: s, Key: key, N: n}
		copy(r.Text[:], text)
		out = append(out, r)
	}
	for _, k := range sortedKeys(d.Days) {
		add(SecDay, k, figuresN(*d.Days[k]))
	}
	add(SecNoShift, "", figuresN(d.NoShift))
	for h, f := range d.Hours {
		add(SecHour, strconv.Itoa(h), figuresN(f))
	}
	for _, k := range sortedKeys(d.Categories) {
		c := d.Categories[k]
		add(SecCategory, k, linesN(c), c.Name)
	}
	for _, k := range sortedKeys(d.Products) {
		p := d.Products[k]
		add(SecProduct, k, linesN(p), p.Name, p.Category, strconv.Itoa(p.Decimals))
	}
	for _, k := range sortedKeys(d.Operators) {
		add(SecOperator, k, peopleN(d.Operators[k]))
	}
	for _, k := range sortedKeys(d.Registers) {
		add(SecRegister, k, peopleN(d.Registers[k]))
	}
	for _, t := range d.Tenders {
		add(SecTender, t.ID, [SumWidth]int64{int64(t.Count), int64(t.Tendered), int64(t.Change)})
	}
	for _, k := range sortedKeys(d.Taxes) {
		t := d.Taxes[k]
		add(SecTax, k, [SumWidth]int64{int64(t.Basis), int64(t.Tax)}, t.Name, strconv.FormatInt(t.Rate, 10))
	}
	for _, k := range sortedKeys(d.Promotions) {
		p := d.Promotions[k]
		add(SecPromotion, k, [SumWidth]int64{int64(p.Lines), int64(p.Transactions), int64(p.Amount)}, p.Name, p.Kind, p.Coupon)
	}
	add(SecCounts, "", [SumWidth]int64{int64(d.Voids), int64(d.VoidTotal), int64(d.LineVoids), int64(d.NoSales),
		int64(d.Suspended), int64(d.Income), int64(d.Expense), int64(d.Entries)})
	for _, s := range d.Shifts {
		add(SecShift, s, [SumWidth]int64{})
	}
	for _, t := range d.Terminals {
		add(SecTerminal, t, [SumWidth]int64{})
	}
	return out
}

func sortedKeys[T any](m map[string]*T) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// FromSums makes the data of period p from its sums (added up where a
// section and key repeat), its exceptions and its closed shifts' counts.
// The total is the sum of the days.
func FromSums(cfg Config, p Period, sums []Sum, exceptions []Exception, overShort []OverShort) (*Data, error) {
	d := newData(cfg, p)
	shifts, terms := map[string]bool{}, map[string]bool{}
	for _, s := range sums {
		n := s.N
		switch s.Section {
		case SecDay:
			f := d.Days[s.Key]
			if f == nil {
				f = &Figures{}
				d.Days[s.Key] = f
			}
			x := figuresOfN(n)
			f.add(x)
			d.Total.add(x)
		case SecNoShift:
			d.NoShift.add(figuresOfN(n))
		case SecHour:
			h, err := strconv.Atoi(s.Key)
			if err != nil || h < 0 || h > 23 {
				return nil, fmt.Errorf("report sums: hour %q is not an hour of the day", s.Key)
			}
			d.Hours[h].add(figuresOfN(n))
		case SecCategory, SecProduct:
			m := d.Categories
			if s.Section == SecProduct {
				m = d.Products
			}
			l := m[s.Key]
			if l == nil {
				l = &Lines{ID: s.Key, Name: s.Text[0]}
				if s.Section == SecProduct {
					l.Category = s.Text[1]
					l.Decimals, _ = strconv.Atoi(s.Text[2]) // 0 (whole units) when unreadable
				}
				m[s.Key] = l
			}
			l.Lines += int(n[0])
			l.Sold += catalog.Qty(n[1])
			l.Returned += catalog.Qty(n[2])
			l.Sales += money.Amount(n[3])
			l.Returns += money.Amount(n[4])
			l.Tax += money.Amount(n[5])
			l.Discount += money.Amount(n[6])
		case SecOperator, SecRegister:
			m := d.Operators
			if s.Section == SecRegister {
				m = d.Registers
			}
			p := d.person(m, s.Key)
			p.add(figuresOfN(n))
			p.Voids += int(n[11])
			p.VoidTotal += money.Amount(n[12])
			p.LineVoids += int(n[13])
			p.NoSales += int(n[14])
			p.Overrides += int(n[15])
		case SecTender:
			t := d.tender(s.Key)
			t.Count += int(n[0])
			t.Tendered += money.Amount(n[1])
			t.Change += money.Amount(n[2])
		case SecTax:
			t := d.Taxes[s.Key]
			if t == nil {
				rate, _ := strconv.ParseInt(s.Text[1], 10, 64) // a rate is written by Sums; 0 if not
				t = &Tax{Code: s.Key, Name: s.Text[0], Rate: rate}
				d.Taxes[s.Key] = t
			}
			t.Basis += money.Amount(n[0])
			t.Tax += money.Amount(n[1])
		case SecPromotion:
			pr := d.Promotions[s.Key]
			if pr == nil {
				pr = &Promotion{ID: s.Key, Name: s.Text[0], Kind: s.Text[1], Coupon: s.Text[2]}
				d.Promotions[s.Key] = pr
			}
			pr.Lines += int(n[0])
			pr.Transactions += int(n[1])
			pr.Amount += money.Amount(n[2])
		case SecCounts:
			d.Voids += int(n[0])
			d.VoidTotal += money.Amount(n[1])
			d.LineVoids += int(n[2])
			d.NoSales += int(n[3])
			d.Suspended += int(n[4])
			d.Income += money.Amount(n[5])
			d.Expense += money.Amount(n[6])
			d.Entries += int(n[7])
		case SecShift:
			if !shifts[s.Key] {
				shifts[s.Key] = true
				d.Shifts = append(d.Shifts, s.Key)
			}
		case SecTerminal:
			if !terms[s.Key] {
				terms[s.Key] = true
				d.Terminals = append(d.Terminals, s.Key)
			}
		default:
			return nil, fmt.Errorf("report sums: unknown section %q", s.Section)
		}
	}
	sort.Strings(d.Shifts)
	sort.Strings(d.Terminals)
	d.Exceptions = append(d.Exceptions, exceptions...)
	sortExceptions(d.Exceptions)
	d.OverShort = append(d.OverShort, overShort...)
	sort.SliceStable(d.OverShort, func(i, j int) bool { return d.OverShort[i].Closed.Before(d.OverShort[j].Closed) })
	return d, nil
}

// sortExceptions puts exceptions in time order (journal order within a
// till) and numbers them so.
func sortExceptions(es []Exception) {
	sort.SliceStable(es, func(i, j int) bool {
		if !es[i].Time.Equal(es[j].Time) {
			return es[i].Time.Before(es[j].Time)
		}
		return es[i].Seq < es[j].Seq
	})
}

// Merge is the data of d's entries and o's together: what Aggregate would
// compute from both sets of entries (o's period is not looked at).
func Merge(d, o *Data) (*Data, error) {
	m, err := FromSums(d.cfg, d.Period, append(d.Sums(), o.Sums()...), append(append([]Exception(nil), d.Exceptions...), o.Exceptions...),
		append(append([]OverShort(nil), d.OverShort...), o.OverShort...))
	if err != nil {
		return nil, err
	}
	m.Storewide = d.Storewide || o.Storewide
	return m, nil
}

// Contribution is what one journal entry adds to any period that holds
// it: the data Aggregate computes from that entry alone (without over/short
// history, which comes from Z reports). A shift close's closing operator
// is kept only for that shift's over/short, so it is not part of it.
func Contribution(cfg Config, e journal.Entry) (*Data, error) {
	d := newData(cfg, Period{})
	a := aggregator{d: d, loc: cfg.loc(), intern: map[string]string{}, closedBy: map[string]string{}, shifts: map[string]bool{}, terms: map[string]bool{}}
	d.Entries = 1
	if err := a.entry(e); err != nil {
		return nil, err
	}
	return d, nil
}

// StoreDay is the store day (2006-01-02 in loc) an entry at t counts in:
// the key of its SecDay sum.
func StoreDay(t time.Time, loc *time.Location) string {
	return t.In(zone(loc)).Format(time.DateOnly)
}

// DayAligned tells whether p is whole store days in loc (a day, a week, a
// month or a custom range from midnight to midnight) and not one shift:
// the periods kept day sums can answer.
func DayAligned(p Period, loc *time.Location) bool {
	loc = zone(loc)
	return p.Shift == "" && p.From.Before(p.To) && midnight(p.From, loc).Equal(p.From) && midnight(p.To, loc).Equal(p.To)
}
