package agecheck_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/extensions"
	"github.com/opentill/opentill/extensions/agecheck"
	"github.com/opentill/opentill/extensions/exttest"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/poserr"
)

const (
	beer = "4000000000181" // Pilsner Beer 0.5 L, category Beer
	wine = "4000000000198" // Rioja, category Wine
	milk = "4000000000013"
)

func host(t *testing.T, cfg string) *exttest.Host {
	h := exttest.New(t, exttest.Options{Only: []string{agecheck.ID}, Configs: map[string]json.RawMessage{agecheck.ID: json.RawMessage(cfg)}})
	h.SignIn("1001", "1234")
	return h
}

func TestTheCashierConfirmsTheAgeOncePerTransaction(t *testing.T) {
	h := host(t, "")
	h.Must(pos.ProductSale{Barcode: milk})
	sale := pos.ProductSale{Barcode: beer}
	_, err := h.Do(sale)
	q := exttest.Question(err)
	require.NotNil(t, q, "a beer needs the age check: %v", err)
	assert.Equal(t, agecheck.ID, q.Extension)
	assert.Contains(t, q.Panel.Message.In("de"), "mindestens 18")
	assert.Len(t, h.Cart().Lines, 1, "nothing is sold before the answer")

	res, err := h.Answer(sale, err, "yes", nil)
	require.NoError(t, err)
	assert.Len(t, res.Cart.Lines, 2)
	h.Must(pos.ProductSale{Barcode: wine}) // confirmed for this transaction
	assert.Len(t, h.Cart().Lines, 3)

	j := h.Journal()
	require.Len(t, j, 1)
	assert.Equal(t, "answer", j[0].Data["event"])
	assert.Equal(t, "accepted", j[0].Data["verdict"])
	assert.Equal(t, h.Cart().ID, j[0].TxnID)
	assert.Equal(t, "1001", j[0].Operator)

	done := h.Must(pos.PayCashExact{})
	require.NotNil(t, done.Completed)
	_, err = h.Do(pos.ProductSale{Barcode: beer})
	assert.NotNil(t, exttest.Question(err), "a new transaction asks again")
}

func TestUnder18RefusesTheLineWithATranslatedMessage(t *testing.T) {
	h := host(t, `{"categories": ["Wine"], "min_age": 16}`)
	h.Must(pos.ProductSale{Barcode: beer}) // beer is not listed in this store
	sale := pos.ProductSale{Barcode: wine}
	_, err := h.Do(sale)
	_, err = h.Answer(sale, err, "no", nil)
	require.Error(t, err)
	assert.Equal(t, poserr.Cancelled, poserr.KindOf(err))
	var ref *pos.Refusal
	require.ErrorAs(t, err, &ref)
	assert.Contains(t, ref.Localized("fr"), "moins de 16")
	assert.Len(t, h.Cart().Lines, 1)
	j := h.Journal()
	require.Len(t, j, 1)
	assert.Equal(t, "refused", j[0].Data["verdict"])
}

func TestConfigIsCheckedAtStart(t *testing.T) {
	for name, tc := range map[string]struct{ cfg, want string }{
		"unknown field": {`{"min_age": 18, "categorys": []}`, "unknown field"},
		"no categories": {`{"categories": []}`, "no categories"},
		"silly age":     {`{"min_age": 150}`, "between 1 and 99"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := exttest.Build(exttest.Options{Only: []string{agecheck.ID}, Configs: map[string]json.RawMessage{agecheck.ID: json.RawMessage(tc.cfg)}})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), agecheck.ID)
		})
	}
}

func TestRegisteredFromInit(t *testing.T) {
	info, ok := extensions.Lookup(agecheck.ID)
	require.True(t, ok)
	assert.Equal(t, "go", info.Tier)
	assert.Panics(t, func() { extensions.Register(info) }, "a duplicate ID panics")
}
