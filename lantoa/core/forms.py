from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.core.spreadsheets import MAX_IMPORT_BYTES, MB
from lantoa.core.text import clean_text

__all__ = [
    "MAX_IMPORT_BYTES",
    "AuditFilterForm",
    "CleanTextMixin",
    "Form",
    "ServiceErrorMixin",
    "SpreadsheetUploadForm",
    "date_input",
]


def date_input() -> forms.DateInput:
    """A native date picker whose value is written the way browsers read it (ISO)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CleanTextMixin:
    """Every text a form takes is cleaned once, by :func:`lantoa.core.text.clean_text`, before
    its field checks it: NFC, invisible and control characters (NUL included) removed, spaces
    collapsed — several lines kept for a ``Textarea``. A name typed as a zero-width space is
    then empty, and refused as such by the field's own ``required`` check; lengths count what
    will be stored. Passwords are secrets, not text: they are left as typed.

    The cleaning wraps each text field's ``to_python`` (which Django runs before ``validate``
    and the validators) when the form is cleaned, so fields added in ``__init__`` get it too."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        for field in self.fields.values():
            _clean_text_first(field)
        super().full_clean()  # type: ignore[misc]


def _clean_text_first(field: forms.Field) -> None:
    if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
        return
    if getattr(field, "_text_cleaned", False):
        return
    multiline = isinstance(field.widget, forms.Textarea)
    to_python: Callable[[Any], Any] = field.to_python

    def cleaned_to_python(value: Any) -> Any:
        if isinstance(value, str):
            value = clean_text(value, multiline=multiline)
        return to_python(value)

    field.to_python = cleaned_to_python  # type: ignore[method-assign]
    field._text_cleaned = True  # type: ignore[attr-defined]


class Form(CleanTextMixin, forms.Form):
    """The base of Lantoa's forms: :class:`CleanTextMixin` on Django's form."""


class ServiceErrorMixin:
    """For forms whose input a service checks: show its ApplicationError next to the field the
    error names (``extra["field"]``), or above the form."""

    def show_error(self, error: Any) -> None:
        field = error.extra.get("field")
        self.add_error(field if field in self.fields else None, error.message)  # type: ignore[attr-defined]


IMPORT_EXTENSIONS = (".xlsx", ".csv")


class SpreadsheetUploadForm(Form):
    """The file of an all-or-nothing import (lantoa.core.importing): XLSX or CSV, at most
    :data:`~lantoa.core.spreadsheets.MAX_IMPORT_BYTES` (the limit the reader applies too)."""

    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(IMPORT_EXTENSIONS)}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(IMPORT_EXTENSIONS):
            raise forms.ValidationError(_("Upload an XLSX or CSV file."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_IMPORT_BYTES // MB})
        return upload


class AuditFilterForm(Form):
    action = forms.CharField(label=_("Action starts with"), required=False)
    actor = forms.CharField(label=_("User"), required=False)
    unit = forms.CharField(label=_("Unit code"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
