import datetime as dt
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from lantoa.accounts.models import Assignment, User
from lantoa.demo import build as demo
from lantoa.org import selectors
from lantoa.org.models import Unit
from lantoa.org.tests.factories import make_unit

pytestmark = pytest.mark.django_db

FUNCTIONAL = {"VN10-KCQ", "VN10-KDN", "VN10-QS", "VN10-CA", "VN10-BP"}
AS_WAS = dt.date(2022, 7, 1)
REORGANISED = dt.date(2025, 7, 1)
EXPECTED_ROLES = {
    "admin": ("administrator", "VN10"),
    "quanly": ("manager", "VN10"),
    "canbo.batxat": ("officer", "VN10-082"),
    "thanhtra": ("inspector", "VN10"),
    "xem": ("viewer", "VN10"),
}
# From 1 July 2025, for the users whose units closed in the reorganisation.
EXPECTED_ROLES_2025 = {"canbo.batxat": ("officer", "VN10-25-02683"), "canbo.xa": ("officer", "VN10-25-02686")}


@pytest.fixture(autouse=True)
def forget_content_types():
    yield
    # demo --reset flushes and recreates content types inside the test's transaction, which is
    # then rolled back: the cached ids would no longer match the rows the next test sees.
    ContentType.objects.clear_cache()


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_builds_the_lao_cai_organisation_and_one_login_per_role():
    output = run_demo()

    # As it was: 9 district-tier and 5 functional committees, and the commission.
    province = Unit.objects.get(code="VN10")
    children = {unit.code: unit for unit in selectors.unit_children(province, as_of=AS_WAS)}
    committees = {code for code, unit in children.items() if unit.kind.code != "commission"}
    assert len(committees) == 14
    assert FUNCTIONAL.issubset(committees)
    assert selectors.unit_names(children["VN10-BTG"]).first().name == "Ban Tuyên giáo Tỉnh ủy"
    assert all(not children[code].areas.exists() for code in FUNCTIONAL | {"VN10-BTG"})
    assert selectors.unit_children(children["VN10-KCQ"]).filter(kind__code="grassroots_committee").count() >= 3

    cells = Unit.objects.filter(kind__code="party_cell")
    # More villages than the 1,536 outreach teams of 2022: the coverage page has gaps.
    assert 1_536 < cells.count() <= 1_700
    ward_cells = selectors.unit_children(Unit.objects.get(code="VN10-080-02635"), as_of=AS_WAS)
    assert ward_cells.first().name.startswith("Chi bộ tổ dân phố số ")
    yen_bai = Unit.objects.get(code="VN15")
    assert yen_bai.closed_on == dt.date(2025, 6, 12)
    assert not Unit.objects.filter(code__startswith="VN15", records_since__isnull=False).exists()

    # As it is: the 99 communes of the new Lào Cai, the functional committees and the renamed commission;
    # every cell has moved with its commune.
    today = {unit.code: unit for unit in selectors.unit_children(province)}
    assert sum(unit.kind.tier.code == "commune" for unit in today.values()) == 99
    assert FUNCTIONAL | {"VN10-BTG"} <= set(today)
    assert not any(unit.kind.tier.code == "district" and unit.kind.is_territorial for unit in today.values())
    assert today["VN10-BTG"].name == "Ban Tuyên giáo và Dân vận Tỉnh ủy"
    assert selectors.unit_subtree(province).count() == Unit.objects.filter(closed_on__isnull=True).count()
    assert selectors.unit_subtree(province).filter(kind__code="party_cell").count() == cells.count()

    def roles_on(day: dt.date) -> dict[str, tuple[str, str]]:
        assignments = Assignment.objects.select_related("user", "unit")
        return {a.user.username: (a.role, a.unit.code) for a in assignments if a.is_current(day)}

    roles = roles_on(AS_WAS)
    assert {name: roles[name] for name in EXPECTED_ROLES} == EXPECTED_ROLES
    assert roles["canbo.xa"] == ("officer", "VN10-082-02686")
    now = roles_on(REORGANISED)
    assert {name: now[name] for name in EXPECTED_ROLES_2025} == EXPECTED_ROLES_2025
    assert all(Unit.objects.get(code=code).closed_on is None for _role, code in now.values())
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert admin.check_password(demo.DEMO_PASSWORD)
    assert all(name in output for name in [*EXPECTED_ROLES, "canbo.xa", demo.DEMO_PASSWORD])

    # The network member: no staff role, linked to a person who leads a team in canbo.xa's commune.
    member = User.objects.get(username=demo.NETWORK_USER)
    assert not Assignment.objects.filter(user=member).exists() and demo.NETWORK_USER in output
    team_unit = member.person.memberships.get(is_leader=True, valid_to__isnull=True).group.unit
    assert selectors.unit_parent(team_unit).code == now["canbo.xa"][1]

    # The commission's report to the inspection team states the records' figures (lantoa.reports.report_demo).
    from lantoa.reports.models import Report
    from lantoa.reports.narrative import plain
    from lantoa.reports.report_selectors import report_content

    report = Report.objects.get(unit=province, number=1)
    text = " ".join(plain(section.parts) for section in report_content(report).sections)
    assert "tổ chức 688 hội nghị, trong đó có hình thức trực tuyến với 577 điểm cầu và trên 118.000 lượt" in text
    assert "in, phát hành 5.000 bản tài liệu" in text and "14 đảng bộ trực thuộc" in text and "284 báo cáo viên" in text
    assert "152 ban tuyên vận xã, 1.536 tổ tuyên vận" in text and "1.707 cán bộ" in text
    assert "4.068 tuyên truyền viên" in text
    # Numbered in the province's recorded XVI term; the dashboard offers its two terms.
    from lantoa.reports.periods import presets

    assert report.term == "2020-2025"
    labels = [label for _key, label, _period in presets(dt.date(2026, 3, 1), province)]
    assert "Nhiệm kỳ 2025-2030" in labels and "Nhiệm kỳ 2020-2025" in labels

    # Loaded: --if-empty changes nothing, a plain run refuses, --reset rebuilds the same demo.
    units = Unit.objects.count()
    assert "already has units" in run_demo("--if-empty")
    assert Unit.objects.count() == units
    with pytest.raises(CommandError, match="--reset"):
        run_demo()
    run_demo("--reset")
    assert Unit.objects.count() == units
    # and the network member's account, and the judged contests' jurors' (lantoa.judging.demo)
    from lantoa.judging.models import JuryMember, Stage

    published = Stage.objects.filter(results_published_at__isnull=False)
    assert published.count() == 1 and published.get().entry_rows.exclude(prize="").count() >= 3
    from lantoa.org.rollup import indicator_values

    rebuilt = Unit.objects.get(code=province.code)  # the reset gave every row a new id
    for year, passed in ((2024, 1), (2025, 2)):
        found = indicator_values(
            unit=rebuilt, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), codes=["assessments_passed"]
        )
        assert [value.value for value in found] == [passed]
    jurors = JuryMember.objects.values("user").distinct().count()
    assert jurors == 59 and User.objects.count() == len(demo.DEMO_USERS) + 1 + jurors


def test_demo_refuses_a_database_that_has_units():
    make_unit(kind="provincial_committee", code="OTHER")
    with pytest.raises(CommandError, match="--reset"):
        run_demo()
    assert "already has units" in run_demo("--if-empty")
    assert list(Unit.objects.values_list("code", flat=True)) == ["OTHER"]


def test_generated_cells_are_the_same_on_every_build():
    make_unit(kind="provincial_committee", code="VN10")
    commune = make_unit(kind="commune_committee", code="VN10-082-02686")
    assert demo.cell_names(commune) == demo.cell_names(commune)
    assert all(name.startswith("Chi bộ thôn ") for name in demo.cell_names(commune))
    assert len(set(demo.cell_names(commune))) == len(demo.cell_names(commune))
