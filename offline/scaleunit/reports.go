package scaleunit

// Store reports across tills (docs/reports.md): the store's tills'
// transactions, shift events and journal records as one report.Source, so
// that the server's figures are computed by the very rules a till's own
// reports and X/Z use, and reconcile with the tills' Z reports to the cent.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/report"
	"github.com/opentill/opentill/pos/shift"
)

// storeJournal is a store's tills' journals as the server holds them.
type storeJournal struct {
	db    *DB
	store string
}

// entries gathers the store's entries: each completed or voided
// transaction (its upload is the sale entry's payload) unless sales is
// false, each shift event with its payload, and the approvals and alarms
// of the journals, in time order.
func (s storeJournal) entries(ctx context.Context, sales bool) ([]journal.Entry, []shift.Report, error) {
	var out []journal.Entry
	var zs []shift.Report
	kinds := []any{s.store, api.KindShiftEvent, api.KindShiftEvent}
	if sales {
		kinds[2] = api.KindTransaction
	}
	rows, err := s.db.r.QueryContext(ctx, `SELECT kind, payload FROM uploads WHERE store_id = ? AND kind IN (?, ?) ORDER BY arrival`, kinds...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, payload string
		if err := rows.Scan(&kind, &payload); err != nil {
			return nil, nil, err
		}
		switch kind {
		case api.KindTransaction:
			if e, ok := txnEntry([]byte(payload)); ok {
				out = append(out, e)
			}
		case api.KindShiftEvent:
			var ev struct {
				Entry journal.Entry `json:"entry"`
				Z     *shift.Report `json:"z_report"`
			}
			if json.Unmarshal([]byte(payload), &ev) != nil {
				continue
			}
			if ev.Entry.Kind != "" {
				out = append(out, ev.Entry)
			}
			if ev.Z != nil {
				zs = append(zs, *ev.Z)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows.Close()
	jr, err := s.db.r.QueryContext(ctx, `SELECT j.record FROM journal_entries j JOIN tills t ON t.id = j.till_id
		WHERE t.store_id = ? AND j.kind IN (?, ?)`, s.store, string(journal.Override), string(journal.OverrideFailed))
	if err != nil {
		return nil, nil, err
	}
	defer jr.Close()
	for jr.Next() {
		var rec string
		if err := jr.Scan(&rec); err != nil {
			return nil, nil, err
		}
		var je api.JournalEntry
		if json.Unmarshal([]byte(rec), &je) == nil {
			out = append(out, apimap.JournalEntryFrom(je))
		}
	}
	if err := jr.Err(); err != nil {
		return nil, nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	for i := range out {
		out[i].Seq = int64(i + 1) // the store's order: the tills' own numbers overlap
	}
	sort.SliceStable(zs, func(i, j int) bool { return zs[i].At.Before(zs[j].At) })
	return out, zs, nil
}

// reportSource is one report's view of the store's entries.
type reportSource struct {
	entries []journal.Entry
	zs      []shift.Report
}

// Entries implements report.Source.
func (s reportSource) Entries(ctx context.Context, from, to time.Time, fn func(journal.Entry) error) error {
	for _, e := range s.entries {
		if e.Time.Before(from) || !e.Time.Before(to) {
			continue
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// ClosedShifts implements report.Source.
func (s reportSource) ClosedShifts(ctx context.Context, from, to time.Time) ([]shift.Report, error) {
	var out []shift.Report
	for _, z := range s.zs {
		if !z.At.Before(from) && z.At.Before(to) {
			out = append(out, z)
		}
	}
	return out, nil
}

// StoreReport computes a store's report over [from, to) across its tills.
func (s *DB) StoreReport(ctx context.Context, storeID string, from, to time.Time) (api.StoreReport, error) {
	if !from.Before(to) {
		return api.StoreReport{}, fmt.Errorf("the period must end after it starts: %w", ErrInvalid)
	}
	setup, err := s.storeSetup(ctx, storeID)
	if err != nil {
		return api.StoreReport{}, err
	}
	cfg := report.Config{Store: storeID, StoreName: setup.StoreName, Currency: setup.Currency, Tenders: setup.TenderTypes,
		Loc: zoneOf(setup.Header.TimeZone), TaxGroups: setup.TaxGroups}
	p := report.Period{Range: report.RangeCustom, From: from, To: to}
	// Whole store days add up the transactions' sums; any other period
	// reads the transactions again.
	summed := report.DayAligned(p, cfg.Loc)
	es, zs, err := storeJournal{db: s, store: storeID}.entries(ctx, !summed)
	if err != nil {
		return api.StoreReport{}, err
	}
	d, err := report.Aggregate(ctx, reportSource{entries: es, zs: zs}, cfg, p)
	if err != nil {
		return api.StoreReport{}, err
	}
	if summed {
		sums, err := s.summedReport(ctx, cfg, p)
		if err != nil {
			return api.StoreReport{}, err
		}
		if d, err = report.Merge(sums, d); err != nil {
			return api.StoreReport{}, err
		}
	}
	for i := range d.Exceptions {
		d.Exceptions[i].Seq = int64(i + 1) // the store's order: the tills' own numbers overlap
	}
	return storeReportOf(d, from, to), nil
}

func figuresOf(f report.Figures) api.ReportFigures {
	return api.ReportFigures{Transactions: f.Transactions, SaleCount: f.SaleCount, ReturnCount: f.ReturnCount, Items: f.Items, Returned: f.Returned,
		Sales: int64(f.Sales), Returns: int64(f.Returns), Net: int64(f.Net), Tax: int64(f.Tax), Discounts: int64(f.Discounts), Rounding: int64(f.Rounding)}
}

func storeReportOf(d *report.Data, from, to time.Time) api.StoreReport {
	out := api.StoreReport{Store: d.Store, From: from, To: to, Currency: d.Currency.Code, Total: figuresOf(d.Total), NoShift: figuresOf(d.NoShift),
		Registers: []api.ReportRow{}, Operators: []api.ReportRow{}, Days: []api.ReportDay{}, Tenders: []api.ReportTender{}, Taxes: []api.ReportTax{},
		OverShort: []api.ReportOverShort{}, Hours: make([]api.ReportFigures, 0, 24), Categories: []api.ReportLines{}, Products: []api.ReportLines{},
		Promotions: []api.ReportPromotion{}, Exceptions: []api.ReportException{}, Terminals: append([]string{}, d.Terminals...),
		Voids: d.Voids, VoidTotal: int64(d.VoidTotal), LineVoids: d.LineVoids, NoSales: d.NoSales, Suspended: d.Suspended,
		Income: int64(d.Income), Expense: int64(d.Expense), Entries: d.Entries}
	rows := func(m map[string]*report.People) []api.ReportRow {
		rs := []api.ReportRow{}
		for _, p := range report.PeopleByNet(m) {
			rs = append(rs, api.ReportRow{ID: p.ID, ReportFigures: figuresOf(p.Figures), Voids: p.Voids, VoidTotal: int64(p.VoidTotal),
				LineVoids: p.LineVoids, NoSales: p.NoSales, Overrides: p.Overrides})
		}
		return rs
	}
	out.Registers, out.Operators = rows(d.Registers), rows(d.Operators)
	for _, day := range d.DayList() {
		out.Days = append(out.Days, api.ReportDay{Day: day.Day, ReportFigures: figuresOf(day.Figures)})
	}
	for _, h := range d.Hours {
		out.Hours = append(out.Hours, figuresOf(h))
	}
	lines := func(m map[string]*report.Lines) []api.ReportLines {
		ls := []api.ReportLines{}
		for _, l := range report.ByNet(m) {
			ls = append(ls, api.ReportLines{ID: l.ID, Name: l.Name, Category: l.Category, Lines: l.Lines, Sold: int64(l.Sold),
				Returned: int64(l.Returned), Decimals: l.Decimals, Sales: int64(l.Sales), Returns: int64(l.Returns), Tax: int64(l.Tax), Discount: int64(l.Discount)})
		}
		return ls
	}
	out.Categories, out.Products = lines(d.Categories), lines(d.Products)
	for _, p := range d.PromotionsByAmount() {
		out.Promotions = append(out.Promotions, api.ReportPromotion{ID: p.ID, Name: p.Name, Kind: p.Kind, Coupon: p.Coupon, Lines: p.Lines,
			Transactions: p.Transactions, Amount: int64(p.Amount)})
	}
	for _, x := range d.Exceptions {
		out.Exceptions = append(out.Exceptions, api.ReportException{Kind: string(x.Kind), Time: x.Time, Seq: x.Seq, Terminal: x.Terminal,
			Receipt: x.Receipt, Operator: x.Operator, Authorised: x.Authorised, Approved: x.Approved, Item: x.Item, Amount: int64(x.Amount),
			Detail: x.Detail, Was: int64(x.Was), Now: int64(x.Now), Percent: x.Percent, Off: int64(x.Off)})
	}
	for _, t := range d.Tenders {
		out.Tenders = append(out.Tenders, api.ReportTender{ID: t.ID, Name: t.Name, Cash: t.Cash, Count: t.Count, Tendered: int64(t.Tendered), Change: int64(t.Change)})
	}
	for _, t := range d.TaxesByRate() {
		out.Taxes = append(out.Taxes, api.ReportTax{Code: t.Code, Name: t.Name, Rate: t.Rate, Basis: int64(t.Basis), Tax: int64(t.Tax)})
	}
	for _, o := range d.OverShort {
		out.OverShort = append(out.OverShort, api.ReportOverShort{Shift: o.Shift, Terminal: o.Terminal, OpenedBy: o.OpenedBy, ClosedBy: o.ClosedBy,
			Closed: o.Closed, Expected: int64(o.Expected), Declared: int64(o.Declared), OverShort: int64(o.OverShort), Approver: o.Approver, Reason: o.Reason})
	}
	return out
}

// storeSetup is the setup the server serves a store's tills.
func (s *DB) storeSetup(ctx context.Context, storeID string) (pos.Setup, error) {
	return storeSetupIn(ctx, s.r, storeID)
}

// storeSetupIn reads a store's setup through q (a transaction or a pool).
func storeSetupIn(ctx context.Context, q queryRower, storeID string) (pos.Setup, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT payload FROM changes WHERE dataset = ? AND store_id = ? AND key = 'setup' AND deleted = 0`,
		api.DatasetConfig, storeID).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return pos.Setup{}, fmt.Errorf("store %s has no setup on the server: %w", storeID, ErrNotFound)
	}
	if err != nil {
		return pos.Setup{}, err
	}
	var c api.Change
	if err := json.Unmarshal([]byte(raw), &c); err != nil || c.Setup == nil {
		return pos.Setup{}, fmt.Errorf("store %s's setup on the server is unreadable", storeID)
	}
	return apimap.SetupFrom(*c.Setup), nil
}

// zoneOf is a store's time zone (UTC when unset or unknown).
func zoneOf(name string) *time.Location {
	if name == "" {
		return time.UTC
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.UTC
}
