from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from lantoa.accounts.models import Assignment, User
from lantoa.core import demo
from lantoa.org import selectors
from lantoa.org.models import Unit
from lantoa.org.tests.factories import make_unit

pytestmark = pytest.mark.django_db

FUNCTIONAL = {"VN10-KCQ", "VN10-KDN", "VN10-QS", "VN10-CA", "VN10-BP"}
EXPECTED_ROLES = {
    "admin": ("administrator", "VN10"),
    "quanly": ("manager", "VN10"),
    "canbo.batxat": ("officer", "VN10-082"),
    "thanhtra": ("inspector", "VN10"),
    "xem": ("viewer", "VN10"),
}


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

    province = Unit.objects.get(code="VN10")
    children = {unit.code: unit for unit in selectors.unit_children(province)}
    committees = {code for code, unit in children.items() if unit.kind.code != "commission"}
    assert len(committees) == 14
    assert FUNCTIONAL.issubset(committees)
    assert children["VN10-BTG"].name == "Ban Tuyên giáo Tỉnh ủy"
    assert all(not children[code].areas.exists() for code in FUNCTIONAL | {"VN10-BTG"})
    assert selectors.unit_children(children["VN10-KCQ"]).filter(kind__code="grassroots_committee").count() >= 3

    cells = Unit.objects.filter(kind__code="party_cell")
    assert 1_300 <= cells.count() <= 1_700
    ward_cells = selectors.unit_children(Unit.objects.get(code="VN10-080-02635"))
    assert ward_cells.first().name.startswith("Chi bộ tổ dân phố số ")
    assert selectors.unit_subtree(province).count() == Unit.objects.count()

    roles = {a.user.username: (a.role, a.unit.code) for a in Assignment.objects.select_related("user", "unit")}
    assert {name: roles[name] for name in EXPECTED_ROLES} == EXPECTED_ROLES
    commune_role, commune_code = roles["canbo.xa"]
    assert commune_role == "officer"
    assert commune_code.startswith("VN10-082-")
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert admin.check_password(demo.DEMO_PASSWORD)
    assert all(name in output for name in [*EXPECTED_ROLES, "canbo.xa", demo.DEMO_PASSWORD])

    # Loaded: --if-empty changes nothing, a plain run refuses, --reset rebuilds the same demo.
    units = Unit.objects.count()
    assert "already has units" in run_demo("--if-empty")
    assert Unit.objects.count() == units
    with pytest.raises(CommandError, match="--reset"):
        run_demo()
    run_demo("--reset")
    assert Unit.objects.count() == units
    assert User.objects.count() == len(demo.DEMO_USERS)


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
