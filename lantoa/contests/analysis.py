"""Item analysis of a round: how each question version used behaved.

For every question version shown in the round's submitted attempts:

* **facility** — the mean item score (the share answering correctly; partial credit counts its
  fraction), between 0 and 1;
* **discrimination** — the *corrected point-biserial correlation*: Pearson's correlation, over
  the attempts that showed the item, between the item score and the attempt's total score minus
  that item (so an item does not correlate with itself). Between −1 and 1; None when either
  side does not vary (everyone right, everyone wrong, or every rest score equal) or when fewer
  than :data:`MIN_ATTEMPTS` attempts showed it.

A question is **flagged** when it is too hard (facility < 0.2), too easy (> 0.95), or does not
separate stronger from weaker contestants (discrimination < 0.1, including negative: the
stronger ones fail it more often — often a wrong key). Everything is computed from the stored
answers, graded again with :func:`lantoa.contests.grading.score` on the versions shown, in one
pass over the attempts (read in chunks), whatever the number of questions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from lantoa.contests import grading
from lantoa.contests.models import Attempt, QuestionVersion, Round

MIN_ATTEMPTS = 5
HARD, EASY, WEAK = 0.2, 0.95, 0.1
CHUNK = 2000


@dataclass
class _Sums:
    n: int = 0
    x: float = 0.0
    xx: float = 0.0
    y: float = 0.0
    yy: float = 0.0
    xy: float = 0.0

    def add(self, item: float, rest: float) -> None:
        self.n += 1
        self.x += item
        self.xx += item * item
        self.y += rest
        self.yy += rest * rest
        self.xy += item * rest


@dataclass
class Item:
    version: QuestionVersion
    shown: int
    facility: float | None
    discrimination: float | None
    flags: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


FLAG_LABELS = {
    "hard": _("too hard (under 20 % correct)"),
    "easy": _("too easy (over 95 % correct)"),
    "weak": _("does not separate stronger and weaker contestants"),
    "negative": _("stronger contestants fail it more often: check the answer key"),
}


def correlation(s: _Sums) -> float | None:
    if s.n < 2:
        return None
    vx = s.n * s.xx - s.x * s.x
    vy = s.n * s.yy - s.y * s.y
    if vx <= 1e-12 or vy <= 1e-12:
        return None
    return (s.n * s.xy - s.x * s.y) / math.sqrt(vx * vy)


def flags_for(facility: float | None, discrimination: float | None) -> list[str]:
    found = []
    if facility is not None and facility < HARD:
        found.append("hard")
    if facility is not None and facility > EASY:
        found.append("easy")
    if discrimination is not None and discrimination < 0:
        found.append("negative")
    elif discrimination is not None and discrimination < WEAK:
        found.append("weak")
    return found


def item_analysis(round_: Round) -> list[Item]:
    """Every question version shown in the round's submitted attempts, most troubling first
    (flagged, then by discrimination, lowest first). Reads the attempts in chunks of their
    questions and answers only, then the versions (one query)."""
    sums: dict[int, _Sums] = {}
    versions: dict[int, Any] = {}
    rows = (
        Attempt.objects.filter(round_id=round_.pk, submitted_at__isnull=False)
        .values_list("questions", "answers")
        .order_by()
    )
    pending: list[tuple[list[Any], list[str]]] = []
    for questions, answers in rows.iterator(chunk_size=CHUNK):
        pending.append((questions, answers or []))
        if len(pending) >= CHUNK:
            _take(pending, sums, versions)
            pending = []
    _take(pending, sums, versions)
    items = []
    for version_id, s in sums.items():
        facility = s.x / s.n if s.n else None
        discrimination = correlation(s) if s.n >= MIN_ATTEMPTS else None
        items.append(Item(versions[version_id], s.n, facility, discrimination, flags_for(facility, discrimination)))
    items.sort(key=lambda i: (not i.flagged, i.discrimination if i.discrimination is not None else 2, i.version.pk))
    return items


def _take(pending: list[tuple[list[Any], list[str]]], sums: dict[int, _Sums], versions: dict[int, Any]) -> None:
    missing = {int(vid) for questions, _answers in pending for vid, _order in questions} - set(versions)
    if missing:
        versions.update(QuestionVersion.objects.select_related("question").in_bulk(missing))
    for questions, answers in pending:
        marks = []
        for index, (vid, _order) in enumerate(questions):
            chosen = answers[index] if index < len(answers) else ""
            marks.append((int(vid), float(grading.score(versions[int(vid)], chosen))))
        total = sum(mark for _vid, mark in marks)
        for vid, mark in marks:
            sums.setdefault(vid, _Sums()).add(mark, total - mark)


def as_decimal(value: float | None, places: str = "0.001") -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal(places))


def item_out(item: Item) -> dict[str, Any]:
    version = item.version
    return {
        "question": version.question_id,
        "version": version.pk,
        "version_number": version.number,
        "ref": version.question.ref,
        "stem": version.stem,
        "shown": item.shown,
        "facility": as_decimal(item.facility),
        "discrimination": as_decimal(item.discrimination),
        "flags": item.flags,
    }


def cached_item_analysis(round_: Round) -> list[Item]:
    """The analysis of a closed round is kept a day (it changes only if the round closes again,
    which changes the key); an open round's is computed each time."""
    from django.core.cache import cache

    if round_.closed_at is None:
        return item_analysis(round_)
    key = f"lantoa:contests:items:{round_.pk}:{round_.closed_at.timestamp()}"
    found = cache.get(key)
    if found is None:
        found = item_analysis(round_)
        cache.set(key, found, 24 * 60 * 60)
    return list(found)


__all__ = ["FLAG_LABELS", "Item", "cached_item_analysis", "item_analysis", "item_out"]
