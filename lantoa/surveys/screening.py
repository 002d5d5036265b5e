"""What the questionnaire editor refuses and what it warns about.

A survey is anonymous only if it does not ask people who they are: a question asking for a name,
a phone number, an identity-card number, an address or an e-mail address is refused. Questions
on political views, party membership or religion are sensitive data (Law 91/2025/QH15): they
are allowed, with a warning the organiser sees. Texts are compared folded (lower case, no
diacritics, đ → d), so "Họ và tên", "HO VA TEN" and "ho va ten" are one phrase; Vietnamese and
English phrasings are both matched.
"""

from __future__ import annotations

import re

from lantoa.core.text import fold, fold_confusables

# Folded phrases (word boundaries around each) that ask who someone is.
_IDENTIFYING = {
    "name": [
        r"ho (va )?ten",
        r"ten (cua )?(ban|anh|chi|ong|ba|em|dong chi|nguoi tra loi)",
        r"ten khai sinh",
        r"(full|first|last|family|given|your|real) name",
        r"name of (the )?(respondent|person)",
    ],
    "phone": [
        r"(so )?dien thoai",
        r"sdt",
        r"so di dong",
        r"zalo",
        r"phone",
        r"mobile( number)?",
        r"telephone",
    ],
    "id_number": [
        r"cccd",
        r"cmnd",
        r"can cuoc",
        r"chung minh (nhan dan|thu)",
        r"(so )?dinh danh",
        r"ho chieu",
        r"the dang vien",
        r"(identity|id|citizen|national) (card|number)",
        r"passport",
    ],
    "address": [r"dia chi", r"noi (o|cu tru|thuong tru|tam tru)", r"cho o", r"(home |postal |street )?address"],
    "email": [r"e ?-?mail", r"thu dien tu", r"gmail"],
}
_SENSITIVE = [
    r"ton giao",
    r"tin nguong",
    r"theo dao",
    r"dang vien",
    r"vao dang",
    r"quan diem chinh tri",
    r"khuynh huong chinh tri",
    r"religio(n|us)",
    r"faith",
    r"party member(ship)?",
    r"political (view|opinion|leaning|belief)s?",
]


def _pattern(phrases: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])(" + "|".join(phrases) + r")(?![a-z0-9])")


_IDENTIFYING_PATTERNS = {what: _pattern(phrases) for what, phrases in _IDENTIFYING.items()}
_SENSITIVE_PATTERN = _pattern(_SENSITIVE)


def _folded(text: str) -> str:
    return fold(fold_confusables(text or "")).replace("-", " ").replace("_", " ")


def identifying_topic(*texts: str) -> str | None:
    """The kind of personal identifier the texts ask for ("name", "phone", "id_number",
    "address", "email"), or None."""
    for text in texts:
        folded = _folded(text)
        for what, pattern in _IDENTIFYING_PATTERNS.items():
            if pattern.search(folded):
                return what
    return None


def is_sensitive(*texts: str) -> bool:
    """Do the texts touch political views, party membership or religion?"""
    return any(_SENSITIVE_PATTERN.search(_folded(text)) for text in texts)
