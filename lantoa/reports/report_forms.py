"""Forms of the official reports' pages: a new report, the draft's texts, issuing, and a
template's outline (sections added, removed and reordered)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from lantoa.core.api_input import FIRST_YEAR, LAST_YEAR
from lantoa.core.errors import ApplicationError
from lantoa.core.forms import Form
from lantoa.reports.documents.outline import KINDS, LEAD_MAX, MAX_SECTIONS, TEXT_MAX, TITLE_MAX
from lantoa.reports.models import (
    REPORT_ABBREVIATION_MAX,
    REPORT_LINE_MAX,
    REPORT_NAME_MAX,
    REPORT_RECIPIENTS_MAX,
    REPORT_SECTION_TEXT_MAX,
    REPORT_TITLE_MAX,
    DocumentFormat,
)

SECTION_PROBLEM = re.compile(r"^sections\[(\d+)\]")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
STRUCTURES = [
    ("historical", _("As the tree stood then")),
    ("current", _("As the tree stands today")),
]
KIND_LABELS = {
    "text": _("Text written by the officer"),
    "narrative": _("Sentence generated from indicators"),
    "table": _("Table of indicators by unit"),
    "chart": _("Chart of one indicator by unit"),
}


def show_problems(form: forms.Form, error: ApplicationError) -> None:
    """A service's problems (``extra["problems"]``, by field) next to their fields, the rest
    above the form."""
    problems = error.extra.get("problems") or {}
    if not problems:
        form.add_error(None, error.message)
    for name, message in problems.items():
        if name in form.fields:
            form.add_error(name, message)
            continue
        found = SECTION_PROBLEM.match(name)
        if found:
            message = _("Section %(number)s: %(message)s") % {"number": int(found[1]) + 1, "message": message}
        form.add_error(None, message)


class ReportCreateForm(Form):
    template = forms.TypedChoiceField(label=_("Template"), coerce=int)
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)
    structure = forms.ChoiceField(label=_("Units"), choices=STRUCTURES, initial="historical")
    format = forms.ChoiceField(label=_("Document format"), choices=DocumentFormat.choices)
    superior = forms.CharField(label=_("Superior body"), max_length=REPORT_LINE_MAX, required=False)
    issuer = forms.CharField(label=_("Issuing body"), max_length=REPORT_LINE_MAX)
    issuer_abbreviation = forms.CharField(
        label=_("Issuer's abbreviation"),
        max_length=REPORT_ABBREVIATION_MAX,
        help_text=_("As in the number: Số 123-BC/BTGDVTU."),
    )
    place = forms.CharField(
        label=_("Place name"), max_length=REPORT_LINE_MAX, help_text=_("Before the date: Lào Cai, ngày …")
    )
    signer_on_behalf = forms.CharField(label=_("Signing on behalf of"), max_length=REPORT_LINE_MAX, required=False)
    signer_position = forms.CharField(label=_("Signer's position"), max_length=REPORT_LINE_MAX, required=False)
    signer_name = forms.CharField(label=_("Signer's name"), max_length=REPORT_LINE_MAX, required=False)

    def __init__(self, *args: Any, templates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = templates  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("start", "end"):
            day = data.get(name)
            if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(
                    name, _("Give a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
                )
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end comes before the start."))
        return data


class ReportEditForm(Form):
    """The subject line, the recipients and one text per section of the draft."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    subtitle = forms.CharField(label=_("Subject line"), max_length=REPORT_TITLE_MAX, required=False)
    recipients = forms.CharField(
        label=_("Recipients"),
        max_length=REPORT_RECIPIENTS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )

    def __init__(self, *args: Any, sections: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in sections:
            generated = section.kind != "text"
            self.fields[f"text_{section.key}"] = forms.CharField(
                label=_("Text after the figures") if generated else _("Text"),
                required=False,
                max_length=REPORT_SECTION_TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 2 if generated else 4}),
            )

    def texts(self) -> dict[str, str]:
        return {
            name.removeprefix("text_"): value for name, value in self.cleaned_data.items() if name.startswith("text_")
        }


class IssueForm(Form):
    day = forms.DateField(label=_("Date of issue"), widget=DATE)


class TemplateForm(Form):
    name = forms.CharField(label=_("Name"), max_length=REPORT_NAME_MAX)
    format = forms.ChoiceField(label=_("Document format"), choices=DocumentFormat.choices)
    title = forms.CharField(label=_("Document title"), max_length=REPORT_TITLE_MAX)
    subtitle = forms.CharField(label=_("Subject line"), max_length=REPORT_TITLE_MAX, required=False)
    recipients = forms.CharField(
        label=_("Recipients"),
        max_length=REPORT_RECIPIENTS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SectionForm(Form):
    order = forms.IntegerField(label=_("Order"), min_value=1, max_value=MAX_SECTIONS * 10, required=False)
    key = forms.CharField(label=_("Key"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k, KIND_LABELS[k]) for k in KINDS])
    title = forms.CharField(label=_("Heading"), max_length=TITLE_MAX, required=False)
    indicators = forms.CharField(
        label=_("Indicators"), max_length=600, required=False, help_text=_("Codes separated by commas.")
    )
    lead = forms.CharField(label=_("Opening of the sentence"), max_length=LEAD_MAX, required=False)
    text = forms.CharField(
        label=_("Starting text"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    remove = forms.BooleanField(label=_("Remove"), required=False)


SectionFormSet = formset_factory(
    SectionForm, extra=1, max_num=MAX_SECTIONS, absolute_max=MAX_SECTIONS + 1, validate_max=True
)


def outline_from_formset(formset: Any) -> list[dict[str, Any]]:
    """The outline the section rows describe: removed and empty new rows left out, ordered by
    their order number (then as listed); a new row without a key gets one from its position."""
    rows = []
    for index, form in enumerate(formset.forms):
        data = form.cleaned_data
        if not data or data.get("remove"):
            continue
        if not data.get("key") and not data.get("title") and not data.get("indicators") and not data.get("text"):
            continue
        codes = [code.strip() for code in (data.get("indicators") or "").split(",") if code.strip()]
        section: dict[str, Any] = {"key": data.get("key") or f"muc-{index + 1}", "kind": data["kind"]}
        for name in ("title", "text", "lead"):
            if data.get(name):
                section[name] = data[name]
        if codes:
            section["indicators"] = codes
        rows.append((data.get("order") or (index + 1) * 10, index, section))
    rows.sort(key=lambda row: (row[0], row[1]))
    return [section for _order, _index, section in rows]
