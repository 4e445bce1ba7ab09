package apimap

import (
	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos/storedvalue"
)

// ValidatePage checks a page the till received by the contract's rules
// (api.Page.Validate) and each record by the domain's (CheckRecord). A page
// that fails is not applied.
func ValidatePage(p *api.Page, dataset string, after int64) error {
	return p.ValidateWith(dataset, after, CheckRecord)
}

// CheckRecord reports whether a change (not a removal) that passed the
// contract's checks carries a record the domain takes: a customer its form
// would accept (CheckCustomer), an order that checks (CheckOrder), a
// balance of a known kind on a well-formed number.
func CheckRecord(dataset string, c api.Change) bool {
	switch dataset {
	case api.DatasetCustomers:
		return c.Customer != nil && CheckCustomer(*c.Customer) == nil
	case api.DatasetOrders:
		return c.Order != nil && CheckOrder(*c.Order) == nil
	case api.DatasetBalances:
		if c.Balance == nil || !storedvalue.Kind(c.Balance.Kind).Valid() {
			return false
		}
		_, ok := storedvalue.Normalize(c.Balance.Number)
		return ok
	}
	return true
}
