#!/usr/bin/env bash
# Copy the pinned front-end libraries from node_modules into the (git-ignored) static folder.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=lantoa/web/static/vendor
if [ ! -d node_modules/bootstrap ] || [ ! -d node_modules/htmx.org ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
mkdir -p "$dest/bootstrap" "$dest/htmx"
cp node_modules/bootstrap/dist/css/bootstrap.min.css "$dest/bootstrap/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js "$dest/bootstrap/"
cp node_modules/bootstrap/LICENSE "$dest/bootstrap/LICENSE"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx/"
cp node_modules/htmx.org/LICENSE "$dest/htmx/LICENSE"
