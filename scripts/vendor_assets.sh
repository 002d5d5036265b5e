#!/usr/bin/env bash
# Copy the pinned front-end libraries from node_modules into the (git-ignored) static folder.
# Bootstrap's files end with a sourceMappingURL comment, so their .map files are copied too:
# the production static storage (whitenoise's manifest storage) refuses to collect a file that
# refers to a missing one.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1 && [ ! -d node_modules/bootstrap ]; then
  echo "The front-end libraries are installed with npm (Node.js). Install it with:" >&2
  echo "    sudo apt-get install -y npm" >&2
  exit 1
fi
dest=lantoa/web/static/vendor
if [ ! -d node_modules/bootstrap ] || [ ! -d node_modules/htmx.org ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
mkdir -p "$dest/bootstrap" "$dest/htmx"
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map "$dest/bootstrap/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map "$dest/bootstrap/"
cp node_modules/bootstrap/LICENSE "$dest/bootstrap/LICENSE"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx/"
cp node_modules/htmx.org/LICENSE "$dest/htmx/LICENSE"
