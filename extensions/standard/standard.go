// Package standard is the set of extensions OpenTill's own binaries carry:
// blank-import it (as cmd/pos and cmd/posctl do) to build a till with them,
// or import the ones you want one by one.
package standard

import (
	_ "github.com/opentill/opentill/extensions/agecheck"  // opentill.agecheck
	_ "github.com/opentill/opentill/extensions/andscale"  // the scale driver opentill.and-st
	_ "github.com/opentill/opentill/extensions/stampcard" // opentill.stampcard
)
