// Package clocale keeps the C/POSIX locale (LANG=C, C.UTF-8: the usual CI
// and service settings) from reaching Fyne, which reads the locale while its
// packages initialise and logs "Error parsing user locale C" for C.UTF-8.
// The till's language comes from --lang or the operator, not the system.
//
// It imports nothing but syscall so that, by Go's package initialisation
// order (imports first, then by import path), its init runs before
// fyne.io/fyne/v2/lang's, which needs far more packages initialised first.
package clocale

import "syscall"

func isC(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] == '.' {
			v = v[:i]
			break
		}
	}
	return v == "C" || v == "POSIX"
}

func init() { clean() }

// clean replaces a C/POSIX locale in the environment with en_US.UTF-8.
func clean() {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANGUAGE"} {
		if v, ok := syscall.Getenv(k); ok && isC(v) {
			_ = syscall.Unsetenv(k)
		}
	}
	if v, ok := syscall.Getenv("LANG"); !ok || v == "" || isC(v) {
		_ = syscall.Setenv("LANG", "en_US.UTF-8")
	}
}
