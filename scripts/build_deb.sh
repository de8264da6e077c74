#!/usr/bin/env bash
# scripts/build_deb.sh BUILD_DIR OUT_DIR: the Debian package of hotel, from the Release binaries
# in BUILD_DIR/src (built with -DHOTEL_WEB_DIR_DEFAULT=/usr/share/hotel/web; ./hotel package
# does both), written to OUT_DIR. Prints the package's path on stdout.
#
# dpkg-deb straight from a staged tree (no debian/ source package): the files, their modes and
# the control fields are all here. Depends comes from dpkg-shlibdeps on the binaries, so it
# names the Debian packages that hold the libraries they link, with the versions their symbols
# need. Version: the project's CMake version, plus the commit count and hash in a checkout.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "$1" && pwd)"
mkdir -p "$2"
out="$(cd "$2" && pwd)"

upstream="$(sed -n 's/^project(hotel VERSION \([0-9.]*\).*/\1/p' "$ROOT/CMakeLists.txt")"
[ -n "$upstream" ] || { echo "build_deb: no project version in CMakeLists.txt" >&2; exit 1; }
version="$upstream"
if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
    version="$upstream+git$(git -C "$ROOT" rev-list --count HEAD).$(git -C "$ROOT" rev-parse --short=8 HEAD)"
    date_s="$(git -C "$ROOT" log -1 --format=%ct)"
    maintainer="${HOTEL_PACKAGE_MAINTAINER:-$(git -C "$ROOT" log -1 --format='%an <%ae>')}"
else
    date_s="${SOURCE_DATE_EPOCH:-$(date +%s)}"
    maintainer="${HOTEL_PACKAGE_MAINTAINER:-hotel maintainers <maintainers@hotel.invalid>}"
fi
version="$version-1"
arch="$(dpkg --print-architecture)"

stage="$(mktemp -d /tmp/hotel-deb.XXXXXX)"
trap 'rm -rf "$stage"' EXIT
pkg="$stage/hotel"
umask 022
mkdir -p "$pkg/DEBIAN"

# The binaries, stripped as Debian ships them.
for b in hoteld hotel-migrate; do
    [ -x "$build/src/$b" ] || { echo "build_deb: $build/src/$b is missing" >&2; exit 1; }
    install -D -m 0755 "$build/src/$b" "$pkg/usr/bin/$b"
    strip --strip-unneeded --remove-section=.comment --remove-section=.note "$pkg/usr/bin/$b"
done
# The web app, where the binary (and hotel.env) look for it.
mkdir -p "$pkg/usr/share/hotel/web"
cp -r "$ROOT/web/." "$pkg/usr/share/hotel/web/"
# The service and its migrations' one-shot unit, the settings (a conffile) and the docs.
for unit in hotel.service hotel-migrate.service; do
    install -D -m 0644 "$ROOT/packaging/$unit" "$pkg/lib/systemd/system/$unit"
done
install -D -m 0640 "$ROOT/packaging/hotel.env" "$pkg/etc/hotel/hotel.env"
doc="$pkg/usr/share/doc/hotel"
install -D -m 0644 "$ROOT/packaging/copyright" "$doc/copyright"
for f in README.md docs/OPERATIONS.md; do
    gzip -9n < "$ROOT/$f" > "$doc/$(basename "$f").gz"
done
{
    echo "hotel ($version) unstable; urgency=medium"
    echo
    echo "  * Built from the hotel sources$(git -C "$ROOT" rev-parse --short=8 HEAD 2>/dev/null | sed 's/^/ at commit /')."
    echo
    echo " -- $maintainer  $(date -R -u -d "@$date_s")"
} | gzip -9n > "$doc/changelog.Debian.gz"
# What lintian says of this package that is so on purpose (each with its reason).
install -D -m 0644 "$ROOT/packaging/lintian-overrides" "$pkg/usr/share/lintian/overrides/hotel"
# Manual pages, made from each binary's own --help (so they cannot drift from it).
bash "$ROOT/scripts/man_page.sh" "$build/src/hoteld" hoteld "$version" "$date_s" \
    | gzip -9n > "$stage/hoteld.1.gz"
bash "$ROOT/scripts/man_page.sh" "$build/src/hotel-migrate" hotel-migrate "$version" "$date_s" \
    | gzip -9n > "$stage/hotel-migrate.1.gz"
install -D -m 0644 "$stage/hoteld.1.gz" "$pkg/usr/share/man/man1/hoteld.1.gz"
install -D -m 0644 "$stage/hotel-migrate.1.gz" "$pkg/usr/share/man/man1/hotel-migrate.1.gz"
find "$pkg" -type d -exec chmod 0755 {} +
find "$pkg/usr/share" -type f -exec chmod 0644 {} +
# Every file dated by the commit, so two builds of one commit give the same package.
find "$pkg" -exec touch -h -d "@$date_s" {} +

# Depends: what dpkg-shlibdeps derives from the binaries (it wants a debian/control beside it).
mkdir -p "$stage/src/debian"
printf 'Source: hotel\n\nPackage: hotel\nArchitecture: any\n' > "$stage/src/debian/control"
depends="$(cd "$stage/src" && dpkg-shlibdeps -O -e"$pkg/usr/bin/hoteld" -e"$pkg/usr/bin/hotel-migrate" \
    2>"$stage/shlibdeps.log" | sed -n 's/^shlibs:Depends=//p')" \
    || { cat "$stage/shlibdeps.log" >&2; exit 1; }
[ -n "$depends" ] || { cat "$stage/shlibdeps.log" >&2; echo "build_deb: no Depends" >&2; exit 1; }

for s in postinst prerm postrm; do
    install -m 0755 "$ROOT/packaging/$s" "$pkg/DEBIAN/$s"
done
echo /etc/hotel/hotel.env > "$pkg/DEBIAN/conffiles"
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z \
    | xargs -0 md5sum > DEBIAN/md5sums)
size="$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)"
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: hotel
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Depends: $depends
Recommends: ca-certificates
Suggests: postgresql-15
Section: web
Priority: optional
Description: booking server for hotels, on PostgreSQL
 hoteld serves a JSON API and a web app for hotels, booking sites and
 channel managers: catalogue, rates, availability, bookings, the front
 office and webhooks, on PostgreSQL 15 (which makes double booking
 impossible). hotel-migrate applies the database migrations it needs.
 .
 A systemd unit (hotel.service) runs hoteld with its settings in
 /etc/hotel/hotel.env; hotel-migrate.service applies the migrations.
CONTROL

deb="$out/hotel_${version}_${arch}.deb"
rm -f "$out"/hotel_*.deb
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
echo "$deb"
