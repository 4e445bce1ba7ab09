package cart

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNextLineNo(t *testing.T) {
	var c Cart
	require.Equal(t, 1, c.NextLineNo())
	for i := 0; i < 5; i++ {
		c.Lines = append(c.Lines, Line{No: c.NextLineNo()})
	}
	require.Equal(t, 6, c.NextLineNo())
	c.Lines = c.Lines[:2]
	require.Equal(t, 3, c.NextLineNo(), "lines taken away")
	c.Lines = []Line{{No: 9}, {No: 4}}
	require.Equal(t, 10, c.NextLineNo(), "lines replaced")
	require.Equal(t, 4, c.Line(4).No)
	require.Nil(t, c.Line(5))
}
