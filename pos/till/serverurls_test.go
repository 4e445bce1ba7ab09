package till_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/opentill/opentill/pos/till"
)

func TestServerURLs(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"http://a:8640", []string{"http://a:8640"}},
		{" http://a:8640  http://b:8640 ", []string{"http://a:8640", "http://b:8640"}},
		{"http://a:8640,http://b:8640, http://c", []string{"http://a:8640", "http://b:8640", "http://c"}},
		{"  ", []string{}},
	} {
		assert.Equal(t, c.want, till.ServerURLs(c.in), "%q", c.in)
	}
}
