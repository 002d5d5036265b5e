"""Writes for official reports: templates (copy, edit), reports (create, save the officer's
texts as a new version, issue with the next number). Every write is checked first, audited, and
atomic; numbers are never reused."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from lantoa.core.api_input import FIRST_YEAR, LAST_YEAR
from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.text import clean_text
from lantoa.org.models import Unit
from lantoa.reports.documents.outline import dump_outline, parse_outline
from lantoa.reports.models import (
    DOCUMENT_TYPE_MAX,
    REPORT_ABBREVIATION_MAX,
    REPORT_LINE_MAX,
    REPORT_NAME_MAX,
    REPORT_RECIPIENTS_MAX,
    REPORT_SECTION_TEXT_MAX,
    REPORT_TITLE_MAX,
    DocumentCounter,
    DocumentFormat,
    Report,
    ReportFile,
    ReportTemplate,
    ReportVersion,
)

STRUCTURES = ("historical", "current")
PARTY_TERM_YEARS = 5  # the Party numbers its documents per congress term (2020–2025, 2025–2030…)
DOCUMENT_TYPE = re.compile(r"^[A-Z]{1,10}$")


def numbering_term(format: str, day: dt.date, unit: Any = None) -> str:
    """The term a document's number counts in: the congress term for the Party format (HD 36:
    "số văn bản được ghi liên tục trong một nhiệm kỳ") — the term recorded for the unit or its
    nearest ancestor (:mod:`lantoa.reports.terms`), else the five years from a year divisible by
    five, when the congresses are held — and the calendar year for the State format (NĐ 30:
    numbers run from 1 January to 31 December)."""
    if format == DocumentFormat.PARTY:
        from lantoa.reports.terms import term_on

        recorded = term_on(unit, day)
        if recorded is not None:
            return recorded.name
        first = day.year - day.year % PARTY_TERM_YEARS
        return f"{first}-{first + PARTY_TERM_YEARS}"
    return str(day.year)


def _line(value: Any, *, label: str, limit: int, required: bool, problems: dict[str, str], name: str) -> str:
    text = clean_text(value) if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        problems[name] = _("%(label)s must be text.") % {"label": label}
    elif required and not text:
        problems[name] = _("%(label)s is required.") % {"label": label}
    elif len(text) > limit:
        problems[name] = _("%(label)s has at most %(limit)s characters.") % {"label": label, "limit": limit}
    return text


def _recipients(value: str | None, problems: dict[str, str]) -> str:
    text = clean_text(value or "", multiline=True)
    if len(text) > REPORT_RECIPIENTS_MAX:
        problems["recipients"] = _("The recipients have at most %(limit)s characters.") % {
            "limit": REPORT_RECIPIENTS_MAX
        }
    return text


def _format(value: str, problems: dict[str, str]) -> str:
    if value not in DocumentFormat.values:
        problems["format"] = _("The format is party or state.")
    return value


def _raise(problems: dict[str, str]) -> None:
    if problems:
        first = next(iter(problems.values()))
        raise ValidationFailed(first, extra={"problems": problems})


# --- Templates -----------------------------------------------------------------------------------

DEFAULT_TEMPLATE_NAME = "Báo cáo kết quả công tác tuyên truyền, học tập, quán triệt nghị quyết"


def template_default() -> ReportTemplate:
    """The shared default template (seeded by the migration ``0002_report_documents``; made again
    here if a database was emptied since, as the tests' live server does)."""
    from lantoa.reports.documents.outline import DEFAULT_OUTLINE, DEFAULT_RECIPIENTS, DEFAULT_SUBTITLE, DEFAULT_TITLE

    template, _created = ReportTemplate.objects.get_or_create(
        unit=None,
        name=DEFAULT_TEMPLATE_NAME,
        defaults={
            "format": DocumentFormat.PARTY,
            "title": DEFAULT_TITLE,
            "subtitle": DEFAULT_SUBTITLE,
            "outline": DEFAULT_OUTLINE,
            "recipients": DEFAULT_RECIPIENTS,
        },
    )
    return template


def template_copy(*, by: Any, template: ReportTemplate, unit: Unit, name: str = "") -> ReportTemplate:
    """A copy of ``template`` that ``unit``'s office owns and may edit."""
    problems: dict[str, str] = {}
    label = _("The name")
    name = _line(name or None, label=label, limit=REPORT_NAME_MAX, required=False, problems=problems, name="name")
    _raise(problems)
    copy_name = name or (_("%(name)s (copy)") % {"name": template.name})[:REPORT_NAME_MAX]
    with transaction.atomic():
        copy = ReportTemplate.objects.create(
            unit=unit,
            name=copy_name,
            format=template.format,
            title=template.title,
            subtitle=template.subtitle,
            outline=template.outline,
            recipients=template.recipients,
            copied_from=template,
        )
        audit_record(action="lantoa.reports.report_template.copied", by=by, target=copy, unit=unit)
    return copy


def template_update(
    *,
    by: Any,
    template: ReportTemplate,
    name: str,
    format: str,
    title: str,
    subtitle: str,
    outline: Any,
    recipients: str,
) -> tuple[ReportTemplate, bool]:
    """Change an office's template; the outline is checked whole (every problem listed) and
    nothing is saved unless all is well. Returns the template and whether anything changed."""
    problems: dict[str, str] = {}
    values: dict[str, Any] = {
        "name": _line(name, label=_("The name"), limit=REPORT_NAME_MAX, required=True, problems=problems, name="name"),
        "format": _format(format, problems),
        "title": _line(
            title, label=_("The title"), limit=REPORT_TITLE_MAX, required=True, problems=problems, name="title"
        ),
        "subtitle": _line(
            subtitle,
            label=_("The subject line"),
            limit=REPORT_TITLE_MAX,
            required=False,
            problems=problems,
            name="subtitle",
        ),
        "recipients": _recipients(recipients, problems),
    }
    try:
        values["outline"] = dump_outline(parse_outline(outline))
    except ValidationFailed as error:
        problems |= error.extra.get("problems") or {"outline": error.message}
    _raise(problems)
    changed = [field for field, value in values.items() if getattr(template, field) != value]
    if not changed:
        return template, False
    with transaction.atomic():
        for field, value in values.items():
            setattr(template, field, value)
        template.save(update_fields=[*changed, "updated_at"])
        audit_record(
            action="lantoa.reports.report_template.changed", by=by, target=template, unit=template.unit, changed=changed
        )
    return template, True


# --- Reports -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Letterhead:
    superior: str
    issuer: str
    issuer_abbreviation: str
    place: str
    signer_on_behalf: str = ""
    signer_position: str = ""
    signer_name: str = ""


def suggested_abbreviation(name: str) -> str:
    """Initials without marks: "Ban Tuyên giáo và Dân vận Tỉnh ủy" → "BTGVDVTU" (to edit)."""
    letters = []
    for word in name.split():
        base = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
        initial = next((ch for ch in base if ch.isalpha()), "")
        letters.append(initial.upper())
    return "".join(letters)[:REPORT_ABBREVIATION_MAX]


def _letterhead(head: Letterhead, problems: dict[str, str]) -> dict[str, str]:
    abbreviation = _line(
        head.issuer_abbreviation,
        label=_("The issuer's abbreviation"),
        limit=REPORT_ABBREVIATION_MAX,
        required=True,
        problems=problems,
        name="issuer_abbreviation",
    )
    if abbreviation and not re.fullmatch(r"[A-ZĐ0-9-]+", abbreviation):
        problems["issuer_abbreviation"] = _("The abbreviation is capital letters, digits and '-' (e.g. BTGDVTU).")
    spec = [
        ("superior", _("The superior body"), False),
        ("issuer", _("The issuing body"), True),
        ("place", _("The place"), True),
        ("signer_on_behalf", _("Signing on behalf of"), False),
        ("signer_position", _("The signer's position"), False),
        ("signer_name", _("The signer's name"), False),
    ]
    values = {
        field: _line(
            getattr(head, field), label=label, limit=REPORT_LINE_MAX, required=required, problems=problems, name=field
        )
        for field, label, required in spec
    }
    return {**values, "issuer_abbreviation": abbreviation}


def report_create(
    *,
    by: Any,
    unit: Unit,
    template: ReportTemplate,
    start: dt.date,
    end: dt.date,
    structure: str,
    letterhead: Letterhead,
    format: str | None = None,
    document_type: str = "BC",
) -> Report:
    """A draft report of ``unit`` on ``[start, end]`` from ``template`` (whose outline it copies,
    with each text section's starting text as the officer's first text)."""
    problems: dict[str, str] = {}
    if end < start:
        problems["end"] = _("The end comes before the start.")
    for name, day in (("start", start), ("end", end)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            problems[name] = _("Give a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
    if structure not in STRUCTURES:
        problems["structure"] = _("The structure is historical or current.")
    chosen = _format(format or template.format, problems)
    if not DOCUMENT_TYPE.match(document_type) or len(document_type) > DOCUMENT_TYPE_MAX:
        problems["document_type"] = _("The document type is an abbreviation in capitals (BC, KH, TB…).")
    head = _letterhead(letterhead, problems)
    _raise(problems)
    sections = parse_outline(template.outline)
    texts = {section.key: section.text for section in sections if section.text}
    with transaction.atomic():
        report = Report.objects.create(
            unit=unit,
            template=template,
            start=start,
            end=end,
            structure=structure,
            format=chosen,
            title=template.title,
            subtitle=template.subtitle,
            outline=dump_outline(sections),
            texts=texts,
            recipients=template.recipients,
            document_type=document_type,
            created_by=actor_or_none(by),
            **head,
        )
        ReportVersion.objects.create(report=report, number=1, texts=texts, saved_by=actor_or_none(by))
        audit_record(action="lantoa.reports.report.created", by=by, target=report, unit=unit)
    return report


def report_save(
    *,
    by: Any,
    report: Report,
    texts: dict[str, Any],
    expected_version: int | None = None,
    subtitle: str | None = None,
    recipients: str | None = None,
    letterhead: Letterhead | None = None,
) -> tuple[Report, bool]:
    """Save the officer's texts (by section key; keys left out keep their text) as a new version.
    Refused once issued, for a key the outline does not have, and when ``expected_version`` is
    given and another save came first (409). Returns the report and whether it changed."""
    problems: dict[str, str] = {}
    keys = {section["key"] for section in report.outline}
    cleaned: dict[str, str] = {}
    for key, value in texts.items():
        if key not in keys:
            problems[f"texts.{key}"] = _("The report has no section %(key)s.") % {"key": key}
        elif not isinstance(value, str):
            problems[f"texts.{key}"] = _("A section's text must be text.")
        else:
            text = clean_text(value, multiline=True)
            if len(text) > REPORT_SECTION_TEXT_MAX:
                problems[f"texts.{key}"] = _("A section has at most %(limit)s characters.") % {
                    "limit": REPORT_SECTION_TEXT_MAX
                }
            cleaned[key] = text
    fields: dict[str, Any] = {}
    if subtitle is not None:
        fields["subtitle"] = _line(
            subtitle,
            label=_("The subject line"),
            limit=REPORT_TITLE_MAX,
            required=False,
            problems=problems,
            name="subtitle",
        )
    if recipients is not None:
        fields["recipients"] = _recipients(recipients, problems)
    if letterhead is not None:
        fields |= _letterhead(letterhead, problems)
    _raise(problems)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.number is not None:
            raise Conflict(
                _("The report has been issued: its text can no longer change."), extra={"number": locked.number}
            )
        if expected_version is not None and expected_version != locked.version:
            raise Conflict(
                _("Someone saved this report after you opened it (version %(version)s): reload it first.")
                % {"version": locked.version},
                extra={"version": locked.version},
            )
        new_texts = {**locked.texts, **cleaned}
        changed = [field for field, value in fields.items() if getattr(locked, field) != value]
        if new_texts != locked.texts:
            changed.append("texts")
        if not changed:
            return locked, False
        for field, value in fields.items():
            setattr(locked, field, value)
        locked.texts = new_texts
        locked.version = F("version") + 1
        locked.save(update_fields=[*changed, "version", "updated_at"])
        locked.refresh_from_db(fields=["version"])
        ReportVersion.objects.create(report=locked, number=locked.version, texts=new_texts, saved_by=actor_or_none(by))
        audit_record(action="lantoa.reports.report.saved", by=by, target=locked, unit=locked.unit, changed=changed)
    return locked, True


def _next_number(*, unit_id: int, format: str, document_type: str, issuer_abbreviation: str, term: str) -> int:
    """The next number of the counter, created on first use (an update first, the insert in a
    savepoint, so two first issues at once both succeed with different numbers)."""
    counter = DocumentCounter.objects.filter(
        unit_id=unit_id, format=format, document_type=document_type, issuer_abbreviation=issuer_abbreviation, term=term
    )
    if not counter.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                DocumentCounter.objects.create(
                    unit_id=unit_id,
                    format=format,
                    document_type=document_type,
                    issuer_abbreviation=issuer_abbreviation,
                    term=term,
                    last=1,
                )
                return 1
        except IntegrityError:
            counter.update(last=F("last") + 1)
    return counter.values_list("last", flat=True).get()


def report_issue(*, by: Any, report: Report, day: dt.date) -> tuple[Report, bool]:
    """Give the report its number — the next of its issuing unit's counter for the document type
    in the term of ``day`` — and its date. Issuing again changes nothing (returns False); a number
    once given is never given again, even if the report is later removed."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationFailed(
            _("Give a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            extra={"field": "day"},
        )
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.number is not None:
            return locked, False
        term = numbering_term(locked.format, day, locked.unit)
        locked.number = _next_number(
            unit_id=locked.unit_id,
            format=locked.format,
            document_type=locked.document_type,
            issuer_abbreviation=locked.issuer_abbreviation,
            term=term,
        )
        locked.term = term
        locked.issued_on = day
        locked.save(update_fields=["number", "term", "issued_on", "updated_at"])
        ReportFile.objects.filter(report=locked).delete()  # drawn as a draft, without the number
        audit_record(
            action="lantoa.reports.report.issued",
            by=by,
            target=locked,
            unit=locked.unit,
            changed=["number", "issued_on"],
        )
    return locked, True


# --- Files drawn in the background ---------------------------------------------------------------

FILE_FORMATS = ("docx", "pdf")


def report_file_request(*, by: Any, report: Report, file_format: str, base_url: str) -> ReportFile:
    """Queue the drawing of the report as ``file_format``; the page polls the file's progress.
    The previous files of the same report and format are removed (only the latest is kept)."""
    from lantoa.reports.report_tasks import render_report_file

    if file_format not in FILE_FORMATS:
        raise ValidationFailed(_("The file format is docx or pdf."), extra={"field": "format"})
    with transaction.atomic():
        ReportFile.objects.filter(report=report, format=file_format).delete()
        file = ReportFile.objects.create(
            report=report,
            format=file_format,
            version=report.version,
            base_url=base_url[:200],
            requested_by=actor_or_none(by),
        )
        transaction.on_commit(lambda: render_report_file.enqueue(file.pk))
    return file


def report_file_render(file_id: int) -> None:
    """Draw a queued file, recording its progress: the figures read (40 %), the file drawn
    (90 %), stored (100 %). A failure is recorded on the file, never raised to the worker twice."""
    from lantoa.reports.report_selectors import report_content, report_document

    file = ReportFile.objects.select_related("report__unit").filter(pk=file_id).first()
    if file is None or file.status == ReportFile.Status.DONE:
        return
    ReportFile.objects.filter(pk=file_id).update(status=ReportFile.Status.RUNNING, progress=10)
    try:
        document = report_document(report_content(file.report), base_url=file.base_url)
        ReportFile.objects.filter(pk=file_id).update(progress=40)
        if file.format == "docx":
            from lantoa.reports.documents.word import render_docx

            data = render_docx(document)
        else:
            from lantoa.reports.documents.pdf import render_pdf

            data = render_pdf(document)
        ReportFile.objects.filter(pk=file_id).update(progress=90)
    except Exception:
        ReportFile.objects.filter(pk=file_id).update(status=ReportFile.Status.FAILED, progress=100)
        raise
    ReportFile.objects.filter(pk=file_id).update(status=ReportFile.Status.DONE, progress=100, data=data)
