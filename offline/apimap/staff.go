package apimap

import (
	"slices"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/pos/staff"
)

// RoleOf maps a role to the staff feed's form.
func RoleOf(r staff.Role) api.Role {
	l := r.Limits
	return api.Role{ID: r.ID, Name: r.Name, Permissions: convert[staff.Permission, int](r.Permissions),
		Limits: api.RoleLimits{MaxLineDiscountBP: l.MaxLineDiscountBP, MaxTotalDiscountBP: l.MaxTotalDiscountBP, MaxReturnAmount: l.MaxReturnAmount,
			AllowPriceOverride: l.AllowPriceOverride, MaxPriceOverrideBP: l.MaxPriceOverrideBP},
		Manager: r.Manager}
}

// RoleFrom maps a role of the feed to the domain's.
func RoleFrom(w api.Role) staff.Role {
	l := w.Limits
	return staff.Role{ID: w.ID, Name: w.Name, Permissions: convert[int, staff.Permission](w.Permissions),
		Limits: staff.Limits{MaxLineDiscountBP: l.MaxLineDiscountBP, MaxTotalDiscountBP: l.MaxTotalDiscountBP, MaxReturnAmount: l.MaxReturnAmount,
			AllowPriceOverride: l.AllowPriceOverride, MaxPriceOverrideBP: l.MaxPriceOverrideBP},
		Manager: w.Manager}
}

// OperatorOf maps an operator to the staff feed's form.
func OperatorOf(o staff.Operator) api.Operator {
	return api.Operator{ID: o.ID, Name: o.Name, RoleID: o.RoleID, Language: o.Language, PasswordHash: o.PasswordHash,
		FailedLogins: o.FailedLogins, Locked: o.Locked, Stores: slices.Clone(o.Stores)}
}

// OperatorFrom maps an operator of the feed to the domain's.
func OperatorFrom(w api.Operator) staff.Operator {
	return staff.Operator{ID: w.ID, Name: w.Name, RoleID: w.RoleID, Language: w.Language, PasswordHash: w.PasswordHash,
		FailedLogins: w.FailedLogins, Locked: w.Locked, Stores: slices.Clone(w.Stores)}
}

// OperatorFromRequest maps the admin API's operator (without its PIN, which
// the server seals on its own) to the domain's.
func OperatorFromRequest(w api.OperatorRequest) staff.Operator {
	return staff.Operator{ID: w.ID, Name: w.Name, RoleID: w.RoleID, Language: w.Language, Stores: slices.Clone(w.Stores)}
}

// OperatorInfoOf maps an operator to the admin API's reply, which carries
// neither the PIN nor its hash; pinSet says the server holds a PIN it
// sealed.
func OperatorInfoOf(o staff.Operator, pinSet bool) api.OperatorInfo {
	stores := slices.Clone(o.Stores)
	if stores == nil {
		stores = []string{}
	}
	return api.OperatorInfo{ID: o.ID, Name: o.Name, RoleID: o.RoleID, Language: o.Language, Stores: stores, PINSet: pinSet}
}
