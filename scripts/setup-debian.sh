#!/usr/bin/env bash
# Installs the system packages Yitu needs on Debian 12, only those missing.
#   libgdal-dev, clang/libclang (gdal-sys), pkg-config: build against the system GDAL 3.6;
#   libsqlite3-dev: the system SQLite (rusqlite), the one GDAL uses
#   xvfb, mesa: run and screenshot the GUI headless
#   with --tests: postgresql-15 and PostGIS, for the shared store's tests (they start a
#   private server of their own); the app itself needs no database
set -euo pipefail
packages=(libgdal-dev libsqlite3-dev pkg-config clang libclang-dev xvfb libgl1-mesa-dri libegl1 libxkbcommon-x11-0)
[ "${1:-}" = "--tests" ] && packages+=(postgresql-15 postgresql-15-postgis-3)
need=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
