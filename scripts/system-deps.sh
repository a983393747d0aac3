#!/usr/bin/env bash
# Install the Debian packages the tests need (headless Chromium for the browser tests, a font for
# stable PDF layout, poppler-utils for pdftotext/pdftoppm, PostgreSQL for the server-mode tests, which
# start their own throw-away server), a Java 17 runtime for Spark in local mode, when they are missing.
# Idempotent and quiet when everything is already installed. Needs root (or sudo) to install.
set -euo pipefail

packages=(chromium fonts-dejavu-core poppler-utils postgresql openjdk-17-jre-headless)
missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: apt-get not found; install these yourself: ${missing[*]}" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "system-deps: not root and no sudo; install these yourself: ${missing[*]}" >&2
    exit 0
  fi
fi
echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "system-deps: installing ${missing[*]} failed" >&2
  exit 1
fi
