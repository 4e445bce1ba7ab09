package devices_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/opentill/opentill/pos/catalog"
	"github.com/opentill/opentill/pos/till/devices"
)

type scale struct{ q catalog.Qty }

func (s *scale) Set(q catalog.Qty, _ bool) { s.q = q }

func TestPanelEmpty(t *testing.T) {
	var none *devices.Panel
	assert.True(t, none.Empty(), "no panel")
	assert.True(t, (&devices.Panel{}).Empty(), "a panel without virtual devices")
	assert.False(t, (&devices.Panel{Scale: &scale{}}).Empty())
}
