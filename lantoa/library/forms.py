"""Forms of the library pages. They read input; the services decide what makes sense."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.core.forms import Form, ServiceErrorMixin, date_input
from lantoa.library.models import Document, DocumentFile, DocumentKind, Language
from lantoa.library.services import AllocationData, DocumentData
from lantoa.org.models import Unit
from lantoa.org.selectors import today


class DocumentForm(ServiceErrorMixin, Form):
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=DocumentKind.objects.all())
    number = forms.CharField(
        label=_("Number and symbol"), max_length=80, required=False, help_text=_("Exactly as written: 01-KL/TW")
    )
    title = forms.CharField(label=_("Title"), max_length=500)
    issuer = forms.CharField(label=_("Issuing body"), max_length=200, required=False)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=date_input())
    effective_on = forms.DateField(label=_("Effective on"), required=False, widget=date_input())
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separated by commas."))
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, initial=Language.VIETNAMESE)
    owner_unit = forms.CharField(label=_("Kept by (unit code)"), max_length=64)
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Document.Visibility.choices)
    visibility_unit = forms.CharField(
        label=_("Subtree of (unit code)"), max_length=64, required=False, help_text=_("Only for a subtree.")
    )
    links = forms.CharField(
        label=_("Links on national platforms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: a label, then the address (for example: Cổng TTĐT Đảng https://…)."),
    )

    @classmethod
    def initial_for(cls, document: Document) -> dict[str, Any]:
        return {
            "kind": document.kind_id,
            "number": document.number,
            "title": document.title,
            "issuer": document.issuer,
            "issued_on": document.issued_on,
            "effective_on": document.effective_on,
            "summary": document.summary,
            "tags": ", ".join(document.tags),
            "language": document.language,
            "owner_unit": document.owner_unit.code,
            "visibility": document.visibility,
            "visibility_unit": document.visibility_unit.code if document.visibility_unit_id else "",  # type: ignore[union-attr]
            "links": "\n".join(f"{link['label']} {link['url']}" for link in document.external_links),
        }

    def parsed_links(self) -> list[dict[str, str]]:
        parsed = []
        for line in (self.cleaned_data.get("links") or "").splitlines():
            words = line.split()
            if not words:
                continue
            url = next((w for w in reversed(words) if "://" in w), words[-1])
            label = " ".join(w for w in words if w != url)
            parsed.append({"label": label, "url": url})
        return parsed

    def to_data(self, *, owner_unit: Unit, visibility_unit: Unit | None) -> DocumentData:
        data = self.cleaned_data
        return DocumentData(
            kind=data["kind"],
            title=data["title"],
            owner_unit=owner_unit,
            number=data.get("number") or "",
            issuer=data.get("issuer") or "",
            issued_on=data.get("issued_on"),
            effective_on=data.get("effective_on"),
            summary=data.get("summary") or "",
            tags=[t for t in (data.get("tags") or "").split(",") if t.strip()],
            language=data["language"],
            visibility=data["visibility"],
            visibility_unit=visibility_unit,
            external_links=self.parsed_links(),
        )


class VersionForm(ServiceErrorMixin, Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, DOCX, ODT, an image, audio or video."))
    role = forms.ChoiceField(
        label=_("What the file is"),
        choices=[("", _("Decide from the content")), *DocumentFile.Role.choices],
        required=False,
    )
    language = forms.ChoiceField(label=_("Language of the file"), choices=Language.choices, initial=Language.VIETNAMESE)
    extra_file = forms.FileField(
        label=_("Another file of this version (optional)"),
        required=False,
        help_text=_("For example the loudspeaker recording in Mông or Dao."),
    )
    extra_language = forms.ChoiceField(
        label=_("Language of the other file"), choices=Language.choices, initial=Language.VIETNAMESE, required=False
    )
    note = forms.CharField(label=_("What changed"), max_length=255, required=False)


class SupersedeForm(ServiceErrorMixin, Form):
    superseded_by = forms.TypedChoiceField(label=_("Superseded by"), coerce=int, required=False, empty_value=None)
    expired = forms.BooleanField(label=_("Expired (no successor document)"), required=False)

    def __init__(self, *args: Any, candidates: list[Document] = (), **kwargs: Any):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        field = self.fields["superseded_by"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(d.pk, str(d)) for d in candidates]


class PrintRunForm(ServiceErrorMixin, Form):
    unit = forms.CharField(label=_("Printed by (unit code)"), max_length=64)
    printed_on = forms.DateField(label=_("Printed on"), widget=date_input())
    copies = forms.IntegerField(label=_("Copies"), min_value=1)
    printer = forms.CharField(label=_("Printer"), max_length=200, required=False)
    cost = forms.DecimalField(label=_("Cost (VND)"), required=False, min_value=0, decimal_places=0, max_digits=14)
    allocations = forms.CharField(
        label=_("Allocations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: unit code, copies, and “qr” for a QR code of its own. Example: VN10-082 500 qr"),
    )

    def allocation_lines(self) -> list[tuple[str, int, bool]]:
        """(unit code, copies, with its own code) per line; a bad line is a form error."""
        lines = []
        for number, line in enumerate((self.cleaned_data.get("allocations") or "").splitlines(), start=1):
            words = line.replace(",", " ").replace(";", " ").split()
            if not words:
                continue
            with_code = words[-1].lower() == "qr"
            if with_code:
                words = words[:-1]
            if len(words) != 2 or not words[1].isdigit():
                self.add_error(
                    "allocations", _("Line %(n)s: write a unit code and a number of copies.") % {"n": number}
                )
                continue
            lines.append((words[0], int(words[1]), with_code))
        return lines

    @staticmethod
    def allocation_data(
        units: dict[str, Unit], lines: list[tuple[str, int, bool]], day: dt.date
    ) -> list[AllocationData]:
        return [
            AllocationData(unit=units[code], copies=copies, allocated_on=day, with_code=qr)
            for code, copies, qr in lines
        ]


def default_print_day() -> dt.date:
    return today()
