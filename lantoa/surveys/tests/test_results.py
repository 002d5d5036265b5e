"""Response rates, suppressed results in both structures, the indicators and the organiser's pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lantoa.accounts.tests.factories import make_user
from lantoa.org.restructuring import event_apply
from lantoa.org.rollup import indicator_values
from lantoa.org.tests.factories import make_unit
from lantoa.surveys import services
from lantoa.surveys.models import QuestionKind
from lantoa.surveys.selectors import CURRENT, HISTORICAL, TOP, response_rates, survey_results
from lantoa.surveys.tests.factories import answer_many, issue, make_survey, values_for

pytestmark = pytest.mark.django_db

SPRING = dt.date(2025, 5, 10)


def _spring_survey(tree):  # type: ignore[no-untyped-def]
    survey = make_survey(tree.province, opens_on=dt.date(2025, 3, 1), closes_on=dt.date(2025, 6, 30))
    for unit, count, choice in ((tree.commune_a1, 12, 0), (tree.commune_b1, 15, 1)):
        codes = services.batch_issue(
            by=None, survey=survey, unit=unit, size=count + 5, today=SPRING
        ).tokens.values_list("code", flat=True)
        for code in list(codes)[:count]:
            services.answer_with_token(code=code, values=values_for(survey, choice=choice), today=SPRING)
    return survey


def _single(results):  # type: ignore[no-untyped-def]
    return next(q for q in results.questions if q.version.kind == QuestionKind.SINGLE)


def _row(question, key):  # type: ignore[no-untyped-def]
    return next(cells for row, cells in question.rows if row.key == key)


def test_answers_of_a_merged_commune_follow_it_only_in_todays_structure(tree) -> None:
    survey = _spring_survey(tree)
    event_apply(
        by=None, kind="merge", effective_on=dt.date(2025, 7, 1), payload={"predecessors": ["P-A-1"], "into": "P-B-1"}
    )

    def indicator(unit, structure):  # type: ignore[no-untyped-def]
        found = indicator_values(
            unit=unit,
            start=dt.date(2025, 1, 1),
            end=dt.date(2025, 12, 31),
            codes=["survey_answers", "survey_response_rate"],
            structure=structure,
        )
        return {value.indicator.code: value.value for value in found}

    assert indicator(tree.district_a, "historical")["survey_answers"] == 12
    assert indicator(tree.district_b, "historical")["survey_answers"] == 15
    assert indicator(tree.district_b, "current")["survey_answers"] == 27
    assert indicator(tree.province, "current")["survey_answers"] == 27
    assert float(indicator(tree.district_b, "current")["survey_response_rate"]) == pytest.approx(100 * 27 / 37, abs=0.1)

    historical = {rate.row.key: (rate.issued, rate.answers) for rate in response_rates(survey, structure=HISTORICAL)}
    assert historical[tree.district_a.pk] == (17, 12)
    assert historical[tree.district_b.pk] == (20, 15)
    current = {rate.row.key: (rate.issued, rate.answers) for rate in response_rates(survey, structure=CURRENT)}
    assert tree.district_a.pk not in current
    assert current[tree.district_b.pk] == (37, 27)
    assert current[TOP] == (37, 27)

    then = _single(survey_results(survey, structure=HISTORICAL))
    assert {row.key for row, _cells in then.rows} == {TOP, tree.district_a.pk, tree.district_b.pk}
    now = _single(survey_results(survey, structure=CURRENT))
    assert {row.key for row, _cells in now.rows} == {TOP, tree.district_b.pk}
    assert [cell.value for cell in _row(now, tree.district_b.pk)] == [12, 15, 27]


def test_small_cells_are_hidden_with_their_complements(tree) -> None:
    survey = _spring_survey(tree)  # A1: 12 × "Có"; B1: 15 × "Không"
    question = _single(survey_results(survey))
    a_row = _row(question, tree.district_a.pk)
    b_row = _row(question, tree.district_b.pk)
    top = _row(question, TOP)
    # A1 has 0 "Không" and B1 0 "Có" (below 10): hidden, and so is what would give them away.
    assert a_row[1].value is None and b_row[0].value is None
    shown = {
        (key, index)
        for key, cells in ((1, a_row), (2, b_row), (0, top))
        for index, cell in enumerate(cells)
        if cell.value is not None
    }
    assert (0, 2) in shown  # the whole audience's total: 27
    assert top[2].value == 27
    for cells in (a_row, b_row, top):
        for cell in cells[:-1]:
            assert cell.percent is None or cell.value is not None


def test_free_text_only_for_groups_of_ten(tree) -> None:
    survey = make_survey(tree.province)
    answer_many(survey, tree.commune_a1, 9, text="Ý kiến")
    texts = next(q for q in survey_results(survey).questions if q.version.kind == QuestionKind.TEXT)
    assert texts.texts == [] and texts.texts_withheld
    answer_many(survey, tree.commune_b1, 1, text="Một ý kiến khác")
    texts = next(q for q in survey_results(survey).questions if q.version.kind == QuestionKind.TEXT)
    assert sorted(texts.texts) == sorted(["Ý kiến"] * 9 + ["Một ý kiến khác"])


@pytest.fixture
def organiser(tree):  # type: ignore[no-untyped-def]
    return make_user(role="officer", unit=tree.province, username="organiser")


def test_out_of_scope_answers_like_missing(tree, officer_a, client_for) -> None:
    survey = make_survey(tree.province)
    client = client_for(officer_a)
    hidden = client.get(reverse("surveys:results", args=[survey.pk]))
    missing = client.get(reverse("surveys:results", args=[999_999]))
    assert hidden.status_code == missing.status_code == 404
    assert client.get(reverse("surveys:detail", args=[survey.pk])).status_code == 404
    own = make_survey(tree.commune_a1)
    assert client.get(reverse("surveys:detail", args=[own.pk])).status_code == 200


def test_organiser_pages_build_issue_and_read(tree, organiser, client_for) -> None:
    client = client_for(organiser)
    response = client.post(
        reverse("surveys:new"),
        {
            "owner": tree.province.code,
            "audience_root": tree.province.code,
            "title_vi": "Khảo sát sau hội nghị",
            "opens_on": dt.date.today().isoformat(),
            "closes_on": (dt.date.today() + dt.timedelta(days=20)).isoformat(),
            "mode": "tokens",
            "template": "study_conference",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    from lantoa.surveys.models import Survey

    survey = Survey.objects.get(title_vi="Khảo sát sau hội nghị")
    section = survey.sections.first()
    assert section is not None
    refused = client.post(
        reverse("surveys:question_new", args=[survey.pk, section.pk]),
        {"kind": "text", "text_vi": "Số điện thoại của đồng chí"},
    )
    assert refused.status_code == 200
    assert "không được hỏi số điện thoại" in refused.content.decode()
    warned = client.post(
        reverse("surveys:question_new", args=[survey.pk, section.pk]),
        {"kind": "single", "text_vi": "Đồng chí có theo tôn giáo nào không?", "options": "Có\nKhông"},
        follow=True,
    )
    assert 'data-testid="sensitive-flag"' in warned.content.decode()
    assert client.post(reverse("surveys:status", args=[survey.pk]), {"status": "open"}).status_code == 302
    assert (
        client.post(
            reverse("surveys:batch_new", args=[survey.pk]), {"unit": tree.commune_a1.pk, "size": 12}
        ).status_code
        == 302
    )
    batch = survey.batches.get()
    pdf = client.get(reverse("surveys:batch_cards", args=[survey.pk, batch.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    values = {
        version.question_id: [str(version.options.values_list("pk", flat=True)[0])]
        if version.options.exists()
        else ["3"]
        for version in services.current_versions(survey)
        if version.kind in (QuestionKind.SINGLE, QuestionKind.RATING)
    }
    for code in batch.tokens.values_list("code", flat=True)[:11]:
        services.answer_with_token(code=code, values=values)
    page = client.get(reverse("surveys:results", args=[survey.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "dưới 10 phiếu trả lời, hoặc có thể tính ra từ các ô đang hiển thị" in html
    assert "91,7 %" in html or "91.7 %" in html  # 11 of 12 cards answered
    export = client.get(reverse("surveys:results_xlsx", args=[survey.pk]) + "?structure=current")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    assert any(cell.value == "—" for row in sheet.iter_rows() for cell in row) or sheet.max_row > 3


def test_results_page_queries_do_not_grow_with_units(tree, organiser, client_for) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    survey = make_survey(tree.province, audience_root=tree.district_a)
    client = client_for(organiser)

    def add_communes(count: int) -> None:
        for index in range(count):
            commune = make_unit(parent=tree.district_a, name=f"Xã {index}")
            for code in issue(survey, commune, 2):
                services.answer_with_token(code=code, values=values_for(survey, choice=index % 2, text="ý kiến"))

    def queries() -> int:
        client.get(reverse("surveys:results", args=[survey.pk]))  # session and caches warm
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("surveys:results", args=[survey.pk]))
        assert response.status_code == 200
        return len(captured.captured_queries)

    add_communes(3)
    few = queries()
    add_communes(27)
    assert queries() == few


def test_a_running_survey_follows_its_merged_unit(tree) -> None:
    running = make_survey(tree.commune_a1)
    closed = make_survey(tree.commune_a1)
    services.survey_set_status(by=None, survey=closed, status="closed")
    report = event_apply(
        by=None, kind="merge", effective_on=dt.date(2025, 7, 1), payload={"predecessors": ["P-A-1"], "into": "P-B-1"}
    )
    running.refresh_from_db()
    closed.refresh_from_db()
    assert (running.owner_id, running.audience_root_id) == (tree.commune_b1.pk, tree.commune_b1.pk)
    assert (closed.owner_id, closed.audience_root_id) == (tree.commune_a1.pk, tree.commune_a1.pk)
    assert sum(1 for change in report.pointers if change.what == "survey") == 2
