package scaleunit

// The admin API (docs/sync.md, "The admin API"; docs/scaleunit-api.yaml,
// the paths under /v1/admin/): what a chain's back office changes on the
// server, through the same storage methods, and so the same checks, as the
// scaleunit admin commands. It takes admin tokens (admintokens.go) only.
//
// Chain-wide data — products, prices, roles and operators, one copy for
// every store — takes a token without stores; a store's setup, documents
// and tills take a token for that store (or the whole chain).

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/opentill/opentill/offline/api"
	"github.com/opentill/opentill/offline/apimap"
	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/staff"
)

// adminRoutes adds the admin API's paths to the server.
func (s *Server) adminRoutes() {
	s.mux.HandleFunc("PUT "+api.PathAdminProducts, s.admin(s.adminPutProducts))
	s.mux.HandleFunc("PUT "+api.PathAdminProducts+"/{id}", s.admin(s.adminPutProduct))
	s.mux.HandleFunc("DELETE "+api.PathAdminProducts+"/{id}", s.admin(s.adminDeleteProduct))
	s.mux.HandleFunc("PUT "+api.PathAdminPrices, s.admin(s.adminPutPrices))
	s.mux.HandleFunc("GET "+api.PathAdminStores+"{store}/setup", s.admin(s.adminSetup))
	s.mux.HandleFunc("PUT "+api.PathAdminStores+"{store}/setup", s.admin(s.adminPutSetup))
	s.mux.HandleFunc("GET "+api.PathAdminStores+"{store}/documents/{name...}", s.admin(s.adminDocument))
	s.mux.HandleFunc("PUT "+api.PathAdminStores+"{store}/documents/{name...}", s.admin(s.adminPutDocument))
	s.mux.HandleFunc("DELETE "+api.PathAdminStores+"{store}/documents/{name...}", s.admin(s.adminDeleteDocument))
	s.mux.HandleFunc("PUT "+api.PathAdminOperators+"{id}", s.admin(s.adminPutOperator))
	s.mux.HandleFunc("PUT "+api.PathAdminRoles+"{id}", s.admin(s.adminPutRole))
	s.mux.HandleFunc("GET "+api.PathAdminTills, s.admin(s.adminTills))
	s.mux.HandleFunc("POST "+api.PathAdminTills+"/{store}/{terminal}/code", s.admin(s.adminTillCode))
	s.mux.HandleFunc("DELETE "+api.PathAdminTills+"/{store}/{terminal}", s.admin(s.adminDeactivateTill))
}

// pathID checks a record's id against the path's {id}: a record without
// one takes the path's, one with another is refused.
func (s *Server) pathID(w http.ResponseWriter, r *http.Request, what string, id *string) bool {
	want := r.PathValue("id")
	if *id == "" {
		*id = want
	}
	if *id != want {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "the %s's id %q differs from %q in the path; nothing was changed", what, *id, want)
		return false
	}
	return true
}

type adminHandler func(w http.ResponseWriter, r *http.Request, tok AdminToken)

// admin checks the bearer token against the admin tokens. Each token's
// hash is compared in constant time, all of them every time, so a reply's
// timing says nothing of how near a guess came. A till's token is refused
// here, as an admin token is on the tills' paths.
func (s *Server) admin(next adminHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || secret == "" {
			s.fail(w, r, http.StatusUnauthorized, api.CodeUnauthorized, "no bearer token: the admin API takes an admin token (scaleunit admin token create --name NAME on the server)")
			return
		}
		toks, err := s.st.AdminTokens(r.Context())
		if err != nil {
			s.internal(w, r, err)
			return
		}
		hash := []byte(HashSecret(secret))
		found, match := -1, 0
		for i, t := range toks {
			if subtle.ConstantTimeCompare(hash, []byte(t.hash)) == 1 {
				found, match = i, 1
			}
		}
		if match == 0 {
			if _, err := s.st.TillByToken(r.Context(), string(hash)); err == nil || errors.Is(err, ErrDeactivated) {
				s.fail(w, r, http.StatusUnauthorized, api.CodeUnauthorized, "a till's token does not work on the admin API: use an admin token (scaleunit admin token create --name NAME)")
				return
			}
			s.fail(w, r, http.StatusUnauthorized, api.CodeUnauthorized, "unknown admin token: check it, or create one with scaleunit admin token create --name NAME")
			return
		}
		tok := toks[found]
		if !tok.Revoked.IsZero() {
			s.fail(w, r, http.StatusUnauthorized, api.CodeUnauthorized, "admin token %s was revoked: create a new one with scaleunit admin token create --name NAME", tok.Name)
			return
		}
		if time.Since(tok.LastUsed) > time.Minute {
			// Shown by scaleunit admin token list only: the call goes on.
			if err := s.st.UsedAdminToken(r.Context(), tok.Name, time.Now()); err != nil {
				s.log.Warn("recording an admin token's use", "token", tok.Name, "error", err)
			}
		}
		s.log.Info("admin call", "token", tok.Name, "method", r.Method, "path", r.URL.Path)
		next(w, r, tok)
	}
}

// chainWide refuses a token for some stores on the data every store
// shares.
func (s *Server) chainWide(w http.ResponseWriter, r *http.Request, tok AdminToken, what string) bool {
	if tok.Chain() {
		return true
	}
	s.fail(w, r, http.StatusForbidden, api.CodeForbidden, "admin token %s is for %s, and %s are the whole chain's: use a token without --stores", tok.Name, tok.Scope(), what)
	return false
}

// inStore refuses a token for other stores than storeID.
func (s *Server) inStore(w http.ResponseWriter, r *http.Request, tok AdminToken, storeID string) bool {
	if tok.Allows(storeID) {
		return true
	}
	s.fail(w, r, http.StatusForbidden, api.CodeForbidden, "admin token %s is for %s, not store %s: use a token for that store", tok.Name, tok.Scope(), storeID)
	return false
}

// adminError answers with the storage's refusal: 400 for what its checks
// refused (nothing was changed), 404 for what is not there, 409 for a
// conflict.
func (s *Server) adminError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, ErrInvalid):
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "%v; nothing was changed", err)
	case errors.Is(err, ErrNotFound):
		s.fail(w, r, http.StatusNotFound, api.CodeNotFound, "%v", err)
	case errors.Is(err, ErrConflict):
		s.fail(w, r, http.StatusConflict, api.CodeConflict, "%v", err)
	default:
		s.internal(w, r, err)
	}
}

// decodeAdmin reads a request's JSON body into v: one value of the type,
// no field it does not know, at most api.MaxAdminBytes. It answers the
// refusal itself.
func (s *Server) decodeAdmin(w http.ResponseWriter, r *http.Request, what string, v any) bool {
	return s.bodyRefused(w, r, what, decodeStrict(http.MaxBytesReader(w, r.Body, api.MaxAdminBytes), v))
}

// decodeStrict decodes one JSON value from rd into v, refusing fields v
// does not have and anything after the value.
func decodeStrict(rd io.Reader, v any) error {
	dec := json.NewDecoder(rd)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("something follows it (give one JSON object)")
	}
	return nil
}

func strictJSON(b []byte, v any) error { return decodeStrict(bytes.NewReader(b), v) }

// bodyRefused answers a body that could not be read (too large, not what
// the path takes) and says whether it could.
func (s *Server) bodyRefused(w http.ResponseWriter, r *http.Request, what string, err error) bool {
	var tooLarge *http.MaxBytesError
	switch {
	case err == nil:
		return true
	case errors.As(err, &tooLarge):
		s.fail(w, r, http.StatusRequestEntityTooLarge, api.CodeTooLarge, "the body is larger than %d bytes: send fewer records at a time; nothing was changed", api.MaxAdminBytes)
	default:
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "the body is not %s: %v; nothing was changed", what, err)
	}
	return false
}

func (s *Server) adminPutProducts(w http.ResponseWriter, r *http.Request, tok AdminToken) {
	if !s.chainWide(w, r, tok, "products") {
		return
	}
	var b api.ProductBatch
	if !s.decodeAdmin(w, r, `a product batch {"products": [...]}`, &b) {
		return
	}
	if len(b.Products) == 0 || len(b.Products) > api.MaxAdminBatch {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "a batch holds 1 to %d products, not %d; nothing was changed", api.MaxAdminBatch, len(b.Products))
		return
	}
	ps := make([]catalog.Product, len(b.Products))
	for i, p := range b.Products {
		ps[i] = apimap.ProductFrom(p)
	}
	if err := s.st.PutProducts(r.Context(), ps); err != nil {
		s.adminError(w, r, err)
		return
	}
	s.reply(w, http.StatusOK, api.Changed{Changed: len(ps)})
}

func (s *Server) adminPutProduct(w http.ResponseWriter, r *http.Request, tok AdminToken) {
	if !s.chainWide(w, r, tok, "products") {
		return
	}
	var p api.Product
	if !s.decodeAdmin(w, r, "a product", &p) {
		return
	}
	if !s.pathID(w, r, "product", &p.ID) {
		return
	}
	ps := []catalog.Product{apimap.ProductFrom(p)}
	if err := s.st.PutProducts(r.Context(), ps); err != nil {
		s.adminError(w, r, err)
		return
	}
	s.reply(w, http.StatusOK, apimap.ProductOf(ps[0]))
}

func (s *Server) adminDeleteProduct(w http.ResponseWriter, r *http.Request, tok AdminToken) {
	if !s.chainWide(w, r, tok, "products") {
		return
	}
	if err := s.st.DeleteProduct(r.Context(), r.PathValue("id")); err != nil {
		s.adminError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) adminPutPrices(w http.ResponseWriter, r *http.Request, tok AdminToken) {
	if !s.chainWide(w, r, tok, "prices") {
		return
	}
	var b api.PriceBatch
	if !s.decodeAdmin(w, r, `a price batch {"prices": [{"product_id", "price"}, ...]}`, &b) {
		return
	}
	if len(b.Prices) == 0 || len(b.Prices) > api.MaxAdminBatch {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "a batch holds 1 to %d prices, not %d; nothing was changed", api.MaxAdminBatch, len(b.Prices))
		return
	}
	err := s.st.SetPrices(r.Context(), b.Prices)
	if errors.Is(err, ErrNotFound) {
		// A product of the batch, not the path, is missing.
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "%v: add the product first (PUT %s/ID); nothing was changed", err, api.PathAdminProducts)
		return
	}
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	s.reply(w, http.StatusOK, api.Changed{Changed: len(b.Prices)})
}

func (s *Server) adminSetup(w http.ResponseWriter, r *http.Request, tok AdminToken) {
	storeID := r.PathValue("store")
	if !s.inStore(w, r, tok, storeID) {
		return
	}
	s.setupReply(w, r, storeID)
}

func (s *Server) setupReply(w http.ResponseWriter, r *http.Request, storeID string) {
	setup, err := s.st.StoreSetup(r.Context(), storeID)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	s.reply(w, http.StatusOK, apimap.SetupOf(setup))
}

func (s *Server) adminPutSetup(w http.ResponseWriter, r *http.Request, tok AdminToken) {
	storeID := r.PathValue("store")
	if !s.inStore(w, r, tok, storeID) {
		return
	}
	setup, err := DecodeSetup(http.MaxBytesReader(w, r.Body, api.MaxAdminBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		s.bodyRefused(w, r, "a setup", err)
		return
	}
	if err == nil {
		err = s.st.SetStoreSetup(r.Context(), storeID, setup)
	}
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	s.setupReply(w, r, storeID)
}

// docPath reads a document's store and name from the path, refusing a
// token for other stores and a name the server keeps no document by.
func (s *Server) docPath(w http.ResponseWriter, r *http.Request, tok AdminToken) (string, string, bool) {
	storeID, name := r.PathValue("store"), r.PathValue("name")
	if !s.inStore(w, r, tok, storeID) {
		return "", "", false
	}
	if !api.ValidDocName(name) {
		s.fail(w, r, http.StatusNotFound, api.CodeNotFound, "the server keeps no store document %q (known: promotions, extension_keys, receipt/sale, receipt/return, receipt/gift, receipt/x, receipt/z, hardware/TERMINAL)", name)
		return "", "", false
	}
	return storeID, name, true
}

func (s *Server) adminDocument(w http.ResponseWriter, r *http.Request, tok AdminToken) {
	storeID, name, ok := s.docPath(w, r, tok)
	if !ok {
		return
	}
	if _, err := s.st.StoreSetup(r.Context(), storeID); err != nil {
		s.adminError(w, r, err)
		return
	}
	body, err := s.st.Document(r.Context(), storeID, name)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	s.reply(w, http.StatusOK, api.StoreDocument{Name: name, Body: string(body)})
}

// adminPutDocument takes the document as JSON ({"body": TEXT}) or, with
// any other content type, as its text (curl --data-binary @promotions.toml).
func (s *Server) adminPutDocument(w http.ResponseWriter, r *http.Request, tok AdminToken) {
	storeID, name, ok := s.docPath(w, r, tok)
	if !ok {
		return
	}
	var body []byte
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/json" {
		var d api.StoreDocument
		if !s.decodeAdmin(w, r, `a document {"body": TEXT}`, &d) {
			return
		}
		if d.Name != "" && d.Name != name {
			s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "the document's name %q differs from %q in the path; nothing was changed", d.Name, name)
			return
		}
		body = []byte(d.Body)
	} else {
		var err error
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, api.MaxAdminBytes))
		if !s.bodyRefused(w, r, "a document", err) {
			return
		}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "the %s document is empty (DELETE takes a document away); nothing was changed", name)
		return
	}
	if err := s.st.PutDocument(r.Context(), storeID, name, body); err != nil {
		s.adminError(w, r, err)
		return
	}
	s.reply(w, http.StatusOK, api.StoreDocument{Name: name, Body: string(body)})
}

func (s *Server) adminDeleteDocument(w http.ResponseWriter, r *http.Request, tok AdminToken) {
	storeID, name, ok := s.docPath(w, r, tok)
	if !ok {
		return
	}
	if err := s.st.DeleteDocument(r.Context(), storeID, name); err != nil {
		s.adminError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// adminPutOperator adds or replaces an operator. The PIN goes the way
// scaleunit staff add --pin sends it (PutOperatorPIN: stretched, sealed
// under the chain's PIN key); without one, an operator the server has
// keeps its PIN.
func (s *Server) adminPutOperator(w http.ResponseWriter, r *http.Request, tok AdminToken) {
	if !s.chainWide(w, r, tok, "operators") {
		return
	}
	var req api.OperatorRequest
	if !s.decodeAdmin(w, r, "an operator", &req) {
		return
	}
	if !s.pathID(w, r, "operator", &req.ID) {
		return
	}
	o := apimap.OperatorFromRequest(req)
	if o.Language == "" {
		o.Language = "en"
	}
	var err error
	if req.PIN != "" {
		err = s.st.PutOperatorPIN(r.Context(), o, req.PIN, staff.DefaultParams)
	} else {
		var had staff.Operator
		had, err = s.st.Operator(r.Context(), o.ID)
		if errors.Is(err, ErrNotFound) {
			s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "operator %s is new: give a pin; nothing was changed", o.ID)
			return
		}
		if err == nil {
			o.PasswordHash = had.PasswordHash
			err = s.st.PutOperator(r.Context(), o)
		}
	}
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	stored, err := s.st.Operator(r.Context(), o.ID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.reply(w, http.StatusOK, apimap.OperatorInfoOf(stored, isSealed(stored.PasswordHash)))
}

func (s *Server) adminPutRole(w http.ResponseWriter, r *http.Request, tok AdminToken) {
	if !s.chainWide(w, r, tok, "roles") {
		return
	}
	var role api.Role
	if !s.decodeAdmin(w, r, "a role", &role) {
		return
	}
	if !s.pathID(w, r, "role", &role.ID) {
		return
	}
	if role.Permissions == nil {
		role.Permissions = []int{}
	}
	if err := s.st.PutRole(r.Context(), apimap.RoleFrom(role)); err != nil {
		s.adminError(w, r, err)
		return
	}
	s.reply(w, http.StatusOK, role)
}

// adminTills lists the tills the token may see (store=ID: one store's), as
// scaleunit admin tills does.
func (s *Server) adminTills(w http.ResponseWriter, r *http.Request, tok AdminToken) {
	only := r.URL.Query().Get("store")
	if only != "" && !s.inStore(w, r, tok, only) {
		return
	}
	ts, err := s.st.Tills(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := api.AdminTills{Tills: []api.AdminTill{}}
	for _, t := range ts {
		if tok.Allows(t.StoreID) && (only == "" || t.StoreID == only) {
			out.Tills = append(out.Tills, adminTillOf(t))
		}
	}
	s.reply(w, http.StatusOK, out)
}

func adminTillOf(t TillInfo) api.AdminTill {
	a := api.AdminTill{ID: t.ID, StoreID: t.StoreID, TerminalID: t.TerminalID, DeviceName: t.DeviceName, State: api.TillNotActivated,
		Activated: t.Activated, KeyID: t.KeyID, LastSeen: t.LastSeen, Pending: t.Pending}
	switch {
	case t.Deactivated:
		a.State = api.TillDeactivated
	case t.Active:
		a.State = api.TillActive
	}
	if t.Client.Version != "" {
		c := t.Client
		a.Client = &c
	}
	return a
}

// adminTillCode issues a one-time activation code for a till, adding the
// till to its store first if it has none of that terminal (scaleunit till
// add, or till code for a till there is). Activating with it lets a
// deactivated till in again with a new token.
func (s *Server) adminTillCode(w http.ResponseWriter, r *http.Request, tok AdminToken) {
	storeID, terminal := r.PathValue("store"), r.PathValue("terminal")
	if !s.inStore(w, r, tok, storeID) {
		return
	}
	var req api.CodeRequest
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<12))
	if err == nil && len(bytes.TrimSpace(body)) > 0 {
		err = strictJSON(body, &req)
	}
	if !s.bodyRefused(w, r, `a code request {"valid_hours": N} (or no body)`, err) {
		return
	}
	if req.ValidHours == 0 {
		req.ValidHours = api.DefaultCodeHours
	}
	if req.ValidHours < 1 || req.ValidHours > api.MaxCodeHours {
		s.fail(w, r, http.StatusBadRequest, api.CodeBadRequest, "valid_hours is 1 to %d, not %d", api.MaxCodeHours, req.ValidHours)
		return
	}
	if _, err := s.st.StoreSetup(r.Context(), storeID); err != nil {
		s.adminError(w, r, err)
		return
	}
	till, err := s.st.PutTill(r.Context(), storeID, terminal)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	ttl := time.Duration(req.ValidHours) * time.Hour
	code, err := IssueActivationCode(r.Context(), s.st, till.ID, ttl)
	if err != nil {
		s.adminError(w, r, err)
		return
	}
	s.log.Info("activation code issued", "till", till.ID, "token", tok.Name, "valid_hours", req.ValidHours)
	s.reply(w, http.StatusOK, api.ActivationCode{TillID: till.ID, Code: code, Expires: time.Now().Add(ttl).UTC().Truncate(time.Second)})
}

// adminDeactivateTill refuses a till's token from now on (scaleunit till
// deactivate); a new code brings it back.
func (s *Server) adminDeactivateTill(w http.ResponseWriter, r *http.Request, tok AdminToken) {
	storeID, terminal := r.PathValue("store"), r.PathValue("terminal")
	if !s.inStore(w, r, tok, storeID) {
		return
	}
	if err := s.st.SetTillActive(r.Context(), storeID+"/"+terminal, false); err != nil {
		s.adminError(w, r, err)
		return
	}
	s.log.Info("till deactivated", "till", storeID+"/"+terminal, "token", tok.Name)
	w.WriteHeader(http.StatusNoContent)
}
