"""The campaign form: subjects one a line (``unit code | model``) or every unit of a tier,
criterion minimums one a line (``criterion number: minimum``). The service checks everything
again."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.core.forms import Form, ServiceErrorMixin, date_input
from lantoa.judging.assessments.models import SUBJECTS_MAX, YEAR_MAX, YEAR_MIN
from lantoa.judging.forms import UNIT_HELP
from lantoa.judging.models import CRITERIA_MAX, TITLE_MAX
from lantoa.org.models import Tier


class CampaignForm(ServiceErrorMixin, Form):
    unit = forms.CharField(label=gettext_lazy("Assessing unit"), max_length=64, help_text=UNIT_HELP)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=TITLE_MAX)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    starts_on = forms.DateField(label=gettext_lazy("Period starts on"), widget=date_input())
    ends_on = forms.DateField(label=gettext_lazy("Period ends on"), widget=date_input())
    rubric = forms.TypedChoiceField(label=gettext_lazy("Criteria set (rubric)"), coerce=int)
    pass_score = forms.DecimalField(
        label=gettext_lazy("Pass score (out of 100)"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    minimums = forms.CharField(
        label=gettext_lazy("Criterion minimums, one a line"),
        required=False,
        max_length=CRITERIA_MAX * 20,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "Criterion number: minimum score, for example 2: 5. Leave empty when only the overall score counts."
        ),
    )
    tier = forms.ChoiceField(label=gettext_lazy("Assess every unit of the tier"), required=False)
    subjects = forms.CharField(
        label=gettext_lazy("Units or models assessed, one a line"),
        required=False,
        max_length=SUBJECTS_MAX * (TITLE_MAX + 70),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "Unit code | exemplary model, for example: P-A-1-C1 | Mô hình nước sạch thôn. "
            "Without a model the unit itself is assessed."
        ),
    )

    def __init__(self, *args: object, rubrics: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["rubric"].choices = rubrics  # type: ignore[attr-defined]
        tiers = [("", "—"), *((tier.code, str(tier)) for tier in Tier.objects.order_by("rank"))]
        self.fields["tier"].choices = tiers  # type: ignore[attr-defined]

    def clean_minimums(self) -> dict[int, Decimal]:
        found = {}
        for number, line in enumerate(self.cleaned_data["minimums"].splitlines(), start=1):
            if not line.strip():
                continue
            position, _colon, value = line.partition(":")
            try:
                found[int(position.strip())] = Decimal(value.strip().replace(",", "."))
            except (ValueError, InvalidOperation) as error:
                raise forms.ValidationError(
                    _("Line %(n)s: write the criterion number, a colon and the minimum.") % {"n": number}
                ) from error
        return found

    def clean_subjects(self) -> list[tuple[str, str]]:
        rows = []
        for line in self.cleaned_data["subjects"].splitlines():
            if line.strip():
                code, _bar, model = line.partition("|")
                rows.append((code.strip(), model.strip()))
        if len(rows) > SUBJECTS_MAX:
            raise forms.ValidationError(_("A campaign assesses at most %(max)s subjects.") % {"max": SUBJECTS_MAX})
        return rows
