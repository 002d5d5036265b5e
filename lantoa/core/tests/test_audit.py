import datetime as dt

import pytest

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
