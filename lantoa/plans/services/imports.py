"""A programme's task table imported from a spreadsheet (a write of the programme's keepers,
audited). The file is read and every row checked first (:mod:`lantoa.plans.tasks_io`); any
problem and nothing is written. Then, in one transaction, every task is added after the tasks the
programme already has, numbered on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lantoa.core.audit import audit_record
from lantoa.core.errors import Conflict
from lantoa.plans.models import TASKS_MAX, ActionProgramme, ProgrammeTask
from lantoa.plans.tasks_io import UnitLookup, tasks_read


@dataclass
class TasksImport:
    added: int
    first: int  # the number of the first task added
    last: int

    def summary(self) -> str:
        """What was stored, for the page and the API."""
        return ngettext(
            "%(count)s task added (numbers %(first)s–%(last)s).",
            "%(count)s tasks added (numbers %(first)s–%(last)s).",
            self.added,
        ) % {"count": self.added, "first": self.first, "last": self.last}


def tasks_import(*, by: Any, programme: ActionProgramme, file: IO[bytes] | bytes, lookup: UnitLookup) -> TasksImport:
    """Every row of ``file`` added to ``programme`` as a task, or nothing (ImportRejected lists
    every problem). ``lookup`` finds an owner unit by code for the importing user (None when it
    is unknown or out of their scope)."""
    room = TASKS_MAX - programme.tasks.count()
    rows = tasks_read(file=file, lookup=lookup, room=room)
    with transaction.atomic():
        ActionProgramme.objects.select_for_update().filter(pk=programme.pk).first()  # one writer at a time
        existing = programme.tasks.aggregate(last=Max("position"), count=Count("pk"))
        if (existing["count"] or 0) + len(rows) > TASKS_MAX:  # tasks were added meanwhile
            raise Conflict(
                _("A programme holds at most %(limit)d tasks.") % {"limit": TASKS_MAX}, code="too_many_tasks"
            )
        start = (existing["last"] or 0) + 1
        ProgrammeTask.objects.bulk_create(
            ProgrammeTask(
                programme=programme,
                position=start + offset,
                title=row.title,
                owner_unit=row.owner_unit,
                owner_role=row.owner_role,
                counted_unit=row.owner_unit or programme.unit,
                starts_on=row.starts_on,
                due_on=row.due_on,
                expected_result=row.expected_result,
            )
            for offset, row in enumerate(rows)
        )
        audit_record(
            action="lantoa.plans.tasks.imported", by=by, target=programme, unit=programme.unit, changed=["tasks"]
        )
    return TasksImport(added=len(rows), first=start, last=start + len(rows) - 1)


__all__ = ["TasksImport", "tasks_import"]
