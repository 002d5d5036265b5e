"""Gates for action programmes and recommendations. "Not allowed" looks exactly like "not found".

The one scope rule (:mod:`lantoa.org.selectors`, as in :mod:`lantoa.meetings.permissions`): a
programme is seen by those who read documents in a scope that holds, or ever held, the unit that
carries it or the unit that issued it (and by the successors of those units), or a unit one of
its tasks is given to; it is changed by
those who record the work of the unit carrying it. A task's progress is also recorded by those who
record the work of the task's owner unit. A requirement is seen with its requiring unit's scope.
A recommendation is seen in the scope of its sender and of the unit it is addressed to; the
sender's staff keep it, the addressee's staff answer it. An inspection is seen in the scope of the
unit that keeps it and of the units it inspects; a follow-up also in its owner unit's scope.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from lantoa.accounts.permissions import has_capability, scope_reach, scope_root_ids
from lantoa.accounts.roles import Capability
from lantoa.core.errors import NotFound, PermissionDenied
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import Reach, ever_within_ids, last_open_day
from lantoa.plans.models import (
    ActionProgramme,
    FollowUp,
    InspectedUnit,
    Inspection,
    InspectionFile,
    InspectionPlan,
    IssueRequirement,
    PlannedInspection,
    ProgrammeTask,
    Recommendation,
    SentReminder,
)

READ = Capability.VIEW_DOCUMENTS
WRITE = Capability.EDIT_RECORDS


def _in_scope(by: Any, *fields: str) -> Q | None:
    reach = scope_reach(by, READ)
    return reach.condition(*fields) if reach is not None else None


def _programmes_within(reach: Reach) -> QuerySet[ActionProgramme]:
    asks_me = ProgrammeTask.objects.filter(reach.condition("owner_unit_id"), programme=OuterRef("pk"))
    return ActionProgramme.objects.filter(reach.condition("unit_id", "origin_unit_id") | Exists(asks_me))


def programmes_visible_to(by: Any) -> QuerySet[ActionProgramme]:
    """Programmes of a unit in ``by``'s scope, and programmes that give a task to one (a commune
    reads the district's programme that asks something of it)."""
    reach = scope_reach(by, READ)
    return ActionProgramme.objects.none() if reach is None else _programmes_within(reach)


def tasks_visible_to(by: Any) -> QuerySet[ProgrammeTask]:
    """Tasks of programmes ``by`` sees, and tasks given to a unit in ``by``'s scope (a commune sees
    what the district's programme asks of it)."""
    reach = scope_reach(by, READ)
    if reach is None:
        return ProgrammeTask.objects.none()
    return ProgrammeTask.objects.filter(reach.condition("owner_unit_id") | Q(programme__in=_programmes_within(reach)))


def requirements_visible_to(by: Any) -> QuerySet[IssueRequirement]:
    condition = _in_scope(by, "unit_id")
    return IssueRequirement.objects.none() if condition is None else IssueRequirement.objects.filter(condition)


def recommendations_visible_to(by: Any) -> QuerySet[Recommendation]:
    condition = _in_scope(by, "unit_id", "addressee_unit_id")
    return Recommendation.objects.none() if condition is None else Recommendation.objects.filter(condition)


def may_record(by: Any, unit: Unit) -> bool:
    return has_capability(by, WRITE, unit, as_of=last_open_day(unit))


def may_keep_programme(by: Any, programme: ActionProgramme) -> bool:
    return may_record(by, programme.unit)


def may_report_progress(by: Any, task: ProgrammeTask) -> bool:
    return may_keep_programme(by, task.programme) or (task.owner_unit is not None and may_record(by, task.owner_unit))


def require_reader(by: Any) -> None:
    if not scope_root_ids(by, READ):
        raise NotFound(_("Page not found."))


def access_recording_unit(*, by: Any, code: str, field: str = "unit") -> Unit:
    """A unit ``by`` records the work of: missing or out of scope answers like missing."""
    unit = access_unit(by=by, code=code)
    if not may_record(by, unit):
        raise PermissionDenied(
            _("Your role does not allow recording the work of %(unit)s.") % {"unit": unit.name}, extra={"field": field}
        )
    return unit


def owner_lookup(by: Any) -> Callable[[str], Unit | None]:
    """Finds a task's owner unit by code as the task form does: a unit ``by`` may see, or None
    (unknown and out of scope read the same)."""

    def lookup(code: str) -> Unit | None:
        try:
            return access_unit(by=by, code=code)
        except (NotFound, PermissionDenied):
            return None

    return lookup


def access_programme(*, by: Any, pk: int, write: bool = False) -> ActionProgramme:
    programme = (
        programmes_visible_to(by)
        .filter(pk=pk)
        .select_related("unit__kind__tier", "origin_unit", "document__kind")
        .first()
    )
    if programme is None:
        raise NotFound(_("No such action programme."), extra={"id": pk})
    if write and not may_keep_programme(by, programme):
        raise PermissionDenied(_("Your role does not allow changing this programme."))
    return programme


def access_task(*, by: Any, pk: int, report: bool = False) -> ProgrammeTask:
    task = (
        tasks_visible_to(by)
        .filter(pk=pk)
        .select_related("programme__unit", "programme__origin_unit", "programme__document", "owner_unit")
        .first()
    )
    if task is None:
        raise NotFound(_("No such task."), extra={"id": pk})
    if report and not may_report_progress(by, task):
        raise PermissionDenied(_("Your role does not allow reporting progress on this task."))
    return task


def access_requirement(*, by: Any, pk: int) -> IssueRequirement:
    requirement = (
        requirements_visible_to(by).filter(pk=pk).select_related("unit__kind__tier", "document", "tier").first()
    )
    if requirement is None:
        raise NotFound(_("No such requirement."), extra={"id": pk})
    return requirement


def access_recommendation(*, by: Any, pk: int) -> Recommendation:
    recommendation = (
        recommendations_visible_to(by)
        .filter(pk=pk)
        .select_related("unit", "addressee_unit", "answer_document", "inspection")
        .first()
    )
    if recommendation is None:
        raise NotFound(_("No such recommendation."), extra={"id": pk})
    return recommendation


def may_answer(by: Any, recommendation: Recommendation) -> bool:
    """The addressee's staff move a recommendation on; for an outside body, the sender's staff
    record what it answered."""
    if recommendation.addressee_unit is not None:
        return may_record(by, recommendation.addressee_unit)
    return may_record(by, recommendation.unit)


def access_recommendation_to_answer(*, by: Any, pk: int) -> Recommendation:
    recommendation = access_recommendation(by=by, pk=pk)
    if not may_answer(by, recommendation):
        raise PermissionDenied(_("Your role does not allow answering this recommendation."))
    return recommendation


def access_evidence_conference(*, by: Any, pk: int) -> Any:
    from lantoa.meetings.permissions import conferences_visible_to

    conference = conferences_visible_to(by).filter(pk=pk).first()
    if conference is None:
        raise NotFound(_("No such conference."), extra={"id": pk, "field": "conference"})
    return conference


def access_evidence_document(*, by: Any, pk: int) -> Any:
    from lantoa.library.permissions import access_document

    return access_document(by=by, pk=pk)


# --- Inspections ---------------------------------------------------------------------------------


def inspections_visible_to(by: Any) -> QuerySet[Inspection]:
    """Inspections kept by a unit in ``by``'s scope, or of a unit in it (an inspected unit reads
    what its inspection covers)."""
    condition = _in_scope(by, "unit_id")
    if condition is None:
        return Inspection.objects.none()
    of_mine = InspectedUnit.objects.filter(condition).values("inspection_id")
    return Inspection.objects.filter(condition | Q(pk__in=of_mine))


def may_keep_inspection(by: Any, inspection: Inspection) -> bool:
    return may_record(by, inspection.unit)


def access_inspection(*, by: Any, pk: int, write: bool = False) -> Inspection:
    inspection = inspections_visible_to(by).filter(pk=pk).select_related("unit").first()
    if inspection is None:
        raise NotFound(_("No such inspection."), extra={"id": pk})
    if write and not may_keep_inspection(by, inspection):
        raise PermissionDenied(_("Your role does not allow changing this inspection."))
    return inspection


def access_inspection_file(*, by: Any, pk: int) -> InspectionFile:
    """A paper of an inspection ``by`` sees; any other answers like missing."""
    found = InspectionFile.objects.filter(pk=pk, inspection__in=inspections_visible_to(by)).first()
    if found is None:
        raise NotFound(_("No such file."), extra={"id": pk})
    return found


def inspection_plans_visible_to(by: Any) -> QuerySet[InspectionPlan]:
    """Plans of a unit in ``by``'s scope, or that foresee inspecting one."""
    condition = _in_scope(by, "unit_id")
    if condition is None:
        return InspectionPlan.objects.none()
    of_mine = PlannedInspection.objects.filter(condition).values("plan_id")
    return InspectionPlan.objects.filter(condition | Q(pk__in=of_mine))


def may_keep_plan(by: Any, plan: InspectionPlan) -> bool:
    return may_record(by, plan.unit)


def access_inspection_plan(*, by: Any, pk: int, write: bool = False) -> InspectionPlan:
    plan = inspection_plans_visible_to(by).filter(pk=pk).select_related("unit").first()
    if plan is None:
        raise NotFound(_("No such inspection plan."), extra={"id": pk})
    if write and not may_keep_plan(by, plan):
        raise PermissionDenied(_("Your role does not allow changing this plan."))
    return plan


def access_planned_inspection(*, by: Any, pk: int, field: str = "planned") -> PlannedInspection:
    """A planned inspection of a plan ``by`` sees (to record it as held); any other answers like missing."""
    found = (
        PlannedInspection.objects.filter(pk=pk, plan__in=inspection_plans_visible_to(by))
        .select_related("plan", "unit")
        .first()
    )
    if found is None:
        raise NotFound(_("No such planned inspection."), extra={"field": field, "id": pk})
    return found


def may_close(by: Any, follow_up: FollowUp) -> bool:
    return may_record(by, follow_up.owner_unit) or may_keep_inspection(by, follow_up.conclusion.inspection)


def follow_ups_visible_to(by: Any) -> QuerySet[FollowUp]:
    condition = _in_scope(by, "owner_unit_id")
    if condition is None:
        return FollowUp.objects.none()
    return FollowUp.objects.filter(condition | Q(conclusion__inspection__in=inspections_visible_to(by)))


def access_follow_up(*, by: Any, pk: int, close: bool = False) -> FollowUp:
    follow_up = (
        follow_ups_visible_to(by).filter(pk=pk).select_related("owner_unit", "conclusion__inspection__unit").first()
    )
    if follow_up is None:
        raise NotFound(_("No such follow-up."), extra={"id": pk})
    if close and not may_close(by, follow_up):
        raise PermissionDenied(_("Your role does not allow closing this follow-up."))
    return follow_up


def access_team_person(*, by: Any, pk: int) -> Any:
    from lantoa.people.permissions import access_person

    return access_person(by=by, pk=pk)


def access_team_user(*, by: Any, username: str) -> Any:
    """A user with a role in a unit of ``by``'s scope (at any time); any other answers like missing."""
    from lantoa.accounts.models import User

    roots = scope_root_ids(by, READ)
    user = (
        User.objects.filter(username=username, is_active=True, assignments__unit__in=ever_within_ids(roots)).first()
        if roots
        else None
    )
    if user is None:
        raise NotFound(_("No such user."), extra={"field": "username"})
    return user


# --- Reminders -----------------------------------------------------------------------------------


def may_remind_requirement(by: Any, requirement: IssueRequirement) -> bool:
    """The requiring unit's staff chase the units that have not issued their programme."""
    return may_record(by, requirement.unit)


def may_remind_recommendation(by: Any, recommendation: Recommendation) -> bool:
    """The sender's staff chase an answer."""
    return may_record(by, recommendation.unit)


def reminders_visible_to(by: Any) -> QuerySet[SentReminder]:
    """Reminders sent to a unit in ``by``'s scope, or about a record ``by`` sees (the sender's side)."""
    condition = _in_scope(by, "unit_id")
    if condition is None:
        return SentReminder.objects.none()
    return SentReminder.objects.filter(
        condition
        | Q(requirement__in=requirements_visible_to(by))
        | Q(task__in=tasks_visible_to(by))
        | Q(follow_up__in=follow_ups_visible_to(by))
        | Q(recommendation__in=recommendations_visible_to(by))
    )


def access_to_remind(*, by: Any, kind: str, pk: int) -> Any:
    """The requirement, programme, inspection or recommendation ``by`` may send a reminder about:
    missing or out of scope answers like missing, seen but not theirs to chase is refused."""
    found: Any
    if kind == "requirement":
        requirement = access_requirement(by=by, pk=pk)
        allowed, found = may_remind_requirement(by, requirement), requirement
    elif kind == "tasks":
        programme = access_programme(by=by, pk=pk)
        allowed, found = may_keep_programme(by, programme), programme
    elif kind == "follow_ups":
        inspection = access_inspection(by=by, pk=pk)
        allowed, found = may_keep_inspection(by, inspection), inspection
    else:
        recommendation = access_recommendation(by=by, pk=pk)
        allowed, found = may_remind_recommendation(by, recommendation), recommendation
    if not allowed:
        raise PermissionDenied(_("Your role does not allow sending this reminder."))
    return found
