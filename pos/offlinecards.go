package pos

import (
	"context"
	"errors"
	"time"

	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/tender"
)

// OpForwardCards forwards the card payments taken offline (OpenTill's own
// number).
const OpForwardCards OpID = 4070

// ForwardCards has the terminal forward the card payments it stored while
// the processor was unreachable, and records how each came out.
type ForwardCards struct{}

// OpID of ForwardCards.
func (ForwardCards) OpID() OpID { return OpForwardCards }

// ForwardInfo is what forwarding did: the processor's answers, the
// payments it declined (the store's to follow up) and those still waiting.
type ForwardInfo struct {
	Results  []tender.Forwarded
	Declined []OfflineCard
	Pending  []OfflineCard
}

// offlineCard takes a card payment on a terminal that stores and forwards,
// when the store allows it and within its caps (a manager lets it past
// them); cause is the terminal's answer that the processor is unreachable.
func (r *Register) offlineCard(ctx context.Context, req tender.Request, cause error) (tender.Approval, string, error) {
	saf, ok := r.opt.Terminal.(tender.StoreAndForward)
	pol := r.setup.OfflineCards
	if !ok || pol == nil || pol.MaxPerSale <= 0 {
		return tender.Approval{}, "", poserr.Wrap(cause, poserr.Device, "error.card.processor_offline",
			"the card processor cannot be reached and this till takes no card payments offline: take another payment")
	}
	hours := pol.WindowHours
	if hours <= 0 {
		hours = 24
	}
	outstanding, window, err := r.store.OfflineCardTotals(ctx, r.opt.Now().UTC().Add(-time.Duration(hours)*time.Hour))
	if err != nil {
		return tender.Approval{}, "", err
	}
	over := req.Amount > pol.MaxPerSale || (pol.MaxPerTill > 0 && outstanding+req.Amount > pol.MaxPerTill) ||
		(pol.MaxPerWindow > 0 && window+req.Amount > pol.MaxPerWindow)
	approver := ""
	if over {
		switch {
		case r.auth != nil && r.auth.approver != nil:
			approver = r.auth.approver.ID
		case r.role.Manager:
			approver = r.operator.ID
		default:
			e := poserr.E(poserr.LimitExceeded, "error.card.offline_cap",
				"the card processor cannot be reached and %s is beyond what this till takes offline (%s a payment, %s waiting to be forwarded): a manager can approve it",
				r.amountFmt(req.Amount), r.amountFmt(pol.MaxPerSale), r.amountFmt(outstanding))
			e.Args = map[string]any{"amount": r.amountFmt(req.Amount), "max": r.amountFmt(pol.MaxPerSale), "waiting": r.amountFmt(outstanding)}
			return tender.Approval{}, "", e
		}
	}
	var ap tender.Approval
	r.atTerminal(func() { ap, err = saf.AuthorizeOffline(ctx, req) })
	if err != nil {
		return tender.Approval{}, "", err
	}
	ap.Offline = true
	return ap, approver, nil
}

// forwardCards runs op 4070.
func (r *Register) forwardCards(ctx context.Context) (Result, error) {
	saf, ok := r.opt.Terminal.(tender.StoreAndForward)
	if !ok {
		return Result{}, poserr.E(poserr.Conflict, "error.card.no_forward", "this till's payment terminal does not store and forward card payments")
	}
	var res []tender.Forwarded
	var err error
	r.atTerminal(func() { res, err = saf.Forward(ctx) })
	if errors.Is(err, tender.ErrProcessorUnreachable) {
		return Result{}, poserr.Wrap(err, poserr.Offline, "error.card.forward_offline", "the card processor still cannot be reached: the payments stay on the terminal; try again later")
	}
	if err != nil {
		return Result{}, err
	}
	info := &ForwardInfo{Results: res}
	if len(res) > 0 {
		e := r.entry(journal.CardForward, OpForwardCards)
		if err := e.SetPayload(res); err != nil {
			return Result{}, err
		}
		if err := r.store.RecordForwarded(ctx, res, e); err != nil {
			return Result{}, err
		}
	}
	declined := map[string]bool{}
	for _, f := range res {
		if !f.Approved {
			declined[f.Reference] = true
		}
	}
	all, err := r.store.OfflineCards(ctx, false)
	if err != nil {
		return Result{}, err
	}
	for _, c := range all {
		switch {
		case declined[c.Reference]:
			info.Declined = append(info.Declined, c)
		case !c.Forwarded:
			info.Pending = append(info.Pending, c)
		}
	}
	return Result{Forward: info}, nil
}

func offlineCardOps(g *Registry) {
	builtin(g, OpSpec{ID: OpForwardCards, Name: "Forward offline card payments", Permission: perm(OpForwardCards), Offline: true, Group: GroupCash,
		Doc: "Have the payment terminal forward the card payments it took while the processor was unreachable; the processor's answers are journaled and those it declined listed."},
		func(r *Register, ctx context.Context, _ ForwardCards, _ *authority) (Result, error) {
			return r.forwardCards(ctx)
		})
}
