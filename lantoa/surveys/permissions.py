"""Gates for surveys. "Not allowed" looks exactly like "not found".

A survey is read (its response rates and suppressed results) by users whose scope for figures
holds its owner unit — as the tree stood at any time, and including the units merged into those
(the one scope rule of :mod:`lantoa.org.selectors`). It is built, opened, closed and its cards
issued by those who may edit records for the owner.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lantoa.accounts.permissions import has_capability, scope_root_ids
from lantoa.accounts.roles import Capability
from lantoa.core.errors import NotFound, PermissionDenied
from lantoa.org.models import Unit
from lantoa.org.selectors import ever_within_ids, last_open_day, predecessor_ids
from lantoa.surveys.models import Question, Section, Survey


def surveys_visible_to(by: Any, capability: str = Capability.VIEW_AGGREGATES) -> QuerySet[Survey]:
    roots = scope_root_ids(by, capability)
    if not roots:
        return Survey.objects.none()
    units = ever_within_ids(roots)
    return Survey.objects.filter(Q(owner_id__in=units) | Q(owner_id__in=predecessor_ids(units)))


def may_plan_anywhere(by: Any) -> bool:
    return has_capability(by, Capability.EDIT_RECORDS)


def require_planner(by: Any) -> None:
    if not may_plan_anywhere(by):
        raise NotFound(_("You have no unit to run surveys for."))


def may_plan(by: Any, unit: Unit) -> bool:
    return has_capability(by, Capability.EDIT_RECORDS, unit, as_of=last_open_day(unit))


def may_change(by: Any, survey: Survey) -> bool:
    return may_plan(by, survey.owner)


def access_survey(*, by: Any, pk: int, capability: str = Capability.VIEW_AGGREGATES) -> Survey:
    survey = (
        surveys_visible_to(by)
        .filter(pk=pk)
        .select_related("owner", "audience_root__kind__tier", "audience_tier", "audience_conference")
        .first()
    )
    if survey is None:
        raise NotFound(_("No such survey."), extra={"id": pk})
    if capability == Capability.EDIT_RECORDS and not may_change(by, survey):
        raise PermissionDenied(_("Your role does not allow changing this survey."))
    return survey


def access_section(*, by: Any, survey: Survey, pk: int) -> Section:
    section = Section.objects.filter(survey=survey, pk=pk).first()
    if section is None:
        raise NotFound(_("No such section."), extra={"id": pk})
    return section


def access_question(*, by: Any, survey: Survey, pk: int) -> Question:
    question = (
        Question.objects.filter(section__survey=survey, pk=pk).select_related("current", "section__survey").first()
    )
    if question is None:
        raise NotFound(_("No such question."), extra={"id": pk})
    return question
