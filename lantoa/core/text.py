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


# --- Cleaning what people type or upload ------------------------------------------------------
# Characters that render as nothing (zero-width spaces and joiners, the word joiner, the byte
# order mark, soft hyphens, bidirectional controls): text made only of them looks empty and must
# count as empty. Other control characters (NUL included) never belong in stored text; tabs and
# line breaks are kept where a field allows several lines.
_INVISIBLE = dict.fromkeys(
    [
        *(0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x3164, 0xFEFF, 0xFFA0),
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2070),
    ],
)
_LINE_BREAKS = {"\n", "\r", "\t"}
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")


def _already_clean(value: str) -> bool:
    """Printable ASCII without doubled or outer spaces is left as it is by :func:`clean_text`
    (nothing to compose, no invisible or control character, no line break): the short codes,
    letters and numbers most API bodies carry are checked without walking them character by
    character."""
    return (
        type(value) is str
        and value.isascii()
        and value.isprintable()
        and value[0] != " "
        and value[-1] != " "
        and "  " not in value
    )


def clean_text(value: str | None, *, multiline: bool = False) -> str:
    """Text as Lantoa stores it: NFC (the composed form Vietnamese keyboards mostly send),
    invisible and control characters removed, spaces collapsed, ends trimmed.

    One-line text (names, titles, codes) also loses tabs and line breaks; ``multiline`` text
    (notes, descriptions) keeps its line breaks (as ``\\n``). An empty result means the value
    was empty, whatever it looked like: callers check emptiness *after* cleaning."""
    if not value:
        return ""
    if _already_clean(value):
        return value
    text = unicodedata.normalize("NFC", str(value)).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for char in text:
        if char in _LINE_BREAKS:
            kept.append(char if multiline else " ")
        elif unicodedata.category(char) in {"Cc", "Cs", "Co", "Cn"} or char in "\u2028\u2029":
            kept.append("\n" if multiline and char in "\u2028\u2029" else "")
        else:
            kept.append(char)
    text = "".join(kept).replace("\t", " ")
    if not multiline:
        return _SPACES.sub(" ", text).strip()
    lines = [_HORIZONTAL_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def ascii_digits(value: str) -> str:
    """Full-width and other Unicode decimal digits (``０９１２``, ``٠٩``) as ASCII digits, for
    phone numbers, codes and numbers typed on a phone keyboard set to another script."""
    return "".join(str(unicodedata.digit(char)) if char.isdigit() and not char.isascii() else char for char in value)


# Letters of other scripts that look like the Latin capitals of a secrecy stamp ("МẬТ" typed with
# Cyrillic М and Т, Greek Τ…). Folded to Latin before the stamp is looked for, so a look-alike
# cannot slip a classified document past the check.
_CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
        "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W",
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
        "ѕ": "s", "м": "m", "т": "t", "к": "k", "н": "h", "в": "b",
        # Greek
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
        "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "α": "a", "ι": "i", "ν": "v",
        "τ": "t", "κ": "k",
    }
)  # fmt: skip


def fold_confusables(text: str) -> str:
    """``text`` with look-alike letters of other scripts (and full-width Latin letters) replaced
    by the Latin letters they imitate, keeping Vietnamese marks: "МẬТ" (Cyrillic М, Т) → "MẬT".
    Only for checks such as the secrecy stamp; never for what is stored or shown."""
    decomposed = unicodedata.normalize("NFD", text)
    folded = []
    for char in decomposed:
        if "\uff21" <= char <= "\uff3a" or "\uff41" <= char <= "\uff5a":  # full-width Latin
            char = chr(ord(char) - 0xFEE0)
        folded.append(char)
    return unicodedata.normalize("NFC", "".join(folded).translate(_CONFUSABLES))
