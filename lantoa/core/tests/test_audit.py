import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import translation

import lantoa
from lantoa.core.audit import action_label, registered_actions
from lantoa.core.models import AuditEntry
from lantoa.org.services import unit_area_set, unit_close, unit_create, unit_move, unit_rename
from lantoa.org.tests.factories import kinds

pytestmark = pytest.mark.django_db
DAY = dt.date(2023, 1, 1)


def test_every_org_service_leaves_an_audit_entry(tree, admin_user):
    before = AuditEntry.objects.count()
    unit = unit_create(
        by=admin_user, code="NEW", name="Chi bộ mới", kind=kinds()["party_cell"], parent=tree.commune_a1, opened_on=DAY
    )
    unit_rename(by=admin_user, unit=unit, name="Chi bộ mới đổi tên", on=dt.date(2023, 2, 1))
    unit_move(by=admin_user, unit=unit, new_parent=tree.commune_b1, on=dt.date(2023, 3, 1))
    unit_area_set(
        by=admin_user, unit=tree.commune_a1, official_code="02800", area_name="Xã Quang Kim", level="commune", on=DAY
    )
    unit_close(by=admin_user, unit=unit, on=dt.date(2023, 4, 1))
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True)[before:])
    assert actions == [
        "lantoa.org.unit.created",
        "lantoa.org.unit.renamed",
        "lantoa.org.unit.moved",
        "lantoa.org.unit.area_changed",
        "lantoa.org.unit.closed",
    ]
    entry = AuditEntry.objects.filter(action="lantoa.org.unit.renamed").get()
    assert entry.actor == admin_user
    assert entry.changed_fields == ["name"]
    # Entries name fields, never values.
    assert "Chi bộ mới đổi tên" not in str(entry.changed_fields)


def test_audit_log_page_and_api_are_for_administrators(client_for, admin_user, officer_a):
    admin = client_for(admin_user)
    assert admin.get("/audit/").status_code == 200
    body = admin.get("/api/v1/audit").json()
    assert body["count"] >= 1
    assert {"action", "actor", "unit_code", "changed_fields", "created_at", "request_id"} <= set(body["items"][0])
    csv = admin.get("/audit/export.csv")
    assert csv.status_code == 200
    assert b"lantoa.org.unit.created" in b"".join(csv.streaming_content)

    officer = client_for(officer_a)
    assert officer.get("/audit/").status_code == 404
    assert officer.get("/api/v1/audit").json()["count"] == 0


def test_audit_filter_by_action(client_for, admin_user):
    body = client_for(admin_user).get("/api/v1/audit", {"action": "lantoa.accounts."}).json()
    assert body["count"] >= 1
    assert all(item["action"].startswith("lantoa.accounts.") for item in body["items"])


def test_request_id_is_recorded(client_for, admin_user, tree):
    client = client_for(admin_user)
    response = client.post("/unit/switch/", {"unit": "P-A"}, HTTP_X_REQUEST_ID="req-12345678")
    assert response["X-Request-ID"] == "req-12345678"


# --- Labels ------------------------------------------------------------------------------------

_ACTION_CODE = re.compile(r"""["'](lantoa\.[a-z_]+\.[a-z_]+\.[a-z_]+)["']""")
_EVENT_ACTION = re.compile(r"""action=f["'](lantoa\.[a-z_.]+)\{""")


def _action_codes_in_the_code_base() -> set[str]:
    """Every audit action code written in the source (tests aside): string literals shaped like
    an action code that name no module or attribute, and f-strings of an action family."""
    from lantoa.org.models import RestructuringEvent

    root = Path(lantoa.__file__).parent
    codes: set[str] = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for code in _ACTION_CODE.findall(text):
            module = root.parent.joinpath(*code.split(".")[:-1])
            if not (module.with_suffix(".py").exists() or module.is_dir()):
                codes.add(code)
        for prefix in _EVENT_ACTION.findall(text):
            assert prefix == "lantoa.org.event.", f"{path}: an unknown family of action codes {prefix!r}"
            codes |= {prefix + kind for kind in RestructuringEvent.Kind.values}
    return codes


def test_every_action_code_in_the_code_base_has_a_label():
    codes = _action_codes_in_the_code_base()
    assert "lantoa.meetings.attendance.recorded" in codes and "lantoa.org.event.merge" in codes
    assert sorted(codes - registered_actions()) == []


def test_every_label_is_translated_to_vietnamese():
    with translation.override("vi"):
        untranslated = [code for code in registered_actions() if action_label(code) == str(_english(code))]
    assert untranslated == []


def _english(code: str) -> str:
    with translation.override("en"):
        return action_label(code)


@pytest.mark.parametrize(
    ("language", "action", "field"),
    [("vi", "Ghi nhận số người dự", "vắng mặt"), ("en", "Attendance recorded", "absent")],
)
def test_the_log_page_shows_labels_not_codes(tree, admin_user, client_for, language, action, field):
    from lantoa.meetings.services import Headcount, attendance_record
    from lantoa.meetings.tests.factories import make_conference

    conference = make_conference(tree.province, sites=[tree.commune_a1])
    attendance_record(by=admin_user, point=conference.points.get(unit=tree.commune_a1), counts=Headcount())
    admin_user.language = language
    admin_user.save(update_fields=["language"])
    html = client_for(admin_user).get("/audit/", {"action": "lantoa.meetings.attendance"}).content.decode()
    cells = re.findall(r'data-testid="audit-action"[^>]*>([^<]*)<', html)
    assert cells and set(cells) == {action}
    assert field in re.findall(r'data-testid="audit-fields">([^<]*)<', html)[0]
    assert ">lantoa.meetings.attendance.recorded<" not in html
