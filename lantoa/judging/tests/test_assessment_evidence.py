"""Evidence files of criteria assessments: checked by content and size before anything is
kept, one criterion at a time, on the subject's side while it self-assesses and on the
assessor's while it verifies, locked with the scores they support, served only within scope,
removal audited — on the page and over the API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantoa.accounts.tests.factories import make_user
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.judging.assessments import services
from lantoa.judging.assessments.models import EVIDENCE_FILE_MAX_MB, EVIDENCE_FILES_MAX, AssessmentEvidenceFile
from lantoa.judging.tests.assessment_helpers import (
    criteria,
    evidence_upload,
    make_campaign,
    self_scores,
    verify_scores,
)
from lantoa.meetings.tests.test_attachments import docx_bytes

pytestmark = pytest.mark.django_db
S = services.SubjectData
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x8a\x1b\x8f\x00\x00\x00\x00IEND\xaeB`\x82"
)


upload = evidence_upload


@pytest.fixture
def assessment(tree):
    campaign = make_campaign(tree.district_a, [S(tree.commune_a1)])
    return campaign.assessments.get()


@pytest.fixture
def district_officer(tree):
    return make_user(role="officer", unit=tree.district_a, username="district_officer")


def add(assessment, side="self", name="nghi-quyet.pdf", content=None, criterion=None):  # type: ignore[no-untyped-def]
    return services.evidence_add(
        by=None,
        assessment=assessment,
        criterion_id=criterion or criteria(assessment)[0].pk,
        side=side,
        upload=upload(name, content),
    )


def test_refused_files_keep_nothing(assessment):
    big = SimpleUploadedFile("lon.pdf", b"%PDF-1.4\n" + b"0" * (EVIDENCE_FILE_MAX_MB * 1024 * 1024))
    cases = (
        ({"content": b""}, "file_empty"),
        ({"name": "ghi-chu.txt", "content": b"plain text, not a kept kind"}, "file_type_not_allowed"),
        ({"name": "anh.pdf", "content": PNG}, "file_type_mismatch"),
        ({"side": "audience"}, "invalid_side"),
        ({"criterion": 999_999}, "validation_failed"),
    )
    for kwargs, code in cases:
        with pytest.raises(ValidationFailed) as refused:
            add(assessment, **kwargs)
        assert refused.value.code == code, kwargs
    with pytest.raises(ValidationFailed) as too_large:
        services.evidence_add(
            by=None, assessment=assessment, criterion_id=criteria(assessment)[0].pk, side="self", upload=big
        )
    assert too_large.value.code == "file_too_large" and "10 MB" in too_large.value.message
    with pytest.raises(ValidationFailed) as classified:
        add(assessment, name="bao-cao.docx", content=docx_bytes("MẬT", "Báo cáo kết quả"))
    assert classified.value.code == "classified_material"
    assert AuditEntry.objects.filter(action="lantoa.library.classified_refused").count() == 1
    assert not AssessmentEvidenceFile.objects.exists()
    assert AuditEntry.objects.filter(action="lantoa.judging.assessment.evidence_added").count() == 0


def test_each_side_is_open_while_its_scores_are_and_locked_after(assessment):
    kept = add(assessment, name="anh.png", content=PNG)
    assert (kept.content_type, kept.side, kept.size) == ("image/png", "self", len(PNG))
    with pytest.raises(Conflict) as early:
        add(assessment, side="verification")
    assert early.value.code == "evidence_locked"
    for _n in range(EVIDENCE_FILES_MAX - 1):
        add(assessment)
    with pytest.raises(Conflict) as full:
        add(assessment)
    assert full.value.code == "too_many_files"
    add(assessment, criterion=criteria(assessment)[1].pk)  # another criterion has its own five
    self_scores(assessment, ["8", "6", "9"])
    with pytest.raises(Conflict) as submitted:
        add(assessment)
    assert submitted.value.code == "evidence_locked"
    with pytest.raises(Conflict):
        services.evidence_remove(by=None, evidence=kept)
    checked = add(assessment, side="verification", name="bien-ban-kiem-tra.pdf")
    verify_scores(assessment, ["8", "6", "9"])
    for side in ("self", "verification"):
        with pytest.raises(Conflict):
            add(assessment, side=side)
    with pytest.raises(Conflict):
        services.evidence_remove(by=None, evidence=checked)
    assert AssessmentEvidenceFile.objects.count() == EVIDENCE_FILES_MAX + 2
    assert AuditEntry.objects.filter(action="lantoa.judging.assessment.evidence_added").count() == 7


def test_the_page_uploads_serves_within_scope_and_removes(assessment, tree, officer_a, district_officer, client_for):
    c1 = criteria(assessment)[0]
    client = client_for(officer_a)
    page = client.get(f"/judging/assessments/subjects/{assessment.pk}/")
    assert 'data-testid="evidence-form"' in page.text and "Chưa có tệp minh chứng" in page.text
    refused = client.post(
        f"/judging/assessments/subjects/{assessment.pk}/evidence/",
        {"criterion": str(c1.pk), "file": upload("ghi-chu.txt", b"not a document")},
    )
    assert refused.status_code == 422 and not AssessmentEvidenceFile.objects.exists()
    sent = client.post(
        f"/judging/assessments/subjects/{assessment.pk}/evidence/", {"criterion": str(c1.pk), "file": upload()}
    )
    assert sent.status_code == 302
    kept = AssessmentEvidenceFile.objects.get()
    page = client.get(f"/judging/assessments/subjects/{assessment.pk}/")
    assert "nghi-quyet.pdf" in page.text and 'data-testid="evidence-remove"' in page.text
    download = client.get(f"/judging/assessments/evidence/{kept.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client_for(district_officer).get(f"/judging/assessments/evidence/{kept.pk}/").status_code == 200
    outsider = client_for(make_user(role="officer", unit=tree.commune_b1, username="b1"))
    assert outsider.get(f"/judging/assessments/evidence/{kept.pk}/").status_code == 404
    assert outsider.post(f"/judging/assessments/evidence/{kept.pk}/remove/").status_code == 404
    # A viewer sees the file but may not remove it.
    viewer = client_for(make_user(role="viewer", unit=tree.district_a, username="viewer"))
    assert viewer.get(f"/judging/assessments/evidence/{kept.pk}/").status_code == 200
    assert viewer.post(f"/judging/assessments/evidence/{kept.pk}/remove/").status_code == 403
    assert client.post(f"/judging/assessments/evidence/{kept.pk}/remove/").status_code == 302
    assert not AssessmentEvidenceFile.objects.exists()
    assert AuditEntry.objects.filter(action="lantoa.judging.assessment.evidence_removed").count() == 1


def test_the_api_uploads_lists_downloads_and_deletes(assessment, tree, officer_a, district_officer, client_for):
    c1, c2, _c3 = criteria(assessment)
    path = f"/api/v1/judging/assessments/subjects/{assessment.pk}/evidence"
    client = client_for(officer_a)
    bad = client.post(path, {"criterion": str(c1.pk), "file": upload("anh.pdf", PNG)})
    assert bad.status_code == 422 and bad.json()["code"] == "file_type_mismatch"
    missing = client.post(path, {"criterion": str(c1.pk)})
    assert missing.status_code in (400, 422)
    sent = client.post(path, {"criterion": str(c2.pk), "file": upload()})
    assert sent.status_code == 201 and sent.json()["side"] == "self" and sent.json()["criterion"] == c2.pk
    listed = client.get(path).json()
    assert listed["count"] == 1 and listed["items"][0]["name"] == "nghi-quyet.pdf"
    detail = client.get(f"/api/v1/judging/assessments/subjects/{assessment.pk}").json()
    assert [len(row["files"]) for row in detail["criteria"]] == [0, 1, 0]
    download = client.get(listed["items"][0]["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    outsider = client_for(make_user(role="officer", unit=tree.commune_b1, username="b1"))
    assert outsider.get(listed["items"][0]["download"]).status_code == 404
    assert outsider.get(path).status_code == 404
    assert outsider.post(path, {"criterion": str(c1.pk), "file": upload()}).status_code == 404
    viewer = client_for(make_user(role="viewer", unit=tree.district_a, username="viewer"))
    assert viewer.post(path, {"criterion": str(c1.pk), "file": upload()}).status_code == 403
    self_scores(assessment, ["8", "6", "9"])
    locked = client.delete(listed["items"][0]["download"])
    assert locked.status_code == 409 and locked.json()["code"] == "evidence_locked"
    assessor = client_for(district_officer)
    checked = assessor.post(path, {"criterion": str(c1.pk), "file": upload("bien-ban.pdf")})
    assert checked.status_code == 201 and checked.json()["side"] == "verification"
    assert assessor.delete(checked.json()["download"]).status_code == 204
    assert AssessmentEvidenceFile.objects.count() == 1


def test_the_page_costs_the_same_for_one_file_or_many(assessment, officer_a, client_for, django_assert_num_queries):
    client = client_for(officer_a)
    add(assessment)
    url = f"/judging/assessments/subjects/{assessment.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for criterion in criteria(assessment):
        for _n in range(3):
            add(assessment, criterion=criterion.pk)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)
