package report

import (
	"sort"
	"time"

	"github.com/opentill/opentill/pos/money"
)

// Build makes the document of report n from the period's data and, when
// prev is not nil, the data of the period before (compared figure by
// figure). made is when it was made.
func Build(n Name, cur, prev *Data, made time.Time) Doc {
	d := Doc{Name: n, Title: n.TitleKey(), Store: cur.Store, StoreName: cur.cfg.StoreName, Terminals: cur.Terminals,
		Period: cur.Period, Currency: cur.Currency, Made: made, Tables: []Table{}}
	if prev != nil {
		p := prev.Period
		d.Prev = &p
	}
	b := builder{doc: &d, cur: cur, prev: prev}
	switch n {
	case Summary:
		b.summary()
	case Hourly:
		b.hourly()
	case Daily:
		b.daily()
	case Categories:
		b.categories()
	case Operators:
		b.people(cur.Operators, prevMap(prev, func(p *Data) map[string]*People { return p.Operators }), "report.col.operator", true)
	case Registers:
		b.people(cur.Registers, prevMap(prev, func(p *Data) map[string]*People { return p.Registers }), "report.col.register", false)
	case Tenders:
		b.tenders(true)
	case Taxes:
		b.taxes(true)
	case Products:
		b.products()
	case Exceptions:
		b.exceptions()
	case Promotions:
		b.promotions()
	case Baskets:
		b.baskets()
	case OverShorts:
		b.overShort()
	}
	if cur.NoShift.Transactions > 0 {
		d.Notes = append(d.Notes, "report.note.no_shift")
	}
	return d
}

func prevMap[T any](p *Data, f func(*Data) map[string]*T) map[string]*T {
	if p == nil {
		return nil
	}
	return f(p)
}

type builder struct {
	doc  *Doc
	cur  *Data
	prev *Data
}

func (b *builder) compare() bool { return b.prev != nil }

func (b *builder) fig(key string, cur Value, prev func(*Data) Value) {
	f := Figure{Key: key, Value: cur, Change: None()}
	if b.prev != nil {
		p := prev(b.prev)
		f.Prev = &p
		if cur.IsNumber() {
			f.Change = change(cur.N, p.N)
		}
	}
	b.doc.Figures = append(b.doc.Figures, f)
}

// withPrev appends the previous value and the change to a row when comparing.
func (b *builder) withPrev(row []Value, cur, prev Value) []Value {
	if !b.compare() {
		return row
	}
	return append(row, prev, change(cur.N, prev.N))
}

func (b *builder) prevCols(cols []Column, kind Kind) []Column {
	if !b.compare() {
		return cols
	}
	return append(cols, Column{"report.col.prev", kind}, Column{"report.col.change", KPercent})
}

func share(part, whole money.Amount) Value {
	if whole == 0 {
		return None()
	}
	return Percent(money.MulDiv(int64(part), 10000, int64(whole), money.HalfUp))
}

func (b *builder) headline() {
	t := b.cur.Total
	b.fig("report.fig.net", Money(t.Net), func(p *Data) Value { return Money(p.Total.Net) })
	b.fig("report.fig.transactions", Int(int64(t.Transactions)), func(p *Data) Value { return Int(int64(p.Total.Transactions)) })
	b.fig("report.fig.avg_basket", Money(t.AvgBasket()), func(p *Data) Value { return Money(p.Total.AvgBasket()) })
	b.fig("report.fig.items_per_basket", Cents(t.ItemsPerBasket()), func(p *Data) Value { return Cents(p.Total.ItemsPerBasket()) })
}

func (b *builder) summary() {
	c := b.cur
	b.headline()
	b.fig("report.fig.returns", Money(c.Total.Returns), func(p *Data) Value { return Money(p.Total.Returns) })
	b.fig("report.fig.discounts", Money(c.Total.Discounts), func(p *Data) Value { return Money(p.Total.Discounts) })
	if c.Period.DayCount() > 1 {
		b.doc.Charts = append(b.doc.Charts, b.dayChart())
	} else {
		b.doc.Charts = append(b.doc.Charts, b.hourChart())
	}
	b.doc.Charts = append(b.doc.Charts, b.tenderChart(), b.categoryChart(8), b.topChart(8))
	rows := [][]Value{}
	line := func(key string, cur, prev func(*Data) Value) {
		v := cur(c)
		row := []Value{Key(key), v}
		if b.compare() {
			p := prev(b.prev)
			row = append(row, p, change(v.N, p.N))
		}
		rows = append(rows, row)
	}
	m := func(f func(Figures) money.Amount) func(*Data) Value {
		return func(d *Data) Value { return Money(f(d.Total)) }
	}
	n := func(f func(*Data) int) func(*Data) Value { return func(d *Data) Value { return Int(int64(f(d))) } }
	line("report.fig.sales", m(func(f Figures) money.Amount { return f.Sales }), m(func(f Figures) money.Amount { return f.Sales }))
	line("report.fig.returns", m(func(f Figures) money.Amount { return f.Returns }), m(func(f Figures) money.Amount { return f.Returns }))
	line("report.fig.net", m(func(f Figures) money.Amount { return f.Net }), m(func(f Figures) money.Amount { return f.Net }))
	line("report.fig.tax", m(func(f Figures) money.Amount { return f.Tax }), m(func(f Figures) money.Amount { return f.Tax }))
	line("report.fig.discounts", m(func(f Figures) money.Amount { return f.Discounts }), m(func(f Figures) money.Amount { return f.Discounts }))
	line("report.fig.rounding", m(func(f Figures) money.Amount { return f.Rounding }), m(func(f Figures) money.Amount { return f.Rounding }))
	line("report.fig.income", func(d *Data) Value { return Money(d.Income) }, func(d *Data) Value { return Money(d.Income) })
	line("report.fig.expense", func(d *Data) Value { return Money(d.Expense) }, func(d *Data) Value { return Money(d.Expense) })
	line("report.fig.transactions", n(func(d *Data) int { return d.Total.Transactions }), n(func(d *Data) int { return d.Total.Transactions }))
	line("report.fig.sale_count", n(func(d *Data) int { return d.Total.SaleCount }), n(func(d *Data) int { return d.Total.SaleCount }))
	line("report.fig.return_count", n(func(d *Data) int { return d.Total.ReturnCount }), n(func(d *Data) int { return d.Total.ReturnCount }))
	line("report.fig.voids", n(func(d *Data) int { return d.Voids }), n(func(d *Data) int { return d.Voids }))
	line("report.fig.line_voids", n(func(d *Data) int { return d.LineVoids }), n(func(d *Data) int { return d.LineVoids }))
	line("report.fig.no_sales", n(func(d *Data) int { return d.NoSales }), n(func(d *Data) int { return d.NoSales }))
	line("report.fig.suspended", n(func(d *Data) int { return d.Suspended }), n(func(d *Data) int { return d.Suspended }))
	cols := []Column{{"report.col.figure", KKey}, {"report.col.value", KMoney}}
	if b.compare() {
		cols = append(cols, Column{"report.col.prev", KMoney}, Column{"report.col.change", KPercent})
	}
	b.doc.Tables = append(b.doc.Tables, Table{Title: "report.table.totals", Columns: cols, Rows: rows})
	b.tenders(false)
	b.taxes(false)
}

func (b *builder) hourChart() Chart {
	ch := Chart{Kind: Bars, Title: "report.chart.by_hour", Money: true}
	lo, hi := 24, -1
	for h := 0; h < 24; h++ {
		if b.cur.Hours[h].Transactions > 0 || (b.prev != nil && b.prev.Hours[h].Transactions > 0) {
			lo, hi = min(lo, h), max(hi, h)
		}
	}
	for h := lo; h <= hi; h++ {
		p := Point{Label: Hour(h), Value: int64(b.cur.Hours[h].Net)}
		if b.prev != nil {
			p.Prev, p.HasPrev = int64(b.prev.Hours[h].Net), true
		}
		ch.Points = append(ch.Points, p)
	}
	return ch
}

func (b *builder) dayChart() Chart {
	ch := Chart{Kind: Line, Title: "report.chart.by_day", Money: true}
	var prev []DayFigures
	if b.prev != nil {
		prev = b.prev.DayList()
	}
	for i, d := range b.cur.DayList() {
		p := Point{Label: Date(d.Day), Value: int64(d.Net)}
		if i < len(prev) {
			p.Prev, p.HasPrev = int64(prev[i].Net), true
		}
		ch.Points = append(ch.Points, p)
	}
	return ch
}

func (b *builder) tenderChart() Chart {
	ch := Chart{Kind: Donut, Title: "report.chart.by_tender", Money: true}
	for _, t := range b.cur.Tenders {
		if t.Count > 0 || t.Tendered != 0 {
			ch.Points = append(ch.Points, Point{Label: Text(t.Name), Value: int64(t.Net())})
		}
	}
	return ch
}

func (b *builder) categoryChart(n int) Chart {
	ch := Chart{Kind: Bars, Title: "report.chart.by_category", Money: true}
	var prev map[string]*Lines
	if b.prev != nil {
		prev = b.prev.Categories
	}
	for i, c := range ByNet(b.cur.Categories) {
		if i == n {
			break
		}
		p := Point{Label: Text(catName(c.ID)), Value: int64(c.Net())}
		if prev != nil {
			p.HasPrev = true
			if q := prev[c.ID]; q != nil {
				p.Prev = int64(q.Net())
			}
		}
		ch.Points = append(ch.Points, p)
	}
	return ch
}

// topChart is the n best-selling products, beside what they sold before.
func (b *builder) topChart(n int) Chart {
	ch := Chart{Kind: Bars, Title: "report.chart.top_products", Money: true}
	for i, p := range ByNet(b.cur.Products) {
		if i == n {
			break
		}
		pt := Point{Label: Text(p.Name), Value: int64(p.Net())}
		if b.prev != nil {
			pt.HasPrev = true
			if q := b.prev.Products[p.ID]; q != nil {
				pt.Prev = int64(q.Net())
			}
		}
		ch.Points = append(ch.Points, pt)
	}
	return ch
}

func catName(id string) string {
	if id == "" {
		return "—"
	}
	return id
}

func (b *builder) hourly() {
	b.headline()
	b.doc.Charts = append(b.doc.Charts, b.hourChart())
	cols := b.prevCols([]Column{{"report.col.hour", KHour}, {"report.col.transactions", KInt}, {"report.col.items", KInt},
		{"report.col.avg_basket", KMoney}, {"report.col.net", KMoney}}, KMoney)
	t := Table{Title: "report.table.by_hour", Columns: cols}
	for h := 0; h < 24; h++ {
		f := b.cur.Hours[h]
		var pf Figures
		if b.prev != nil {
			pf = b.prev.Hours[h]
		}
		if f.Transactions == 0 && pf.Transactions == 0 {
			continue
		}
		t.Rows = append(t.Rows, b.withPrev([]Value{Hour(h), Int(int64(f.Transactions)), Int(f.Items), Money(f.AvgBasket()), Money(f.Net)},
			Money(f.Net), Money(pf.Net)))
	}
	tot := b.cur.Total
	var ptot Figures
	if b.prev != nil {
		ptot = b.prev.Total
	}
	t.Total = b.withPrev([]Value{Key("report.total"), Int(int64(tot.Transactions)), Int(tot.Items), Money(tot.AvgBasket()), Money(tot.Net)},
		Money(tot.Net), Money(ptot.Net))
	b.doc.Tables = append(b.doc.Tables, t)
}

func (b *builder) daily() {
	b.headline()
	b.doc.Charts = append(b.doc.Charts, b.dayChart())
	cols := b.prevCols([]Column{{"report.col.day", KDate}, {"report.col.transactions", KInt}, {"report.col.items", KInt},
		{"report.col.avg_basket", KMoney}, {"report.col.returns", KMoney}, {"report.col.net", KMoney}}, KMoney)
	t := Table{Title: "report.table.by_day", Columns: cols}
	var prev []DayFigures
	if b.prev != nil {
		prev = b.prev.DayList()
	}
	for i, d := range b.cur.DayList() {
		var pn money.Amount
		if i < len(prev) {
			pn = prev[i].Net
		}
		t.Rows = append(t.Rows, b.withPrev([]Value{Date(d.Day), Int(int64(d.Transactions)), Int(d.Items), Money(d.AvgBasket()),
			Money(d.Returns), Money(d.Net)}, Money(d.Net), Money(pn)))
	}
	tot := b.cur.Total
	var pt Figures
	if b.prev != nil {
		pt = b.prev.Total
	}
	t.Total = b.withPrev([]Value{Key("report.total"), Int(int64(tot.Transactions)), Int(tot.Items), Money(tot.AvgBasket()),
		Money(tot.Returns), Money(tot.Net)}, Money(tot.Net), Money(pt.Net))
	b.doc.Tables = append(b.doc.Tables, t)
}

func (b *builder) categories() {
	b.doc.Charts = append(b.doc.Charts, b.categoryChart(12))
	cols := b.prevCols([]Column{{"report.col.category", KText}, {"report.col.lines", KInt}, {"report.col.sales", KMoney},
		{"report.col.returns", KMoney}, {"report.col.net", KMoney}, {"report.col.tax", KMoney}, {"report.col.discounts", KMoney},
		{"report.col.share", KPercent}}, KMoney)
	t := Table{Title: "report.table.by_category", Columns: cols}
	var tot Lines
	all := b.cur.Total.Sales - b.cur.Total.Returns
	for _, c := range ByNet(b.cur.Categories) {
		var pn money.Amount
		if b.prev != nil {
			if p := b.prev.Categories[c.ID]; p != nil {
				pn = p.Net()
			}
		}
		t.Rows = append(t.Rows, b.withPrev([]Value{Text(catName(c.ID)), Int(int64(c.Lines)), Money(c.Sales), Money(c.Returns),
			Money(c.Net()), Money(c.Tax), Money(c.Discount), share(c.Net(), all)}, Money(c.Net()), Money(pn)))
		tot.Lines += c.Lines
		tot.Sales += c.Sales
		tot.Returns += c.Returns
		tot.Tax += c.Tax
		tot.Discount += c.Discount
	}
	var pt money.Amount
	if b.prev != nil {
		pt = b.prev.Total.Sales - b.prev.Total.Returns
	}
	t.Total = b.withPrev([]Value{Key("report.total"), Int(int64(tot.Lines)), Money(tot.Sales), Money(tot.Returns), Money(tot.Net()),
		Money(tot.Tax), Money(tot.Discount), share(tot.Net(), all)}, Money(tot.Net()), Money(pt))
	b.doc.Tables = append(b.doc.Tables, t)
}

func (b *builder) people(m, prev map[string]*People, col string, operators bool) {
	title, chartTitle := "report.table.by_register", "report.chart.by_register"
	if operators {
		title, chartTitle = "report.table.by_operator", "report.chart.by_operator"
	}
	ch := Chart{Kind: Bars, Title: chartTitle, Money: true}
	cols := []Column{{col, KText}, {"report.col.transactions", KInt}, {"report.col.items", KInt}, {"report.col.avg_basket", KMoney},
		{"report.col.returns", KMoney}, {"report.col.voids", KInt}, {"report.col.line_voids", KInt}, {"report.col.no_sales", KInt}}
	if operators {
		cols = append(cols, Column{"report.col.overrides", KInt})
	}
	cols = b.prevCols(append(cols, Column{"report.col.net", KMoney}), KMoney)
	t := Table{Title: title, Columns: cols}
	var tot People
	for _, p := range PeopleByNet(m) {
		name := p.ID
		if operators {
			name = b.cur.Name(p.ID)
		}
		if name == "" {
			name = "—"
		}
		row := []Value{Text(name), Int(int64(p.Transactions)), Int(p.Items), Money(p.AvgBasket()), Money(p.Returns),
			Int(int64(p.Voids)), Int(int64(p.LineVoids)), Int(int64(p.NoSales))}
		if operators {
			row = append(row, Int(int64(p.Overrides)))
		}
		var pn money.Amount
		if prev != nil && prev[p.ID] != nil {
			pn = prev[p.ID].Net
		}
		t.Rows = append(t.Rows, b.withPrev(append(row, Money(p.Net)), Money(p.Net), Money(pn)))
		pt := Point{Label: Text(name), Value: int64(p.Net)}
		if prev != nil {
			pt.Prev, pt.HasPrev = int64(pn), true
		}
		ch.Points = append(ch.Points, pt)
		tot.Figures.add(p.Figures)
		tot.Voids += p.Voids
		tot.LineVoids += p.LineVoids
		tot.NoSales += p.NoSales
		tot.Overrides += p.Overrides
	}
	row := []Value{Key("report.total"), Int(int64(tot.Transactions)), Int(tot.Items), Money(tot.AvgBasket()), Money(tot.Returns),
		Int(int64(tot.Voids)), Int(int64(tot.LineVoids)), Int(int64(tot.NoSales))}
	if operators {
		row = append(row, Int(int64(tot.Overrides)))
	}
	var ptn money.Amount
	if b.prev != nil {
		ptn = b.prev.Total.Net
	}
	t.Total = b.withPrev(append(row, Money(tot.Net)), Money(tot.Net), Money(ptn))
	b.doc.Charts = append(b.doc.Charts, ch)
	b.doc.Tables = append(b.doc.Tables, t)
}

func (b *builder) tenders(full bool) {
	if full {
		b.doc.Charts = append(b.doc.Charts, b.tenderChart())
	}
	cols := b.prevCols([]Column{{"report.col.tender", KText}, {"report.col.count", KInt}, {"report.col.tendered", KMoney},
		{"report.col.change_given", KMoney}, {"report.col.net", KMoney}, {"report.col.share", KPercent}}, KMoney)
	t := Table{Title: "report.table.by_tender", Columns: cols}
	tot := b.cur.TenderTotal()
	for _, x := range b.cur.Tenders {
		var pn money.Amount
		if b.prev != nil {
			for _, p := range b.prev.Tenders {
				if p.ID == x.ID {
					pn = p.Net()
				}
			}
		}
		t.Rows = append(t.Rows, b.withPrev([]Value{Text(x.Name), Int(int64(x.Count)), Money(x.Tendered), Money(x.Change), Money(x.Net()),
			share(x.Net(), tot.Net())}, Money(x.Net()), Money(pn)))
	}
	var ptn money.Amount
	if b.prev != nil {
		ptn = b.prev.TenderTotal().Net()
	}
	t.Total = b.withPrev([]Value{Key("report.total"), Int(int64(tot.Count)), Money(tot.Tendered), Money(tot.Change), Money(tot.Net()),
		share(tot.Net(), tot.Net())}, Money(tot.Net()), Money(ptn))
	b.doc.Tables = append(b.doc.Tables, t)
}

func (b *builder) taxes(full bool) {
	if full {
		ch := Chart{Kind: Bars, Title: "report.chart.by_tax", Money: true}
		for _, x := range b.cur.TaxesByRate() {
			ch.Points = append(ch.Points, Point{Label: Text(x.Name), Value: int64(x.Tax)})
		}
		b.doc.Charts = append(b.doc.Charts, ch)
	}
	cols := b.prevCols([]Column{{"report.col.tax_code", KText}, {"report.col.rate", KRate}, {"report.col.net_ex_tax", KMoney},
		{"report.col.tax", KMoney}, {"report.col.gross", KMoney}}, KMoney)
	t := Table{Title: "report.table.by_tax", Columns: cols}
	for _, x := range b.cur.TaxesByRate() {
		var pt money.Amount
		if b.prev != nil && b.prev.Taxes[x.Code] != nil {
			pt = b.prev.Taxes[x.Code].Tax
		}
		t.Rows = append(t.Rows, b.withPrev([]Value{Text(x.Name), Rate(x.Rate), Money(x.Basis), Money(x.Tax), Money(x.Gross())},
			Money(x.Tax), Money(pt)))
	}
	tot := b.cur.TaxTotal()
	var ptt money.Amount
	if b.prev != nil {
		ptt = b.prev.TaxTotal().Tax
	}
	t.Total = b.withPrev([]Value{Key("report.total"), None(), Money(tot.Basis), Money(tot.Tax), Money(tot.Gross())}, Money(tot.Tax), Money(ptt))
	b.doc.Tables = append(b.doc.Tables, t)
}

func (b *builder) products() {
	n := b.cur.cfg.Top
	if n <= 0 {
		n = 10
	}
	list := ByNet(b.cur.Products)
	all := b.cur.Total.Sales - b.cur.Total.Returns
	table := func(title string, ps []*Lines) Table {
		t := Table{Title: title, Columns: b.prevCols([]Column{{"report.col.product", KText}, {"report.col.category", KText},
			{"report.col.qty", KQty}, {"report.col.returned", KQty}, {"report.col.net", KMoney}, {"report.col.share", KPercent}}, KMoney)}
		for _, p := range ps {
			var pn money.Amount
			if b.prev != nil && b.prev.Products[p.ID] != nil {
				pn = b.prev.Products[p.ID].Net()
			}
			t.Rows = append(t.Rows, b.withPrev([]Value{Text(p.Name), Text(catName(p.Category)), Qty(int64(p.Sold), p.Decimals),
				Qty(int64(p.Returned), p.Decimals), Money(p.Net()), share(p.Net(), all)}, Money(p.Net()), Money(pn)))
		}
		return t
	}
	top := list[:min(n, len(list))]
	bottom := append([]*Lines(nil), list[max(0, len(list)-n):]...)
	sort.SliceStable(bottom, func(i, j int) bool { return bottom[i].Net() < bottom[j].Net() })
	b.doc.Charts = append(b.doc.Charts, b.topChart(n))
	b.doc.Tables = append(b.doc.Tables, table("report.table.top_products", top), table("report.table.bottom_products", bottom))
	b.doc.Notes = append(b.doc.Notes, "report.note.bottom_sold_only")
}

func (b *builder) exceptions() {
	count := map[ExceptionKind]int{}
	amount := map[ExceptionKind]money.Amount{}
	for _, e := range b.cur.Exceptions {
		count[e.Kind]++
		amount[e.Kind] += e.Amount
	}
	pcount := map[ExceptionKind]int{}
	if b.prev != nil {
		for _, e := range b.prev.Exceptions {
			pcount[e.Kind]++
		}
	}
	ch := Chart{Kind: Bars, Title: "report.chart.exceptions"}
	sum := Table{Title: "report.table.exception_counts", Columns: b.prevCols([]Column{{"report.col.kind", KKey}, {"report.col.amount", KMoney},
		{"report.col.count", KInt}}, KInt)}
	for _, k := range ExceptionKinds {
		if count[k] == 0 && pcount[k] == 0 {
			continue
		}
		sum.Rows = append(sum.Rows, b.withPrev([]Value{Key("report.exc." + string(k)), Money(amount[k]), Int(int64(count[k]))},
			Int(int64(count[k])), Int(int64(pcount[k]))))
		pt := Point{Label: Key("report.exc." + string(k)), Value: int64(count[k])}
		if b.prev != nil {
			pt.Prev, pt.HasPrev = int64(pcount[k]), true
		}
		ch.Points = append(ch.Points, pt)
	}
	list := Table{Title: "report.table.exceptions", Columns: []Column{{"report.col.time", KTime}, {"report.col.kind", KKey},
		{"report.col.register", KText}, {"report.col.receipt", KText}, {"report.col.operator", KText}, {"report.col.authorised", KText},
		{"report.col.approved", KKey}, {"report.col.item", KText}, {"report.col.detail", KText}, {"report.col.amount", KMoney}}}
	for _, e := range b.cur.Exceptions {
		approved := Key("report.own_authority")
		if e.Approved {
			approved = Key("report.manager_approved")
		}
		if e.Kind == ExcOverrideFailed {
			approved = Key("report.alarm")
		}
		amt := Money(e.Amount)
		if e.Amount == 0 {
			amt = None()
		}
		list.Rows = append(list.Rows, []Value{Time(e.Time), Key("report.exc." + string(e.Kind)), Text(e.Terminal), Text(e.Receipt),
			Text(b.cur.Name(e.Operator)), Text(b.cur.Name(e.Authorised)), approved, Text(e.Item), e.DetailValue(), amt})
	}
	b.doc.Charts = append(b.doc.Charts, ch)
	b.doc.Tables = append(b.doc.Tables, sum, list)
}

func (b *builder) promotions() {
	ch := Chart{Kind: Bars, Title: "report.chart.promotions", Money: true}
	cols := b.prevCols([]Column{{"report.col.promotion", KText}, {"report.col.promo_kind", KText}, {"report.col.coupon", KText},
		{"report.col.lines", KInt}, {"report.col.transactions", KInt}, {"report.col.given_away", KMoney}}, KMoney)
	t := Table{Title: "report.table.promotions", Columns: cols}
	var tot Promotion
	for _, p := range b.cur.PromotionsByAmount() {
		var pa money.Amount
		if b.prev != nil && b.prev.Promotions[p.ID] != nil {
			pa = b.prev.Promotions[p.ID].Amount
		}
		t.Rows = append(t.Rows, b.withPrev([]Value{Text(p.Name), Text(p.Kind), Text(p.Coupon), Int(int64(p.Lines)), Int(int64(p.Transactions)),
			Money(p.Amount)}, Money(p.Amount), Money(pa)))
		ch.Points = append(ch.Points, Point{Label: Text(p.Name), Value: int64(p.Amount)})
		tot.Lines += p.Lines
		tot.Transactions += p.Transactions
		tot.Amount += p.Amount
	}
	var pta money.Amount
	if b.prev != nil {
		for _, p := range b.prev.Promotions {
			pta += p.Amount
		}
	}
	t.Total = b.withPrev([]Value{Key("report.total"), None(), None(), Int(int64(tot.Lines)), Int(int64(tot.Transactions)), Money(tot.Amount)},
		Money(tot.Amount), Money(pta))
	b.doc.Charts = append(b.doc.Charts, ch)
	b.doc.Tables = append(b.doc.Tables, t)
}

func (b *builder) baskets() {
	b.headline()
	ch := Chart{Kind: Bars, Title: "report.chart.basket_by_hour", Money: true}
	t := Table{Title: "report.table.baskets_by_hour", Columns: b.prevCols([]Column{{"report.col.hour", KHour}, {"report.col.transactions", KInt},
		{"report.col.items_per_basket", KCents}, {"report.col.avg_basket", KMoney}}, KMoney)}
	for h := 0; h < 24; h++ {
		f := b.cur.Hours[h]
		var pf Figures
		if b.prev != nil {
			pf = b.prev.Hours[h]
		}
		if f.Transactions == 0 && pf.Transactions == 0 {
			continue
		}
		t.Rows = append(t.Rows, b.withPrev([]Value{Hour(h), Int(int64(f.Transactions)), Cents(f.ItemsPerBasket()), Money(f.AvgBasket())},
			Money(f.AvgBasket()), Money(pf.AvgBasket())))
		pt := Point{Label: Hour(h), Value: int64(f.AvgBasket())}
		if b.prev != nil {
			pt.Prev, pt.HasPrev = int64(pf.AvgBasket()), true
		}
		ch.Points = append(ch.Points, pt)
	}
	tot := b.cur.Total
	var pt Figures
	if b.prev != nil {
		pt = b.prev.Total
	}
	t.Total = b.withPrev([]Value{Key("report.total"), Int(int64(tot.Transactions)), Cents(tot.ItemsPerBasket()), Money(tot.AvgBasket())},
		Money(tot.AvgBasket()), Money(pt.AvgBasket()))
	b.doc.Charts = append(b.doc.Charts, ch)
	b.doc.Tables = append(b.doc.Tables, t)
}

func (b *builder) overShort() {
	list := Table{Title: "report.table.over_short", Columns: []Column{{"report.col.closed", KTime}, {"report.col.shift", KText},
		{"report.col.register", KText}, {"report.col.opened_by", KText}, {"report.col.closed_by", KText}, {"report.col.expected", KMoney},
		{"report.col.declared", KMoney}, {"report.col.over_short", KMoney}, {"report.col.approver", KText}, {"report.col.reason", KText}}}
	type op struct {
		shifts      int
		over, short money.Amount
	}
	by := map[string]*op{}
	var order []string
	var tot OverShort
	for _, s := range b.cur.OverShort {
		list.Rows = append(list.Rows, []Value{Time(s.Closed), Text(shortID(s.Shift)), Text(s.Terminal), Text(b.cur.Name(s.OpenedBy)),
			Text(b.cur.Name(s.ClosedBy)), Money(s.Expected), Money(s.Declared), Money(s.OverShort), Text(b.cur.Name(s.Approver)), Text(s.Reason)})
		o := by[s.OpenedBy]
		if o == nil {
			o = &op{}
			by[s.OpenedBy] = o
			order = append(order, s.OpenedBy)
		}
		o.shifts++
		if s.OverShort > 0 {
			o.over += s.OverShort
		} else {
			o.short += s.OverShort
		}
		tot.Expected += s.Expected
		tot.Declared += s.Declared
		tot.OverShort += s.OverShort
	}
	list.Total = []Value{Key("report.total"), None(), None(), None(), None(), Money(tot.Expected), Money(tot.Declared), Money(tot.OverShort), None(), None()}
	sort.Strings(order)
	ch := Chart{Kind: Bars, Title: "report.chart.over_short", Money: true}
	per := Table{Title: "report.table.over_short_by_operator", Columns: []Column{{"report.col.operator", KText}, {"report.col.shifts", KInt},
		{"report.col.over", KMoney}, {"report.col.short", KMoney}, {"report.col.over_short", KMoney}}}
	for _, id := range order {
		o := by[id]
		per.Rows = append(per.Rows, []Value{Text(b.cur.Name(id)), Int(int64(o.shifts)), Money(o.over), Money(o.short), Money(o.over + o.short)})
		ch.Points = append(ch.Points, Point{Label: Text(b.cur.Name(id)), Value: int64(o.over + o.short)})
	}
	b.doc.Charts = append(b.doc.Charts, ch)
	b.doc.Tables = append(b.doc.Tables, list, per)
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[len(id)-8:]
	}
	return id
}
