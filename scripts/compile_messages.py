"""Compile every locale/*/LC_MESSAGES/django.po into the .mo file Django reads.

Pure Python (the polib library, decision 0038), so `make run` needs no GNU gettext on the
machine. Fuzzy, obsolete and untranslated entries are left out (as msgfmt does), so the
interface falls back to the English source for them.

    python scripts/compile_messages.py          # compile what changed
    python scripts/compile_messages.py --force  # compile everything
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent


def mo_bytes(po: Path) -> bytes:
    """The GNU .mo file of the catalogue ``po``: its header and translated entries only."""
    return polib.pofile(str(po), encoding="utf-8").to_binary()


def compile_catalogues(root: Path = REPO, *, force: bool = False) -> list[Path]:
    written = []
    for po in sorted(root.glob("locale/*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.write_bytes(mo_bytes(po))
        written.append(mo)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--force", action="store_true", help="compile even catalogues whose .mo is newer")
    args = parser.parse_args()
    for path in compile_catalogues(force=args.force):
        print(f"compiled {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
