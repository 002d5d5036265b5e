"""Forms of the conference pages. They read input; the services decide what makes sense."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.core.forms import Form, ServiceErrorMixin, date_input
from lantoa.meetings.models import (
    BridgePoint,
    Category,
    Conference,
    ConferenceAttachment,
    ConferenceKind,
    Format,
    Level,
    Participant,
    Recurrence,
)
from lantoa.meetings.services import ConferenceData, Headcount, PresenterData, ReflectionCounts, SeriesData
from lantoa.org.models import Tier, Unit
from lantoa.org.selectors import today

# Large enough for any site, small enough for every database's integer column.
MAX_COUNT = 1_000_000
UNIT_OPTIONS_ID = "meetings-unit-options"
# Conference dates a form accepts (a far year would not fit the database once in UTC).
FIRST_YEAR, LAST_YEAR = 1990, 2100


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def count_field(label: Any, *, required: bool = False, help_text: Any = "") -> forms.IntegerField:
    """A whole number of people: zero or more, typed on a phone's number pad."""
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=MAX_COUNT,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )


def time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def unit_code_input(options_id: str = UNIT_OPTIONS_ID, **attrs: Any) -> forms.TextInput:
    """A unit code, with suggestions (units the user records for) as the user types."""
    return forms.TextInput(
        attrs={
            "list": options_id,
            "autocomplete": "off",
            "spellcheck": "false",
            "hx-get": reverse_lazy("meetings:unit_search"),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": f"#{options_id}",
            "hx-swap": "innerHTML",
            "hx-sync": "this:replace",
            **attrs,
        }
    )


def unit_codes(text: str) -> list[str]:
    """Unit codes typed in one field, separated by commas, semicolons, spaces or lines."""
    seen: list[str] = []
    for code in re.split(r"[\s,;]+", text or ""):
        if code and code not in seen:
            seen.append(code)
    return seen


class ServiceErrorsMixin(ServiceErrorMixin):
    """Like :class:`ServiceErrorMixin`, with every problem a service listed in
    ``extra["errors"]`` beside its own field, and the service's names for some fields
    (``field_aliases``) mapped to this form's."""

    field_aliases: dict[str, str] = {}

    def show_error(self, error: Any) -> None:
        problems = error.extra.get("errors")
        if not isinstance(problems, dict) or not problems:
            problems = {error.extra.get("field"): error.message}
        fields = self.fields  # type: ignore[attr-defined]
        for field, message in problems.items():
            name = self.field_aliases.get(field, field)
            self.add_error(name if name in fields else None, message)  # type: ignore[attr-defined]


# --- The list ----------------------------------------------------------------------------------


class ConferenceFilterForm(Form):
    unit = forms.CharField(
        label=_("Unit (code)"),
        required=False,
        max_length=64,
        widget=forms.TextInput(
            attrs={
                "list": "conference-unit-options",
                "autocomplete": "off",
                "spellcheck": "false",
                "hx-get": reverse_lazy("web:unit_options"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#conference-unit-options",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        ),
        help_text=_("Organised there or with a site there."),
    )
    start = forms.DateField(label=_("From"), required=False, widget=date_input())
    end = forms.DateField(label=_("Until"), required=False, widget=date_input())
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Conference.Status.choices]
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    format = forms.ChoiceField(
        label=pgettext_lazy("conference", "Format"), required=False, choices=[("", _("Any format")), *Format.choices]
    )
    q = forms.CharField(
        label=_("Title or organiser"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(self, "kind").choices = [
            ("", _("All kinds")),
            *[(k.code, k.name) for k in ConferenceKind.objects.all()],
        ]

    def values(self) -> dict[str, Any]:
        """The filters; an invalid field counts as empty."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        return {
            "unit": (data.get("unit") or "").strip(),
            "start": data.get("start"),
            "end": data.get("end"),
            "status": data.get("status") or "",
            "kind": data.get("kind") or "",
            "format": data.get("format") or "",
            "q": (data.get("q") or "").strip(),
        }


# --- Planning ----------------------------------------------------------------------------------


def expected_field_name(category: str) -> str:
    return f"expected_{category}"


class ConferenceForm(ServiceErrorsMixin, Form):
    field_aliases = {"sites": "format"}

    title = forms.CharField(label=pgettext_lazy("conference", "Title"), max_length=255)
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=ConferenceKind.objects.filter(is_active=True))
    organiser = forms.CharField(
        label=_("Organising unit (code)"),
        max_length=64,
        widget=unit_code_input(),
        help_text=_("A unit whose work you record. It is the host site."),
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    starts_on = forms.DateField(label=_("Date"), widget=date_input())
    starts_at = forms.TimeField(label=_("Starts at"), widget=time_input())
    ends_at = forms.TimeField(label=_("Ends at"), widget=time_input())
    format = forms.ChoiceField(
        label=pgettext_lazy("conference", "Format"),
        choices=Format.choices,
        help_text=_("Online and hybrid conferences have bridge points, added on the conference page."),
    )
    is_mandatory = forms.BooleanField(
        label=_("Mandatory for cadres"),
        required=False,
        help_text=_("Only for mandatory conferences are absent persons listed by name; otherwise only counted."),
    )
    documents = forms.TypedMultipleChoiceField(
        label=_("Documents covered"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Documents of the library you may read. Hold Ctrl (or ⌘) to choose several."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, documents: Iterable[Any] = (), **kwargs: Any):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        for category, label in Category.choices:
            self.fields[expected_field_name(category)] = count_field(label)
        _choices(self, "documents").choices = [(d.pk, _document_label(d)) for d in documents]

    @property
    def expected_fields(self) -> list[forms.BoundField]:
        return [self[expected_field_name(category)] for category in Category.values]

    @classmethod
    def initial_for(cls, conference: Conference) -> dict[str, Any]:
        starts = timezone.localtime(conference.starts_at)
        ends = timezone.localtime(conference.ends_at)
        initial: dict[str, Any] = {
            "title": conference.title,
            "kind": conference.kind_id,
            "organiser": conference.organiser.code,
            "level": conference.level,
            "starts_on": starts.date(),
            "starts_at": starts.time().replace(second=0, microsecond=0),
            "ends_at": ends.time().replace(second=0, microsecond=0),
            "format": conference.format,
            "is_mandatory": conference.is_mandatory,
            "notes": conference.notes,
            "documents": list(conference.documents.values_list("pk", flat=True)),
        }
        for category in Category.values:
            initial[expected_field_name(category)] = (conference.expected or {}).get(category) or None
        return initial

    def clean_starts_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["starts_on"]
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Enter a date between %(first)s and %(last)s."), params={"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The conference cannot end before it starts."))
        return cleaned

    def to_data(
        self, *, organiser: Unit, documents: Iterable[Any], presenters: Iterable[PresenterData]
    ) -> ConferenceData:
        data = self.cleaned_data
        day: dt.date = data["starts_on"]
        return ConferenceData(
            title=data["title"],
            kind=data["kind"],
            organiser=organiser,
            level=data["level"],
            starts_at=timezone.make_aware(dt.datetime.combine(day, data["starts_at"])),
            ends_at=timezone.make_aware(dt.datetime.combine(day, data["ends_at"])),
            format=data["format"],
            is_mandatory=data.get("is_mandatory", False),
            notes=data.get("notes") or "",
            expected={
                category: data.get(expected_field_name(category)) or 0
                for category in Category.values
                if data.get(expected_field_name(category))
            },
            documents=list(documents),
            presenters=list(presenters),
            client_key=data.get("client_key") or "",
        )


def _document_label(document: Any) -> str:
    number = f"{document.number} — " if document.number else ""
    return f"{number}{document.title}"[:160]


class PresenterForm(Form):
    """One presenter: a reporter of the network, or a name."""

    person = forms.TypedChoiceField(label=_("Reporter"), required=False, coerce=int, empty_value=None)
    name = forms.CharField(label=_("Or a name"), max_length=200, required=False)
    topic = forms.CharField(label=_("Topic"), max_length=255, required=False)

    def __init__(self, *args: Any, reporters: Iterable[Any] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(self, "person").choices = [("", "—")] + [(p.pk, p.full_name) for p in reporters]

    def has_presenter(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("person") or (data.get("name") or "").strip())


PresenterFormSet = forms.formset_factory(PresenterForm, extra=3, max_num=30, validate_max=True)


def presenter_initial(conference: Conference) -> list[dict[str, Any]]:
    return [
        {"person": p.person_id, "name": p.name, "topic": p.topic}
        for p in conference.presenters.all()  # type: ignore[attr-defined]
    ]


def presenters_from(formset: Any, reporters: dict[int, Any]) -> list[PresenterData]:
    """The filled rows of the presenters' formset, in order."""
    found = []
    for form in formset.forms:
        if not form.has_presenter():
            continue
        data = form.cleaned_data
        person = reporters.get(data["person"]) if data.get("person") else None
        found.append(PresenterData(person=person, name=data.get("name") or "", topic=data.get("topic") or ""))
    return found


class CancelForm(ServiceErrorMixin, Form):
    reason = forms.CharField(label=_("Why is the conference cancelled?"), max_length=255)


# --- Sites -------------------------------------------------------------------------------------


def _mode_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Attendance taken"),
        choices=BridgePoint.Mode.choices,
        initial=BridgePoint.Mode.HEADCOUNT,
        help_text=_("Per person: participants check in with the site's QR code or its short code."),
    )


class PointsAddForm(ServiceErrorsMixin, Form):
    """One or more bridge points, by unit code."""

    field_aliases = {"sites": "units", "format": "units"}

    units = forms.CharField(
        label=_("Unit (code)"),
        max_length=2000,
        widget=unit_code_input(),
        help_text=_("Type a name to find the unit; several codes may be separated by commas."),
    )
    mode = _mode_field()
    location = forms.CharField(label=_("Location"), max_length=255, required=False)
    contact_name = forms.CharField(label=_("Contact"), max_length=120, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )

    def codes(self) -> list[str]:
        return unit_codes(self.cleaned_data.get("units") or "")


def tier_choices() -> list[tuple[str, str]]:
    return [(t.code, t.name) for t in Tier.objects.all()]


class PointsChildrenForm(ServiceErrorsMixin, Form):
    """Every unit of a tier under a unit, as the tree stood on the conference date."""

    field_aliases = {"sites": "parent", "format": "parent"}

    tier = forms.ChoiceField(label=_("All units of the tier"))
    parent = forms.CharField(
        label=_("Under the unit (code)"), max_length=64, widget=unit_code_input("meetings-parent-options")
    )
    mode = _mode_field()

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(self, "tier").choices = tier_choices()

    @classmethod
    def for_unit(cls, parent: Unit, tier: str) -> PointsChildrenForm:
        """The empty form, offering the units of ``tier`` under ``parent`` (the conference's
        organiser and the tier below it)."""
        return cls(initial={"parent": parent.code, "tier": tier})


class HeadcountForm(ServiceErrorMixin, Form):
    """A site's headcount per category and its denominators. Empty counts as zero.

    At a site whose attendance is taken per person, only the denominators are asked: the
    headcount comes from the check-ins."""

    members_summoned = count_field(
        _("Party members summoned"), help_text=_("The party members of the units summoned to this site.")
    )
    members_exempt = count_field(_("Of whom exempt"), help_text=_("Exempt from party activities."))
    summoned = count_field(_("People summoned"), help_text=_("Everyone summoned, of every category."))
    absent_excused = count_field(_("Absent with a reason"))
    absent_unexcused = count_field(_("Absent without a reason"))

    def __init__(self, *args: Any, per_person: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.per_person = per_person
        if per_person:
            del self.fields["absent_excused"]
            del self.fields["absent_unexcused"]
            return
        for category, label in Category.choices:
            self.fields[f"present_{category}"] = count_field(label)
            self.fields[f"late_{category}"] = count_field(_("of whom late"))

    @property
    def category_rows(self) -> list[dict[str, Any]]:
        if self.per_person:
            return []
        return [
            {"label": label, "present": self[f"present_{category}"], "late": self[f"late_{category}"]}
            for category, label in Category.choices
        ]

    @classmethod
    def initial_for(cls, point: BridgePoint) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "members_summoned": point.members_summoned,
            "members_exempt": point.members_exempt,
            "summoned": point.summoned,
            "absent_excused": point.absent_excused,
            "absent_unexcused": point.absent_unexcused,
        }
        for row in point.counts.all():  # type: ignore[attr-defined]
            initial[f"present_{row.category}"] = row.present
            initial[f"late_{row.category}"] = row.late
        return initial

    def to_headcount(self) -> Headcount:
        data = self.cleaned_data
        present: dict[str, int] = {}
        late: dict[str, int] = {}
        if not self.per_person:
            present = {c: data.get(f"present_{c}") or 0 for c in Category.values}
            late = {c: data.get(f"late_{c}") or 0 for c in Category.values if data.get(f"late_{c}")}
        return Headcount(
            present=present,
            late=late,
            members_summoned=data.get("members_summoned") or 0,
            members_exempt=data.get("members_exempt") or 0,
            summoned=data.get("summoned") or 0,
            absent_excused=data.get("absent_excused") or 0,
            absent_unexcused=data.get("absent_unexcused") or 0,
        )


class ConnectionForm(ServiceErrorMixin, Form):
    status = forms.ChoiceField(
        label=_("Connection"),
        choices=[(v, label) for v, label in BridgePoint.Connection.choices if v != BridgePoint.Connection.UNKNOWN],
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class AttachmentForm(ServiceErrorMixin, Form):
    file = forms.FileField(label=_("Photo or minutes"), help_text=_("PDF, Word, OpenDocument or an image."))
    kind = forms.ChoiceField(label=_("What it is"), choices=ConferenceAttachment.Kind.choices)


class SiteForm(ServiceErrorMixin, Form):
    """What a site's organiser may change: its level, place, contact and how attendance is taken."""

    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    location = forms.CharField(label=_("Location"), max_length=255, required=False)
    contact_name = forms.CharField(label=_("Contact"), max_length=120, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)
    mode = forms.ChoiceField(label=_("Attendance taken"), choices=BridgePoint.Mode.choices)

    @staticmethod
    def initial_for(point: BridgePoint) -> dict[str, Any]:
        return {name: getattr(point, name) for name in ("level", "location", "contact_name", "contact_phone", "mode")}


class IdListField(forms.Field):
    """Ids sent as repeated values (checkboxes); anything else is left out."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [int(v) for v in values if str(v).isdigit() and len(str(v)) < 12]


class RegisterForm(ServiceErrorMixin, Form):
    """Who is summoned to a per-person site: persons already recorded, or names."""

    person = IdListField(required=False)
    names = forms.CharField(
        label=_("Or type names, one per line"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("person") and not (cleaned.get("names") or "").strip():
            self.add_error("names", _("Choose persons or type names."))
        return cleaned

    def name_lines(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("names") or "").splitlines() if line.strip()]


class PersonSearchForm(Form):
    q = forms.CharField(
        label=_("Find persons recorded here"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


def roster_marks(
    data: Any, participants: Iterable[Participant], *, mandatory: bool
) -> list[tuple[int, str, bool, str]]:
    """What the roster form changed: (participant id, status, late, reason) for each row whose
    state differs from the state shown, so a check-in arriving meanwhile is not undone."""
    present = set(data.getlist("present"))
    late = set(data.getlist("late"))
    absent = set(data.getlist("absent")) if mandatory else set()
    shown = set(data.getlist("row"))
    changes: list[tuple[int, str, bool, str]] = []
    for participant in participants:
        key = str(participant.pk)
        if key not in shown:
            continue
        if key in present:
            status = Participant.Status.PRESENT
        elif key in absent:
            status = Participant.Status.ABSENT
        else:
            status = Participant.Status.REGISTERED
        is_late = status == Participant.Status.PRESENT and key in late
        reason = (data.get(f"reason_{key}") or "").strip()[:255] if status == Participant.Status.ABSENT else ""
        before = (participant.status, participant.is_late, participant.absence_reason)
        if before != (status, is_late, reason):
            changes.append((participant.pk, status, is_late, reason))
    return changes


# --- Reflections -------------------------------------------------------------------------------


class ReflectionForm(ServiceErrorMixin, Form):
    unit = forms.CharField(
        label=_("Party cell (code)"), max_length=64, widget=unit_code_input(**{"hx-vals": '{"tier": "village"}'})
    )
    conference = forms.TypedChoiceField(label=_("Conference"), required=False, coerce=int, empty_value=None)
    document = forms.TypedChoiceField(label=_("Or a document studied"), required=False, coerce=int, empty_value=None)
    recorded_on = forms.DateField(label=_("Date"), widget=date_input())
    required = count_field(_("Required"), help_text=_("Party members who were to write one."))
    exempt = count_field(_("Exempt"))
    submitted = count_field(_("Submitted"))
    graded = count_field(_("Graded"))
    makeup_sessions = count_field(_("Make-up sessions held"))

    def __init__(
        self,
        *args: Any,
        conferences: Iterable[Conference] = (),
        documents: Iterable[Any] = (),
        **kwargs: Any,
    ):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("recorded_on", today())
        super().__init__(*args, **kwargs)
        _choices(self, "conference").choices = [("", "—")] + [
            (c.pk, f"{c.held_on:%d/%m/%Y} · {c.title}"[:160]) for c in conferences
        ]
        _choices(self, "document").choices = [("", "—")] + [(d.pk, _document_label(d)) for d in documents]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("conference") and not cleaned.get("document"):
            self.add_error("conference", _("Choose the conference or the document studied."))
        return cleaned

    def to_data(self, *, unit: Unit, conference: Conference | None, document: Any) -> ReflectionCounts:
        data = self.cleaned_data
        return ReflectionCounts(
            unit=unit,
            recorded_on=data["recorded_on"],
            conference=conference,
            document=document,
            required=data.get("required") or 0,
            exempt=data.get("exempt") or 0,
            submitted=data.get("submitted") or 0,
            graded=data.get("graded") or 0,
            makeup_sessions=data.get("makeup_sessions") or 0,
        )


# --- Series ------------------------------------------------------------------------------------


class SeriesForm(ServiceErrorsMixin, Form):
    field_aliases = {"sites": "units"}

    title = forms.CharField(label=pgettext_lazy("conference", "Title"), max_length=255)
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=ConferenceKind.objects.filter(is_active=True))
    organiser = forms.CharField(
        label=_("Organising unit (code)"),
        max_length=64,
        widget=unit_code_input(),
        help_text=_("It hosts every conference of the series."),
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    format = forms.ChoiceField(
        label=pgettext_lazy("conference", "Format"), choices=Format.choices, initial=Format.HYBRID
    )
    recurrence = forms.ChoiceField(label=_("Recurrence"), choices=Recurrence.choices)
    day_of_month = forms.IntegerField(label=_("Day of the month"), min_value=1, max_value=28, initial=1)
    starts_at_time = forms.TimeField(label=_("Starts at"), widget=time_input())
    duration_minutes = forms.IntegerField(label=_("Length in minutes"), min_value=15, max_value=24 * 60, initial=180)
    is_mandatory = forms.BooleanField(label=_("Mandatory for cadres"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    units = forms.CharField(
        label=_("Bridge points (unit codes)"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}),
        help_text=_("Separated by commas or on separate lines."),
    )
    children_tier = forms.ChoiceField(label=_("And all units of the tier"), required=False)
    children_parent = forms.CharField(
        label=_("Under the unit (code)"),
        max_length=64,
        required=False,
        widget=unit_code_input("meetings-parent-options"),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(self, "children_tier").choices = [("", "—"), *tier_choices()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("children_tier")) != bool((cleaned.get("children_parent") or "").strip()):
            self.add_error("children_parent", _("Choose both a tier and the unit it is under."))
        return cleaned

    def codes(self) -> list[str]:
        return unit_codes(self.cleaned_data.get("units") or "")

    def to_data(self, *, organiser: Unit) -> SeriesData:
        data = self.cleaned_data
        return SeriesData(
            title=data["title"],
            kind=data["kind"],
            organiser=organiser,
            level=data["level"],
            recurrence=data["recurrence"],
            starts_at_time=data["starts_at_time"],
            day_of_month=data["day_of_month"],
            duration_minutes=data["duration_minutes"],
            format=data["format"],
            is_mandatory=data.get("is_mandatory", False),
            notes=data.get("notes") or "",
        )
