"""Forms of the question bank pages. They read input; the services decide what makes sense."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.contests.bank_io.xlsx import split_tags
from lantoa.contests.models import (
    ATTEMPTS_ALLOWED_MAX,
    CONSENT_MAX,
    DEFAULT_RANKING_ORDER,
    DESCRIPTION_MAX,
    EXPLANATION_MAX,
    GRACE_MAX,
    NAME_MAX,
    OPTION_KEYS,
    OPTION_MAX,
    PRIZES_MAX,
    PROMPT_MAX,
    QUESTIONS_PER_ATTEMPT_MAX,
    REF_MAX,
    RETENTION_DAYS_DEFAULT,
    RETENTION_DAYS_MAX,
    SIGNER_MAX,
    STEM_MAX,
    TIME_LIMIT_MAX,
    TITLE_MAX,
    Audience,
    ContestStatus,
    Difficulty,
    Kind,
    PredictionKind,
    Question,
    QuestionBank,
    QuestionVersion,
    Scoring,
)
from lantoa.contests.services import QuestionData
from lantoa.core.forms import Form, ServiceErrorMixin
from lantoa.core.spreadsheets import MAX_IMPORT_BYTES, MB

OPTION_FIELDS = [f"option_{key.lower()}" for key in OPTION_KEYS]
# Where a problem the service names is shown.
_FIELD_OF = {"options": "option_a", "tags": "tags"}


class BankForm(ServiceErrorMixin, Form):
    unit = forms.CharField(label=_("Unit code"), max_length=64, help_text=_("The unit that keeps the bank."))
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class BankEditForm(ServiceErrorMixin, Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class QuestionFilterForm(Form):
    q = forms.CharField(label=_("Search the questions"), max_length=200, required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    retired = forms.BooleanField(label=_("Retired questions"), required=False)

    def __init__(self, *args: Any, tags: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["tag"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All tags")), *((name, name) for name in tags)]


class QuestionForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.SINGLE)
    stem = forms.CharField(label=_("Question"), max_length=STEM_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    correct = forms.MultipleChoiceField(
        label=_("Correct options"),
        choices=[(key, key) for key in OPTION_KEYS],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
    )
    scoring = forms.ChoiceField(
        label=_("Scoring"),
        choices=Scoring.choices,
        initial=Scoring.ALL_OR_NOTHING,
        help_text=_("Partial credit is for multiple-select questions."),
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=EXPLANATION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to contestants after they submit."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=700,
        required=False,
        help_text=_("Separated by semicolons, e.g. Chương 1; Đại hội XIII"),
    )
    difficulty = forms.TypedChoiceField(
        label=_("Difficulty"), choices=Difficulty.choices, coerce=int, initial=Difficulty.MEDIUM
    )
    ref = forms.CharField(
        label=_("Code"), max_length=REF_MAX, required=False, help_text=_("Optional, unique in the bank.")
    )
    source = forms.CharField(
        label=_("Source document"),
        max_length=100,
        required=False,
        help_text=_("Optional: its number and symbol (e.g. 01-KL/TW) or its id in the library."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for position, name in enumerate(OPTION_FIELDS):
            self.fields[name] = forms.CharField(
                label=_("Option %(key)s") % {"key": OPTION_KEYS[position]}, max_length=OPTION_MAX, required=False
            )
        order = [
            "kind",
            "stem",
            *OPTION_FIELDS,
            "correct",
            "scoring",
            "explanation",
            "tags",
            "difficulty",
            "ref",
            "source",
        ]
        self.order_fields(order)

    @property
    def option_fields(self) -> list[Any]:
        return [self[name] for name in OPTION_FIELDS]

    @classmethod
    def initial_from(cls, question: Question, version: QuestionVersion, tags: list[str]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "kind": version.kind,
            "stem": version.stem,
            "correct": list(version.correct),
            "scoring": version.scoring,
            "explanation": version.explanation,
            "tags": "; ".join(tags),
            "difficulty": question.difficulty,
            "ref": question.ref,
        }
        for option in version.options:
            initial[f"option_{option['key'].lower()}"] = option["text"]
        return initial

    def to_data(self, *, source_document: Any = None) -> QuestionData:
        """The question as typed, from the cleaned data (call after ``is_valid``) or, for a
        preview, from whatever was sent."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        options = [str(data.get(name) or "") for name in OPTION_FIELDS]
        while options and not options[-1]:
            options.pop()
        difficulty = data.get("difficulty") or Difficulty.MEDIUM
        return QuestionData(
            stem=data.get("stem") or "",
            options=options,
            correct=list(data.get("correct") or []),
            kind=data.get("kind") or Kind.SINGLE,
            scoring=data.get("scoring") or Scoring.ALL_OR_NOTHING,
            explanation=data.get("explanation") or "",
            tags=split_tags(data.get("tags") or ""),
            difficulty=int(difficulty),
            ref=data.get("ref") or "",
            source_document=source_document,
        )

    def show_problems(self, problems: dict[str, str]) -> None:
        """Every problem the service found, next to its field."""
        for name, message in problems.items():
            target = _FIELD_OF.get(name, name)
            self.add_error(target if target in self.fields else None, message)


IMPORT_EXTENSIONS = (".xlsx", ".csv", ".xml")


class ImportForm(Form):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV) or Moodle XML"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_EXTENSIONS)}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(IMPORT_EXTENSIONS):
            raise forms.ValidationError(_("Upload an XLSX, CSV or Moodle XML file."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_IMPORT_BYTES // MB})
        return upload


EXTERNAL_EXTENSIONS = (".xlsx", ".csv")


class ExternalResultsForm(Form):
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTERNAL_EXTENSIONS)}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTERNAL_EXTENSIONS):
            raise forms.ValidationError(_("Upload an XLSX or CSV file."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_IMPORT_BYTES // MB})
        return upload


# --- Contests and rounds -------------------------------------------------------------------------


class ContestForm(ServiceErrorMixin, Form):
    unit = forms.CharField(label=_("Unit code"), max_length=64, help_text=_("The organising unit."))
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Description"), max_length=DESCRIPTION_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    audience = forms.ChoiceField(label=_("Who may enter"), choices=Audience.choices, initial=Audience.PUBLIC)
    min_age = forms.IntegerField(
        label=_("Minimum age"), min_value=1, max_value=100, required=False, help_text=_("12, 14… or empty.")
    )
    ask_unit = forms.BooleanField(label=_("Ask the contestant's unit"), required=False, initial=True)
    ask_group = forms.BooleanField(label=_("Ask the contestant's group"), required=False, initial=True)
    ask_phone = forms.BooleanField(label=_("Ask a phone number (optional for them)"), required=False)
    ask_email = forms.BooleanField(label=_("Ask an e-mail address (optional for them)"), required=False)
    verify_phone = forms.BooleanField(
        label=_("Verify the phone number by a one-time code"),
        required=False,
        help_text=_("The phone number becomes required; a contestant starts an attempt once they typed the code."),
    )
    verify_email = forms.BooleanField(
        label=_("Verify the e-mail address by a one-time code"),
        required=False,
        help_text=_("The e-mail address becomes required; a contestant starts an attempt once they typed the code."),
    )
    consent_text = forms.CharField(
        label=_("Consent text"), max_length=CONSENT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    signer_role = forms.CharField(
        label=_("Signer's role on the certificates"),
        max_length=SIGNER_MAX,
        required=False,
        help_text=_("E.g. “TM. BAN TỔ CHỨC — TRƯỞNG BAN”; empty: the head of the organising board."),
    )
    signer_name = forms.CharField(label=_("Signer's name"), max_length=NAME_MAX, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ContestStatus.choices, initial=ContestStatus.DRAFT)
    prizes_individual = forms.IntegerField(
        label=_("Individual prizes per round"), min_value=0, max_value=PRIZES_MAX, initial=0
    )
    prizes_collective = forms.IntegerField(
        label=_("Collective prizes per round"), min_value=0, max_value=PRIZES_MAX, initial=0
    )
    referral_prizes = forms.IntegerField(
        label=_("Referral prizes (whole contest)"),
        min_value=0,
        max_value=PRIZES_MAX,
        initial=0,
        required=False,
        help_text=_("For those whose referral links brought the most contestants who submitted an attempt."),
    )
    claim_retention_days = forms.IntegerField(
        label=_("Days payment details are kept after paying"),
        min_value=1,
        max_value=RETENTION_DAYS_MAX,
        initial=RETENTION_DAYS_DEFAULT,
        required=False,
        help_text=_("After this, the winners' bank details and phones are erased; that the prize was paid stays."),
    )

    def clean_referral_prizes(self) -> int:
        return self.cleaned_data.get("referral_prizes") or 0

    def clean_claim_retention_days(self) -> int:
        return self.cleaned_data.get("claim_retention_days") or RETENTION_DAYS_DEFAULT


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RoundForm(ServiceErrorMixin, Form):
    bank = forms.TypedChoiceField(label=_("Question bank"), coerce=int, choices=[])
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX, required=False)
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"])
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"])
    window_start = forms.TimeField(
        label=_("Each day from"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    window_end = forms.TimeField(
        label=_("Each day until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    weekdays = forms.RegexField(
        label=_("Weekdays"), regex=r"^[1-7]{0,7}$", required=False, help_text=_("1 = Monday … 7 = Sunday: 12345.")
    )
    questions_per_attempt = forms.IntegerField(
        label=_("Questions per attempt"), min_value=1, max_value=QUESTIONS_PER_ATTEMPT_MAX, initial=20
    )
    draw_rules = forms.CharField(
        label=_("Draw by tag"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One line per tag: “Chương 1: 5”. Empty: from the whole bank."),
    )
    time_limit_seconds = forms.IntegerField(
        label=_("Time limit (seconds)"), min_value=10, max_value=TIME_LIMIT_MAX, initial=600
    )
    grace_seconds = forms.IntegerField(label=_("Grace (seconds)"), min_value=0, max_value=GRACE_MAX, initial=30)
    attempts_allowed = forms.IntegerField(
        label=_("Attempts allowed"),
        min_value=0,
        max_value=ATTEMPTS_ALLOWED_MAX,
        initial=1,
        help_text=_("0: unlimited."),
    )
    prediction_kind = forms.ChoiceField(label=_("Prediction question"), choices=PredictionKind.choices)
    prediction_prompt = forms.CharField(label=_("Prediction prompt"), max_length=PROMPT_MAX, required=False)
    ranking_order = forms.ChoiceField(
        label=_("After the score, rank by"),
        choices=[],
        required=False,
        help_text=_("Ties left by all of these share a rank."),
    )

    def __init__(self, *args: Any, banks: list[QuestionBank], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from lantoa.contests.ranking import order_choices

        self.fields["ranking_order"].choices = order_choices()  # type: ignore[attr-defined]
        self.fields["ranking_order"].initial = DEFAULT_RANKING_ORDER
        self.banks = {b.pk: b for b in banks}
        self.fields["bank"].choices = [(b.pk, b.name) for b in banks]  # type: ignore[attr-defined]

    def clean_draw_rules(self) -> list[dict[str, Any]]:
        rules = []
        for line in (self.cleaned_data.get("draw_rules") or "").splitlines():
            if not line.strip():
                continue
            tag, _sep, count = line.rpartition(":")
            if not tag.strip() or not count.strip().isdigit():
                raise forms.ValidationError(_("Write each line as “tag: count”."))
            rules.append({"tag": tag.strip(), "count": int(count)})
        return rules

    def data_values(self) -> dict[str, Any]:
        values = dict(self.cleaned_data)
        values["bank"] = self.banks[values["bank"]]
        return values


def rules_text(rules: list[dict[str, Any]]) -> str:
    return "\n".join(f"{rule['tag']}: {rule['count']}" for rule in rules)
