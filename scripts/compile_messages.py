"""Compile every locale/*/LC_MESSAGES/django.po into the .mo file Django reads.

Pure Python, so `make run` needs no GNU gettext on the machine. Fuzzy and untranslated entries
are left out (as msgfmt does), so the interface falls back to the English source for them.

    python scripts/compile_messages.py          # compile what changed
    python scripts/compile_messages.py --force  # compile everything
"""

from __future__ import annotations

import argparse
import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from translations_status import Entry, read_catalogue

REPO = Path(__file__).resolve().parent.parent
MAGIC = 0x950412DE


def _key(entry: Entry) -> bytes:
    text = entry.msgid if entry.msgid_plural is None else f"{entry.msgid}\0{entry.msgid_plural}"
    if entry.msgctxt is not None:
        text = f"{entry.msgctxt}\x04{text}"
    return text.encode("utf-8")


def _value(entry: Entry) -> bytes:
    return "\0".join(entry.msgstr).encode("utf-8")


def mo_bytes(entries: list[Entry]) -> bytes:
    """The GNU .mo format: header, two tables of (length, offset), then the strings."""
    pairs = sorted(
        (_key(e), _value(e)) for e in entries if not e.obsolete and not e.is_fuzzy and (e.is_header or e.is_translated)
    )
    count = len(pairs)
    keys_start = 7 * 4
    values_start = keys_start + count * 8
    data_start = values_start + count * 8
    key_table, value_table, blob = [], [], b""
    for key, _value_bytes in pairs:
        key_table.append((len(key), data_start + len(blob)))
        blob += key + b"\0"
    for _key_bytes, value in pairs:
        value_table.append((len(value), data_start + len(blob)))
        blob += value + b"\0"
    header = struct.pack("<7I", MAGIC, 0, count, keys_start, values_start, 0, data_start)
    tables = b"".join(struct.pack("<2I", *row) for row in key_table + value_table)
    return header + tables + blob


def compile_catalogues(root: Path = REPO, *, force: bool = False) -> list[Path]:
    written = []
    for po in sorted(root.glob("locale/*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.write_bytes(mo_bytes(read_catalogue(po)))
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
