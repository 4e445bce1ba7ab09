// Package tillsync is the till's side of the scale-unit API: the HTTP client
// (resty, with timeouts and capped exponential backoff with jitter), device
// activation, the outbox pusher (one record at a time, in order, marked
// acknowledged only after the server said so) and the delta puller (each
// page applied in one transaction, resumable), and the connectivity state
// the UI shows.
//
// The UI uses an Engine: Open it on the till's data folder, Subscribe to its
// Status, call SyncNow from a button and Activate from the settings screen.
package tillsync

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/opentill/opentill/internal/version"
	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/offline/store"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/staff"
	"github.com/opentill/opentill/pos/storedvalue"
	"github.com/opentill/opentill/pos/till"
)

// ErrorKind says what kind of failure a call had, and so what the till
// should do about it.
type ErrorKind int

// Kinds of failure.
const (
	// Unreachable: no connection, a timeout, a dropped connection. Retry later.
	Unreachable ErrorKind = iota + 1
	// ServerFault: the server answered 5xx or 429. Retry later.
	ServerFault
	// Refused: the server refused the call (401, 403, 404, 409, 4xx): retrying
	// the same call will not help without a person acting (activate again,
	// look at a conflicting record …).
	Refused
	// BadReply: the reply could not be understood (not JSON, truncated,
	// inconsistent). Nothing of it was applied. Retry later; report it.
	BadReply
)

// String names the kind of failure.
func (k ErrorKind) String() string {
	switch k {
	case Unreachable:
		return "unreachable"
	case ServerFault:
		return "server fault"
	case Refused:
		return "refused"
	case BadReply:
		return "bad reply"
	}
	return "unknown"
}

// Error is a failed call to the scale unit.
type Error struct {
	Kind   ErrorKind
	Op     string // what the till tried: "uploading transaction 0192…"
	Status int    // HTTP status, 0 without a reply
	Code   string // the server's error code, if it sent one
	Msg    string
	Err    error
}

// Error says what the till tried, what went wrong and what happens next.
func (e *Error) Error() string {
	var sb strings.Builder
	sb.WriteString(e.Op)
	sb.WriteString(": ")
	switch e.Kind {
	case Unreachable:
		sb.WriteString("the store server cannot be reached")
	case ServerFault:
		fmt.Fprintf(&sb, "the store server failed (HTTP %d)", e.Status)
	case Refused:
		fmt.Fprintf(&sb, "the store server refused it (HTTP %d", e.Status)
		if e.Code != "" {
			sb.WriteString(", " + e.Code)
		}
		sb.WriteString(")")
	case BadReply:
		sb.WriteString("the store server's reply is unusable")
	}
	if e.Msg != "" {
		sb.WriteString(": " + e.Msg)
	}
	if e.Err != nil {
		sb.WriteString(": " + e.Err.Error())
	}
	switch e.Kind {
	case Unreachable, ServerFault:
		sb.WriteString(" (the till keeps selling offline and retries)")
	case BadReply:
		sb.WriteString(" (nothing of it was applied; the till retries)")
	}
	return sb.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Retryable reports whether retrying later can succeed by itself.
func (e *Error) Retryable() bool { return e.Kind != Refused }

// KindOf returns the ErrorKind of err (0 if it is not an *Error).
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

// ClientOptions tune the HTTP client. Zero values take the defaults.
type ClientOptions struct {
	Timeout      time.Duration // per attempt; default 20 s
	Retries      int           // retries of one call on unreachable/5xx; default 3, -1 for none
	RetryWait    time.Duration // first backoff; default 200 ms
	RetryMaxWait time.Duration // backoff cap; default 3 s
	UserAgent    string
	Logger       *slog.Logger // resty's retry warnings go here at debug level; nil discards them
	// Info is what the till says of its build at activation and check-in;
	// zero takes this binary's (ThisClient).
	Info api.ClientInfo
}

// ThisClient is this binary's build (internal/version) and the schema
// version of the data folders it writes.
func ThisClient() api.ClientInfo {
	v := version.Get()
	return api.ClientInfo{Version: v.Version, Commit: v.Commit, BuildDate: v.Date, OS: v.OS, Arch: v.Arch, Schema: store.SchemaVersion()}
}

// restyLogger hands resty's messages to slog at debug level.
type restyLogger struct{ l *slog.Logger }

func (r restyLogger) Errorf(format string, v ...any) { r.log(format, v...) }
func (r restyLogger) Warnf(format string, v ...any)  { r.log(format, v...) }
func (r restyLogger) Debugf(format string, v ...any) { r.log(format, v...) }
func (r restyLogger) log(format string, v ...any) {
	if r.l != nil {
		r.l.Debug(strings.TrimSpace(fmt.Sprintf(format, v...)), "component", "resty")
	}
}

// Client calls the scale-unit API.
type Client struct {
	r     *resty.Client
	bases []string     // the server's URLs: several processes serving one store
	cur   atomic.Int32 // the one in use
	info  api.ClientInfo
}

// NewClient returns a client of the server at baseURL authenticating with
// token ("" before activation). baseURL may list several URLs of server
// processes on one database (till.ServerURLs): a request the one in use cannot
// answer (unreachable, or a server fault after the retries) goes to the
// next. Every upload is idempotent by its client ID, so a request repeated
// at another process is stored once.
func NewClient(baseURL, token string, o ClientOptions) (*Client, error) {
	bases := till.ServerURLs(baseURL)
	if len(bases) == 0 {
		return nil, fmt.Errorf("no store server URL given: enter one like http://127.0.0.1:8640")
	}
	for i, b := range bases {
		u, err := url.Parse(b)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("the store server URL %q is not an http(s) URL like http://127.0.0.1:8640", b)
		}
		bases[i] = strings.TrimRight(b, "/")
	}
	if o.Timeout == 0 {
		o.Timeout = 20 * time.Second
	}
	if o.Retries == 0 {
		o.Retries = 3
	} else if o.Retries < 0 {
		o.Retries = 0
	}
	if o.RetryWait == 0 {
		o.RetryWait = 200 * time.Millisecond
	}
	if o.RetryMaxWait == 0 {
		o.RetryMaxWait = 3 * time.Second
	}
	if o.Info.Version == "" {
		o.Info = ThisClient()
	}
	if o.UserAgent == "" {
		o.UserAgent = "opentill-till/" + o.Info.Version + " (" + o.Info.OS + "/" + o.Info.Arch + ")"
	}
	r := resty.New().
		SetLogger(restyLogger{o.Logger}).
		SetTimeout(o.Timeout).
		SetRetryCount(o.Retries).
		SetRetryWaitTime(o.RetryWait).
		SetRetryMaxWaitTime(o.RetryMaxWait).
		SetResponseBodyLimit(api.MaxReplyBytes).
		SetHeader("User-Agent", o.UserAgent).
		SetHeader("Accept", "application/json").
		AddRetryCondition(func(resp *resty.Response, err error) bool {
			if err != nil {
				return true
			}
			return resp.StatusCode() >= 500 || resp.StatusCode() == http.StatusTooManyRequests
		})
	// resty's default backoff is capped exponential with full jitter between
	// RetryWait and RetryMaxWait.
	if token != "" {
		r.SetAuthToken(token)
	}
	return &Client{r: r, bases: bases, info: o.Info}, nil
}

// BaseURL returns the URL of the server in use.
func (c *Client) BaseURL() string { return c.bases[int(c.cur.Load())%len(c.bases)] }

// do runs a request and decodes a 2xx JSON reply into out, failing over
// to the next server URL when the one in use cannot answer.
func (c *Client) do(ctx context.Context, op string, req *resty.Request, method, path string, out any) error {
	var resp *resty.Response
	var err error
	start := int(c.cur.Load())
	for i := range c.bases {
		at := (start + i) % len(c.bases)
		resp, err = req.SetContext(ctx).Execute(method, c.bases[at]+path)
		down := (err != nil && ctx.Err() == nil) || (err == nil && resp.StatusCode() >= 500)
		if !down || i == len(c.bases)-1 {
			break
		}
		c.cur.Store(int32((at + 1) % len(c.bases)))
	}
	if err != nil {
		if ctx.Err() != nil {
			return &Error{Kind: Unreachable, Op: op, Msg: "cancelled", Err: ctx.Err()}
		}
		if resp != nil && resp.StatusCode() != 0 && errors.Is(err, resty.ErrResponseBodyTooLarge) {
			return &Error{Kind: BadReply, Op: op, Status: resp.StatusCode(), Msg: fmt.Sprintf("the reply is larger than %d bytes", api.MaxReplyBytes)}
		}
		return &Error{Kind: Unreachable, Op: op, Err: err}
	}
	status := resp.StatusCode()
	body := resp.Body()
	if status < 200 || status > 299 {
		e := &Error{Op: op, Status: status, Kind: Refused}
		if status >= 500 || status == http.StatusTooManyRequests {
			e.Kind = ServerFault
		}
		var er api.ErrorReply
		if json.Unmarshal(body, &er) == nil && er.Error.Message != "" {
			e.Code, e.Msg = er.Error.Code, clip(er.Error.Message, 300)
		} else {
			e.Msg = "reply: " + strconv.Quote(clip(string(body), 120))
		}
		return e
	}
	if raw, ok := out.(*rawBody); ok {
		mt, _, err := mime.ParseMediaType(resp.Header().Get("Content-Type"))
		if err != nil || !slices.Contains(raw.types, mt) {
			return &Error{Kind: BadReply, Op: op, Status: status, Msg: fmt.Sprintf("expected %s, got Content-Type %q", raw.what, resp.Header().Get("Content-Type"))}
		}
		raw.data = body
		return nil
	}
	if ct := resp.Header().Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return &Error{Kind: BadReply, Op: op, Status: status, Msg: fmt.Sprintf("expected JSON, got Content-Type %q", ct)}
		}
	}
	if out != nil {
		dec := json.NewDecoder(strings.NewReader(string(body)))
		if err := dec.Decode(out); err != nil {
			return &Error{Kind: BadReply, Op: op, Status: status, Msg: "malformed or truncated JSON", Err: err}
		}
		if dec.More() {
			return &Error{Kind: BadReply, Op: op, Status: status, Msg: "trailing data after the JSON reply"}
		}
	}
	return nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Health asks the server whether it is up.
func (c *Client) Health(ctx context.Context) (api.Health, error) {
	var h api.Health
	err := c.do(ctx, "checking the store server", c.r.R(), http.MethodGet, api.PathHealth, &h)
	if err == nil && h.Status != "ok" {
		err = &Error{Kind: BadReply, Op: "checking the store server", Status: 200, Msg: fmt.Sprintf("health status %q", h.Status)}
	}
	return h, err
}

// Activate exchanges a one-time code for the till's identity and token,
// registering the till's journal key pub (nil: none).
func (c *Client) Activate(ctx context.Context, code, deviceName string, pub ed25519.PublicKey) (api.Activation, error) {
	var a api.Activation
	op := "activating the till"
	// One attempt for this activation, retries included: a retry after a
	// reply lost on the way gets the till again instead of "code used".
	attempt := make([]byte, 16)
	if _, err := rand.Read(attempt); err != nil {
		return a, fmt.Errorf("%s: %w", op, err)
	}
	req := api.ActivateRequest{Code: code, DeviceName: deviceName, Client: &c.info, Attempt: hex.EncodeToString(attempt)}
	if pub != nil {
		req.PublicKey = journal.EncodePublic(pub)
	}
	err := c.do(ctx, op, c.r.R().SetHeader("Content-Type", "application/json").SetBody(req), http.MethodPost, api.PathActivate, &a)
	switch {
	case err != nil:
	case a.Token == "" || a.StoreID == "" || a.TerminalID == "":
		err = &Error{Kind: BadReply, Op: op, Status: 200, Msg: "the activation reply lacks a token, store or terminal"}
	case pub != nil && a.KeyID != journal.KeyID(pub):
		err = &Error{Kind: BadReply, Op: op, Status: 200, Msg: fmt.Sprintf("the server registered journal key %q, not the till's key %s", a.KeyID, journal.KeyID(pub))}
	case a.PINPepper != "":
		if _, perr := DecodePepper(a.PINPepper); perr != nil {
			err = &Error{Kind: BadReply, Op: op, Status: 200, Msg: "the activation reply's pin_pepper: " + perr.Error()}
		}
	}
	return a, err
}

// DecodePepper reads the store's PIN pepper as the server sends it
// (api.Activation, api.CheckInReply).
func DecodePepper(s string) (staff.Pepper, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("not base64: %v", err)
	}
	p := staff.Pepper(b)
	return p, p.Valid()
}

// JournalHead asks what the server holds of the till's journal.
func (c *Client) JournalHead(ctx context.Context, tillID string) (api.JournalHead, error) {
	var h api.JournalHead
	op := "asking the store server for its copy of the journal"
	if err := c.do(ctx, op, c.r.R(), http.MethodGet, api.PathJournal, &h); err != nil {
		return h, err
	}
	return h, checkHead(op, tillID, h)
}

// RegisterKey registers the till's journal key (a till activated before it
// had one).
func (c *Client) RegisterKey(ctx context.Context, tillID string, pub ed25519.PublicKey) (api.JournalHead, error) {
	var h api.JournalHead
	op := "registering the till's journal key"
	req := c.r.R().SetHeader("Content-Type", "application/json").SetBody(api.KeyRequest{PublicKey: journal.EncodePublic(pub)})
	if err := c.do(ctx, op, req, http.MethodPut, api.PathKey, &h); err != nil {
		return h, err
	}
	if err := checkHead(op, tillID, h); err != nil {
		return h, err
	}
	if h.KeyID != journal.KeyID(pub) {
		return h, &Error{Kind: BadReply, Op: op, Status: 200, Msg: fmt.Sprintf("the server registered key %q, not %s", h.KeyID, journal.KeyID(pub))}
	}
	return h, nil
}

// checkHead refuses a journal head reply that is not one.
func checkHead(op, tillID string, h api.JournalHead) error {
	bad := func(msg string) error { return &Error{Kind: BadReply, Op: op, Status: 200, Msg: msg} }
	switch {
	case h.TillID == "" || (tillID != "" && h.TillID != tillID):
		return bad(fmt.Sprintf("the reply is the journal head of till %q, not of this till %s", h.TillID, tillID))
	case h.Seq < 0 || h.Counter < 0 || h.Counter > h.Seq:
		return bad(fmt.Sprintf("the journal head has sequence %d and signature counter %d", h.Seq, h.Counter))
	case h.Seq > 0 && len(h.Hash) != 64:
		return bad("the journal head has no hash")
	}
	return nil
}

// UploadJournal sends a batch of journal entries; it succeeds when the
// server acknowledged the batch and says which head it now holds.
func (c *Client) UploadJournal(ctx context.Context, b api.JournalBatch) (api.JournalHead, error) {
	body, err := json.Marshal(b)
	if err != nil {
		return api.JournalHead{}, fmt.Errorf("encoding journal batch %s: %w", b.ID, err)
	}
	rep, err := c.Upload(ctx, api.KindJournal, b.ID, body)
	if err != nil {
		return api.JournalHead{}, err
	}
	if rep.Journal == nil {
		return api.JournalHead{}, &Error{Kind: BadReply, Op: "uploading journal " + b.ID, Status: 200, Msg: "the acknowledgement names no journal head"}
	}
	return *rep.Journal, nil
}

// CheckIn tells the server the till's build and how many outbox records it
// holds (the first call of a sync pass). A server older than v0.2.0 answers
// 404 (Refused, Status 404).
func (c *Client) CheckIn(ctx context.Context, pending int64) (api.CheckInReply, error) {
	var rep api.CheckInReply
	err := c.do(ctx, "checking in with the store server", c.r.R().SetHeader("Content-Type", "application/json").
		SetBody(api.CheckIn{Client: c.info, Pending: pending}), http.MethodPost, api.PathCheckIn, &rep)
	return rep, err
}

// Feed fetches one page of a dataset's changes after the cursor, validated
// (api.Page.Validate). count asks for the number of remaining changes.
func (c *Client) Feed(ctx context.Context, dataset string, after int64, limit int, count bool) (*api.Page, error) {
	op := fmt.Sprintf("pulling %s after %d", dataset, after)
	req := c.r.R().SetQueryParam("after", strconv.FormatInt(after, 10)).SetQueryParam("limit", strconv.Itoa(limit))
	if count {
		req.SetQueryParam("count", "1")
	}
	var p api.Page
	if err := c.do(ctx, op, req, http.MethodGet, api.PathFeeds+url.PathEscape(dataset), &p); err != nil {
		return nil, err
	}
	if err := apimap.ValidatePage(&p, dataset, after); err != nil {
		return nil, &Error{Kind: BadReply, Op: op, Status: 200, Err: err}
	}
	if len(p.Changes) > limit {
		return nil, &Error{Kind: BadReply, Op: op, Status: 200, Msg: fmt.Sprintf("%d changes where at most %d were asked for", len(p.Changes), limit)}
	}
	return &p, nil
}

// Upload sends one record by its client ID, with the ID as Idempotency-Key
// on the first attempt and every retry. It succeeds only when the server
// acknowledged that very ID.
func (c *Client) Upload(ctx context.Context, kind, id string, payload []byte) (api.UploadReply, error) {
	op := fmt.Sprintf("uploading %s %s", kind, id)
	var rep api.UploadReply
	req := c.r.R().SetHeader(api.HeaderIdempotencyKey, id).SetHeader("Content-Type", "application/json").SetBody(payload)
	if err := c.do(ctx, op, req, http.MethodPut, api.PathUploads+url.PathEscape(kind)+"/"+url.PathEscape(id), &rep); err != nil {
		return rep, err
	}
	if rep.ID != id || rep.Kind != kind {
		return rep, &Error{Kind: BadReply, Op: op, Status: 200, Msg: fmt.Sprintf("the server acknowledged %s %q, not this record", rep.Kind, rep.ID)}
	}
	return rep, nil
}

// CustomerHistory asks for a customer's purchases at the chain's other
// tills (every number of the customer at once).
func (c *Client) CustomerHistory(ctx context.Context, numbers []string) (api.CustomerHistory, error) {
	var h api.CustomerHistory
	q := url.Values{"number": numbers}
	err := c.do(ctx, "reading a customer's history", c.r.R(), http.MethodGet, api.PathCustomerHistory+"?"+q.Encode(), &h)
	return h, err
}

// StoreReport asks for the store's figures over [from, to) across its
// tills.
func (c *Client) StoreReport(ctx context.Context, from, to time.Time) (api.StoreReport, error) {
	var rep api.StoreReport
	q := url.Values{"from": {from.UTC().Format(time.RFC3339)}, "to": {to.UTC().Format(time.RFC3339)}}
	err := c.do(ctx, "reading the store's report", c.r.R(), http.MethodGet, api.PathReports+"?"+q.Encode(), &rep)
	return rep, err
}

// Balance reads a gift card's or credit memo's balance live.
func (c *Client) Balance(ctx context.Context, kind storedvalue.Kind, number string) (api.ValueBalance, error) {
	var b api.ValueBalance
	path := api.PathBalances + url.PathEscape(string(kind)) + "/" + url.PathEscape(number)
	err := c.do(ctx, "reading the balance of "+storedvalue.Mask(number), c.r.R(), http.MethodGet, path, &b)
	return b, err
}

// Hold holds amount of a number for the sale txnID (0 drops the hold).
func (c *Client) Hold(ctx context.Context, kind storedvalue.Kind, number, txnID string, amount money.Amount) (api.ValueBalance, error) {
	var b api.ValueBalance
	path := api.PathBalances + url.PathEscape(string(kind)) + "/" + url.PathEscape(number) + "/holds"
	err := c.do(ctx, "holding "+storedvalue.Mask(number), c.r.R().SetBody(api.ValueHold{TxnID: txnID, Amount: int64(amount)}), http.MethodPost, path, &b)
	return b, err
}

// Sale finds a sale of another till by receipt number, for a return.
func (c *Client) Sale(ctx context.Context, receiptNo string, anyStore bool) (api.Sale, error) {
	var sale api.Sale
	path := api.PathSales + url.PathEscape(receiptNo)
	if anyStore {
		path += "?any_store=1"
	}
	err := c.do(ctx, "finding receipt "+receiptNo, c.r.R(), http.MethodGet, path, &sale)
	return sale, err
}

// rawBody is a reply's body as it is (a picture, a module): do checks its
// Content-Type is one of types and keeps the bytes.
type rawBody struct {
	data  []byte
	types []string
	what  string
}

// Image fetches a product picture by its key and checks that the bytes are
// that picture (catalog.CheckImageFor): a damaged reply is a BadReply.
func (c *Client) Image(ctx context.Context, key string) ([]byte, error) {
	if !catalog.ValidImageKey(key) {
		return nil, &Error{Kind: Refused, Op: "fetching picture " + key, Msg: "not a picture key (64 lower-case hex digits)"}
	}
	pic := rawBody{types: []string{"image/png", "image/jpeg"}, what: "a PNG or JPEG picture"}
	op := "fetching picture " + key
	if err := c.do(ctx, op, c.r.R(), http.MethodGet, api.PathImages+key, &pic); err != nil {
		return nil, err
	}
	if _, err := catalog.CheckImageFor(key, pic.data); err != nil {
		return nil, &Error{Kind: BadReply, Op: op, Msg: err.Error()}
	}
	return pic.data, nil
}

// ExtensionModule fetches a published extension's module by its SHA-256
// and checks the bytes are that module: a damaged reply is a BadReply.
func (c *Client) ExtensionModule(ctx context.Context, key string) ([]byte, error) {
	op := "fetching extension module " + key
	if !api.ValidModuleKey(key) {
		return nil, &Error{Kind: Refused, Op: op, Msg: "not a module key (64 lower-case hex digits)"}
	}
	mod := rawBody{types: []string{"application/wasm"}, what: "a WebAssembly module"}
	if err := c.do(ctx, op, c.r.R(), http.MethodGet, api.PathExtensionModules+key, &mod); err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(mod.data); hex.EncodeToString(sum[:]) != key {
		return nil, &Error{Kind: BadReply, Op: op, Msg: "the module's bytes are not the ones asked for (SHA-256 differs)"}
	}
	return mod.data, nil
}

// Availability asks for a product's stock in the store and its sister stores.
// Offline it fails with an Unreachable error: the caller says so plainly.
func (c *Client) Availability(ctx context.Context, productID string) (api.Availability, error) {
	var a api.Availability
	err := c.do(ctx, "looking up stock of "+productID, c.r.R(), http.MethodGet, api.PathInventory+url.PathEscape(productID), &a)
	return a, err
}
