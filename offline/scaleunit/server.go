// Package scaleunit is the reference store server ("scale unit") that tills
// register with and sync against: device activation with one-time codes,
// ordered delta feeds, idempotent uploads by client ID and cross-store
// availability, over the HTTP API in docs/scaleunit-api.yaml. Its storage
// sits behind the Storage interface (SQLite by default).
//
// cmd/scaleunit serves it; cmd/pos and the tests start it embedded on
// loopback with StartEmbedded.
package scaleunit

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/opentill/opentill/internal/version"
	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/journal"
	"github.com/opentill/opentill/pos/storedvalue"
)

// DefaultAddr is where `scaleunit serve` listens unless told otherwise.
const DefaultAddr = "127.0.0.1:8640"

// ServerVersion is reported by the health endpoint.
const ServerVersion = "opentill-scaleunit/1"

// Server serves the scale-unit API from a Storage.
type Server struct {
	st       Storage
	log      *slog.Logger
	mux      *http.ServeMux
	throttle *throttle     // failed activations per address
	uploads  uploadSchemas // the contract's schema of each upload kind
}

// New returns a server on st. A nil logger discards the logs.
func New(st Storage, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{st: st, log: log, mux: http.NewServeMux(), throttle: newThrottle(ActivationEvery, ActivationBurst), uploads: mustUploadSchemas()}
	s.mux.HandleFunc("GET "+api.PathHealth, s.health)
	s.mux.HandleFunc("POST "+api.PathActivate, s.activate)
	s.mux.HandleFunc("GET "+api.PathFeeds+"{dataset}", s.auth(s.feed))
	s.mux.HandleFunc("PUT "+api.PathUploads+"{kind}/{id}", s.auth(s.upload))
	s.mux.HandleFunc("GET "+api.PathInventory+"{product}", s.auth(s.inventory))
	s.mux.HandleFunc("GET "+api.PathCustomerHistory, s.auth(s.customerHistory))
	s.mux.HandleFunc("GET "+api.PathSales+"{receipt}", s.auth(s.sale))
	s.mux.HandleFunc("GET "+api.PathImages+"{key}", s.auth(s.image))
	s.mux.HandleFunc("GET "+api.PathExtensionModules+"{key}", s.auth(s.extensionModule))
	s.mux.HandleFunc("GET "+api.PathBalances+"{kind}/{number}", s.auth(s.balance))
	s.mux.HandleFunc("POST "+api.PathBalances+"{kind}/{number}/holds", s.auth(s.hold))
	s.mux.HandleFunc("DELETE "+api.PathHolds+"{txn}", s.auth(s.release))
	s.mux.HandleFunc("GET "+api.PathReports, s.auth(s.storeReport))
	s.mux.HandleFunc("GET "+api.PathJournal, s.auth(s.journalHead))
	s.mux.HandleFunc("PUT "+api.PathKey, s.auth(s.registerKey))
	s.mux.HandleFunc("POST "+api.PathCheckIn, s.auth(s.checkIn))
	s.adminRoutes() // /v1/admin/…, with admin tokens (adminapi.go)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, api.CodeNotFound, "no such endpoint: %s %s (see docs/scaleunit-api.yaml)", r.Method, r.URL.Path)
	})
	return s
}

// Storage returns the server's storage (for admin commands and tests).
func (s *Server) Storage() Storage { return s.st }

// Handler returns the HTTP handler, with request logging.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p))
				s.fail(rec, r, http.StatusInternalServerError, api.CodeInternal, "internal error; the request was not completed")
			}
			s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "ms", time.Since(start).Milliseconds())
		}()
		s.mux.ServeHTTP(rec, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) { r.status = code; r.ResponseWriter.WriteHeader(code) }

type tillKey struct{}

// auth checks the bearer token and passes the till on in the context.
func (s *Server) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || tok == "" {
			s.fail(w, r, http.StatusUnauthorized, api.CodeUnauthorized, "no bearer token: activate the till with a one-time code first")
			return
		}
		till, err := s.st.TillByToken(r.Context(), HashSecret(tok))
		switch {
		case errors.Is(err, ErrDeactivated):
			s.fail(w, r, http.StatusForbidden, api.CodeDeactivated, "till %s is deactivated: ask the store manager for a new activation code", till.ID)
			return
		case errors.Is(err, ErrNotFound) && strings.HasPrefix(tok, api.AdminTokenPrefix):
			s.fail(w, r, http.StatusUnauthorized, api.CodeUnauthorized, "an admin token does not work on a till's paths: they take the till's token from /v1/activate")
			return
		case errors.Is(err, ErrNotFound):
			s.fail(w, r, http.StatusUnauthorized, api.CodeUnauthorized, "unknown token: activate the till again with a new code")
			return
		case err != nil:
			s.internal(w, r, err)
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), tillKey{}, till)))
	}
}

func tillOf(r *http.Request) TillInfo { t, _ := r.Context().Value(tillKey{}).(TillInfo); return t }

func (s *Server) reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// The status is sent; a body that fails to go out reaches the till as a
	// broken reply, which it retries with the same idempotency key.
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, code, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if status >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "status", status, "error", msg)
	} else {
		s.log.Info("request refused", "method", r.Method, "path", r.URL.Path, "status", status, "code", code, "error", msg)
	}
	s.reply(w, status, api.ErrorReply{Error: api.Error{Code: code, Message: msg}})
}

func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	s.fail(w, r, http.StatusInternalServerError, api.CodeInternal, "the server could not complete the request (%v); retry later", err)
}

func (s *Server) health(w http.ResponseWriter, _ *http.Request) {
	s.reply(w, http.StatusOK, api.Health{Status: "ok", Version: ServerVersion, Build: version.Get().Version, Time: time.Now().UTC()})
}

func (s *Server) activate(w http.ResponseWriter, r *http.Request) {
	from := addr(r)
	if d := s.throttle.wait(from); d > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(d.Seconds())+1))
		s.fail(w, r, http.StatusTooManyRequests, api.CodeThrottled, "too many failed activations from %s: try again in %d s", from, int(d.Seconds())+1)
		return
	}
	var req api.ActivateRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&req); err != nil || req.Code == "" {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "the activation request needs a JSON body with a \"code\"")
		return
	}
	var pub ed25519.PublicKey
	if req.PublicKey != "" {
		var err error
		if pub, err = journal.DecodePublic(req.PublicKey); err != nil {
			s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "the activation's public_key: %v", err)
			return
		}
	}
	// The PIN key first: a server that cannot give the till its store's
	// pepper does not spend the code.
	if _, err := s.st.PINKeyID(r.Context()); err != nil {
		s.internal(w, r, err)
		return
	}
	token := NewSecret(32)
	var attempt string
	if req.Attempt != "" {
		if len(req.Attempt) < 16 || len(req.Attempt) > 128 {
			s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "the activation's attempt must be a random value of 16 to 128 characters")
			return
		}
		attempt = HashSecret(req.Attempt)
	}
	till, err := s.st.Activate(r.Context(), HashCode(req.Code), HashSecret(token), req.DeviceName, pub, attempt)
	if errors.Is(err, ErrBadCode) {
		s.throttle.failed(from)
		s.fail(w, r, http.StatusUnauthorized, api.CodeBadCode, "the activation code is unknown, expired or already used: ask the store manager for a new one")
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if req.Client != nil {
		// The activation stands even if this fails: the till checks in
		// again at its first sync pass.
		if err := s.st.CheckIn(r.Context(), till.ID, *req.Client, 0, time.Now()); err != nil {
			s.log.Warn("recording the till's version at activation", "till", till.ID, "error", err)
		}
	}
	pepper, err := s.st.PINPepper(r.Context(), till.StoreID)
	if err != nil {
		// The key was loaded above; the till retries with the same attempt.
		s.internal(w, r, err)
		return
	}
	s.log.Info("till activated", "till", till.ID, "device", req.DeviceName, "version", clientVersion(req.Client), "key", till.KeyID)
	s.reply(w, http.StatusOK, api.Activation{TillID: till.ID, StoreID: till.StoreID, TerminalID: till.TerminalID, Token: token, KeyID: till.KeyID,
		PINPepper: base64.StdEncoding.EncodeToString(pepper)})
}

func (s *Server) feed(w http.ResponseWriter, r *http.Request) {
	ds := r.PathValue("dataset")
	if !api.ValidDataset(ds) {
		s.fail(w, r, http.StatusNotFound, api.CodeNotFound, "unknown dataset %q (known: %s)", ds, strings.Join(api.Datasets, ", "))
		return
	}
	q := r.URL.Query()
	after, err := strconv.ParseInt(q.Get("after"), 10, 64)
	if q.Get("after") == "" {
		after, err = 0, nil
	}
	if err != nil || after < 0 {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "after=%q is not a cursor (a number ≥ 0)", q.Get("after"))
		return
	}
	limit := api.DefaultPageSize
	if v := q.Get("limit"); v != "" {
		limit, err = strconv.Atoi(v)
		if err != nil || limit < 1 || limit > api.MaxPageSize {
			s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "limit=%q must be between 1 and %d", v, api.MaxPageSize)
			return
		}
	}
	till := tillOf(r)
	if RawFeed(ds) {
		page, err := s.st.FeedRaw(r.Context(), till.StoreID, ds, after, limit, q.Get("count") == "1")
		if err != nil {
			s.internal(w, r, err)
			return
		}
		s.reply(w, http.StatusOK, page)
		return
	}
	page, err := s.st.Feed(r.Context(), till.StoreID, ds, after, limit, q.Get("count") == "1")
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if ds == api.DatasetConfig {
		for i := range page.Changes {
			if su := page.Changes[i].Setup; su != nil {
				su.TerminalID = till.TerminalID
			}
		}
	}
	s.reply(w, http.StatusOK, page)
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	kind, id := r.PathValue("kind"), r.PathValue("id")
	if !api.ValidKind(kind) {
		s.fail(w, r, http.StatusNotFound, api.CodeNotFound, "unknown upload kind %q (known: %s)", kind, strings.Join(api.Kinds, ", "))
		return
	}
	if !api.ValidClientID(id) {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "%q is not a client ID", id)
		return
	}
	if k := r.Header.Get(api.HeaderIdempotencyKey); k != "" && k != id {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "the Idempotency-Key %q differs from the client ID %q in the path", k, id)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, api.MaxUploadBytes+1))
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "reading the upload: %v", err)
		return
	}
	if len(body) > api.MaxUploadBytes {
		s.fail(w, r, http.StatusRequestEntityTooLarge, api.CodeTooLarge, "the upload is larger than %d bytes", api.MaxUploadBytes)
		return
	}
	till := tillOf(r)
	rec, err := decodeUpload(body)
	if err == nil {
		err = checkUpload(kind, id, till, rec)
	}
	if err == nil {
		err = s.uploads.check(kind, rec)
	}
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "%v; nothing was stored", err)
		return
	}
	if kind == api.KindJournal {
		s.uploadJournal(w, r, till, id, body)
		return
	}
	dup, at, err := s.st.Upload(r.Context(), till, kind, id, body)
	if errors.Is(err, ErrConflict) {
		s.fail(w, r, http.StatusConflict, api.CodeConflict, "%v; the stored copy was kept", err)
		return
	}
	if errors.Is(err, ErrInvalid) {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "%v; nothing was stored", err)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.log.Info("upload", "till", till.ID, "kind", kind, "id", id, "duplicate", dup)
	s.reply(w, http.StatusOK, api.UploadReply{ID: id, Kind: kind, Duplicate: dup, Received: at})
}

// uploadJournal checks a batch of the till's journal entries against the
// chain the server holds and stores the new ones.
func (s *Server) uploadJournal(w http.ResponseWriter, r *http.Request, till TillInfo, id string, body []byte) {
	var b api.JournalBatch
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "the journal upload is not a journal batch: %v", err)
		return
	}
	if len(b.Entries) == 0 || len(b.Entries) > api.MaxJournalBatch {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "a journal batch holds 1 to %d entries, not %d", api.MaxJournalBatch, len(b.Entries))
		return
	}
	entries := make([]journal.Entry, len(b.Entries))
	for i, je := range b.Entries {
		entries[i] = apimap.JournalEntryFrom(je)
	}
	head, fresh, err := s.st.AppendJournal(r.Context(), till.ID, entries)
	var je *JournalError
	switch {
	case errors.As(err, &je):
		s.log.Warn("journal refused", "till", till.ID, "entry", je.Seq, "reason", je.Reason)
		s.fail(w, r, http.StatusConflict, api.CodeJournal, "%v; nothing of the upload was stored, and the store manager sees the alert", err)
		return
	case errors.Is(err, ErrKeyConflict):
		s.fail(w, r, http.StatusConflict, api.CodeKeyConflict, "%v", err)
		return
	case err != nil:
		s.internal(w, r, err)
		return
	}
	s.log.Info("journal upload", "till", till.ID, "id", id, "entries", len(entries), "new", fresh, "head", head.Seq)
	s.reply(w, http.StatusOK, api.UploadReply{ID: id, Kind: api.KindJournal, Duplicate: fresh == 0, Received: time.Now().UTC(), Journal: &head})
}

func (s *Server) journalHead(w http.ResponseWriter, r *http.Request) {
	h, err := s.st.JournalHead(r.Context(), tillOf(r).ID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.reply(w, http.StatusOK, h)
}

func (s *Server) registerKey(w http.ResponseWriter, r *http.Request) {
	var req api.KeyRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&req); err != nil {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "the key registration needs a JSON body with a \"public_key\"")
		return
	}
	pub, err := journal.DecodePublic(req.PublicKey)
	if err != nil {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "public_key: %v", err)
		return
	}
	till := tillOf(r)
	h, err := s.st.RegisterKey(r.Context(), till.ID, pub)
	if errors.Is(err, ErrKeyConflict) {
		s.log.Warn("journal key refused", "till", till.ID, "key", journal.KeyID(pub))
		s.fail(w, r, http.StatusConflict, api.CodeKeyConflict, "%v", err)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.log.Info("journal key registered", "till", till.ID, "key", h.KeyID)
	s.reply(w, http.StatusOK, h)
}

// checkIn records the calling till's build and outbox size (the first call
// of every sync pass).
func (s *Server) checkIn(w http.ResponseWriter, r *http.Request) {
	var req api.CheckIn
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&req); err != nil || req.Client.Version == "" || req.Pending < 0 {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "the check-in needs a JSON body with client.version and pending ≥ 0")
		return
	}
	till := tillOf(r)
	if err := s.st.CheckIn(r.Context(), till.ID, req.Client, req.Pending, time.Now()); err != nil {
		s.internal(w, r, err)
		return
	}
	if till.Client.Version != req.Client.Version {
		s.log.Info("till version", "till", till.ID, "version", req.Client.Version, "was", clientVersion(&till.Client),
			"platform", req.Client.OS+"/"+req.Client.Arch, "schema", req.Client.Schema)
	}
	pepper, err := s.st.PINPepper(r.Context(), till.StoreID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.reply(w, http.StatusOK, api.CheckInReply{TillID: till.ID, Server: version.Get().Version, Time: time.Now().UTC(),
		PINPepper: base64.StdEncoding.EncodeToString(pepper)})
}

// clientVersion names a till's version for the logs.
func clientVersion(c *api.ClientInfo) string {
	if c == nil || c.Version == "" {
		return "unknown"
	}
	return c.Version
}

func (s *Server) inventory(w http.ResponseWriter, r *http.Request) {
	pid := r.PathValue("product")
	levels, err := s.st.Availability(r.Context(), pid)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.reply(w, http.StatusOK, api.Availability{ProductID: pid, Stores: levels})
}

// customerHistory answers a till asking for a customer's purchases at the
// chain's other tills.
func (s *Server) customerHistory(w http.ResponseWriter, r *http.Request) {
	numbers := r.URL.Query()["number"]
	if len(numbers) == 0 || len(numbers) > api.MaxHistoryNumbers {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "give 1 to %d customer numbers as number=…", api.MaxHistoryNumbers)
		return
	}
	for _, n := range numbers {
		if strings.TrimSpace(n) == "" || len(n) > 64 {
			s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "%q is not a customer number", n)
			return
		}
	}
	h, err := s.st.CustomerHistory(r.Context(), numbers, tillOf(r).ID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.reply(w, http.StatusOK, h)
}

// storeReport answers a till asking for its store's report across tills.
func (s *Server) storeReport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, ferr := time.Parse(time.RFC3339, q.Get("from"))
	to, terr := time.Parse(time.RFC3339, q.Get("to"))
	if ferr != nil || terr != nil || !from.Before(to) || to.Sub(from) > 400*24*time.Hour {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "give from and to as RFC 3339 times, from before to, at most 400 days apart")
		return
	}
	rep, err := s.st.StoreReport(r.Context(), tillOf(r).StoreID, from, to)
	if errors.Is(err, ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, api.CodeNotFound, "%v", err)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.reply(w, http.StatusOK, rep)
}

// sale finds a sale for a return at the calling till.
func (s *Server) sale(w http.ResponseWriter, r *http.Request) {
	no := r.PathValue("receipt")
	if strings.TrimSpace(no) == "" || len(no) > 64 {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "%q is not a receipt number", no)
		return
	}
	sale, err := s.st.Sale(r.Context(), tillOf(r), no, r.URL.Query().Get("any_store") == "1")
	if errors.Is(err, ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, api.CodeNotFound, "%v", err)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.reply(w, http.StatusOK, sale)
}

// image serves a product picture by its key. A picture never changes
// under its key, so a till may keep it for good.
func (s *Server) image(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if !catalog.ValidImageKey(key) {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "%q is not a picture key (the SHA-256 of the picture, 64 lower-case hex digits)", key)
		return
	}
	typ, data, err := s.st.Image(r.Context(), key)
	s.blob(w, r, key, typ, data, err)
}

// blob answers with bytes kept by their key (a picture, a module), which
// never change under it; or with the error reading them.
func (s *Server) blob(w http.ResponseWriter, r *http.Request, key, typ string, data []byte, err error) {
	if errors.Is(err, ErrNotFound) {
		s.fail(w, r, http.StatusNotFound, api.CodeNotFound, "%v", err)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	w.Header().Set("ETag", `"`+key+`"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data) // a till that went away asks again
}

// extensionModule serves a published extension's module by its SHA-256.
func (s *Server) extensionModule(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if !api.ValidModuleKey(key) {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "%q is not a module key (the SHA-256 of the module, 64 lower-case hex digits)", key)
		return
	}
	data, err := s.st.ExtensionModule(r.Context(), key)
	s.blob(w, r, key, "application/wasm", data, err)
}

// valuePath reads the kind and number of a balance's path.
func (s *Server) valuePath(w http.ResponseWriter, r *http.Request) (storedvalue.Kind, string, bool) {
	kind := storedvalue.Kind(r.PathValue("kind"))
	number, ok := storedvalue.Normalize(r.PathValue("number"))
	if !kind.Valid() || !ok {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "%q/%q is not a gift card, memo or account number (kinds: giftcard, memo, account)", r.PathValue("kind"), r.PathValue("number"))
		return "", "", false
	}
	return kind, number, true
}

// balance reads a gift card's, memo's or account's balance in the ledger,
// with what other tills hold on it.
func (s *Server) balance(w http.ResponseWriter, r *http.Request) {
	kind, number, ok := s.valuePath(w, r)
	if !ok {
		return
	}
	b, err := s.st.TillBalance(r.Context(), tillOf(r).ID, kind, number)
	s.valueReply(w, r, b, err)
}

// hold holds an amount of a number for the calling till's sale.
func (s *Server) hold(w http.ResponseWriter, r *http.Request) {
	kind, number, ok := s.valuePath(w, r)
	if !ok {
		return
	}
	var h api.ValueHold
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&h); err != nil {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "the hold is not JSON {txn_id, amount}: %v", err)
		return
	}
	b, err := s.st.HoldValue(r.Context(), tillOf(r).ID, kind, number, h.TxnID, h.Amount)
	s.valueReply(w, r, b, err)
}

// release drops the calling till's holds for a sale.
func (s *Server) release(w http.ResponseWriter, r *http.Request) {
	if err := s.st.ReleaseValue(r.Context(), tillOf(r).ID, r.PathValue("txn")); err != nil {
		s.internal(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) valueReply(w http.ResponseWriter, r *http.Request, b api.ValueBalance, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		s.fail(w, r, http.StatusNotFound, api.CodeNotFound, "%v", err)
	case errors.Is(err, ErrConflict):
		s.fail(w, r, http.StatusConflict, api.CodeConflict, "%v", err)
	case errors.Is(err, ErrInvalid):
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "%v", err)
	case err != nil:
		s.internal(w, r, err)
	default:
		s.reply(w, http.StatusOK, b)
	}
}

// NewSecret returns n random bytes in URL-safe base64.
func NewSecret(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails: since Go 1.24 it aborts the program instead
	return base64.RawURLEncoding.EncodeToString(b)
}

// codeAlphabet avoids letters and digits that are easily confused.
const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// NewActivationCode returns a one-time code a person can type: XXXX-XXXX-XXXX.
func NewActivationCode() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // never fails, see NewSecret
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return sb.String()
}

// normalizeCode makes code entry forgiving: case, spaces and dashes do not
// matter.
func normalizeCode(c string) string {
	var sb strings.Builder
	for _, r := range strings.ToUpper(c) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// HashCode returns the stored form of an activation code: the hash of the
// code without case, spaces or dashes.
func HashCode(code string) string { return HashSecret(normalizeCode(code)) }

// IssueActivationCode creates a one-time code for a till, valid for ttl.
func IssueActivationCode(ctx context.Context, st Storage, tillID string, ttl time.Duration) (string, error) {
	code := NewActivationCode()
	if err := st.IssueCode(ctx, tillID, HashCode(code), time.Now().Add(ttl)); err != nil {
		return "", err
	}
	return code, nil
}

// IssueFixedCode stores a chosen code (demo and tests): it is one-time like
// any other.
func IssueFixedCode(ctx context.Context, st Storage, tillID, code string, ttl time.Duration) error {
	return st.IssueCode(ctx, tillID, HashCode(code), time.Now().Add(ttl))
}

// Serve serves on ln until ctx is cancelled, then shuts down gracefully:
// requests in flight get up to 10 s to finish. With certFile and keyFile it
// serves TLS.
//
// A server whose PIN key is missing or not its database's (ErrPINKey)
// refuses to start: its tills could not check their operators' PINs.
func (s *Server) Serve(ctx context.Context, ln net.Listener, certFile, keyFile string) error {
	keyID, err := s.st.PINKeyID(ctx)
	if err != nil {
		_ = ln.Close() // nothing was served on it; the key error is the one to report
		return err
	}
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() {
		if certFile != "" {
			errc <- hs.ServeTLS(ln, certFile, keyFile)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	s.log.Info("scale unit listening", "addr", ln.Addr().String(), "tls", certFile != "", "pin_key", keyID)
	go s.rollUpEvery(ctx, RollUpEvery)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = hs.Shutdown(sctx)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// RollUpEvery is how often a serving scale unit rolls up the report sums
// of the days past (Storage.RollUpReports); cheap when nothing changed.
var RollUpEvery = 10 * time.Minute

// rollUpEvery rolls up the report sums at start and then every period
// until ctx ends. A failure is logged; the reports roll up what they read.
func (s *Server) rollUpEvery(ctx context.Context, period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		if err := s.st.RollUpReports(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("rolling up the report sums (the next reports roll up what they read)", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// decodeUpload reads an upload's body, which must be a JSON object (not
// null, not an array), once for all the checks.
func decodeUpload(body []byte) (map[string]any, error) {
	if t := bytes.TrimSpace(body); len(t) == 0 || t[0] != '{' {
		return nil, fmt.Errorf("the upload is not a JSON object")
	}
	var rec map[string]any
	if err := json.Unmarshal(body, &rec); err != nil {
		return nil, fmt.Errorf("the upload is not a JSON object: %v", err)
	}
	return rec, nil
}

// checkUpload refuses what no till sends: a record without its id or with
// another id than the path's, and a transaction of another store or
// register than the calling till's (an upload is bound to its till). The
// contract's schema of the kind checks the rest (uploadSchemas.check).
func checkUpload(kind, id string, till TillInfo, rec map[string]any) error {
	got, isString := rec["id"].(string)
	switch {
	case rec["id"] != nil && !isString:
		return fmt.Errorf("the record's id is not a string: it must carry its client ID %q", id)
	case got == "":
		return fmt.Errorf("the record carries no id: it must carry its client ID %q", id)
	case got != id:
		return fmt.Errorf("the record's id %q differs from the client ID %q in the path", got, id)
	}
	if kind == api.KindTransaction {
		store, _ := rec["store"].(string)
		terminal, _ := rec["terminal"].(string)
		if store != "" && store != till.StoreID {
			return fmt.Errorf("transaction %s is of store %s, not of the calling till's store %s", id, store, till.StoreID)
		}
		if terminal != "" && terminal != till.TerminalID {
			return fmt.Errorf("transaction %s is of register %s, not of the calling till (%s)", id, terminal, till.ID)
		}
	}
	return nil
}
