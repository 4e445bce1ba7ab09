package api

import "time"

// The admin API (docs/sync.md, "The admin API"): what a chain's back office
// changes on the store server over HTTP, as the scaleunit admin commands do
// on its host. It takes admin tokens (scaleunit admin token create), never a
// till's token; a till's paths never take an admin token.
//
// An admin token made with --stores changes only those stores' setup,
// documents and tills. The catalog, the prices, the roles and the
// operators are the chain's (one copy for every store): only a token
// without stores changes them.
const (
	PathAdmin          = "/v1/admin/"
	PathAdminProducts  = "/v1/admin/products"   // PUT a batch; + "/" + ID: PUT one, DELETE
	PathAdminPrices    = "/v1/admin/prices"     // PUT a batch of price changes
	PathAdminStores    = "/v1/admin/stores/"    // + store ID + "/setup" | "/documents/" + name
	PathAdminOperators = "/v1/admin/operators/" // + operator ID: PUT
	PathAdminRoles     = "/v1/admin/roles/"     // + role ID: PUT
	PathAdminTills     = "/v1/admin/tills"      // GET; + "/" + store + "/" + terminal: DELETE, + "/code": POST
)

// AdminTokenPrefix begins every admin token, so that a token is told from
// a till's at a glance (and in a secret scanner's rules).
const AdminTokenPrefix = "ota_"

// Limits of the admin API.
const (
	MaxAdminBytes = 16 << 20 // a request body
	MaxAdminBatch = 10_000   // products or prices in one call
	// MaxCodeHours is the longest an activation code made over the API is
	// valid; DefaultCodeHours is how long when the request does not say.
	MaxCodeHours     = 720
	DefaultCodeHours = 168
)

// ProductBatch is the body of PUT /v1/admin/products: products to add or
// replace, in one transaction (one refused product changes nothing).
type ProductBatch struct {
	Products []Product `json:"products"`
}

// PriceBatch is the body of PUT /v1/admin/prices: new prices of existing
// products, in one transaction.
type PriceBatch struct {
	Prices []PriceChange `json:"prices"`
}

// Changed is the reply to a batch: how many records it changed.
type Changed struct {
	Changed int `json:"changed"`
}

// OperatorRequest is the body of PUT /v1/admin/operators/{id}: the
// operator as a whole, and a PIN. A new operator needs the PIN; an
// operator the server has keeps the PIN it had when PIN is left out.
// The server seals the PIN as scaleunit staff add --pin does and never
// sends it, or any hash of it, back.
type OperatorRequest struct {
	ID       string   `json:"id,omitempty"` // the path's; may be left out
	Name     string   `json:"name"`
	RoleID   string   `json:"role"`
	Language string   `json:"language,omitempty"` // BCP 47; "en" when left out
	Stores   []string `json:"stores,omitempty"`   // none: every store
	PIN      string   `json:"pin,omitempty"`
}

// OperatorInfo is an operator as the admin API replies with it: without
// the PIN or its hash.
type OperatorInfo struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	RoleID   string   `json:"role"`
	Language string   `json:"language"`
	Stores   []string `json:"stores"`
	// PINSet says the operator has a PIN the server sealed (false for one
	// whose hash was set before the server sealed PINs).
	PINSet bool `json:"pin_set"`
}

// Till states in AdminTill.State.
const (
	TillNotActivated = "not_activated"
	TillActive       = "active"
	TillDeactivated  = "deactivated"
)

// AdminTill is a till as GET /v1/admin/tills lists it (what scaleunit
// admin tills shows).
type AdminTill struct {
	ID         string      `json:"id"` // store/terminal
	StoreID    string      `json:"store_id"`
	TerminalID string      `json:"terminal_id"`
	DeviceName string      `json:"device_name"`
	State      string      `json:"state"` // not_activated, active, deactivated
	Activated  time.Time   `json:"activated,omitzero"`
	KeyID      string      `json:"key_id,omitempty"` // its journal key
	Client     *ClientInfo `json:"client,omitempty"` // what it last said of its build
	LastSeen   time.Time   `json:"last_seen,omitzero"`
	Pending    int64       `json:"pending"` // outbox records it held then
}

// AdminTills is the reply of GET /v1/admin/tills.
type AdminTills struct {
	Tills []AdminTill `json:"tills"`
}

// CodeRequest is the (optional) body of POST
// /v1/admin/tills/{store}/{terminal}/code.
type CodeRequest struct {
	ValidHours int `json:"valid_hours,omitempty"` // 1 to MaxCodeHours; DefaultCodeHours when left out
}

// ActivationCode is a one-time activation code for a till, shown once.
type ActivationCode struct {
	TillID  string    `json:"till_id"`
	Code    string    `json:"code"`
	Expires time.Time `json:"expires"`
}
