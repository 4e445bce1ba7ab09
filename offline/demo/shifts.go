package demo

import (
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/shift"
	"github.com/opentill/opentill/pos/staff"
)

// Income and expense accounts of the demo store.
const (
	AccountLottery = "LOTTERY" // income: lottery ticket sales paid in cash
	AccountDeposit = "DEPOSIT" // income: bottle deposit machine refunds returned
	AccountPostage = "POSTAGE" // expense: stamps bought with drawer cash
	AccountCleaner = "CLEANING"
)

// Accounts returns the demo store's income and expense accounts.
func Accounts() []shift.Account {
	return []shift.Account{
		{ID: AccountLottery, Name: "Lottery", Kind: shift.IncomeAccount},
		{ID: AccountDeposit, Name: "Bottle deposit", Kind: shift.IncomeAccount},
		{ID: AccountPostage, Name: "Postage", Kind: shift.ExpenseAccount},
		{ID: AccountCleaner, Name: "Window cleaner", Kind: shift.ExpenseAccount},
	}
}

// ShiftPolicy is the demo store's shift setting: no sale, return or payment
// without an open shift (non-drawer mode excepted), as in a real store; euro
// denominations for counting; suspended transactions survive a close; a
// manager may take out more than the drawer holds (with a reason); a close
// more than 5.00 over or short needs a manager and a reason.
func ShiftPolicy() shift.Policy {
	return shift.Policy{Required: true, Denominations: []money.Amount{50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1},
		ManagerMayOverdraw: true, OverShortLimit: 500}
}

// cashierShiftOps are what a demo cashier may do with a shift: open one
// with its start amount, float, count the drawer, suspend, resume and blind
// close it (floating till) and print an X report.
var cashierShiftOps = []pos.OpID{pos.OpOpenShift, pos.OpResumeShift, pos.OpDeclareStart, pos.OpFloatEntry,
	pos.OpTenderDeclaration, pos.OpSuspendShift, pos.OpBlindCloseShift, pos.OpPrintXReport}

// withShiftPerms gives the cashier the cashier's shift operations and the
// manager every shift and cash-management operation.
func withShiftPerms(roles []staff.Role) []staff.Role {
	for i := range roles {
		var ids []pos.OpID
		switch roles[i].ID {
		case RoleCashier:
			ids = cashierShiftOps
		case RoleManager:
			for _, spec := range pos.NewRegistry().InGroup(pos.GroupShift, pos.GroupCash) {
				ids = append(ids, spec.ID)
			}
		}
		for _, id := range ids {
			roles[i].Permissions = append(roles[i].Permissions, staff.Permission(id))
		}
	}
	return roles
}
