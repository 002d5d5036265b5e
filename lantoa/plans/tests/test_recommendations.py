"""Recommendations: the lifecycle (declining needs a reason, no going back), pages grouped by
status and topic, open ones per level, "My work", and the indicators read back through the rollup."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lantoa.accounts.tests.factories import make_user
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.org.rollup import indicator_values
from lantoa.plans import services
from lantoa.plans.models import Recommendation
from lantoa.plans.selectors import my_work_items
from lantoa.plans.tests.factories import make_document, make_programme, make_requirement, make_task

pytestmark = pytest.mark.django_db
SENT = dt.date(2022, 8, 8)


def send(unit, *, to=None, name="", due=SENT + dt.timedelta(days=30), topic="Đào tạo"):  # type: ignore[no-untyped-def]
    return services.recommendation_send(
        by=None,
        data=services.RecommendationData(
            unit=unit, topic=topic, text="Đề nghị mở lớp bồi dưỡng.", sent_on=SENT, addressee_unit=to,
            addressee_name=name, due_on=due,
        ),
    )  # fmt: skip


def test_the_lifecycle_moves_forward_and_declining_needs_a_reason(tree):
    item = send(tree.district_a, to=tree.province)
    with pytest.raises(ValidationFailed) as no_reason:
        services.recommendation_advance(by=None, recommendation=item, status="declined", on=SENT)
    assert no_reason.value.code == "reason_required"
    assert Recommendation.objects.get(pk=item.pk).status == "sent"
    for status in ("received", "considering"):
        item = services.recommendation_advance(by=None, recommendation=item, status=status, on=SENT)
    item = services.recommendation_advance(
        by=None, recommendation=item, status="declined", on=SENT + dt.timedelta(days=40), reason="Chưa có kinh phí."
    )
    assert (item.status, item.answered_on_time) == ("declined", False)
    with pytest.raises(Conflict):
        services.recommendation_advance(by=None, recommendation=item, status="answered", on=SENT)
    assert AuditEntry.objects.filter(action__startswith="lantoa.plans.recommendation.").count() == 4


def test_an_addressee_is_a_unit_or_an_outside_body_never_both_or_neither(tree):
    for to, name in ((None, ""), (tree.province, "Ban Tuyên giáo Trung ương")):
        with pytest.raises(ValidationFailed) as error:
            send(tree.district_a, to=to, name=name)
        assert error.value.code == "one_addressee"
    with pytest.raises(ValidationFailed):
        send(tree.district_a, name="x" * 201)
    assert not Recommendation.objects.exists()


def test_the_list_page_groups_by_status_and_topic_and_counts_open_ones_per_level(tree, admin_user, client_for):
    send(tree.district_a, to=tree.province, topic="Đào tạo")
    answered = send(tree.district_b, to=tree.province, topic="Khen thưởng")
    services.recommendation_advance(by=None, recommendation=answered, status="answered", on=SENT, answer="Đồng ý.")
    send(tree.province, name="Ban Tuyên giáo Trung ương", topic="Đào tạo")
    page = client_for(admin_user).get(reverse("plans:recommendation_list"))
    html = page.content.decode()
    assert 'data-testid="recommendations-sent"' in html and 'data-testid="recommendations-answered"' in html
    assert dict(page.context["open_by_tier"]) == {"Cấp tỉnh": 1, "Cơ quan bên ngoài": 1}
    assert [(topic, len(rows)) for topic, rows in page.context["grouped"]["by_topic"]] == [
        ("Khen thưởng", 1), ("Đào tạo", 2),
    ]  # fmt: skip


def test_the_addressees_staff_answer_on_the_page_and_others_are_refused(tree, client_for):
    item = send(tree.commune_a1, to=tree.district_a)
    district = client_for(make_user(role="officer", unit=tree.district_a))
    page = district.get(reverse("plans:recommendation_detail", args=[item.pk]))
    assert 'data-testid="advance-form"' in page.content.decode()
    refused = district.post(reverse("plans:recommendation_detail", args=[item.pk]),
                            {"status": "declined", "on": "2022-09-01"})  # fmt: skip
    assert refused.status_code == 422 and "Ghi rõ lý do không tiếp thu" in refused.content.decode()
    ok = district.post(reverse("plans:recommendation_detail", args=[item.pk]),
                       {"status": "answered", "on": "2022-09-01", "answer": "Đã bố trí lớp."})  # fmt: skip
    assert ok.status_code == 302 and Recommendation.objects.get(pk=item.pk).status == "answered"
    commune = client_for(make_user(role="officer", unit=tree.commune_a1))
    assert 'data-testid="advance-form"' not in commune.get(
        reverse("plans:recommendation_detail", args=[item.pk])).content.decode()  # fmt: skip
    other = client_for(make_user(role="officer", unit=tree.commune_b1))
    assert other.get(reverse("plans:recommendation_detail", args=[item.pk])).status_code == 404


def test_my_work_lists_tasks_due_soon_or_overdue_and_recommendations_to_answer(tree):
    programme = make_programme(tree.district_a, make_document(tree.province))
    today = dt.date(2021, 6, 1)
    make_task(programme, owner_unit=tree.commune_a1, starts_on=dt.date(2021, 4, 1), due_on=dt.date(2021, 5, 20))
    make_task(programme, owner_unit=tree.commune_a1, starts_on=dt.date(2021, 4, 1), due_on=dt.date(2021, 6, 10))
    make_task(programme, owner_unit=tree.commune_a1, starts_on=dt.date(2021, 4, 1), due_on=dt.date(2021, 9, 1))
    send(tree.district_a, to=tree.commune_a1)
    officer = make_user(role="officer", unit=tree.commune_a1)
    items = my_work_items(officer, None, on=today)
    assert [(item.count, item.detail) for item in items] == [(2, "1 việc quá hạn"), (1, "")]
    assert my_work_items(make_user(role="officer", unit=tree.commune_b1), None, on=today) == []


def test_the_indicators_count_what_the_records_say(tree):
    document = make_document(tree.province)
    make_requirement(tree.province, document, due_on=dt.date(2021, 3, 31))
    make_programme(tree.district_a, document, issued_on=dt.date(2021, 3, 20))
    make_programme(tree.district_b, document, issued_on=dt.date(2021, 4, 20))
    on_time = send(tree.district_a, to=tree.province)
    services.recommendation_advance(by=None, recommendation=on_time, status="answered", on=SENT, answer="Đồng ý.")
    late = send(tree.district_b, to=tree.province)
    services.recommendation_advance(by=None, recommendation=late, status="answered",
                                    on=SENT + dt.timedelta(days=60), answer="Đồng ý.")  # fmt: skip
    codes = ["action_programmes_issued", "action_programmes_on_time", "recommendations_sent",
             "recommendations_answered_on_time"]  # fmt: skip
    found = indicator_values(unit=tree.province, start=dt.date(2021, 1, 1), end=dt.date(2022, 12, 31), codes=codes)
    assert [value.value for value in found] == [2, 1, 2, 1]
    district_a = indicator_values(unit=tree.district_a, start=dt.date(2021, 1, 1), end=dt.date(2022, 12, 31),
                                  codes=codes)  # fmt: skip
    assert [value.value for value in district_a] == [1, 1, 1, 1]


def test_how_long_answers_take_per_level(tree, admin_user, client_for):
    quick = send(tree.district_a, to=tree.province)
    slow = send(tree.district_b, to=tree.province)
    late = send(tree.district_b, to=tree.province, due=SENT + dt.timedelta(days=10))
    send(tree.province, name="Ban Tuyên giáo Trung ương")
    for item, days in ((quick, 4), (slow, 20), (late, 15)):
        for status in ("received", "considering"):
            item = services.recommendation_advance(by=None, recommendation=item, status=status, on=SENT)
        services.recommendation_advance(
            by=None, recommendation=item, status="answered", on=SENT + dt.timedelta(days=days), answer="Đã trả lời."
        )
    page = client_for(admin_user).get(reverse("plans:recommendation_list"))
    times = {time.level: time for time in page.context["answer_times"]}
    province = times["Cấp tỉnh"]
    assert (province.sent, province.answered, province.median_days, province.still_open) == (3, 3, 15.0, 0)
    assert (province.on_time, province.with_due_date) == (2, 3)  # the third was due after 10 days
    outside = times["Cơ quan bên ngoài"]
    assert (outside.sent, outside.answered, outside.median_days, outside.still_open) == (1, 0, None, 1)
    assert 'data-testid="answer-times"' in page.content.decode()
    answer = client_for(admin_user).get("/api/v1/plans/recommendations/answer-times").json()
    levels = {item["level"]: item for item in answer["items"]}
    assert levels["Cấp tỉnh"]["median_days"] == 15.0 and levels["Cấp tỉnh"]["answered_on_time"] == 2
