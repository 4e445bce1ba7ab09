// Package prompt describes, as data, what an extension shows the operator: a
// question before an operation runs (confirm the customer's age), or a panel
// a custom operation opens (the customer's stamp card). Front ends render
// it (the Fyne till as a dialog, the text till as lines and a question);
// extensions never hold a UI object, so a WebAssembly module can send the
// same thing as JSON. It uses no fmt or reflection: WebAssembly guest
// modules link it, and each package they link costs the till start-up time.
package prompt

import (
	"errors"
	"strconv"
	"strings"
)

// Text is a message in several languages, keyed by BCP 47 base language
// ("en", "de"…). English is the fallback; a Text without English falls back
// to any language it has.
type Text map[string]string

// In returns the text in lang, else in English, else in the first language
// by name; "" when the text is empty.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	if i := strings.IndexAny(lang, "-_"); i > 0 {
		if s, ok := t[lang[:i]]; ok && s != "" {
			return s
		}
	}
	if s := t["en"]; s != "" {
		return s
	}
	best := ""
	for k, s := range t {
		if s != "" && (best == "" || k < best) {
			best = k
		}
	}
	return t[best]
}

// FieldKind is what a field asks for.
type FieldKind string

// Field kinds.
const (
	TextField   FieldKind = "text"   // free text
	NumberField FieldKind = "number" // digits (a year of birth, a count)
	ChoiceField FieldKind = "choice" // one of Options
)

// Option is one choice of a ChoiceField.
type Option struct {
	Value string `json:"value"`
	Label Text   `json:"label"`
}

// Field is one input of a panel; its answer is keyed by ID.
type Field struct {
	ID       string    `json:"id"`
	Label    Text      `json:"label"`
	Kind     FieldKind `json:"kind,omitempty"` // "" = text
	Required bool      `json:"required,omitempty"`
	Options  []Option  `json:"options,omitempty"`
}

// Item is one row of a panel's list: a label and a value ("Stamps" "7 of 10").
type Item struct {
	Label Text `json:"label"`
	Value Text `json:"value,omitempty"`
}

// Button is one answer to a panel. Its ID is the answer's ButtonKey value.
// Cancel marks the button that declines (Escape presses it). Op, when not
// zero, is an operation the front end runs when the button is pressed
// instead of answering (a panel's "Redeem" button).
type Button struct {
	ID     string `json:"id"`
	Label  Text   `json:"label"`
	Cancel bool   `json:"cancel,omitempty"`
	Op     int    `json:"op,omitempty"`
}

// ButtonKey is the answer key that holds the ID of the button pressed.
const ButtonKey = "button"

// Panel is a prompt or panel: a title, a message, a list, fields and buttons.
// ID names it for the extension that sent it (answers come back under it).
type Panel struct {
	ID        string   `json:"id"`
	Extension string   `json:"extension,omitempty"` // filled in by the host
	Title     Text     `json:"title"`
	Message   Text     `json:"message,omitempty"`
	Items     []Item   `json:"items,omitempty"`
	Fields    []Field  `json:"fields,omitempty"`
	Buttons   []Button `json:"buttons,omitempty"`
}

// Answers are the operator's answers to a panel: field ID → value, and
// ButtonKey → the button pressed.
type Answers map[string]string

// Button returns the ID of the button pressed.
func (a Answers) Button() string { return a[ButtonKey] }

// Validate checks that a panel can be shown: an ID, a title, unique field
// and button IDs, choices with options, and at least one button.
func (p Panel) Validate() error {
	if strings.TrimSpace(p.ID) == "" {
		return errors.New("the panel has no ID: give it one so that its answers come back under it")
	}
	if p.Title.In("en") == "" {
		return errors.New("panel " + p.ID + " has no title")
	}
	if len(p.Buttons) == 0 {
		return errors.New("panel " + p.ID + " has no button: give it at least one (e.g. OK)")
	}
	seen := map[string]bool{ButtonKey: true}
	for _, f := range p.Fields {
		if f.ID == "" || seen[f.ID] {
			return errors.New("panel " + p.ID + ": field ID " + strconv.Quote(f.ID) + " is empty, taken or reserved")
		}
		seen[f.ID] = true
		if f.Kind == ChoiceField && len(f.Options) == 0 {
			return errors.New("panel " + p.ID + ": choice field " + f.ID + " has no options")
		}
	}
	buttons := map[string]bool{}
	for _, b := range p.Buttons {
		if b.ID == "" || buttons[b.ID] {
			return errors.New("panel " + p.ID + ": button ID " + strconv.Quote(b.ID) + " is empty or taken")
		}
		buttons[b.ID] = true
	}
	return nil
}

// Check checks answers against the panel: a known button was pressed, every
// required field is filled (unless a cancel button was pressed), numbers
// are digits and choices are among the options. The error names the field.
func (p Panel) Check(a Answers) error {
	var pressed *Button
	for i := range p.Buttons {
		if p.Buttons[i].ID == a.Button() {
			pressed = &p.Buttons[i]
		}
	}
	if pressed == nil {
		return errors.New("panel " + p.ID + ": answer with one of its buttons, not " + strconv.Quote(a.Button()))
	}
	if pressed.Cancel {
		return nil
	}
	for _, f := range p.Fields {
		v := strings.TrimSpace(a[f.ID])
		if v == "" {
			if f.Required {
				return errors.New(f.Label.In("en") + ": fill it in")
			}
			continue
		}
		switch f.Kind {
		case NumberField:
			if strings.Trim(v, "0123456789") != "" {
				return errors.New(f.Label.In("en") + ": digits only")
			}
		case ChoiceField:
			ok := false
			for _, o := range f.Options {
				ok = ok || o.Value == v
			}
			if !ok {
				return errors.New(f.Label.In("en") + ": pick one of the options")
			}
		}
	}
	return nil
}

// Render writes a panel as text in lang, as the text till shows it: the
// title and message, the list, each field with its options, and the
// buttons to answer with.
func Render(p Panel, lang string) string {
	var b strings.Builder
	b.WriteString(p.Title.In(lang))
	if m := p.Message.In(lang); m != "" {
		b.WriteString(" — " + m)
	}
	for _, it := range p.Items {
		b.WriteString("\n    " + it.Label.In(lang) + ": " + it.Value.In(lang))
	}
	for _, f := range p.Fields {
		b.WriteString("\n    field " + f.ID + ": " + f.Label.In(lang))
		for _, o := range f.Options {
			b.WriteString(" [" + o.Value + "=" + o.Label.In(lang) + "]")
		}
	}
	if len(p.Buttons) > 0 {
		b.WriteString("\n    answer with:")
		for _, bt := range p.Buttons {
			b.WriteString(" " + bt.ID + " (" + bt.Label.In(lang) + ")")
		}
	}
	return b.String()
}
