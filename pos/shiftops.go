package pos

import (
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/shift"
)

// Shift and cash-management operation IDs (package pos/shift). The anchor's
// numbers where it has one; opening, resuming and joining a shift and
// non-drawer mode are part of the anchor's sign-in and get 4010–4013 here.
const (
	OpTenderDeclaration OpID = 1052
	OpBlindCloseShift   OpID = 1053
	OpSuspendShift      OpID = 1054
	OpCloseShift        OpID = 1055
	OpPrintXReport      OpID = 1056
	OpReprintZReport    OpID = 1057
	OpDeclareStart      OpID = 1200
	OpFloatEntry        OpID = 1201
	OpTenderRemoval     OpID = 1210
	OpSafeDrop          OpID = 1211
	OpBankDrop          OpID = 1212
	OpIncomeAccount     OpID = 517
	OpExpenseAccount    OpID = 518
	OpOpenDrawer        OpID = 1000
	OpOpenShift         OpID = 4010
	OpResumeShift       OpID = 4011
	OpNonDrawerMode     OpID = 4012
	OpJoinShift         OpID = 4013
)

// OpenShift opens a new shift on the register (op 4010). A StartAmount above
// zero is declared with it (op 1200 is not needed then).
type OpenShift struct {
	StartAmount money.Amount
	TenderID    string // cash tender of the start amount; "" = the first cash tender
}

// ResumeShift resumes a suspended shift on this register, or takes back the
// register's own open shift (op 4011). An empty ID lists the shifts of the
// store that are suspended or blind-closed (Result.Shifts).
type ResumeShift struct{ ID string }

// NonDrawerMode lets the operator work without a shift and drawer (op 4012).
type NonDrawerMode struct{}

// JoinShift joins the shift another operator opened on this register (op 4013).
type JoinShift struct{}

// DeclareStart declares the start amount of a cash tender (op 1200).
type DeclareStart struct {
	Amount   money.Amount
	TenderID string
	Counts   []shift.Count // optional count by denomination; sets Amount
}

// FloatEntry puts cash into the drawer (op 1201).
type FloatEntry struct {
	Amount   money.Amount
	TenderID string
	Reason   string
}

// TenderRemoval takes cash out of the drawer (op 1210).
type TenderRemoval struct {
	Amount   money.Amount
	TenderID string
	Reason   string
}

// SafeDrop moves cash to the store safe (op 1211).
type SafeDrop struct {
	Amount   money.Amount
	TenderID string
	Reason   string
}

// BankDrop moves cash into a bank bag (op 1212).
type BankDrop struct {
	Amount   money.Amount
	TenderID string
	Bag      string
	Reason   string
}

// IncomeEntry takes cash in to an income account (op 517).
type IncomeEntry struct {
	Account string
	Amount  money.Amount
	Reason  string
}

// ExpenseEntry pays cash out from an expense account (op 518).
type ExpenseEntry struct {
	Account string
	Amount  money.Amount
	Reason  string
}

// OpenDrawer opens the drawer without a sale (op 1000).
type OpenDrawer struct{ Reason string }

// DeclareTender counts one tender into a shift (op 1052): by denomination
// (Counts) or as an Amount. Shift "" is the register's shift; a blind-closed
// shift of the store can be named instead.
type DeclareTender struct {
	Shift    string
	TenderID string
	Counts   []shift.Count
	Amount   money.Amount
}

// SuspendShift suspends the register's shift (op 1054).
type SuspendShift struct{}

// BlindCloseShift blind-closes the register's shift (op 1053).
type BlindCloseShift struct{}

// CloseShift closes the register's shift, or the named blind-closed shift
// (op 1055). Result.Report is the Z report. Reason explains an over/short
// beyond the store's limit (which also needs a manager).
type CloseShift struct {
	ID     string
	Reason string
}

// PrintXReport makes the X report of the register's shift or the named one (op 1056).
type PrintXReport struct{ ID string }

// ReprintZReport gives the Z report of the last closed shift again (op 1057).
type ReprintZReport struct{}

// OpID methods of the shift operations.
func (OpenShift) OpID() OpID       { return OpOpenShift }
func (ResumeShift) OpID() OpID     { return OpResumeShift }
func (NonDrawerMode) OpID() OpID   { return OpNonDrawerMode }
func (JoinShift) OpID() OpID       { return OpJoinShift }
func (DeclareStart) OpID() OpID    { return OpDeclareStart }
func (FloatEntry) OpID() OpID      { return OpFloatEntry }
func (TenderRemoval) OpID() OpID   { return OpTenderRemoval }
func (SafeDrop) OpID() OpID        { return OpSafeDrop }
func (BankDrop) OpID() OpID        { return OpBankDrop }
func (IncomeEntry) OpID() OpID     { return OpIncomeAccount }
func (ExpenseEntry) OpID() OpID    { return OpExpenseAccount }
func (OpenDrawer) OpID() OpID      { return OpOpenDrawer }
func (DeclareTender) OpID() OpID   { return OpTenderDeclaration }
func (SuspendShift) OpID() OpID    { return OpSuspendShift }
func (BlindCloseShift) OpID() OpID { return OpBlindCloseShift }
func (CloseShift) OpID() OpID      { return OpCloseShift }
func (PrintXReport) OpID() OpID    { return OpPrintXReport }
func (ReprintZReport) OpID() OpID  { return OpReprintZReport }
