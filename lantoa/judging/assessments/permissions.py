"""Who sees and acts on criteria assessments. "Not allowed" looks exactly like "not found".

A campaign is seen by staff who read documents in a scope holding its assessing unit (every
subject), and by staff whose scope holds one of its subjects (those subjects only): a unit sees
its own assessments and those it runs in its subtree — the one scope rule of
:mod:`lantoa.org.selectors`, through merged units too. Staff who record the subject's work
self-assess; staff who record the assessing unit's work verify and reopen.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lantoa.accounts.permissions import has_capability, scope_root_ids
from lantoa.accounts.roles import Capability
from lantoa.core.errors import NotFound, PermissionDenied
from lantoa.judging.assessments.models import Assessment, AssessmentCampaign, AssessmentEvidenceFile, EvidenceSide
from lantoa.org.models import Unit
from lantoa.org.selectors import ever_within_ids, last_open_day, predecessor_ids

READ = Capability.VIEW_DOCUMENTS
RUN = Capability.EDIT_RECORDS


def _units_q(by: Any, field: str) -> Q | None:
    roots = scope_root_ids(by, READ)
    if not roots:
        return None
    units = ever_within_ids(roots)
    return Q(**{f"{field}__in": units}) | Q(**{f"{field}__in": predecessor_ids(units)})


def campaigns_visible_to(by: Any) -> QuerySet[AssessmentCampaign]:
    runs = _units_q(by, "unit_id")
    if runs is None:
        return AssessmentCampaign.objects.none()
    subjects = Assessment.objects.filter(_units_q(by, "unit_id") or Q(pk=0)).values("campaign_id")
    return AssessmentCampaign.objects.filter(runs | Q(pk__in=subjects))


def assessments_visible_to(by: Any) -> QuerySet[Assessment]:
    own = _units_q(by, "unit_id")
    if own is None:
        return Assessment.objects.none()
    return Assessment.objects.filter(own | _units_q(by, "campaign__unit_id"))  # type: ignore[operator]


def runs_campaign(by: Any, campaign: AssessmentCampaign) -> bool:
    """Whether ``by`` reads the campaign as its assessing unit (every subject), not as a subject."""
    runs = _units_q(by, "unit_id")
    return runs is not None and AssessmentCampaign.objects.filter(runs, pk=campaign.pk).exists()


def may_verify(by: Any, campaign: AssessmentCampaign) -> bool:
    return has_capability(by, RUN, campaign.unit, as_of=last_open_day(campaign.unit))


def may_self_assess(by: Any, assessment: Assessment) -> bool:
    return has_capability(by, RUN, assessment.unit, as_of=last_open_day(assessment.unit))


def access_campaign(*, by: Any, pk: int) -> AssessmentCampaign:
    campaign = campaigns_visible_to(by).filter(pk=pk).select_related("unit", "rubric_version__rubric").first()
    if campaign is None:
        raise NotFound(_("No such assessment campaign."), extra={"id": pk})
    return campaign


def access_assessment(*, by: Any, pk: int, action: str = "") -> Assessment:
    """An assessment ``by`` sees; ``action`` "self" or "verify": one ``by`` may also do that
    (403 for those who only see it)."""
    assessment = (
        assessments_visible_to(by)
        .filter(pk=pk)
        .select_related("unit", "campaign__unit", "campaign__rubric_version__rubric")
        .first()
    )
    if assessment is None:
        raise NotFound(_("No such assessment."), extra={"id": pk})
    if action == "self" and not may_self_assess(by, assessment):
        raise PermissionDenied(_("Your role does not allow self-assessing for %(unit)s.") % {"unit": assessment.unit})
    if action == "verify" and not may_verify(by, assessment.campaign):
        raise PermissionDenied(_("Only the assessing unit verifies or reopens an assessment."))
    return assessment


def access_assessing_unit(*, by: Any, unit: Unit) -> Unit:
    if not has_capability(by, RUN, unit, as_of=last_open_day(unit)):
        raise PermissionDenied(
            _("Your role does not allow running assessments for %(unit)s.") % {"unit": unit.name},
            extra={"field": "unit"},
        )
    return unit


def access_evidence_file(*, by: Any, pk: int, remove: bool = False) -> AssessmentEvidenceFile:
    """An evidence file of an assessment ``by`` sees (any other answers like missing); with
    ``remove``, one ``by`` may also remove: the subject's staff for the self-assessment's files,
    the assessing unit's for the verification's (403 for those who only see it)."""
    evidence = (
        AssessmentEvidenceFile.objects.filter(pk=pk, assessment__in=assessments_visible_to(by))
        .select_related("assessment__unit", "assessment__campaign__unit")
        .first()
    )
    if evidence is None:
        raise NotFound(_("No such file."), extra={"id": pk})
    if remove:
        assessment = evidence.assessment
        allowed = (
            may_self_assess(by, assessment)
            if evidence.side == EvidenceSide.SELF
            else may_verify(by, assessment.campaign)
        )
        if not allowed:
            raise PermissionDenied(_("Your role does not allow removing this file."))
    return evidence
