"""Forms of the data-request pages. The services check everything again; these forms only carry
what was typed (kept on error) to them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.core.forms import Form, ServiceErrorMixin, SpreadsheetUploadForm, date_input
from lantoa.reports.models import DESCRIPTION_MAX, EXPLANATION_MAX, NAME_MAX, REASON_MAX, DataField, FieldKind


class RequestSendForm(ServiceErrorMixin, Form):
    data_set = forms.TypedChoiceField(label=_("Data set"), coerce=int)
    tier = forms.ChoiceField(label=_("Send to every unit of the tier"))
    title = forms.CharField(label=_("Request title"), max_length=NAME_MAX)
    start = forms.DateField(label=_("Period from"), widget=date_input())
    end = forms.DateField(label=_("Period to"), widget=date_input())
    cutoff = forms.DateField(
        label=_("Data cut-off"),
        required=False,
        widget=date_input(),
        help_text=_("Computed figures count the records up to this day. Empty: the end of the period."),
    )
    deadline = forms.DateField(label=_("Deadline"), widget=date_input())
    instructions = forms.CharField(
        label=_("Instructions"), max_length=DESCRIPTION_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, data_sets: list[tuple[int, str]], tiers: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["data_set"].choices = data_sets  # type: ignore[attr-defined]
        self.fields["tier"].choices = tiers  # type: ignore[attr-defined]


def explanation_name(code: str) -> str:
    return f"explain__{code}"


class FilingForm(ServiceErrorMixin, Form):
    """One input per field of the data set, named by its code; for a computed figure, an optional
    different figure and its explanation. ``reason`` is asked for once the figures are approved."""

    def __init__(self, *args: Any, fields: list[DataField], computed: dict[str, Any], correcting: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.data_fields = fields
        self.computed = computed
        for data_field in fields:
            attrs = {"inputmode": "numeric", "autocomplete": "off"}
            if data_field.kind == FieldKind.TEXT:
                self.fields[data_field.code] = forms.CharField(
                    label=data_field.label,
                    required=False,
                    max_length=data_field.max_length or 200,
                    help_text=data_field.help_text,
                )
            elif data_field.kind == FieldKind.INDICATOR:
                self.fields[data_field.code] = forms.CharField(
                    label=_("Your figure, if it differs"),
                    required=False,
                    max_length=20,
                    widget=forms.TextInput(attrs=attrs),
                )
                self.fields[explanation_name(data_field.code)] = forms.CharField(
                    label=_("Why it differs"),
                    required=False,
                    max_length=EXPLANATION_MAX,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            else:
                self.fields[data_field.code] = forms.CharField(
                    label=data_field.label,
                    required=False,
                    max_length=20,
                    help_text=data_field.help_text,
                    widget=forms.TextInput(attrs=attrs),
                )
        if correcting:
            self.fields["reason"] = forms.CharField(
                label=_("Reason for the correction"),
                max_length=REASON_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[dict[str, Any]]:
        """What the template draws: each data field with its bound inputs and computed figure."""
        rows = []
        for data_field in self.data_fields:
            rows.append(
                {
                    "field": data_field,
                    "input": self[data_field.code],
                    "explain": self[explanation_name(data_field.code)]
                    if data_field.kind == FieldKind.INDICATOR
                    else None,
                    "computed": self.computed.get(data_field.code),
                    "is_computed": data_field.kind == FieldKind.INDICATOR,
                }
            )
        return rows

    def values(self) -> tuple[dict[str, Any], dict[str, Any]]:
        data = self.cleaned_data
        values = {f.code: data.get(f.code) or None for f in self.data_fields}
        explanations = {
            f.code: data.get(explanation_name(f.code)) or ""
            for f in self.data_fields
            if f.kind == FieldKind.INDICATOR and data.get(explanation_name(f.code))
        }
        return values, explanations

    def show_problems(self, problems: list[dict[str, str]]) -> None:
        for problem in problems:
            name = problem["field"]
            self.add_error(name if name in self.fields else None, problem["message"])


class FilingUploadForm(SpreadsheetUploadForm):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


FIELD_LINE_HELP = _(
    "One field a line: code | label | kind | detail. Kinds: indicator (detail: the indicator's code), "
    "integer (detail: smallest-largest, e.g. 0-500), text (detail: longest length). Add | optional "
    "for a field that may be left empty."
)
RULE_LINE_HELP = _(
    "One rule a line: rule | warn or block | message, e.g. online_points <= conferences * sites | block | …"
)


# The words an officer may type for a kind or a severity, in either language.
KIND_WORDS = {"chỉ tiêu": "indicator", "số": "integer", "số nguyên": "integer", "văn bản": "text", "chữ": "text"}
SEVERITY_WORDS = {"cảnh báo": "warn", "chặn": "block", "không cho nộp": "block"}


class DataSetForm(ServiceErrorMixin, Form):
    """A data set written as lines, read here into field and rule specifications (the service
    checks them and names the line of any problem)."""

    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    code = forms.SlugField(label=_("Code"), max_length=40, help_text=_("Lower-case letters, digits, - and _."))
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    fields_text = forms.CharField(
        label=_("Fields"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 8}), help_text=FIELD_LINE_HELP
    )
    rules_text = forms.CharField(
        label=_("Rules"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=RULE_LINE_HELP,
    )

    def clean_fields_text(self) -> list[Any]:
        from lantoa.reports.request_services import FieldSpec

        specs = []
        for number, line in enumerate(_lines(self.cleaned_data["fields_text"]), start=1):
            parts = [part.strip() for part in line.split("|")]
            optional = len(parts) > 4 and parts[-1].lower() == "optional"
            if optional:
                parts = parts[:-1]
            if len(parts) not in (3, 4):
                raise forms.ValidationError(
                    _("Line %(n)s: write code | label | kind | detail.") % {"n": number}, code="line"
                )
            code, label, kind = parts[0], parts[1], KIND_WORDS.get(parts[2].lower(), parts[2].lower())
            detail = parts[3] if len(parts) == 4 else ""
            spec: dict[str, Any] = {"code": code, "label": label, "kind": kind, "required": not optional}
            try:
                if kind == "indicator":
                    spec["indicator"] = detail
                elif kind == "integer" and detail:
                    low, _sep, high = detail.partition("-")
                    spec["min_value"], spec["max_value"] = int(low), int(high)
                elif kind == "text" and detail:
                    spec["max_length"] = int(detail)
            except ValueError:
                raise forms.ValidationError(
                    _("Line %(n)s: the detail %(detail)s is not understood.") % {"n": number, "detail": detail},
                    code="detail",
                ) from None
            specs.append(FieldSpec(**spec))
        return specs

    def clean_rules_text(self) -> list[Any]:
        from lantoa.reports.request_services import RuleSpec

        specs = []
        for number, line in enumerate(_lines(self.cleaned_data.get("rules_text") or ""), start=1):
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3:
                raise forms.ValidationError(
                    _("Line %(n)s: write rule | warn or block | message.") % {"n": number}, code="line"
                )
            severity = SEVERITY_WORDS.get(parts[1].lower(), parts[1].lower())
            specs.append(RuleSpec(expression=parts[0], severity=severity, message=parts[2]))
        return specs

    def show_error(self, error: Any) -> None:
        name = str(error.extra.get("field") or "")
        if name.startswith("fields"):
            self.add_error("fields_text", error.message)
        elif name.startswith("rules"):
            self.add_error("rules_text", error.message)
        else:
            super().show_error(error)


def _lines(text: str) -> list[str]:
    return [line for line in (raw.strip() for raw in text.splitlines()) if line and not line.startswith("#")]


class DataSetRevisionForm(DataSetForm):
    """The next version of a data set: everything but its code, which stays."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["code"]


def data_set_lines(data_set: Any) -> dict[str, str]:
    """A data set written back as the form's lines (to start its next version from)."""
    fields = []
    for field in data_set.fields.all():
        detail = ""
        if field.kind == "indicator":
            detail = field.indicator
        elif field.kind == "integer" and field.min_value is not None and field.max_value is not None:
            detail = f"{field.min_value}-{field.max_value}"
        elif field.kind == "text" and field.max_length:
            detail = str(field.max_length)
        parts = [field.code, field.label, field.kind, detail, *([] if field.required else ["optional"])]
        fields.append(" | ".join(parts))
    rules = [f"{rule.expression} | {rule.severity} | {rule.message}" for rule in data_set.rules.all()]
    return {
        "name": data_set.name,
        "description": data_set.description,
        "fields_text": "\n".join(fields),
        "rules_text": "\n".join(rules),
    }
