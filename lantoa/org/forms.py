"""Forms of the org pages: the as-of date, the figures' period, the restructuring wizard and
the tree import.

The wizard has one form for what every event shares (:class:`EventForm`) and one form per
event kind whose ``to_payload()`` builds the request :func:`lantoa.org.restructuring.event_apply`
expects; the services decide whether the request makes sense, the forms only read it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from lantoa.core.errors import ApplicationError
from lantoa.core.forms import Form, SpreadsheetUploadForm, date_input
from lantoa.org.models import RestructuringEvent, Tier, Unit, UnitArea, UnitKind
from lantoa.org.rollup import Structure
from lantoa.org.selectors import today, unit_parent

Kind = RestructuringEvent.Kind

UNIT_OPTIONS_ID = "unit-code-options"


class AsOfForm(Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=date_input())


# --- Figures on the unit page ------------------------------------------------------------


class FiguresForm(Form):
    """The period and structure of the figures on a unit's page (default: this year to date)."""

    STRUCTURES = [
        (Structure.HISTORICAL.value, _("Historical")),
        (Structure.CURRENT.value, _("Current")),
        (Structure.AS_OF.value, _("As of a date")),
    ]

    start = forms.DateField(label=_("From"), required=False, widget=date_input())
    end = forms.DateField(label=_("Until"), required=False, widget=date_input())
    structure = forms.ChoiceField(label=_("Structure"), choices=STRUCTURES, required=False)
    structure_on = forms.DateField(label=_("Date of the tree"), required=False, widget=date_input())

    @staticmethod
    def defaults() -> dict[str, Any]:
        day = today()
        return {"start": day.replace(month=1, day=1), "end": day, "structure": Structure.HISTORICAL.value}

    def __init__(self, data: Any = None, **kwargs: Any):
        kwargs.setdefault("initial", self.defaults())
        super().__init__(data, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        defaults = self.defaults()
        for key in ("start", "end", "structure"):
            if not cleaned.get(key):
                cleaned[key] = defaults[key]
        if cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("The period must end on or after its start."))
        if cleaned["structure"] == Structure.AS_OF and not cleaned.get("structure_on"):
            self.add_error("structure_on", _("Choose the date of the tree."))
        return cleaned

    def query(self) -> dict[str, Any]:
        """Keyword arguments for :func:`lantoa.org.rollup.indicator_values` (defaults if invalid)."""
        cleaned = self.cleaned_data if self.is_valid() else self.defaults()
        structure = cleaned["structure"]
        return {
            "start": cleaned["start"],
            "end": cleaned["end"],
            "structure": structure,
            "as_of": cleaned.get("structure_on") if structure == Structure.AS_OF else None,
        }


# --- The restructuring wizard --------------------------------------------------------------

WIZARD_KINDS = [
    (Kind.MERGE.value, _("Merge units into one")),
    (Kind.SPLIT.value, _("Split a unit into several")),
    (Kind.MOVE.value, _("Move a unit under another parent")),
    (Kind.RENAME.value, _("Rename a unit")),
    (Kind.CLOSE.value, _("Close a unit")),
    (Kind.ABOLISH_TIER.value, _("Abolish a tier (its units close, their children move up)")),
    (Kind.CHANGE_KIND.value, _("Change a unit's kind")),
    (Kind.CHANGE_AREA.value, _("Change a unit's administrative area")),
]


class EventForm(Form):
    """Step 1: what happens, when, and on which decision."""

    kind = forms.ChoiceField(label=_("What happens"), choices=WIZARD_KINDS, widget=forms.RadioSelect)
    effective_on = forms.DateField(
        label=_("Effective on"), widget=date_input(), help_text=_("The first day of the new structure.")
    )
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=date_input())
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Nghị quyết 1673/NQ-UBTVQH15")}),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, data: Any = None, **kwargs: Any):
        kwargs.setdefault("initial", {"effective_on": today()})
        super().__init__(data, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        decided, effective = cleaned.get("decided_on"), cleaned.get("effective_on")
        if decided and effective and decided > effective:
            self.add_error("decided_on", _("An event cannot take effect before it is decided."))
        return cleaned

    def event_arguments(self) -> dict[str, Any]:
        """Keyword arguments for ``event_apply`` (besides ``by``, ``payload`` and ``dry_run``)."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "effective_on": data["effective_on"],
            "decided_on": data.get("decided_on"),
            "legal_basis": data.get("legal_basis", ""),
            "note": data.get("note", ""),
        }


def fingerprint(arguments: dict[str, Any], payload: dict[str, Any]) -> str:
    """A digest of an event request, so that "Apply" applies exactly what was previewed."""
    text = json.dumps({"event": arguments, "payload": payload}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def unit_code_input(**attrs: Any) -> forms.TextInput:
    """A text input for a unit code, with suggestions from the server as the user types."""
    return forms.TextInput(
        attrs={
            "list": UNIT_OPTIONS_ID,
            "autocomplete": "off",
            "spellcheck": "false",
            "hx-get": reverse_lazy("org:unit_options"),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": f"#{UNIT_OPTIONS_ID}",
            "hx-swap": "innerHTML",
            "hx-sync": "this:replace",
            **attrs,
        }
    )


def unit_code_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, max_length=64, required=required, help_text=help_text, widget=unit_code_input())


def _kind_field(label: Any, *, required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=UnitKind.objects.select_related("tier"),
        to_field_name="code",
        required=required,
        empty_label="—",
    )


class Group:
    """A fieldset of the payload form: a legend and the bound fields inside it."""

    def __init__(self, legend: Any, fields: list[forms.BoundField], *, help_text: Any = ""):
        self.legend = legend
        self.fields = fields
        self.help_text = help_text


class PayloadForm(Form):
    """A kind's request. Subclasses define fields, ``to_payload()`` and ``layout()``."""

    kind: str = ""
    # The service names fields by their key in the payload; the form's field that holds each.
    FIELD_FOR: dict[str, str] = {}

    def __init__(self, data: Any = None, *, unit: Unit, **kwargs: Any):
        self.page_unit = unit  # the unit whose page opened the wizard (for initial values)
        kwargs.setdefault("prefix", "p")
        kwargs.setdefault("initial", self.initial_for(unit))
        super().__init__(data, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = "form-check-input"

    def initial_for(self, unit: Unit) -> dict[str, Any]:
        return {"unit": unit.code}

    def to_payload(self) -> dict[str, Any]:
        raise NotImplementedError

    def request_payload(self) -> dict[str, Any]:
        """The kind's payload plus the choices common to events that close units."""
        payload = self.to_payload()
        if "assignments" in self.fields:
            payload["pointers"] = {"assignments": self.cleaned_data.get("assignments") or "follow"}
        return payload

    def layout(self) -> list[Group]:
        return [Group(_("Details"), list(self))]

    def show_error(self, error: ApplicationError) -> bool:
        """Put a service's message next to the field it names; False if no field fits."""
        name = error.extra.get("field")
        target = self.FIELD_FOR.get(name, name) if name else None
        if target is None and error.extra.get("code"):  # a gate names the unit it refused
            target = next((key for key, value in self.cleaned_data.items() if value == error.extra["code"]), None)
        if target in self.fields:
            self.add_error(target, error.message)
            return True
        return False


def assignments_choice_field() -> forms.ChoiceField:
    """For events that close units: do the closing units' assignments follow the successor?"""
    return forms.ChoiceField(
        label=_("Assignments on units that close"),
        choices=[
            ("follow", _("Move them to the successor (same role, from the effective date)")),
            ("end", _("End them on the effective date")),
        ],
        initial="follow",
        widget=forms.RadioSelect,
        required=False,
    )


def _clean_code(value: Any) -> str:
    return str(value or "").strip()


class MergeForm(PayloadForm):
    kind = Kind.MERGE
    assignments = assignments_choice_field()
    SLOTS = 6
    FIELD_FOR = {
        "predecessors": "predecessor_1",
        "code": "new_code",
        "name": "new_name",
        "kind": "new_kind",
        "parent": "new_parent",
        "official_code": "new_official_code",
    }

    into_or_new = forms.ChoiceField(
        label=_("The merged unit"),
        choices=[("new", _("is a new unit")), ("into", _("is an existing unit that continues"))],
        widget=forms.RadioSelect,
        initial="new",
    )
    into = unit_code_field(_("Continuing unit (code)"), required=False)
    new_code = forms.CharField(label=_("New unit's code"), max_length=64, required=False)
    new_name = forms.CharField(label=_("New unit's name"), max_length=255, required=False)
    new_kind = _kind_field(_("New unit's kind"), required=False)
    new_parent = unit_code_field(_("New unit's parent (code)"), required=False)
    new_official_code = forms.CharField(label=_("Official code of its area"), max_length=20, required=False)
    new_area_name = forms.CharField(label=_("Name of its area"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for number in range(1, self.SLOTS + 1):
            self.fields[f"predecessor_{number}"] = unit_code_field(
                _("Unit %(number)s (code)") % {"number": number}, required=number == 1
            )

    def initial_for(self, unit: Unit) -> dict[str, Any]:
        parent = unit_parent(unit)
        return {
            "predecessor_1": unit.code,
            "into_or_new": "new",
            "new_kind": unit.kind.code,
            "new_parent": parent.code if parent else "",
        }

    def predecessors(self) -> list[str]:
        codes = [_clean_code(self.cleaned_data.get(f"predecessor_{n}")) for n in range(1, self.SLOTS + 1)]
        return [code for code in codes if code]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        codes = self.predecessors()
        if len(set(codes)) != len(codes):
            self.add_error("predecessor_1", _("Name each unit once."))
        if cleaned.get("into_or_new") == "into":
            if not _clean_code(cleaned.get("into")):
                self.add_error("into", _("Give the code of the unit that continues."))
        else:
            for name in ("new_code", "new_name", "new_kind"):
                if not cleaned.get(name):
                    self.add_error(name, _("Needed for a new unit."))
        return cleaned

    def to_payload(self) -> dict[str, Any]:
        data = self.cleaned_data
        payload: dict[str, Any] = {"predecessors": self.predecessors()}
        if data["into_or_new"] == "into":
            payload["into"] = _clean_code(data["into"])
        else:
            payload["new"] = _new_unit(data, "new_")
        return payload

    def layout(self) -> list[Group]:
        slots = [self[f"predecessor_{n}"] for n in range(1, self.SLOTS + 1)]
        new = [self[name] for name in ("new_code", "new_name", "new_kind", "new_parent")]
        area = [self["new_official_code"], self["new_area_name"]]
        return [
            Group(_("Units that merge"), slots, help_text=_("Leave the slots you do not need empty.")),
            Group(_("What continues"), [self["into_or_new"], self["into"]]),
            Group(_("New unit"), new + area, help_text=_("Only when the merged unit is a new unit.")),
            Group(_("What follows the closing units"), [self["assignments"]]),
        ]


def _new_unit(data: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The ``new`` part of a payload from the fields ``<prefix>code``, ``<prefix>name``…"""
    kind = data.get(f"{prefix}kind")
    spec = {
        "code": _clean_code(data.get(f"{prefix}code")),
        "name": str(data.get(f"{prefix}name") or "").strip(),
        "kind": kind.code if kind else "",
    }
    for key in ("parent", "official_code", "area_name"):
        value = _clean_code(data.get(f"{prefix}{key}"))
        if value:
            spec[key] = value
    return spec


class SplitForm(PayloadForm):
    """A unit closes and its successors share it by weight, or, with ``keeps_open``, the unit stays
    open and gives parts of itself to the units named (no succession, so no default and no
    weights that must add up to 1)."""

    kind = Kind.SPLIT
    assignments = assignments_choice_field()
    SLOTS = 4
    FIELD_FOR = {"successors": "default"}

    unit = unit_code_field(_("Unit that splits (code)"))
    keeps_open = forms.BooleanField(
        label=_("The unit stays open and gives parts of itself away"),
        required=False,
        help_text=_(
            "Its records stay with it; each unit named below receives a part. Weights are optional "
            "and add up to less than 1; there is no default successor."
        ),
    )
    default = forms.ChoiceField(
        label=_("Default successor"),
        # A callable, so the labels are translated when a form is shown, not once at import.
        choices=lambda: [(str(n), _("Successor %(number)s") % {"number": n}) for n in range(1, SplitForm.SLOTS + 1)],
        widget=forms.RadioSelect,
        initial="1",
        required=False,  # ignored when the unit stays open; :meth:`clean` asks for it otherwise
        help_text=_("Takes the units below and the records that cannot be shared by weight."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for n in range(1, self.SLOTS + 1):
            self.fields[f"s{n}_unit"] = unit_code_field(
                _("Existing unit (code)"), required=False, help_text=_("Or describe a new unit below.")
            )
            self.fields[f"s{n}_code"] = forms.CharField(label=_("New unit's code"), max_length=64, required=False)
            self.fields[f"s{n}_name"] = forms.CharField(label=_("New unit's name"), max_length=255, required=False)
            self.fields[f"s{n}_kind"] = _kind_field(_("New unit's kind"), required=False)
            self.fields[f"s{n}_parent"] = unit_code_field(_("New unit's parent (code)"), required=False)
            self.fields[f"s{n}_weight"] = forms.DecimalField(
                label=_("Weight"),
                required=False,
                min_value=Decimal("0.000001"),
                max_value=Decimal(1),
                max_digits=7,
                decimal_places=6,
                help_text=_(
                    "Share of additive figures, e.g. 0.6; weights add up to 1 "
                    "(to less than 1, or none, when the unit stays open)."
                ),
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            )

    def initial_for(self, unit: Unit) -> dict[str, Any]:
        parent = unit_parent(unit)
        initial: dict[str, Any] = {"unit": unit.code, "default": "1"}
        for n in range(1, self.SLOTS + 1):
            initial[f"s{n}_kind"] = unit.kind.code
            initial[f"s{n}_parent"] = parent.code if parent else ""
        return initial

    def _used(self, n: int) -> bool:
        data = self.cleaned_data
        return any(data.get(f"s{n}_{key}") not in (None, "") for key in ("unit", "code", "name", "weight"))

    def _keeps_open(self) -> bool:
        return bool(self.cleaned_data.get("keeps_open"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        used = [n for n in range(1, self.SLOTS + 1) if self._used(n)]
        for n in used:
            self._clean_slot(n)
        if self._keeps_open():
            self._clean_parts(used)
            return cleaned
        if len(used) < 2:
            self.add_error(None, _("A split needs at least two successors."))
        if not cleaned.get("default"):
            self.add_error("default", forms.Field.default_error_messages["required"])
        elif int(cleaned["default"]) not in used:
            self.add_error("default", _("The default successor must be one of those filled in."))
        return cleaned

    def _clean_slot(self, n: int) -> None:
        cleaned = self.cleaned_data
        weight_missing = cleaned.get(f"s{n}_weight") is None and f"s{n}_weight" not in self.errors
        if weight_missing and not self._keeps_open():
            self.add_error(f"s{n}_weight", _("Give this successor's weight."))
        existing = _clean_code(cleaned.get(f"s{n}_unit"))
        new = cleaned.get(f"s{n}_code") or cleaned.get(f"s{n}_name")
        if existing and new:
            self.add_error(f"s{n}_unit", _("Either an existing unit or a new one, not both."))
        elif not existing:
            for key in ("code", "name", "kind"):
                if not cleaned.get(f"s{n}_{key}"):
                    self.add_error(f"s{n}_{key}", _("Needed for a new unit."))

    def _clean_parts(self, used: list[int]) -> None:
        """The unit keeps a share of itself, so the parts it gives cannot add up to the whole; said
        here so that the preview is not even tried."""
        if not used:
            self.add_error("keeps_open", _("Say which units receive a part."))
            return
        weights = [self.cleaned_data.get(f"s{n}_weight") for n in used]
        total = sum((weight for weight in weights if weight is not None), Decimal(0))
        if total >= 1:
            self.add_error(
                "keeps_open",
                _("The unit stays open: the parts it gives add up to less than 1 (they add up to %(total)s).")
                % {"total": total.normalize()},
            )

    def show_error(self, error: ApplicationError) -> bool:
        # With the unit staying open the default successor is ignored: the service's word on the
        # successors belongs beside the box that made them receivers.
        if self._keeps_open() and error.extra.get("field") == "successors":
            self.add_error("keeps_open", error.message)
            return True
        return super().show_error(error)

    def to_payload(self) -> dict[str, Any]:
        data = self.cleaned_data
        keeps_open = self._keeps_open()
        successors = []
        for n in range(1, self.SLOTS + 1):
            if not self._used(n):
                continue
            part: dict[str, Any] = {}
            if data.get(f"s{n}_weight") is not None:
                part["weight"] = str(data[f"s{n}_weight"])
            if not keeps_open:
                part["is_default"] = data["default"] == str(n)
            existing = _clean_code(data.get(f"s{n}_unit"))
            if existing:
                part["unit"] = existing
            else:
                part["new"] = _new_unit(data, f"s{n}_")
            successors.append(part)
        payload: dict[str, Any] = {"unit": _clean_code(data["unit"]), "successors": successors}
        if keeps_open:
            payload["keeps_open"] = True
        return payload

    def request_payload(self) -> dict[str, Any]:
        payload = super().request_payload()
        if self._keeps_open():
            payload.pop("pointers", None)  # nothing closes, so nothing has to follow
        return payload

    def layout(self) -> list[Group]:
        groups = [Group(_("Unit that splits"), [self["unit"], self["keeps_open"], self["default"]])]
        for n in range(1, self.SLOTS + 1):
            names = ("weight", "unit", "code", "name", "kind", "parent")
            groups.append(
                Group(
                    _("Successor %(number)s") % {"number": n},
                    [self[f"s{n}_{key}"] for key in names],
                    help_text=_("Optional") if n > 2 else "",
                )
            )
        groups.append(
            Group(
                _("What follows the closing unit"),
                [self["assignments"]],
                help_text=_("Only when the unit closes."),
            )
        )
        return groups


class MoveForm(PayloadForm):
    kind = Kind.MOVE
    FIELD_FOR = {"new_parent": "parent"}

    unit = unit_code_field(_("Unit that moves (code)"), help_text=_("Its whole subtree moves with it."))
    parent = unit_code_field(_("New parent (code)"))

    def to_payload(self) -> dict[str, Any]:
        return {"unit": _clean_code(self.cleaned_data["unit"]), "parent": _clean_code(self.cleaned_data["parent"])}


class RenameForm(PayloadForm):
    kind = Kind.RENAME

    unit = unit_code_field(_("Unit (code)"))
    name = forms.CharField(label=_("New name"), max_length=255)
    short_name = forms.CharField(label=_("New short name"), max_length=120, required=False)

    def to_payload(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"unit": _clean_code(data["unit"]), "name": data["name"].strip(), "short_name": data["short_name"]}


class CloseForm(PayloadForm):
    kind = Kind.CLOSE
    assignments = assignments_choice_field()
    FIELD_FOR = {"children": "successor"}

    unit = unit_code_field(_("Unit that closes (code)"))
    successor = unit_code_field(
        _("Successor (code)"),
        required=False,
        help_text=_("Receives its records and the units below it. Leave empty if nothing continues."),
    )

    def to_payload(self) -> dict[str, Any]:
        payload = {"unit": _clean_code(self.cleaned_data["unit"])}
        if _clean_code(self.cleaned_data.get("successor")):
            payload["successor"] = _clean_code(self.cleaned_data["successor"])
        return payload


class AbolishTierForm(PayloadForm):
    kind = Kind.ABOLISH_TIER
    assignments = assignments_choice_field()

    within = unit_code_field(_("Within the unit (code)"))
    tier = forms.ModelChoiceField(label=_("Tier to abolish"), queryset=Tier.objects.all(), to_field_name="code")

    def initial_for(self, unit: Unit) -> dict[str, Any]:
        return {"within": unit.code}

    def to_payload(self) -> dict[str, Any]:
        return {"within": _clean_code(self.cleaned_data["within"]), "tier": self.cleaned_data["tier"].code}


class ChangeKindForm(PayloadForm):
    kind = Kind.CHANGE_KIND

    unit = unit_code_field(_("Unit (code)"))
    new_kind = _kind_field(_("New kind"))
    FIELD_FOR = {"kind": "new_kind"}

    def to_payload(self) -> dict[str, Any]:
        return {"unit": _clean_code(self.cleaned_data["unit"]), "kind": self.cleaned_data["new_kind"].code}


class ChangeAreaForm(PayloadForm):
    kind = Kind.CHANGE_AREA

    unit = unit_code_field(_("Unit (code)"))
    official_code = forms.CharField(label=_("Official code"), max_length=20)
    area_name = forms.CharField(label=_("Area name"), max_length=255)
    level = forms.ChoiceField(label=_("Level"), choices=UnitArea.Level.choices)

    def initial_for(self, unit: Unit) -> dict[str, Any]:
        tier = unit.kind.tier.code
        return {"unit": unit.code, "level": tier if tier in UnitArea.Level.values else UnitArea.Level.COMMUNE}

    def to_payload(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "unit": _clean_code(data["unit"]),
            "official_code": data["official_code"].strip(),
            "area_name": data["area_name"].strip(),
            "level": data["level"],
        }


PAYLOAD_FORMS: dict[str, type[PayloadForm]] = {
    form.kind: form
    for form in (
        MergeForm,
        SplitForm,
        MoveForm,
        RenameForm,
        CloseForm,
        AbolishTierForm,
        ChangeKindForm,
        ChangeAreaForm,
    )
}


def payload_form_for(kind: str, data: Any = None, *, unit: Unit) -> PayloadForm:
    return PAYLOAD_FORMS[kind](data, unit=unit)


# --- Tree import and export ------------------------------------------------------------------


class TreeExportForm(Form):
    as_of = forms.DateField(label=_("The tree as of"), required=False, widget=date_input())
    format = forms.ChoiceField(
        label=_("Format"), choices=[("xlsx", _("Excel workbook (XLSX)")), ("csv", _("CSV (UTF-8)"))], required=False
    )

    def export_day(self) -> dt.date:
        return (self.cleaned_data.get("as_of") if self.is_valid() else None) or today()

    def export_format(self) -> str:
        return (self.cleaned_data.get("format") if self.is_valid() else None) or "xlsx"


class TreeImportForm(SpreadsheetUploadForm):
    """Upload of the units to import."""
