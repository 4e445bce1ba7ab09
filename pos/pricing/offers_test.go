package pricing

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestOfferEnds(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		to      time.Time
		want    time.Time
		wantDay bool
	}{
		{"no end", time.Time{}, time.Time{}, false},
		{"a document's to date: valid through the day before midnight", time.Date(2028, 1, 1, 0, 0, 0, 0, berlin), time.Date(2027, 12, 31, 0, 0, 0, 0, berlin), true},
		{"an end in the day: that moment", time.Date(2027, 12, 31, 18, 30, 0, 0, berlin), time.Date(2027, 12, 31, 18, 30, 0, 0, berlin), false},
		{"a second after midnight is a moment", time.Date(2028, 1, 1, 0, 0, 1, 0, berlin), time.Date(2028, 1, 1, 0, 0, 1, 0, berlin), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, day := OfferInfo{To: tt.to}.Ends()
			assert.True(t, tt.want.Equal(at), "%v, want %v", at, tt.want)
			assert.Equal(t, tt.wantDay, day)
		})
	}
}
