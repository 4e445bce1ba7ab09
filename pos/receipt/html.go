package receipt

import (
	"html"
	"strings"
)

// HTML renders the document as an HTML page for an e-mail: the same lines
// as the paper receipt (Layout at width), in a monospaced block, emphasis
// as markup; codes and the logo travel as the PNG attachment. Every text
// is escaped.
func (d *Document) HTML(width int, title string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</title></head>\n<body style=\"background:#f4f4f4;margin:0;padding:16px\">\n")
	b.WriteString("<pre style=\"font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:14px;line-height:1.35;background:#fff;color:#111;padding:16px;margin:0 auto;max-width:40em\">\n")
	for _, l := range d.Layout(width) {
		if l.Graphic {
			continue
		}
		text := html.EscapeString(l.Text)
		if l.Style.Bold {
			text = "<b>" + text + "</b>"
		}
		switch l.Style.Size {
		case Tall, Double:
			text = "<span style=\"font-size:1.5em\">" + text + "</span>"
		case Wide:
			text = "<span style=\"letter-spacing:0.5em\">" + text + "</span>"
		}
		b.WriteString(text)
		b.WriteByte('\n')
	}
	b.WriteString("</pre>\n</body></html>\n")
	return b.String()
}
