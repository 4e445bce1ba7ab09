package l10n

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/assets"
	"github.com/opentill/opentill/pos/money"
	"github.com/opentill/opentill/pos/poserr"
)

func messages(t *testing.T, lang string) map[string]any {
	t.Helper()
	b, err := assets.I18N.ReadFile("i18n/" + lang + ".json")
	require.NoError(t, err)
	m := map[string]any{}
	require.NoError(t, json.Unmarshal(b, &m), lang)
	return m
}

// Every language has exactly the English message IDs, plural messages are
// plural everywhere, and templates use the same variables.
func TestEveryLanguageHasEveryMessage(t *testing.T) {
	en := messages(t, "en")
	vars := regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)
	varsOf := func(v any) []string {
		var texts []string
		switch x := v.(type) {
		case string:
			texts = []string{x}
		case map[string]any:
			for _, s := range x {
				texts = append(texts, s.(string))
			}
		}
		set := map[string]bool{}
		for _, s := range texts {
			for _, m := range vars.FindAllStringSubmatch(s, -1) {
				set[m[1]] = true
			}
		}
		var out []string
		for k := range set {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	for _, lang := range Languages[1:] {
		m := messages(t, lang)
		for id, v := range en {
			w, ok := m[id]
			if !assert.True(t, ok, "%s: message %q is missing", lang, id) {
				continue
			}
			_, enPlural := v.(map[string]any)
			_, plural := w.(map[string]any)
			assert.Equal(t, enPlural, plural, "%s: %q plural in one language only", lang, id)
			assert.Equal(t, varsOf(v), varsOf(w), "%s: %q uses other template variables", lang, id)
			if s, ok := w.(string); ok && len(vars.ReplaceAllString(s, "")) > 30 {
				assert.NotEqual(t, v, w, "%s: %q is untranslated English", lang, id)
			}
		}
		for id := range m {
			_, ok := en[id]
			assert.True(t, ok, "%s: message %q is not in English", lang, id)
		}
	}
}

// Every plural message has every CLDR plural form each language needs:
// localizing at counts that reach one, few, many and other must not fail.
func TestPluralFormsComplete(t *testing.T) {
	b, err := Bundle()
	require.NoError(t, err)
	en := messages(t, "en")
	counts := []int{0, 1, 2, 3, 5, 11, 21, 22, 101, 1000000}
	for _, lang := range Languages {
		loc := i18n.NewLocalizer(b, lang)
		for id, v := range en {
			if _, plural := v.(map[string]any); !plural {
				continue
			}
			for _, n := range counts {
				_, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: n, TemplateData: map[string]any{"PluralCount": n}})
				assert.NoError(t, err, "%s: %q at %d", lang, id, n)
			}
		}
	}
}

// Every error key the domain, the offline store and the peripherals (device
// notices, the station) can return has a message.
func TestEveryDomainErrorKeyIsTranslated(t *testing.T) {
	root := moduleRoot(t)
	keyRE := regexp.MustCompile(`"(error\.[a-z0-9_]+(?:\.[a-z0-9_]+)+)"`)
	keys := map[string]bool{}
	for _, dir := range []string{"pos", "offline/store", "peripherals"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
				keys[m[1]] = true
			}
			return nil
		})
		require.NoError(t, err)
	}
	require.Greater(t, len(keys), 50, "the key scan found too few keys")
	for _, lang := range Languages {
		m := messages(t, lang)
		for k := range keys {
			_, ok := m[k]
			assert.True(t, ok, "%s: domain error key %q has no message", lang, k)
		}
	}
}

func moduleRoot(t *testing.T) string {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	require.NoError(t, err)
	return filepath.Dir(strings.TrimSpace(string(out)))
}

func TestErrorNeverShowsGoText(t *testing.T) {
	l := Must("de")
	e := poserr.E(poserr.NotFound, "error.item.not_found", "no product has barcode or item ID %s", "123")
	assert.Equal(t, "Kein Artikel hat diesen Barcode oder diese Artikelnummer.", l.Error(e))
	unknown := poserr.E(poserr.Device, "error.some.new_key", "printer on fire")
	assert.Equal(t, l.T("error.kind.device"), l.Error(unknown))
	assert.Equal(t, l.T("error.kind.other"), l.Error(os.ErrNotExist))
	wrong := poserr.E(poserr.Unauthorized, "error.signin.wrong", "wrong")
	wrong.Args = map[string]any{"left": 1}
	assert.Contains(t, l.Error(wrong), "Noch 1 Versuch,")
}

func TestMoneyByLocale(t *testing.T) {
	cases := map[string]string{"en": "€1,234.50", "de": "1.234,50\u00a0€", "fr": "1\u202f234,50\u00a0€", "es": "1234,50\u00a0€"}
	for lang, want := range cases {
		assert.Equal(t, want, Must(lang).Money(123450, money.EUR), lang)
	}
	assert.Equal(t, "-€0.05", Must("en").Money(-5, money.EUR))
	assert.Equal(t, "12.345,00\u00a0€", Must("es").Money(1234500, money.EUR))
	assert.Equal(t, "0,250", Must("de").Qty(250, 3))
}

func TestMatch(t *testing.T) {
	for in, want := range map[string]string{"C": "en", "": "en", "de_DE.UTF-8": "de", "fr-CH": "fr", "es": "es", "pl": "en", "C.UTF-8": "en"} {
		assert.Equal(t, want, Match(in), in)
	}
}

func TestStoreLocaleFormatsAmounts(t *testing.T) {
	l := Must("en").WithFormat("de")
	assert.Equal(t, "1.234,50\u00a0€", l.Money(123450, money.EUR))
	assert.Equal(t, "Total", l.T("totals.total"))
}
