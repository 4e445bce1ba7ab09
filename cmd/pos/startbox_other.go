//go:build !windows

package main

// showStartError does nothing outside Windows: there the till is started
// from a terminal or a desktop session that keeps stderr (its journal), and
// reportStartError has written the error there and in the start-up log.
func showStartError(string) {}
