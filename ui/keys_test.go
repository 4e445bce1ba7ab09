package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opentill/opentill/assets"
	"github.com/opentill/opentill/pos"
	"github.com/opentill/opentill/ui/l10n"
)

// Every message the screens ask for exists (in English; l10n's tests hold
// the other languages to English), as do the operation names and the labels
// of the button-grid layouts.
func TestEveryMessageUsedExists(t *testing.T) {
	b, err := assets.I18N.ReadFile("i18n/en.json")
	require.NoError(t, err)
	en := map[string]any{}
	require.NoError(t, json.Unmarshal(b, &en))
	re := regexp.MustCompile(`\.(?:T|N)\("([a-z_]+(?:\.[a-z0-9_]+)+)"`)
	keyRE := regexp.MustCompile(`"((?:tile|button|numpad|tab)\.[a-z0-9_.]+)"`)
	files, _ := filepath.Glob("*.go")
	used := map[string]bool{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
		}
		if filepath.Ext(f) == ".go" && !isTest(f) {
			for _, m := range keyRE.FindAllStringSubmatch(string(src), -1) {
				used[m[1]] = true
			}
		}
	}
	g, err := LoadButtonGrid("sell", pos.NewRegistry())
	require.NoError(t, err)
	for _, b := range g.Buttons {
		used[b.Label] = true
	}
	for _, k := range []string{"other", "invalid", "not_found", "not_permitted", "limit_exceeded", "locked", "unauthorized", "offline", "conflict", "cancelled", "device", "storage"} {
		used["error.title."+k] = true
		used["error.kind."+k] = true
	}
	for _, op := range pos.NewRegistry().Specs() {
		used["op."+itoa(int(op.ID))] = true
	}
	require.Greater(t, len(used), 60)
	for k := range used {
		_, ok := en[k]
		assert.True(t, ok, "message %q is used but not in assets/i18n/en.json", k)
	}
	// and every language resolves them
	for _, lang := range l10n.Languages {
		l := l10n.Must(lang)
		for k := range used {
			assert.True(t, l.Has(k), "%s: %q", lang, k)
		}
	}
}

func isTest(f string) bool { return len(f) > 8 && f[len(f)-8:] == "_test.go" }

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }
