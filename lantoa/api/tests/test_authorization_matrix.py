"""The authorization matrix: every API operation (from /api/v1/openapi.json) and every named HTML
URL × every role × an object in and out of scope.

``MATRIX`` declares, per endpoint, whether anonymous callers are served, which fixture object
its path names, which roles are served that object and which see it but are refused (403);
every other role must get exactly the answer for a missing id (same status, code, message and
``extra``). An endpoint or URL without an entry, or an entry for one that no longer exists,
fails the test. Writes are tried only by roles that may not act (out of scope, read-only,
network member, anonymous), so nothing is changed; an empty body answers 422 before any gate
where the entry says ``body_first``. The fixture objects live in commune A1; the "officer out of
scope" is an officer of commune B1. See docs/security.md.
"""

from __future__ import annotations

import pytest
from django.test import Client

from lantoa.api.tests.matrix_support import Rule, api_operations, build_clients, build_objects, check, page_patterns

pytestmark = pytest.mark.django_db

READERS = frozenset({"administrator", "manager", "officer_in", "inspector", "viewer"})
PERSON_READERS = frozenset({"administrator", "manager", "officer_in", "viewer"})  # inspectors see no person
EDITORS = frozenset({"administrator", "manager", "officer_in"})
READ_ONLY = frozenset({"inspector", "viewer"})
# Who sees prize claims in full and pays them: editors who also see sensitive personal fields.
PRIZE_OFFICERS = frozenset({"administrator", "manager"})
NOT_PRIZE_OFFICERS = READ_ONLY | {"officer_in"}
# Those who see the province's figures: a data request sent by the province, and its data set.
PROVINCE_READERS = frozenset({"administrator", "manager", "inspector", "viewer"})

MATRIX: dict[str, Rule] = {
    "DELETE /api/v1/meetings/points/{point_id}": Rule(obj="point", denied=READ_ONLY),
    "DELETE /api/v1/contests/{contest_id}/eligible/{eligible_id}": Rule(obj="eligible", denied=READ_ONLY),
    "GET /api/v1/audit": Rule(),
    "GET /api/v1/contests/": Rule(),
    "GET /api/v1/contests/attempts/{attempt_id}": Rule(public=True),
    "GET /api/v1/contests/banks": Rule(),
    "GET /api/v1/contests/banks/{bank_id}": Rule(obj="bank", ok=READERS),
    "GET /api/v1/contests/banks/{bank_id}/export": Rule(obj="bank", ok=READERS),
    "GET /api/v1/contests/banks/{bank_id}/questions": Rule(obj="bank", ok=READERS),
    "GET /api/v1/contests/questions/{question_id}": Rule(obj="question", ok=READERS),
    "GET /api/v1/contests/rounds/{round_id}": Rule(obj="round", ok=READERS),
    "GET /api/v1/contests/rounds/{round_id}/figures": Rule(obj="round", ok=READERS),
    "GET /api/v1/contests/rounds/{round_id}/items": Rule(obj="round", ok=READERS),
    "GET /api/v1/contests/rounds/{round_id}/prizes": Rule(obj="round", ok=READERS),
    "GET /api/v1/contests/rounds/{round_id}/results": Rule(obj="round", ok=READERS),
    "GET /api/v1/contests/rounds/{round_id}/standing": Rule(public=True),
    "GET /api/v1/contests/rounds/{round_id}/units": Rule(obj="round", ok=READERS),
    "GET /api/v1/contests/{contest_id}/overall": Rule(obj="contest", ok=READERS),
    "GET /api/v1/contests/{contest_id}/referrals": Rule(obj="contest", ok=READERS),
    "GET /api/v1/contests/{contest_id}/duplicates": Rule(obj="contest", ok=EDITORS, denied=READ_ONLY),
    "GET /api/v1/contests/rounds/{round_id}/claim": Rule(public=True),
    "GET /api/v1/contests/rounds/{round_id}/claims": Rule(obj="round", ok=EDITORS, denied=READ_ONLY),
    "GET /api/v1/contests/rounds/{round_id}/claims/payment": Rule(
        obj="round", ok=PRIZE_OFFICERS, denied=NOT_PRIZE_OFFICERS
    ),
    "GET /api/v1/contests/claims/{claim_id}": Rule(obj="claim", ok=EDITORS, denied=READ_ONLY),
    "GET /api/v1/contests/{contest_id}/external": Rule(obj="contest", ok=EDITORS, denied=READ_ONLY),
    "GET /api/v1/contests/{contest_id}/eligible": Rule(obj="contest", ok=EDITORS, denied=READ_ONLY),
    "GET /api/v1/contests/rounds/{round_id}/certificates.pdf": Rule(obj="closed_round", ok=EDITORS, denied=READ_ONLY),
    "GET /api/v1/contests/{contest_id}/external/template": Rule(obj="contest", ok=EDITORS, denied=READ_ONLY),
    "GET /api/v1/contests/{contest_id}": Rule(obj="contest", ok=READERS),
    "GET /api/v1/surveys": Rule(),
    "GET /api/v1/surveys/{survey_id}": Rule(obj="survey", ok=READERS),
    "GET /api/v1/surveys/{survey_id}/batches": Rule(obj="survey", ok=EDITORS, denied=READ_ONLY),
    "GET /api/v1/surveys/{survey_id}/links": Rule(obj="survey", ok=EDITORS, denied=READ_ONLY),
    "GET /api/v1/surveys/{survey_id}/response-rates": Rule(obj="survey", ok=READERS),
    "GET /api/v1/surveys/{survey_id}/results": Rule(obj="survey", ok=READERS),
    "POST /api/v1/surveys": Rule(),
    "POST /api/v1/surveys/answer": Rule(public=True),
    "GET /api/v1/surveys/answer/{code}": Rule(public=True),
    "POST /api/v1/surveys/{survey_id}/batches": Rule(obj="survey", body_first=True),
    "POST /api/v1/surveys/{survey_id}/links": Rule(obj="survey", body_first=True),
    "POST /api/v1/surveys/{survey_id}/sections": Rule(obj="survey", body_first=True),
    "PUT /api/v1/surveys/{survey_id}/sections/{section_id}": Rule(obj="survey", body_first=True),
    "DELETE /api/v1/surveys/{survey_id}/sections/{section_id}": Rule(obj="survey", denied=READ_ONLY),
    "POST /api/v1/surveys/{survey_id}/sections/{section_id}/move": Rule(obj="survey", body_first=True),
    "POST /api/v1/surveys/{survey_id}/questions/{question_id}/move": Rule(obj="survey", body_first=True),
    "POST /api/v1/surveys/{survey_id}/sections/{section_id}/questions": Rule(obj="survey", body_first=True),
    "POST /api/v1/surveys/{survey_id}/status": Rule(obj="survey", body_first=True),
    "PUT /api/v1/surveys/{survey_id}": Rule(obj="survey", body_first=True),
    "PUT /api/v1/surveys/{survey_id}/questions/{question_id}": Rule(obj="survey", body_first=True),
    "GET /api/v1/judging/competitions": Rule(),
    "GET /api/v1/judging/assessments": Rule(),
    "GET /api/v1/judging/stages/{stage_id}/paper-sheets.pdf": Rule(obj="stage", ok=EDITORS, denied=READ_ONLY),
    "PUT /api/v1/judging/sheets/{sheet_id}/paper": Rule(obj="sheet", body_first=True),
    "GET /api/v1/judging/assessments/{campaign_id}": Rule(obj="campaign", ok=READERS),
    "GET /api/v1/judging/assessments/{campaign_id}/results.xlsx": Rule(obj="campaign", ok=READERS),
    "GET /api/v1/judging/assessments/subjects/{assessment_id}": Rule(obj="assessment", ok=READERS),
    "GET /api/v1/judging/assessments/history/{code}": Rule(obj="unit", ok=READERS),
    "POST /api/v1/judging/assessments": Rule(),
    "PUT /api/v1/judging/assessments/subjects/{assessment_id}/self": Rule(obj="assessment", denied=READ_ONLY),
    "POST /api/v1/judging/assessments/subjects/{assessment_id}/verify": Rule(obj="assessment", body_first=True),
    "POST /api/v1/judging/assessments/subjects/{assessment_id}/reopen": Rule(obj="assessment", body_first=True),
    "GET /api/v1/judging/assessments/subjects/{assessment_id}/evidence": Rule(obj="assessment", ok=READERS),
    "POST /api/v1/judging/assessments/subjects/{assessment_id}/evidence": Rule(obj="assessment", body_first=True),
    "GET /api/v1/judging/assessments/evidence/{evidence_id}": Rule(obj="evidence_file", ok=READERS),
    "DELETE /api/v1/judging/assessments/evidence/{evidence_id}": Rule(obj="evidence_file", denied=READ_ONLY),
    "GET /api/v1/judging/competitions/{competition_id}": Rule(obj="competition", ok=READERS),
    "GET /api/v1/judging/rubrics/{rubric_id}": Rule(obj="rubric", ok=READERS),
    "GET /api/v1/judging/results/{stage_id}": Rule(public=True),
    "GET /api/v1/judging/sheets": Rule(),
    "GET /api/v1/judging/sheets/{sheet_id}": Rule(obj="sheet"),  # its juror (and the chair) only
    "GET /api/v1/judging/stages/{stage_id}/audience-vote": Rule(obj="stage", ok=READERS),
    "GET /api/v1/judging/stages/{stage_id}/audience-vote/ballots.pdf": Rule(
        obj="voting_stage", ok=EDITORS, denied=READ_ONLY
    ),
    "GET /api/v1/judging/vote/{stage_id}": Rule(public=True),
    "GET /api/v1/judging/stages/{stage_id}/certificates.pdf": Rule(obj="awarded_stage", ok=EDITORS, denied=READ_ONLY),
    "GET /api/v1/judging/stages/{stage_id}/jurors": Rule(obj="stage", ok=READERS),
    "GET /api/v1/judging/stages/{stage_id}/progress": Rule(obj="stage", ok=READERS),
    "GET /api/v1/judging/stages/{stage_id}/results": Rule(obj="stage", ok=READERS),
    "GET /api/v1/events": Rule(),
    "GET /api/v1/events/successions": Rule(),
    "GET /api/v1/figures": Rule(),
    "GET /api/v1/indicators": Rule(),
    "GET /api/v1/indicators/values": Rule(),
    "GET /api/v1/library/documents": Rule(),
    "GET /api/v1/library/documents/{document_id}": Rule(obj="document", ok=READERS),
    "GET /api/v1/library/documents/{document_id}/print-runs": Rule(obj="document", ok=READERS),
    "GET /api/v1/library/print-runs/{run_id}/reads": Rule(obj="print_run", ok=READERS),
    "GET /api/v1/me": Rule(),
    "GET /api/v1/meetings/calendar.ics": Rule(),
    "GET /api/v1/meetings/conferences": Rule(),
    "GET /api/v1/meetings/conferences/{conference_id}": Rule(obj="conference", ok=READERS),
    "GET /api/v1/meetings/points/{point_id}": Rule(obj="point", ok=READERS),
    "GET /api/v1/meetings/reflections": Rule(),
    "GET /api/v1/meetings/series": Rule(),
    "GET /api/v1/meetings/series/{series_id}": Rule(obj="series", ok=READERS),
    "GET /api/v1/people/activities": Rule(),
    "GET /api/v1/people/coverage": Rule(),
    "GET /api/v1/people/groups": Rule(),
    "GET /api/v1/people/groups/{group_id}": Rule(obj="group", ok=READERS),
    "GET /api/v1/people/persons": Rule(),
    "GET /api/v1/people/persons/{person_id}": Rule(obj="person", ok=PERSON_READERS),
    "GET /api/v1/people/persons/{person_id}/export": Rule(obj="person", ok=EDITORS, denied=frozenset({"viewer"})),
    "GET /api/v1/plans/follow-ups": Rule(),
    "GET /api/v1/plans/inspections": Rule(),
    "GET /api/v1/plans/inspections/{inspection_id}": Rule(obj="inspection", ok=READERS),
    "GET /api/v1/plans/inspections/{inspection_id}/follow-ups.xlsx": Rule(obj="inspection", ok=READERS),
    "GET /api/v1/plans/inspections/{inspection_id}/dossier.docx": Rule(obj="inspection", ok=READERS),
    "GET /api/v1/plans/inspections/{inspection_id}/dossier.pdf": Rule(obj="inspection", ok=READERS),
    "GET /api/v1/plans/inspection-files/{file_id}": Rule(obj="inspection_file", ok=READERS),
    "POST /api/v1/plans/inspections/{inspection_id}/files": Rule(obj="inspection", body_first=True),
    "GET /api/v1/plans/inspection-plans": Rule(),
    "GET /api/v1/plans/reminders": Rule(),
    "GET /api/v1/plans/deadlines.ics": Rule(),
    "GET /api/v1/plans/inspection-plans/{plan_id}": Rule(obj="inspection_plan", ok=READERS),
    "POST /api/v1/plans/inspection-plans": Rule(),
    "POST /api/v1/plans/inspection-plans/{plan_id}/items": Rule(obj="inspection_plan", body_first=True),
    "POST /api/v1/plans/follow-ups/{follow_up_id}/close": Rule(obj="follow_up", body_first=True),
    "POST /api/v1/plans/inspections": Rule(),
    "POST /api/v1/plans/inspections/{inspection_id}/conclusions": Rule(obj="inspection", body_first=True),
    "POST /api/v1/plans/inspections/{inspection_id}/members": Rule(obj="inspection", body_first=True),
    "GET /api/v1/plans/programmes": Rule(),
    "GET /api/v1/plans/programmes/{programme_id}": Rule(obj="programme", ok=READERS),
    "GET /api/v1/plans/recommendations": Rule(),
    "GET /api/v1/plans/recommendations/answer-times": Rule(),
    "GET /api/v1/plans/recommendations/{recommendation_id}": Rule(obj="recommendation", ok=READERS),
    "GET /api/v1/plans/requirements": Rule(),
    "GET /api/v1/plans/requirements/{requirement_id}/coverage": Rule(obj="requirement", ok=READERS),
    "GET /api/v1/plans/tasks/{task_id}/updates": Rule(obj="task", ok=READERS),
    "GET /api/v1/plans/tasks/import-template": Rule(),
    "GET /api/v1/plans/requirements/{requirement_id}/reminder": Rule(obj="requirement", ok=EDITORS, denied=READ_ONLY),
    "GET /api/v1/plans/programmes/{programme_id}/reminder": Rule(obj="programme", ok=EDITORS, denied=READ_ONLY),
    "GET /api/v1/plans/inspections/{inspection_id}/reminder": Rule(obj="inspection", ok=EDITORS, denied=READ_ONLY),
    "GET /api/v1/plans/recommendations/{recommendation_id}/reminder": Rule(
        obj="recommendation", ok=EDITORS, denied=READ_ONLY
    ),
    "POST /api/v1/plans/requirements/{requirement_id}/remind": Rule(obj="requirement", denied=READ_ONLY),
    "POST /api/v1/plans/programmes/{programme_id}/remind": Rule(obj="programme", denied=READ_ONLY),
    "POST /api/v1/plans/inspections/{inspection_id}/remind": Rule(obj="inspection", denied=READ_ONLY),
    "POST /api/v1/plans/recommendations/{recommendation_id}/remind": Rule(obj="recommendation", denied=READ_ONLY),
    "POST /api/v1/plans/programmes/{programme_id}/tasks/import": Rule(obj="programme", body_first=True),
    "POST /api/v1/plans/programmes": Rule(),
    "POST /api/v1/plans/programmes/{programme_id}/tasks": Rule(obj="programme", body_first=True),
    "POST /api/v1/plans/recommendations": Rule(),
    "POST /api/v1/plans/recommendations/{recommendation_id}/status": Rule(obj="recommendation", body_first=True),
    "POST /api/v1/plans/requirements": Rule(),
    "POST /api/v1/plans/tasks/{task_id}/updates": Rule(obj="task", body_first=True),
    "GET /api/v1/reports/dashboard": Rule(),
    "GET /api/v1/reports/assignments/{assignment_id}": Rule(obj="assignment", ok=READERS),
    "GET /api/v1/reports/data-sets/{data_set_id}": Rule(obj="data_set", ok=PROVINCE_READERS),
    "GET /api/v1/reports/requests/{request_id}": Rule(obj="data_request", ok=PROVINCE_READERS),
    "GET /api/v1/reports/requests/{request_id}/assignments": Rule(obj="data_request", ok=PROVINCE_READERS),
    "GET /api/v1/reports/requests/{request_id}/totals": Rule(obj="data_request", ok=PROVINCE_READERS),
    "POST /api/v1/reports/assignments/{assignment_id}/approve": Rule(obj="assignment", denied=READ_ONLY),
    "POST /api/v1/reports/assignments/{assignment_id}/corrections": Rule(obj="assignment", body_first=True),
    "POST /api/v1/reports/assignments/{assignment_id}/filings": Rule(obj="assignment", body_first=True),
    "POST /api/v1/reports/assignments/{assignment_id}/upload": Rule(obj="assignment", body_first=True),
    "POST /api/v1/reports/data-sets": Rule(),
    "POST /api/v1/reports/data-sets/{data_set_id}/revisions": Rule(obj="data_set", body_first=True),
    "POST /api/v1/reports/data-sets/{data_set_id}/retire": Rule(obj="data_set", denied=READ_ONLY),
    "POST /api/v1/reports/requests": Rule(),
    "POST /api/v1/reports/requests/{request_id}/close": Rule(obj="data_request", denied=READ_ONLY),
    "POST /api/v1/reports/requests/{request_id}/remind": Rule(obj="data_request", denied=READ_ONLY),
    # Official reports: a draft of commune A1 and the commune's template (lantoa.reports.report_api).
    "GET /api/v1/reports/documents": Rule(),
    "POST /api/v1/reports/documents": Rule(),
    "GET /api/v1/reports/documents/{report_id}": Rule(obj="report", ok=READERS),
    "PATCH /api/v1/reports/documents/{report_id}": Rule(obj="report", denied=READ_ONLY),
    "GET /api/v1/reports/documents/{report_id}/docx": Rule(obj="report", ok=READERS),
    "GET /api/v1/reports/documents/{report_id}/pdf": Rule(obj="report", ok=READERS),
    "POST /api/v1/reports/documents/{report_id}/issue": Rule(obj="report", body_first=True),
    "GET /api/v1/reports/templates": Rule(),
    "GET /api/v1/reports/terms": Rule(),
    "POST /api/v1/reports/terms": Rule(body_first=True),
    "DELETE /api/v1/reports/terms/{term_id}": Rule(obj="party_term", ok=EDITORS, denied=READ_ONLY),
    "GET /api/v1/reports/templates/{template_id}": Rule(obj="report_template", ok=READERS),
    "POST /api/v1/reports/templates/{template_id}/copy": Rule(obj="report_template", body_first=True),
    "PUT /api/v1/reports/templates/{template_id}": Rule(obj="report_template", body_first=True),
    "GET /api/v1/units": Rule(),
    "GET /api/v1/units/{code}": Rule(obj="unit", ok=READERS),
    "GET /api/v1/units/{code}/ancestors": Rule(obj="unit", ok=READERS),
    "GET /api/v1/units/{code}/children": Rule(obj="unit", ok=READERS),
    "PATCH /api/v1/contests/banks/{bank_id}": Rule(obj="bank", denied=READ_ONLY),
    "PATCH /api/v1/contests/rounds/{round_id}": Rule(obj="round", denied=READ_ONLY),
    "PATCH /api/v1/contests/{contest_id}": Rule(obj="contest", denied=READ_ONLY),
    "PATCH /api/v1/meetings/conferences/{conference_id}": Rule(obj="conference", denied=READ_ONLY),
    "PATCH /api/v1/meetings/points/{point_id}": Rule(obj="point", denied=READ_ONLY),
    "PATCH /api/v1/people/persons/{person_id}": Rule(obj="person", denied=frozenset({"viewer"})),
    "POST /api/v1/contests/": Rule(),
    "POST /api/v1/contests/attempts/{attempt_id}/submit": Rule(public=True),
    "POST /api/v1/contests/banks": Rule(),
    "POST /api/v1/contests/banks/{bank_id}/import": Rule(obj="bank", body_first=True),
    "POST /api/v1/contests/banks/{bank_id}/questions": Rule(obj="bank", body_first=True),
    "POST /api/v1/contests/questions/{question_id}/retire": Rule(obj="question", denied=READ_ONLY),
    "POST /api/v1/contests/questions/{question_id}/versions": Rule(obj="question", body_first=True),
    "POST /api/v1/contests/rounds/{round_id}/attempts": Rule(public=True),
    "POST /api/v1/contests/rounds/{round_id}/close": Rule(obj="round", denied=READ_ONLY),
    "POST /api/v1/contests/rounds/{round_id}/claim": Rule(public=True),
    "POST /api/v1/contests/claims/{claim_id}/paid": Rule(obj="claim", denied=NOT_PRIZE_OFFICERS),
    "POST /api/v1/contests/{contest_id}/duplicates/dismissal": Rule(obj="contest", body_first=True),
    "POST /api/v1/contests/{contest_id}/contestants/{contestant_id}/exclusion": Rule(obj="contest", body_first=True),
    "POST /api/v1/contests/rounds/{round_id}/publication": Rule(obj="round", body_first=True),
    "POST /api/v1/contests/{contest_id}/contestants": Rule(public=True),
    "POST /api/v1/contests/contestants/me/verification": Rule(public=True),
    "POST /api/v1/contests/contestants/me/verification/confirm": Rule(public=True),
    "POST /api/v1/contests/{contest_id}/external": Rule(obj="contest", body_first=True),
    "POST /api/v1/contests/{contest_id}/eligible": Rule(obj="contest", body_first=True),
    "POST /api/v1/contests/{contest_id}/rounds": Rule(obj="contest", body_first=True),
    "POST /api/v1/judging/competitions": Rule(),
    "POST /api/v1/judging/competitions/{competition_id}/entries": Rule(obj="competition", body_first=True),
    "POST /api/v1/judging/competitions/{competition_id}/stages": Rule(obj="competition", body_first=True),
    "POST /api/v1/judging/entries/{entry_id}/conflicts": Rule(obj="entry", body_first=True),
    "POST /api/v1/judging/rubrics": Rule(),
    "POST /api/v1/judging/rubrics/{rubric_id}/versions": Rule(obj="rubric", body_first=True),
    "POST /api/v1/judging/sheets/{sheet_id}/reopen": Rule(obj="sheet", body_first=True),
    "POST /api/v1/judging/sheets/{sheet_id}/submit": Rule(obj="sheet"),
    "POST /api/v1/judging/stages/{stage_id}/audience-vote/ballots": Rule(obj="stage", body_first=True),
    "POST /api/v1/judging/stages/{stage_id}/audience-vote/close": Rule(obj="voting_stage", denied=READ_ONLY),
    "POST /api/v1/judging/vote/{stage_id}": Rule(public=True),
    "POST /api/v1/judging/vote/{stage_id}/code": Rule(public=True),
    "POST /api/v1/judging/stages/{stage_id}/advance": Rule(obj="stage", denied=READ_ONLY),
    "POST /api/v1/judging/stages/{stage_id}/assign": Rule(obj="stage", denied=READ_ONLY),
    "POST /api/v1/judging/stages/{stage_id}/jurors": Rule(obj="stage", body_first=True),
    "POST /api/v1/judging/stages/{stage_id}/publication": Rule(obj="stage", body_first=True),
    "POST /api/v1/judging/stages/{stage_id}/results": Rule(obj="stage", denied=READ_ONLY),
    "PUT /api/v1/judging/sheets/{sheet_id}/scores/{criterion_id}": Rule(obj="sheet", body_first=True),
    "PUT /api/v1/judging/stages/{stage_id}/audience-vote": Rule(obj="stage", body_first=True),
    "PUT /api/v1/judging/stages/{stage_id}/entries/{entry_id}/votes": Rule(obj="stage", body_first=True),
    "POST /api/v1/events": Rule(),
    "POST /api/v1/figures": Rule(),
    "POST /api/v1/library/documents": Rule(),
    "POST /api/v1/library/documents/{document_id}/print-runs": Rule(obj="document", body_first=True),
    "POST /api/v1/library/documents/{document_id}/versions": Rule(obj="document", body_first=True),
    "POST /api/v1/library/print-runs/{run_id}/allocations": Rule(obj="print_run", body_first=True),
    "POST /api/v1/meetings/checkin": Rule(public=True),
    "POST /api/v1/meetings/conferences": Rule(),
    "POST /api/v1/meetings/conferences/{conference_id}/attachments": Rule(obj="conference", body_first=True),
    "POST /api/v1/meetings/conferences/{conference_id}/attendance": Rule(obj="conference", body_first=True),
    "POST /api/v1/meetings/conferences/{conference_id}/cancel": Rule(obj="conference", body_first=True),
    "POST /api/v1/meetings/conferences/{conference_id}/held": Rule(obj="conference", denied=READ_ONLY),
    "POST /api/v1/meetings/conferences/{conference_id}/points": Rule(obj="conference", denied=READ_ONLY),
    "POST /api/v1/meetings/import": Rule(),
    "POST /api/v1/meetings/points/{point_id}/connection": Rule(obj="point", body_first=True),
    "POST /api/v1/meetings/points/{point_id}/participants": Rule(obj="point", denied=READ_ONLY),
    "POST /api/v1/meetings/points/{point_id}/roster": Rule(obj="point", body_first=True),
    "POST /api/v1/meetings/series": Rule(),
    "POST /api/v1/meetings/series/{series_id}/plan-next": Rule(obj="series", denied=READ_ONLY),
    "POST /api/v1/people/activities": Rule(),
    "POST /api/v1/people/activities/confirm": Rule(),
    "POST /api/v1/people/activities/{activity_id}/withdraw": Rule(obj="activity", body_first=True),
    "POST /api/v1/people/groups": Rule(),
    "POST /api/v1/people/groups/merge": Rule(),
    "POST /api/v1/people/groups/{group_id}/dissolve": Rule(obj="group", body_first=True),
    "POST /api/v1/people/groups/{group_id}/members": Rule(obj="group", body_first=True),
    "POST /api/v1/people/groups/{group_id}/members/{membership_id}/end": Rule(obj="membership", body_first=True),
    "POST /api/v1/people/persons": Rule(),
    "POST /api/v1/people/persons/{person_id}/anonymise": Rule(obj="person", denied=frozenset({"viewer"})),
    "POST /api/v1/people/roles": Rule(),
    "POST /api/v1/people/roles/{role_id}/end": Rule(obj="role", body_first=True),
    "PUT /api/v1/meetings/points/{point_id}/attendance": Rule(obj="point", denied=READ_ONLY),
    "PUT /api/v1/meetings/reflections": Rule(),
    "accounts:api_token_create /accounts/me/tokens/": Rule(),
    "accounts:api_token_revoke /accounts/me/tokens/<int:pk>/revoke/": Rule(),
    "accounts:assignment_add /accounts/manage/users/<str:username>/assignments/": Rule(),
    "accounts:assignment_end /accounts/manage/assignments/<int:pk>/end/": Rule(),
    "accounts:grant /accounts/manage/grant/": Rule(),
    "accounts:import_template /accounts/manage/import/template.xlsx": Rule(),
    "accounts:import_users /accounts/manage/import/": Rule(),
    "accounts:login /accounts/login/": Rule(public=True),
    "accounts:logout /accounts/logout/": Rule(),
    "accounts:manage /accounts/manage/": Rule(),
    "accounts:manage_unit /accounts/manage/units/<str:code>/": Rule(
        obj="unit", ok=frozenset({"administrator", "manager"})
    ),
    "accounts:manage_user /accounts/manage/users/<str:username>/": Rule(),
    "accounts:my_account /accounts/me/": Rule(),
    "accounts:password_change /accounts/me/password/": Rule(),
    "accounts:password_reset /accounts/password-reset/": Rule(public=True),
    "accounts:password_reset_complete /accounts/reset/done/": Rule(public=True),
    "accounts:password_reset_confirm /accounts/reset/<uidb64>/<token>/": Rule(public=True),
    "accounts:password_reset_done /accounts/password-reset/sent/": Rule(public=True),
    "accounts:set_language /accounts/me/language/": Rule(),
    "accounts:two_factor_disable /accounts/two-factor/disable/": Rule(),
    "accounts:two_factor_setup /accounts/two-factor/setup/": Rule(),
    "accounts:verify /accounts/verify/": Rule(),
    "audit:export /audit/export.csv": Rule(),
    "audit:list /audit/": Rule(),
    "contests:bank_detail /contests/banks/<int:pk>/": Rule(obj="bank", ok=READERS),
    "contests:bank_edit /contests/banks/<int:pk>/edit/": Rule(obj="bank", ok=EDITORS, denied=READ_ONLY),
    "contests:bank_export_moodle /contests/banks/<int:pk>/export.xml": Rule(obj="bank", ok=READERS),
    "contests:bank_export_xlsx /contests/banks/<int:pk>/export.xlsx": Rule(obj="bank", ok=READERS),
    "contests:bank_import /contests/banks/<int:pk>/import/": Rule(obj="bank", ok=EDITORS, denied=READ_ONLY),
    "contests:bank_list /contests/": Rule(),
    "contests:bank_new /contests/banks/new/": Rule(),
    "contests:contest_detail /contests/contests/<int:pk>/": Rule(obj="contest", ok=READERS),
    "contests:contest_edit /contests/contests/<int:pk>/edit/": Rule(obj="contest", ok=EDITORS, denied=READ_ONLY),
    "contests:contest_external /contests/contests/<int:pk>/external/": Rule(
        obj="contest", ok=EDITORS, denied=READ_ONLY
    ),
    "contests:contest_external_template /contests/contests/<int:pk>/external/template.xlsx": Rule(
        obj="contest", ok=EDITORS, denied=READ_ONLY
    ),
    "contests:contest_eligible /contests/contests/<int:pk>/eligible/": Rule(
        obj="contest", ok=EDITORS, denied=READ_ONLY
    ),
    "contests:contest_eligible_export /contests/contests/<int:pk>/eligible/list.xlsx": Rule(
        obj="contest", ok=EDITORS, denied=READ_ONLY
    ),
    "contests:contest_eligible_template /contests/contests/<int:pk>/eligible/template.xlsx": Rule(
        obj="contest", ok=EDITORS, denied=READ_ONLY
    ),
    "contests:contest_eligible_remove /contests/contests/<int:contest_id>/eligible/<int:eligible_id>/remove/": Rule(
        obj="eligible", post=True, denied=READ_ONLY
    ),
    "contests:contest_list /contests/contests/": Rule(),
    "contests:contest_duplicates /contests/contests/<int:pk>/duplicates/": Rule(
        obj="contest", ok=EDITORS, denied=READ_ONLY
    ),
    "contests:duplicate_dismiss /contests/contests/<int:pk>/duplicates/dismiss/": Rule(
        obj="contest", post=True, denied=READ_ONLY
    ),
    "contests:contestant_exclusion /contests/contests/<int:pk>/contestants/<int:contestant_id>/exclusion/": Rule(
        obj="contest", post=True, denied=READ_ONLY
    ),
    "contests:contest_referrals /contests/contests/<int:pk>/referrals/": Rule(obj="contest", ok=READERS),
    "contests:round_claims /contests/rounds/<int:pk>/claims/": Rule(obj="round", ok=EDITORS, denied=READ_ONLY),
    "contests:round_claims_export /contests/rounds/<int:pk>/claims/payment.xlsx": Rule(
        obj="round", ok=PRIZE_OFFICERS, denied=NOT_PRIZE_OFFICERS
    ),
    "contests:claim_detail /contests/claims/<int:pk>/": Rule(obj="claim", ok=EDITORS, denied=READ_ONLY),
    "contests:claim_paid /contests/claims/<int:pk>/paid/": Rule(obj="claim", post=True, denied=NOT_PRIZE_OFFICERS),
    "contests:play_claim /contests/play/me/<str:token>/rounds/<int:round_id>/claim/": Rule(public=True),
    "contests:contest_overall /contests/contests/<int:pk>/overall/": Rule(obj="contest", ok=READERS),
    "contests:contest_overall_export /contests/contests/<int:pk>/overall.xlsx": Rule(obj="contest", ok=READERS),
    "contests:round_certificates /contests/rounds/<int:pk>/certificates.pdf": Rule(
        obj="closed_round", ok=EDITORS, denied=READ_ONLY
    ),
    "contests:contest_new /contests/contests/new/": Rule(),
    "contests:import_template /contests/import/template.xlsx": Rule(),
    "contests:play_attempt /contests/play/me/<str:token>/attempts/<uuid:attempt_id>/": Rule(public=True),
    "contests:play_me /contests/play/me/<str:token>/": Rule(public=True),
    "contests:play_verify /contests/play/me/<str:token>/verify/": Rule(public=True),
    "contests:play_register /contests/play/<int:contest_id>/": Rule(public=True),
    "contests:play_start /contests/play/me/<str:token>/rounds/<int:round_id>/start/": Rule(public=True, post=True),
    "contests:play_submit /contests/play/me/<str:token>/attempts/<uuid:attempt_id>/submit/": Rule(
        public=True, post=True
    ),
    "contests:question_detail /contests/questions/<int:pk>/": Rule(obj="question", ok=READERS),
    "contests:question_edit /contests/questions/<int:pk>/edit/": Rule(obj="question", ok=EDITORS, denied=READ_ONLY),
    "contests:question_new /contests/banks/<int:pk>/questions/new/": Rule(obj="bank", ok=EDITORS, denied=READ_ONLY),
    "contests:question_preview /contests/banks/<int:pk>/questions/preview/": Rule(
        obj="bank", post=True, denied=READ_ONLY
    ),
    "contests:question_retire /contests/questions/<int:pk>/retire/": Rule(obj="question", post=True, denied=READ_ONLY),
    "contests:public_results /contests/play/results/<int:round_id>/": Rule(public=True),
    "contests:round_close /contests/rounds/<int:pk>/close/": Rule(obj="round", post=True, denied=READ_ONLY),
    "contests:round_detail /contests/rounds/<int:pk>/": Rule(obj="round", ok=READERS),
    # The kind the matrix fills in names no export: every role answers as for a missing round.
    "contests:round_export /contests/rounds/<int:pk>/export/<slug:kind>.xlsx": Rule(obj="round"),
    "contests:round_items /contests/rounds/<int:pk>/items/": Rule(obj="round", ok=READERS),
    "contests:round_publish /contests/rounds/<int:pk>/publish/": Rule(obj="round", post=True, denied=READ_ONLY),
    "contests:round_results /contests/rounds/<int:pk>/results/": Rule(obj="round", ok=READERS),
    "contests:round_edit /contests/rounds/<int:pk>/edit/": Rule(obj="round", ok=EDITORS, denied=READ_ONLY),
    "contests:round_new /contests/contests/<int:pk>/rounds/new/": Rule(obj="contest", ok=EDITORS, denied=READ_ONLY),
    "judging:audience_ballots /judging/stages/<int:pk>/audience/ballots/": Rule(
        obj="stage", post=True, denied=READ_ONLY
    ),
    "judging:audience_ballots_pdf /judging/stages/<int:pk>/audience/ballots.pdf": Rule(
        obj="voting_stage", ok=EDITORS, denied=READ_ONLY
    ),
    "judging:audience_close /judging/stages/<int:pk>/audience/close/": Rule(obj="stage", post=True, denied=READ_ONLY),
    "judging:audience_detail /judging/stages/<int:pk>/audience/": Rule(obj="stage", ok=READERS),
    "judging:audience_open /judging/stages/<int:pk>/audience/open/": Rule(obj="stage", post=True, denied=READ_ONLY),
    "judging:competition_detail /judging/<int:pk>/": Rule(obj="competition", ok=READERS),
    "judging:campaign_list /judging/assessments/": Rule(),
    "judging:rubric_list /judging/rubrics/": Rule(),
    "judging:stage_paper /judging/stages/<int:pk>/paper/": Rule(obj="stage", ok=EDITORS, denied=READ_ONLY),
    "judging:stage_paper_pdf /judging/stages/<int:pk>/paper.pdf": Rule(obj="stage", ok=EDITORS, denied=READ_ONLY),
    "judging:sheet_paper /judging/sheets/<int:pk>/paper/": Rule(obj="sheet"),  # the stage's secretary only
    "judging:rubric_revise /judging/rubrics/<int:pk>/revise/": Rule(obj="rubric", ok=EDITORS, denied=READ_ONLY),
    "judging:competition_conflicts /judging/<int:pk>/conflicts/": Rule(obj="competition", ok=READERS),
    "judging:sheet_conflict /judging/sheets/<int:pk>/conflict/": Rule(obj="sheet", post=True),
    "judging:campaign_new /judging/assessments/new/": Rule(),
    "judging:campaign_detail /judging/assessments/<int:pk>/": Rule(obj="campaign", ok=READERS),
    "judging:campaign_export /judging/assessments/<int:pk>/results.xlsx": Rule(obj="campaign", ok=READERS),
    "judging:assessment_detail /judging/assessments/subjects/<int:pk>/": Rule(obj="assessment", ok=READERS),
    "judging:assessment_self /judging/assessments/subjects/<int:pk>/self/": Rule(
        obj="assessment", post=True, denied=READ_ONLY
    ),
    "judging:assessment_verify /judging/assessments/subjects/<int:pk>/verify/": Rule(
        obj="assessment", post=True, denied=READ_ONLY
    ),
    "judging:assessment_reopen /judging/assessments/subjects/<int:pk>/reopen/": Rule(
        obj="assessment", post=True, denied=READ_ONLY
    ),
    "judging:assessment_history /judging/assessments/units/<str:code>/": Rule(obj="unit", ok=READERS),
    "judging:evidence_add /judging/assessments/subjects/<int:pk>/evidence/": Rule(
        obj="assessment", post=True, denied=READ_ONLY
    ),
    "judging:evidence_download /judging/assessments/evidence/<int:pk>/": Rule(obj="evidence_file", ok=READERS),
    "judging:evidence_remove /judging/assessments/evidence/<int:pk>/remove/": Rule(
        obj="evidence_file", post=True, denied=READ_ONLY
    ),
    "judging:competition_list /judging/": Rule(),
    "judging:competition_new /judging/new/": Rule(),
    "judging:entry_new /judging/<int:pk>/entries/new/": Rule(obj="competition", ok=EDITORS, denied=READ_ONLY),
    "judging:juror_new /judging/stages/<int:pk>/jurors/new/": Rule(obj="stage", ok=EDITORS, denied=READ_ONLY),
    "judging:rubric_new /judging/rubrics/new/": Rule(),
    "judging:stage_new /judging/<int:pk>/stages/new/": Rule(obj="competition", ok=EDITORS, denied=READ_ONLY),
    "judging:public_results /judging/results/<int:pk>/": Rule(public=True),
    "judging:vote /judging/vote/<int:pk>/": Rule(public=True),
    "judging:sheet_detail /judging/sheets/<int:pk>/": Rule(obj="sheet"),  # its juror (and the chair) only
    "judging:sheet_list /judging/sheets/": Rule(),
    "judging:sheet_reopen /judging/sheets/<int:pk>/reopen/": Rule(obj="sheet", post=True),
    "judging:sheet_score /judging/sheets/<int:pk>/scores/<int:criterion_id>/": Rule(obj="sheet", post=True),
    "judging:stage_advance /judging/stages/<int:pk>/advance/": Rule(obj="stage", post=True, denied=READ_ONLY),
    "judging:stage_assign /judging/stages/<int:pk>/assign/": Rule(obj="stage", post=True, denied=READ_ONLY),
    "judging:stage_certificates /judging/stages/<int:pk>/certificates.pdf": Rule(
        obj="awarded_stage", ok=EDITORS, denied=READ_ONLY
    ),
    "judging:stage_compute /judging/stages/<int:pk>/results/": Rule(obj="stage", post=True, denied=READ_ONLY),
    "judging:stage_detail /judging/stages/<int:pk>/": Rule(obj="stage", ok=READERS),
    "judging:stage_publish /judging/stages/<int:pk>/publication/": Rule(obj="stage", post=True, denied=READERS),
    "plans:follow_up_close /plans/follow-ups/<int:pk>/close/": Rule(obj="follow_up", post=True, denied=READ_ONLY),
    "plans:follow_up_list /plans/follow-ups/": Rule(),
    "plans:index /plans/": Rule(),
    "plans:inspection_detail /plans/inspections/<int:pk>/": Rule(obj="inspection", ok=READERS),
    "plans:inspection_dossier /plans/inspections/<int:pk>/follow-ups.xlsx": Rule(obj="inspection", ok=READERS),
    "plans:inspection_dossier_docx /plans/inspections/<int:pk>/dossier.docx": Rule(obj="inspection", ok=READERS),
    "plans:inspection_dossier_pdf /plans/inspections/<int:pk>/dossier.pdf": Rule(obj="inspection", ok=READERS),
    "plans:inspection_file_add /plans/inspections/<int:pk>/files/": Rule(obj="inspection", post=True, denied=READ_ONLY),
    "plans:inspection_file /plans/inspection-files/<int:pk>/": Rule(obj="inspection_file", ok=READERS),
    "plans:inspection_plan_list /plans/inspection-plans/": Rule(),
    "plans:reminder_list /plans/reminders/": Rule(),
    "plans:calendar /plans/calendar/": Rule(),
    "plans:calendar_ics /plans/calendar.ics": Rule(),
    "plans:inspection_plan_new /plans/inspection-plans/new/": Rule(),
    "plans:inspection_plan_detail /plans/inspection-plans/<int:pk>/": Rule(obj="inspection_plan", ok=READERS),
    "plans:inspection_list /plans/inspections/": Rule(),
    "plans:inspection_new /plans/inspections/new/": Rule(),
    "plans:programme_detail /plans/programmes/<int:pk>/": Rule(obj="programme", ok=READERS),
    "plans:programme_new /plans/programmes/new/": Rule(),
    "plans:programme_tasks_import /plans/programmes/<int:pk>/import/": Rule(
        obj="programme", ok=EDITORS, denied=READ_ONLY
    ),
    "plans:tasks_import_template /plans/programmes/import-template.xlsx": Rule(),
    "plans:requirement_remind /plans/requirements/<int:pk>/remind/": Rule(
        obj="requirement", post=True, denied=READ_ONLY
    ),
    "plans:programme_remind /plans/programmes/<int:pk>/remind/": Rule(obj="programme", post=True, denied=READ_ONLY),
    "plans:inspection_remind /plans/inspections/<int:pk>/remind/": Rule(obj="inspection", post=True, denied=READ_ONLY),
    "plans:recommendation_remind /plans/recommendations/<int:pk>/remind/": Rule(
        obj="recommendation", post=True, denied=READ_ONLY
    ),
    "plans:recommendation_detail /plans/recommendations/<int:pk>/": Rule(obj="recommendation", ok=READERS),
    "plans:recommendation_list /plans/recommendations/": Rule(),
    "plans:recommendation_new /plans/recommendations/new/": Rule(),
    "plans:requirement_detail /plans/requirements/<int:pk>/": Rule(obj="requirement", ok=READERS),
    "plans:requirement_new /plans/requirements/new/": Rule(),
    "plans:task_detail /plans/tasks/<int:pk>/": Rule(obj="task", ok=READERS),
    "plans:task_list /plans/tasks/": Rule(),
    "javascript-catalog /i18n/catalog.js": Rule(public=True),
    "library:allocation_qr /library/allocations/<int:pk>/qr.<str:fmt>": Rule(obj="allocation", ok=READERS),
    "library:document_detail /library/documents/<int:pk>/": Rule(obj="document", ok=READERS),
    "library:document_edit /library/documents/<int:pk>/edit/": Rule(obj="document", ok=EDITORS, denied=READ_ONLY),
    "library:document_new /library/documents/new/": Rule(),
    "library:document_supersede /library/documents/<int:pk>/supersede/": Rule(
        obj="document", post=True, denied=READ_ONLY
    ),
    "library:file_download /library/files/<int:pk>/": Rule(obj="file", ok=READERS),
    "library:file_progress /library/files/<int:pk>/progress/": Rule(obj="file", ok=READERS),
    "library:list /library/": Rule(),
    "library:print_run_new /library/documents/<int:pk>/print-runs/new/": Rule(
        obj="document", ok=EDITORS, denied=READ_ONLY
    ),
    "library:run_labels /library/print-runs/<int:pk>/labels.pdf": Rule(obj="print_run", ok=READERS),
    "library:run_qr /library/print-runs/<int:pk>/qr.<str:fmt>": Rule(obj="print_run", ok=READERS),
    "library:version_new /library/documents/<int:pk>/versions/new/": Rule(obj="document", ok=EDITORS, denied=READ_ONLY),
    "meetings:attachment /meetings/attachments/<int:pk>/": Rule(),
    "meetings:attachment_add /meetings/<int:pk>/attachments/": Rule(obj="conference", post=True, denied=READ_ONLY),
    "meetings:calendar /meetings/calendar/": Rule(),
    "meetings:calendar_list /meetings/calendar/list/": Rule(),
    "meetings:conference_cancel /meetings/<int:pk>/cancel/": Rule(obj="conference", ok=EDITORS, denied=READ_ONLY),
    "meetings:conference_edit /meetings/<int:pk>/edit/": Rule(obj="conference", ok=EDITORS, denied=READ_ONLY),
    "meetings:conference_held /meetings/<int:pk>/held/": Rule(obj="conference", post=True, denied=READ_ONLY),
    "meetings:conference_new /meetings/new/": Rule(),
    "meetings:detail /meetings/<int:pk>/": Rule(obj="conference", ok=READERS),
    "meetings:ics /meetings/calendar/<str:code>.ics": Rule(public=True),
    "meetings:import /meetings/import/": Rule(),
    "meetings:import_template /meetings/import/template.xlsx": Rule(),
    "meetings:list /meetings/": Rule(),
    "meetings:message /meetings/<int:pk>/message/": Rule(obj="conference", ok=READERS),
    "meetings:point_attendance /meetings/points/<int:pk>/attendance/": Rule(obj="point", post=True, denied=READ_ONLY),
    "meetings:point_connection /meetings/points/<int:pk>/connection/": Rule(obj="point", post=True, denied=READ_ONLY),
    "meetings:point_detail /meetings/points/<int:pk>/": Rule(obj="point", ok=READERS),
    "meetings:point_edit /meetings/points/<int:pk>/edit/": Rule(obj="point", post=True, denied=READ_ONLY),
    "meetings:point_qr /meetings/points/<int:pk>/qr.<str:fmt>": Rule(obj="point", ok=EDITORS, denied=READ_ONLY),
    "meetings:point_register /meetings/points/<int:pk>/register/": Rule(obj="point", post=True, denied=READ_ONLY),
    "meetings:point_remove /meetings/points/<int:pk>/remove/": Rule(obj="point", post=True, denied=READ_ONLY),
    "meetings:point_roster /meetings/points/<int:pk>/roster/": Rule(
        obj="point", ok=PERSON_READERS, denied=frozenset({"inspector"})
    ),
    "meetings:points_add /meetings/<int:pk>/points/add/": Rule(obj="conference", post=True, denied=READ_ONLY),
    "meetings:points_add_children /meetings/<int:pk>/points/add-children/": Rule(
        obj="conference", post=True, denied=READ_ONLY
    ),
    "meetings:reflections /meetings/reflections/": Rule(),
    "meetings:remind /meetings/<int:pk>/remind/": Rule(obj="conference", post=True, denied=READ_ONLY),
    "meetings:rollup /meetings/rollup/": Rule(),
    "meetings:series_detail /meetings/series/<int:pk>/": Rule(obj="series", ok=READERS),
    "meetings:series_list /meetings/series/": Rule(),
    "meetings:series_new /meetings/series/new/": Rule(),
    "meetings:series_plan_next /meetings/series/<int:pk>/plan-next/": Rule(obj="series", post=True, denied=READ_ONLY),
    "meetings:unit_search /meetings/units/search/": Rule(),
    "surveys:batch_cards /surveys/<int:pk>/batches/<int:batch_pk>/cards.pdf": Rule(
        obj="survey", ok=EDITORS, denied=READ_ONLY
    ),
    "surveys:batch_new /surveys/<int:pk>/batches/": Rule(obj="survey", post=True, denied=READ_ONLY),
    "surveys:links_send /surveys/<int:pk>/links/": Rule(obj="survey", post=True, denied=READ_ONLY),
    "surveys:detail /surveys/<int:pk>/": Rule(obj="survey", ok=READERS),
    "surveys:edit /surveys/<int:pk>/edit/": Rule(obj="survey", ok=EDITORS, denied=READ_ONLY),
    "surveys:list /surveys/": Rule(),
    "surveys:new /surveys/new/": Rule(),
    "surveys:question_edit /surveys/<int:pk>/questions/<int:question_pk>/": Rule(
        obj="survey", ok=EDITORS, denied=READ_ONLY
    ),
    "surveys:question_new /surveys/<int:pk>/sections/<int:section_pk>/questions/new/": Rule(
        obj="survey", ok=EDITORS, denied=READ_ONLY
    ),
    "surveys:results /surveys/<int:pk>/results/": Rule(obj="survey", ok=READERS),
    "surveys:results_xlsx /surveys/<int:pk>/results.xlsx": Rule(obj="survey", ok=READERS),
    "surveys:section_new /surveys/<int:pk>/sections/": Rule(obj="survey", post=True, denied=READ_ONLY),
    "surveys:section_edit /surveys/<int:pk>/sections/<int:section_pk>/": Rule(
        obj="survey", ok=EDITORS, denied=READ_ONLY
    ),
    "surveys:section_move /surveys/<int:pk>/sections/<int:section_pk>/move/": Rule(
        obj="survey", post=True, denied=READ_ONLY
    ),
    "surveys:section_remove /surveys/<int:pk>/sections/<int:section_pk>/remove/": Rule(
        obj="survey", post=True, denied=READ_ONLY
    ),
    "surveys:question_move /surveys/<int:pk>/questions/<int:question_pk>/move/": Rule(
        obj="survey", post=True, denied=READ_ONLY
    ),
    "surveys:status /surveys/<int:pk>/status/": Rule(obj="survey", post=True, denied=READ_ONLY),
    "surveys_public:card /s/<str:code>": Rule(public=True),
    "surveys_public:code /s/": Rule(public=True),
    "surveys_public:open /s/o/<str:link>": Rule(public=True),
    "surveys_public:open_unit /s/o/<str:link>/<str:unit_code>": Rule(public=True),
    "meetings_public:checkin /checkin/": Rule(public=True),
    "meetings_public:checkin_site /c/<str:code>": Rule(public=True),
    "org:restructure /org/units/<str:code>/restructure/": Rule(
        obj="unit", ok=frozenset({"administrator", "manager"}), denied=frozenset({"officer_in", "inspector", "viewer"})
    ),
    "org:tree /org/": Rule(),
    "org:tree_export /org/units/<str:code>/export/": Rule(obj="unit", ok=READERS),
    "org:tree_import /org/import/": Rule(),
    "org:tree_import_template /org/import/template.xlsx": Rule(),
    "org:unit_children /org/units/<str:code>/children/": Rule(obj="unit", ok=READERS),
    "org:unit_detail /org/units/<str:code>/": Rule(obj="unit", ok=READERS),
    "org:unit_options /org/unit-options/": Rule(),
    "people:activities /people/units/<str:code>/activities/": Rule(obj="unit", ok=READERS),
    "people:activities_confirm /people/activities/confirm/": Rule(),
    "people:activity_new /people/activities/new/": Rule(),
    "people:activity_withdraw /people/activities/<int:pk>/withdraw/": Rule(obj="activity", ok=EDITORS),
    "people:coverage /people/units/<str:code>/coverage/": Rule(obj="unit", ok=READERS),
    "people:group_detail /people/groups/<int:pk>/": Rule(obj="group", ok=READERS),
    "people:group_dissolve /people/groups/<int:pk>/dissolve/": Rule(obj="group", post=True, denied=READ_ONLY),
    "people:group_member_add /people/groups/<int:pk>/members/add/": Rule(obj="group", post=True, denied=READ_ONLY),
    "people:group_merge /people/groups/<int:pk>/merge/": Rule(obj="group", post=True, denied=READ_ONLY),
    "people:group_new /people/groups/new/": Rule(),
    "people:groups /people/units/<str:code>/groups/": Rule(obj="unit", ok=READERS),
    "people:home /people/": Rule(),
    "people:member_end /people/memberships/<int:pk>/end/": Rule(obj="membership", post=True, denied=READ_ONLY),
    "people:person_account /people/persons/<int:pk>/account/": Rule(
        obj="person", post=True, denied=frozenset({"viewer"})
    ),
    "people:person_anonymise /people/persons/<int:pk>/anonymise/": Rule(
        obj="person", post=True, denied=frozenset({"viewer"})
    ),
    "people:person_detail /people/persons/<int:pk>/": Rule(obj="person", ok=PERSON_READERS),
    "people:person_edit /people/persons/<int:pk>/edit/": Rule(obj="person", ok=EDITORS, denied=frozenset({"viewer"})),
    "people:person_export /people/persons/<int:pk>/privacy/export.json": Rule(
        obj="person", ok=EDITORS, denied=frozenset({"viewer"})
    ),
    "people:person_new /people/persons/new/": Rule(),
    "people:person_privacy /people/persons/<int:pk>/privacy/": Rule(
        obj="person", ok=EDITORS, denied=frozenset({"viewer"})
    ),
    "people:role_end /people/roles/<int:pk>/end/": Rule(obj="role", post=True, denied=frozenset({"viewer"})),
    "people:role_new /people/persons/<int:pk>/roles/new/": Rule(obj="person", post=True, denied=frozenset({"viewer"})),
    "people:roster /people/units/<str:code>/roster/": Rule(
        obj="unit", ok=PERSON_READERS, denied=frozenset({"inspector"})
    ),
    "people:roster_export /people/units/<str:code>/roster/export/": Rule(obj="unit", ok=PERSON_READERS),
    "people:roster_import /people/units/<str:code>/roster/import/": Rule(obj="unit", ok=EDITORS, denied=READ_ONLY),
    "people:roster_template /people/roster/template.xlsx": Rule(),
    "people:team_summary /people/activities/summary/": Rule(),
    "public:public_file /d/<slug:slug>/files/<int:pk>": Rule(public=True),
    "public:qr_open /q/<slug:code>": Rule(public=True),
    "public:reader /d/<slug:slug>/": Rule(public=True),
    "reports:dashboard /": Rule(),
    "reports:dashboard_export /reports/dashboard.xlsx": Rule(),
    "reports:assignment_approve /reports/assignments/<int:pk>/approve/": Rule(
        obj="assignment", post=True, denied=READ_ONLY
    ),
    "reports:assignment_detail /reports/assignments/<int:pk>/": Rule(obj="assignment", ok=READERS),
    "reports:assignment_form_download /reports/assignments/<int:pk>/form.xlsx": Rule(
        obj="assignment", ok=EDITORS, denied=READ_ONLY
    ),
    "reports:assignment_upload /reports/assignments/<int:pk>/upload/": Rule(
        obj="assignment", post=True, denied=READ_ONLY
    ),
    "reports:data_set_list /reports/data-sets/": Rule(),
    "reports:data_set_new /reports/data-sets/new/": Rule(),
    "reports:data_set_revise /reports/data-sets/<int:pk>/revise/": Rule(
        obj="data_set", ok=frozenset({"administrator", "manager"}), denied=READ_ONLY
    ),
    "reports:data_set_retire /reports/data-sets/<int:pk>/retire/": Rule(obj="data_set", post=True, denied=READ_ONLY),
    "reports:request_detail /reports/requests/<int:pk>/": Rule(obj="data_request", ok=PROVINCE_READERS),
    "reports:request_export /reports/requests/<int:pk>/figures.xlsx": Rule(obj="data_request", ok=PROVINCE_READERS),
    "reports:request_list /reports/requests/": Rule(),
    "reports:request_new /reports/requests/new/": Rule(),
    "reports:request_close /reports/requests/<int:pk>/close/": Rule(obj="data_request", post=True, denied=READ_ONLY),
    "reports:request_remind /reports/requests/<int:pk>/remind/": Rule(obj="data_request", post=True, denied=READ_ONLY),
    "reports:report_list /reports/documents/": Rule(),
    "reports:report_new /reports/documents/new/": Rule(),
    "reports:report_detail /reports/documents/<int:pk>/": Rule(obj="report", ok=READERS),
    "reports:report_generated /reports/documents/<int:pk>/generated/": Rule(obj="report", ok=READERS),
    "reports:report_issue /reports/documents/<int:pk>/issue/": Rule(obj="report", post=True, denied=READ_ONLY),
    "reports:term_list /reports/terms/": Rule(),
    "reports:term_delete /reports/terms/<int:pk>/remove/": Rule(obj="party_term", post=True, denied=READ_ONLY),
    "reports:report_docx /reports/documents/<int:pk>/report.docx": Rule(obj="report", ok=READERS),
    "reports:report_pdf /reports/documents/<int:pk>/report.pdf": Rule(obj="report", ok=READERS),
    "reports:report_prepare_docx /reports/documents/<int:pk>/prepare/docx/": Rule(obj="report", post=True, ok=READERS),
    "reports:report_prepare_pdf /reports/documents/<int:pk>/prepare/pdf/": Rule(obj="report", post=True, ok=READERS),
    "reports:report_file_docx /reports/documents/<int:pk>/file/docx/": Rule(obj="report", ok=READERS),
    "reports:report_file_pdf /reports/documents/<int:pk>/file/pdf/": Rule(obj="report", ok=READERS),
    # The table key the matrix fills in names no table: every role answers as for a missing report.
    "reports:report_table_export /reports/documents/<int:pk>/tables/<slug:key>.xlsx": Rule(obj="report"),
    "reports:template_detail /reports/templates/<int:pk>/": Rule(obj="report_template", ok=READERS),
    # Readers who may not write answer as for a missing template: a copy needs an office to own it.
    "reports:template_copy /reports/templates/<int:pk>/copy/": Rule(obj="report_template", post=True),
    "set_language /i18n/setlang/": Rule(public=True),
    "web:home /": Rule(),
    "web:set_language /language/": Rule(public=True),
    "web:switch_unit /unit/switch/": Rule(),
    "web:unit_options /unit/options/": Rule(),
}


def discovered() -> set[str]:
    operations = {f"{method.upper()} {path}" for method, path in api_operations(Client())}
    return operations | {f"{name} {route}" for name, route in page_patterns()}


def test_every_endpoint_and_url_has_an_entry():
    found = discovered()
    assert sorted(found - set(MATRIX)) == [], "new endpoints need an entry in MATRIX"
    assert sorted(set(MATRIX) - found) == [], "entries for endpoints that no longer exist"


def test_every_role_gets_the_declared_answer(tree, client_for):
    objects = build_objects(tree)
    clients = build_clients(tree, client_for, objects)
    problems = []
    for key, rule in MATRIX.items():
        _seen, found = check(clients, objects, key, rule)
        problems += [f"{key}: {problem}" for problem in found]
    assert problems == []


def test_django_admin_sends_the_signed_out_to_its_sign_in_page(db):
    answer = Client().get("/admin/")
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]
