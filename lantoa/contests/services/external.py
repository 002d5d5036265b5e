"""Results of a contest run on another platform, imported from a file (a staff write, audited).

The file is read and every row checked first (:mod:`lantoa.contests.external_io`); any problem
and nothing is written. Then, in one transaction, the periods the file names replace whatever
the contest had for them: importing the same file again leaves the same rows, never twice the
figures, and a corrected file replaces the period whole (a unit left out is no longer counted).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from lantoa.contests.external_io import external_results_read
from lantoa.contests.models import Contest, ExternalResult
from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.text import fold


@dataclass
class ExternalImport:
    rows: int  # rows stored from the file
    replaced: int  # rows of the same periods there were before
    periods: list[str]

    def summary(self) -> str:
        """What was stored, for the page and the API."""
        return ngettext(
            "%(count)s row stored for %(periods)s.",
            "%(count)s rows stored for %(periods)s.",
            self.rows,
        ) % {"count": self.rows, "periods": ", ".join(self.periods)}


def external_results_import(*, by: Any, contest: Contest, file: IO[bytes] | bytes) -> ExternalImport:
    """Every row of ``file`` stored for ``contest``, its periods replaced whole, or nothing
    (ImportRejected lists every problem)."""
    figures = external_results_read(contest=contest, file=file)
    now = timezone.now()
    actor = actor_or_none(by)
    periods: dict[str, str] = {}
    for figure in figures:
        periods.setdefault(fold(figure.period), figure.period)
    with transaction.atomic():
        Contest.objects.select_for_update().filter(pk=contest.pk).first()  # one import of a contest at a time
        replaced, _ = ExternalResult.objects.filter(contest=contest, period_key__in=list(periods)).delete()
        ExternalResult.objects.bulk_create(
            ExternalResult(
                contest=contest,
                unit=figure.unit,
                period=figure.period,
                period_key=fold(figure.period),
                day=figure.day,
                participants=figure.participants,
                entries=figure.entries,
                imported_at=now,
                imported_by=actor,
            )
            for figure in figures
        )
        audit_record(
            action="lantoa.contests.external.imported", by=by, target=contest, unit=contest.unit, changed=["external"]
        )
    return ExternalImport(rows=len(figures), replaced=replaced, periods=list(periods.values()))


__all__ = ["ExternalImport", "external_results_import"]
