"""Report templates and reports: outline validation, drafts from the default template, the
officer's texts saved as versions, numbering per issuing unit, type and term never reused, the
generated content equal to the rollup, and scope."""

from __future__ import annotations

import datetime as dt

import pytest

from lantoa.accounts.tests.factories import make_user
from lantoa.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.org.rollup import rollup
from lantoa.reports.documents.outline import parse_outline
from lantoa.reports.models import Report, ReportTemplate, ReportVersion
from lantoa.reports.narrative import Num, plain
from lantoa.reports.report_permissions import access_report, access_template
from lantoa.reports.report_selectors import report_content, report_document
from lantoa.reports.report_services import (
    Letterhead,
    numbering_term,
    report_create,
    report_issue,
    report_save,
    suggested_abbreviation,
    template_copy,
    template_default,
    template_update,
)

pytestmark = pytest.mark.django_db

HEAD = Letterhead(
    superior="Tỉnh ủy Thử Nghiệm",
    issuer="Ban Tuyên giáo và Dân vận",
    issuer_abbreviation="BTGDVTU",
    place="Thử Nghiệm",
    signer_on_behalf="T/M BAN THƯỜNG VỤ",
    signer_position="PHÓ TRƯỞNG BAN",
    signer_name="Nguyễn Văn Hùng",
)


def default_template() -> ReportTemplate:
    """The shared template the migration seeds."""
    return template_default()


def draft(unit, by, **changes):  # type: ignore[no-untyped-def]
    values = {
        "by": by,
        "unit": unit,
        "template": default_template(),
        "start": dt.date(2022, 1, 1),
        "end": dt.date(2022, 6, 30),
        "structure": "historical",
        "letterhead": HEAD,
    } | changes
    return report_create(**values)


def test_the_default_template_is_seeded_in_vietnamese_and_valid():
    template = default_template()
    assert template.subtitle.startswith("Kết quả công tác tuyên truyền, học tập, quán triệt")
    kinds = {section.kind for section in parse_outline(template.outline)}
    assert kinds == {"text", "narrative", "table", "chart"}


@pytest.mark.parametrize(
    ("outline", "where"),
    [
        ([], None),
        ([{"key": "a", "kind": "poem"}], "sections[0].kind"),
        ([{"key": "a", "kind": "text"}, {"key": "a", "kind": "text"}], "sections[1].key"),
        ([{"key": "A B", "kind": "text"}], "sections[0].key"),
        ([{"key": "a", "kind": "narrative", "indicators": ["nope"]}], "sections[0].indicators"),
        ([{"key": "a", "kind": "narrative"}], "sections[0].indicators"),
        (
            [{"key": "a", "kind": "chart", "indicators": ["conferences_held", "copies_printed"]}],
            "sections[0].indicators",
        ),
        ([{"key": "a", "kind": "text", "indicators": ["conferences_held"]}], "sections[0].indicators"),
        ([{"key": "a", "kind": "text", "title": "x" * 201}], "sections[0].title"),
        ([{"key": "a", "kind": "text", "colour": "red"}], "sections[0]"),
    ],
)
def test_a_bad_outline_is_refused_with_where(outline, where):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as error:
        parse_outline(outline)
    if where:
        assert where in error.value.extra["problems"]


def test_an_office_copies_the_template_and_reorders_removes_and_adds_sections(tree, admin_user):  # type: ignore[no-untyped-def]
    copy = template_copy(by=admin_user, template=default_template(), unit=tree.province)
    outline = [*list(reversed(copy.outline[:3])), {"key": "them", "kind": "text", "title": "IV. KIẾN NGHỊ"}]
    updated, changed = template_update(
        by=admin_user,
        template=copy,
        name="Mẫu của Ban",
        format="state",
        title="BÁO CÁO",
        subtitle="Sơ kết",
        outline=outline,
        recipients="Lưu VT.",
    )
    assert changed and [s["key"] for s in updated.outline] == ["hoc-tap", "ket-qua", "mo-dau", "them"]
    assert AuditEntry.objects.filter(action="lantoa.reports.report_template.changed", target_id=str(copy.pk)).exists()
    # A bad outline changes nothing.
    with pytest.raises(ValidationFailed):
        template_update(
            by=admin_user,
            template=updated,
            name="Mẫu",
            format="state",
            title="BÁO CÁO",
            subtitle="",
            outline=[{"key": "x", "kind": "table", "indicators": []}],
            recipients="",
        )
    assert len(ReportTemplate.objects.get(pk=copy.pk).outline) == 4
    # The shared template itself is read-only; the copy belongs to the province's office.
    with pytest.raises(PermissionDenied):
        access_template(by=admin_user, pk=default_template().pk, write=True)
    assert access_template(by=admin_user, pk=copy.pk, write=True) == copy


def test_saving_texts_keeps_versions_and_refuses_stale_or_unknown(tree, admin_user):  # type: ignore[no-untyped-def]
    report = draft(tree.province, admin_user)
    assert report.version == 1 and report.texts["mo-dau"].startswith("Thực hiện sự chỉ đạo")
    report, changed = report_save(
        by=admin_user, report=report, texts={"uu-diem": "Cấp ủy vào cuộc."}, expected_version=1
    )
    assert changed and report.version == 2
    assert list(ReportVersion.objects.filter(report=report).values_list("number", flat=True)) == [2, 1]
    _same, changed = report_save(by=admin_user, report=report, texts={"uu-diem": "Cấp ủy vào cuộc."})
    assert not changed
    with pytest.raises(Conflict):
        report_save(by=admin_user, report=report, texts={"uu-diem": "Khác"}, expected_version=1)
    with pytest.raises(ValidationFailed) as error:
        report_save(by=admin_user, report=report, texts={"khong-co": "x"})
    assert "texts.khong-co" in error.value.extra["problems"]
    assert Report.objects.get(pk=report.pk).texts["uu-diem"] == "Cấp ủy vào cuộc."


def test_numbers_run_per_unit_type_and_term_and_are_never_reused(tree, admin_user):  # type: ignore[no-untyped-def]
    day = dt.date(2022, 8, 5)
    first, issued = report_issue(by=admin_user, report=draft(tree.province, admin_user), day=day)
    second, _ = report_issue(by=admin_user, report=draft(tree.province, admin_user), day=day)
    assert issued and (first.number, second.number) == (1, 2) and first.term == "2020-2025"
    # Issuing again changes nothing; an issued report's text is locked.
    again, issued = report_issue(by=admin_user, report=first, day=dt.date(2022, 9, 1))
    assert not issued and again.number == 1 and again.issued_on == day
    with pytest.raises(Conflict):
        report_save(by=admin_user, report=first, texts={"uu-diem": "Sửa sau khi ban hành"})
    # A removed report's number is not given again.
    second.delete()
    third, _ = report_issue(by=admin_user, report=draft(tree.province, admin_user), day=day)
    assert third.number == 3
    # Another unit, another type, another term: counters of their own.
    other, _ = report_issue(by=admin_user, report=draft(tree.district_a, admin_user), day=day)
    plan, _ = report_issue(by=admin_user, report=draft(tree.province, admin_user, document_type="KH"), day=day)
    later, _ = report_issue(by=admin_user, report=draft(tree.province, admin_user), day=dt.date(2026, 1, 5))
    assert (other.number, plan.number, later.number, later.term) == (1, 1, 1, "2025-2030")
    state, _ = report_issue(by=admin_user, report=draft(tree.province, admin_user, format="state"), day=day)
    assert (state.number, state.term) == (1, "2022")
    # Another issuing body of the same unit (the committee itself, not its commission) counts apart.
    committee = Letterhead(superior="", issuer="Tỉnh ủy Thử Nghiệm", issuer_abbreviation="TU", place="Thử Nghiệm")
    own, _ = report_issue(by=admin_user, report=draft(tree.province, admin_user, letterhead=committee), day=day)
    assert own.number == 1


def test_terms_and_abbreviations():  # type: ignore[no-untyped-def]
    assert numbering_term("party", dt.date(2024, 12, 31)) == "2020-2025"
    assert numbering_term("state", dt.date(2024, 12, 31)) == "2024"
    assert suggested_abbreviation("Ban Tuyên giáo và Dân vận Tỉnh ủy") == "BTGVDVTU"


def test_bad_drafts_are_refused_with_every_problem(tree, admin_user):  # type: ignore[no-untyped-def]
    bad = Letterhead(superior="", issuer="", issuer_abbreviation="btg dv", place="")
    with pytest.raises(ValidationFailed) as error:
        draft(tree.province, admin_user, letterhead=bad, end=dt.date(2021, 1, 1), structure="sideways")
    assert {"issuer", "issuer_abbreviation", "place", "end", "structure"} <= set(error.value.extra["problems"])
    assert not Report.objects.exists()


def test_generated_figures_equal_the_rollup_and_link_to_their_records(figures, admin_user):  # type: ignore[no-untyped-def]
    tree = figures
    report = draft(tree.province, admin_user)
    content = report_content(report)
    codes = ["conferences_held", "online_bridge_points", "conference_attendances"]
    pair = (report.start, report.end)
    table = rollup(units=[tree.province], periods=[pair], codes=codes, structure="historical")
    narrative = content.section("so-lieu-hoi-nghi")
    assert narrative is not None
    numbers = [part for part in narrative.parts if isinstance(part, Num)]
    assert [n.value for n in numbers] == [table.value(tree.province, pair, code) for code in codes]
    assert plain(narrative.parts).startswith(
        "Từ tháng 1/2022 đến tháng 6/2022, Đảng bộ tỉnh Thử Nghiệm đã tổ chức 2 hội nghị"
    )
    assert numbers[0].url.startswith("/?unit=P&start=2022-01-01&end=2022-06-30&structure=historical")
    rows = content.section("bang-hoi-nghi").table  # type: ignore[union-attr]
    assert rows is not None and {row.code for row in rows.rows} == {"P-A", "P-B", "P-K"}
    for row in rows.rows:  # no data is "—", never 0
        assert all((cell == "—") == (value is None) for cell, value in zip(row.cells, row.values, strict=True))
    assert rows.total.values == [table.value(tree.province, pair, code) for code in codes]
    document = report_document(content, base_url="https://lantoa.example")
    linked = [part for block in document.blocks for part in getattr(block, "parts", []) if isinstance(part, Num)]
    assert linked and all(part.url.startswith("https://lantoa.example/?unit=P") for part in linked)


def test_another_units_report_answers_like_a_missing_one(tree, admin_user, officer_a):  # type: ignore[no-untyped-def]
    report = draft(tree.district_b, admin_user)
    with pytest.raises(NotFound) as out_of_scope:
        access_report(by=officer_a, pk=report.pk)
    with pytest.raises(NotFound) as missing:
        access_report(by=officer_a, pk=report.pk + 1000)
    assert out_of_scope.value.code == missing.value.code
    inspector = make_user(role="inspector", unit=tree.province, username="inspector2")
    assert access_report(by=inspector, pk=report.pk) == report
    with pytest.raises(PermissionDenied):
        access_report(by=inspector, pk=report.pk, write=True)
