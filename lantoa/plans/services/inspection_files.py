"""An inspection's papers: the inspected unit's report, the minutes of the working session and
others, kept as uploaded (checked by content like every upload, classified papers refused)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lantoa.core import uploads
from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.org.models import Unit
from lantoa.org.selectors import today
from lantoa.plans.models import TITLE_MAX, Inspection, InspectionFile, InspectionFileKind
from lantoa.plans.services._common import _text

# A paper may be dated a little before the inspection (the unit's report is sent ahead of it).
EARLIEST_BEFORE = dt.timedelta(days=366)


def _check_unit(inspection: Inspection, kind: str, unit: Unit | None) -> None:
    if kind not in InspectionFileKind.values:
        raise ValidationFailed(_("Choose what the file is."), code="invalid_kind", extra={"field": "kind"})
    if kind != InspectionFileKind.REPORT:
        if unit is not None:
            raise ValidationFailed(_("Only a report names the unit it comes from."), code="unit_not_expected",
                                   extra={"field": "unit"})  # fmt: skip
        return
    if unit is None or not inspection.inspected.filter(unit=unit).exists():
        raise ValidationFailed(_("A report comes from one of the inspected units."), code="unit_not_inspected",
                               extra={"field": "unit"})  # fmt: skip


def _check_replaced(inspection: Inspection, kind: str, replaces: InspectionFile | None) -> None:
    if replaces is None:
        return
    if replaces.inspection_id != inspection.pk or replaces.kind != kind:
        raise ValidationFailed(_("Replace a paper of the same kind of this inspection."), code="invalid_replaces",
                               extra={"field": "replaces"})  # fmt: skip
    if InspectionFile.objects.filter(replaces=replaces).exists():
        raise Conflict(_("That paper has been replaced already."), code="already_replaced",
                       extra={"field": "replaces"})  # fmt: skip


def _check_date(inspection: Inspection, dated_on: dt.date) -> None:
    if dated_on > today() + dt.timedelta(days=1):
        raise ValidationFailed(_("That date has not come yet."), code="date_in_future", extra={"field": "dated_on"})
    if dated_on < inspection.starts_on - EARLIEST_BEFORE:
        raise ValidationFailed(_("That date is more than a year before the inspection."), code="date_too_early",
                               extra={"field": "dated_on"})  # fmt: skip


@uploads.records_classified_refusals
@transaction.atomic
def inspection_file_add(
    *,
    by: Any,
    inspection: Inspection,
    upload: Any,
    kind: str,
    dated_on: dt.date,
    unit: Unit | None = None,
    title: str = "",
    replaces: InspectionFile | None = None,
) -> InspectionFile:
    """Keep a paper of the inspection. A report names the inspected unit it comes from. A paper
    that ``replaces`` another keeps the other in the history, marked as replaced."""
    title = _text(title, field="title", limit=TITLE_MAX, required=False)
    _check_unit(inspection, kind, unit)
    _check_date(inspection, dated_on)
    Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
    _check_replaced(inspection, kind, replaces)
    seen = uploads.inspect_upload(upload)
    if seen.role in ("audio", "video"):
        raise ValidationFailed(_("Keep recordings in the library; an inspection keeps documents and images."),
                               code="file_type_not_allowed", extra={"field": "file"})  # fmt: skip
    uploads.refuse_if_classified(by=by, text=seen.sample_text, where=upload.name or "")
    upload.seek(0)
    try:
        with transaction.atomic():
            kept = InspectionFile.objects.create(
                inspection=inspection, kind=kind, unit=unit, title=title, dated_on=dated_on, file=upload,
                original_name=(upload.name or "")[:255], content_type=seen.content_type, size=seen.size,
                replaces=replaces, uploaded_by=actor_or_none(by),
            )  # fmt: skip
    except IntegrityError:
        raise Conflict(_("That paper has been replaced already."), code="already_replaced",
                       extra={"field": "replaces"}) from None  # fmt: skip
    audit_record(action="lantoa.plans.inspection.file_added", by=by, target=inspection, unit=inspection.unit,
                 changed=["files"])  # fmt: skip
    return kept
