// Package prompt describes, as data, what an extension shows the operator: a
// question before an operation runs (confirm the customer's age), or a panel
// a custom operation opens (the customer's stamp card). Front ends render
// it (the Fyne till as a dialog, the text till as lines and a question);
// extensions never hold a UI object, so a WebAssembly module can send the
// same thing as JSON.
package prompt

import (
	"fmt"
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
		return fmt.Errorf("the panel has no ID: give it one so that its answers come back under it")
	}
	if p.Title.In("en") == "" {
		return fmt.Errorf("panel %s has no title", p.ID)
	}
	if len(p.Buttons) == 0 {
		return fmt.Errorf("panel %s has no button: give it at least one (e.g. OK)", p.ID)
	}
	seen := map[string]bool{ButtonKey: true}
	for _, f := range p.Fields {
		if f.ID == "" || seen[f.ID] {
			return fmt.Errorf("panel %s: field ID %q is empty, taken or reserved", p.ID, f.ID)
		}
		seen[f.ID] = true
		if f.Kind == ChoiceField && len(f.Options) == 0 {
			return fmt.Errorf("panel %s: choice field %s has no options", p.ID, f.ID)
		}
	}
	buttons := map[string]bool{}
	for _, b := range p.Buttons {
		if b.ID == "" || buttons[b.ID] {
			return fmt.Errorf("panel %s: button ID %q is empty or taken", p.ID, b.ID)
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
		return fmt.Errorf("panel %s: answer with one of its buttons, not %q", p.ID, a.Button())
	}
	if pressed.Cancel {
		return nil
	}
	for _, f := range p.Fields {
		v := strings.TrimSpace(a[f.ID])
		if v == "" {
			if f.Required {
				return fmt.Errorf("%s: fill it in", f.Label.In("en"))
			}
			continue
		}
		switch f.Kind {
		case NumberField:
			if strings.Trim(v, "0123456789") != "" {
				return fmt.Errorf("%s: digits only", f.Label.In("en"))
			}
		case ChoiceField:
			ok := false
			for _, o := range f.Options {
				ok = ok || o.Value == v
			}
			if !ok {
				return fmt.Errorf("%s: pick one of the options", f.Label.In("en"))
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
		fmt.Fprintf(&b, "\n    %s: %s", it.Label.In(lang), it.Value.In(lang))
	}
	for _, f := range p.Fields {
		fmt.Fprintf(&b, "\n    field %s: %s", f.ID, f.Label.In(lang))
		for _, o := range f.Options {
			fmt.Fprintf(&b, " [%s=%s]", o.Value, o.Label.In(lang))
		}
	}
	if len(p.Buttons) > 0 {
		b.WriteString("\n    answer with:")
		for _, bt := range p.Buttons {
			fmt.Fprintf(&b, " %s (%s)", bt.ID, bt.Label.In(lang))
		}
	}
	return b.String()
}
