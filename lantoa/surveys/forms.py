"""The organiser's forms: a survey, a section, a question (options one a line: a builder that
needs no script) and a batch of cards. The services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.core.forms import Form, ServiceErrorMixin, date_input
from lantoa.surveys.models import (
    BATCH_SIZE_MAX,
    NUMBER_BOUND,
    OPTION_MAX,
    OPTIONS_MAX,
    SCALE_MAX,
    SCALE_MIN,
    TEXT_MAX,
    TITLE_MAX,
    QuestionKind,
    SurveyMode,
)
from lantoa.surveys.questionnaires import TEMPLATES

UNIT_HELP = gettext_lazy("The unit's code, as on the organisation page (for example VN10-082).")


class SurveyForm(ServiceErrorMixin, Form):
    owner = forms.CharField(label=gettext_lazy("Owner unit"), max_length=64, help_text=UNIT_HELP)
    audience_root = forms.CharField(
        label=gettext_lazy("Audience: the unit whose subtree answers"), max_length=64, help_text=UNIT_HELP
    )
    audience_tier = forms.CharField(
        label=gettext_lazy("Only units of the tier (code, optional)"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("For example commune; empty for every unit of the subtree."),
    )
    audience_conference = forms.IntegerField(
        label=gettext_lazy("Only the sites of the conference (number, optional)"),
        min_value=1,
        max_value=2_147_483_647,
        required=False,
    )
    title_vi = forms.CharField(label=gettext_lazy("Title (Vietnamese)"), max_length=TITLE_MAX)
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=TITLE_MAX, required=False)
    intro_vi = forms.CharField(
        label=gettext_lazy("Introduction (Vietnamese)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    intro_en = forms.CharField(
        label=gettext_lazy("Introduction (English)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    opens_on = forms.DateField(label=gettext_lazy("Opens on"), widget=date_input())
    closes_on = forms.DateField(label=gettext_lazy("Closes on"), widget=date_input())
    mode = forms.ChoiceField(label=gettext_lazy("Mode"), choices=SurveyMode.choices, initial=SurveyMode.TOKENS)


class NewSurveyForm(SurveyForm):
    template = forms.ChoiceField(label=gettext_lazy("Start from"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("An empty questionnaire")), *((key, t.name) for key, t in TEMPLATES.items())]


class SectionForm(ServiceErrorMixin, Form):
    title_vi = forms.CharField(label=gettext_lazy("Section title (Vietnamese)"), max_length=TITLE_MAX)
    title_en = forms.CharField(label=gettext_lazy("Section title (English)"), max_length=TITLE_MAX, required=False)


class QuestionForm(ServiceErrorMixin, Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=QuestionKind.choices)
    text_vi = forms.CharField(label=gettext_lazy("Question (Vietnamese)"), max_length=TEXT_MAX)
    text_en = forms.CharField(label=gettext_lazy("Question (English)"), max_length=TEXT_MAX, required=False)
    options = forms.CharField(
        label=gettext_lazy("Options, one a line"),
        max_length=OPTIONS_MAX * (OPTION_MAX * 2 + 5),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("For choice questions: Vietnamese text | English text, for example: Đồng ý | Agree"),
    )
    scale = forms.IntegerField(
        label=gettext_lazy("Rating scale: from 1 to"), min_value=SCALE_MIN, max_value=SCALE_MAX, required=False
    )
    minimum = forms.IntegerField(
        label=gettext_lazy("Smallest number"), min_value=-NUMBER_BOUND, max_value=NUMBER_BOUND, required=False
    )
    maximum = forms.IntegerField(
        label=gettext_lazy("Largest number"), min_value=-NUMBER_BOUND, max_value=NUMBER_BOUND, required=False
    )
    required = forms.BooleanField(label=gettext_lazy("An answer is required"), required=False)

    def clean_options(self) -> list[tuple[str, str]]:
        lines = [line.strip() for line in (self.cleaned_data.get("options") or "").splitlines() if line.strip()]
        if len(lines) > OPTIONS_MAX:
            raise forms.ValidationError(_("At most %(n)s options.") % {"n": OPTIONS_MAX})
        pairs = []
        for line in lines:
            vi, _bar, en = line.partition("|")
            pairs.append((vi.strip(), en.strip()))
        return pairs


class BatchForm(ServiceErrorMixin, Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Unit"), coerce=int)
    size = forms.IntegerField(label=gettext_lazy("Number of cards"), min_value=1, max_value=BATCH_SIZE_MAX)

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(unit.pk, unit.name) for unit in units]


class LinkSendingForm(ServiceErrorMixin, Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Unit"), coerce=int)
    emails = forms.CharField(
        label=gettext_lazy("E-mail addresses"),
        max_length=60_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One a line (or separated by commas). Each gets one link; nobody learns whose answer is whose."
        ),
    )

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(unit.pk, unit.name) for unit in units]

    def clean_emails(self) -> list[str]:
        text = self.cleaned_data["emails"]
        return [part for line in text.splitlines() for part in line.split(",") if part.strip()]
