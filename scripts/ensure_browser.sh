#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (/usr/bin/chromium); install it when missing.
# Playwright never downloads a browser of its own here.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Chromium…"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "error: Chromium is missing; install it with: sudo apt-get install -y chromium" >&2
  exit 1
fi
