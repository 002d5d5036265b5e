"""Plans for tests, made through the real services."""

from __future__ import annotations

import datetime as dt
import itertools

from lantoa.library.models import Document, DocumentKind
from lantoa.org.models import Tier, Unit
from lantoa.plans import services
from lantoa.plans.models import ActionProgramme, IssueRequirement, ProgrammeTask

_counter = itertools.count(1)
RESOLUTION_DAY = dt.date(2021, 3, 1)


def make_document(owner: Unit, *, title: str = "Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII") -> Document:
    kind, _created = DocumentKind.objects.get_or_create(
        code="resolution", defaults={"name_vi": "Nghị quyết", "name_en": "Resolution"}
    )
    return Document.objects.create(
        kind=kind,
        title=title,
        slug=f"plans-test-{next(_counter)}",
        number="",
        owner_unit=owner,
        issued_on=RESOLUTION_DAY,
        visibility="internal",
    )


def make_requirement(
    unit: Unit, document: Document, *, tier: str = "district", due_on: dt.date = dt.date(2021, 3, 31)
) -> IssueRequirement:
    return services.requirement_set(
        by=None, unit=unit, document=document, tier=Tier.objects.get(code=tier), due_on=due_on
    )


def make_programme(unit: Unit, document: Document, *, issued_on: dt.date = dt.date(2021, 3, 20)) -> ActionProgramme:
    number = next(_counter)
    return services.programme_create(
        by=None,
        data=services.ProgrammeData(
            unit=unit,
            document=document,
            title=f"Chương trình hành động thực hiện Nghị quyết ({number})",
            decision_number=f"{number}-CTr/HU",
            issued_on=issued_on,
        ),
    )


def make_task(
    programme: ActionProgramme,
    *,
    starts_on: dt.date = dt.date(2021, 4, 1),
    due_on: dt.date = dt.date(2021, 12, 31),
    owner_unit: Unit | None = None,
    **extra: object,
) -> ProgrammeTask:
    return services.task_add(
        by=None,
        programme=programme,
        data=services.TaskData(
            title=f"Nhiệm vụ {next(_counter)}",
            starts_on=starts_on,
            due_on=due_on,
            owner_unit=owner_unit,
            owner_role="" if owner_unit else "Ban Tuyên giáo chủ trì",
            **extra,  # type: ignore[arg-type]
        ),
    )


def report(task: ProgrammeTask, percent: int, *, on: dt.date = dt.date(2021, 6, 1)) -> None:
    services.progress_record(by=None, task=task, data=services.UpdateData(percent=percent, recorded_on=on))


def pdf_bytes(*lines: str) -> bytes:
    """A small real PDF holding ``lines`` (a paper to upload)."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for n, line in enumerate(lines or ("Biên bản",)):
        canvas.drawString(72, 760 - 16 * n, line)
    canvas.save()
    return buffer.getvalue()
