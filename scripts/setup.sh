#!/usr/bin/env bash
# Installs what TOC Console needs on a fresh Debian/Ubuntu machine: the system parts its tests and demo start
# for real, then the npm packages. Electron's binary is not downloaded (it comes from GitHub, which these
# machines cannot reach); `npm start` then opens the console in a browser through `toc serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

apt_packages=(prometheus chromium xvfb gnome-keyring dbus dbus-x11 libsecret-1-dev ansible-core ansible openssl prometheus-alertmanager victoria-metrics python3 make g++)
missing=()
for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  ELECTRON_SKIP_BINARY_DOWNLOAD="${ELECTRON_SKIP_BINARY_DOWNLOAD:-1}" npm ci --no-audit --no-fund
fi
