package locale

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/opentill/opentill/assets"
)

var (
	bundleOnce sync.Once
	bundle     *i18n.Bundle
	bundleErr  error
)

// Messages returns the till's one go-i18n bundle: every message file
// embedded in assets/i18n (screens, receipts, the customer display), loaded
// once. A file that does not load is a build defect the tests catch.
func Messages() (*i18n.Bundle, error) {
	bundleOnce.Do(func() {
		b := i18n.NewBundle(language.English)
		b.RegisterUnmarshalFunc("json", json.Unmarshal)
		files, err := fs.Glob(assets.I18N, "i18n/*.json")
		if err != nil {
			bundleErr = err
			return
		}
		sort.Strings(files)
		for _, f := range files {
			if _, err := b.LoadMessageFileFS(assets.I18N, f); err != nil {
				bundleErr = fmt.Errorf("loading %s: %w", path.Base(f), err)
				return
			}
		}
		bundle = b
	})
	return bundle, bundleErr
}
