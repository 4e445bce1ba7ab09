package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestTheTillsFyneApp(t *testing.T) {
	a, err := load("../../../cmd/pos/FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	if a.Details.ID != "org.opentill.till" || a.Details.Name != "OpenTill" {
		t.Errorf("details: %+v", a.Details)
	}
	var b bytes.Buffer
	if err := writeDesktop(&b, a, "opentill", "opentill"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[Desktop Entry]\n", "\nName=OpenTill\n", "\nExec=opentill\n", "\nIcon=opentill\n", "\nCategories=Office;Finance;\n", "\nKeywords=pos;"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("desktop entry lacks %q:\n%s", want, b.String())
		}
	}
}
