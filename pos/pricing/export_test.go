package pricing

// CheckCarry makes every pricing that carries its pools over from the
// cart's last one also make them again and panic where they differ.
func CheckCarry(on bool) { checkCarry.Store(on) }

// CheckBounds makes every component solved also be solved exhaustively
// and panic where the best values differ.
func CheckBounds(on bool) { checkBounds.Store(on) }
