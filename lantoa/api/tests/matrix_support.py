"""The fixtures and requests behind the authorization matrix (test_authorization_matrix.py).

One small tree (conftest's ``tree``), one object of each kind in commune A1, one signed-in
client per role. An officer of commune B1 is the "officer out of scope": for them every A1
object must answer exactly as a missing id does.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

MISSING_ID = 10**6
MISSING_CODE = "NO-SUCH-UNIT"
ROLES = (
    "administrator",
    "manager",
    "officer_in",
    "officer_out",
    "inspector",
    "viewer",
    "propagandist",
    "anonymous",
)
WRITE_METHODS = {"post", "put", "patch", "delete"}
# Path parameters and the fixture object each names.
API_PARAMETERS = {
    "code": "unit",
    "person_id": "person",
    "role_id": "role",
    "group_id": "group",
    "membership_id": "membership",
    "activity_id": "activity",
    "document_id": "document",
    "run_id": "print_run",
    "conference_id": "conference",
    "point_id": "point",
    "series_id": "series",
    "bank_id": "bank",
    "question_id": "question",
    "contest_id": "contest",
    "eligible_id": "eligible",
    "round_id": "round",
    "attempt_id": "attempt",
    "claim_id": "claim",
    "competition_id": "competition",
    "stage_id": "stage",
    "sheet_id": "sheet",
    "rubric_id": "rubric",
    "entry_id": "entry",
    "campaign_id": "campaign",
    "assessment_id": "assessment",
    "evidence_id": "evidence_file",
    "data_set_id": "data_set",
    "request_id": "data_request",
    "assignment_id": "assignment",
    "report_id": "report",
    "template_id": "report_template",
    "term_id": "party_term",
    "programme_id": "programme",
    "task_id": "task",
    "requirement_id": "requirement",
    "recommendation_id": "recommendation",
    "inspection_id": "inspection",
    "follow_up_id": "follow_up",
    "file_id": "inspection_file",
    "plan_id": "inspection_plan",
    "survey_id": "survey",
    "section_id": "survey_section",
    "section_pk": "survey_section",
    "question_pk": "survey_question",
    "batch_pk": "survey_batch",
}
PARAMETER = re.compile(r"\{(\w+)\}|<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Rule:
    """What an endpoint answers. ``public``: anonymous callers are served (no 401, no redirect to
    the sign-in page). ``obj``: the fixture object its main path parameter names (None: no object,
    or one the matrix does not build). ``ok``: the roles served the A1 object by a read; ``denied``:
    roles that see the object but are refused the action (403). Every other role answers exactly
    as for a missing id."""

    public: bool = False
    obj: str | None = None
    ok: frozenset[str] = field(default_factory=frozenset)
    denied: frozenset[str] = field(default_factory=frozenset)
    body_first: bool = False  # an empty body is refused (422) before any gate, for every role
    post: bool = False  # an HTML URL that only takes POST


def api_operations(client: Client) -> list[tuple[str, str]]:
    schema = client.get("/api/v1/openapi.json").json()
    return sorted((method, path) for path, ops in schema["paths"].items() for method in ops)


def page_patterns() -> list[tuple[str, str]]:
    """(name, route) of every named HTML URL pattern (the API and Django's admin aside)."""
    found: list[tuple[str, str]] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str | None) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
                walk(entry, prefix + str(entry.pattern), inner or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                found.append((name, prefix + str(entry.pattern)))

    walk(get_resolver(), "/", None)
    return sorted({(n, r) for n, r in found if not n.startswith(("api:", "admin:"))})


def fill(route: str, objects: dict[str, Any], main: str | None, *, missing: bool = False) -> str:
    """The route with its parameters filled from ``objects`` (the main one replaced by a missing
    id or code when ``missing``)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        kind = API_PARAMETERS.get(name) or (main if name == "pk" else main if name == "code" else None)
        if kind is None:
            return {"fmt": "svg", "slug": "no-such-slug", "code": "no-such-code"}.get(name, str(MISSING_ID))
        if main is not None and main.endswith("_" + kind):
            kind = main  # a particular object of that kind (the "awarded_stage" for the "stage_id")
        if missing and kind == main:
            return MISSING_CODE if kind == "unit" else str(MISSING_ID)
        if kind == "membership" and name == "group_id":
            kind = "group"
        target = objects[kind]
        return target.code if kind == "unit" else str(target.pk)

    return PARAMETER.sub(value, route).replace("^", "").replace("$", "")


def call(client: Client, method: str, path: str, *, page: bool = False) -> Any:
    if method == "get":
        return client.get(path)
    if page:
        return client.post(path, {})
    return getattr(client, method)(path, "{}", content_type="application/json")


MUTATING_ROLES = {"administrator", "manager", "officer_in"}


def check(
    clients: dict[str, Client], objects: dict[str, Any], key: str, rule: Rule
) -> tuple[dict[str, int], list[str]]:
    """Every role's answer for one endpoint (``"METHOD /api/v1/…"`` or a URL name with its
    route after a space), and what disagrees with ``rule``."""
    page = not key.startswith(("GET ", "POST ", "PUT ", "PATCH ", "DELETE "))
    method, route = key.split(" ", 1)
    if page:
        method = "post" if rule.post else "get"
    method = method.lower()
    seen: dict[str, int] = {}
    problems: list[str] = []
    anonymous = call(clients["anonymous"], method, fill(route, objects, rule.obj), page=page)
    seen["anonymous"] = anonymous.status_code
    to_login = anonymous.status_code == 302 and "/login" in anonymous.get("Location", "")
    refused = to_login if page else anonymous.status_code == 401
    if rule.public == refused:
        problems.append(f"anonymous: {anonymous.status_code} (public={rule.public})")
    if not page and refused and set(anonymous.json()) != {"code", "message", "extra"}:
        problems.append("anonymous: 401 without the error shape")
    if rule.obj is None:
        return seen, problems
    writes = rule.post or (not page and method in WRITE_METHODS)
    hidden_key = objects[rule.obj].code if rule.obj == "unit" else str(objects[rule.obj].pk)
    for role in ROLES:
        if role == "anonymous" or (writes and role in MUTATING_ROLES):
            continue
        client = clients[role]
        hidden = call(client, method, fill(route, objects, rule.obj), page=page)
        seen[role] = hidden.status_code
        if hidden.status_code >= 500:
            problems.append(f"{role}: {hidden.status_code}")
        elif rule.body_first:
            if hidden.status_code != 422:
                problems.append(f"{role}: {hidden.status_code}, expected 422 before any gate")
        elif role in rule.ok:
            if hidden.status_code >= 400:
                problems.append(f"{role}: {hidden.status_code}, expected to be served")
        elif role in rule.denied:
            if hidden.status_code != 403:
                problems.append(f"{role}: {hidden.status_code}, expected 403")
        else:
            missing = call(client, method, fill(route, objects, rule.obj, missing=True), page=page)
            if hidden.status_code != 404 or not same_as_missing(hidden, missing, hidden_key):
                problems.append(f"{role}: {hidden.status_code}, expected exactly the answer for a missing id")
    return seen, problems


def _closed_round(unit: Any) -> Any:
    """A round of another contest of the unit, closed with prizes (its certificates print)."""
    from lantoa.contests.services import round_close
    from lantoa.contests.tests.results_data import entry, past_round, person

    round_ = past_round(unit)
    entry(round_, person(round_, unit), score=1)
    round_close(by=None, round_=round_)
    return round_


def _claim(round_: Any) -> Any:
    """The prize winner's claim of a closed round."""
    from lantoa.contests.models import Round
    from lantoa.contests.services.claims import ClaimData, claim_submit

    round_ = Round.objects.get(pk=round_.pk)
    winner = round_.results.get(prize=True).contestant
    data = ClaimData(
        method="bank", payee_name="LO VAN AN", bank_account="0123456789", bank_name="Agribank", phone="0912345678"
    )
    return claim_submit(contestant=winner, round_=round_, data=data)


def _eligible(contest: Any) -> Any:
    """Someone on the contest's list (a list is kept for a public contest too)."""
    from lantoa.contests.services.eligible import eligible_import
    from lantoa.contests.tests.test_external_io import workbook

    eligible_import(
        by=None, contest=contest, file=workbook([["Lò Thị Mai", "P-A-1", ""]], header=["Họ và tên", "Mã đơn vị"])
    )
    return contest.eligible.get()


def build_objects(tree: Any) -> dict[str, Any]:
    """One object of each kind in commune A1, made through the services."""
    from lantoa.contests.services import attempt_start
    from lantoa.contests.tests.factories import make_bank, make_contest, make_contestant, make_question, make_round
    from lantoa.library.defaults import load_defaults as library_defaults
    from lantoa.library.models import Document, DocumentKind
    from lantoa.library.services import (
        AllocationData,
        DocumentData,
        FileUpload,
        document_create,
        print_run_create,
        version_create,
    )
    from lantoa.library.tests.test_documents import docx_upload
    from lantoa.meetings.defaults import load_defaults as meetings_defaults
    from lantoa.meetings.models import ConferenceKind, Level
    from lantoa.meetings.services import SeriesData, series_create
    from lantoa.meetings.tests.factories import make_conference
    from lantoa.people.services import ActivityData, activity_record, group_member_add
    from lantoa.people.tests.factories import activity_kind, ensure_kinds, make_group, make_person, make_role

    ensure_kinds()
    closed_round = _closed_round(tree.commune_a1)
    library_defaults(DocumentKind)
    meetings_defaults(ConferenceKind)
    a1 = tree.commune_a1
    person = make_person(home_unit=a1, given_name="An")
    role = make_role(person, "propagandist", tree.cell_a1)
    group = make_group("outreach_board", a1)
    membership = group_member_add(by=None, group=group, person=person, valid_from=dt.date(2022, 1, 1))
    activity = activity_record(
        by=None,
        data=ActivityData(unit=a1, held_on=dt.date(2024, 5, 2), kind=activity_kind(), topic="Chủ đề", people_reached=9),
    ).obj
    conference = make_conference(a1, sites=[tree.cell_a1], level=Level.COMMUNE)
    series = series_create(
        by=None,
        data=SeriesData(
            title="Sinh hoạt chuyên đề",
            kind=ConferenceKind.objects.get(code="resolution_study"),
            organiser=a1,
            level=Level.COMMUNE,
            recurrence="monthly",
            starts_at_time=dt.time(8, 0),
        ),
    )
    document = document_create(
        by=None,
        data=DocumentData(
            kind=DocumentKind.objects.order_by("pk").first(),  # type: ignore[arg-type]
            title="Tài liệu của xã",
            owner_unit=a1,
            visibility=Document.Visibility.SUBTREE,
            visibility_unit=a1,
        ),
    )
    version = version_create(by=None, document=document, uploads=[FileUpload(docx_upload())])
    print_run = print_run_create(
        by=None,
        document=document,
        unit=a1,
        printed_on=dt.date(2024, 5, 1),
        copies=10,
        allocations=[AllocationData(unit=tree.cell_a1, copies=2, with_code=True)],
    )
    bank = make_bank(a1)
    question = make_question(bank)
    contest = make_contest(a1)
    round_ = make_round(contest, bank, questions_per_attempt=1)
    contestant, _key = make_contestant(contest, a1)
    judged = _judged_contest(tree)
    requested = _data_request(tree)
    reported = _report(tree)
    planned = _plans(tree)
    return {
        **judged,
        **planned,
        **requested,
        **reported,
        **_survey(tree),
        "unit": a1,
        "bank": bank,
        "question": question,
        "contest": contest,
        "eligible": _eligible(contest),
        "closed_round": closed_round,
        "claim": _claim(closed_round),
        "round": round_,
        "attempt": attempt_start(contestant=contestant, round_=round_).attempt,
        "person": person,
        "role": role,
        "group": group,
        "membership": membership,
        "activity": activity,
        "conference": conference,
        "point": conference.points.get(unit=tree.cell_a1),
        "series": series,
        "document": document,
        "print_run": print_run,
        "allocation": print_run.allocations.get(),
        "file": version.files.get(),
    }


def _survey(tree: Any) -> dict[str, Any]:
    """A survey of commune A1 with its questionnaire and a batch of cards."""
    from lantoa.surveys.services import batch_issue
    from lantoa.surveys.tests.factories import make_survey

    survey = make_survey(tree.commune_a1)
    section = survey.sections.get()
    return {
        "survey": survey,
        "survey_section": section,
        "survey_question": section.questions.order_by("pk").first(),
        "survey_batch": batch_issue(by=None, survey=survey, unit=tree.commune_a1, size=3),
    }


def _judged_contest(tree: Any) -> dict[str, Any]:
    """A judged contest of commune A1 with one stage, one juror (none of the matrix's roles) and
    one entry assigned to them: their sheet answers every other caller as missing."""
    from django.utils import timezone

    from lantoa.judging.audience.services import ballots_issue, poll_open
    from lantoa.judging.models import EntryStage, Stage
    from lantoa.judging.services import stage_assign
    from lantoa.judging.tests.factories import make_competition, make_entry, make_juror, make_rubric, make_stage

    a1 = tree.commune_a1
    rubric = make_rubric(a1)
    stage = make_stage(make_competition(a1), rubric, jurors_per_entry=1)
    make_juror(stage, tree.province)
    entry = make_entry(stage.competition, tree.cell_a1)
    stage_assign(by=None, stage=stage)
    # A stage of another contest of A1 whose results are computed, with a prize: its certificates.
    awarded = make_stage(make_competition(a1), rubric, jurors_per_entry=1)
    make_entry(awarded.competition, tree.cell_a1)
    Stage.objects.filter(pk=awarded.pk).update(results_computed_at=timezone.now())
    EntryStage.objects.filter(stage=awarded).update(rank=1, prize="Giải Nhất")
    # A stage of A1 with an audience vote and a batch of ballots: its ballots' PDF.
    voting = make_stage(make_competition(a1, kind="staged"), rubric, jurors_per_entry=1)
    opens = timezone.now()
    poll_open(by=None, stage=voting, opens_at=opens, closes_at=opens + dt.timedelta(hours=2))
    ballots_issue(by=None, stage=voting, count=2)
    # A criteria assessment run by A1 of its cell, submitted by the cell.
    from lantoa.judging.assessments.services import SubjectData, evidence_add
    from lantoa.judging.tests.assessment_helpers import criteria, evidence_upload, make_campaign, self_scores

    campaign = make_campaign(a1, [SubjectData(tree.cell_a1)], rubric=rubric)
    draft = campaign.assessments.get()
    evidence = evidence_add(
        by=None,
        assessment=draft,
        criterion_id=criteria(draft)[0].pk,
        side="self",
        upload=evidence_upload(),
    )
    assessment = self_scores(draft, ["8", "8", "8"])
    return {
        "campaign": campaign,
        "assessment": assessment,
        "evidence_file": evidence,
        "competition": stage.competition,
        "stage": stage,
        "awarded_stage": awarded,
        "voting_stage": voting,
        "sheet": stage.sheets.get(),
        "rubric": rubric,
        "entry": entry,
    }


def _plans(tree: Any) -> dict[str, Any]:
    """Commune A1's action programme with a task, its deadline for its cells, and its recommendation upward."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lantoa.plans.services import (
        InspectionData,
        PlannedData,
        RecommendationData,
        conclusion_add,
        inspection_create,
        inspection_file_add,
        inspection_plan_create,
        recommendation_send,
    )
    from lantoa.plans.tests.factories import make_document, make_programme, make_requirement, make_task, pdf_bytes

    a1 = tree.commune_a1
    document = make_document(a1)
    programme = make_programme(a1, document)
    recommendation = recommendation_send(
        by=None,
        data=RecommendationData(
            unit=a1,
            topic="Đào tạo",
            text="Đề nghị mở lớp.",
            sent_on=dt.date(2022, 8, 8),
            addressee_name="Ban Tuyên giáo",
        ),
    )
    inspection = inspection_create(
        by=None,
        data=InspectionData(
            unit=a1, title="Kiểm tra chi bộ", deciding_body="Đảng ủy xã", starts_on=dt.date(2022, 8, 8),
            ends_on=dt.date(2022, 8, 8), topics="Sinh hoạt chi bộ", inspected=(tree.cell_a1,),
        ),
    )  # fmt: skip
    conclusion = conclusion_add(
        by=None, inspection=inspection, text="Kiện toàn tổ tuyên vận.", owner_unit=tree.cell_a1,
        due_on=dt.date(2022, 9, 30),
    )  # fmt: skip
    minutes = inspection_file_add(
        by=None, inspection=inspection, upload=SimpleUploadedFile("bien-ban.pdf", pdf_bytes("Bien ban")),
        kind="minutes", dated_on=dt.date(2022, 8, 8),
    )  # fmt: skip
    plan = inspection_plan_create(
        by=None, unit=a1, year=2022, title="Kế hoạch kiểm tra năm 2022", decision_number="05-KH/ĐU",
        decided_on=dt.date(2022, 1, 10), items=(PlannedData(unit=tree.cell_a1, topic="Sinh hoạt chi bộ", month=8),),
    )  # fmt: skip
    return {
        "inspection": inspection,
        "inspection_plan": plan,
        "inspection_file": minutes,
        "follow_up": conclusion.follow_up,
        "programme": programme,
        "task": make_task(programme, owner_unit=tree.cell_a1),
        "requirement": make_requirement(a1, document, tier="village"),
        "recommendation": recommendation,
    }


def _data_request(tree: Any) -> dict[str, Any]:
    """A data set of the province sent to its communes: commune A1's assignment is the object
    (the request and the set, seen from the province, answer A1's officers as missing)."""
    from lantoa.reports.tests.requests_helpers import make_request

    request = make_request(tree.province)
    return {
        "data_set": request.data_set,
        "data_request": request,
        "assignment": request.assignments.get(unit=tree.commune_a1),
    }


def _report(tree: Any) -> dict[str, Any]:
    """A draft report of commune A1 from the shared template, and the commune's copy of it."""
    from lantoa.reports.report_services import Letterhead, report_create, template_copy, template_default

    a1 = tree.commune_a1
    template = template_copy(by=None, template=template_default(), unit=a1)
    report = report_create(
        by=None,
        unit=a1,
        template=template,
        start=dt.date(2022, 1, 1),
        end=dt.date(2022, 6, 30),
        structure="historical",
        letterhead=Letterhead(superior="", issuer="Đảng ủy xã", issuer_abbreviation="ĐU", place="Quang Kim"),
    )
    from lantoa.reports.terms import term_add

    term = term_add(by=None, unit=a1, name="2020-2025", starts_on=dt.date(2020, 8, 1))
    return {"report": report, "report_template": template, "party_term": term}


def build_clients(tree: Any, client_for: Any, objects: dict[str, Any]) -> dict[str, Client]:
    from lantoa.accounts.tests.factories import make_user
    from lantoa.people.services import person_link_user

    users = {
        "administrator": make_user(role="administrator", unit=tree.province, username="m_admin"),
        "manager": make_user(role="manager", unit=tree.province, username="m_manager"),
        "officer_in": make_user(role="officer", unit=tree.commune_a1, username="m_officer_in"),
        "officer_out": make_user(role="officer", unit=tree.commune_b1, username="m_officer_out"),
        "inspector": make_user(role="inspector", unit=tree.province, username="m_inspector"),
        "viewer": make_user(role="viewer", unit=tree.province, username="m_viewer"),
        "propagandist": make_user(username="m_propagandist"),
    }
    person_link_user(by=None, person=objects["person"], user=users["propagandist"])
    clients = {role: client_for(user) for role, user in users.items()}
    clients["anonymous"] = Client()
    return clients


def same_as_missing(hidden: Any, missing: Any, hidden_key: str) -> bool:
    """The out-of-scope answer is the missing-id answer: status, and for JSON the code, the
    message and ``extra`` (the id or code asked for, which each names, aside)."""
    if hidden.status_code != missing.status_code:
        return False
    if "json" not in hidden.get("Content-Type", ""):
        return True
    a, b = hidden.json(), missing.json()
    if not isinstance(a, dict) or not isinstance(b, dict):
        return bool(a == b)
    asked = {hidden_key, str(MISSING_ID), MISSING_CODE}

    def normal(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: normal(v) for k, v in value.items()}
        if isinstance(value, list):
            return [normal(v) for v in value]
        if str(value) in asked:
            return "ID"
        if isinstance(value, str):
            for key in asked:
                value = re.sub(rf"(?<![\w-]){re.escape(key)}(?![\w-])", "ID", value)
        return value

    return all(normal(a.get(key)) == normal(b.get(key)) for key in ("code", "message", "extra"))
