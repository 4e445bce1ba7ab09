package memstore

import (
	"context"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/poserr"
)

// Search limits, as in offline/store.
const (
	DefaultSearchLimit = 50
	MaxSearchLimit     = 500
	maxSearchTerms     = 8
	maxTermLen         = 64
)

// product is a stored product with its catalog position and folded name words.
type product struct {
	rid   int64
	p     catalog.Product
	words []string // the name's words, lower case, accents removed
}

// out returns a copy for a caller.
func (p *product) out() catalog.Product {
	c := p.p
	c.Barcodes = append([]string{}, p.p.Barcodes...)
	return c
}

// PutProduct inserts or replaces a product with its barcodes. A barcode of
// another product is refused (poserr.Invalid), as in offline/store.
func (s *Store) PutProduct(ctx context.Context, p catalog.Product) error {
	if err := cleanProduct(&p); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.usable(ctx); err != nil {
		return storageErr(err, "saving product %q", p.ID)
	}
	seen := map[string]bool{}
	for _, c := range p.Barcodes {
		owner, taken := s.barcodes[c]
		switch {
		case seen[c]: // listed twice
			owner, taken = p.ID, true
		case owner == p.ID: // the product's own, replaced below
			taken = false
		}
		if taken {
			return poserr.E(poserr.Invalid, "error.product.duplicate_barcode",
				"product %q: barcode %s already belongs to product %q", p.ID, c, owner)
		}
		seen[c] = true
	}
	old := s.products[p.ID]
	rid := s.rid + 1
	if old != nil {
		rid = old.rid
		for _, c := range old.p.Barcodes {
			delete(s.barcodes, c)
		}
	} else {
		s.rid = rid
	}
	for _, c := range p.Barcodes {
		s.barcodes[c] = p.ID
	}
	s.products[p.ID] = &product{rid: rid, p: p, words: words(p.Name)}
	return nil
}

// cleanProduct checks and tidies a product for storing.
func cleanProduct(p *catalog.Product) error {
	p.ID = strings.TrimSpace(p.ID)
	if p.ID == "" {
		return poserr.E(poserr.Invalid, "error.product.invalid", "product %q has no ID", p.Name)
	}
	if p.ItemID == "" {
		p.ItemID = p.ID
	}
	if p.Unit == "" {
		p.Unit = catalog.Each.ID
	}
	codes := make([]string, 0, len(p.Barcodes))
	for _, c := range p.Barcodes {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if strings.ContainsAny(c, " \t\r\n") {
			return poserr.E(poserr.Invalid, "error.product.invalid", "product %q: barcode %q contains spaces", p.ID, c)
		}
		codes = append(codes, c)
	}
	p.Barcodes = codes
	if p.PriceUnit < 0 {
		return poserr.E(poserr.Invalid, "error.product.invalid", "product %q: a price unit cannot be negative (give how many units the price is for, or 0 for one)", p.ID)
	}
	return nil
}

// ByBarcode finds the product with the normalised barcode key code.
func (s *Store) ByBarcode(ctx context.Context, code string) (catalog.Product, error) {
	code = strings.TrimSpace(code)
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return catalog.Product{}, readErr(err, "looking up barcode %q", code)
	}
	if p := s.products[s.barcodes[code]]; p != nil {
		return p.out(), nil
	}
	return catalog.Product{}, notFound("error.product.barcode_not_found", "code", code, "product with barcode %q not found")
}

// ByID finds a product by its product ID.
func (s *Store) ByID(ctx context.Context, id string) (catalog.Product, error) {
	id = strings.TrimSpace(id)
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return catalog.Product{}, readErr(err, "looking up product %q", id)
	}
	if p := s.products[id]; p != nil {
		return p.out(), nil
	}
	return catalog.Product{}, notFound("error.product.not_found", "id", id, "product %q not found")
}

// Variants implements pos.VariantLister.
func (s *Store) Variants(ctx context.Context, itemID string) ([]catalog.Product, error) {
	itemID = strings.TrimSpace(itemID)
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, readErr(err, "looking up the variants of %q", itemID)
	}
	var out []catalog.Product
	for _, p := range s.products {
		if q := p.out(); q.ItemID == itemID && q.VariantID != "" {
			out = append(out, q)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	if len(out) > 200 {
		out = out[:200]
	}
	return out, nil
}

// hit is a search candidate and the keys it is ordered by.
type hit struct {
	k int
	o string
	p *product
}

// Search finds products for what a cashier types, best match first, as
// offline/store does: an exact barcode, product ID or item ID; for a query
// of one word, item IDs and then barcodes starting with it; then names
// holding every word of the query as a word prefix, in any order, case and
// accents folded ("creme" finds "Crème fraîche"). Names are ordered by name
// (the SQLite store ranks them by BM25 first). An empty query finds nothing.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]catalog.Product, error) {
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	if limit > MaxSearchLimit {
		limit = MaxSearchLimit
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.usable(ctx); err != nil {
		return nil, readErr(err, "searching products for %q", query)
	}
	out := []catalog.Product{}
	seen := map[string]bool{}
	collect := func(hits []hit) {
		sort.SliceStable(hits, func(i, j int) bool {
			if hits[i].k != hits[j].k {
				return hits[i].k < hits[j].k
			}
			return hits[i].o < hits[j].o
		})
		for _, h := range hits {
			if !seen[h.p.p.ID] && len(out) < limit {
				seen[h.p.p.ID] = true
				out = append(out, h.p.out())
			}
		}
	}
	q := strings.TrimSpace(query)
	if q != "" && !strings.ContainsFunc(q, unicode.IsSpace) && len(q) <= 64 {
		collect(s.codeHits(q, limit))
	}
	terms := searchTerms(q)
	if len(terms) == 0 || len(out) >= limit {
		return out, nil
	}
	var names []hit
	for _, p := range s.catalogOrder() {
		if matchesAll(p.words, terms) {
			names = append(names, hit{p: p, o: p.p.Name})
		}
	}
	collect(names)
	return out, nil
}

// codeHits finds a single token as an exact barcode (1), product ID (2) or
// item ID (3), an item-ID prefix (4) and a barcode prefix (5), at most limit
// of each kind of range.
func (s *Store) codeHits(q string, limit int) []hit {
	var hits []hit
	digits := isDigits(q)
	if p := s.products[s.barcodes[q]]; digits && p != nil {
		hits = append(hits, hit{k: 1, p: p})
	}
	if p := s.products[q]; p != nil {
		hits = append(hits, hit{k: 2, p: p})
	}
	var exact, prefix, codes []hit
	for _, p := range s.products {
		if p.p.ItemID == q {
			exact = append(exact, hit{k: 3, o: p.p.ID, p: p})
		}
		if strings.HasPrefix(p.p.ItemID, q) {
			prefix = append(prefix, hit{k: 4, o: p.p.ItemID + " " + p.p.ID, p: p})
		}
	}
	if digits {
		for c, id := range s.barcodes {
			if strings.HasPrefix(c, q) {
				codes = append(codes, hit{k: 5, o: c, p: s.products[id]})
			}
		}
	}
	for _, part := range [][]hit{exact, prefix, codes} {
		sort.Slice(part, func(i, j int) bool { return part[i].o < part[j].o })
		hits = append(hits, part[:min(len(part), limit)]...)
	}
	return hits
}

// catalogOrder lists the products in the order they were first stored.
func (s *Store) catalogOrder() []*product {
	ps := make([]*product, 0, len(s.products))
	for _, p := range s.products {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].rid < ps[j].rid })
	return ps
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// isWordRune reports whether r belongs to a word (letters, digits, marks,
// private use), as the SQLite store's tokenizer sees it.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) || unicode.Is(unicode.Co, r)
}

// searchTerms splits user text into folded words, at most maxSearchTerms of
// at most maxTermLen runes each.
func searchTerms(q string) []string {
	var terms []string
	for _, f := range strings.FieldsFunc(q, func(r rune) bool { return !isWordRune(r) }) {
		if utf8.RuneCountInString(f) > maxTermLen {
			f = string([]rune(f)[:maxTermLen])
		}
		if f = fold(f); f != "" {
			terms = append(terms, f)
		}
		if len(terms) == maxSearchTerms {
			break
		}
	}
	return terms
}

// words returns a name's folded words.
func words(name string) []string {
	return strings.FieldsFunc(fold(name), func(r rune) bool { return !isWordRune(r) })
}

// fold lower-cases s and removes its accents: "Crème" → "creme".
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// matchesAll reports whether every term starts one of the words.
func matchesAll(words, terms []string) bool {
	for _, t := range terms {
		found := false
		for _, w := range words {
			if strings.HasPrefix(w, t) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
