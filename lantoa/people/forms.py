"""Forms of the outreach-network pages. They read input; the services decide what makes sense."""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantoa.core.forms import Form, ServiceErrorMixin, date_input
from lantoa.org.models import Tier, Unit
from lantoa.org.selectors import today
from lantoa.people.models import ActivityKind, GroupKind, NetworkGroup, NetworkRoleKind, Person
from lantoa.people.services import ActivityData, PersonData, sensitive_fields_enabled


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class RosterFilterForm(Form):
    role = forms.ChoiceField(label=_("Role"), required=False)
    tier = forms.ChoiceField(label=_("Level"), required=False)
    active_on = forms.DateField(label=_("Holding the role on"), required=False, widget=date_input())
    q = forms.CharField(label=_("Name"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(self, "role").choices = [
            ("", _("All roles")),
            *[(r.code, r.name) for r in NetworkRoleKind.objects.all()],
        ]
        _choices(self, "tier").choices = [("", _("All levels")), *[(t.code, t.name) for t in Tier.objects.all()]]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "role": data.get("role") or "",
            "tier": data.get("tier") or "",
            "active_on": data.get("active_on") or today(),
            "q": (data.get("q") or "").strip(),
        }


class PersonForm(ServiceErrorMixin, Form):
    family_name = forms.CharField(label=_("Family name"), max_length=60, required=False)
    middle_name = forms.CharField(label=_("Middle name"), max_length=80, required=False)
    given_name = forms.CharField(label=_("Given name"), max_length=60)
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", "—"), *Person.Sex.choices])
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100)
    home_unit = forms.CharField(
        label=_("Home unit (code)"), max_length=64, help_text=_("The unit where the person lives or works.")
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    email = forms.EmailField(label=_("Email"), required=False)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=60, required=False)
    is_party_member = forms.NullBooleanField(label=_("Party member"), required=False)
    allow_duplicate = forms.BooleanField(
        label=_("I checked: this is a different person"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, sensitive_allowed: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        enabled = sensitive_fields_enabled() if sensitive_allowed else ()
        for name in ("ethnicity", "is_party_member"):
            if name not in enabled:
                del self.fields[name]
        self.sets_sensitive = bool(enabled)

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        return {
            "family_name": person.family_name,
            "middle_name": person.middle_name,
            "given_name": person.given_name,
            "sex": person.sex,
            "birth_year": person.birth_year,
            "home_unit": person.home_unit.code,
            "phone": person.phone,
            "email": person.email,
            "ethnicity": person.ethnicity,
            "is_party_member": person.is_party_member,
        }

    def to_data(self, home_unit: Unit) -> PersonData:
        data = self.cleaned_data
        return PersonData(
            family_name=data.get("family_name") or "",
            middle_name=data.get("middle_name") or "",
            given_name=data["given_name"],
            sex=data.get("sex") or "",
            birth_year=data.get("birth_year"),
            home_unit=home_unit,
            phone=data.get("phone") or "",
            email=data.get("email") or "",
            ethnicity=data.get("ethnicity") or "",
            is_party_member=data.get("is_party_member"),
            sets_sensitive=self.sets_sensitive,
        )

    def offer_duplicate_override(self) -> None:
        """After a duplicate warning, the checkbox appears so the officer can confirm."""
        self.fields["allow_duplicate"].widget = forms.CheckboxInput()


class RoleForm(ServiceErrorMixin, Form):
    role = forms.ModelChoiceField(label=_("Role"), queryset=NetworkRoleKind.objects.filter(is_active=True))
    unit = forms.CharField(label=_("Unit (code)"), max_length=64)
    valid_from = forms.DateField(label=_("From"), widget=date_input())
    valid_to = forms.DateField(label=_("Until (first day no longer held)"), required=False, widget=date_input())
    decision_ref = forms.CharField(
        label=_("Decision"), max_length=120, required=False, help_text=_("For example: Quyết định số 123-QĐ/TU")
    )


class EndForm(ServiceErrorMixin, Form):
    on = forms.DateField(label=_("Ends on (first day no longer valid)"), widget=date_input())
    decision_ref = forms.CharField(label=_("Decision"), max_length=120, required=False)


class LinkUserForm(ServiceErrorMixin, Form):
    username = forms.CharField(
        label=_("User account"),
        max_length=150,
        required=False,
        help_text=_("The username of an existing account; leave empty to unlink."),
    )


class GroupForm(ServiceErrorMixin, Form):
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=GroupKind.objects.all())
    unit = forms.CharField(label=_("Unit (code)"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=200)
    valid_from = forms.DateField(label=_("Formed on"), widget=date_input())
    decision_ref = forms.CharField(label=_("Decision"), max_length=120, required=False)


class MemberForm(ServiceErrorMixin, Form):
    """Add someone already recorded, or record a new person and add them in one step."""

    person = forms.TypedChoiceField(label=_("Person already recorded"), required=False, coerce=int, empty_value=None)
    family_name = forms.CharField(label=_("Family name"), max_length=60, required=False)
    middle_name = forms.CharField(label=_("Middle name"), max_length=80, required=False)
    given_name = forms.CharField(label=_("Given name"), max_length=60, required=False)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100)
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", "—"), *Person.Sex.choices])
    phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    valid_from = forms.DateField(label=_("Member from"), widget=date_input())
    is_leader = forms.BooleanField(label=_("Leader of the group"), required=False)
    decision_ref = forms.CharField(label=_("Decision"), max_length=120, required=False)

    def __init__(self, *args: Any, candidates: list[Person] = (), **kwargs: Any):  # type: ignore[assignment]
        kwargs.setdefault("initial", {"valid_from": today()})
        super().__init__(*args, **kwargs)
        _choices(self, "person").choices = [("", _("— a new person (fill in below) —"))] + [
            (p.pk, f"{p.full_name}{f' ({p.birth_year})' if p.birth_year else ''}") for p in candidates
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("person") and not (cleaned.get("given_name") or "").strip():
            self.add_error("given_name", _("Choose a person already recorded or give the new person's name."))
        return cleaned

    def new_person(self, home_unit: Unit) -> PersonData:
        data = self.cleaned_data
        return PersonData(
            family_name=data.get("family_name") or "",
            middle_name=data.get("middle_name") or "",
            given_name=data.get("given_name") or "",
            birth_year=data.get("birth_year"),
            sex=data.get("sex") or "",
            phone=data.get("phone") or "",
            home_unit=home_unit,
        )


class MergeForm(ServiceErrorMixin, Form):
    into = forms.TypedChoiceField(label=_("Merge into"), coerce=int)
    on = forms.DateField(label=_("Effective on"), widget=date_input())
    decision_ref = forms.CharField(label=_("Decision"), max_length=120, required=False)

    def __init__(self, *args: Any, targets: list[NetworkGroup] = (), **kwargs: Any):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        _choices(self, "into").choices = [(g.pk, f"{g.name} — {g.unit.name}") for g in targets]


class ActivityForm(ServiceErrorMixin, Form):
    """The phone-first form: a few taps. Nothing here identifies a person or household reached."""

    unit = forms.ChoiceField(label=_("Where"))
    kind = forms.ModelChoiceField(
        label=_("What"),
        queryset=ActivityKind.objects.filter(is_active=True),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        empty_label=None,
    )
    held_on = forms.DateField(label=_("When"), widget=date_input())
    topic = forms.CharField(
        label=_("Topic or document"),
        max_length=255,
        help_text=_("For example: Nghị quyết Đại hội XIII, phòng chống ma túy…"),
    )
    people_reached = forms.IntegerField(
        label=_("Number of people reached"),
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    sessions = forms.IntegerField(label=_("Number of sessions"), min_value=1, initial=1)
    person = forms.TypedChoiceField(label=_("Done by"), required=False, coerce=int, empty_value=None)
    note = forms.CharField(
        label=_("Note about the activity"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("About the activity only. Do not write the names of people or households reached."),
    )
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(
        self,
        *args: Any,
        units: list[Unit] = (),  # type: ignore[assignment]
        persons: list[Person] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("held_on", today())
        kwargs["initial"].setdefault("client_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        _choices(self, "unit").choices = [(u.code, u.name) for u in units]
        if persons:
            _choices(self, "person").choices = [("", _("— myself / not recorded —"))] + [
                (p.pk, p.full_name) for p in persons
            ]
        else:
            del self.fields["person"]

    def to_data(self, *, unit: Unit, group: NetworkGroup | None, person: Person | None) -> ActivityData:
        data = self.cleaned_data
        return ActivityData(
            unit=unit,
            held_on=data["held_on"],
            kind=data["kind"],
            topic=data["topic"],
            people_reached=data["people_reached"],
            sessions=data.get("sessions") or 1,
            group=group,
            person=person,
            note=data.get("note") or "",
            client_key=data.get("client_key") or "",
        )


class TeamSummaryForm(ServiceErrorMixin, Form):
    """A team leader's (or an officer's) monthly summary for a whole team."""

    group = forms.TypedChoiceField(label=_("Team"), coerce=int)
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    kind = forms.ModelChoiceField(
        label=_("Main kind of activity"), queryset=ActivityKind.objects.filter(is_active=True)
    )
    topic = forms.CharField(label=_("Topics or documents"), max_length=255)
    sessions = forms.IntegerField(label=_("Number of sessions in the month"), min_value=1)
    people_reached = forms.IntegerField(
        label=_("People reached in the month (attendances)"),
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Note about the activities"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("About the activities only. Do not write the names of people or households reached."),
    )
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, teams: list[NetworkGroup] = (), **kwargs: Any):  # type: ignore[assignment]
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("month", today().replace(day=1))
        kwargs["initial"].setdefault("client_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        _choices(self, "group").choices = [(g.pk, f"{g.name} — {g.unit.name}") for g in teams]

    def summary_day(self) -> dt.date:
        """A summary is dated the month's last day (or today, for the current month)."""
        month = self.cleaned_data["month"]
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        return min(last, today())


class WithdrawForm(ServiceErrorMixin, Form):
    reason = forms.CharField(label=_("Why is this record withdrawn?"), max_length=255)


class CoverageForm(Form):
    on = forms.DateField(label=_("On the date"), required=False, widget=date_input())


class ActivityFilterForm(Form):
    start = forms.DateField(label=_("From"), required=False, widget=date_input())
    end = forms.DateField(label=_("Until"), required=False, widget=date_input())
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            ("submitted", _("To confirm")),
            ("confirmed", _("Confirmed")),
            ("withdrawn", _("Withdrawn")),
        ],
    )
