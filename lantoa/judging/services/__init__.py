"""Writes for judged contests: competitions, rubrics (versioned), stages, entries, juries,
declared conflicts, assignment, scoring, submission and reopening, results and advancing.

Every write is atomic and audited (staff writes); services that may find their record already
there return :class:`~lantoa.core.results.Created`. The arithmetic lives in
:mod:`lantoa.judging.scoring`.

* ``contests`` — competitions, rubrics, stages, entries, the audience's votes typed in;
* ``juries`` — jury members, declared conflicts;
* ``sheets`` — assignment, scoring, submission and reopening;
* ``results`` — results, advancing, prizes, publication, certificates.
"""

from __future__ import annotations

# A sheet's criteria are read by the selectors; callers have long found them here as well.
from lantoa.judging.selectors import stage_criteria
from lantoa.judging.services.contests import (
    CompetitionData,
    CriterionData,
    EntryData,
    StageData,
    audience_votes_record,
    competition_create,
    entries_create_many,
    entry_create,
    rubric_create,
    rubric_revise,
    stage_create,
)
from lantoa.judging.services.juries import conflict_declare, jury_member_add
from lantoa.judging.services.results import (
    prize_award,
    stage_advance,
    stage_certificates,
    stage_publish,
    stage_results_compute,
    stage_unpublish,
)
from lantoa.judging.services.sheets import (
    AssignmentResult,
    score_save,
    sheet_record,
    sheet_reopen,
    sheet_submit,
    stage_assign,
)

__all__ = [
    "AssignmentResult",
    "CompetitionData",
    "CriterionData",
    "EntryData",
    "StageData",
    "audience_votes_record",
    "competition_create",
    "conflict_declare",
    "entries_create_many",
    "entry_create",
    "jury_member_add",
    "prize_award",
    "rubric_create",
    "rubric_revise",
    "score_save",
    "sheet_record",
    "sheet_reopen",
    "sheet_submit",
    "stage_advance",
    "stage_assign",
    "stage_certificates",
    "stage_create",
    "stage_criteria",
    "stage_publish",
    "stage_results_compute",
    "stage_unpublish",
]
