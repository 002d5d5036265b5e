"""What the translation catalogues still lack.

    .venv/bin/python scripts/translations_status.py           # untranslated and fuzzy entries (vi)
    .venv/bin/python scripts/translations_status.py --update  # extract the strings again first

``--update`` runs ``makemessages`` for every language with the project's options, sets the
English entries to the code's own text (see :func:`english`) and then reports. Translate
what it lists in ``locale/vi/LC_MESSAGES/django.po``, delete the ``#, fuzzy`` lines once each
guess is checked, then compile with ``manage.py compilemessages``.

The exit status is 1 while a Vietnamese entry is untranslated or fuzzy.
Standard library only: the test suite imports this file to read the catalogues.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOCALE = REPO / "locale"
LANGUAGES = ("vi", "en")
# Folders that hold no strings of ours (dependencies, data, benchmarks).
IGNORE = (".venv", "node_modules", "var", "bench")
MAKEMESSAGES_OPTIONS = ("--no-location", "--no-obsolete", *(f"--ignore={folder}" for folder in IGNORE))


def catalogue_path(language: str, locale: Path = LOCALE) -> Path:
    return locale / language / "LC_MESSAGES" / "django.po"


@dataclass
class Entry:
    """One entry of a .po file; ``msgstr`` holds msgstr, or msgstr[0], msgstr[1]… for plurals."""

    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    first_line: int = 0  # 1-based
    last_line: int = 0
    msgstr_line: int = 0  # first line of the msgstr part

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def is_fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def is_translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr)

    @property
    def key(self) -> str:
        """The msgid as people read it, with its context when it has one."""
        return self.msgid if self.msgctxt is None else f"{self.msgid} [context: {self.msgctxt}]"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")


def read_catalogue(path: Path) -> list[Entry]:
    """Every entry of a .po file, in order; obsolete entries (``#~``) are marked as such."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None  # the keyword that continuation lines extend

    def finish() -> None:
        nonlocal entry, target
        if entry is not None and (entry.msgid or entry.msgstr or entry.msgctxt is not None):
            entries.append(entry)
        entry, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if entry is not None and target is not None:  # a comment after the strings starts a new entry
                finish()
            entry = entry or Entry(first_line=number)
            entry.last_line = number
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, text = match.group(1), match.group(2), _unquote(match.group(3))
            if entry is None or (keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr"):
                finish()
                entry = Entry(first_line=number)
            entry.obsolete = entry.obsolete or obsolete
            entry.last_line = number
            if keyword == "msgctxt":
                entry.msgctxt, target = text, ("msgctxt", 0)
            elif keyword == "msgid":
                entry.msgid, target = text, ("msgid", 0)
            elif keyword == "msgid_plural":
                entry.msgid_plural, target = text, ("msgid_plural", 0)
            else:
                position = int(index) if index is not None else 0
                if not entry.msgstr_line:
                    entry.msgstr_line = number
                while len(entry.msgstr) <= position:
                    entry.msgstr.append("")
                entry.msgstr[position] = text
                target = ("msgstr", position)
            continue
        if line.startswith('"') and line.endswith('"') and entry is not None and target is not None:
            text = _unquote(line[1:-1])
            entry.last_line = number
            kind, position = target
            if kind == "msgstr":
                entry.msgstr[position] += text
            elif kind == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + text
            elif kind == "msgid":
                entry.msgid += text
            else:
                entry.msgid_plural = (entry.msgid_plural or "") + text
            continue
        raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries


def active(entries: list[Entry]) -> list[Entry]:
    """The entries the code uses: not the header, not obsolete."""
    return [entry for entry in entries if not entry.is_header and not entry.obsolete]


def header_fields(entries: list[Entry]) -> dict[str, str]:
    header = next((entry for entry in entries if entry.is_header), None)
    text = header.msgstr[0] if header and header.msgstr else ""
    pairs = (line.split(":", 1) for line in text.splitlines() if ":" in line)
    return {name.strip(): value.strip() for name, value in pairs}


def rewrite_msgstr(path: Path, translate: Callable[[Entry], list[str] | None]) -> int:
    """Replace the msgstr part of every active entry for which ``translate`` returns strings.

    An entry given its strings counts as checked: its ``fuzzy`` flag and the previous msgid
    that ``makemessages`` noted with it are dropped. Returns how many entries changed;
    ``makemessages`` re-wraps long lines on its next run.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    changed = 0
    for entry in reversed(active(read_catalogue(path))):
        new = translate(entry)
        if new is None or (new == entry.msgstr and not entry.is_fuzzy):
            continue
        head = []
        for line in lines[entry.first_line - 1 : entry.msgstr_line - 1]:
            if line.startswith("#|"):
                continue
            if line.startswith("#,"):
                flags = [flag.strip() for flag in line[2:].split(",") if flag.strip() not in ("", "fuzzy")]
                if not flags:
                    continue
                line = "#, " + ", ".join(flags)
            head.append(line)
        if entry.msgid_plural is None:
            block = [f'msgstr "{_quote(new[0])}"']
        else:
            block = [f'msgstr[{index}] "{_quote(text)}"' for index, text in enumerate(new)]
        lines[entry.first_line - 1 : entry.last_line] = head + block
        changed += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return changed


def english(entry: Entry) -> list[str] | None:
    """English needs no translation: singular entries stay empty (the code's text is shown) and
    plural entries spell out both forms. Guesses that ``makemessages`` marked fuzzy are undone."""
    plain = [""] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
    if entry.is_fuzzy or (entry.msgid_plural is not None and not entry.is_translated):
        return plain
    return None


def makemessages(cwd: Path = REPO, languages: tuple[str, ...] = LANGUAGES) -> None:
    """Extract the strings of the code into the catalogues under ``cwd``'s settings."""
    command = [sys.executable, "manage.py", "makemessages", *(f"--locale={code}" for code in languages)]
    environment = {**os.environ, "DEBUG": "1"}
    subprocess.run([*command, *MAKEMESSAGES_OPTIONS, "-v", "0"], cwd=cwd, check=True, env=environment)  # noqa: S603


_EXTRACT = """
import os, sys
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
django.setup()
from django.conf import settings
from django.core.management import call_command
settings.LOCALE_PATHS = [sys.argv[1]]
call_command("makemessages", *sys.argv[2:])
"""


def extracted_entries(language: str = "vi") -> list[Entry]:
    """The entries the code asks for now, extracted into a scratch folder (the catalogues stay as they are).

    ``makemessages`` writes into the ``locale`` folder of the tree it scans, so it scans a scratch
    folder of links to the project's files, without the project's ``locale``.
    """
    skip = {"locale", ".git", *IGNORE}
    with tempfile.TemporaryDirectory(prefix="lantoa-messages-") as scratch:
        root = Path(scratch)
        for item in REPO.iterdir():
            if item.name not in skip and not item.name.startswith("."):
                (root / item.name).symlink_to(item, target_is_directory=item.is_dir())
        options = [f"--locale={language}", "--symlinks", *MAKEMESSAGES_OPTIONS, "--verbosity=0"]
        subprocess.run(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, "-c", _EXTRACT, str(root / "locale"), *options],
            cwd=root,
            check=True,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        return read_catalogue(catalogue_path(language, root / "locale"))


def report(language: str = "vi") -> int:
    path = catalogue_path(language)
    if not path.exists():
        print(f"{path.relative_to(REPO)} does not exist; run with --update.")
        return 1
    entries = read_catalogue(path)
    header = next((entry for entry in entries if entry.is_header), None)
    todo = [entry for entry in active(entries) if not entry.is_translated]
    fuzzy = [entry for entry in active(entries) if entry.is_fuzzy]
    print(f"{path.relative_to(REPO)}: {len(active(entries))} entries, {len(todo)} untranslated, {len(fuzzy)} fuzzy")
    if header is not None and header.is_fuzzy:
        print("  the header is marked fuzzy: delete its '#, fuzzy' line")
    for title, group in (("Untranslated", todo), ("Fuzzy (check, then delete the '#, fuzzy' line)", fuzzy)):
        if group:
            print(f"\n{title}:")
            for entry in group:
                print(f"  line {entry.first_line}: {entry.key!r}")
    return 1 if todo or fuzzy or (header is not None and header.is_fuzzy) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true", help="run makemessages first (vi and en)")
    arguments = parser.parse_args(argv)
    if arguments.update:
        makemessages()
        filled = rewrite_msgstr(catalogue_path("en"), english)
        if filled:
            print(f"English: {filled} entries set to the code's own text.")
    return report("vi")


if __name__ == "__main__":
    sys.exit(main())
