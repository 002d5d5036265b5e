"""The paper score sheets of a stage as one A4 PDF: for each juror (a new page each), every
entry assigned to them with the criteria, their weights and maximum scores and an empty box for
the score, a box for the total and a line for the juror's signature. In a blind stage an entry
is shown by its code only, whoever prints the sheets: the paper goes to the jurors."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lantoa.core.pdf_fonts import register_serif
from lantoa.core.text import fold
from lantoa.judging.models import Criterion, JuryMember, ScoreSheet, Stage
from lantoa.judging.presenters import entry_code, sheet_entry


@dataclass(frozen=True)
class JurorSheets:
    juror: JuryMember
    sheets: list[ScoreSheet]


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _entry_label(sheet: ScoreSheet, blind: bool) -> str:
    if blind:
        return entry_code(sheet.entry)
    title, entrant, _materials = sheet_entry(sheet, blind=False)
    return f"{entry_code(sheet.entry)} · {title} — {entrant}"


def paper_pdf(*, stage: Stage, criteria: Sequence[Criterion], jurors: Sequence[JurorSheets]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = register_serif()
    bold = font + "-Bold"
    normal = ParagraphStyle("normal", fontName=font, fontSize=10, leading=12)
    heading = ParagraphStyle("heading", fontName=bold, fontSize=14, leading=18, alignment=1)
    strong = ParagraphStyle("strong", fontName=bold, fontSize=10.5, leading=13)
    buffer = io.BytesIO()
    with translation.override("vi"):
        document = SimpleDocTemplate(
            buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
            title=_("Paper score sheets: %(stage)s") % {"stage": str(stage)}, author=stage.unit.name,
        )  # fmt: skip
        width = A4[0] - 30 * mm
        story: list = []
        header: list[object] = [_("No."), _("Criterion"), _("Weight"), _("Maximum"), _("Score")]
        for index, item in enumerate(jurors):
            if index:
                story.append(PageBreak())
            story += [
                Paragraph(_escape(_("SCORE SHEET")), heading),
                Paragraph(_escape(f"{stage.competition.title} — {stage.name}"), normal),
                Paragraph(_escape(_("Juror: %(name)s") % {"name": item.juror.person.full_name}), normal),
                Spacer(1, 4 * mm),
            ]
            if not item.sheets:
                story.append(Paragraph(_escape(_("No entry is assigned to this juror.")), normal))
            for sheet in item.sheets:
                rows: list[list[object]] = [header]
                for criterion in criteria:
                    name = f"{criterion.section}: {criterion.name}" if criterion.section else criterion.name
                    rows.append(
                        [str(criterion.position), Paragraph(_escape(name), normal),
                         f"{criterion.weight.normalize():f}", f"{criterion.max_score.normalize():f}", ""]
                    )  # fmt: skip
                rows.append(["", Paragraph(_escape(_("Total (out of 100, worked out by Lantoa)")), normal), "", "", ""])
                table = Table(rows, colWidths=[10 * mm, width - 70 * mm, 18 * mm, 18 * mm, 24 * mm], repeatRows=1)
                table.setStyle(
                    TableStyle(
                        [
                            ("FONT", (0, 0), (-1, -1), font, 10),
                            ("FONT", (0, 0), (-1, 0), bold, 10),
                            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                            ("ALIGN", (2, 0), (-1, -1), "CENTER"),
                            ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
                            ("BACKGROUND", (2, -1), (3, -1), colors.Color(0.92, 0.92, 0.92)),
                            ("ROWBACKGROUNDS", (4, 1), (4, -1), [colors.white]),
                        ]
                    )
                )
                signature = Paragraph(_escape(_("Juror's signature: ..............................")), normal)
                label = Paragraph(_escape(_entry_label(sheet, stage.blind)), strong)
                block = [label, Spacer(1, 2 * mm), table, Spacer(1, 3 * mm), signature, Spacer(1, 7 * mm)]
                story.append(KeepTogether(block))
        document.build(story)
    return buffer.getvalue()


def paper_filename(stage: Stage, juror: JuryMember | None) -> str:
    name = slugify(fold(stage.name))[:40].strip("-") or "stage"
    return f"score-sheets-{stage.pk}-{name}" + (f"-juror-{juror.pk}" if juror else "") + ".pdf"
