// Package staff holds operators, roles, permissions and limits, and the
// password hashing and lockout rules.
package staff

// Permission names an operation an operator may run: the operation's numeric ID.
type Permission int

// Limits bound what a role may do within a permission.
type Limits struct {
	MaxLineDiscountBP  int64 `json:"max_line_discount_bp" toml:"max_line_discount_bp"`   // max manual line discount, basis points of the line (1000 = 10 %)
	MaxTotalDiscountBP int64 `json:"max_total_discount_bp" toml:"max_total_discount_bp"` // max manual total discount, basis points of the subtotal
	MaxReturnAmount    int64 `json:"max_return_amount" toml:"max_return_amount"`         // max total of one return transaction, minor units; 0 = none allowed
	AllowPriceOverride bool  `json:"allow_price_override" toml:"allow_price_override"`
	MaxPriceOverrideBP int64 `json:"max_price_override_bp" toml:"max_price_override_bp"` // max reduction by override, basis points of the original price; 0 = any
}

// Role maps to the operations it may run and its limits.
type Role struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Permissions []Permission `json:"permissions"`
	Limits      Limits       `json:"limits"`
	Manager     bool         `json:"manager"` // may approve overrides and unlock operators
}

// Allows reports whether the role may run operation p.
func (r Role) Allows(p Permission) bool {
	for _, q := range r.Permissions {
		if q == p {
			return true
		}
	}
	return false
}

// MaxFailedSignIns is the number of consecutive failed sign-ins that locks an operator.
const MaxFailedSignIns = 5

// Operator is a person who signs in at the till.
type Operator struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	RoleID       string `json:"role"`
	Language     string `json:"language"`      // BCP 47 tag, e.g. "de"
	PasswordHash string `json:"password_hash"` // argon2id, PHC string format
	FailedLogins int    `json:"failed_logins"`
	Locked       bool   `json:"locked"`
	// Stores are the stores the operator works at: the store server sends
	// the operator to those stores' tills alone (none = every store).
	Stores []string `json:"stores,omitempty"`
}
