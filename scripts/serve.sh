#!/usr/bin/env bash
# Serve Lantoa on 127.0.0.1:8000 together with the background-task worker; stop both on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
"$PY" manage.py db_worker --interval 1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "Lantoa: http://$HOST:$PORT/  (task worker pid $worker; Ctrl+C stops both)"
"$PY" manage.py runserver "$HOST:$PORT"
