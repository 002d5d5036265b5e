"""A check-in writes only its participant row; its site's totals are recounted from the rows
at the next flush of the buffered counters (docs/decisions/0040-buffered-counters.md)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction
from django.db.models.signals import post_save, pre_save
from django.test import override_settings
from django.utils import timezone

from lantoa.core import counters
from lantoa.meetings.models import BridgePoint, Category, Participant
from lantoa.meetings.services import CheckIn, Headcount, attendance_record, check_in
from lantoa.meetings.services._common import recount_sites
from lantoa.meetings.tests.factories import make_conference

BUFFERED = override_settings(LANTOA_COUNTER_FLUSH_SECONDS=3600)  # only explicit flushes write


def _live_site(tree, *, units=None):  # type: ignore[no-untyped-def]
    """Per-person sites of a conference that started ten minutes ago."""
    starts = timezone.now() - dt.timedelta(minutes=10)
    conference = make_conference(
        tree.province,
        sites=units or [tree.commune_a1],
        mode=BridgePoint.Mode.PER_PERSON,
        day=timezone.localdate(starts),
    )
    conference.starts_at, conference.ends_at = starts, starts + dt.timedelta(hours=2)
    conference.save()
    return list(conference.points.filter(is_host=False).order_by("pk"))


def _totals(point: BridgePoint) -> tuple[int, ...]:
    point.refresh_from_db()
    return point.present, point.late, point.members_present, point.rated_present, point.rated_members_present


@pytest.mark.django_db
def test_nothing_listens_to_a_participants_save() -> None:
    # Check-ins insert their row with lantoa.core.rows.insert_row, which sends no signals.
    assert not pre_save.has_listeners(Participant)
    assert not post_save.has_listeners(Participant)


@pytest.mark.django_db
def test_a_checked_in_row_reads_back_as_saved(tree) -> None:  # type: ignore[no-untyped-def]
    (point,) = _live_site(tree)
    result = check_in(by=None, data=CheckIn(code=point.code, client_key="k-1", name=" Lò Văn Pó "))
    stored = Participant.objects.get(pk=result.participant.pk)
    assert (stored.name, stored.category, stored.status, stored.client_key, stored.method) == (
        "Lò Văn Pó",
        Category.PARTY_MEMBERS,
        Participant.Status.PRESENT,
        "k-1",
        Participant.Method.CODE,
    )
    assert stored.checked_in_at == result.participant.checked_in_at
    assert stored.is_late is False and stored.person_id is None and stored.user_id is None


@pytest.mark.django_db
def test_buffered_check_ins_reach_the_sites_totals_at_the_next_flush(tree) -> None:  # type: ignore[no-untyped-def]
    (point,) = _live_site(tree)
    attendance_record(by=None, point=point, counts=Headcount(members_summoned=10, summoned=12))
    with BUFFERED:
        for key, category in [
            ("a", Category.PARTY_MEMBERS),
            ("b", Category.NON_MEMBERS),
            ("c", Category.PARTY_MEMBERS),
        ]:
            check_in(by=None, data=CheckIn(code=point.code, client_key=key, name=key, category=category))
        assert _totals(point) == (0, 0, 0, 0, 0)  # rows written, totals not yet
        assert Participant.objects.filter(point=point).count() == 3
        counters.flush_all()
    assert _totals(point) == (3, 0, 2, 3, 2)
    assert sorted(point.counts.values_list("category", "present")) == [
        (Category.NON_MEMBERS, 1),
        (Category.PARTY_MEMBERS, 2),
    ]


@pytest.mark.django_db
def test_a_replayed_check_in_is_not_counted_again(tree) -> None:  # type: ignore[no-untyped-def]
    (point,) = _live_site(tree)
    for _ in range(3):
        check_in(by=None, data=CheckIn(code=point.code, client_key="same-phone", name="Vàng Thị Mai"))
    counters.flush_all()
    assert _totals(point)[0] == 1


@pytest.mark.django_db
def test_a_site_is_recounted_again_once_the_callers_transaction_commits(
    tree, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    (point,) = _live_site(tree)
    with BUFFERED, django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            check_in(by=None, data=CheckIn(code=point.code, client_key="k", name="Sùng A Dính"))
            counters.flush_all()  # as if the flush thread ran before the commit
        counters.flush_all()
    assert _totals(point)[0] == 1


@pytest.mark.django_db
def test_recounting_30_sites_costs_as_many_queries_as_3(tree) -> None:  # type: ignore[no-untyped-def]
    from django.test.utils import CaptureQueriesContext

    from lantoa.org.tests.factories import make_unit

    def queries_for(sites: int) -> int:
        communes = [
            make_unit(kind="commune_committee", parent=tree.district_a, code=f"R{sites}-{index}")
            for index in range(sites)
        ]
        points = _live_site(tree, units=communes)
        for number, point in enumerate(points):
            check_in(by=None, data=CheckIn(code=point.code, client_key=f"k{number}", name="Hầu A Lử"))
        with CaptureQueriesContext(connection) as captured:
            assert recount_sites([point.pk for point in points]) == sites
        assert all(_totals(point)[0] == 1 for point in points)
        return len(captured)

    assert queries_for(3) == queries_for(30)


@pytest.mark.django_db(transaction=True)
def test_check_ins_and_flushes_at_once_count_exactly(tree) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor == "sqlite":
        pytest.skip("SQLite in-memory test databases are not shared between threads")
    points = _live_site(tree, units=[tree.commune_a1, tree.commune_b1])
    errors: list[BaseException] = []
    start = threading.Barrier(7)

    def arrive(worker: int) -> None:
        try:
            start.wait()
            for number in range(30):
                point = points[(worker + number) % 2]
                check_in(by=None, data=CheckIn(code=point.code, client_key=f"w{worker}-{number}", name="Giàng A Tủa"))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    def flush() -> None:
        try:
            start.wait()
            for _ in range(20):
                counters.flush_all()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    with BUFFERED:
        threads = [threading.Thread(target=arrive, args=(worker,)) for worker in range(6)]
        threads.append(threading.Thread(target=flush))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        counters.flush_all()
    assert not errors
    assert [_totals(point)[0] for point in points] == [90, 90]
    assert sum(_totals(point)[0] for point in points) == Participant.objects.count() == 180


@pytest.mark.django_db
def test_the_command_recounts_sites_a_killed_process_left_behind(tree) -> None:  # type: ignore[no-untyped-def]
    import io

    from django.core.management import call_command

    (point,) = _live_site(tree)
    with BUFFERED:
        check_in(by=None, data=CheckIn(code=point.code, client_key="k", name="Thào A Chá"))
        counters.counter("meetings.sites_to_recount", lambda batch: None)._forget_after_fork()  # the lost buffer
    assert _totals(point)[0] == 0
    out = io.StringIO()
    call_command("recount_sites", conference=point.conference_id, stdout=out)
    assert _totals(point)[0] == 1
    assert out.getvalue().strip() == "2 sites recounted."  # the host's and the commune's
    call_command("recount_sites", stdout=io.StringIO())
    assert _totals(point)[0] == 1
