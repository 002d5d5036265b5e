"""Gates for question banks and their questions. "Not allowed" looks exactly like "not found".

A bank belongs to one unit. It is read by users who may read documents in a scope holding that
unit — as the tree stood at any time, and including the units merged into those, the one scope
rule of :mod:`lantoa.org.selectors` — and written by those who may edit records for its unit.
Answer keys are in a bank: a bank of the province is not visible to a commune below it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lantoa.accounts.permissions import has_capability, scope_root_ids
from lantoa.accounts.roles import Capability
from lantoa.contests.models import Contest, EligiblePerson, PrizeClaim, Question, QuestionBank, Round
from lantoa.core.errors import NotFound, PermissionDenied
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import ever_within_ids, last_open_day, predecessor_ids

READ = Capability.VIEW_DOCUMENTS


def banks_visible_to(by: Any) -> QuerySet[QuestionBank]:
    roots = scope_root_ids(by, READ)
    if not roots:
        return QuestionBank.objects.none()
    units = ever_within_ids(roots)
    return QuestionBank.objects.filter(Q(unit_id__in=units) | Q(unit_id__in=predecessor_ids(units)))


def may_read_banks(by: Any) -> bool:
    return has_capability(by, READ)


def may_create_banks(by: Any) -> bool:
    """Somewhere: the lists show "New bank" to these users."""
    return has_capability(by, Capability.EDIT_RECORDS)


def may_keep_bank_of(by: Any, unit: Unit) -> bool:
    return has_capability(by, Capability.EDIT_RECORDS, unit, as_of=last_open_day(unit))


def access_organising_unit(*, by: Any, code: str, refusal: str) -> Unit:
    """The unit named ``code`` whose banks and contests ``by`` would keep, for the page and the
    API alike: missing or out of scope answers like missing (404); in scope but not recorded by
    ``by``, 403 with ``refusal`` (which may name the unit as ``%(unit)s``) on the field ``unit``."""
    unit = access_unit(by=by, code=code)
    if not may_keep_bank_of(by, unit):
        raise PermissionDenied(refusal % {"unit": unit.name}, extra={"field": "unit"})
    return unit


def may_change(by: Any, bank: QuestionBank) -> bool:
    return may_keep_bank_of(by, bank.unit)


def access_bank(*, by: Any, pk: int, capability: str = READ) -> QuestionBank:
    bank = banks_visible_to(by).filter(pk=pk).select_related("unit").first()
    if bank is None:
        raise NotFound(_("No such question bank."), extra={"id": pk})
    if capability == Capability.EDIT_RECORDS and not may_change(by, bank):
        raise PermissionDenied(_("Your role does not allow changing this question bank."))
    return bank


def access_question(*, by: Any, pk: int, capability: str = READ) -> Question:
    question = (
        Question.objects.filter(pk=pk, bank__in=banks_visible_to(by))
        .select_related("bank__unit", "current", "source_document")
        .first()
    )
    if question is None:
        raise NotFound(_("No such question."), extra={"id": pk})
    if capability == Capability.EDIT_RECORDS and not may_change(by, question.bank):
        raise PermissionDenied(_("Your role does not allow changing this question."))
    return question


def require_bank_reader(by: Any) -> None:
    """The bank pages exist for users who read documents somewhere; for anyone else they do not."""
    if not may_read_banks(by):
        raise NotFound(_("Page not found."))


# --- Contests and rounds -------------------------------------------------------------------------
# A contest follows its organising unit like a bank: read by those who read documents in a scope
# holding the unit, changed by those who may edit records for it.


def contests_visible_to(by: Any) -> QuerySet[Contest]:
    roots = scope_root_ids(by, READ)
    if not roots:
        return Contest.objects.none()
    units = ever_within_ids(roots)
    return Contest.objects.filter(Q(unit_id__in=units) | Q(unit_id__in=predecessor_ids(units)))


def may_change_contest(by: Any, contest: Contest) -> bool:
    return may_keep_bank_of(by, contest.unit)


def access_contest(*, by: Any, pk: int, capability: str = READ) -> Contest:
    contest = contests_visible_to(by).filter(pk=pk).select_related("unit").first()
    if contest is None:
        raise NotFound(_("No such contest."), extra={"id": pk})
    if capability == Capability.EDIT_RECORDS and not may_change_contest(by, contest):
        raise PermissionDenied(_("Your role does not allow changing this contest."))
    return contest


def access_eligible(*, by: Any, contest_id: int, pk: int) -> EligiblePerson:
    """Someone on the list of a contest the user may change; anyone else answers like nobody."""
    contest = access_contest(by=by, pk=contest_id, capability=Capability.EDIT_RECORDS)
    person = EligiblePerson.objects.filter(pk=pk, contest=contest).first()
    if person is None:
        raise NotFound(_("Nobody with this id is on the contest's list."), extra={"id": pk})
    person.contest = contest
    return person


def access_round(*, by: Any, pk: int, capability: str = READ) -> Round:
    round_ = (
        Round.objects.filter(pk=pk, contest__in=contests_visible_to(by)).select_related("contest__unit", "bank").first()
    )
    if round_ is None:
        raise NotFound(_("No such round."), extra={"id": pk})
    if capability == Capability.EDIT_RECORDS and not may_change_contest(by, round_.contest):
        raise PermissionDenied(_("Your role does not allow changing this round."))
    return round_


def access_ranked_unit(*, round_: Round, code: str) -> Unit:
    """A unit whose children a round's unit ranking may list: the ranking's root (the organiser,
    or the unit an organiser without units below belongs to) or a unit within it on the day the
    round closed (today while open). Any other code answers like a unit that does not exist."""
    from lantoa.contests.results import ranking_day, ranking_root
    from lantoa.org.selectors import unit_by_code, unit_is_within

    day = ranking_day(round_)
    unit = unit_by_code((code or "").strip())
    if unit is None or not unit_is_within(unit.pk, [ranking_root(round_.contest, day).pk], as_of=day):
        raise NotFound(_("No unit with code %(code)s.") % {"code": code}, extra={"code": code})
    return unit


# --- Prize claims (decision 0034) ----------------------------------------------------------------
# Claims are read by those who may change the contest, masked; in full only by its prize officer:
# someone who may change the contest and also see sensitive personal fields for its unit.


def may_pay_prizes(by: Any, contest: Contest) -> bool:
    return may_change_contest(by, contest) and has_capability(
        by, Capability.VIEW_SENSITIVE, contest.unit, as_of=last_open_day(contest.unit)
    )


def access_claims(*, by: Any, round_id: int, full: bool = False) -> Round:
    """A round whose claims ``by`` may list (``full``: with the payment details, for payment)."""
    round_ = access_round(by=by, pk=round_id, capability=Capability.EDIT_RECORDS)
    if full and not may_pay_prizes(by, round_.contest):
        raise PermissionDenied(_("Only the contest's prize officer sees the payment details in full."))
    return round_


def access_claim(*, by: Any, pk: int, pay: bool = False) -> PrizeClaim:
    claim = (
        PrizeClaim.objects.filter(pk=pk, round__contest__in=contests_visible_to(by))
        .select_related("round__contest__unit", "contestant__unit")
        .first()
    )
    if claim is None:
        raise NotFound(_("No such prize claim."), extra={"id": pk})
    if not may_change_contest(by, claim.round.contest):
        raise PermissionDenied(_("Your role does not allow seeing prize claims."))
    if pay and not may_pay_prizes(by, claim.round.contest):
        raise PermissionDenied(_("Only the contest's prize officer marks prizes paid."))
    return claim
