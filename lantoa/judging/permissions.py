"""Gates for judged contests. "Not allowed" looks exactly like "not found".

A competition belongs to its organising unit: staff read it when they may read documents in a
scope holding that unit (at any time, and through the units merged into those — the one scope
rule of :mod:`lantoa.org.selectors`), and run it (assign, compute results, advance) when they
may edit records for it. The jury reads its own stage: the chair and the secretary see its
progress board and results and may run it too; the chair reopens sheets.

A score sheet is seen only by the juror it is assigned to (and the stage's chair, who may
reopen it): every other caller — staff included — gets the answer for a missing sheet.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lantoa.accounts.permissions import has_capability, scope_root_ids
from lantoa.accounts.roles import Capability
from lantoa.core.errors import NotFound, PermissionDenied
from lantoa.judging.models import Competition, Entry, JuryMember, JuryRole, Rubric, ScoreSheet, Stage
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import ever_within_ids, last_open_day, predecessor_ids

READ = Capability.VIEW_DOCUMENTS
RUN = Capability.EDIT_RECORDS


def competitions_visible_to(by: Any) -> QuerySet[Competition]:
    roots = scope_root_ids(by, READ)
    juries = Competition.objects.filter(stages__jurors__user_id=getattr(by, "pk", None) or 0)
    if not roots:
        return juries.distinct()
    units = ever_within_ids(roots)
    staff = Q(unit_id__in=units) | Q(unit_id__in=predecessor_ids(units))
    return Competition.objects.filter(staff | Q(pk__in=juries.values("pk"))).distinct()


def may_run(by: Any, competition: Competition) -> bool:
    return has_capability(by, RUN, competition.unit, as_of=last_open_day(competition.unit))


def jury_role(by: Any, stage: Stage) -> str | None:
    """``by``'s role on the stage's jury, or None."""
    if not getattr(by, "is_authenticated", False):
        return None
    return JuryMember.objects.filter(stage=stage, user=by).values_list("role", flat=True).first()


def blind_for(by: Any, sheet: ScoreSheet) -> bool:
    """Whether ``by`` sees ``sheet``'s entry by its code only: a blind stage hides its entrants
    from everyone on its jury but the chair and the secretary (decision 0027)."""
    if not sheet.stage.blind:
        return False
    if sheet.juror.user_id == getattr(by, "pk", None):
        return sheet.juror.role not in {JuryRole.CHAIR, JuryRole.SECRETARY}
    return jury_role(by, sheet.stage) not in {JuryRole.CHAIR, JuryRole.SECRETARY}


def may_run_stage(by: Any, stage: Stage) -> bool:
    return may_run(by, stage.competition) or jury_role(by, stage) in {JuryRole.CHAIR, JuryRole.SECRETARY}


def access_competition(*, by: Any, pk: int) -> Competition:
    competition = competitions_visible_to(by).filter(pk=pk).select_related("unit").first()
    if competition is None:
        raise NotFound(_("No such contest."), extra={"id": pk})
    return competition


def access_stage(*, by: Any, pk: int, run: bool = False) -> Stage:
    """A stage of a competition ``by`` may see, as staff or on its jury. Staff see every stage of
    a competition in their scope; a juror sees only their own stage, and a member (not the chair
    or the secretary) none of its board. ``run``: the right to assign, compute and advance."""
    stage = (
        Stage.objects.filter(pk=pk, competition__in=competitions_visible_to(by))
        .select_related("competition__unit", "unit", "rubric_version__rubric")
        .first()
    )
    if stage is None:
        raise NotFound(_("No such stage."), extra={"id": pk})
    staff = has_capability(by, READ) and staff_sees(by, stage.competition)
    role = jury_role(by, stage)
    if not staff and role not in {JuryRole.CHAIR, JuryRole.SECRETARY}:
        raise NotFound(_("No such stage."), extra={"id": pk})
    if run and not may_run_stage(by, stage):
        raise PermissionDenied(_("Your role does not allow running this stage."))
    return stage


def access_stage_to_publish(*, by: Any, pk: int) -> Stage:
    """A stage whose results ``by`` approves and publishes or withdraws: its jury's chair only;
    others who see the stage are refused (403), the rest get the answer for a missing stage."""
    stage = access_stage(by=by, pk=pk)
    if jury_role(by, stage) != JuryRole.CHAIR:
        raise PermissionDenied(_("Only the jury's chair approves and publishes the results."))
    return stage


def published_stage(pk: int) -> Stage:
    """A stage whose results are published, for anyone (no sign-in); any other answers 404."""
    stage = (
        Stage.objects.filter(pk=pk, results_published_at__isnull=False)
        .select_related("competition__unit", "unit")
        .first()
    )
    if stage is None:
        raise NotFound(_("No such published results."), extra={"id": pk})
    return stage


def staff_sees(by: Any, competition: Competition) -> bool:
    """Whether ``by`` sees ``competition`` as staff (not only as one of its jurors)."""
    roots = scope_root_ids(by, READ)
    if not roots:
        return False
    units = ever_within_ids(roots)
    return Competition.objects.filter(
        Q(unit_id__in=units) | Q(unit_id__in=predecessor_ids(units)), pk=competition.pk
    ).exists()


def access_sheet(*, by: Any, pk: int, chair: bool = False) -> ScoreSheet:
    """The juror's own sheet; with ``chair``, also any sheet of a stage ``by`` chairs."""
    user_id = getattr(by, "pk", None) or 0
    mine = Q(juror__user_id=user_id)
    if chair:
        mine |= Q(stage__jurors__user_id=user_id, stage__jurors__role=JuryRole.CHAIR)
    sheet = (
        ScoreSheet.objects.filter(mine, pk=pk)
        .select_related("entry__person", "entry__unit", "juror__person", "stage__competition", "stage__rubric_version")
        .first()
    )
    if sheet is None:
        raise NotFound(_("No such score sheet."), extra={"id": pk})
    return sheet


def require_signed_in_reader(by: Any) -> None:
    """The contest pages exist for staff who read documents somewhere and for jurors."""
    if has_capability(by, READ):
        return
    if not JuryMember.objects.filter(user_id=getattr(by, "pk", None) or 0).exists():
        raise NotFound(_("Page not found."))


def access_organising_unit(*, by: Any, code: str) -> Unit:
    """The unit named ``code`` whose contests and rubrics ``by`` would keep: missing or out of
    scope answers like missing (404); in scope but not recorded by ``by``, 403."""
    unit = access_unit(by=by, code=code)
    if not has_capability(by, RUN, unit, as_of=last_open_day(unit)):
        raise PermissionDenied(
            _("Your role does not allow organising contests for %(unit)s.") % {"unit": unit.name},
            extra={"field": "unit"},
        )
    return unit


def access_competition_to_run(*, by: Any, pk: int) -> Competition:
    competition = access_competition(by=by, pk=pk)
    if not may_run(by, competition):
        raise PermissionDenied(_("Your role does not allow changing this contest."))
    return competition


def rubrics_visible_to(by: Any) -> QuerySet[Rubric]:
    roots = scope_root_ids(by, READ)
    if not roots:
        return Rubric.objects.none()
    units = ever_within_ids(roots)
    return Rubric.objects.filter(Q(unit_id__in=units) | Q(unit_id__in=predecessor_ids(units)))


def access_rubric(*, by: Any, pk: int, run: bool = False) -> Rubric:
    """A rubric of a unit in ``by``'s scope; ``run``: one ``by`` may revise. Rubrics are shared
    downwards: a commune's stage may use the province's rubric."""
    rubric = rubrics_visible_to(by).filter(pk=pk).select_related("unit", "current").first()
    if rubric is None:
        raise NotFound(_("No such rubric."), extra={"id": pk})
    if run and not has_capability(by, RUN, rubric.unit, as_of=last_open_day(rubric.unit)):
        raise PermissionDenied(_("Your role does not allow revising this rubric."))
    return rubric


def access_entry_to_run(*, by: Any, pk: int) -> Entry:
    entry = (
        Entry.objects.filter(pk=pk, competition__in=competitions_visible_to(by))
        .select_related("competition__unit", "unit", "person")
        .first()
    )
    if entry is None or not staff_sees(by, entry.competition):
        raise NotFound(_("No such entry."), extra={"id": pk})
    if not may_run(by, entry.competition):
        raise PermissionDenied(_("Your role does not allow changing this contest."))
    return entry
