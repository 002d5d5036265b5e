"""A site's headcount per category and its denominators, one site at a time or many at once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Field
from django.utils.translation import gettext as _

from lantoa.core.audit import audit_record, audit_record_many
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.meetings.models import AttendanceCount, BridgePoint, Category
from lantoa.meetings.services._common import _apply_totals, _refresh_point, _whole, _writable
from lantoa.org.models import Unit


@dataclass
class Headcount:
    """What a site reports: present (and late) per category, and its denominators."""

    present: Mapping[str, int] = field(default_factory=dict)
    late: Mapping[str, int] = field(default_factory=dict)
    members_summoned: int = 0
    members_exempt: int = 0
    summoned: int = 0
    absent_excused: int = 0
    absent_unexcused: int = 0


def headcount_validate(counts: Headcount) -> None:
    for category in [*counts.present, *counts.late]:
        if category not in Category.values:
            raise ValidationFailed(
                _("Unknown category: %(category)s.") % {"category": category}, extra={"field": "category"}
            )
    for category, number in counts.present.items():
        _whole(number, f"present_{category}")
    for category, number in counts.late.items():
        if _whole(number, f"late_{category}") > counts.present.get(category, 0):
            raise ValidationFailed(_("More late arrivals than people present."), extra={"field": f"late_{category}"})
    for name in ("members_summoned", "members_exempt", "summoned", "absent_excused", "absent_unexcused"):
        _whole(getattr(counts, name), name)
    if counts.members_exempt > counts.members_summoned:
        raise ValidationFailed(_("More exempt members than members summoned."), extra={"field": "members_exempt"})
    members = counts.present.get(Category.PARTY_MEMBERS, 0)
    if counts.members_summoned and members > counts.members_summoned:
        raise ValidationFailed(
            _("More party members present than summoned."), extra={"field": f"present_{Category.PARTY_MEMBERS}"}
        )
    if counts.summoned and sum(counts.present.values()) > counts.summoned:
        # People who came without being summoned are welcome but break the rate.
        raise ValidationFailed(_("More people present than summoned."), extra={"field": "summoned"})


@transaction.atomic
def attendance_record(*, by: Any, point: BridgePoint, counts: Headcount) -> BridgePoint:
    """Record (or correct) a site's headcount per category and its denominators. Per-person
    sites take only their denominators here: their headcount comes from check-ins."""
    headcount_validate(counts)
    point = BridgePoint.objects.select_for_update().select_related("conference", "unit").get(pk=point.pk)
    _writable(point)
    point.members_summoned = counts.members_summoned
    point.members_exempt = counts.members_exempt
    point.summoned = counts.summoned
    changed = ["members_summoned", "members_exempt", "summoned"]
    if point.mode == BridgePoint.Mode.HEADCOUNT:
        point.absent_excused = counts.absent_excused
        point.absent_unexcused = counts.absent_unexcused
        AttendanceCount.objects.filter(point=point).delete()
        AttendanceCount.objects.bulk_create(
            [
                AttendanceCount(point=point, category=category, present=number, late=counts.late.get(category, 0))
                for category, number in counts.present.items()
                if number
            ]
        )
        changed += ["present", "late", "absent"]
    _refresh_point(point)
    audit_record(action="lantoa.meetings.attendance.recorded", by=by, target=point, unit=point.unit, changed=changed)
    return point


def attendance_record_many(*, by: Any, rows: Sequence[tuple[BridgePoint, Headcount]]) -> int:
    """The headcounts of many sites of one or more conferences in one transaction (imports,
    bulk entry by the organiser). All rows are checked before anything is written."""
    for _point, counts in rows:
        headcount_validate(counts)
    ids = [point.pk for point, _c in rows]
    with transaction.atomic():
        points = {
            p.pk: p for p in BridgePoint.objects.select_for_update().select_related("conference").filter(pk__in=ids)
        }
        for point in points.values():
            _writable(point)
            if point.mode != BridgePoint.Mode.HEADCOUNT:
                raise Conflict(
                    _("Attendance at this site is taken per person."), code="per_person_site", extra={"id": point.pk}
                )
        AttendanceCount.objects.filter(point_id__in=ids).delete()
        new_counts: list[AttendanceCount] = []
        for stale, counts in rows:
            point = points[stale.pk]
            point.members_summoned = counts.members_summoned
            point.members_exempt = counts.members_exempt
            point.summoned = counts.summoned
            point.absent_excused = counts.absent_excused
            point.absent_unexcused = counts.absent_unexcused
            mine = {
                category: AttendanceCount(
                    point=point, category=category, present=number, late=counts.late.get(category, 0)
                )
                for category, number in counts.present.items()
                if number
            }
            new_counts.extend(mine.values())
            _apply_totals(point, mine)
        AttendanceCount.objects.bulk_create(new_counts, batch_size=5000)
        fields = [
            "members_summoned",
            "members_exempt",
            "summoned",
            "absent_excused",
            "absent_unexcused",
            "present",
            "late",
            "members_present",
            "members_expected",
            "rated_members_present",
            "rated_present",
            "attendance_recorded_at",
        ]
        _save_totals(list(points.values()), fields)
        units = Unit.objects.in_bulk({p.unit_id for p in points.values()})
        audit_record_many(
            action="lantoa.meetings.attendance.recorded",
            by=by,
            targets=[(p, units[p.unit_id]) for p in points.values()],
            changed=["present", "members_summoned", "summoned"],
        )
    return len(points)


def _save_totals(points: Sequence[BridgePoint], fields: Sequence[str]) -> None:
    """Write these fields of many sites, one parameterised UPDATE each, sent together (the ORM's
    bulk_update builds a CASE per field and row, which grows with the square of the batch)."""
    table = BridgePoint._meta.db_table
    columns = [cast(Field, BridgePoint._meta.get_field(name)) for name in fields]  # type: ignore[type-arg]
    assignments = ", ".join(f"{connection.ops.quote_name(c.column or c.name)} = %s" for c in columns)
    rows = [
        [c.get_db_prep_save(getattr(point, c.attname), connection) for c in columns] + [point.pk] for point in points
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {connection.ops.quote_name(table)} SET {assignments} WHERE id = %s", rows)  # noqa: S608
