"""The plans' forms. Units are named by their code (as on the organisation page); the services
check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from lantoa.core.forms import Form, ServiceErrorMixin, date_input
from lantoa.core.indicators import FIGURE_MAX, all_indicators
from lantoa.core.spreadsheets import MAX_IMPORT_BYTES, MB
from lantoa.plans.models import (
    ADDRESSEE_MAX,
    LONG_TEXT_MAX,
    NAME_MAX,
    NUMBER_MAX,
    ROLE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    TOPIC_MAX,
    URL_MAX,
    InspectionFileKind,
    InspectionKind,
    RecommendationStatus,
    TeamRole,
)

UNIT_HELP = gettext_lazy("The unit's code, as on the organisation page (for example VN10-082).")
DOCUMENT_KINDS = ("resolution", "conclusion", "directive")
DOCUMENT_CHOICES_MAX = 300


def document_choices(documents: Any) -> list[tuple[str, str]]:
    rows = documents.filter(kind__code__in=DOCUMENT_KINDS).order_by("-issued_on", "pk")[:DOCUMENT_CHOICES_MAX]
    return [("", "—")] + [(str(d.pk), f"{d.number} — {d.title}"[:160] if d.number else d.title[:160]) for d in rows]


class RequirementForm(ServiceErrorMixin, Form):
    unit = forms.CharField(label=gettext_lazy("Requiring unit"), max_length=64, help_text=UNIT_HELP)
    document = forms.TypedChoiceField(label=gettext_lazy("Document"), coerce=int)
    tier = forms.TypedChoiceField(label=gettext_lazy("Units of the tier"), coerce=int)
    due_on = forms.DateField(label=gettext_lazy("Programmes due by"), widget=date_input())
    note = forms.CharField(
        label=gettext_lazy("Note"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, documents: Any, tiers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = document_choices(documents)  # type: ignore[attr-defined]
        self.fields["tier"].choices = [(str(t.pk), str(t)) for t in tiers]  # type: ignore[attr-defined]


class ProgrammeForm(ServiceErrorMixin, Form):
    unit = forms.CharField(label=gettext_lazy("Issuing unit"), max_length=64, help_text=UNIT_HELP)
    document = forms.TypedChoiceField(label=gettext_lazy("Document carried out"), coerce=int)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=TITLE_MAX)
    decision_number = forms.CharField(
        label=gettext_lazy("Number and symbol"),
        max_length=NUMBER_MAX + 4,
        help_text=gettext_lazy("As the Party numbers it, for example 45-CTr/TU."),
    )
    issued_on = forms.DateField(label=gettext_lazy("Issued on"), widget=date_input())

    def __init__(self, *args: Any, documents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = document_choices(documents)  # type: ignore[attr-defined]


def indicator_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(i.code, f"{i.name} ({i.code})") for i in all_indicators()]


IMPORT_EXTENSIONS = (".xlsx", ".csv")


class TasksImportForm(Form):
    file = forms.FileField(
        label=gettext_lazy("Task table (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_EXTENSIONS)}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(IMPORT_EXTENSIONS):
            raise forms.ValidationError(gettext_lazy("Upload an XLSX or CSV file."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                gettext_lazy("The file is larger than %(mb)s MB.") % {"mb": MAX_IMPORT_BYTES // MB}
            )
        return upload


class TaskForm(ServiceErrorMixin, Form):
    title = forms.CharField(label=gettext_lazy("Task"), max_length=TITLE_MAX)
    owner_unit = forms.CharField(label=gettext_lazy("Owner unit"), max_length=64, required=False, help_text=UNIT_HELP)
    owner_role = forms.CharField(
        label=gettext_lazy("Owner (role)"),
        max_length=ROLE_MAX,
        required=False,
        help_text=gettext_lazy("When no unit carries it: for example “Ban Tuyên giáo chủ trì”."),
    )
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=date_input())
    due_on = forms.DateField(label=gettext_lazy("Deadline"), widget=date_input())
    expected_result = forms.CharField(
        label=gettext_lazy("Expected result"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    indicator = forms.ChoiceField(label=gettext_lazy("Indicator measuring it"), required=False)
    target_value = forms.DecimalField(
        label=gettext_lazy("Target"), required=False, min_value=0, max_value=FIGURE_MAX, max_digits=15,
        decimal_places=4,
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices()  # type: ignore[attr-defined]


class UpdateForm(ServiceErrorMixin, Form):
    percent = forms.IntegerField(label=gettext_lazy("Percent done"), min_value=0, max_value=100)
    recorded_on = forms.DateField(label=gettext_lazy("As of"), widget=date_input())
    note = forms.CharField(
        label=gettext_lazy("Note"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    conference = forms.IntegerField(
        label=gettext_lazy("Evidence: conference number"), required=False, min_value=1, max_value=2**31 - 1
    )
    document = forms.IntegerField(
        label=gettext_lazy("Evidence: document number in the library"), required=False, min_value=1,
        max_value=2**31 - 1,
    )  # fmt: skip
    url = forms.CharField(label=gettext_lazy("Evidence: link"), max_length=URL_MAX, required=False)


class RecommendationForm(ServiceErrorMixin, Form):
    unit = forms.CharField(label=gettext_lazy("Sending unit"), max_length=64, help_text=UNIT_HELP)
    addressee_unit = forms.CharField(
        label=gettext_lazy("Addressed to a unit (code)"), max_length=64, required=False, help_text=UNIT_HELP
    )
    addressee_name = forms.CharField(
        label=gettext_lazy("or to an outside body"),
        max_length=ADDRESSEE_MAX,
        required=False,
        help_text=gettext_lazy("For example “Ban Tuyên giáo và Dân vận Trung ương”."),
    )
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=TOPIC_MAX)
    text = forms.CharField(
        label=gettext_lazy("Recommendation"), max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=TITLE_MAX,
        required=False,
        help_text=gettext_lazy("Where it came from: a report, an inspection's minutes…"),
    )
    inspection = forms.IntegerField(
        label=gettext_lazy("From the inspection (number)"), required=False, min_value=1, max_value=2**31 - 1
    )
    sent_on = forms.DateField(label=gettext_lazy("Sent on"), widget=date_input())
    due_on = forms.DateField(label=gettext_lazy("Answer due by"), widget=date_input(), required=False)


class AdvanceForm(ServiceErrorMixin, Form):
    status = forms.ChoiceField(label=gettext_lazy("New status"), choices=RecommendationStatus.choices[1:])
    on = forms.DateField(label=gettext_lazy("Date"), widget=date_input())
    answer = forms.CharField(
        label=gettext_lazy("Answer"), max_length=LONG_TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for declining"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InspectionForm(ServiceErrorMixin, Form):
    unit = forms.CharField(label=gettext_lazy("Recorded by (unit)"), max_length=64, help_text=UNIT_HELP)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=InspectionKind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=TITLE_MAX)
    deciding_body = forms.CharField(
        label=gettext_lazy("Deciding body"), max_length=NAME_MAX, help_text=gettext_lazy("For example “Bộ Chính trị”.")
    )
    decision_number = forms.CharField(label=gettext_lazy("Decision number"), max_length=NUMBER_MAX + 4, required=False)
    decided_on = forms.DateField(label=gettext_lazy("Decided on"), widget=date_input(), required=False)
    starts_on = forms.DateField(label=gettext_lazy("From"), widget=date_input())
    ends_on = forms.DateField(label=gettext_lazy("To"), widget=date_input())
    inspected = forms.CharField(
        label=gettext_lazy("Inspected units (codes, one a line)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    topics = forms.CharField(
        label=gettext_lazy("Topics and questions"), max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    findings = forms.CharField(
        label=gettext_lazy("Findings"), max_length=LONG_TEXT_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    planned = forms.IntegerField(
        label=gettext_lazy("Planned inspection"), required=False, min_value=1,
        max_value=2**31 - 1, widget=forms.HiddenInput,
    )  # fmt: skip

    def show_error(self, error: Any) -> None:
        if error.extra.get("field") == "planned":  # a hidden field: the reason goes above the form
            self.add_error(None, error.message)
        else:
            super().show_error(error)

    def clean_inspected(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["inspected"].splitlines() if line.strip()]


class MemberForm(ServiceErrorMixin, Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=TeamRole.choices)
    person = forms.IntegerField(
        label=gettext_lazy("Person of the outreach network (number)"), required=False, min_value=1,
        max_value=2**31 - 1,
    )  # fmt: skip
    username = forms.CharField(label=gettext_lazy("or a user (user name)"), max_length=150, required=False)
    name = forms.CharField(
        label=gettext_lazy("or, for a team from outside, a name"), max_length=NAME_MAX, required=False
    )


class ConclusionForm(ServiceErrorMixin, Form):
    text = forms.CharField(
        label=gettext_lazy("Conclusion"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner_unit = forms.CharField(
        label=gettext_lazy("Unit that must act (code)"), max_length=64, required=False, help_text=UNIT_HELP
    )
    due_on = forms.DateField(label=gettext_lazy("Deadline"), widget=date_input(), required=False)


class CloseForm(ServiceErrorMixin, Form):
    closed_on = forms.DateField(label=gettext_lazy("Closed on"), widget=date_input())
    evidence = forms.CharField(
        label=gettext_lazy("What was done"), max_length=TEXT_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    url = forms.CharField(label=gettext_lazy("Evidence: link"), max_length=URL_MAX, required=False)


class InspectionFileForm(ServiceErrorMixin, Form):
    file = forms.FileField(label=gettext_lazy("File"), help_text=gettext_lazy("PDF, Word, OpenDocument or an image."))
    kind = forms.ChoiceField(label=gettext_lazy("What it is"), choices=InspectionFileKind.choices)
    unit = forms.ChoiceField(label=gettext_lazy("Inspected unit (for a report)"), required=False, choices=[("", "—")])
    dated_on = forms.DateField(label=gettext_lazy("Dated"), widget=date_input())
    title = forms.CharField(label=gettext_lazy("Title"), max_length=TITLE_MAX, required=False)
    replaces = forms.TypedChoiceField(
        label=gettext_lazy("Replaces"), coerce=int, required=False, empty_value=None, choices=[("", "—")]
    )

    def __init__(self, *args: Any, files_kept: Any = (), inspected: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—"), *((u.code, u.name) for u in inspected)]  # type: ignore[attr-defined]
        current = [f for f in files_kept if not hasattr(f, "replaced_by")]
        choices = [(str(f.pk), f"{f.get_kind_display()}: {f.title or f.original_name}"[:120]) for f in current]
        self.fields["replaces"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]


class InspectionPlanForm(ServiceErrorMixin, Form):
    unit = forms.CharField(label=gettext_lazy("Planning unit"), max_length=64, help_text=UNIT_HELP)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=TITLE_MAX)
    decision_number = forms.CharField(label=gettext_lazy("Number and symbol"), max_length=NUMBER_MAX + 4,
                                      help_text=gettext_lazy("For example 15-KH/TU."))  # fmt: skip
    decided_on = forms.DateField(label=gettext_lazy("Issued on"), widget=date_input())


class PlannedForm(ServiceErrorMixin, Form):
    unit = forms.CharField(label=gettext_lazy("Unit to inspect"), max_length=64, help_text=UNIT_HELP)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=InspectionKind.choices)
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=TITLE_MAX)
    month = forms.IntegerField(label=gettext_lazy("Month"), min_value=1, max_value=12)
