"""Writes of criteria assessments: a campaign and its subjects, the subject's self-assessment
(saved as a draft, then submitted and locked), the assessor's verification (the result per
criterion and overall), and reopening with a reason.

Every write is atomic and audited; every value is checked before anything is written. A sheet's
total is the judging arithmetic (:func:`lantoa.judging.scoring.sheet_total`): out of 100,
weighted. Which score decides the result is decision 0033: the verified one, always.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core import uploads
from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.judging import scoring
from lantoa.judging.assessments.models import (
    EVIDENCE_FILE_MAX_MB,
    EVIDENCE_FILES_MAX,
    EVIDENCE_MAX,
    NOTE_MAX,
    SUBJECTS_MAX,
    YEAR_MAX,
    YEAR_MIN,
    Assessment,
    AssessmentCampaign,
    AssessmentEvidenceFile,
    AssessmentReopening,
    AssessmentScore,
    AssessmentStatus,
    EvidenceSide,
)
from lantoa.judging.models import REASON_MAX, SCORE_SCALE, TITLE_MAX, Criterion, Rubric
from lantoa.judging.services._common import _materials, _number, _text
from lantoa.org.models import Unit
from lantoa.org.selectors import unit_is_within, unit_subtree


@dataclass(frozen=True)
class SubjectData:
    unit: Unit
    model_title: str = ""


@dataclass
class CampaignData:
    unit: Unit
    title: str
    year: int
    starts_on: dt.date
    ends_on: dt.date
    rubric: Rubric
    pass_score: Any
    minimums: dict[int, Any] = field(default_factory=dict)  # criterion position → minimum
    subjects: list[SubjectData] = field(default_factory=list)
    tier: str = ""  # every unit of this tier beneath the assessing unit, on the period's first day


def _period(data: CampaignData) -> None:
    if not YEAR_MIN <= data.year <= YEAR_MAX:
        raise ValidationFailed(
            _("Enter a year between %(low)s and %(high)s.") % {"low": YEAR_MIN, "high": YEAR_MAX},
            extra={"field": "year"},
        )
    if data.ends_on < data.starts_on:
        raise ValidationFailed(_("The end date is before the start date."), extra={"field": "ends_on"})


def _minimums(data: CampaignData, criteria: Sequence[Criterion]) -> dict[str, str]:
    by_position = {criterion.position: criterion for criterion in criteria}
    found = {}
    for position, value in data.minimums.items():
        criterion = by_position.get(position)
        if criterion is None:
            raise ValidationFailed(
                _("No criterion number %(n)s in this rubric.") % {"n": position}, extra={"field": "minimums"}
            )
        number = _number(value, field_name=f"minimums.{position}", low=Decimal(0), high=criterion.max_score)
        found[str(criterion.pk)] = str(number)
    return found


def _subjects(data: CampaignData) -> list[SubjectData]:
    subjects = list(data.subjects)
    if data.tier:
        beneath = unit_subtree(data.unit, as_of=data.starts_on).filter(kind__tier__code=data.tier)
        subjects += [SubjectData(unit) for unit in beneath.exclude(pk=data.unit.pk).order_by("code")]
    if not subjects:
        raise ValidationFailed(_("Name the units or models to assess."), extra={"field": "subjects"})
    if len(subjects) > SUBJECTS_MAX:
        raise ValidationFailed(
            _("A campaign assesses at most %(max)s subjects.") % {"max": SUBJECTS_MAX}, extra={"field": "subjects"}
        )
    seen: set[tuple[int, str]] = set()
    cleaned = []
    for index, subject in enumerate(subjects):
        title = _text(subject.model_title, field_name=f"subjects.{index}.model_title", limit=TITLE_MAX)
        inside = subject.unit.pk != data.unit.pk and unit_is_within(
            subject.unit.pk, [data.unit.pk], as_of=data.starts_on
        )
        if not inside:
            raise ValidationFailed(
                _("%(unit)s is not beneath the assessing unit.") % {"unit": subject.unit.name},
                extra={"field": f"subjects.{index}.unit"},
            )
        key = (subject.unit.pk, title)
        if key not in seen:
            seen.add(key)
            cleaned.append(SubjectData(subject.unit, title))
    return cleaned


def campaign_create(*, by: Any, data: CampaignData) -> AssessmentCampaign:
    """A campaign on the rubric's current version (kept from then on), with its subjects."""
    _period(data)
    version = data.rubric.current
    if version is None:
        raise ValidationFailed(_("This rubric has no criteria yet."), extra={"field": "rubric"})
    criteria = list(version.criteria.all())
    minimums = _minimums(data, criteria)
    pass_score = _number(data.pass_score, field_name="pass_score", low=Decimal(0), high=SCORE_SCALE)
    subjects = _subjects(data)
    with transaction.atomic():
        campaign = AssessmentCampaign.objects.create(
            unit=data.unit,
            title=_text(data.title, field_name="title", required=True),
            year=data.year,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            rubric_version=version,
            pass_score=pass_score,
            minimums=minimums,
        )
        Assessment.objects.bulk_create(
            [Assessment(campaign=campaign, unit=s.unit, model_title=s.model_title) for s in subjects]
        )
        audit_record(action="lantoa.judging.assessment.campaign_created", by=by, target=campaign, unit=data.unit)
    return campaign


# --- The self-assessment ------------------------------------------------------------------------


@dataclass(frozen=True)
class SelfScore:
    value: Any
    note: str = ""


@dataclass
class SelfData:
    scores: dict[int, SelfScore] = field(default_factory=dict)  # criterion id → score
    comment: str = ""
    evidence: list[str] = field(default_factory=list)
    submit: bool = False


def _criteria(assessment: Assessment) -> list[Criterion]:
    return list(Criterion.objects.filter(version_id=assessment.campaign.rubric_version_id).order_by("position"))


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("campaign", "unit").get(pk=assessment.pk)


def _known(criteria: Sequence[Criterion], ids: Any) -> dict[int, Criterion]:
    by_id = {criterion.pk: criterion for criterion in criteria}
    if set(ids) - set(by_id):
        raise ValidationFailed(_("No such criterion in this assessment."), extra={"field": "criterion"})
    return by_id


def self_assess(*, by: Any, assessment: Assessment, data: SelfData) -> Assessment:
    """Save the subject's scores, notes, comment and evidence links; with ``submit`` every
    criterion must be scored, and the assessment is locked for the assessor to verify."""
    comment = _text(data.comment, field_name="comment", limit=NOTE_MAX, multiline=True)
    if len(data.evidence) > EVIDENCE_MAX:
        raise ValidationFailed(_("At most %(max)s links.") % {"max": EVIDENCE_MAX}, extra={"field": "evidence"})
    evidence = _materials(data.evidence)
    with transaction.atomic():
        assessment = _locked(assessment)
        if assessment.status != AssessmentStatus.DRAFT:
            raise Conflict(
                _("This self-assessment is submitted and locked; the assessing unit can reopen it."),
                code="assessment_locked",
            )
        criteria = _criteria(assessment)
        by_id = _known(criteria, data.scores)
        checked = {
            pk: (
                _number(item.value, field_name=f"criterion_{pk}", low=Decimal(0), high=by_id[pk].max_score),
                _text(item.note, field_name=f"note_{pk}", limit=REASON_MAX),
            )
            for pk, item in data.scores.items()
        }
        for pk, (value, note) in checked.items():
            AssessmentScore.objects.update_or_create(
                assessment=assessment, criterion_id=pk, defaults={"self_value": value, "note": note}
            )
        assessment.self_comment = comment
        assessment.evidence = evidence
        assessment.save(update_fields=["self_comment", "evidence", "updated_at"])
        if data.submit:
            return _submit(by, assessment, criteria)
        audit_record(
            action="lantoa.judging.assessment.self_saved", by=by, target=assessment, unit=assessment.unit,
            changed=["scores"],
        )  # fmt: skip
    return assessment


def _submit(by: Any, assessment: Assessment, criteria: Sequence[Criterion]) -> Assessment:
    values: dict[int, Decimal] = {
        pk: value for pk, value in assessment.scores.values_list("criterion_id", "self_value") if value is not None
    }
    missing = [criterion.name for criterion in criteria if criterion.pk not in values]
    if missing:
        raise ValidationFailed(
            _("Score every criterion before submitting: %(names)s.") % {"names": ", ".join(missing)},
            code="assessment_incomplete",
            extra={"missing": missing},
        )
    assessment.self_total = _total(criteria, values)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["self_total", "status", "submitted_at", "updated_at"])
    audit_record(
        action="lantoa.judging.assessment.submitted", by=by, target=assessment, unit=assessment.unit,
        changed=["status"],
    )  # fmt: skip
    return assessment


def _total(criteria: Sequence[Criterion], values: Mapping[int, Decimal]) -> Decimal:
    return scoring.sheet_total(scoring.CriterionScore(values[c.pk], c.max_score, c.weight) for c in criteria)


# --- Verification -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifiedScore:
    value: Any
    reason: str = ""


def outcome(
    criteria: Sequence[Criterion], values: Mapping[int, Decimal], pass_score: Decimal, minimums: Mapping[str, str]
) -> tuple[Decimal, dict[int, bool], bool]:
    """The verified total, each criterion met or not (at or above its own minimum; met when it
    has none) and the overall result: the total at or above the pass score and every criterion
    met."""
    total = _total(criteria, values)
    met = {c.pk: values[c.pk] >= Decimal(minimums.get(str(c.pk), "0")) for c in criteria}
    return total, met, total >= pass_score and all(met.values())


def verify(*, by: Any, assessment: Assessment, scores: dict[int, VerifiedScore], comment: str = "") -> Assessment:
    """The assessor's score for every criterion (a reason wherever it differs from the
    subject's), which sets the result; the subject's unit and the period's last day are fixed
    on the assessment for the indicator."""
    comment = _text(comment, field_name="comment", limit=NOTE_MAX, multiline=True)
    with transaction.atomic():
        assessment = _locked(assessment)
        if assessment.status != AssessmentStatus.SUBMITTED:
            raise Conflict(_("Only a submitted self-assessment can be verified."), code="assessment_not_submitted")
        criteria = _criteria(assessment)
        by_id = _known(criteria, scores)
        missing = [criterion.name for criterion in criteria if criterion.pk not in scores]
        if missing:
            raise ValidationFailed(
                _("Score every criterion: %(names)s.") % {"names": ", ".join(missing)},
                code="verification_incomplete",
                extra={"missing": missing},
            )
        rows = {row.criterion_id: row for row in assessment.scores.all()}
        checked: dict[int, tuple[Decimal, str]] = {}
        for pk, item in scores.items():
            value = _number(item.value, field_name=f"criterion_{pk}", low=Decimal(0), high=by_id[pk].max_score)
            reason = _text(item.reason, field_name=f"reason_{pk}", limit=REASON_MAX)
            if value != rows[pk].self_value and not reason:
                raise ValidationFailed(
                    _("Give the reason for changing the score of “%(name)s”.") % {"name": by_id[pk].name},
                    code="reason_required",
                    extra={"field": f"reason_{pk}"},
                )
            checked[pk] = (value, reason)
        campaign = assessment.campaign
        total, met, passed = outcome(
            criteria, {pk: value for pk, (value, _r) in checked.items()}, campaign.pass_score, campaign.minimums
        )
        for pk, (value, reason) in checked.items():
            row = rows[pk]
            row.verified_value, row.reason, row.passed = value, reason, met[pk]
        AssessmentScore.objects.bulk_update(list(rows.values()), ["verified_value", "reason", "passed"])
        assessment.verified_total = total
        assessment.passed = passed
        assessment.verification_comment = comment
        assessment.status = AssessmentStatus.VERIFIED
        assessment.verified_at = timezone.now()
        assessment.verified_by = actor_or_none(by)
        assessment.counted_unit_id = assessment.unit_id
        assessment.counted_on = campaign.ends_on
        assessment.save()
        audit_record(
            action="lantoa.judging.assessment.verified", by=by, target=assessment, unit=campaign.unit,
            changed=["status", "passed"],
        )  # fmt: skip
    return assessment


# --- Reopening ----------------------------------------------------------------------------------


def _snapshot(assessment: Assessment) -> dict[str, Any]:
    def text(value: Any) -> str | None:
        return None if value is None else str(value)

    return {
        "status": assessment.status,
        "self_total": text(assessment.self_total),
        "verified_total": text(assessment.verified_total),
        "passed": assessment.passed,
        "verified_at": assessment.verified_at.isoformat() if assessment.verified_at else None,
        "scores": [
            {"criterion": row.criterion_id, "self": text(row.self_value), "verified": text(row.verified_value),
             "reason": row.reason, "passed": row.passed}
            for row in assessment.scores.order_by("criterion__position")
        ],
    }  # fmt: skip


def reopen(*, by: Any, assessment: Assessment, reason: str) -> Assessment:
    """One step back, with a reason kept beside what it replaces: a verified assessment is
    verified again (its result is withdrawn until then); a submitted one returns to its subject."""
    reason = _text(reason, field_name="reason", limit=REASON_MAX, required=True)
    with transaction.atomic():
        assessment = _locked(assessment)
        if assessment.status == AssessmentStatus.DRAFT:
            raise Conflict(_("This self-assessment is not submitted."), code="assessment_open")
        AssessmentReopening.objects.create(
            assessment=assessment, by=actor_or_none(by), reason=reason, previous=_snapshot(assessment)
        )
        if assessment.status == AssessmentStatus.VERIFIED:
            assessment.status = AssessmentStatus.SUBMITTED
            assessment.scores.update(verified_value=None, reason="", passed=None)
        else:
            assessment.status = AssessmentStatus.DRAFT
            assessment.self_total = None
            assessment.submitted_at = None
        assessment.verified_total = assessment.passed = assessment.verified_at = None
        assessment.counted_unit = assessment.counted_on = assessment.verified_by = None
        assessment.save()
        audit_record(
            action="lantoa.judging.assessment.reopened", by=by, target=assessment,
            unit=assessment.campaign.unit, changed=["status"],
        )  # fmt: skip
    return assessment


# --- Evidence files (decision 0037) -------------------------------------------------------------

# The side whose evidence may change in each status: the subject's while it self-assesses, the
# assessor's while it verifies. A verified assessment's evidence is locked like its scores.
OPEN_SIDE = {AssessmentStatus.DRAFT: EvidenceSide.SELF, AssessmentStatus.SUBMITTED: EvidenceSide.VERIFICATION}


def _evidence_open(assessment: Assessment, side: str) -> None:
    if side not in EvidenceSide.values:
        raise ValidationFailed(_("Choose whose evidence this is."), code="invalid_side", extra={"field": "side"})
    if OPEN_SIDE.get(AssessmentStatus(assessment.status)) != side:
        raise Conflict(
            _("This evidence is locked with the scores it supports; the assessing unit can reopen the assessment."),
            code="evidence_locked",
        )


@uploads.records_classified_refusals
def evidence_add(
    *, by: Any, assessment: Assessment, criterion_id: int, side: str, upload: Any
) -> AssessmentEvidenceFile:
    """Keep a file as evidence for one criterion: on the subject's side while it self-assesses,
    on the assessor's while it verifies. The size is checked before the content is read; the
    content decides the type (documents and images only); a classified paper is refused. At most
    ``EVIDENCE_FILES_MAX`` files per criterion and side."""
    size = getattr(upload, "size", None) or 0
    if size > EVIDENCE_FILE_MAX_MB * uploads.MB:
        raise ValidationFailed(
            _("“%(name)s” is %(size)s MB; evidence files are kept up to %(limit)s MB.")
            % {"name": upload.name or "", "size": f"{size / uploads.MB:.1f}", "limit": EVIDENCE_FILE_MAX_MB},
            code="file_too_large",
            extra={"field": "file", "limit_mb": EVIDENCE_FILE_MAX_MB},
        )
    # The content is read and checked before the transaction: no write lock is held meanwhile.
    seen = uploads.inspect_upload(upload)
    if seen.role in (uploads.ROLE_AUDIO, uploads.ROLE_VIDEO):
        raise ValidationFailed(
            _("Evidence is a document or an image (PDF, Word, OpenDocument, PNG, JPEG, GIF, WebP)."),
            code="file_type_not_allowed",
            extra={"field": "file"},
        )
    uploads.refuse_if_classified(by=by, text=seen.sample_text, where=upload.name or "")
    with transaction.atomic():
        assessment = _locked(assessment)
        _evidence_open(assessment, side)
        criterion = Criterion.objects.filter(pk=criterion_id, version_id=assessment.campaign.rubric_version_id).first()
        if criterion is None:
            raise ValidationFailed(_("No such criterion in this assessment."), extra={"field": "criterion"})
        kept = AssessmentEvidenceFile.objects.filter(assessment=assessment, criterion=criterion, side=side).count()
        if kept >= EVIDENCE_FILES_MAX:
            raise Conflict(
                _("A criterion keeps at most %(max)s evidence files on each side; remove one first.")
                % {"max": EVIDENCE_FILES_MAX},
                code="too_many_files",
                extra={"field": "file", "max": EVIDENCE_FILES_MAX},
            )
        upload.seek(0)
        evidence = AssessmentEvidenceFile.objects.create(
            assessment=assessment, criterion=criterion, side=side, file=upload,
            original_name=(upload.name or "")[:255], content_type=seen.content_type, size=seen.size,
            uploaded_by=actor_or_none(by),
        )  # fmt: skip
        audit_record(
            action="lantoa.judging.assessment.evidence_added", by=by, target=assessment,
            unit=assessment.unit if side == EvidenceSide.SELF else assessment.campaign.unit, changed=["evidence_files"],
        )  # fmt: skip
    return evidence


def evidence_remove(*, by: Any, evidence: AssessmentEvidenceFile) -> None:
    """Remove an evidence file while its side is open; the stored file is deleted once the
    removal is committed."""
    with transaction.atomic():
        assessment = _locked(evidence.assessment)
        _evidence_open(assessment, evidence.side)
        stored = evidence.file.name or ""
        storage = evidence.file.storage
        unit = assessment.unit if evidence.side == EvidenceSide.SELF else assessment.campaign.unit
        evidence.delete()
        audit_record(
            action="lantoa.judging.assessment.evidence_removed", by=by, target=assessment, unit=unit,
            changed=["evidence_files"],
        )  # fmt: skip
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))
