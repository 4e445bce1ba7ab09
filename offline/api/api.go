// Package api holds the request and response types of the scale-unit API
// (docs/scaleunit-api.yaml), shared by the till's sync engine
// (offline/sync) and the reference server (offline/scaleunit). It holds no
// transport code.
package api

import (
	"fmt"
	"regexp"
	"time"

	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/staff"
)

// Version is the path prefix of this version of the API.
const Version = "/v1"

// Paths of the API, relative to the server's base URL.
const (
	PathHealth    = "/v1/health"
	PathActivate  = "/v1/activate"
	PathFeeds     = "/v1/feeds/"     // + dataset
	PathUploads   = "/v1/uploads/"   // + kind + "/" + client ID
	PathInventory = "/v1/inventory/" // + product ID
	PathCheckIn   = "/v1/checkin"
)

// HeaderIdempotencyKey carries an upload's client ID; a retry carries the same.
const HeaderIdempotencyKey = "Idempotency-Key"

// Datasets of the ordered delta feeds, pulled in this order.
const (
	DatasetConfig   = "config"   // the till's pos.Setup: currency, tax groups, tender types, masks, receipt header
	DatasetStaff    = "staff"    // roles and operators (argon2id password hashes)
	DatasetProducts = "products" // the catalog, each product with its price
	DatasetPrices   = "prices"   // price changes of existing products
)

// Datasets lists the datasets in the order a till pulls them.
var Datasets = []string{DatasetConfig, DatasetStaff, DatasetProducts, DatasetPrices}

// Upload kinds (the outbox kinds of offline/store).
const (
	KindTransaction = "transaction" // a finished cart.Cart
	KindShiftEvent  = "shift_event" // a shift opened, closed, declared …
	KindCustomer    = "customer"    // a customer created offline
)

// Kinds lists the upload kinds the server accepts.
var Kinds = []string{KindTransaction, KindShiftEvent, KindCustomer}

// Limits on what either side accepts.
const (
	MaxPageSize     = 10_000
	DefaultPageSize = 5_000
	MaxUploadBytes  = 4 << 20
	MaxReplyBytes   = 64 << 20
)

var clientIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`)

// ValidClientID reports whether id can be an upload's client ID (a UUID or
// another short token of letters, digits and . _ : -).
func ValidClientID(id string) bool { return clientIDPattern.MatchString(id) }

// ValidKind reports whether kind is an upload kind the API knows.
func ValidKind(kind string) bool {
	for _, k := range Kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// ValidDataset reports whether ds is a dataset the API knows.
func ValidDataset(ds string) bool {
	for _, d := range Datasets {
		if d == ds {
			return true
		}
	}
	return false
}

// Error is the body of every reply that is not a success.
type Error struct {
	Code    string `json:"code"`    // machine-readable: unauthorized, till_deactivated, conflict, …
	Message string `json:"message"` // what went wrong and what to do
}

// Error codes.
const (
	CodeBadRequest     = "bad_request"
	CodeUnauthorized   = "unauthorized"
	CodeDeactivated    = "till_deactivated"
	CodeBadCode        = "bad_activation_code"
	CodeNotFound       = "not_found"
	CodeConflict       = "conflict"
	CodeTooLarge       = "too_large"
	CodeInternal       = "internal"
	CodeUnavailable    = "unavailable"
	CodeMethodNotAllow = "method_not_allowed"
)

// ErrorReply wraps an Error.
type ErrorReply struct {
	Error Error `json:"error"`
}

// Health is the reply of GET /v1/health.
type Health struct {
	Status  string    `json:"status"`          // "ok"
	Version string    `json:"version"`         // the API: opentill-scaleunit/1
	Build   string    `json:"build,omitempty"` // the server's release: v0.2.0
	Time    time.Time `json:"time"`
}

// ClientInfo is what a till says of its build and its data folder, at
// activation and at the start of every sync pass, so that the server can
// list its tills by version (scaleunit admin tills) before an upgrade.
type ClientInfo struct {
	Version   string `json:"version"`              // the release: v0.2.0, v0.2.0-3-gc917fb6, or "dev"
	Commit    string `json:"commit,omitempty"`     // the commit it was built from
	BuildDate string `json:"build_date,omitempty"` // RFC 3339
	OS        string `json:"os"`                   // windows, linux
	Arch      string `json:"arch"`                 // amd64, arm64
	Schema    int    `json:"schema,omitempty"`     // the data folder's schema version (PRAGMA user_version)
}

// ActivateRequest activates a till with a one-time code. Client is absent
// from tills older than v0.2.0.
type ActivateRequest struct {
	Code       string      `json:"code"`
	DeviceName string      `json:"device_name,omitempty"`
	Client     *ClientInfo `json:"client,omitempty"`
}

// CheckIn is the body of POST /v1/checkin, the first call of every sync
// pass: the till's build and how many outbox records it holds.
type CheckIn struct {
	Client  ClientInfo `json:"client"`
	Pending int64      `json:"pending"` // outbox records not yet acknowledged
}

// CheckInReply acknowledges a check-in.
type CheckInReply struct {
	TillID string    `json:"till_id"`
	Server string    `json:"server"` // the server's release, like Health.Build
	Time   time.Time `json:"time"`
}

// Activation is the reply to an activation: the till's identity and its
// bearer token (shown once; the server keeps only its hash).
type Activation struct {
	TillID     string `json:"till_id"`
	StoreID    string `json:"store_id"`
	TerminalID string `json:"terminal_id"`
	Token      string `json:"token"`
}

// Change is one entry of a delta feed. Exactly one of the typed fields is set
// for an upsert; Deleted marks a removal of Key.
type Change struct {
	Seq      int64            `json:"seq"`
	Key      string           `json:"key"`
	Deleted  bool             `json:"deleted,omitempty"`
	Product  *catalog.Product `json:"product,omitempty"`
	Price    *PriceChange     `json:"price,omitempty"`
	Role     *staff.Role      `json:"role,omitempty"`
	Operator *staff.Operator  `json:"operator,omitempty"`
	Setup    *pos.Setup       `json:"setup,omitempty"`
}

// PriceChange is a new price of a product.
type PriceChange struct {
	ProductID string `json:"product_id"`
	Price     int64  `json:"price"` // minor units of the store's currency
}

// Page is one page of a delta feed: the changes after the cursor the till
// sent, in order, and the cursor to send next. More says another page waits.
type Page struct {
	Dataset    string   `json:"dataset"`
	Changes    []Change `json:"changes"`
	NextCursor int64    `json:"next_cursor"`
	More       bool     `json:"more"`
	Remaining  int64    `json:"remaining"` // changes after NextCursor (for progress)
}

// Validate checks a page the client received: the dataset it asked for,
// cursors that only move forward, and changes that carry what their dataset
// needs. A page that fails is not applied.
func (p *Page) Validate(dataset string, after int64) error {
	if p.Dataset != dataset {
		return fmt.Errorf("the server sent dataset %q where %q was asked for", p.Dataset, dataset)
	}
	if p.NextCursor < after {
		return fmt.Errorf("the server's next cursor %d is behind the cursor %d the till sent", p.NextCursor, after)
	}
	if p.Remaining < 0 {
		return fmt.Errorf("the server reported %d remaining changes", p.Remaining)
	}
	last := after
	for i, c := range p.Changes {
		if c.Seq <= last {
			return fmt.Errorf("change %d of the page has sequence %d, not after %d: the feed is out of order", i, c.Seq, last)
		}
		last = c.Seq
		if c.Seq > p.NextCursor {
			return fmt.Errorf("change %d has sequence %d beyond the page's next cursor %d", i, c.Seq, p.NextCursor)
		}
		if c.Key == "" {
			return fmt.Errorf("change %d (sequence %d) has no key", i, c.Seq)
		}
		if c.Deleted {
			continue
		}
		var ok bool
		switch dataset {
		case DatasetProducts:
			ok = c.Product != nil && c.Product.ID == c.Key && c.Product.Name != "" && c.Product.TaxGroup != ""
		case DatasetPrices:
			ok = c.Price != nil && c.Price.ProductID == c.Key && c.Price.Price >= 0
		case DatasetStaff:
			ok = (c.Role != nil && c.Role.ID != "") != (c.Operator != nil && c.Operator.ID != "")
		case DatasetConfig:
			ok = c.Setup != nil && c.Setup.StoreID != "" && c.Setup.TerminalID != ""
		}
		if !ok {
			return fmt.Errorf("change %d (sequence %d, key %q) does not carry a valid %s record", i, c.Seq, c.Key, dataset)
		}
	}
	if len(p.Changes) == 0 && p.More {
		return fmt.Errorf("the server sent an empty page that says more follow")
	}
	return nil
}

// UploadReply acknowledges an upload. Duplicate says the server already had
// the record (a retry); either way it is stored exactly once.
type UploadReply struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Duplicate bool      `json:"duplicate"`
	Received  time.Time `json:"received"`
}

// StockLevel is one store's stock of a product.
type StockLevel struct {
	StoreID   string `json:"store_id"`
	StoreName string `json:"store_name"`
	Qty       int64  `json:"qty"` // thousandths, like catalog.Qty
}

// Availability is the reply of GET /v1/inventory/{product}: the stock in the
// till's store and its sister stores.
type Availability struct {
	ProductID string       `json:"product_id"`
	Stores    []StockLevel `json:"stores"`
}
