#!/usr/bin/env bash
# Browser tests drive Debian's Chromium. Install it when missing and possible; otherwise stop
# and say exactly what to run. Browser tests are never skipped silently.
set -euo pipefail
CHROMIUM=${LANTOA_CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation >/dev/null \
    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation >/dev/null; }
  [ -x "$CHROMIUM" ] && exit 0
fi
echo "The browser tests need Chromium at $CHROMIUM. Install it with:" >&2
echo "    sudo apt-get install -y chromium fonts-liberation" >&2
echo "(or point LANTOA_CHROMIUM at a Chromium binary), then run make test again." >&2
exit 1
