from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.core.spreadsheets import MAX_IMPORT_BYTES, MB

__all__ = ["MAX_IMPORT_BYTES", "AuditFilterForm", "ServiceErrorMixin", "SpreadsheetUploadForm", "date_input"]


def date_input() -> forms.DateInput:
    """A native date picker whose value is written the way browsers read it (ISO)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceErrorMixin:
    """For forms whose input a service checks: show its ApplicationError next to the field the
    error names (``extra["field"]``), or above the form."""

    def show_error(self, error: Any) -> None:
        field = error.extra.get("field")
        self.add_error(field if field in self.fields else None, error.message)  # type: ignore[attr-defined]


IMPORT_EXTENSIONS = (".xlsx", ".csv")


class SpreadsheetUploadForm(forms.Form):
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


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action starts with"), required=False)
    actor = forms.CharField(label=_("User"), required=False)
    unit = forms.CharField(label=_("Unit code"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
