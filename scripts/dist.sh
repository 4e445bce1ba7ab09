#!/usr/bin/env bash
# make dist: builds every release artefact of this commit into dist/ (DIST_DIR):
#
#   opentill_<V>_linux_amd64.tar.gz       the till (Fyne), posctl and scaleunit, desktop file, icons, systemd unit
#   opentill-tools_<V>_linux_arm64.tar.gz posctl and scaleunit for arm64 (static, pure Go)
#   opentill_<D>_amd64.deb                the till (/usr/bin/opentill) and posctl, desktop entry and icons
#   opentill-scaleunit_<D>_amd64.deb      scaleunit with its systemd service (and _arm64.deb)
#   opentill_<V>_windows_amd64.zip        pos.exe (Fyne, cross-compiled with MinGW-w64), posctl.exe, scaleunit.exe
#   SHA256SUMS                            the SHA-256 of every file above
#
# <V> is scripts/version.sh (git describe), <D> its Debian form. The
# headless tools are static (CGO_ENABLED=0); the Linux till links the
# system's libGL and X11 (the .deb depends on them, from dpkg-shlibdeps);
# pos.exe needs only Windows' own DLLs. Every build is -trimpath with the
# commit time as the archives' timestamps. make dist-test tests the results.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${DIST_DIR:-dist}"
V=$(scripts/version.sh)
D=$(scripts/version.sh deb)
LDFLAGS="-s -w $(scripts/version.sh ldflags)"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
export GOFLAGS="-trimpath -buildvcs=false"
work=$(mktemp -d)
syso=cmd/pos/rsrc_windows_amd64.syso
trap 'rm -rf "$work" "$syso"' EXIT
rm -rf "$out"
mkdir -p "$out"
step() { echo "== $*"; }

step "version $V (deb $D)"
go run ./internal/tools/icons -svg assets/icons/opentill.svg -out "$work/icons"
scripts/third-party-licenses.sh > "$work/THIRD_PARTY_LICENSES.txt"
fyne() { go run ./internal/tools/fyneapp -toml cmd/pos/FyneApp.toml "$@"; }
APPID=$(fyne -get id)
APPNAME=$(fyne -get name)
fyne -desktop -exec opentill -icon opentill > "$work/$APPID.desktop"

# build GOOS GOARCH CGO OUTPUT PACKAGE [extra go build args]
build() {
  local goos=$1 goarch=$2 cgo=$3 o=$4 pkg=$5
  shift 5
  echo "   $goos/$goarch $(basename "$o")"
  GOOS=$goos GOARCH=$goarch CGO_ENABLED=$cgo nice go build -ldflags "$LDFLAGS $*" -o "$o" "$pkg"
}
bin="$work/bin"
step "building linux/amd64"
build linux amd64 1 "$bin/linux_amd64/opentill" ./cmd/pos
build linux amd64 0 "$bin/linux_amd64/posctl" ./cmd/posctl
build linux amd64 0 "$bin/linux_amd64/scaleunit" ./cmd/scaleunit
step "building linux/arm64 (headless tools)"
build linux arm64 0 "$bin/linux_arm64/posctl" ./cmd/posctl
build linux arm64 0 "$bin/linux_arm64/scaleunit" ./cmd/scaleunit
step "building windows/amd64"
build windows amd64 0 "$bin/windows_amd64/posctl.exe" ./cmd/posctl
build windows amd64 0 "$bin/windows_amd64/scaleunit.exe" ./cmd/scaleunit
# pos.exe: its icon and version resource, then Fyne with MinGW-w64's gcc;
# -H=windowsgui: no console window behind the till.
IFS=. read -r a b c _ <<<"$(sed -E 's/^v?([0-9]+)\.([0-9]+)\.([0-9]+).*/\1.\2.\3/; t; s/.*/0.0.0/' <<<"$V")"
n=$(sed -nE 's/^v?[0-9]+\.[0-9]+\.[0-9]+-([0-9]+)-g.*/\1/p' <<<"$V")
sed -e "s|@NAME@|$APPNAME|g" -e "s|@VERSION@|$V|g" -e "s|@FILEVERSION@|$a,$b,$c,${n:-0}|g" -e "s|@ICON@|$work/icons/opentill.ico|g" \
  packaging/windows/pos.rc.in > "$work/pos.rc"
x86_64-w64-mingw32-windres -O coff -i "$work/pos.rc" -o "$syso"
CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ build windows amd64 1 "$bin/windows_amd64/pos.exe" ./cmd/pos -H=windowsgui
rm -f "$syso"

# docs every package carries
docs() { # dir
  cp LICENSE NOTICE README.md CHANGELOG.md "$work/THIRD_PARTY_LICENSES.txt" "$1/"
}
tarball() { # dir-in-work name
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" -C "$work/stage" -czf "$out/$2.tar.gz" "$1"
}

step "archives"
mkdir -p "$work/stage"
s="$work/stage/opentill_${V}_linux_amd64"
mkdir -p "$s/bin" "$s/share/applications" "$s/share/icons/hicolor/scalable/apps" "$s/share/icons/hicolor/256x256/apps" "$s/systemd" "$s/profiles"
cp "$bin/linux_amd64/"* "$s/bin/"
cp "$work/$APPID.desktop" "$s/share/applications/"
cp assets/icons/opentill.svg "$s/share/icons/hicolor/scalable/apps/opentill.svg"
cp "$work/icons/opentill-256.png" "$s/share/icons/hicolor/256x256/apps/opentill.png"
cp packaging/linux/opentill-scaleunit.service packaging/linux/opentill-scaleunit.default "$s/systemd/"
cp peripherals/profile/example.toml "$s/profiles/"
docs "$s"
tarball "$(basename "$s")" "opentill_${V}_linux_amd64"

s="$work/stage/opentill-tools_${V}_linux_arm64"
mkdir -p "$s/bin" "$s/systemd"
cp "$bin/linux_arm64/"* "$s/bin/"
cp packaging/linux/opentill-scaleunit.service packaging/linux/opentill-scaleunit.default "$s/systemd/"
docs "$s"
tarball "$(basename "$s")" "opentill-tools_${V}_linux_arm64"

w="$work/stage/opentill_${V}_windows_amd64"
mkdir -p "$w/profiles"
cp "$bin/windows_amd64/"*.exe "$w/"
crlf() { sed 's/$/\r/' "$1" > "$2"; }
crlf LICENSE "$w/LICENSE.txt"
crlf NOTICE "$w/NOTICE.txt"
crlf "$work/THIRD_PARTY_LICENSES.txt" "$w/THIRD_PARTY_LICENSES.txt"
sed "s|@VERSION@|$V|" packaging/windows/README.txt | sed 's/$/\r/' > "$w/README.txt"
crlf CHANGELOG.md "$w/CHANGELOG.md"
crlf peripherals/profile/example-windows.toml "$w/profiles/example-windows.toml"
crlf docs/examples/sale.txt "$w/sale.txt"
find "$w" -exec touch -d "@$SOURCE_DATE_EPOCH" {} +
(cd "$work/stage" && TZ=UTC zip -qrX "$OLDPWD/$out/opentill_${V}_windows_amd64.zip" "$(basename "$w")")

step "Debian packages"
# shlibs: the libraries the Linux till links, as package dependencies.
mkdir -p "$work/shlibs/debian"
printf 'Source: opentill\n\nPackage: opentill\nArchitecture: any\n' > "$work/shlibs/debian/control"
shlibs=$(cd "$work/shlibs" && dpkg-shlibdeps -O --warnings=0 "$bin/linux_amd64/opentill" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
# GLFW (Fyne's window system) dlopens these at start-up, which dpkg-shlibdeps cannot see.
shlibs="$shlibs, libxcursor1, libxi6, libxinerama1, libxrandr2, libxrender1"
maint="OpenTill developers <opentill@users.noreply.github.com>"
copyright() { # package
  cat <<EOC
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: OpenTill
Source: https://github.com/opentill/opentill

Files: *
Copyright: 2026 The OpenTill authors
License: Apache-2.0
 On Debian systems the full text of the Apache License 2.0 is in
 /usr/share/common-licenses/Apache-2.0. The Go modules compiled into the
 binaries and their licences: /usr/share/doc/$1/THIRD_PARTY_LICENSES.txt.gz
EOC
}
deb() { # root package arch
  local r=$1 p=$2 arch=$3
  mkdir -p "$r/usr/share/doc/$p"
  copyright "$p" > "$r/usr/share/doc/$p/copyright"
  gzip -9n < CHANGELOG.md > "$r/usr/share/doc/$p/changelog.gz"
  gzip -9n < "$work/THIRD_PARTY_LICENSES.txt" > "$r/usr/share/doc/$p/THIRD_PARTY_LICENSES.txt.gz"
  cp README.md "$r/usr/share/doc/$p/"
  local size
  size=$(du -sk --exclude=DEBIAN "$r" | cut -f1)
  sed -i "s/^Installed-Size: .*/Installed-Size: $size/" "$r/DEBIAN/control"
  find "$r" -exec touch -d "@$SOURCE_DATE_EPOCH" {} +
  dpkg-deb --root-owner-group -Zxz --build "$r" "$out/${p}_${D}_${arch}.deb" >/dev/null
}

r="$work/deb/opentill"
mkdir -p "$r/DEBIAN" "$r/usr/bin" "$r/usr/share/applications" "$r/usr/share/icons/hicolor/scalable/apps" "$r/usr/share/opentill/profiles"
install -m 0755 "$bin/linux_amd64/opentill" "$bin/linux_amd64/posctl" "$r/usr/bin/"
install -m 0644 "$work/$APPID.desktop" "$r/usr/share/applications/"
install -m 0644 assets/icons/opentill.svg "$r/usr/share/icons/hicolor/scalable/apps/opentill.svg"
for px in 16 32 48 64 128 256 512; do
  install -D -m 0644 "$work/icons/opentill-$px.png" "$r/usr/share/icons/hicolor/${px}x${px}/apps/opentill.png"
done
install -m 0644 peripherals/profile/example.toml docs/examples/sale.txt "$r/usr/share/opentill/profiles/"
cat > "$r/DEBIAN/control" <<EOC
Package: opentill
Version: $D
Architecture: amd64
Maintainer: $maint
Installed-Size: 0
Depends: $shlibs
Suggests: opentill-scaleunit
Section: misc
Priority: optional
Homepage: https://github.com/opentill/opentill
Description: offline-first point-of-sale till
 OpenTill is a till for cashiers and store managers that keeps selling with
 the network gone: every sale is stored in a local SQLite file before the
 receipt prints and syncs with the store server (opentill-scaleunit).
 .
 This package has the till (opentill, a Fyne desktop app with an entry in
 the applications menu) and the headless tool posctl. Data: each user's
 ~/.local/share/opentill (or --data).
EOC
deb "$r" opentill amd64

for arch in amd64 arm64; do
  r="$work/deb/opentill-scaleunit-$arch"
  mkdir -p "$r/DEBIAN" "$r/usr/bin" "$r/lib/systemd/system" "$r/etc/default" "$r/usr/lib/sysusers.d"
  install -m 0755 "$bin/linux_$arch/scaleunit" "$r/usr/bin/"
  install -m 0644 packaging/linux/opentill-scaleunit.service "$r/lib/systemd/system/"
  install -m 0644 packaging/linux/opentill-scaleunit.default "$r/etc/default/opentill-scaleunit"
  install -m 0644 packaging/linux/opentill-scaleunit.sysusers "$r/usr/lib/sysusers.d/opentill-scaleunit.conf"
  install -m 0755 packaging/linux/scaleunit.postinst "$r/DEBIAN/postinst"
  install -m 0755 packaging/linux/scaleunit.prerm "$r/DEBIAN/prerm"
  install -m 0755 packaging/linux/scaleunit.postrm "$r/DEBIAN/postrm"
  echo /etc/default/opentill-scaleunit > "$r/DEBIAN/conffiles"
  cat > "$r/DEBIAN/control" <<EOC
Package: opentill-scaleunit
Version: $D
Architecture: $arch
Maintainer: $maint
Installed-Size: 0
Depends: adduser | systemd
Section: net
Priority: optional
Homepage: https://github.com/opentill/opentill
Description: OpenTill store server (scale unit)
 The server OpenTill tills activate against and sync with: one-time
 activation codes, ordered delta feeds of catalog, prices, staff and
 configuration, and exactly-once uploads of sales. A systemd service
 (opentill-scaleunit) serves /var/lib/opentill-scaleunit on 127.0.0.1:8640;
 /etc/default/opentill-scaleunit sets the address. scaleunit admin tills
 lists the tills by version.
EOC
  deb "$r" opentill-scaleunit "$arch"
done

step "checksums"
(cd "$out" && sha256sum -- *.tar.gz *.zip *.deb > SHA256SUMS)
ls -l "$out"
