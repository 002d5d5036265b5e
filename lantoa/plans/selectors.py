"""Reads for display. Every list takes the acting user (through the gates' querysets); the
coverage of a requirement costs the same number of queries for 3 or 300 units."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lantoa.accounts.permissions import scope_root_ids, units_for
from lantoa.accounts.roles import Capability
from lantoa.core.indicators import get_indicator
from lantoa.core.registry import WorkItem
from lantoa.org.models import Unit
from lantoa.org.selectors import subtree_ids, today, with_names_on
from lantoa.plans.models import (
    OPEN_STATUSES,
    ActionProgramme,
    FollowUp,
    Inspection,
    InspectionPlan,
    IssueRequirement,
    PlannedInspection,
    ProgrammeTask,
    Recommendation,
    RecommendationStatus,
    SentReminder,
    TaskStatus,
)
from lantoa.plans.permissions import (
    follow_ups_visible_to,
    inspection_plans_visible_to,
    inspections_visible_to,
    programmes_visible_to,
    recommendations_visible_to,
    reminders_visible_to,
    requirements_visible_to,
    tasks_visible_to,
)

DUE_SOON_DAYS = 14
STRUCTURES = ("historical", "current")


def task_status(task: ProgrammeTask, *, on: dt.date | None = None) -> str:
    """Done at 100 %; otherwise overdue past the deadline; in progress once an update came; else
    not started."""
    day = on or today()
    if task.percent_done >= 100:
        return TaskStatus.DONE
    if task.due_on < day:
        return TaskStatus.OVERDUE
    if task.last_update_on is not None:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.NOT_STARTED


def _with_task_counts(programmes: QuerySet[ActionProgramme]) -> QuerySet[ActionProgramme]:
    return programmes.annotate(
        task_count=Count("tasks", distinct=True),
        tasks_done=Count("tasks", filter=Q(tasks__percent_done__gte=100), distinct=True),
    )


def programme_list_for_user(by: Any, *, document_id: int | None = None) -> QuerySet[ActionProgramme]:
    programmes = programmes_visible_to(by)
    if document_id is not None:
        programmes = programmes.filter(document_id=document_id)
    return _with_task_counts(programmes.select_related("unit", "origin_unit", "document")).order_by("-issued_on", "pk")


def requirement_list_for_user(by: Any) -> QuerySet[IssueRequirement]:
    return requirements_visible_to(by).select_related("unit", "document", "tier").order_by("-due_on", "pk")


@dataclass
class TaskRow:
    task: ProgrammeTask
    status: str
    current: Decimal | int | None = None  # the indicator's value for the programme's unit, None: no data
    reached: bool | None = None
    reminded: dt.datetime | None = None  # when the task was last reminded, where the page asks


def programme_tasks(programme: ActionProgramme, *, on: dt.date | None = None) -> list[TaskRow]:
    """The programme's tasks with their status and, for those with a target, the indicator's value
    for the programme's unit from the task's start to its deadline (or today), in today's tree —
    read through the rollup in one call."""
    day = on or today()
    tasks = list(programme.tasks.select_related("owner_unit").order_by("position"))
    rows = [TaskRow(task, task_status(task, on=day)) for task in tasks]
    wanted = [row for row in rows if row.task.indicator and get_indicator(row.task.indicator) is not None]
    if wanted:
        from lantoa.org.rollup import Structure, rollup

        periods = list(dict.fromkeys((row.task.starts_on, max(row.task.starts_on, min(row.task.due_on, day)))
                                     for row in wanted))  # fmt: skip
        codes = sorted({row.task.indicator for row in wanted})
        table = rollup(
            units=[programme.unit], periods=periods, codes=codes, structure=Structure.CURRENT, with_coverage=False
        )
        for row in wanted:
            period = (row.task.starts_on, max(row.task.starts_on, min(row.task.due_on, day)))
            row.current = table.value(programme.unit, period, row.task.indicator)
            if row.task.target_value is not None and row.current is not None:
                row.reached = Decimal(row.current) >= row.task.target_value
    return rows


def task_updates(task: ProgrammeTask) -> QuerySet[Any]:
    return task.updates.select_related("conference", "document", "created_by").order_by("-recorded_on", "-pk")


# --- Coverage of a requirement -----------------------------------------------------------------


@dataclass
class CoverageRow:
    unit: Unit
    name: str
    programmes: list[ActionProgramme] = field(default_factory=list)
    tasks: int = 0
    done: int = 0

    @property
    def issued_on(self) -> dt.date | None:
        return min((p.issued_on for p in self.programmes), default=None)

    @property
    def issued(self) -> bool:
        return bool(self.programmes)

    @property
    def done_rate(self) -> Decimal | None:
        if not self.tasks:
            return None
        return (Decimal(self.done) * 100 / self.tasks).quantize(Decimal("0.1"))


@dataclass
class Coverage:
    requirement: IssueRequirement
    structure: str
    day: dt.date
    rows: list[CoverageRow]

    def state(self, row: CoverageRow) -> str:
        if not row.issued:
            return "missing"
        assert row.issued_on is not None
        return "on_time" if row.issued_on <= self.requirement.due_on else "late"

    @property
    def counts(self) -> dict[str, int]:
        found = {"units": len(self.rows), "on_time": 0, "late": 0, "missing": 0}
        for row in self.rows:
            found[self.state(row)] += 1
        return found

    @property
    def tasks(self) -> int:
        return sum(row.tasks for row in self.rows)

    @property
    def done(self) -> int:
        return sum(row.done for row in self.rows)


def requirement_coverage(
    requirement: IssueRequirement, *, structure: str = "historical", on: dt.date | None = None
) -> Coverage:
    """The units the requirement asked — those of its tier beneath its unit on the deadline
    (``historical``), or today (``current``) — each with the programmes it issued for the
    document and how far their tasks are. Historically a programme counts for the unit that
    issued it; today, for the unit that carries it (a merged commune's programmes count at the
    commune it was merged into). Four queries, whatever the number of units (decision 0029)."""
    day = requirement.due_on if structure == "historical" else (on or today())
    units = with_names_on(
        Unit.objects.filter(pk__in=subtree_ids(requirement.unit_id, as_of=day), kind__tier_id=requirement.tier_id)
        .exclude(pk=requirement.unit_id)
        .order_by("code"),
        day,
    )
    rows = {unit.pk: CoverageRow(unit, unit.name_then or unit.name) for unit in units}  # type: ignore[attr-defined]
    holder = "origin_unit_id" if structure == "historical" else "unit_id"
    programmes = _with_task_counts(
        ActionProgramme.objects.filter(document_id=requirement.document_id, **{f"{holder}__in": list(rows)})
    ).order_by("issued_on", "pk")
    for programme in programmes:
        row = rows[getattr(programme, holder)]
        row.programmes.append(programme)
        row.tasks += programme.task_count  # type: ignore[attr-defined]
        row.done += programme.tasks_done  # type: ignore[attr-defined]
    return Coverage(requirement, structure, day, list(rows.values()))


# --- Recommendations ------------------------------------------------------------------------------


def recommendation_list_for_user(by: Any, *, status: str = "", topic: str = "") -> QuerySet[Recommendation]:
    """``status`` "open": sent, received or being considered."""
    found = recommendations_visible_to(by).select_related("unit", "addressee_unit__kind__tier", "answer_document")
    if status == "open":
        found = found.filter(status__in=OPEN_STATUSES)
    elif status:
        found = found.filter(status=status)
    if topic:
        found = found.filter(topic=topic)
    return found.order_by("-sent_on", "pk")


def recommendations_grouped(items: list[Recommendation]) -> dict[str, Any]:
    """The same recommendations by status (in the order of their way) and by topic."""
    by_status: dict[str, list[Recommendation]] = {code: [] for code in RecommendationStatus.values}
    by_topic: dict[str, list[Recommendation]] = defaultdict(list)
    for item in items:
        by_status[item.status].append(item)
        by_topic[item.topic].append(item)
    labels = dict(RecommendationStatus.choices)
    return {
        "by_status": [(code, labels[code], rows) for code, rows in by_status.items() if rows],
        "by_topic": sorted(by_topic.items(), key=lambda pair: pair[0]),
    }


def open_recommendations_by_tier(items: list[Recommendation]) -> list[tuple[str, int]]:
    """How many are still open, by the tier of the unit that must answer (an outside body apart)."""
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        if item.status in OPEN_STATUSES:
            if item.addressee_unit is not None:
                counts[str(item.addressee_unit.kind.tier)] += 1
            else:
                counts[_("Outside bodies")] += 1
    return sorted(counts.items())


@dataclass
class AnswerTime:
    """How recommendations sent to one level were answered: how many, how fast, how many on time."""

    level: str
    sent: int = 0
    answered: int = 0
    on_time: int = 0  # answered by the due date, among those that had one
    with_due_date: int = 0
    days: list[int] = field(default_factory=list)

    @property
    def median_days(self) -> float | None:
        if not self.days:
            return None
        ordered = sorted(self.days)
        middle = len(ordered) // 2
        return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2

    @property
    def still_open(self) -> int:
        return self.sent - self.answered


def answer_times(by: Any) -> list[AnswerTime]:
    """For each level that must answer (the addressee unit's tier, outside bodies apart), the
    recommendations in ``by``'s scope sent there, answered, the median days from sending to the
    answer, and the answers given by their due date. Two queries."""
    from lantoa.org.models import Tier

    tiers = {tier.pk: tier.name for tier in Tier.objects.all()}
    levels: dict[str, AnswerTime] = {}
    rows = recommendations_visible_to(by).values_list(
        "addressee_unit__kind__tier_id", "sent_on", "answered_on", "due_on"
    )
    for tier_id, sent_on, answered_on, due_on in rows:
        level = tiers[tier_id] if tier_id is not None else _("Outside bodies")
        found = levels.setdefault(level, AnswerTime(level=level))
        found.sent += 1
        if due_on is not None and answered_on is not None:
            found.with_due_date += 1
            found.on_time += answered_on <= due_on
        if answered_on is not None:
            found.answered += 1
            found.days.append((answered_on - sent_on).days)
    return sorted(levels.values(), key=lambda time: time.level)


# --- My work ---------------------------------------------------------------------------------------


def my_work_items(user: Any, unit: Any, *, on: dt.date | None = None) -> list[WorkItem]:
    """Tasks of the user's units due within 14 days or overdue, and recommendations addressed to
    them still to answer — counted: one query for the tasks (due soon and overdue together), one
    each for the follow-ups and the recommendations."""
    if not scope_root_ids(user, Capability.EDIT_RECORDS):
        return []
    day = on or today()
    mine = units_for(user, Capability.EDIT_RECORDS).values("pk")
    items: list[WorkItem] = []
    tasks = ProgrammeTask.objects.filter(
        Q(owner_unit__in=mine) | Q(programme__unit__in=mine),
        percent_done__lt=100,
        due_on__lte=day + dt.timedelta(days=DUE_SOON_DAYS),
    )
    counted = tasks.aggregate(due=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=day)))
    due, overdue = counted["due"], counted["overdue"]
    if due:
        late = ngettext("%(count)d overdue", "%(count)d overdue", overdue) % {"count": overdue} if overdue else ""
        title = ngettext(
            "%(count)d programme task due within 14 days or overdue",
            "%(count)d programme tasks due within 14 days or overdue",
            due,
        )
        items.append(
            WorkItem(
                title=title % {"count": due},
                url=reverse("plans:task_list") + "?due=soon",
                count=due,
                module="plans",
                detail=late,
            )
        )
    follow_ups = FollowUp.objects.filter(owner_unit__in=mine, closed_on__isnull=True).count()
    if follow_ups:
        items.append(
            WorkItem(
                title=ngettext(
                    "%(count)d inspection follow-up to carry out", "%(count)d inspection follow-ups to carry out",
                    follow_ups,
                ) % {"count": follow_ups},
                url=reverse("plans:follow_up_list"),
                count=follow_ups,
                module="plans",
            )
        )  # fmt: skip
    to_answer = Recommendation.objects.filter(addressee_unit__in=mine, status__in=OPEN_STATUSES).count()
    if to_answer:
        items.append(
            WorkItem(
                title=ngettext("%(count)d recommendation to answer", "%(count)d recommendations to answer", to_answer)
                % {"count": to_answer},
                url=reverse("plans:recommendation_list") + "?status=open",
                count=to_answer,
                module="plans",
            )
        )
    return items


def tasks_due_for_user(user: Any, *, on: dt.date | None = None, soon_only: bool = False) -> QuerySet[ProgrammeTask]:
    """Open tasks of programmes the user sees, by deadline; ``soon_only``: due within 14 days or overdue."""
    day = on or today()
    tasks = tasks_visible_to(user).filter(percent_done__lt=100)
    if soon_only:
        tasks = tasks.filter(due_on__lte=day + dt.timedelta(days=DUE_SOON_DAYS))
    return tasks.select_related("programme__unit", "owner_unit").order_by("due_on", "pk")


# --- Inspections ---------------------------------------------------------------------------------


def follow_up_status(follow_up: FollowUp, *, on: dt.date | None = None) -> str:
    if follow_up.closed_on is not None:
        return "closed"
    return "overdue" if follow_up.due_on < (on or today()) else "open"


def inspection_list_for_user(by: Any, *, year: int | None = None) -> QuerySet[Inspection]:
    found = inspections_visible_to(by).select_related("unit")
    if year is not None:
        found = found.filter(year=year)
    return found.order_by("-starts_on", "pk")


def inspection_parts(inspection: Inspection) -> dict[str, Any]:
    """The inspected units, the team, the conclusions with their follow-ups and the papers (five queries)."""
    return {
        "inspected": [row.unit for row in inspection.inspected.select_related("unit").order_by("unit__code")],
        "team": list(inspection.team.select_related("person", "user").order_by("role", "pk")),
        "conclusions": list(inspection.conclusions.select_related("follow_up__owner_unit").order_by("number")),
        "files": inspection_files(inspection),
    }


def inspection_files(inspection: Inspection) -> list[Any]:
    """The inspection's papers, current ones first, each with the paper that replaced it (one query)."""
    found = inspection.files.select_related("unit", "uploaded_by", "replaced_by").order_by("kind", "-pk")
    return sorted(found, key=lambda f: hasattr(f, "replaced_by"))


def follow_up_list_for_user(
    by: Any, *, open_only: bool = True, overdue_on: dt.date | None = None
) -> QuerySet[FollowUp]:
    """Follow-ups ``by`` sees, by deadline; ``overdue_on``: only those still open past their deadline then."""
    found = follow_ups_visible_to(by).select_related("owner_unit", "conclusion__inspection")
    if open_only:
        found = found.filter(closed_on__isnull=True)
    if overdue_on is not None:
        found = found.filter(closed_on__isnull=True, due_on__lt=overdue_on)
    return found.order_by("due_on", "pk")


# --- Yearly inspection plans -----------------------------------------------------------------------


def inspection_plan_list_for_user(by: Any, *, year: int | None = None) -> QuerySet[InspectionPlan]:
    """Plans ``by`` sees, newest year first, each with how many inspections it foresees and how many were held."""
    found = inspection_plans_visible_to(by).select_related("unit")
    if year is not None:
        found = found.filter(year=year)
    return found.annotate(
        planned_count=Count("items", distinct=True), held_count=Count("items__inspection", distinct=True)
    ).order_by("-year", "unit__code", "pk")


@dataclass(frozen=True)
class PlannedRow:
    item: PlannedInspection
    inspection: Inspection | None
    status: str  # held, not_held (its month is over), planned


def planned_status(item: PlannedInspection, inspection: Inspection | None, *, on: dt.date) -> str:
    if inspection is not None:
        return "held"
    month_end = dt.date(item.plan.year + item.month // 12, item.month % 12 + 1, 1)
    return "not_held" if on >= month_end else "planned"


def inspection_plan_rows(plan: InspectionPlan, *, on: dt.date) -> list[PlannedRow]:
    """The plan's inspections in order, each with the inspection that held it (one query)."""
    items = plan.items.select_related("unit", "inspection", "plan").order_by("position")
    rows = []
    for item in items:
        held = getattr(item, "inspection", None)
        rows.append(PlannedRow(item, held, planned_status(item, held, on=on)))
    return rows


# --- Reminders sent --------------------------------------------------------------------------------


def last_reminded(field: str, ids: list[int], *, per_unit: bool = False) -> dict[Any, dt.datetime]:
    """When each record (``field``: requirement, task, follow_up, recommendation) was last
    reminded, by record id — or by unit id for one requirement's units (``per_unit``). One query."""
    if not ids:
        return {}
    key = "unit_id" if per_unit else f"{field}_id"
    found = SentReminder.objects.filter(**{f"{field}_id__in": ids}).values(key).annotate(last=Max("sent_at")).order_by()
    return {row[key]: row["last"] for row in found}


def reminder_list_for_user(by: Any, *, about: str | None = None) -> QuerySet[SentReminder]:
    """Reminders ``by`` sees, newest first, with what each was about (a fixed number of queries)."""
    found = reminders_visible_to(by).select_related(
        "unit", "sent_by", "requirement__document", "task__programme", "follow_up__conclusion__inspection",
        "recommendation",
    )  # fmt: skip
    if about is not None:
        found = found.filter(about=about)
    return found.order_by("-sent_at", "-pk")
