package api

// Role is a staff role as the staff feed carries it (key "role:" + ID):
// the operations it may run, by their numeric IDs, and its limits.
type Role struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Permissions []int      `json:"permissions"`
	Limits      RoleLimits `json:"limits"`
	Manager     bool       `json:"manager"`
}

// RoleLimits bound what a role may do: discounts and overrides in basis
// points, a return's total in minor units.
type RoleLimits struct {
	MaxLineDiscountBP  int64 `json:"max_line_discount_bp"`
	MaxTotalDiscountBP int64 `json:"max_total_discount_bp"`
	MaxReturnAmount    int64 `json:"max_return_amount"`
	AllowPriceOverride bool  `json:"allow_price_override"`
	MaxPriceOverrideBP int64 `json:"max_price_override_bp"`
}

// Operator is a person who signs in at the till, as the staff feed carries
// it (key "operator:" + ID).
type Operator struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	RoleID       string   `json:"role"`
	Language     string   `json:"language"`      // BCP 47
	PasswordHash string   `json:"password_hash"` // argon2id, PHC string format
	FailedLogins int      `json:"failed_logins"`
	Locked       bool     `json:"locked"`
	Stores       []string `json:"stores,omitempty"`
}
