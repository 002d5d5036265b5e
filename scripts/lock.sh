#!/usr/bin/env bash
# Re-pin the locks from pyproject.toml: requirements.txt (runtime) and requirements-dev.txt
# (tests and checks, on top of the runtime lock). Resolves in a throw-away virtualenv, so the
# project's .venv is not touched; review the diff, then run make setup-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$PYTHON" - "$work" <<'PY'
import pathlib, sys, tomllib
project = tomllib.loads(pathlib.Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
out = pathlib.Path(sys.argv[1])
(out / "runtime.in").write_text("\n".join(project["dependencies"]) + "\n", encoding="utf-8")
(out / "dev.in").write_text("\n".join(project["optional-dependencies"]["dev"]) + "\n", encoding="utf-8")
PY

"$PYTHON" -m venv "$work/venv"
pip=("$work/venv/bin/python" -m pip --disable-pip-version-check --quiet)
"${pip[@]}" install --upgrade pip
"${pip[@]}" install -r "$work/runtime.in"
"${pip[@]}" freeze --exclude pip --exclude setuptools --exclude wheel | LC_ALL=C sort -f -t= -k1,1 >"$work/runtime.txt"
"${pip[@]}" install -r "$work/dev.in"
"${pip[@]}" freeze --exclude pip --exclude setuptools --exclude wheel | LC_ALL=C sort -f >"$work/all.txt"

{
  echo "# Pinned runtime dependencies (the lock). Regenerate: make lock"
  cat "$work/runtime.txt"
} >requirements.txt
{
  echo "# Pinned tools for tests and checks, on top of the runtime lock."
  echo "-r requirements.txt"
  LC_ALL=C comm -23 <(LC_ALL=C sort "$work/all.txt") <(LC_ALL=C sort "$work/runtime.txt") | LC_ALL=C sort -f -t= -k1,1
} >requirements-dev.txt
echo "Updated requirements.txt and requirements-dev.txt; review with: git diff requirements*.txt"
