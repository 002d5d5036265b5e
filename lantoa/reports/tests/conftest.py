"""A small demo-like tree for the dashboard: conferences of the province relayed to its communes
in 2021 and 2022, with attendance recorded at every site."""

from __future__ import annotations

import datetime as dt

import pytest

from lantoa.meetings.models import Category
from lantoa.meetings.services import Headcount, attendance_record
from lantoa.meetings.tests.factories import make_conference
from lantoa.org.models import Unit

# The period the tests read, and the one of the same length before it.
PERIOD = ("2022-01-01", "2022-06-30")
PREVIOUS = (dt.date(2021, 7, 4), dt.date(2021, 12, 31))


def _held(organiser, sites, day, present):  # type: ignore[no-untyped-def]
    conference = make_conference(organiser, sites=sites, day=day)
    for point in conference.points.all():
        attendance_record(by=None, point=point, counts=Headcount(present={Category.PARTY_MEMBERS: present}))
    return conference


@pytest.fixture
def figures(tree):  # type: ignore[no-untyped-def]
    """Two conferences in the period (one of the province relayed to both communes, one of
    district A), one in the previous period; large attendances, as in the demo."""
    _held(tree.province, [tree.commune_a1, tree.commune_b1], dt.date(2022, 3, 10), 12_500)
    _held(tree.district_a, [tree.commune_a1], dt.date(2022, 5, 20), 1_234)
    _held(tree.province, [tree.commune_a1], dt.date(2021, 10, 1), 300)
    # The bloc's units keep records in Lantoa only from 2023: their figures are missing before.
    Unit.objects.filter(pk__in=[tree.bloc.pk, tree.agency_cell.pk]).update(records_since=dt.date(2023, 1, 1))
    return tree
