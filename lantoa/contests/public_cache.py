"""What the contest's hot path reads, kept in process memory and the shared cache.

* a round, with its contest (``cached_round``): deleted when the round or its contest is saved;
* a bank's questions in use (``cached_bank``): each question's current version as a plain
  tuple — version id, kind, scoring, option keys, correct keys, tags — with the texts shown to
  contestants kept apart (``texts``), built with two queries and deleted whenever a question of
  the bank or one of its versions is saved.

Each process keeps what it read for ``LOCAL_SECONDS``; a change made through another process
reaches it after at most that long (as :mod:`lantoa.meetings.public_cache`). An attempt keeps the
version ids it was shown: a version no longer current (revised since) is read from the database
by :func:`versions`, which also serves versions missing from the cache.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save

from lantoa.contests.models import Contest, Question, QuestionVersion, Round
from lantoa.core.memo import ProcessMemo

BANK_SECONDS = 10 * 60
ROUND_SECONDS = 5 * 60
LOCAL_SECONDS = 5.0
_BANK = "lantoa:contests:bank:"
_ROUND = "lantoa:contests:round:"
_local = ProcessMemo(seconds=LOCAL_SECONDS)


class Item(NamedTuple):
    """A question version as the hot path needs it. ``options``: ((key, text), …) in the
    version's order; ``correct``: the correct keys. Quacks like a QuestionVersion for
    :func:`lantoa.contests.grading.score` through :meth:`as_graded`."""

    version_id: int
    kind: str
    scoring: str
    stem: str
    options: tuple[tuple[str, str], ...]
    correct: tuple[str, ...]
    tags: tuple[str, ...]


class Graded(NamedTuple):
    kind: str
    scoring: str
    options: list[dict[str, str]]
    correct: tuple[str, ...]
    key_set: frozenset[str]
    correct_set: frozenset[str]


@functools.lru_cache(maxsize=8192)
def as_graded(item: Item) -> Graded:
    """The item as :mod:`lantoa.contests.grading` reads it; kept per item's content (an item
    never changes: a revised question is a new version), so each submission does not rebuild it."""
    keys = tuple(key for key, _text in item.options)
    return Graded(
        item.kind,
        item.scoring,
        [{"key": key} for key in keys],
        item.correct,
        frozenset(keys),
        frozenset(item.correct),
    )


class Encoded(NamedTuple):
    """An item's texts as JSON, each encoded once: ``kind`` and ``stem`` as JSON strings,
    ``texts`` each option's text as a JSON string by its key."""

    kind: str
    stem: str
    texts: dict[str, str]


@functools.lru_cache(maxsize=8192)
def as_encoded(item: Item) -> Encoded:
    """The item's texts as the API sends them, kept per item's content like :func:`as_graded`:
    each start answers 19 questions or so, and encoding their texts again for every contestant
    was the largest part of a start's answer."""
    return Encoded(
        json.dumps(item.kind),
        json.dumps(item.stem),
        {key: json.dumps(text) for key, text in item.options},
    )


class Bank(NamedTuple):
    items: dict[int, Item]  # by version id
    by_tag: dict[str, tuple[int, ...]]  # version ids by tag


def _item(version: QuestionVersion, tags: tuple[str, ...]) -> Item:
    return Item(
        version.pk,
        version.kind,
        version.scoring,
        version.stem,
        tuple((o["key"], o["text"]) for o in version.options),
        tuple(version.correct),
        tags,
    )


def _load_bank(bank_id: int) -> Bank:
    questions = list(
        Question.objects.filter(bank_id=bank_id, retired_at__isnull=True, current__isnull=False)
        .select_related("current")
        .order_by("pk")
    )
    tags: dict[int, list[str]] = {}
    through = Question.tags.through
    for question_id, name in through.objects.filter(question__bank_id=bank_id).values_list(
        "question_id", "questiontag__name"
    ):
        tags.setdefault(question_id, []).append(name)
    items: dict[int, Item] = {}
    by_tag: dict[str, list[int]] = {}
    for question in questions:
        assert question.current is not None
        names = tuple(sorted(tags.get(question.pk, ())))
        items[question.current.pk] = _item(question.current, names)
        for name in names:
            by_tag.setdefault(name, []).append(question.current.pk)
    return Bank(items, {name: tuple(ids) for name, ids in by_tag.items()})


def cached_bank(bank_id: int) -> Bank:
    local_key = ("bank", bank_id)
    held = _local.get(local_key)
    if held is not None:
        return held  # type: ignore[no-any-return]
    bank = cache.get(_BANK + str(bank_id))
    if bank is None:
        bank = _load_bank(bank_id)
        cache.set(_BANK + str(bank_id), bank, BANK_SECONDS)
    _local.put(local_key, bank)
    return bank  # type: ignore[no-any-return]


def versions(bank_id: int, version_ids: Iterable[int]) -> dict[int, Item]:
    """The items of these versions: from the bank's cache, the others (revised since) read."""
    bank = cached_bank(bank_id)
    wanted = set(version_ids)
    found = {vid: bank.items[vid] for vid in wanted if vid in bank.items}
    missing = wanted - set(found)
    if missing:
        for version in QuestionVersion.objects.filter(pk__in=missing):
            found[version.pk] = _item(version, ())
    return found


def cached_round(round_id: int) -> Round | None:
    local_key = ("round", round_id)
    held = _local.get(local_key)
    if held is not None:
        return held  # type: ignore[no-any-return]
    found = cache.get(_ROUND + str(round_id))
    if found is None:
        found = Round.objects.select_related("contest").filter(pk=round_id).first()
        if found is None:
            return None
        cache.set(_ROUND + str(round_id), found, ROUND_SECONDS)
    _local.put(local_key, found)
    return found  # type: ignore[no-any-return]


def _forget(kind: str, prefix: str, ids: Iterable[int]) -> None:
    ids = list(ids)

    def forget() -> None:
        for pk in ids:
            _local.forget((kind, pk))
        cache.delete_many([prefix + str(pk) for pk in ids])

    if ids:
        forget()
        transaction.on_commit(forget)


def forget_bank(bank_id: int) -> None:
    _forget("bank", _BANK, [bank_id])


def forget_rounds(round_ids: Iterable[int]) -> None:
    _forget("round", _ROUND, round_ids)


def _question_changed(sender: Any, instance: Question, **kwargs: Any) -> None:
    forget_bank(instance.bank_id)


def _version_saved(sender: Any, instance: QuestionVersion, **kwargs: Any) -> None:
    bank_id = Question.objects.filter(pk=instance.question_id).values_list("bank_id", flat=True).first()
    if bank_id is not None:
        forget_bank(bank_id)


def _tags_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Question):
        forget_bank(instance.bank_id)


def _round_saved(sender: Any, instance: Round, **kwargs: Any) -> None:
    forget_rounds([instance.pk])


def _contest_saved(sender: Any, instance: Contest, **kwargs: Any) -> None:
    forget_rounds(Round.objects.filter(contest_id=instance.pk).values_list("pk", flat=True))


def clear() -> None:
    """Forget everything this process holds (tests)."""
    _local.clear()


def connect() -> None:
    """Called once by the app's ready()."""
    post_save.connect(_question_changed, sender=Question, dispatch_uid="lantoa-contests-question-saved")
    post_save.connect(_version_saved, sender=QuestionVersion, dispatch_uid="lantoa-contests-version-saved")
    m2m_changed.connect(_tags_changed, sender=Question.tags.through, dispatch_uid="lantoa-contests-tags")
    post_save.connect(_round_saved, sender=Round, dispatch_uid="lantoa-contests-round-saved")
    post_save.connect(_contest_saved, sender=Contest, dispatch_uid="lantoa-contests-contest-saved")
