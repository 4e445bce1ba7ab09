package pos

import (
	"context"
	"sort"
	"strings"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/inventory"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/poserr"
)

// Document operations (the anchor's numbers; docs/inventory.md).
const (
	OpInboundOrder  OpID = 804 // receive purchase and transfer orders
	OpOutboundOrder OpID = 805 // transfers: request, ship
)

// DocAction is what an inbound or outbound operation does.
type DocAction string

// Document actions.
const (
	DocList    DocAction = ""        // list the documents
	DocOpen    DocAction = "open"    // show a document (DocID)
	DocScan    DocAction = "scan"    // one more of a product now (Qty: that many instead)
	DocSet     DocAction = "set"     // the quantity of a product now (0 takes it off)
	DocPost    DocAction = "post"    // inbound: receive what was scanned (Close: close the document short)
	DocNew     DocAction = "new"     // outbound: a transfer from this store to Store
	DocRequest DocAction = "request" // outbound: ask Store to send this store goods
	DocSend    DocAction = "send"    // outbound: send a new transfer (its shipment too, when this store ships it)
	DocShip    DocAction = "ship"    // outbound: ship what was scanned of a transfer
)

// InboundOrder receives goods (op 804): purchase orders and shipped
// transfers delivered by the store server, offline too; a scan receives
// one more (a quantity can be keyed), within the store's over-receipt
// tolerance; post books what was scanned (a partial receipt leaves the
// rest due; Close closes the document short, within the under-receipt
// tolerance) and sends it to the server.
type InboundOrder struct {
	Action             DocAction
	DocID              string
	Barcode, ProductID string
	Qty                catalog.Qty
	Close              bool
}

// OutboundOrder moves goods between stores (op 805): a new transfer to
// another store (scanned, then sent and shipped at once), a request to
// another store to send goods, or the shipment of a transfer the server
// delivered.
type OutboundOrder struct {
	Action             DocAction
	DocID              string
	Store              string // the other store (new, request)
	Barcode, ProductID string
	Qty                catalog.Qty
}

// OpID implements Operation.
func (InboundOrder) OpID() OpID { return OpInboundOrder }

// OpID implements Operation.
func (OutboundOrder) OpID() OpID { return OpOutboundOrder }

// DocInfo is a document as the operations return it.
type DocInfo struct {
	Doc  inventory.Doc
	Work []inventory.PostLine // being received or shipped now on this device
	// Names are the products' names by ID (the document's and the work's).
	Names map[string]string
	Line  *inventory.PostLine // the line just scanned
	Post  *inventory.DocPost  // what was just posted
}

// Inbound reports whether this store receives the document.
func (r *Register) inbound(d inventory.Doc) bool { return d.To == r.setup.StoreID }

func (r *Register) docInfo(ctx context.Context, id string) (*DocInfo, error) {
	if strings.TrimSpace(id) == "" {
		return nil, poserr.E(poserr.Invalid, "error.doc.none", "pick a document")
	}
	d, work, err := r.store.StockDoc(ctx, id)
	if err != nil {
		return nil, err
	}
	info := &DocInfo{Doc: d, Work: work, Names: map[string]string{}}
	for _, l := range d.Lines {
		info.Names[l.ProductID] = ""
	}
	for _, l := range work {
		info.Names[l.ProductID] = ""
	}
	for id := range info.Names {
		p, err := r.store.ByID(ctx, id)
		if err != nil && !poserr.Is(err, poserr.NotFound) {
			return nil, err
		}
		info.Names[id] = p.Name
	}
	return info, nil
}

// docs lists the documents this store receives (in) or ships (out), the
// ones to work on first.
func (r *Register) docs(ctx context.Context, in bool) ([]inventory.Doc, error) {
	all, err := r.store.StockDocs(ctx)
	if err != nil {
		return nil, err
	}
	var out []inventory.Doc
	for _, d := range all {
		if r.inbound(d) == in {
			out = append(out, d)
		}
	}
	rank := func(d inventory.Doc) int {
		switch {
		case in && d.Receivable(), !in && d.Shippable():
			return 0
		case d.Status() == inventory.DocReceived:
			return 2
		}
		return 1
	}
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := rank(out[i]), rank(out[j]); a != b {
			return a < b
		}
		return out[i].Created.After(out[j].Created)
	})
	return out, nil
}

func (r *Register) inboundOrder(ctx context.Context, o InboundOrder) (Result, error) {
	switch o.Action {
	case DocList:
		ds, err := r.docs(ctx, true)
		return Result{Docs: ds}, err
	case DocOpen:
		info, err := r.docInfo(ctx, o.DocID)
		return Result{Doc: info}, err
	case DocScan, DocSet, DocPost:
	default:
		return Result{}, poserr.E(poserr.Invalid, "error.doc.action", "unknown receiving action %q", string(o.Action))
	}
	info, err := r.docInfo(ctx, o.DocID)
	if err != nil {
		return Result{}, err
	}
	d := info.Doc
	if !r.inbound(d) {
		return Result{}, docError("error.doc.not_inbound", "%s is not received at this store", d)
	}
	if !d.Receivable() {
		if d.Status() == inventory.DocReceived {
			return Result{}, docError("error.doc.received", "%s is received in full: nothing more is due", d)
		}
		return Result{}, docError("error.doc.not_shipped", "%s is not shipped yet: receive it when it is", d)
	}
	set := r.stockSettings()
	if o.Action == DocPost {
		return r.postReceipt(ctx, info, o.Close, set)
	}
	p, qty, err := r.docQty(ctx, o.Action, o.Barcode, o.ProductID, o.Qty)
	if err != nil {
		return Result{}, err
	}
	now := workQty(info.Work, p.ID)
	if o.Action == DocScan {
		now += qty
	} else {
		now = qty
	}
	if err := set.CheckReceipt(d, p.ID, now); err != nil {
		re := err.(*inventory.ReceiptError)
		pe := poserr.E(poserr.Conflict, "error.doc.over", "%s", re.Msg)
		pe.Args = map[string]any{"product": p.Name, "number": d.Number, "limit": r.qtyText(re.Limit, p)}
		return Result{}, pe
	}
	l, err := r.store.WorkDoc(ctx, d.ID, p.ID, qty, o.Action == DocScan, r.opt.Now().UTC())
	if err != nil {
		return Result{}, err
	}
	info.Line = &l
	info.Work = setWork(info.Work, l)
	info.Names[p.ID] = p.Name
	return Result{Doc: info, Product: &p}, nil
}

// qtyText is a quantity for a message, in the product's unit decimals.
func (r *Register) qtyText(q catalog.Qty, p catalog.Product) string {
	return q.Format(p.UnitDecimals()) + " " + p.Unit
}

// docQty reads the product and quantity of a scan or a keyed quantity.
func (r *Register) docQty(ctx context.Context, act DocAction, code, id string, qty catalog.Qty) (catalog.Product, catalog.Qty, error) {
	p, err := r.stockProduct(ctx, code, id)
	if err != nil {
		return p, 0, err
	}
	switch {
	case act == DocScan && qty == 0:
		qty = catalog.One
	case qty < 0 || (act == DocScan && qty <= 0):
		return p, 0, poserr.E(poserr.Invalid, "error.doc.qty", "type a quantity of 0 or more")
	}
	if err := r.checkQty(p.Name, p.UnitDecimals(), max(qty, catalog.One)); err != nil {
		return p, 0, err
	}
	return p, qty, nil
}

func workQty(work []inventory.PostLine, productID string) catalog.Qty {
	for _, l := range work {
		if l.ProductID == productID {
			return l.Qty
		}
	}
	return 0
}

func setWork(work []inventory.PostLine, l inventory.PostLine) []inventory.PostLine {
	out := work[:0:0]
	for _, w := range work {
		if w.ProductID != l.ProductID {
			out = append(out, w)
		}
	}
	if l.Qty > 0 {
		out = append(out, l)
	}
	return out
}

// docError is a refusal that names the document.
func docError(key, format string, d inventory.Doc) error {
	pe := poserr.E(poserr.Conflict, key, format, d.Number)
	pe.Args = map[string]any{"number": d.Number}
	return pe
}

func (r *Register) postReceipt(ctx context.Context, info *DocInfo, closeShort bool, set inventory.Settings) (Result, error) {
	d := info.Doc
	if len(info.Work) == 0 && !closeShort {
		return Result{}, docError("error.doc.nothing", "nothing is scanned on %s: scan what came, then post", d)
	}
	if closeShort {
		now := map[string]catalog.Qty{}
		for _, l := range info.Work {
			now[l.ProductID] = l.Qty
		}
		if err := set.CheckClose(d, now); err != nil {
			re := err.(*inventory.ReceiptError)
			pe := poserr.E(poserr.Conflict, "error.doc.under", "%s", re.Msg)
			p, _ := r.store.ByID(ctx, re.ProductID)
			pe.Args = map[string]any{"product": p.Name, "number": d.Number, "least": r.qtyText(re.Limit, p)}
			return Result{}, pe
		}
	}
	p := inventory.DocPost{ID: r.opt.NewID(), DocID: d.ID, Kind: inventory.Receiving, Lines: info.Work, Close: closeShort,
		Operator: r.operator.ID, At: r.opt.Now().UTC()}
	if err := r.store.PostDoc(ctx, p, r.entry(journal.StockReceipt, OpInboundOrder)); err != nil {
		return Result{}, err
	}
	d.Apply(p)
	info.Doc, info.Work, info.Post = d, nil, &p
	return Result{Doc: info}, nil
}

func (r *Register) outboundOrder(ctx context.Context, o OutboundOrder) (Result, error) {
	switch o.Action {
	case DocList:
		ds, err := r.docs(ctx, false)
		if err != nil {
			return Result{}, err
		}
		// the requests this store sent wait at the other store: list them too
		in, err := r.docs(ctx, true)
		for _, d := range in {
			if d.Kind == inventory.TransferOrder && d.Status() == inventory.DocOpen {
				ds = append(ds, d)
			}
		}
		return Result{Docs: ds}, err
	case DocOpen:
		info, err := r.docInfo(ctx, o.DocID)
		return Result{Doc: info}, err
	case DocNew, DocRequest:
		other := strings.TrimSpace(o.Store)
		if other == "" || other == r.setup.StoreID {
			return Result{}, poserr.E(poserr.Invalid, "error.doc.store", "name the other store (its ID)")
		}
		d := inventory.Doc{ID: r.opt.NewID(), Kind: inventory.TransferOrder, From: r.setup.StoreID, FromName: r.setup.StoreName, To: other,
			Created: r.opt.Now().UTC()}
		if o.Action == DocRequest {
			d.From, d.FromName, d.To, d.ToName = other, "", r.setup.StoreID, r.setup.StoreName
		}
		d.Number = "TO-" + strings.ToUpper(d.ID[len(d.ID)-6:])
		if err := r.store.StartTransfer(ctx, d); err != nil {
			return Result{}, err
		}
		return Result{Doc: &DocInfo{Doc: d, Names: map[string]string{}}}, nil
	case DocScan, DocSet, DocShip, DocSend:
	default:
		return Result{}, poserr.E(poserr.Invalid, "error.doc.action", "unknown transfer action %q", string(o.Action))
	}
	info, err := r.docInfo(ctx, o.DocID)
	if err != nil {
		return Result{}, err
	}
	d := info.Doc
	if d.Kind != inventory.TransferOrder || d.Status() != inventory.DocOpen {
		return Result{}, docError("error.doc.not_open", "%s is shipped already: nothing more can be sent on it", d)
	}
	ships := d.From == r.setup.StoreID
	switch o.Action {
	case DocSend:
		return r.sendTransfer(ctx, info, ships)
	case DocShip:
		if !ships {
			return Result{}, docError("error.doc.not_outbound", "%s is shipped by the other store", d)
		}
		if len(info.Work) == 0 {
			return Result{}, docError("error.doc.nothing", "nothing is scanned on %s: scan what goes, then ship", d)
		}
		if d.Draft {
			return r.sendTransfer(ctx, info, true)
		}
		p := r.shipment(d, info.Work)
		if err := r.store.PostDoc(ctx, p, r.entry(journal.StockShipment, OpOutboundOrder)); err != nil {
			return Result{}, err
		}
		d.Apply(p)
		info.Doc, info.Work, info.Post = d, nil, &p
		return Result{Doc: info}, nil
	}
	if !d.Draft && !ships {
		return Result{}, docError("error.doc.not_outbound", "%s is shipped by the other store", d)
	}
	p, qty, err := r.docQty(ctx, o.Action, o.Barcode, o.ProductID, o.Qty)
	if err != nil {
		return Result{}, err
	}
	l, err := r.store.WorkDoc(ctx, d.ID, p.ID, qty, o.Action == DocScan, r.opt.Now().UTC())
	if err != nil {
		return Result{}, err
	}
	info.Line = &l
	info.Work = setWork(info.Work, l)
	info.Names[p.ID] = p.Name
	return Result{Doc: info, Product: &p}, nil
}

func (r *Register) shipment(d inventory.Doc, work []inventory.PostLine) inventory.DocPost {
	return inventory.DocPost{ID: r.opt.NewID(), DocID: d.ID, Kind: inventory.Shipping, Lines: work, Operator: r.operator.ID, At: r.opt.Now().UTC()}
}

// sendTransfer sends a draft transfer: its scanned lines are what is
// ordered, and, when this store ships it, shipped at once.
func (r *Register) sendTransfer(ctx context.Context, info *DocInfo, ships bool) (Result, error) {
	d := info.Doc
	if !d.Draft {
		return Result{}, docError("error.doc.sent", "%s is sent already", d)
	}
	if len(info.Work) == 0 {
		return Result{}, docError("error.doc.nothing", "nothing is scanned on %s: scan what goes, then ship", d)
	}
	d.Lines = nil
	for _, l := range info.Work {
		d.Lines = append(d.Lines, inventory.DocLine{ProductID: l.ProductID, Ordered: l.Qty})
	}
	var post *inventory.DocPost
	if ships {
		p := r.shipment(d, info.Work)
		post = &p
	}
	if err := r.store.SendTransfer(ctx, d, post, r.entry(journal.StockTransfer, OpOutboundOrder)); err != nil {
		return Result{}, err
	}
	d.Draft = false
	if post != nil {
		d.Apply(*post)
	}
	info.Doc, info.Work, info.Post = d, nil, post
	return Result{Doc: info}, nil
}

func docOps(g *Registry) {
	builtin(g, OpSpec{ID: OpInboundOrder, Name: "Inbound operation", Permission: perm(OpInboundOrder), Offline: true, Group: GroupInventory,
		Doc: "Receive purchase orders and shipped transfers by scanning: quantities per line within the store's over-receipt tolerance, partial receipts, closing short within the under-receipt tolerance; posted through the outbox."},
		func(r *Register, ctx context.Context, o InboundOrder, _ *authority) (Result, error) {
			return r.inboundOrder(ctx, o)
		})
	builtin(g, OpSpec{ID: OpOutboundOrder, Name: "Outbound operation", Permission: perm(OpOutboundOrder), Offline: true, Group: GroupInventory,
		Doc: "Transfers between stores: a new transfer to another store scanned and shipped, a request for goods from another store, or the shipment of a transfer order; in transit at the receiving store until it is received there."},
		func(r *Register, ctx context.Context, o OutboundOrder, _ *authority) (Result, error) {
			return r.outboundOrder(ctx, o)
		})
}
