// Package disttest tests the release artefacts that make dist leaves in
// dist/: it installs and runs them as a user would. Its tests carry the
// build tag "dist", so `make test` (go test ./...) does not build them;
// `make dist-test` runs them (go test -tags dist ./internal/disttest) with
// DIST_DIR naming the folder.
//
//   - checksums: SHA256SUMS lists every artefact and matches it;
//   - the .debs install with dpkg into a fresh root (--root, maintainer
//     scripts chrootless), and posctl seed, sell, journal verify and sync,
//     the scale unit's systemd ExecStart and the till's window (Xvfb) run
//     from it;
//   - the arm64 tools run under qemu-aarch64;
//   - under Wine, posctl.exe sells and syncs with the Linux server,
//     scaleunit.exe serves the Linux posctl, and pos.exe draws its sign-in
//     screen under Xvfb (a screenshot goes to DIST_DIR/screenshots);
//   - an upgrade: the previous release (PREV_REF: the last v* tag, else
//     088c1f0) built from git sells into a data folder, the new binaries
//     start on it, migrate it, keep every pending outbox record and journal
//     entry, verify and sync; a newer folder is refused.
package disttest
