"""Refusing text that carries a secrecy stamp.

:func:`refuse_if_classified` refuses text that carries a secrecy stamp (see
:func:`find_secrecy_stamp` for the rule) and audits the refusal; services wrap themselves in
:func:`records_classified_refusals` so that the audit entry outlives their rolled-back
transaction.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.core.audit import audit_record
from lantoa.core.errors import ValidationFailed
from lantoa.core.text import fold_confusables

LEVELS = ("TUYỆT MẬT", "TỐI MẬT", "MẬT")
_LEVEL_BY_KEY = {level.replace(" ", ""): level for level in LEVELS}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# What may surround a stamp on its own line: a frame drawn with brackets, bars, box-drawing
# characters, stars, dashes or dots, and spaces. Quotation marks are not a frame: texts about the
# law quote the stamps ("MẬT", "TỐI MẬT") without being classified.
_FRAME = re.compile(r"[\s\[\](){}【】〔〕|│┃║┌┐└┘├┤─━═╔╗╚╝*_=~\-–—<>«».•·]+")
_SPACED = r"\s*".join
_LEVEL_PATTERN = "|".join(_SPACED(level.replace(" ", "")) for level in LEVELS)
_BOXED = re.compile(rf"[\[(]\s*({_LEVEL_PATTERN})\s*[\])]")
_LABELLED = re.compile(rf"^\W*Đ\s*Ộ\s+M\s*Ậ\s*T\s*:\s*({_LEVEL_PATTERN})\W*$", re.IGNORECASE)
_LEVEL_WORDS = r"(TUYỆT\s+MẬT|TỐI\s+MẬT|MẬT)"
_AT_START = re.compile(rf"^\W*{_LEVEL_WORDS}(?:\s*\t\s*|\s{{3,}})\S")
_AT_END = re.compile(rf"(\S+)(?:\s*\t\s*|\s{{3,}}){_LEVEL_WORDS}\W*$")
# A line ending in BÍ or ĐỘ followed by a line "MẬT" / "TỐI MẬT" is a heading wrapped in the
# middle of "BÍ MẬT" or "ĐỘ TỐI MẬT", not a stamp.
_WRAPPED_BEFORE = re.compile(r"(?:^|\W)(BÍ|ĐỘ)\W*$", re.IGNORECASE)


def normalise(text: str) -> str:
    # Look-alike letters of other scripts are folded to Latin, so "МẬТ" typed with a Cyrillic М
    # and Т is the stamp it imitates; Vietnamese marks are kept, and compared exactly below.
    return fold_confusables(unicodedata.normalize("NFKC", text).translate(_INVISIBLE))


def _standalone_level(line: str) -> str | None:
    return _LEVEL_BY_KEY.get(_FRAME.sub("", line))


def find_secrecy_stamp(text: str) -> str | None:
    """The secrecy level ("MẬT", "TỐI MẬT" or "TUYỆT MẬT") stamped on ``text``, or None.

    The rule (text first normalised with NFKC, so decomposed and full-width input compares
    equal; zero-width characters and soft hyphens removed; look-alike letters of other scripts
    folded to the Latin letters they imitate, "МẬТ" with Cyrillic М, Т → "MẬT"). A stamp is
    found when:

    1. a line holds nothing but an upper-case level, possibly framed by brackets, bars,
       box-drawing characters, stars, dashes or dots, and possibly with its letters spaced out
       ("MẬT", "[ TỐI MẬT ]", "M Ậ T", "│TUYỆT MẬT│") — unless the previous line ends with "BÍ"
       or "ĐỘ" (a heading wrapped inside "BÍ MẬT" / "ĐỘ TỐI MẬT"), or the next or previous line
       is another level on its own (a list of the three levels, as in texts explaining the law);
    2. an upper-case level stands inside square brackets or parentheses anywhere:
       "[MẬT]", "(TỐI MẬT)", "(M Ậ T)";
    3. a line is the label "Độ mật:" followed by a level and nothing else, in any case
       ("ĐỘ MẬT: MẬT", "Độ mật: Tối mật") — "3 độ mật: Tuyệt mật, Tối mật, Mật" is not;
    4. an upper-case level starts or ends a line and is set apart from the rest of the line by a
       tab or three or more spaces (a stamp laid out beside the number or the date).

    Not stamps: the syllable "mật" inside running text in any case ("mật khẩu", "bí mật nhà
    nước", "mật ong", "mật độ", "thân mật"), an upper-case "MẬT" inside a sentence or heading
    ("BẢO VỆ BÍ MẬT NHÀ NƯỚC", "DANH MỤC BÍ MẬT NHÀ NƯỚC ĐỘ TỐI MẬT"), quoted levels
    ("dấu “MẬT”"), and words whose marks differ (MẶT as in MẶT TRẬN, MẤT, MÁT): the marks are
    compared exactly, never folded. A stamp that exists only as a picture (a scanned page) has no
    text and cannot be found here.
    """
    if not text:
        return None
    text = normalise(text)
    lines = [line.strip() for line in text.splitlines()]
    filled = [i for i, line in enumerate(lines) if line]
    for position, index in enumerate(filled):
        line = lines[index]
        level = _standalone_level(line)
        if level is not None:
            before = lines[filled[position - 1]] if position > 0 else ""
            after = lines[filled[position + 1]] if position + 1 < len(filled) else ""
            neighbours = {_standalone_level(before), _standalone_level(after)} - {None}
            if not _WRAPPED_BEFORE.search(before) and not (neighbours - {level}):
                return level
        boxed = _BOXED.search(line)
        if boxed:
            return _LEVEL_BY_KEY[re.sub(r"\s+", "", boxed.group(1))]
        labelled = _LABELLED.match(line)
        if labelled:
            return _LEVEL_BY_KEY.get(re.sub(r"\s+", "", labelled.group(1)).upper())
        start = _AT_START.match(line)
        if start:
            return _LEVEL_BY_KEY[re.sub(r"\s+", "", start.group(1))]
        end = _AT_END.search(line)
        if end and end.group(1).upper() not in ("BÍ", "ĐỘ"):
            return _LEVEL_BY_KEY[re.sub(r"\s+", "", end.group(2))]
    return None


class ClassifiedMaterial(ValidationFailed):
    """Refusal of text or a file carrying a secrecy stamp. ``audited`` once its entry is written."""

    code = "classified_material"

    def __init__(self, message: str, *, by: Any, extra: dict[str, Any] | None = None):
        super().__init__(message, extra=extra)
        self.by = by
        self.audited = False

    def record_audit(self) -> None:
        """Write the audit entry (once). Call it outside the transaction that is rolled back."""
        if not self.audited:
            audit_record(action="lantoa.library.classified_refused", by=self.by, changed=[])
            self.audited = True


def refuse_if_classified(*, by: Any, text: str, where: str) -> None:
    """Raise ``ValidationFailed`` (code ``classified_material``) if ``text`` carries a secrecy
    stamp (rule: :func:`find_secrecy_stamp`); ``where`` names the file or document for the message.

    The refusal is audited as ``lantoa.library.classified_refused`` (no text, no name stored).
    Outside a transaction the entry is written at once. Inside one it cannot be, because the
    error rolls that transaction back: the entry is then written by
    :func:`records_classified_refusals`, which services put around their transaction.
    """
    level = find_secrecy_stamp(text)
    if level is None:
        return
    error = ClassifiedMaterial(
        _(
            "“%(where)s” carries the secrecy stamp “%(level)s”, so it cannot be kept here. "
            "The Law on Protection of State Secrets (No. 29/2018/QH14) requires classified "
            "documents to be drafted, stored and handled only on computers and networks that are "
            "not connected to the Internet; this library is on the Internet. Keep the document "
            "by the rules for classified material, and upload only documents that may be public or "
            "internal."
        )
        % {"where": where, "level": level},
        by=by,
        extra={"level": level},
    )
    if not transaction.get_connection().in_atomic_block:
        error.record_audit()
    raise error


F = TypeVar("F", bound=Callable[..., Any])


def records_classified_refusals(function: F) -> F:
    """Decorate a service, *outside* its ``transaction.atomic``, so that a classified refusal
    raised inside is audited after the service's writes were rolled back::

        @uploads.records_classified_refusals
        @transaction.atomic
        def version_create(...): ...

    The entry is written in the caller's context: it is kept unless the caller itself rolls back.
    """

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except ClassifiedMaterial as error:
            error.record_audit()
            raise

    return wrapper  # type: ignore[return-value]
