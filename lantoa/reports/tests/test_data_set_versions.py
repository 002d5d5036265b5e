"""Data sets are revised as new versions and retired, never changed in place: requests keep the
version they were sent with, a retired version is not sent again, only the current version is
revised (once), on the page and over the API, by those who may send from the owner unit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantoa.accounts.tests.factories import make_user
from lantoa.contests.tests.test_external_views import bearer
from lantoa.core.errors import Conflict
from lantoa.core.models import AuditEntry
from lantoa.reports.models import DataSet
from lantoa.reports.request_services import FieldSpec, data_set_retire, data_set_revise
from lantoa.reports.tests.requests_helpers import make_data_set, make_request

pytestmark = pytest.mark.django_db

FEWER = [
    FieldSpec(code="conferences", label="Số hội nghị", kind="indicator", indicator="conferences_held"),
    FieldSpec(code="sites", label="Tổng số điểm cầu", kind="integer", min_value=0, max_value=5000),
]


def test_a_revision_is_a_new_version_and_the_request_keeps_its_own(tree):
    first = make_data_set(tree.province)
    sent = make_request(tree.province, data_set=first)
    second = data_set_revise(by=None, data_set=first, name="Số liệu học tập (mẫu 2)", fields=FEWER)
    first.refresh_from_db()
    assert (second.code, second.version, second.replaces, second.unit) == (first.code, 2, first, first.unit)
    assert first.retired_at is not None and second.retired_at is None
    assert [f.code for f in sent.data_set.fields.all()] == ["conferences", "sites", "online_points", "note"]
    assert [f.code for f in second.fields.all()] == ["conferences", "sites"] and not second.rules.exists()
    with pytest.raises(Conflict) as again:
        data_set_revise(by=None, data_set=first, name="Lần nữa", fields=FEWER)
    assert again.value.code == "data_set_retired"
    with pytest.raises(Conflict) as old:
        make_request(tree.province, data_set=first)
    assert old.value.code == "data_set_retired"
    make_request(tree.province, data_set=second)  # the current version is sent
    assert AuditEntry.objects.filter(action="lantoa.reports.data_set.revised").count() == 1


def test_a_retired_data_set_is_not_sent_nor_retired_twice(tree):
    data_set = make_data_set(tree.province)
    data_set_retire(by=None, data_set=data_set)
    with pytest.raises(Conflict):
        data_set_retire(by=None, data_set=data_set)
    with pytest.raises(Conflict):
        make_request(tree.province, data_set=data_set)
    with pytest.raises(Conflict):
        data_set_revise(by=None, data_set=data_set, name="X", fields=FEWER)
    assert DataSet.objects.count() == 1


def test_the_page_revises_from_the_current_lines_and_lists_current_versions(tree, client_for):
    data_set = make_data_set(tree.province)
    client = client_for(make_user(role="manager", unit=tree.province))
    listing = client.get(reverse("reports:data_set_list")).content.decode()
    url = reverse("reports:data_set_revise", args=[data_set.pk])
    assert url in listing and "phiên bản 1" in listing
    form = client.get(url)
    text = form.content.decode()
    assert "phiên bản 2" in text and 'name="code"' not in text
    initial = form.context["form"].initial
    assert initial["fields_text"].splitlines()[1] == "sites | Số điểm cầu mỗi hội nghị | integer | 0-500"
    assert "note | Ghi chú | text | 200 | optional" in initial["fields_text"]
    bad = client.post(url, {"name": "X", "fields_text": "sites | thiếu loại"})
    assert bad.status_code == 422 and DataSet.objects.count() == 1
    lines = initial["fields_text"] + "\nvillages | Số thôn tham gia | integer | 0-2000 | optional"
    done = client.post(url, {"name": data_set.name, "fields_text": lines, "rules_text": initial["rules_text"]})
    assert done.status_code == 302
    current = DataSet.objects.get(version=2)
    assert [f.code for f in current.fields.all()][-1] == "villages" and current.rules.count() == 2
    after = client.get(reverse("reports:data_set_list")).content.decode()
    assert "phiên bản 2" in after and "phiên bản 1" not in after
    client.post(reverse("reports:data_set_retire", args=[current.pk]))
    assert "Chưa có bộ số liệu nào." in client.get(reverse("reports:data_set_list")).content.decode()


def test_the_api_revises_and_retires_for_the_owner_only(tree, admin_user, inspector):
    data_set = make_data_set(tree.province)
    body = {"name": "Mẫu 2", "fields": [{"code": "sites", "label": "Điểm cầu", "kind": "integer", "max_value": 9}]}
    commune = bearer(make_user(role="officer", unit=tree.commune_a1, username="xa"))
    hidden = commune.post(f"/api/v1/reports/data-sets/{data_set.pk}/revisions", body, content_type="application/json")
    assert hidden.status_code == 404  # the province's data set is not the commune's to see
    reader = bearer(inspector)
    refused = reader.post(f"/api/v1/reports/data-sets/{data_set.pk}/revisions", body, content_type="application/json")
    assert refused.status_code == 403
    api = bearer(admin_user)
    revised = api.post(f"/api/v1/reports/data-sets/{data_set.pk}/revisions", body, content_type="application/json")
    assert revised.status_code == 201
    out = revised.json()
    assert (out["version"], out["replaces"], out["retired_at"], out["code"]) == (2, data_set.pk, None, data_set.code)
    old = api.get(f"/api/v1/reports/data-sets/{data_set.pk}").json()
    assert old["retired_at"] is not None
    twice = api.post(f"/api/v1/reports/data-sets/{data_set.pk}/revisions", body, content_type="application/json")
    assert twice.status_code == 409 and twice.json()["code"] == "data_set_retired"
    retired = api.post(f"/api/v1/reports/data-sets/{out['id']}/retire")
    assert retired.status_code == 200 and retired.json()["retired_at"] is not None
    strings = api.post(
        f"/api/v1/reports/data-sets/{out['id']}/revisions", {"name": 5, "fields": []}, content_type="application/json"
    )
    assert strings.status_code == 422
