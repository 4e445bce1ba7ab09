// Package stampcard is an example Go extension: a coffee-shop stamp card.
// Every completed sale to a customer (at least MinTotal) earns a stamp; the
// receipt's footer shows the customer's stamps; operation 5001 (Stamp card)
// shows the card of the customer on the sale as a panel. A full card is
// announced on the receipt and starts again. The stamps live in the
// extension's state (DATA/extensions/state/opentill.stampcard.json), so they
// survive a restart and need no server.
package stampcard

import (
	"context"
	"fmt"
	"strconv"

	"github.com/opentill/opentill/extensions"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/cart"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
	"github.com/opentill/opentill/pos/prompt"
	"github.com/opentill/opentill/pos/staff"
)

// ID is the extension's ID.
const ID = "opentill.stampcard"

// OpStampCard is the extension's operation: show the customer's stamp card.
const OpStampCard = pos.FirstCustomOp + 1

func init() {
	extensions.Register(extensions.Info{ID: ID, Name: "Stamp card", Version: "1.0.0", New: func() extensions.Extension { return New() }})
}

// ShowCard is operation 5001.
type ShowCard struct{}

// OpID is 5001.
func (ShowCard) OpID() pos.OpID { return OpStampCard }

// Config is the extension's config.
type Config struct {
	Stamps   int          `json:"stamps"`    // stamps that fill a card
	MinTotal money.Amount `json:"min_total"` // the least a sale earns a stamp with, in minor units
}

// StampCard is the extension.
type StampCard struct {
	cfg   Config
	state extensions.State
}

// New returns an unprovisioned stamp card.
func New() *StampCard { return &StampCard{} }

// ExtensionInfo describes the extension.
func (*StampCard) ExtensionInfo() extensions.Info {
	return extensions.Info{ID: ID, Name: "Stamp card", Version: "1.0.0", New: func() extensions.Extension { return New() }}
}

// Provision reads the config (default: 10 stamps, any amount) and takes the state.
func (s *StampCard) Provision(_ context.Context, pc extensions.ProvisionContext) error {
	s.cfg = Config{Stamps: 10, MinTotal: 1}
	if err := pc.Decode(&s.cfg); err != nil {
		return err
	}
	s.state = pc.State
	return nil
}

// Validate checks the config.
func (s *StampCard) Validate() error {
	if s.cfg.Stamps < 2 || s.cfg.Stamps > 100 {
		return fmt.Errorf("stamps %d: a card holds between 2 and 100 stamps", s.cfg.Stamps)
	}
	return nil
}

// Operations registers 5001 with its own permission; it works offline.
func (s *StampCard) Operations(g *pos.Registry) error {
	return pos.Add(g, pos.OpSpec{ID: OpStampCard, Name: "Stamp card", Doc: "Show the stamp card of the customer on the sale (extension opentill.stampcard).",
		Permission: staff.Permission(OpStampCard), Offline: true, Group: pos.GroupCustomer},
		func(_ context.Context, st pos.State, _ ShowCard) (pos.Result, error) {
			if st.Cart == nil || st.Cart.Customer == "" {
				return pos.Result{}, poserr.E(poserr.Conflict, "error.stampcard.no_customer", "add the customer to the sale first, then show their stamp card")
			}
			n, err := s.stamps(st.Cart.Customer)
			if err != nil {
				return pos.Result{}, err
			}
			return pos.Result{Panel: s.panel(st.Cart.CustomerName, n)}, nil
		})
}

// Hooks: the payments that complete a sale.
func (*StampCard) Hooks() extensions.Hooks {
	return extensions.Hooks{Ops: []pos.OpID{pos.OpPayCash, pos.OpPayCashExact, pos.OpPayCard}}
}

// PostOperation stamps the card when a sale to a customer completed.
func (s *StampCard) PostOperation(_ context.Context, _ pos.Operation, res pos.Result, opErr error, _ pos.View) ([]pos.Operation, error) {
	c := res.Completed
	if opErr != nil || !s.earns(c) {
		return nil, nil
	}
	n, err := s.stamps(c.Customer)
	if err != nil {
		return nil, err
	}
	n = (n + 1) % s.cfg.Stamps
	return nil, s.state.Put(c.Customer, n)
}

// ReceiptLines prints the stamps after this sale in the footer.
func (s *StampCard) ReceiptLines(_ context.Context, c *cart.Cart, v pos.View) (pos.ReceiptLines, error) {
	if !s.earns(c) {
		return pos.ReceiptLines{}, nil
	}
	n, err := s.stamps(c.Customer)
	if err != nil {
		return pos.ReceiptLines{}, err
	}
	n++
	line := prompt.Text{
		"en": fmt.Sprintf("Stamp card: %d of %d", n, s.cfg.Stamps), "de": fmt.Sprintf("Stempelkarte: %d von %d", n, s.cfg.Stamps),
		"fr": fmt.Sprintf("Carte de fidélité : %d sur %d", n, s.cfg.Stamps), "es": fmt.Sprintf("Tarjeta de sellos: %d de %d", n, s.cfg.Stamps),
	}
	if n >= s.cfg.Stamps {
		line = prompt.Text{"en": "Stamp card full: your next coffee is on us!", "de": "Stempelkarte voll: Der nächste Kaffee geht aufs Haus!",
			"fr": "Carte complète : le prochain café est offert !", "es": "Tarjeta completa: ¡el próximo café es gratis!"}
	}
	return pos.ReceiptLines{Footer: []string{line.In(v.Language)}}, nil
}

func (s *StampCard) earns(c *cart.Cart) bool {
	return c != nil && c.Status == cart.Completed && c.Customer != "" && c.Totals.Total >= s.cfg.MinTotal
}

func (s *StampCard) stamps(customer string) (int, error) {
	var n int
	if _, err := s.state.Get(customer, &n); err != nil {
		return 0, fmt.Errorf("reading the stamps of customer %s: %w", customer, err)
	}
	return n, nil
}

func (s *StampCard) panel(name string, n int) *prompt.Panel {
	of := strconv.Itoa(n) + " / " + strconv.Itoa(s.cfg.Stamps)
	return &prompt.Panel{
		ID:    "card",
		Title: prompt.Text{"en": "Stamp card", "de": "Stempelkarte", "fr": "Carte de fidélité", "es": "Tarjeta de sellos"},
		Items: []prompt.Item{
			{Label: prompt.Text{"en": "Customer", "de": "Kunde", "fr": "Client", "es": "Cliente"}, Value: prompt.Text{"en": name}},
			{Label: prompt.Text{"en": "Stamps", "de": "Stempel", "fr": "Tampons", "es": "Sellos"}, Value: prompt.Text{"en": of}},
		},
		Buttons: []prompt.Button{{ID: "ok", Label: prompt.Text{"en": "OK"}}},
	}
}

// Interface guards.
var (
	_ extensions.Provisioner    = (*StampCard)(nil)
	_ extensions.Validator      = (*StampCard)(nil)
	_ extensions.Operations     = (*StampCard)(nil)
	_ extensions.PostTrigger    = (*StampCard)(nil)
	_ extensions.ReceiptFielder = (*StampCard)(nil)
)
