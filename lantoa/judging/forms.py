"""The setup forms: a contest, a rubric (one criterion a line — a builder that needs no
script), a stage, an entry and a jury member. The services check everything again."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.core.forms import Form, ServiceErrorMixin, date_input
from lantoa.judging.models import (
    ADVANCE_COUNT_MAX,
    CRITERIA_MAX,
    DESCRIPTORS_MAX,
    JURORS_PER_ENTRY_MAX,
    MATERIALS_MAX,
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Advancement,
    Aggregation,
    CompetitionKind,
    JuryRole,
)
from lantoa.judging.services import CriterionData

UNIT_HELP = gettext_lazy("The unit's code, as on the organisation page (for example VN10-082).")


class CompetitionForm(ServiceErrorMixin, Form):
    unit = forms.CharField(label=gettext_lazy("Organising unit"), max_length=64, help_text=UNIT_HELP)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=TITLE_MAX)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CompetitionKind.choices)
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=date_input())
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), widget=date_input())
    description = forms.CharField(
        label=gettext_lazy("Description"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RubricForm(ServiceErrorMixin, Form):
    unit = forms.CharField(label=gettext_lazy("Unit keeping the rubric"), max_length=64, help_text=UNIT_HELP)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=TITLE_MAX)
    criteria = forms.CharField(
        label=gettext_lazy("Criteria, one a line"),
        max_length=CRITERIA_MAX * (TITLE_MAX * 2 + 20 + DESCRIPTORS_MAX * (REASON_MAX + 20)),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "Section | criterion | weight | maximum score, for example: "
            "Nội dung | Nội dung đúng, đủ | 40 | 10. The section may be left empty. "
            "Under a criterion, optional level descriptors, one a line starting with a dash: "
            "- 10: Đầy đủ, sâu sắc, có dẫn chứng."
        ),
    )

    def clean_criteria(self) -> list[CriterionData]:
        rows: list[CriterionData] = []
        lines = [line.strip() for line in self.cleaned_data["criteria"].splitlines() if line.strip()]
        if sum(1 for line in lines if not line.startswith("-")) > CRITERIA_MAX:
            raise forms.ValidationError(_("A rubric has at most %(max)s criteria.") % {"max": CRITERIA_MAX})
        for number, line in enumerate(lines, start=1):
            if line.startswith("-"):
                rows[-1:] = [_with_descriptor(rows, line[1:].strip(), number)]
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) == 3:
                parts = ["", *parts]
            if len(parts) != 4 or not parts[1]:
                raise forms.ValidationError(
                    _("Line %(n)s: write section | criterion | weight | maximum score.") % {"n": number}
                )
            try:
                weight, maximum = (Decimal(parts[2].replace(",", ".")), Decimal(parts[3].replace(",", ".")))
            except InvalidOperation as error:
                raise forms.ValidationError(
                    _("Line %(n)s: the weight and the maximum score are numbers.") % {"n": number}
                ) from error
            rows.append(CriterionData(section=parts[0], name=parts[1], weight=weight, max_score=maximum))
        if not rows:
            raise forms.ValidationError(_("A rubric needs at least one criterion."))
        return rows


def _with_descriptor(rows: list[CriterionData], text: str, number: int) -> CriterionData:
    """The criterion above, with one more level descriptor ("score: text"); the service checks
    the score against the criterion's maximum and the number of levels."""
    if not rows:
        raise forms.ValidationError(_("Line %(n)s: a level descriptor goes under its criterion.") % {"n": number})
    score, colon, description = text.partition(":")
    if not colon or not score.strip() or not description.strip():
        raise forms.ValidationError(_("Line %(n)s: write a level as - score: description.") % {"n": number})
    criterion = rows[-1]
    level = {"score": score.strip().replace(",", "."), "text": description.strip()}
    return CriterionData(
        section=criterion.section,
        name=criterion.name,
        weight=criterion.weight,
        max_score=criterion.max_score,
        descriptors=[*criterion.descriptors, level],
    )


class StageForm(ServiceErrorMixin, Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=TITLE_MAX)
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=date_input())
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), widget=date_input())
    rubric = forms.TypedChoiceField(label=gettext_lazy("Rubric"), coerce=int, choices=())
    aggregation = forms.ChoiceField(label=gettext_lazy("Aggregation"), choices=Aggregation.choices)
    jurors_per_entry = forms.IntegerField(
        label=gettext_lazy("Jurors per entry"), min_value=1, max_value=JURORS_PER_ENTRY_MAX, initial=2
    )
    disagreement_margin = forms.DecimalField(
        label=gettext_lazy("Disagreement margin"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        help_text=gettext_lazy("An extra juror scores an entry when two submitted totals differ by more than this."),
    )
    audience_weight = forms.DecimalField(
        label=gettext_lazy("Audience vote weight"), min_value=0, max_value=1, decimal_places=2, initial=0
    )
    tie_criterion_position = forms.IntegerField(
        label=gettext_lazy("Tie-break criterion (its number in the rubric)"),
        min_value=1,
        max_value=CRITERIA_MAX,
        required=False,
    )
    advancement = forms.ChoiceField(label=gettext_lazy("Advancement"), choices=Advancement.choices)
    advance_count = forms.IntegerField(
        label=gettext_lazy("Number advancing"), min_value=1, max_value=ADVANCE_COUNT_MAX, required=False
    )
    advance_threshold = forms.DecimalField(
        label=gettext_lazy("Threshold (out of 100)"), min_value=0, max_value=100, decimal_places=2, required=False
    )
    blind = forms.BooleanField(
        label=gettext_lazy("Blind judging"),
        required=False,
        help_text=gettext_lazy("Written entries only: jurors see an entry code, never the entrant's name or unit."),
    )

    def __init__(self, *args: Any, rubrics: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rubric"].choices = rubrics  # type: ignore[attr-defined]


class EntryForm(ServiceErrorMixin, Form):
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=64, help_text=UNIT_HELP)
    title = forms.CharField(label=gettext_lazy("Title or topic"), max_length=TITLE_MAX)
    person = forms.IntegerField(
        label=gettext_lazy("Person (number in the outreach network)"),
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text=gettext_lazy("For a reporter's entry; leave empty for a team."),
    )
    members = forms.CharField(
        label=gettext_lazy("Members"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    materials = forms.CharField(
        label=gettext_lazy("Materials (links, one a line)"),
        max_length=MATERIALS_MAX * 510,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_materials(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["materials"].splitlines() if line.strip()]


class JurorForm(ServiceErrorMixin, Form):
    person = forms.IntegerField(
        label=gettext_lazy("Person (number in the outreach network)"), min_value=1, max_value=2**31 - 1
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=JuryRole.choices, initial=JuryRole.MEMBER)
