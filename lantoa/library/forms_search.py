"""The library list's search and filter form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.core.forms import Form
from lantoa.library.models import Document, DocumentKind, Language


class LibrarySearchForm(Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Words, title or number (e.g. 01-KL/TW)"), "autofocus": True}
        ),
    )
    words = forms.ChoiceField(
        label=_("Match"),
        required=False,
        choices=[("all", _("All the words")), ("any", _("Any of the words"))],
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    issuer = forms.CharField(label=_("Issuing body"), required=False, max_length=200)
    year = forms.IntegerField(label=_("Year issued"), required=False, min_value=1930, max_value=2100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Document.Status.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *Language.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("All kinds")), *[(k.code, k.name) for k in DocumentKind.objects.all()]]

    def values(self) -> dict[str, Any]:
        """The search arguments; an invalid field counts as empty."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data  # the valid fields only
        return {
            "q": (data.get("q") or "").strip(),
            "any_word": data.get("words") == "any",
            "kind": data.get("kind") or "",
            "issuer": (data.get("issuer") or "").strip(),
            "year": data.get("year"),
            "status": data.get("status") or "",
            "language": data.get("language") or "",
        }
