"""The check-in sites the public pages resolve by code, kept in the shared cache.

A scan of a site's QR code, the typed code and the check-in API resolve the code with one cache
read instead of a three-table query. The entry holds the site with its conference and unit; it
is deleted whenever the site (its code, mode, denominators) or its conference (times, status,
mandatory flag) is saved or deleted, at once and again after the commit; other worker processes
see the change within ``LOCAL_SECONDS``. Unit names shown on the page may lag a renaming by at
most ``POINT_SECONDS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from lantoa.core.memo import ProcessMemo
from lantoa.meetings.models import BridgePoint, Conference

POINT_SECONDS = 5 * 60
# Each process also keeps the sites it resolved for a few seconds, saving the cache read on the
# database cache; a change made through another process reaches it after at most this long.
LOCAL_SECONDS = 5.0
_KEY = "lantoa:meetings:point:"
_local = ProcessMemo(seconds=LOCAL_SECONDS)


def point_key(code: str) -> str:
    return _KEY + code


def cached_point(code: str, load: Callable[[str], BridgePoint | None]) -> BridgePoint | None:
    held = _local.get(code)
    if held is not None:
        return held  # type: ignore[no-any-return]
    key = point_key(code)
    point = cache.get(key)
    if point is None:
        point = load(code)
        if point is None:
            return None  # unknown codes are not cached: a new site's code works at once
        cache.set(key, point, POINT_SECONDS)
    _local.put(code, point)
    return point  # type: ignore[no-any-return]


def forget_points(codes: Iterable[str]) -> None:
    codes = [code for code in codes if code]
    keys = [point_key(code) for code in codes]

    def forget() -> None:
        for code in codes:
            _local.forget(code)
        cache.delete_many(keys)

    if keys:
        forget()
        transaction.on_commit(forget)


def _point_saving(sender: Any, instance: BridgePoint, **kwargs: Any) -> None:
    if instance.pk:  # the code it had, in case this save changes it
        forget_points(BridgePoint.objects.filter(pk=instance.pk).values_list("code", flat=True))


def _point_changed(sender: Any, instance: BridgePoint, **kwargs: Any) -> None:
    forget_points([instance.code])


def _conference_changed(sender: Any, instance: Conference, **kwargs: Any) -> None:
    if instance.pk:
        forget_points(BridgePoint.objects.filter(conference_id=instance.pk).values_list("code", flat=True))


def connect() -> None:
    """Called once by the app's ready()."""
    pre_save.connect(_point_saving, sender=BridgePoint, dispatch_uid="lantoa-point-saving")
    post_save.connect(_point_changed, sender=BridgePoint, dispatch_uid="lantoa-point-saved")
    post_delete.connect(_point_changed, sender=BridgePoint, dispatch_uid="lantoa-point-deleted")
    post_save.connect(_conference_changed, sender=Conference, dispatch_uid="lantoa-conference-saved")
