"""The Vietnamese catalogue is complete and current, and the interface speaks Vietnamese by default.

When a test here fails after you added or changed a string, run
``.venv/bin/python scripts/translations_status.py --update``, translate what it lists in
``locale/vi/LC_MESSAGES/django.po`` (the glossary in the shared docs fixes the terms) and
run ``make messages``.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import shutil
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from django.utils import formats, translation
from django.utils.translation import gettext, ngettext

REPO = Path(__file__).resolve().parents[3]
HOW_TO_FIX = "Run `.venv/bin/python scripts/translations_status.py --update`, translate, then `make messages`."


def _load_status_script() -> ModuleType:
    name = "lantoa_translations_status"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / "translations_status.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


status = _load_status_script()
VI = status.catalogue_path("vi")
EN = status.catalogue_path("en")


def _listing(keys: object) -> str:
    return "\n".join(f"  {key!r}" for key in sorted(keys))  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def vi_entries():  # type: ignore[no-untyped-def]
    return status.read_catalogue(VI)


def test_every_vietnamese_entry_is_translated_and_none_is_fuzzy(vi_entries):
    entries = status.active(vi_entries)
    untranslated = [entry.key for entry in entries if not entry.is_translated]
    fuzzy = [entry.key for entry in vi_entries if entry.is_fuzzy]  # the header too: msgfmt skips fuzzy entries

    assert entries, f"{VI} has no entries"
    assert not untranslated, f"Untranslated in {VI.relative_to(REPO)}:\n{_listing(untranslated)}\n{HOW_TO_FIX}"
    assert not fuzzy, (
        f"Fuzzy in {VI.relative_to(REPO)} (not used at run time; check them and delete the '#, fuzzy' "
        f"line):\n{_listing(fuzzy)}"
    )


def test_headers_declare_language_and_plural_forms(vi_entries):
    vi = status.header_fields(vi_entries)
    en = status.header_fields(status.read_catalogue(EN))

    assert vi.get("Language") == "vi" and vi.get("Plural-Forms") == "nplurals=1; plural=0;"
    assert en.get("Language") == "en" and en.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"


_PLACEHOLDER = re.compile(r"%\([^)]+\)[sd]|%[sd]|\{[A-Za-z_][A-Za-z0-9_]*\}")


def test_translations_keep_the_placeholders(vi_entries):
    wrong = []
    for entry in status.active(vi_entries):
        wanted = sorted(set(_PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or ""))))
        for text in entry.msgstr:
            if text and sorted(set(_PLACEHOLDER.findall(text))) != wanted:
                wrong.append(f"{entry.key} -> {text}")
    assert not wrong, "Placeholders differ from the English:\n" + _listing(wrong)


def test_english_shows_the_code_text_and_spells_out_plurals():
    # English falls back to the msgid for singular strings; plural entries carry both forms.
    entries = status.read_catalogue(EN)
    plurals = [entry for entry in status.active(entries) if entry.msgid_plural is not None]
    wrong = [entry.key for entry in plurals if entry.msgstr != [entry.msgid, entry.msgid_plural]]
    fuzzy = [entry.key for entry in entries if entry.is_fuzzy]
    assert not wrong, f"English plural entries without both forms:\n{_listing(wrong)}\n{HOW_TO_FIX}"
    assert not fuzzy, f"Fuzzy guesses in {EN.relative_to(REPO)}:\n{_listing(fuzzy)}\n{HOW_TO_FIX}"


def test_the_catalogue_has_exactly_the_strings_of_the_code(vi_entries):
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.fail("GNU gettext is not installed (Debian: sudo apt-get install -y gettext).")
    in_code = {entry.key for entry in status.active(status.extracted_entries("vi"))}
    in_catalogue = {entry.key for entry in status.active(vi_entries)}

    missing, stale = in_code - in_catalogue, in_catalogue - in_code
    if missing or stale:
        pytest.fail(
            f"{VI.relative_to(REPO)} is out of date.\n"
            + (f"Strings in the code, not in the catalogue:\n{_listing(missing)}\n" if missing else "")
            + (f"Strings in the catalogue, no longer in the code:\n{_listing(stale)}\n" if stale else "")
            + HOW_TO_FIX,
            pytrace=False,
        )


def test_compiled_catalogue_is_current():
    compiled = VI.with_suffix(".mo")
    assert compiled.exists() and compiled.stat().st_mtime >= VI.stat().st_mtime, (
        f"{compiled.relative_to(REPO)} is missing or older than the .po file: run `make messages`."
    )


def test_vietnamese_is_the_default_and_renders():
    with translation.override("vi"):
        assert gettext("My work") == "Việc của tôi"
        assert gettext("Log in") == "Đăng nhập"
        assert gettext("Log out") == "Đăng xuất"
        assert gettext("Organisation tree") == "Cây tổ chức"
        assert gettext("Audit log") == "Nhật ký thao tác"
        assert gettext("Two-factor login") == "Đăng nhập hai lớp"
        assert gettext("API token") == "Mã truy cập API"
        assert gettext("Unit") == "Đơn vị"
        assert ngettext("%(counter)s unit found", "%(counter)s units found", 5) % {"counter": 5} == (
            "Tìm thấy 5 đơn vị"
        )
    with translation.override("en"):
        assert gettext("My work") == "My work"
        assert ngettext("%(counter)s entry", "%(counter)s entries", 1) == "%(counter)s entry"
        assert ngettext("%(counter)s entry", "%(counter)s entries", 2) == "%(counter)s entries"


def test_vietnamese_formats():
    with translation.override("vi"):
        assert formats.date_format(dt.date(2022, 8, 8)) == "8/8/2022"
        assert formats.date_format(dt.date(2022, 8, 8), "SHORT_DATE_FORMAT") == "8/8/2022"
        assert formats.localize(118000, use_l10n=True) == "118.000"
        assert formats.localize(Decimal("1.5"), use_l10n=True) == "1,5"


def test_the_python_compiler_writes_what_gettext_reads(vi_entries, tmp_path):
    import gettext

    sys.path.insert(0, str(REPO / "scripts"))
    try:
        from compile_messages import mo_bytes
    finally:
        sys.path.remove(str(REPO / "scripts"))
    compiled = tmp_path / "django.mo"
    compiled.write_bytes(mo_bytes(VI))
    with compiled.open("rb") as stream:
        catalogue = gettext.GNUTranslations(stream)
    for entry in status.active(vi_entries):
        if entry.msgid_plural is None and entry.msgctxt is None:
            assert catalogue.gettext(entry.msgid) == entry.msgstr[0]
    assert catalogue.ngettext("%(counter)s unit found", "%(counter)s units found", 5) == "Tìm thấy %(counter)s đơn vị"
