"""Every form cleans its text once (lantoa.core.text.clean_text) before its fields check it."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

import pytest
from django import forms

import lantoa
from lantoa.core.forms import CleanTextMixin
from lantoa.meetings.forms import ConferenceForm
from lantoa.people.forms import ActivityForm, PersonForm

ZERO_WIDTH = "\u200b\u200c\u2060\ufeff"


def _lantoa_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(lantoa.__path__, "lantoa."):
        parts = module.name.split(".")[2:]  # below the app: a module, or a package's module (views/roster)
        if ".tests" not in module.name and (any(p.startswith(("forms", "views")) for p in parts) or "admin" in parts):
            importlib.import_module(module.name)
    found, pending = [], [forms.BaseForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith("lantoa.") and ".tests" not in subclass.__module__:
                found.append(subclass)
    return found


def test_every_form_of_lantoa_cleans_its_text():
    classes = _lantoa_form_classes()
    assert len(classes) > 40
    assert [c.__qualname__ for c in classes if not issubclass(c, CleanTextMixin)] == []


def test_a_name_of_zero_width_characters_is_empty():
    form = PersonForm({"given_name": ZERO_WIDTH, "family_name": "\u200b", "home_unit": "T"})
    assert not form.is_valid()
    assert form.errors["given_name"] == [forms.Field.default_error_messages["required"]]


def test_control_characters_and_nul_are_never_kept():
    form = PersonForm({"given_name": "An\x00", "family_name": "Ng\u200buy\u00ea\u0303n\x07", "home_unit": " T "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["given_name"] == "An"
    assert form.cleaned_data["family_name"] == "Nguyễn"  # composed (NFC) as well


@pytest.mark.django_db
def test_a_conference_title_of_zero_width_characters_is_refused_as_empty():
    form = ConferenceForm({"title": ZERO_WIDTH})
    assert not form.is_valid()
    assert form.errors["title"] == [forms.Field.default_error_messages["required"]]


@pytest.mark.django_db
def test_an_activity_topic_of_zero_width_characters_is_refused_and_notes_keep_their_lines(tree):
    data = {"topic": "\u200b \u200b", "note": "Dòng một\x00\r\nDòng  hai\u200b", "held_on": "2024-05-02"}
    form = ActivityForm(data, units=[tree.commune_a1])
    assert not form.is_valid()
    assert form.errors["topic"] == [forms.Field.default_error_messages["required"]]
    assert form.cleaned_data["note"] == "Dòng một\nDòng hai"
    assert form.cleaned_data["held_on"] == dt.date(2024, 5, 2)


def test_length_limits_count_the_cleaned_text():
    form = PersonForm({"given_name": "A" + ZERO_WIDTH * 30, "home_unit": "T", "phone": "0912" + "\u200b" * 30})
    assert form.is_valid(), form.errors
