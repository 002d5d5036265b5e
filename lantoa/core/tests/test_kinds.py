"""The kind registry: one place for the rows every deployment starts with."""

from __future__ import annotations

import pytest
from django.apps import apps

from lantoa.core.kinds import KindSeed, kind_seeds, register_kind_seeds, seed_all_kinds, seed_kinds, seeded_models
from lantoa.core.models import KindModel

SIX_KINDS = {
    "org.UnitKind",
    "library.DocumentKind",
    "meetings.ConferenceKind",
    "people.NetworkRoleKind",
    "people.GroupKind",
    "people.ActivityKind",
}


def test_every_kind_model_shares_the_base_and_registers_its_seeds():
    kind_models = {m._meta.label for m in apps.get_models() if issubclass(m, KindModel)}
    assert kind_models == SIX_KINDS
    assert set(seeded_models()) == SIX_KINDS


@pytest.mark.django_db
def test_seeding_restores_missing_kinds_and_keeps_edited_ones():
    document_kind = apps.get_model("library", "DocumentKind")
    document_kind.objects.filter(code="directive").delete()
    document_kind.objects.filter(code="plan").update(name_vi="Kế hoạch (đã sửa)")

    seed_kinds(document_kind)

    codes = [seed.code for seed in kind_seeds("library.DocumentKind")]
    assert list(document_kind.objects.order_by("rank").values_list("code", flat=True)) == codes
    assert document_kind.objects.get(code="directive").rank == codes.index("directive") + 1
    assert document_kind.objects.get(code="plan").name_vi == "Kế hoạch (đã sửa)"


@pytest.mark.django_db
def test_seeding_what_is_there_already_costs_one_query_per_model(django_assert_num_queries):
    seed_all_kinds(apps.get_model)
    # Unit kinds also read their tiers, inside a savepoint (two more statements).
    with django_assert_num_queries(len(SIX_KINDS) + 3):
        seed_all_kinds(apps.get_model)


@pytest.mark.django_db
def test_a_group_kind_keeps_its_tier_from_the_seeds():
    assert apps.get_model("people", "GroupKind").objects.get(code="outreach_team").tier_code == "village"


def test_the_registry_refuses_duplicate_codes_and_conflicting_seeds():
    with pytest.raises(ValueError, match="twice"):
        register_kind_seeds("tests.Kind", [KindSeed("a", "A", "A"), KindSeed("a", "B", "B")])
    with pytest.raises(ValueError, match="already"):
        register_kind_seeds("library.DocumentKind", [KindSeed("only", "Một", "One")])
    register_kind_seeds("library.DocumentKind", kind_seeds("library.DocumentKind"))  # the same again: harmless
