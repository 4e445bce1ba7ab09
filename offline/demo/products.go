package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/money"
)

// DefaultSeed is the seed Seed generates products with.
const DefaultSeed int64 = 1

// EAN13 returns the 13-digit EAN for a 12-digit body: the body and its GS1
// mod-10 check digit. It panics unless body is 12 ASCII digits.
func EAN13(body string) string {
	if len(body) != 12 {
		panic("demo.EAN13: body must have 12 digits: " + body)
	}
	return body + string(CheckDigit(body))
}

// CheckDigit returns the GS1 mod-10 check digit of a string of ASCII digits:
// weights 3 and 1 alternate from the rightmost digit.
func CheckDigit(body string) byte {
	sum := 0
	w := 3
	for i := len(body) - 1; i >= 0; i-- {
		d := body[i]
		if d < '0' || d > '9' {
			panic("demo.CheckDigit: not a digit in " + body)
		}
		sum += int(d-'0') * w
		w = 4 - w
	}
	return byte('0' + (10-sum%10)%10)
}

// WeightCode returns the lookup key of an in-store weight code (prefix 21):
// "21", the 5-digit item code, five zero weight digits and the check digit.
// A scanned 21-code with a weight looks this key up once the register zeroes
// its weight digits.
func WeightCode(item int) string { return EAN13(fmt.Sprintf("21%05d00000", item)) }

func weighed(f catalog.Flags) catalog.Flags { f.Weighed = true; return f }

// Featured are the first products of every demo catalog, with fixed
// barcodes that docs, scripts and tests scan. Bananas, Tomatoes, Gouda and
// Salmon are sold by weight: their barcodes are 21-weight-code keys, so a
// scale label such as 2100042012349 (1.234 kg of bananas) finds them.
var Featured = []catalog.Product{
	fp("10000", "Whole Milk 3.5 % 1 L", "Milk", "Dairy", 119, TaxReduced, "4000000000013"),
	fp("10001", "Butter 250 g", "Butter", "Dairy", 229, TaxReduced, "4000000000020"),
	fp("10002", "Emmentaler Käse 200 g", "Cheese", "Dairy", 279, TaxReduced, "4000000000037"),
	fp("10003", "Crème fraîche 200 g", "Cream", "Dairy", 149, TaxReduced, "4000000000044"),
	fp("10004", "Greek Yoghurt 500 g", "Yoghurt", "Dairy", 219, TaxReduced, "4000000000051"),
	fp("10005", "Free-range Eggs 10 pcs", "Eggs", "Dairy", 329, TaxReduced, "4000000000068"),
	fp("10006", "Sourdough Bread 750 g", "Bread", "Bakery", 395, TaxReduced, "4000000000075"),
	fp("10007", "Butter Croissant", "Pastry", "Bakery", 89, TaxReduced, "4000000000082"),
	fp("10008", "Laugenbrezel", "Pastry", "Bakery", 79, TaxReduced, "4000000000099"),
	kg("10009", "Bananas", "Fruit", "Produce", 199, "2100042000001"),
	kg("10010", "Tomatoes on the Vine", "Vegetables", "Produce", 349, "2100043000000"),
	fp("10011", "Jalapeño Peppers 200 g", "Vegetables", "Produce", 179, TaxReduced, "4000000000105"),
	kg("10012", "Gouda Mild from the Counter", "Cheese counter", "Deli", 1290, "2100044000009"),
	kg("10013", "Salmon Fillet", "Fish", "Meat & Fish", 2490, "2100045000008"),
	fp("10014", "Milk Chocolate Bar 100 g", "Chocolate", "Sweets & Snacks", 129, TaxReduced, "4000000000112"),
	fp("10015", "Dark Chocolate 70 % 100 g", "Chocolate", "Sweets & Snacks", 199, TaxReduced, "4000000000129"),
	fp("10016", "Chocolate Chip Cookies 200 g", "Biscuits", "Sweets & Snacks", 249, TaxReduced, "4000000000136"),
	fp("10017", "Espresso Beans 1 kg", "Coffee", "Pantry", 1499, TaxReduced, "4000000000143"),
	fp("10018", "Sparkling Mineral Water 1.5 L", "Water", "Beverages", 69, TaxStandard, "4000000000150"),
	fp("10019", "Orange Juice 1 L", "Juice", "Beverages", 249, TaxStandard, "4000000000167"),
	fp("10020", "Cola 1.5 L", "Soft drinks", "Beverages", 169, TaxStandard, "4000000000174"),
	fp("10021", "Pilsner Beer 0.5 L", "Beer", "Beverages", 109, TaxStandard, "4000000000181"),
	fp("10022", "Rioja Reserva 0.75 L", "Wine", "Beverages", 999, TaxStandard, "4000000000198"),
	fp("10023", "Champagne Brut 0.75 L", "Wine", "Beverages", 2990, TaxStandard, "4000000000204"),
	fp("10024", "Washing-up Liquid 500 ml", "Cleaning", "Household", 149, TaxStandard, "4000000000211"),
	fp("10025", "Kitchen Paper Towels 4 Rolls", "Paper", "Household", 349, TaxStandard, "4000000000228"),
	fp("10026", "AA Batteries 4-Pack", "Electrical", "Household", 499, TaxStandard, "4000000000235"),
	fp("10027", "Teddy Bear 30 cm", "Plush", "Toys", 1999, TaxStandard, "4000000000242"),
	variant(fp("10028-BLK-M", "Basic T-Shirt Black M", "T-Shirts", "Clothing", 999, TaxStandard, "4000000000259"), "10028", "BLK-M", "Black", "M"),
	variant(fp("10028-BLK-L", "Basic T-Shirt Black L", "T-Shirts", "Clothing", 999, TaxStandard, "4000000000266"), "10028", "BLK-L", "Black", "L"),
	variant(fp("10028-WHT-M", "Basic T-Shirt White M", "T-Shirts", "Clothing", 999, TaxStandard, "4000000000273"), "10028", "WHT-M", "White", "M"),
	flagged(fp("10029", "Gift Wrapping Service", "Services", "Services", 0, TaxStandard, "4000000000280"),
		catalog.Flags{MustKeyInPrice: true, NoDiscount: true, NotReturnable: true}),
	flagged(fp("10030", "Bottle Deposit", "Deposit", "Beverages", 25, TaxZero, "4000000000297"),
		catalog.Flags{NoDiscount: true, NoOverride: true}),
	flagged(fp("10031", "Daily Newspaper", "Newspapers", "Press", 220, TaxReduced, "4000000000303"),
		catalog.Flags{NoDiscount: true, NotReturnable: true, NoOverride: true}),
	flagged(fp("10032", "Postage Stamp 0.95", "Postage", "Services", 95, TaxZero, "4000000000310"),
		catalog.Flags{NoDiscount: true, NotReturnable: true, NoOverride: true}),
}

func fp(id, name, category, department string, price int64, taxGroup, code string) catalog.Product {
	return catalog.Product{ID: id, ItemID: id, Name: name, Category: category, Department: department,
		Unit: catalog.Each.ID, Price: money.Amount(price), TaxGroup: taxGroup, Barcodes: []string{code}}
}

func kg(id, name, category, department string, pricePerKg int64, code string) catalog.Product {
	p := fp(id, name, category, department, pricePerKg, TaxReduced, code)
	p.Unit = catalog.Kilogram.ID
	p.Flags.Weighed = true
	return p
}

func variant(p catalog.Product, item, variantID, color, size string) catalog.Product {
	p.ItemID, p.VariantID, p.Color, p.Size = item, variantID, color, size
	return p
}

func flagged(p catalog.Product, f catalog.Flags) catalog.Product { p.Flags = f; return p }

// firstGeneratedItem is the item number of the first generated item.
const firstGeneratedItem = 10100

// firstGeneratedPLU is the first 5-digit item code of generated weight codes.
const firstGeneratedPLU = 1000

// Products returns a generator of n demo products, the same for the same n
// and seed: Featured first, then products of twelve departments with names in
// English, German, French and Spanish, VAT groups by department, a unique
// EAN-13 each (GS1 prefixes 401–412; weighed goods get a 21-weight-code key),
// about 1 % weighed goods priced per kg and clothing in colour and size
// variants. It reports false after n products.
func Products(n int, seed int64) func() (catalog.Product, bool) {
	g := &generator{
		rng:  rand.New(rand.NewPCG(uint64(seed), 0x6f70656e74696c6c)), // "opentill"
		item: firstGeneratedItem,
		plu:  firstGeneratedPLU,
	}
	i := 0
	return func() (catalog.Product, bool) {
		if i >= n {
			return catalog.Product{}, false
		}
		var p catalog.Product
		if i < len(Featured) {
			p = Featured[i]
			p.Barcodes = append([]string(nil), p.Barcodes...)
		} else {
			p = g.next()
		}
		i++
		return p, true
	}
}

type generator struct {
	rng     *rand.Rand
	item    int // next item number
	plu     int // next weight-code item
	seq     int64
	pending []catalog.Product // variants of the current item still to yield
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// price returns a price between lo and hi cents ending in 9 (or 5 for
// larger amounts), like shelf prices do.
func (g *generator) price(lo, hi int64) money.Amount {
	p := lo + g.rng.Int64N(hi-lo+1)
	if p >= 1000 && g.rng.IntN(3) == 0 {
		return money.Amount(p/100*100 + 95)
	}
	return money.Amount(p/10*10 + 9)
}

// barcode returns the next unique EAN-13 of a department's manufacturer range.
func (g *generator) barcode(d *department) string {
	g.seq++
	body := (401+int64(d.index))*1_000_000_000 + g.seq*37%1_000_000_000
	return EAN13(strconv.FormatInt(body, 10))
}

func (g *generator) next() catalog.Product {
	if len(g.pending) > 0 {
		p := g.pending[0]
		g.pending = g.pending[1:]
		return p
	}
	d := g.department()
	c := &d.categories[g.rng.IntN(len(d.categories))]
	id := strconv.Itoa(g.item)
	g.item++
	base := c.products[g.rng.IntN(len(c.products))]
	p := catalog.Product{ID: id, ItemID: id, Category: c.name, Department: d.name, Unit: catalog.Each.ID, TaxGroup: d.tax}
	if c.tax != "" {
		p.TaxGroup = c.tax
	}
	p.Flags = c.flags

	switch {
	case d.weighed > 0 && g.rng.Float64() < d.weighed && g.plu <= 99999:
		// Loose goods sold by weight: price per kg, weight-code key.
		p.Name = base + " " + g.pick(looseWords)
		if q := g.rng.IntN(4); q == 0 {
			p.Name = g.pick(organicWords) + " " + p.Name
		}
		p.Unit = catalog.Kilogram.ID
		p.Flags = weighed(p.Flags)
		p.Price = g.price(c.lo*3, c.hi*4)
		p.Barcodes = []string{WeightCode(g.plu)}
		g.plu++
		return p
	case d.variants:
		// An item in colours and sizes: one product per variant.
		brand := g.pick(d.brands)
		name := brand + " " + base
		price := g.price(c.lo, c.hi)
		picks := g.rng.Perm(len(colours))[:1+g.rng.IntN(3)]
		sizes := clothingSizes[g.rng.IntN(len(clothingSizes))]
		var vs []catalog.Product
		for _, ci := range picks {
			col := colours[ci]
			for _, sz := range sizes {
				v := p
				v.VariantID = col.code + "-" + sz
				v.ID = id + "-" + v.VariantID
				v.Color, v.Size = col.name, sz
				v.Name = name + " " + col.name + " " + sz
				v.Price = price
				v.Barcodes = []string{g.barcode(d)}
				vs = append(vs, v)
			}
		}
		g.pending = vs[1:]
		return vs[0]
	}
	name := base
	if len(d.brands) > 0 && g.rng.IntN(5) != 0 {
		name = g.pick(d.brands) + " " + name
	}
	if len(d.attributes) > 0 && g.rng.IntN(4) == 0 {
		name = g.pick(d.attributes) + " " + name
	}
	p.Price = g.price(c.lo, c.hi)
	if len(c.sizes) > 0 {
		i := g.rng.IntN(len(c.sizes))
		if c.sizes[i] != "" {
			name += " " + c.sizes[i]
		}
		if c.prices != nil {
			p.Price = money.Amount(c.prices[i])
		}
	}
	p.Name = name
	if p.Flags.MustKeyInPrice {
		p.Price = 0
	}
	// A few special products the till has to treat differently.
	switch r := g.rng.IntN(1000); {
	case r == 0:
		p.Flags.MustKeyInPrice = true
		p.Name = "Open Price " + d.name + " Item"
		p.Price = 0
	case r < 4:
		p.Flags.NoDiscount = true
	case r < 6:
		p.Flags.NotReturnable = true
	case r < 8:
		p.Flags.NoOverride = true
	}
	p.Barcodes = []string{g.barcode(d)}
	return p
}

func (g *generator) department() *department {
	r := g.rng.IntN(totalWeight)
	for i := range departments {
		if r < departments[i].weight {
			return &departments[i]
		}
		r -= departments[i].weight
	}
	return &departments[len(departments)-1]
}
