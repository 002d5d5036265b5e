"""Form helpers for templates: Bootstrap classes on widgets without inline styles or markup
repeated in every template. Use ``{% include "web/partials/_field.html" with field=form.x %}``."""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


def _css_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.filter
def widget_class(field: forms.BoundField) -> str:
    """The Bootstrap class that fits the field's widget."""
    return _css_class(field.field.widget)


@register.filter
def bootstrap_widget(field: forms.BoundField) -> SafeString:
    """The field's widget with Bootstrap's class, its validity and its help text linked."""
    classes = [field.field.widget.attrs.get("class", ""), _css_class(field.field.widget)]
    attrs: dict[str, str | bool] = {}
    described_by = []
    if field.errors:
        classes.append("is-invalid")
        attrs["aria-invalid"] = "true"
        described_by.append(f"{field.auto_id}_error")
    if field.help_text:
        described_by.append(f"{field.auto_id}_help")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    attrs["class"] = " ".join(c for c in classes if c)
    return field.as_widget(attrs=attrs)
