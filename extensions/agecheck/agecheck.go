// Package agecheck is an example Go extension: before an alcohol or tobacco
// product is sold, the cashier confirms the customer is old enough. The
// question is asked once per transaction (a transaction that already holds
// a restricted line was confirmed); the answer and the verdict are
// journaled by the register; "no" refuses the sale with a translated
// message. If the extension fails, the sale of that line is cancelled
// (policy cancel) and the extension is switched off for the session.
//
// Config (DATA/extensions/config/opentill.agecheck.json, optional):
//
//	{"categories": ["Beer", "Wine", "Spirits", "Tobacco"], "min_age": 18}
package agecheck

import (
	"context"
	"fmt"
	"strings"

	"github.com/opentill/opentill/extensions"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/prompt"
)

// ID is the extension's ID.
const ID = "opentill.agecheck"

func init() {
	extensions.Register(extensions.Info{ID: ID, Name: "Age check", Version: "1.0.0", New: func() extensions.Extension { return New() }})
}

// Config is the extension's config.
type Config struct {
	Categories []string `json:"categories"` // product categories that need the check
	MinAge     int      `json:"min_age"`
}

// AgeCheck is the extension.
type AgeCheck struct {
	cfg        Config
	restricted map[string]bool // lower-cased categories
}

// New returns an unprovisioned age check.
func New() *AgeCheck { return &AgeCheck{} }

// ExtensionInfo describes the extension.
func (*AgeCheck) ExtensionInfo() extensions.Info {
	return extensions.Info{ID: ID, Name: "Age check", Version: "1.0.0", New: func() extensions.Extension { return New() }}
}

// Provision reads the config; the defaults are the demo store's drinks.
func (a *AgeCheck) Provision(_ context.Context, pc extensions.ProvisionContext) error {
	a.cfg = Config{Categories: []string{"Beer", "Wine", "Spirits", "Tobacco"}, MinAge: 18}
	if err := pc.Decode(&a.cfg); err != nil {
		return err
	}
	a.restricted = map[string]bool{}
	for _, c := range a.cfg.Categories {
		a.restricted[strings.ToLower(strings.TrimSpace(c))] = true
	}
	return nil
}

// Validate checks the config.
func (a *AgeCheck) Validate() error {
	if len(a.restricted) == 0 {
		return fmt.Errorf("no categories: list the product categories that need an age check")
	}
	if a.cfg.MinAge < 1 || a.cfg.MinAge > 99 {
		return fmt.Errorf("min_age %d: give an age between 1 and 99", a.cfg.MinAge)
	}
	return nil
}

// Hooks: product sales; a failure cancels the line (and the check is off
// for the session, which the screen and the journal say).
func (*AgeCheck) Hooks() extensions.Hooks {
	return extensions.Hooks{Ops: []pos.OpID{pos.OpProductSale}, Policy: pos.FailCancel}
}

// PreOperation asks the cashier before the first restricted line of a
// transaction.
func (a *AgeCheck) PreOperation(_ context.Context, _ pos.Operation, v pos.View) error {
	if v.Product == nil || !a.restricted[strings.ToLower(v.Product.Category)] {
		return nil
	}
	if c := v.Cart(); c != nil {
		for _, l := range c.Active() {
			if a.restricted[strings.ToLower(l.Category)] && l.Qty > 0 {
				return nil // confirmed for this transaction already
			}
		}
	}
	switch v.Answers.Button() {
	case "yes":
		return nil
	case "no":
		return pos.Refuse(prompt.Text{
			"en": fmt.Sprintf("%s was not sold: the customer is under %d.", v.Product.Name, a.cfg.MinAge),
			"de": fmt.Sprintf("%s wurde nicht verkauft: Die Kundin oder der Kunde ist unter %d.", v.Product.Name, a.cfg.MinAge),
			"fr": fmt.Sprintf("%s n'a pas été vendu : le client a moins de %d ans.", v.Product.Name, a.cfg.MinAge),
			"es": fmt.Sprintf("%s no se ha vendido: el cliente es menor de %d años.", v.Product.Name, a.cfg.MinAge),
		})
	}
	return pos.AskOperator(a.panel(v.Product.Name))
}

func (a *AgeCheck) panel(product string) prompt.Panel {
	n := a.cfg.MinAge
	return prompt.Panel{
		ID:    "age",
		Title: prompt.Text{"en": "Age check", "de": "Alterskontrolle", "fr": "Contrôle de l'âge", "es": "Control de edad"},
		Message: prompt.Text{
			"en": fmt.Sprintf("%s: is the customer at least %d? Ask for ID when in doubt.", product, n),
			"de": fmt.Sprintf("%s: Ist die Kundin oder der Kunde mindestens %d? Im Zweifel Ausweis zeigen lassen.", product, n),
			"fr": fmt.Sprintf("%s : le client a-t-il au moins %d ans ? En cas de doute, demandez une pièce d'identité.", product, n),
			"es": fmt.Sprintf("%s: ¿tiene el cliente al menos %d años? En caso de duda, pida un documento.", product, n),
		},
		Buttons: []prompt.Button{
			{ID: "yes", Label: prompt.Text{"en": fmt.Sprintf("%d or older", n), "de": fmt.Sprintf("%d oder älter", n), "fr": fmt.Sprintf("%d ans ou plus", n), "es": fmt.Sprintf("%d o más", n)}},
			{ID: "no", Cancel: true, Label: prompt.Text{"en": fmt.Sprintf("Under %d", n), "de": fmt.Sprintf("Unter %d", n), "fr": fmt.Sprintf("Moins de %d ans", n), "es": fmt.Sprintf("Menor de %d", n)}},
		},
	}
}

// Interface guards.
var (
	_ extensions.Provisioner = (*AgeCheck)(nil)
	_ extensions.Validator   = (*AgeCheck)(nil)
	_ extensions.Hooked      = (*AgeCheck)(nil)
	_ extensions.PreTrigger  = (*AgeCheck)(nil)
)
