"""What an inspection's dossier says, once, for both the DOCX and the PDF: a list of blocks
(headings, paragraphs, label–value lines, tables) read from the records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lantoa.org.selectors import today
from lantoa.plans.models import Inspection
from lantoa.plans.selectors import follow_up_status, inspection_parts

PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Body:
    text: str


@dataclass(frozen=True)
class Fields:
    rows: list[tuple[str, str]]


@dataclass(frozen=True)
class Grid:
    header: list[str]
    rows: list[list[str]]
    # Share of the text width of each column (they add up to 1).
    shares: list[float]


Block = Heading | Body | Fields | Grid


@dataclass
class Dossier:
    unit_name: str
    dated: str
    title: str
    subtitle: str
    blocks: list[Block] = field(default_factory=list)


def _day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _lines(text: str) -> list[Block]:
    return [Body(line) for line in text.splitlines() or [""]]


def _general(inspection: Inspection) -> list[Block]:
    kinds = {"inspection": _("Inspection"), "supervision": _("Supervision")}
    decided = _day(inspection.decided_on) and _("of %(day)s") % {"day": _day(inspection.decided_on)}
    decision = " ".join(part for part in (inspection.decision_number, decided) if part)
    return [
        Heading(_("1. General")),
        Fields([
            (_("Kind"), kinds.get(inspection.kind, inspection.kind)),
            (_("Plan year"), str(inspection.year)),
            (_("Deciding body"), inspection.deciding_body),
            (_("Decision"), decision or "—"),
            (_("Dates"), f"{_day(inspection.starts_on)} – {_day(inspection.ends_on)}"),
            (_("Recorded by"), inspection.unit.name),
        ]),
    ]  # fmt: skip


def _team(team: list[Any]) -> list[Block]:
    roles = {"chief": _("Head of the team"), "member": _("Member"), "secretary": _("Secretary")}
    if not team:
        return [Heading(_("3. The team")), Body(_("No member recorded."))]
    rows = [[str(n), m.display_name, roles.get(m.role, m.role)] for n, m in enumerate(team, start=1)]
    return [Heading(_("3. The team")), Grid([_("No."), _("Name"), _("Role")], rows, [0.1, 0.6, 0.3])]


def _follow_ups(conclusions: list[Any], day: dt.date) -> list[Block]:
    labels = {"open": pgettext("follow-up", "Open"), "overdue": _("Overdue"), "closed": pgettext("follow-up", "Closed")}
    pairs = [(c, c.follow_up) for c in conclusions if getattr(c, "follow_up", None) is not None]
    if not pairs:
        return [Heading(_("7. Carrying out the conclusions")), Body(_("No conclusion asks for action."))]
    rows = [
        [str(c.number), f.owner_unit.name, _day(f.due_on), labels[follow_up_status(f, on=day)],
         " ".join(x for x in (_day(f.closed_on), f.evidence, f.evidence_url) if x)]
        for c, f in pairs
    ]  # fmt: skip
    header = [_("No."), _("Owner unit"), _("Deadline"), _("Status"), _("Closed on, evidence")]
    return [Heading(_("7. Carrying out the conclusions")), Grid(header, rows, [0.09, 0.27, 0.15, 0.15, 0.34])]


def _papers(files: list[Any], number: int) -> list[Block]:
    if not files:
        return []
    rows = [
        [str(n), f.get_kind_display() + (f" ({f.unit.name})" if f.unit_id else ""), f.title or f.original_name,
         _day(f.dated_on), _("replaced") if hasattr(f, "replaced_by") else ""]
        for n, f in enumerate(files, start=1)
    ]  # fmt: skip
    header = [_("No."), _("Kind"), _("Paper"), _("Dated"), _("Note")]
    return [
        Heading(_("%(number)d. Papers attached") % {"number": number}),
        Grid(header, rows, [0.09, 0.3, 0.33, 0.15, 0.13]),
    ]


def dossier_content(inspection: Inspection, *, on: dt.date | None = None) -> Dossier:
    """The inspection's dossier: what was decided and by whom, the team, the units inspected, the
    topics asked, the findings, the numbered conclusions and what each asked of whom, with how it
    was carried out; the recommendations that came from it and the papers kept (six queries)."""
    day = on or today()
    parts = inspection_parts(inspection)
    recommendations = list(inspection.recommendations.select_related("addressee_unit").order_by("sent_on", "pk"))
    dossier = Dossier(
        unit_name=inspection.unit.name,
        dated=_("Compiled on %(day)s") % {"day": day.strftime("%d/%m/%Y")},
        title=_("INSPECTION DOSSIER"),
        subtitle=inspection.title,
    )
    blocks = dossier.blocks
    blocks += _general(inspection)
    blocks += [Heading(_("2. Units inspected"))] + [Body(f"- {u.name} ({u.code})") for u in parts["inspected"]]
    blocks += _team(parts["team"])
    blocks += [Heading(_("4. Topics and questions")), *_lines(inspection.topics)]
    blocks += [Heading(_("5. Findings")), *_lines(inspection.findings or _("No finding recorded."))]
    blocks.append(Heading(_("6. Conclusions")))
    blocks += [Body(f"{c.number}. {c.text}") for c in parts["conclusions"]] or [Body(_("No conclusion recorded."))]
    blocks += _follow_ups(parts["conclusions"], day)
    if recommendations:
        blocks.append(Heading(_("8. Recommendations that came from it")))
        blocks += [
            Body(f"{n}. {r.topic} — {r.addressee} ({_day(r.sent_on)}): {r.get_status_display()}")
            for n, r in enumerate(recommendations, start=1)
        ]
    blocks += _papers(parts["files"], 9 if recommendations else 8)
    return dossier
