package locale

import (
	"strconv"
	"strings"
	"time"
)

// cldrDates are the Gregorian calendar patterns of CLDR (common/main/*.xml,
// dateFormatLength "short", timeFormatLength "short" and "medium",
// dateTimeFormatLength "short") for the shipped locales. golang.org/x/text
// has no public date formatter, so the patterns are carried here as CLDR
// wrote them and formatted by cldrFormat below; only the two-digit year of
// a short date is widened to four digits, as a receipt or a shift report
// must show the full year.
var cldrDates = map[string]struct{ date, time, timeSec, glue string }{
	"de":    {"dd.MM.yy", "HH:mm", "HH:mm:ss", "{1}, {0}"},
	"fr":    {"dd/MM/y", "HH:mm", "HH:mm:ss", "{1} {0}"},
	"es":    {"d/M/yy", "H:mm", "H:mm:ss", "{1}, {0}"},
	"en-IE": {"dd/MM/y", "HH:mm", "HH:mm:ss", "{1}, {0}"},
	"en-GB": {"dd/MM/y", "HH:mm", "HH:mm:ss", "{1}, {0}"},
	"en":    {"M/d/yy", "h:mm\u202fa", "h:mm:ss\u202fa", "{1}, {0}"},
}

// patterns are a locale's date and time patterns.
type patterns struct {
	date, time, timeSec string // CLDR patterns
	glue                string // "{1}, {0}": date {1}, time {0}
}

func datePatterns(tag string) patterns {
	p, ok := cldrDates[tag]
	if !ok {
		lang, _, _ := strings.Cut(tag, "-")
		if p, ok = cldrDates[lang]; !ok {
			p = cldrDates["en"]
		}
	}
	return patterns{date: strings.ReplaceAll(p.date, "yy", "y"), time: p.time, timeSec: p.timeSec, glue: p.glue}
}

func (p patterns) join(date, tm string) string {
	return strings.NewReplacer("{1}", date, "{0}", tm).Replace(p.glue)
}

// cldrFormat formats t by a numeric CLDR date pattern: y (year), M and MM
// (month), d and dd (day), H and HH (0–23), h and hh (1–12), mm, ss, a (AM
// or PM), text in single quotes and any other character as it is.
func cldrFormat(t time.Time, pattern string) string {
	var b strings.Builder
	num := func(v, width int) {
		s := strconv.Itoa(v)
		for i := len(s); i < width; i++ {
			b.WriteByte('0')
		}
		b.WriteString(s)
	}
	for i := 0; i < len(pattern); {
		c := pattern[i]
		n := 1
		for i+n < len(pattern) && pattern[i+n] == c {
			n++
		}
		switch c {
		case 'y':
			if n == 2 {
				num(t.Year()%100, 2)
			} else {
				num(t.Year(), n)
			}
		case 'M':
			num(int(t.Month()), n)
		case 'd':
			num(t.Day(), n)
		case 'H':
			num(t.Hour(), n)
		case 'h':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			num(h, n)
		case 'm':
			num(t.Minute(), n)
		case 's':
			num(t.Second(), n)
		case 'a':
			if t.Hour() < 12 {
				b.WriteString("AM")
			} else {
				b.WriteString("PM")
			}
		case '\'':
			end := strings.IndexByte(pattern[i+1:], '\'')
			if end < 0 {
				b.WriteString(pattern[i+1:])
				return b.String()
			}
			b.WriteString(pattern[i+1 : i+1+end])
			i += end + 2
			continue
		default:
			b.WriteString(pattern[i : i+n])
		}
		i += n
	}
	return b.String()
}
