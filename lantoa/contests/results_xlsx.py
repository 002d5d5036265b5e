"""A round's results as XLSX: the individual results, the prize list, the unit ranking and the
weekly per-unit snapshot units report every Monday. Each sheet is written from the same reads
and the same presenters (:func:`lantoa.contests.results.row_out`, ``unit_out``) as the page and
the API, so the numbers are the same. Written in openpyxl's write-only mode (rows streamed, a
large round does not hold every cell in memory); text is written as text, never as a formula;
Vietnamese is kept as it is (XLSX is UTF-8)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from lantoa.contests import overall, results
from lantoa.contests.models import ClaimStatus, Contest, PayoutMethod, Round

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@")
KINDS = ("results", "prizes", "units", "week")


def _text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """Spreadsheets hold no time zone: the local time, without its zone."""
    return None if value is None else timezone.localtime(value).replace(tzinfo=None)


def _book(title: str, header: list[str], rows: Iterable[list[Any]], notes: list[list[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for note in notes:
        sheet.append([_text(v) for v in note])
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append([_text(v) for v in row])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _heading(round_: Round) -> list[list[Any]]:
    state = _("Final") if round_.closed_at is not None else _("Provisional (the round is not closed)")
    return [
        [round_.contest.title],
        [_("Round %(number)s") % {"number": round_.number}, round_.title, state],
    ]


def _individual_rows(rows: Iterable[results.Row], year: int) -> Iterable[list[Any]]:
    for row in rows:
        out = results.row_out(row, year=year)
        yield [
            out["rank"],
            out["name"],
            out["unit"] or "",
            out["unit_name"],
            out["score"],
            out["prediction"],
            out["closeness"],
            round(out["duration_ms"] / 1000, 1),
            _local(out["submitted_at"]),
            out["entries"],
            _("yes") if out["prize"] else "",
        ]


def _individual_header() -> list[str]:
    return [
        _("Rank"),
        _("Full name"),
        _("Unit code"),
        _("Unit"),
        _("Score"),
        _("Prediction"),
        _("Off by"),
        _("Time (s)"),
        _("Submitted"),
        _("Entries"),
        _("Prize"),
    ]


def results_workbook(round_: Round) -> bytes:
    year = results.results_year(round_)
    return _book(
        _("Results"),
        _individual_header(),
        _individual_rows(results.iter_rows(round_), year),
        _heading(round_),
    )


def prizes_workbook(round_: Round) -> bytes:
    year = results.results_year(round_)
    header = [_("Prize"), *_individual_header()[:5]]
    rows: list[list[Any]] = []
    for row in results.prize_winners(round_):
        out = results.row_out(row, year=year)
        rows.append([_("Individual"), out["rank"], out["name"], out["unit"] or "", out["unit_name"], out["score"]])
    for unit in results.stored_unit_ranking(round_):
        if unit.prize:
            out = results.unit_out(unit)
            rows.append([_("Collective"), out["rank"], "", out["unit"], out["unit_name"], None])
    notes = [*_heading(round_), [_("For paying the prizes: keep this file to those who pay them.")]]
    return _book(_("Prizes"), header, rows, notes)


def _unit_header() -> list[str]:
    return [
        _("Rank"),
        _("Unit code"),
        _("Unit"),
        _("Contestants"),
        _("Entries"),
        _("Party members"),
        _("Participation (%)"),
        _("Prize"),
    ]


def _unit_rows(rows: list[results.UnitRow]) -> list[list[Any]]:
    answer = []
    for row in rows:
        out = results.unit_out(row)
        answer.append(
            [
                out["rank"],
                out["unit"],
                out["unit_name"],
                out["contestants"],
                out["entries"],
                out["party_members"],
                out["rate"],
                _("yes") if out["prize"] else "",
            ]
        )
    return answer


def units_workbook(round_: Round) -> bytes:
    notes = [*_heading(round_), [_("Each unit's whole subtree, as the tree stood when the round closed.")]]
    return _book(_("Units"), _unit_header(), _unit_rows(results.round_unit_ranking(round_)), notes)


def week_workbook(round_: Round, monday: dt.date) -> bytes:
    sunday = monday + dt.timedelta(days=6)
    notes = [
        *_heading(round_),
        [_("Week"), monday.strftime("%d/%m/%Y"), sunday.strftime("%d/%m/%Y")],
        [_("Entries and contestants of the week only; the rate is against Party members filed for the year.")],
    ]
    return _book(
        _("Week"), _unit_header()[:-1], [r[:-1] for r in _unit_rows(results.weekly_snapshot(round_, monday))], notes
    )


def filename(round_: Round, kind: str, monday: dt.date | None = None) -> str:
    suffix = f"-{monday.isoformat()}" if monday else ""
    return f"contest-{round_.contest_id}-round-{round_.number}-{kind}{suffix}.xlsx"


def overall_workbook(contest: Contest) -> bytes:
    """The contest's overall ranking, every line, from the same presenter as its page and the API."""
    year = overall.overall_year(contest)
    header = [
        _("Rank"),
        _("Full name"),
        _("Unit code"),
        _("Unit"),
        _("Rounds"),
        _("Score"),
        _("Off by"),
        _("Time (s)"),
        _("Last submitted"),
    ]

    def rows() -> Iterable[list[Any]]:
        for row in overall.iter_overall(contest):
            out = overall.overall_out(row, year=year)
            yield [
                out["rank"],
                out["name"],
                out["unit"] or "",
                out["unit_name"],
                out["rounds"],
                out["score"],
                out["closeness"],
                round(out["duration_ms"] / 1000, 1),
                _local(out["last_submitted_at"]),
            ]

    notes = [[contest.title], [_("Overall ranking over the closed rounds")]]
    return _book(_("Overall"), header, rows(), notes)


def overall_filename(contest: Contest) -> str:
    return f"contest-{contest.pk}-overall.xlsx"


def claims_workbook(round_: Round) -> bytes:
    """The payment list of a round's individual prizes, in full (for the prize officer only)."""
    from lantoa.contests import claims

    header = [
        _("Rank"),
        _("Full name"),
        _("Unit"),
        _("Status"),
        _("How the prize is paid"),
        _("Full name as on the account"),
        _("Bank account number"),
        _("Bank"),
        _("Phone"),
        _("Claimed"),
        _("Paid"),
    ]
    rows = []
    for line in claims.round_claim_lines(round_):
        claim = claims.claim_out(line.claim, full=True) if line.claim is not None else None
        rows.append(
            [
                line.result.rank,
                line.result.contestant.name,
                line.result.unit.name if line.result.unit is not None else "",
                str(ClaimStatus(line.status).label),
                str(PayoutMethod(claim["method"]).label) if claim else "",
                claim["payee_name"] if claim else "",
                claim["bank_account"] if claim else "",
                claim["bank_name"] if claim else "",
                claim["phone"] if claim else "",
                _local(claim["claimed_at"]) if claim else None,
                _local(claim["paid_at"]) if claim else None,
            ]
        )
    notes = [
        *_heading(round_),
        [_("Payment details: keep this file to those who pay the prizes, and delete it once paid.")],
    ]
    return _book(_("Payment"), header, rows, notes)
