"""Forms of the question bank pages. They read input; the services decide what makes sense."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.contests.bank_io.xlsx import split_tags
from lantoa.contests.models import (
    DESCRIPTION_MAX,
    EXPLANATION_MAX,
    NAME_MAX,
    OPTION_KEYS,
    OPTION_MAX,
    REF_MAX,
    STEM_MAX,
    Difficulty,
    Kind,
    Question,
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
