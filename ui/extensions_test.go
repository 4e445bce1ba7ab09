package ui

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/prompt"
)

const beer = "4000000000181" // Pilsner Beer 0.5 L in the demo catalog

// ageHook asks before a beer is sold, as extensions/agecheck does (the UI
// sees only the register, so the test hooks it directly).
func ageHook(t *testing.T, r *rig) {
	require.NoError(t, r.reg.AddHook(pos.Hook{Extension: "acme.age", Ops: []pos.OpID{pos.OpProductSale},
		Pre: func(_ context.Context, _ pos.Operation, v pos.View) error {
			if v.Product == nil || v.Product.Category != "Beer" {
				return nil
			}
			switch v.Answers.Button() {
			case "yes":
				return nil
			case "no":
				return pos.Refuse(prompt.Text{"en": "Not sold: under 18.", "de": "Nicht verkauft: unter 18."})
			}
			return pos.AskOperator(prompt.Panel{ID: "age", Title: prompt.Text{"en": "Age check"},
				Message: prompt.Text{"en": "Is the customer 18 or older?"},
				Fields:  []prompt.Field{{ID: "year", Label: prompt.Text{"en": "Year of birth"}, Kind: prompt.NumberField}},
				Buttons: []prompt.Button{{ID: "yes", Label: prompt.Text{"en": "18 or older"}}, {ID: "no", Label: prompt.Text{"en": "Under 18"}, Cancel: true}}})
		}}))
}

func TestAnExtensionsQuestionIsAskedAndAnswered(t *testing.T) {
	r := newRig(t)
	ageHook(t, r)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	r.scan(beer)
	require.NotNil(t, r.ui.ExtensionPanel(), "the question is shown")
	assert.Contains(t, r.overlayText(), "Is the customer 18 or older?")
	assert.Nil(t, r.reg.Cart(), "nothing sold before the answer")
	r.tap("18 or older")
	c := r.reg.Cart()
	require.NotNil(t, c)
	require.Len(t, c.Lines, 1)

	r.scan(beer)
	r.key("Escape") // the cancel button: under 18
	assert.Contains(t, r.overlayText(), "Not sold: under 18.")
	assert.Len(t, r.reg.Cart().Lines, 1)
}

func TestAFailedExtensionIsReportedAndTheSaleGoesOn(t *testing.T) {
	r := newRig(t)
	require.NoError(t, r.reg.AddHook(pos.Hook{Extension: "acme.broken", Ops: []pos.OpID{pos.OpProductSale},
		Pre: func(context.Context, pos.Operation, pos.View) error { panic("bug") }}))
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	r.scan(beer)
	require.Len(t, r.reg.Cart().Lines, 1, "the sale goes on")
	assert.Contains(t, r.ui.ExtensionNotice("acme.broken"), "acme.broken failed and is switched off")
}

func TestACustomOperationsPanelIsShown(t *testing.T) {
	r := newRig(t, german)
	r.signInSelling("1001", "1234")
	r.ui.showSell()
	r.ui.showResultPanel(pos.Result{Panel: &prompt.Panel{ID: "card", Title: prompt.Text{"en": "Stamp card", "de": "Stempelkarte"},
		Items:   []prompt.Item{{Label: prompt.Text{"en": "Stamps", "de": "Stempel"}, Value: prompt.Text{"en": "7 / 10"}}},
		Buttons: []prompt.Button{{ID: "ok", Label: prompt.Text{"en": "OK"}}}}})
	text := r.overlayText()
	assert.Contains(t, text, "Stempel")
	assert.Contains(t, text, "7 / 10")
	r.tap("OK")
	assert.Nil(t, r.ui.Dialog())
}

// stampOp stands for extensions/stampcard's operation 5001 (ui does not
// import extensions).
type stampOp struct{}

func (stampOp) OpID() pos.OpID { return pos.FirstCustomOp + 1 }

func TestAnExtensionsButtonSitsOnTheGridOnlyWhenTheTillCarriesIt(t *testing.T) {
	g, err := LoadButtonGrid("sell", pos.NewRegistry())
	require.NoError(t, err)
	for _, b := range g.Buttons {
		assert.NotEqual(t, pos.FirstCustomOp+1, b.Op)
	}
	ops := pos.NewRegistry()
	require.NoError(t, pos.Add(ops, pos.OpSpec{ID: pos.FirstCustomOp + 1, Name: "Stamp card", Offline: true},
		func(context.Context, pos.State, stampOp) (pos.Result, error) { return pos.Result{}, nil }))
	g2, err := LoadButtonGrid("sell", ops)
	require.NoError(t, err)
	assert.Len(t, g2.Buttons, len(g.Buttons)+1)
}
