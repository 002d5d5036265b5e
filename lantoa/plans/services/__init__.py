"""The only code that writes action programmes, recommendations and inspections. Keyword-only
arguments, the acting user as ``by``, atomic, checked before saving, audited. The callers (pages,
API) have already passed the gates of :mod:`lantoa.plans.permissions` for every object they hand
over."""

from lantoa.plans.services._common import party_number
from lantoa.plans.services.imports import TasksImport, tasks_import
from lantoa.plans.services.inspection_files import inspection_file_add
from lantoa.plans.services.inspection_plans import PlannedData, inspection_plan_create, planned_inspection_add
from lantoa.plans.services.inspections import (
    InspectionData,
    conclusion_add,
    follow_up_close,
    inspection_create,
    team_member_add,
)
from lantoa.plans.services.programmes import (
    ProgrammeData,
    TaskData,
    UpdateData,
    programme_create,
    progress_record,
    requirement_set,
    task_add,
)
from lantoa.plans.services.recommendations import (
    ANSWERING,
    TRANSITIONS,
    RecommendationData,
    recommendation_advance,
    recommendation_send,
)
from lantoa.plans.services.reminders import (
    Reminder,
    ReminderSent,
    inspection_reminder,
    programme_reminder,
    recommendation_reminder,
    reminder_send,
    requirement_reminder,
)
from lantoa.plans.services.restructuring import open_work_follows_successor, programmes_follow_successor

__all__ = [
    "ANSWERING",
    "TRANSITIONS",
    "InspectionData",
    "PlannedData",
    "ProgrammeData",
    "RecommendationData",
    "Reminder",
    "ReminderSent",
    "TaskData",
    "TasksImport",
    "UpdateData",
    "conclusion_add",
    "follow_up_close",
    "inspection_create",
    "inspection_file_add",
    "inspection_plan_create",
    "inspection_reminder",
    "open_work_follows_successor",
    "party_number",
    "planned_inspection_add",
    "programme_create",
    "programme_reminder",
    "programmes_follow_successor",
    "progress_record",
    "recommendation_advance",
    "recommendation_reminder",
    "recommendation_send",
    "reminder_send",
    "requirement_reminder",
    "requirement_set",
    "task_add",
    "tasks_import",
    "team_member_add",
]
