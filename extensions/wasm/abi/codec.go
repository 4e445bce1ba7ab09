package abi

import (
	"slices"
	"strconv"

	"github.com/opentill/opentill/pos/prompt"
)

// Encode writes v (a Request, Response or Cart) as JSON.
func Encode(v interface{ write(*writer) }) ([]byte, error) {
	var w writer
	v.write(&w)
	return w.result()
}

// Decode reads JSON into v (a *Request, *Response or *Cart). Keys match
// fields as in encoding/json (case folded), unknown keys are skipped.
func Decode(b []byte, v interface{ read(*reader) }) error {
	r := reader{b: b}
	v.read(&r)
	return r.result()
}

// The guest SDK's own entry points take the concrete types: a call through
// Encode's or Decode's interface keeps every ABI type's method in a module
// (100 KB a till decodes and validates at each start), the concrete calls
// only what a guest uses.

// AppendResponse is Encode of a Response (the guest's answer), appended
// to dst.
func AppendResponse(dst []byte, p Response) ([]byte, error) {
	w := writer{b: dst}
	p.write(&w)
	return w.result()
}

// DecodeRequest is Decode of a Request (what the guest is asked).
func DecodeRequest(b []byte, q *Request) error {
	r := reader{b: b}
	q.read(&r)
	return r.result()
}

// DecodeCart is Decode of a Cart (what ot_cart gives the guest).
func DecodeCart(b []byte, c *Cart) error {
	r := reader{b: b}
	c.read(&r)
	return r.result()
}

func (o Op) write(w *writer) {
	w.open('{')
	w.key("id")
	w.int64(int64(o.ID))
	if len(o.Args) > 0 {
		w.key("args")
		w.raw(o.Args)
	}
	w.close('}')
}

func (o *Op) read(r *reader) {
	r.fields(func(k string) bool {
		switch k {
		case "id":
			r.readInt(&o.ID)
		case "args":
			r.readRaw(&o.Args)
		default:
			return false
		}
		return true
	})
}

func (l Line) write(w *writer) {
	w.open('{')
	w.key("no")
	w.int64(int64(l.No))
	w.key("product_id")
	w.string(l.ProductID)
	w.key("name")
	w.string(l.Name)
	if l.Category != "" {
		w.key("category")
		w.string(l.Category)
	}
	w.key("qty")
	w.int64(l.Qty)
	w.key("unit_price")
	w.int64(l.UnitPrice)
	w.key("net")
	w.int64(l.Net)
	if l.Voided {
		w.key("voided")
		w.bool(l.Voided)
	}
	w.close('}')
}

func (l *Line) read(r *reader) {
	r.fields(func(k string) bool {
		switch k {
		case "no":
			r.readInt(&l.No)
		case "product_id":
			r.readString(&l.ProductID)
		case "name":
			r.readString(&l.Name)
		case "category":
			r.readString(&l.Category)
		case "qty":
			r.readInt64(&l.Qty)
		case "unit_price":
			r.readInt64(&l.UnitPrice)
		case "net":
			r.readInt64(&l.Net)
		case "voided":
			r.readBool(&l.Voided)
		default:
			return false
		}
		return true
	})
}

func (c Cart) write(w *writer) {
	w.open('{')
	w.key("id")
	w.string(c.ID)
	w.key("currency")
	w.string(c.Currency)
	w.key("lines")
	writeSlice(w, c.Lines, Line.write)
	w.key("total")
	w.int64(c.Total)
	w.key("status")
	w.string(c.Status)
	if c.Customer != "" {
		w.key("customer")
		w.string(c.Customer)
	}
	w.close('}')
}

func (c *Cart) read(r *reader) {
	r.fields(func(k string) bool {
		switch k {
		case "id":
			r.readString(&c.ID)
		case "currency":
			r.readString(&c.Currency)
		case "lines":
			readSlice(r, &c.Lines, func(l *Line) { l.read(r) })
		case "total":
			r.readInt64(&c.Total)
		case "status":
			r.readString(&c.Status)
		case "customer":
			r.readString(&c.Customer)
		default:
			return false
		}
		return true
	})
}

func (p Product) write(w *writer) {
	w.open('{')
	w.key("id")
	w.string(p.ID)
	w.key("name")
	w.string(p.Name)
	w.key("category")
	w.string(p.Category)
	w.key("price")
	w.int64(p.Price)
	w.close('}')
}

func (p *Product) read(r *reader) {
	r.fields(func(k string) bool {
		switch k {
		case "id":
			r.readString(&p.ID)
		case "name":
			r.readString(&p.Name)
		case "category":
			r.readString(&p.Category)
		case "price":
			r.readInt64(&p.Price)
		default:
			return false
		}
		return true
	})
}

func (c Customer) write(w *writer) {
	w.open('{')
	w.key("id")
	w.string(c.ID)
	if c.Name != "" {
		w.key("name")
		w.string(c.Name)
	}
	w.close('}')
}

func (c *Customer) read(r *reader) {
	r.fields(func(k string) bool {
		switch k {
		case "id":
			r.readString(&c.ID)
		case "name":
			r.readString(&c.Name)
		default:
			return false
		}
		return true
	})
}

func (o Operator) write(w *writer) {
	w.open('{')
	w.key("id")
	w.string(o.ID)
	w.key("role")
	w.string(o.Role)
	if o.Language != "" {
		w.key("language")
		w.string(o.Language)
	}
	w.close('}')
}

func (o *Operator) read(r *reader) {
	r.fields(func(k string) bool {
		switch k {
		case "id":
			r.readString(&o.ID)
		case "role":
			r.readString(&o.Role)
		case "language":
			r.readString(&o.Language)
		default:
			return false
		}
		return true
	})
}

func (v View) write(w *writer) {
	w.open('{')
	w.key("store")
	w.string(v.Store)
	w.key("terminal")
	w.string(v.Terminal)
	if v.Language != "" {
		w.key("language")
		w.string(v.Language)
	}
	if v.Operator != nil {
		w.key("operator")
		v.Operator.write(w)
	}
	if v.Customer != nil {
		w.key("customer")
		v.Customer.write(w)
	}
	if v.Product != nil {
		w.key("product")
		v.Product.write(w)
	}
	if len(v.Answers) > 0 {
		w.key("answers")
		writeStringMap(w, v.Answers)
	}
	w.close('}')
}

func (v *View) read(r *reader) {
	r.fields(func(k string) bool {
		switch k {
		case "store":
			r.readString(&v.Store)
		case "terminal":
			r.readString(&v.Terminal)
		case "language":
			r.readString(&v.Language)
		case "operator":
			readPtr(r, &v.Operator, func(o *Operator) { o.read(r) })
		case "customer":
			readPtr(r, &v.Customer, func(c *Customer) { c.read(r) })
		case "product":
			readPtr(r, &v.Product, func(p *Product) { p.read(r) })
		case "answers":
			readStringMap(r, &v.Answers)
		default:
			return false
		}
		return true
	})
}

func (q Request) write(w *writer) {
	w.open('{')
	w.key("phase")
	w.string(q.Phase)
	if q.Op != nil {
		w.key("op")
		q.Op.write(w)
	}
	w.key("view")
	q.View.write(w)
	if q.Line != nil {
		w.key("line")
		q.Line.write(w)
	}
	if q.Error != "" {
		w.key("error")
		w.string(q.Error)
	}
	if q.Done != nil {
		w.key("done")
		q.Done.write(w)
	}
	if len(q.Config) > 0 {
		w.key("config")
		w.raw(q.Config)
	}
	w.close('}')
}

func (q *Request) read(r *reader) {
	r.fields(func(k string) bool {
		switch k {
		case "phase":
			r.readString(&q.Phase)
		case "op":
			readPtr(r, &q.Op, func(o *Op) { o.read(r) })
		case "view":
			q.View.read(r)
		case "line":
			readPtr(r, &q.Line, func(l *Line) { l.read(r) })
		case "error":
			r.readString(&q.Error)
		case "done":
			readPtr(r, &q.Done, func(c *Cart) { c.read(r) })
		case "config":
			r.readRaw(&q.Config)
		default:
			return false
		}
		return true
	})
}

func (l ReceiptLines) write(w *writer) {
	w.open('{')
	if len(l.Header) > 0 {
		w.key("header")
		w.strings(l.Header)
	}
	if len(l.Lines) > 0 {
		w.key("lines")
		// encoding/json sorts int keys by their text: "10" before "9".
		keys := make([]string, 0, len(l.Lines))
		for k := range l.Lines {
			keys = append(keys, strconv.Itoa(k))
		}
		slices.Sort(keys)
		w.open('{')
		for _, k := range keys {
			n, _ := strconv.Atoi(k) // written by Itoa just above
			w.key(k)
			w.strings(l.Lines[n])
		}
		w.close('}')
	}
	if len(l.Footer) > 0 {
		w.key("footer")
		w.strings(l.Footer)
	}
	w.close('}')
}

func (l *ReceiptLines) read(r *reader) {
	r.fields(func(k string) bool {
		switch k {
		case "header":
			r.readStrings(&l.Header)
		case "lines":
			if r.null() {
				l.Lines = nil
				return true
			}
			if l.Lines == nil && r.peek() == '{' {
				l.Lines = map[int][]string{}
			}
			r.object(func(k string) {
				n, err := strconv.ParseInt(k, 10, 64)
				if err != nil {
					r.fail("a receipt line number is not an integer: " + strconv.Quote(k))
					return
				}
				var v []string
				r.readStrings(&v)
				l.Lines[int(n)] = v
			})
		case "footer":
			r.readStrings(&l.Footer)
		default:
			return false
		}
		return true
	})
}

func (p Response) write(w *writer) {
	w.open('{')
	if p.Verdict != "" {
		w.key("verdict")
		w.string(p.Verdict)
	}
	if len(p.Message) > 0 {
		w.key("message")
		writeStringMap(w, p.Message)
	}
	if p.Panel != nil {
		w.key("panel")
		writePanel(w, *p.Panel)
	}
	if len(p.Ops) > 0 {
		w.key("ops")
		writeSlice(w, p.Ops, Op.write)
	}
	if p.Receipt != nil {
		w.key("receipt")
		p.Receipt.write(w)
	}
	if p.Error != "" {
		w.key("error")
		w.string(p.Error)
	}
	w.close('}')
}

func (p *Response) read(r *reader) {
	r.fields(func(k string) bool {
		switch k {
		case "verdict":
			r.readString(&p.Verdict)
		case "message":
			readStringMap(r, &p.Message)
		case "panel":
			readPtr(r, &p.Panel, func(pn *prompt.Panel) { readPanel(r, pn) })
		case "ops":
			readSlice(r, &p.Ops, func(o *Op) { o.read(r) })
		case "receipt":
			readPtr(r, &p.Receipt, func(l *ReceiptLines) { l.read(r) })
		case "error":
			r.readString(&p.Error)
		default:
			return false
		}
		return true
	})
}

// writeSlice writes a slice of objects (null when nil).
func writeSlice[T any](w *writer, s []T, write func(T, *writer)) {
	if s == nil {
		w.null()
		return
	}
	w.open('[')
	for _, v := range s {
		write(v, w)
	}
	w.close(']')
}

// The prompt package's types (a panel a module shows).

func writePanel(w *writer, p prompt.Panel) {
	w.open('{')
	w.key("id")
	w.string(p.ID)
	if p.Extension != "" {
		w.key("extension")
		w.string(p.Extension)
	}
	w.key("title")
	writeStringMap(w, p.Title)
	if len(p.Message) > 0 {
		w.key("message")
		writeStringMap(w, p.Message)
	}
	if len(p.Items) > 0 {
		w.key("items")
		writeSlice(w, p.Items, writeItem)
	}
	if len(p.Fields) > 0 {
		w.key("fields")
		writeSlice(w, p.Fields, writeField)
	}
	if len(p.Buttons) > 0 {
		w.key("buttons")
		writeSlice(w, p.Buttons, writeButton)
	}
	w.close('}')
}

func readPanel(r *reader, p *prompt.Panel) {
	r.fields(func(k string) bool {
		switch k {
		case "id":
			r.readString(&p.ID)
		case "extension":
			r.readString(&p.Extension)
		case "title":
			readStringMap(r, &p.Title)
		case "message":
			readStringMap(r, &p.Message)
		case "items":
			readSlice(r, &p.Items, func(it *prompt.Item) { readItem(r, it) })
		case "fields":
			readSlice(r, &p.Fields, func(f *prompt.Field) { readField(r, f) })
		case "buttons":
			readSlice(r, &p.Buttons, func(b *prompt.Button) { readButton(r, b) })
		default:
			return false
		}
		return true
	})
}

func writeItem(it prompt.Item, w *writer) {
	w.open('{')
	w.key("label")
	writeStringMap(w, it.Label)
	if len(it.Value) > 0 {
		w.key("value")
		writeStringMap(w, it.Value)
	}
	w.close('}')
}

func readItem(r *reader, it *prompt.Item) {
	r.fields(func(k string) bool {
		switch k {
		case "label":
			readStringMap(r, &it.Label)
		case "value":
			readStringMap(r, &it.Value)
		default:
			return false
		}
		return true
	})
}

func writeField(f prompt.Field, w *writer) {
	w.open('{')
	w.key("id")
	w.string(f.ID)
	w.key("label")
	writeStringMap(w, f.Label)
	if f.Kind != "" {
		w.key("kind")
		w.string(string(f.Kind))
	}
	if f.Required {
		w.key("required")
		w.bool(f.Required)
	}
	if len(f.Options) > 0 {
		w.key("options")
		writeSlice(w, f.Options, writeOption)
	}
	w.close('}')
}

func readField(r *reader, f *prompt.Field) {
	r.fields(func(k string) bool {
		switch k {
		case "id":
			r.readString(&f.ID)
		case "label":
			readStringMap(r, &f.Label)
		case "kind":
			s := string(f.Kind)
			r.readString(&s)
			f.Kind = prompt.FieldKind(s)
		case "required":
			r.readBool(&f.Required)
		case "options":
			readSlice(r, &f.Options, func(o *prompt.Option) { readOption(r, o) })
		default:
			return false
		}
		return true
	})
}

func writeOption(o prompt.Option, w *writer) {
	w.open('{')
	w.key("value")
	w.string(o.Value)
	w.key("label")
	writeStringMap(w, o.Label)
	w.close('}')
}

func readOption(r *reader, o *prompt.Option) {
	r.fields(func(k string) bool {
		switch k {
		case "value":
			r.readString(&o.Value)
		case "label":
			readStringMap(r, &o.Label)
		default:
			return false
		}
		return true
	})
}

func writeButton(b prompt.Button, w *writer) {
	w.open('{')
	w.key("id")
	w.string(b.ID)
	w.key("label")
	writeStringMap(w, b.Label)
	if b.Cancel {
		w.key("cancel")
		w.bool(b.Cancel)
	}
	if b.Op != 0 {
		w.key("op")
		w.int64(int64(b.Op))
	}
	w.close('}')
}

func readButton(r *reader, b *prompt.Button) {
	r.fields(func(k string) bool {
		switch k {
		case "id":
			r.readString(&b.ID)
		case "label":
			readStringMap(r, &b.Label)
		case "cancel":
			r.readBool(&b.Cancel)
		case "op":
			r.readInt(&b.Op)
		default:
			return false
		}
		return true
	})
}
