"""Recommendations and their way to an answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.org.models import Unit
from lantoa.org.selectors import today
from lantoa.plans.models import (
    ADDRESSEE_MAX,
    LONG_TEXT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    TOPIC_MAX,
    Recommendation,
    RecommendationStatus,
)
from lantoa.plans.services._common import _text

# Each status a recommendation moves to, as the audit log names it.
STATUS_ACTIONS: dict[str, str] = {
    RecommendationStatus.RECEIVED: "lantoa.plans.recommendation.received",
    RecommendationStatus.CONSIDERING: "lantoa.plans.recommendation.considering",
    RecommendationStatus.ANSWERED: "lantoa.plans.recommendation.answered",
    RecommendationStatus.IMPLEMENTED: "lantoa.plans.recommendation.implemented",
    RecommendationStatus.DECLINED: "lantoa.plans.recommendation.declined",
}

# --- Recommendations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RecommendationData:
    unit: Unit
    topic: str
    text: str
    sent_on: dt.date
    addressee_unit: Unit | None = None
    addressee_name: str = ""
    source: str = ""
    due_on: dt.date | None = None
    inspection: Any = None  # the inspection it came from, if any


@transaction.atomic
def recommendation_send(*, by: Any, data: RecommendationData) -> Recommendation:
    topic = _text(data.topic, field="topic", limit=TOPIC_MAX)
    text = _text(data.text, field="text", limit=LONG_TEXT_MAX, multiline=True)
    source = _text(data.source, field="source", limit=TITLE_MAX, required=False)
    name = _text(data.addressee_name, field="addressee_name", limit=ADDRESSEE_MAX, required=False)
    if (data.addressee_unit is None) == (not name):
        raise ValidationFailed(
            _("Address it to a unit of the tree or name an outside body, not both."),
            code="one_addressee",
            extra={"field": "addressee_name"},
        )
    if data.addressee_unit is not None and data.addressee_unit.pk == data.unit.pk:
        raise ValidationFailed(_("A unit does not send a recommendation to itself."), code="self_addressed",
                               extra={"field": "addressee_unit"})  # fmt: skip
    if data.due_on is not None and data.due_on < data.sent_on:
        raise ValidationFailed(_("The answer is due before the recommendation was sent."), code="due_before_sent",
                               extra={"field": "due_on"})  # fmt: skip
    recommendation = Recommendation.objects.create(
        unit=data.unit,
        addressee_unit=data.addressee_unit,
        addressee_name=name,
        topic=topic,
        text=text,
        source=source,
        inspection=data.inspection,
        sent_on=data.sent_on,
        due_on=data.due_on,
        created_by=actor_or_none(by),
    )
    audit_record(
        action="lantoa.plans.recommendation.sent",
        by=by,
        target=recommendation,
        unit=data.unit,
        changed=[
            n
            for n in ("addressee_unit", "addressee_name", "topic", "text", "source", "inspection", "sent_on", "due_on")
            if getattr(recommendation, n) not in ("", None)
        ],
    )
    return recommendation


# Which status may follow which: forward only; an answered recommendation may still be implemented.
TRANSITIONS: dict[str, set[str]] = {
    RecommendationStatus.SENT: {
        RecommendationStatus.RECEIVED,
        RecommendationStatus.CONSIDERING,
        RecommendationStatus.ANSWERED,
        RecommendationStatus.IMPLEMENTED,
        RecommendationStatus.DECLINED,
    },
    RecommendationStatus.RECEIVED: {
        RecommendationStatus.CONSIDERING,
        RecommendationStatus.ANSWERED,
        RecommendationStatus.IMPLEMENTED,
        RecommendationStatus.DECLINED,
    },
    RecommendationStatus.CONSIDERING: {
        RecommendationStatus.ANSWERED,
        RecommendationStatus.IMPLEMENTED,
        RecommendationStatus.DECLINED,
    },
    RecommendationStatus.ANSWERED: {RecommendationStatus.IMPLEMENTED},
    RecommendationStatus.IMPLEMENTED: set(),
    RecommendationStatus.DECLINED: set(),
}
ANSWERING = {RecommendationStatus.ANSWERED, RecommendationStatus.IMPLEMENTED, RecommendationStatus.DECLINED}


@transaction.atomic
def recommendation_advance(
    *,
    by: Any,
    recommendation: Recommendation,
    status: str,
    on: dt.date,
    answer: str = "",
    answer_document: Any = None,
    reason: str = "",
) -> Recommendation:
    """Move a recommendation on its way: received, being considered, answered, implemented or
    declined (declining needs a reason). The first answer's date says whether it came on time."""
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if status not in RecommendationStatus.values:
        raise ValidationFailed(_("Unknown status."), code="invalid_status", extra={"field": "status"})
    if status not in TRANSITIONS[locked.status]:
        raise Conflict(
            _("A recommendation that is “%(from)s” cannot become “%(to)s”.")
            % {"from": locked.get_status_display(), "to": RecommendationStatus(status).label},
            code="invalid_transition",
            extra={"field": "status"},
        )
    if on > today() + dt.timedelta(days=1):
        raise ValidationFailed(_("That date has not come yet."), code="date_in_future", extra={"field": "on"})
    if on < locked.sent_on:
        raise ValidationFailed(_("That date comes before the recommendation was sent."), code="date_before_sent",
                               extra={"field": "on"})  # fmt: skip
    answer = _text(answer, field="answer", limit=LONG_TEXT_MAX, required=False, multiline=True)
    reason = _text(reason, field="reason", limit=TEXT_MAX, required=False, multiline=True)
    if status == RecommendationStatus.DECLINED and not reason:
        raise ValidationFailed(_("Say why the recommendation is declined."), code="reason_required",
                               extra={"field": "reason"})  # fmt: skip
    changed = ["status"]
    locked.status = status
    if status in ANSWERING:
        if answer:
            locked.answer = answer
            changed.append("answer")
        if answer_document is not None:
            locked.answer_document = answer_document
            changed.append("answer_document")
        if locked.answered_on is None:
            locked.answered_on = on
            locked.answered_on_time = None if locked.due_on is None else on <= locked.due_on
            changed.append("answered_on")
    if status == RecommendationStatus.DECLINED:
        locked.decline_reason = reason
        changed.append("decline_reason")
    locked.save()
    audit_record(action=STATUS_ACTIONS[status], by=by, target=locked, unit=locked.unit, changed=changed)
    return locked
