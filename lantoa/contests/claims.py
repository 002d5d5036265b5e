"""Reads of prize claims for the organisers' pages, the API and the payment export: one presenter
masks them the same way everywhere (an account's last four digits, a phone's first and last
two), and gives them in full only when the caller says the prize officer asked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lantoa.contests.models import ClaimStatus, PrizeClaim, Round, RoundResult
from lantoa.contests.results import results_year
from lantoa.core.masking import mask_phone


@dataclass
class ClaimLine:
    """A prize winner of a round and their claim (None: not claimed yet)."""

    result: RoundResult
    claim: PrizeClaim | None

    @property
    def status(self) -> str:
        return self.claim.status if self.claim is not None else ClaimStatus.UNCLAIMED


def mask_account(account: str) -> str:
    """``0123456789`` → ``••••6789``."""
    return f"••••{account[-4:]}" if account else ""


def round_claim_lines(round_: Round) -> list[ClaimLine]:
    """Every individual prize of a closed round with its claim, in ranking order (two queries
    whatever the number of prizes)."""
    winners = list(
        RoundResult.objects.filter(round_id=round_.pk, prize=True)
        .select_related("contestant", "unit")
        .order_by("position")
    )
    claims = {c.contestant_id: c for c in PrizeClaim.objects.filter(round_id=round_.pk)}
    return [ClaimLine(r, claims.get(r.contestant_id)) for r in winners]


def claim_counts(lines: list[ClaimLine]) -> dict[str, int]:
    counts = dict.fromkeys(ClaimStatus.values, 0)
    for line in lines:
        counts[line.status] += 1
    return counts


def claim_out(claim: PrizeClaim, *, full: bool) -> dict[str, Any]:
    """A claim as the pages, the API and the export show it; ``full`` only for the prize officer."""
    return {
        "id": claim.pk,
        "round": claim.round_id,
        "contestant": claim.contestant_id,
        "status": claim.status,
        "method": claim.method,
        "payee_name": claim.payee_name,
        "bank_account": claim.bank_account if full else mask_account(claim.bank_account),
        "bank_name": claim.bank_name,
        "phone": claim.phone if full else mask_phone(claim.phone),
        "full": full,
        "claimed_at": claim.claimed_at,
        "paid_at": claim.paid_at,
        "erased_at": claim.erased_at,
    }


def line_out(line: ClaimLine, *, year: int) -> dict[str, Any]:
    from lantoa.contests.results import public_name

    r = line.result
    return {
        "rank": r.rank,
        "contestant": r.contestant_id,
        "name": r.contestant.name,
        "public_name": public_name(r.contestant, year),
        "unit_name": r.unit.name if r.unit is not None else "",
        "score": r.score,
        "status": line.status,
        "claim": claim_out(line.claim, full=False) if line.claim is not None else None,
    }


def lines_out(round_: Round) -> list[dict[str, Any]]:
    year = results_year(round_)
    return [line_out(line, year=year) for line in round_claim_lines(round_)]
