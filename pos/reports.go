package pos

import (
	"context"
	"errors"
	"strings"

	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/report"
	"github.com/opentill/opentill/pos/shift"
)

// OpViewReports shows the store manager's reports (the anchor's 1003).
// Unlike the anchor's, it works offline: the till's reports come from its
// own journal. The store-wide reports (every till of the store) will need
// the store server.
const OpViewReports OpID = 1003

// ViewReports computes the data of the reports (package pos/report) for a
// period and, if Compare, the same period before (op 1003). Result.Reports
// holds it; every report of the period is built from it.
//
// A period of Range shift with no From names a shift by Shift, or, when
// Shift is empty, the register's shift (or, with none open, the shift
// closed last).
type ViewReports struct {
	Period  report.Period
	Compare bool
	// Store asks the store server for the figures across every till of
	// the store (online; report.StoreNames draw from them).
	Store bool
}

// StoreReportSource answers for a store's figures across its tills; the
// sync engine implements it over the store server. It returns
// poserr.Offline when the server cannot be reached.
type StoreReportSource = report.Store

// OpID of ViewReports.
func (ViewReports) OpID() OpID { return OpViewReports }

// reportOps registers the reports.
func reportOps(g *Registry) {
	builtin(g, OpSpec{ID: OpViewReports, Name: "View reports", Permission: perm(OpViewReports), Offline: true, Group: GroupManager,
		Doc: "Sales, tenders, tax, products, exceptions, promotions, baskets and over/short for a shift, day, week, month or range, from this till's journal (offline too) or, online, across the store from the store server, beside the period before."},
		func(r *Register, ctx context.Context, o ViewReports, _ *authority) (Result, error) {
			return r.viewReports(ctx, o)
		})
}

// reportConfig is the report configuration of the register's store.
func (r *Register) reportConfig(ctx context.Context) report.Config {
	names := map[string]string{}
	return report.Config{Store: r.setup.StoreID, StoreName: r.setup.StoreName, Currency: r.setup.Currency,
		Tenders: r.setup.TenderTypes, TaxGroups: r.setup.TaxGroups, Loc: tzLocation(r.setup.Header.TimeZone),
		Name: func(id string) string {
			if n, ok := names[id]; ok {
				return n
			}
			n := id
			if op, err := r.store.Operator(ctx, id); err == nil && op.Name != "" {
				n = op.Name
			}
			names[id] = n
			return n
		}}
}

func (r *Register) viewReports(ctx context.Context, o ViewReports) (Result, error) {
	src, ok := r.store.(report.Source)
	if !ok {
		return Result{}, poserr.E(poserr.Other, "error.report.no_source", "this till's store cannot give reports")
	}
	cfg := r.reportConfig(ctx)
	p := o.Period
	if p.Range == report.RangeShift && p.From.IsZero() {
		sh, err := r.reportShift(ctx, strings.TrimSpace(p.Shift))
		if err != nil {
			return Result{}, err
		}
		p = report.ForShift(sh, r.opt.Now(), cfg.Loc)
	}
	if !p.To.After(p.From) {
		return Result{}, poserr.E(poserr.Invalid, "error.report.period", "the period is not valid: its end must come after its start")
	}
	if o.Store {
		return r.storeReports(ctx, cfg, p, o.Compare)
	}
	set, err := report.Run(ctx, src, cfg, p, o.Compare)
	if err != nil {
		return Result{}, err
	}
	return Result{Reports: set}, nil
}

// storeReports asks the store server for the period's figures across the
// store's tills (and the period before's).
func (r *Register) storeReports(ctx context.Context, cfg report.Config, p report.Period, compare bool) (Result, error) {
	if r.opt.StoreReports == nil || !r.online() {
		return Result{}, poserr.E(poserr.Offline, "error.report.store_offline", "the whole store's reports need the store server, which cannot be reached: this till's own reports work offline")
	}
	set, err := report.RunStore(ctx, r.opt.StoreReports, cfg, p, compare)
	if errors.Is(err, report.ErrStoreShift) {
		return Result{}, poserr.E(poserr.Invalid, "error.report.store_shift", "a shift is one till's: choose a day, week, month or range for the whole store")
	}
	if err != nil {
		return Result{}, err
	}
	return Result{Reports: set}, nil
}

// reportShift finds the shift a shift report is about: the named one, the
// register's, or the one closed last.
func (r *Register) reportShift(ctx context.Context, id string) (s shift.Shift, err error) {
	if id != "" {
		return r.store.Shift(ctx, id)
	}
	if err := r.attach(ctx); err != nil {
		return s, err
	}
	if r.shifts.cur != nil {
		return *r.shifts.cur, nil
	}
	z, err := r.store.LastZ(ctx)
	if poserr.KindOf(err) == poserr.NotFound || errors.Is(err, ErrNoShift) {
		return s, poserr.E(poserr.NotFound, "error.report.no_shift", "there is no shift on this register to report on")
	}
	if err != nil {
		return s, err
	}
	return r.store.Shift(ctx, z.Shift)
}
