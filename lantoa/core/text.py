"""Vietnamese text helpers: diacritic folding and Vietnamese collation.

Folding turns ``Nghị quyết Đảng`` into ``nghi quyet dang``. Unicode decomposition alone
leaves ``đ`` untouched (it is a letter of its own, not ``d`` with a mark), so it is mapped
explicitly.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics (including đ → d) and collapse whitespace."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


# Vietnamese alphabetical order; each letter may carry one tone mark.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Tone order used by Vietnamese dictionaries: level, grave, hook, tilde, acute, dot below.
_TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a letter of its own (ă, â, ê, ô, ơ, ư) rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def _syllable_key(word: str) -> tuple[tuple[int, ...], int]:
    letters: list[int] = []
    tone = 0
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in _TONE_MARKS:
            tone = _TONE_MARKS[char]
            continue
        if char in _LETTER_MARKS and letters:
            base = _ALPHABET[letters[-1]] if letters[-1] < len(_ALPHABET) else ""
            composed = unicodedata.normalize("NFC", base + char)
            letters[-1] = _LETTER_RANK.get(composed, letters[-1])
            continue
        if unicodedata.combining(char):
            continue
        letters.append(_LETTER_RANK.get(char, len(_ALPHABET) + ord(char)))
    return tuple(letters), tone


def vn_sort_key(text: str | None) -> tuple:
    """Sort key for Vietnamese text: letters first (a < ă < â < b … đ after d), tones second."""
    words = (text or "").split()
    keys = [_syllable_key(word) for word in words]
    return (tuple(k[0] for k in keys), tuple(k[1] for k in keys))


def person_sort_key(family: str, middle: str, given: str) -> tuple:
    """People sort by given name, then family name, then middle name."""
    return (vn_sort_key(given), vn_sort_key(family), vn_sort_key(middle))


def split_full_name(full_name: str) -> tuple[str, str, str]:
    """``Nguyễn Thị Minh Khai`` → (``Nguyễn``, ``Thị Minh``, ``Khai``)."""
    parts = full_name.split()
    if not parts:
        return "", "", ""
    if len(parts) == 1:
        return "", "", parts[0]
    return parts[0], " ".join(parts[1:-1]), parts[-1]


def _encode_part(text: str) -> str:
    """One name part as fixed-width digits whose byte order is :func:`vn_sort_key` order."""
    letters, tones = vn_sort_key(text)
    # Every letter is three digits (rank + 1); "000" ends a word and then the part, so a
    # shorter word or name sorts before a longer one that starts the same way.
    letter_digits = "".join("".join(f"{min(rank + 1, 999):03d}" for rank in word) + "000" for word in letters)
    return letter_digits + "000" + "".join(str(tone) for tone in tones) + "."


def person_sort_text(family: str, middle: str, given: str) -> str:
    """:func:`person_sort_key` as a string, for a database column that sorts people correctly
    by plain byte comparison (given name, then family name, then middle name)."""
    return "".join(_encode_part(part) for part in (given, family, middle))
