#!/usr/bin/env bash
# What the tests need from Debian: Chromium for the browser tests, and GNU gettext's xgettext
# for the test that keeps the translation catalogues in step with the code. Install what is
# missing when possible; otherwise stop and say exactly what to run. Nothing is skipped silently.
set -euo pipefail
CHROMIUM=${LANTOA_CHROMIUM:-/usr/bin/chromium}
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium fonts-liberation)
command -v xgettext >/dev/null 2>&1 || missing+=(gettext)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing for the tests: ${missing[*]}…"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null \
    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
  if [ -x "$CHROMIUM" ] && command -v xgettext >/dev/null 2>&1; then
    exit 0
  fi
fi
echo "The tests need ${missing[*]}. Install them with:" >&2
echo "    sudo apt-get install -y ${missing[*]}" >&2
echo "(LANTOA_CHROMIUM may point at another Chromium binary), then run make test again." >&2
exit 1
