package main

import (
	"errors"
	"fmt"
	"io"
)

// closeInto closes c when a command ends and adds a failed close to the
// command's error, so posctl exits non-zero: a local store that cannot close
// cleanly (its final checkpoint) loses no saved sale, but the disk needs
// looking at; a sync engine that cannot release its lock blocks the next one.
func closeInto(err *error, c io.Closer, what string) {
	if cerr := c.Close(); cerr != nil {
		*err = errors.Join(*err, fmt.Errorf("closing %s: %w", what, cerr))
	}
}
